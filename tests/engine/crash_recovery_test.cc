// Kill an importing process with SIGKILL at random moments, many times over, and check after each
// kill that every acknowledged write is there and that the catalog and text index agree.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>
#include <set>

#include "engine/engine_test_util.h"

namespace ultrasearch::testing {
namespace {

constexpr int kRounds = 60;
constexpr int kBatch = 25;

// Runs in the forked child: writes batches forever, reporting each acknowledged batch on `ack_fd`
// as "P <first> <count>\n" (puts of ids c<first>..) or "D <id>\n" (a delete). Before a delete it
// announces "d <id>\n": a kill between the two leaves that document's fate open. Never returns.
[[noreturn]] void ImportUntilKilled(const std::string& dir, int ack_fd, uint64_t first_id, uint64_t seed) {
  auto engine = OpenTestEngine(dir, std::chrono::milliseconds(5));  // frequent Xapian commits
  if (!engine) _exit(3);
  auto index = engine->GetOrCreateIndex("products");
  if (!index.ok()) _exit(4);
  std::mt19937_64 rng(seed);
  uint64_t next = first_id;
  for (;;) {
    std::vector<WriteOp> ops;
    for (int i = 0; i < kBatch; ++i) {
      std::string id = NumberedId("c", next + static_cast<uint64_t>(i));
      ops.push_back({WriteOp::Type::kIndex, id,
                     R"({"name":"Samsung muzlatgich )" + id + R"(","price":)" + std::to_string(rng() % 1000000) + "}"});
    }
    auto results = index.value()->Write(ops);
    if (!results.ok()) _exit(5);
    std::string ack = "P " + std::to_string(next) + " " + std::to_string(kBatch) + "\n";
    if (write(ack_fd, ack.data(), ack.size()) != static_cast<ssize_t>(ack.size())) _exit(6);
    // Now and then delete an earlier document of this child.
    if (next > first_id && rng() % 3 == 0) {
      std::string victim = NumberedId("c", first_id + rng() % (next - first_id));
      std::string intent = "d " + victim + "\n";
      if (write(ack_fd, intent.data(), intent.size()) != static_cast<ssize_t>(intent.size())) _exit(6);
      auto del = index.value()->Delete(victim);
      if (!del.ok()) _exit(7);
      std::string line = "D " + victim + "\n";
      if (write(ack_fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(6);
    }
    next += kBatch;
  }
}

TEST(CrashRecoveryTest, AcknowledgedWritesSurviveSigkillAtRandomMoments) {
  TempDir dir;
  std::mt19937_64 rng(20261125);
  std::set<std::string> present, deleted;  // what acknowledged writes promise
  uint64_t next_id = 0;

  for (int round = 0; round < kRounds; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const uint64_t first = next_id;
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(fds[0]);
      ImportUntilKilled(dir.str(), fds[1], first, rng());
    }
    close(fds[1]);
    // Let it run up to 150 ms (sometimes killed while still creating the index), then kill it.
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 150));
    ASSERT_EQ(kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the child exited on its own with " << WEXITSTATUS(status);

    // Read every acknowledgement the child managed to send.
    std::string acks;
    char buf[4096];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof(buf))) > 0) acks.append(buf, static_cast<size_t>(n));
    close(fds[0]);
    std::istringstream lines(acks);
    std::string kind;
    while (lines >> kind) {
      if (kind == "P") {
        uint64_t start, count;
        lines >> start >> count;
        for (uint64_t i = start; i < start + count; ++i) present.insert(NumberedId("c", i));
        next_id = std::max(next_id, start + count);
      } else {
        std::string id;
        lines >> id;
        present.erase(id);  // "d": may or may not be deleted; "D": must be gone
        if (kind == "D") deleted.insert(id);
      }
    }
    // Ids of a batch in flight may or may not exist; never reuse them.
    next_id += 1000;

    // Reopen: recovery replays the log; then check the promises.
    auto engine = OpenTestEngine(dir.str());
    ASSERT_NE(engine, nullptr);
    auto index = engine->GetOrCreateIndex("products");
    ASSERT_TRUE(index.ok()) << index.status().ToString();
    for (const auto& id : present) {
      auto got = index.value()->Get(id);
      ASSERT_TRUE(got.ok()) << "round " << round << ": lost " << id << ": " << got.status().ToString() << "\nacks:\n" << acks;
    }
    for (const auto& id : deleted) ASSERT_TRUE(index.value()->Get(id).status().IsNotFound()) << "round " << round << ": " << id;
    auto stats = index.value()->Stats();
    ASSERT_TRUE(stats.ok());
    EXPECT_EQ(stats->documents, stats->indexed_documents) << "round " << round;
    EXPECT_EQ(stats->last_indexed_sequence, stats->last_sequence) << "round " << round;
    EXPECT_GE(stats->documents, present.size());
    auto all = index.value()->Count(Query{MatchAllQuery{}});
    ASSERT_TRUE(all.ok());
    EXPECT_EQ(*all, stats->documents) << "round " << round;
    auto matched = index.value()->Count(MatchText("samsung"));
    ASSERT_TRUE(matched.ok()) << "round " << round << ": " << matched.status().ToString();
    EXPECT_EQ(*matched, stats->documents) << "every document is searchable after recovery";
  }
  EXPECT_GT(present.size(), 0u);
  RecordProperty("acknowledged_documents", static_cast<int>(present.size()));
  RecordProperty("acknowledged_deletes", static_cast<int>(deleted.size()));
}

}  // namespace
}  // namespace ultrasearch::testing
