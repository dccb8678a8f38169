// Kill a writing process with SIGKILL at random moments, many times over, and check after each
// kill, through the public API only, that
//   - every acknowledged batch is there, each document exactly as the model says (contents, not
//     just presence), and the batch that was in flight applied entirely or not at all;
//   - the text index agrees exactly with the catalog: the ids a match_all search returns are the
//     ids a Get of every possible id finds, every document is indexed in its current version (its
//     newest marker finds it, no older marker finds anything), and word searches on the text fields,
//     dynamic ones included, return exactly the documents whose stored text has the word.
// The workload overwrites, partially updates (merging nested objects, and no-op updates), deletes,
// re-creates, repeats ids inside one batch, adds dynamic fields, and reindexes concurrently.
// Kills are timed from the moment the child reports the engine open, so no round dies during start.
// The child is a fresh process (this test program re-executed to run only the disabled test
// CrashRecoveryChild.DISABLED_WriteUntilKilled), not a bare fork: a forked copy would inherit the
// parent's RocksDB thread pools without their threads, and sanitizers reject threads after fork.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <algorithm>
#include <iostream>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "engine/crash_workload.h"
#include "engine/engine_test_util.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;

constexpr int kRounds = 36;
constexpr int kBatchesPerRound = 400;  // more than a child gets through before its kill
constexpr int kMaxRunMillis = 400;     // a round's writing time after the engine is open
constexpr const char* kIndexName = "crash";
constexpr auto kStartTimeout = std::chrono::seconds(120);  // generous: sanitizer builds open slowly

// How the parent tells the re-executed child what to do.
constexpr const char* kChildEnv = "ULTRASEARCH_CRASH_CHILD";  // "DIR FD PLAN_PATH REINDEX SEED"

// --- the child -----------------------------------------------------------------------------

void Send(int fd, std::string line) {
  for (char& ch : line) {
    if (ch == '\n') ch = ' ';
  }
  line += '\n';
  // Lines are shorter than PIPE_BUF, so each write is atomic even with two writing threads.
  if (write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(6);
}

// Runs in the child process: opens the engine, says "ready", then writes the planned batches in
// order, reporting "A <k> <outcome letters>" after batch k is acknowledged. With `reindex`, a second
// thread reindexes over and over, reporting "X" before and "Y" after each. Never returns.
[[noreturn]] void WriteUntilKilled(const std::string& dir, int fd, const std::vector<PlannedBatch>& plan,
                                   bool reindex, uint64_t seed) {
  EngineOptions options;
  options.data_dir = dir;
  options.analyzers = analyzers::MakeBuiltinAnalyzers();
  options.refresh_interval = std::chrono::milliseconds(5);  // frequent Xapian commits to die in
  auto engine = Engine::Open(std::move(options));
  if (!engine.ok()) {
    Send(fd, "E open " + engine.status().ToString());
    _exit(3);
  }
  auto opened = engine.value()->GetIndex(kIndexName);
  if (!opened.ok()) {
    Send(fd, "E index " + opened.status().ToString());
    _exit(4);
  }
  std::shared_ptr<Index> index = opened.value();
  Send(fd, "ready");
  if (reindex) {
    std::thread([index, fd, seed] {
      std::mt19937_64 rng(seed);
      for (;;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5 + rng() % 40));
        Send(fd, "X");
        if (Status s = index->Reindex(); !s.ok()) {
          Send(fd, "E reindex " + s.ToString());
          _exit(8);
        }
        Send(fd, "Y");
      }
    }).detach();
  }
  for (size_t k = 0; k < plan.size(); ++k) {
    auto results = index->Write(plan[k].ops);
    if (!results.ok()) {
      Send(fd, "E write " + results.status().ToString());
      _exit(5);
    }
    std::string letters;
    for (const auto& r : results.value()) letters += OutcomeLetter(r);
    Send(fd, "A " + std::to_string(k) + " " + letters);
  }
  Send(fd, "done");
  for (;;) pause();
}

// The child's entry point. Disabled, so it runs only when the crash test starts it.
TEST(CrashRecoveryChild, DISABLED_WriteUntilKilled) {
  const char* spec = std::getenv(kChildEnv);
  if (spec == nullptr) GTEST_SKIP() << "runs only as the child of the crash recovery test";
  std::istringstream in(spec);
  std::string dir, plan_path;
  int fd = -1, reindex = 0;
  uint64_t seed = 0;
  in >> dir >> fd >> plan_path >> reindex >> seed;
  WriteUntilKilled(dir, fd, ParsePlan(ReadFile(plan_path)), reindex != 0, seed);
}

// Starts this program again as the child, with `write_fd` as its report pipe and its own output
// in `log_path`. Returns the child's pid, or -1.
pid_t StartChild(const std::string& dir, int write_fd, const std::string& plan_path, bool reindex, uint64_t seed,
                 const std::string& log_path) {
  // Everything the child needs is built before fork: after it, only async-signal-safe calls.
  const std::string spec = std::string(kChildEnv) + "=" + dir + " " + std::to_string(write_fd) + " " + plan_path +
                           " " + (reindex ? "1" : "0") + " " + std::to_string(seed);
  std::vector<char*> env;
  for (char** e = environ; *e != nullptr; ++e) env.push_back(*e);
  env.push_back(const_cast<char*>(spec.c_str()));
  env.push_back(nullptr);
  const char* argv[] = {"engine_tests", "--gtest_also_run_disabled_tests",
                        "--gtest_filter=CrashRecoveryChild.DISABLED_WriteUntilKilled", nullptr};
  pid_t pid = fork();
  if (pid != 0) return pid;
  int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log >= 0) {
    dup2(log, STDOUT_FILENO);
    dup2(log, STDERR_FILENO);
  }
  fcntl(write_fd, F_SETFD, 0);  // the report pipe survives exec; every other descriptor is close-on-exec
  execve("/proc/self/exe", const_cast<char* const*>(argv), env.data());
  _exit(127);
}

// --- the parent's view of the child ----------------------------------------------------------

struct ChildReport {
  bool ready = false;
  bool done = false;
  int reindex_started = 0;
  int reindex_finished = 0;
  std::vector<std::string> acks;  // outcome letters of batch 0, 1, ... in order
  std::string error;

  void Consume(std::string* buffer) {
    for (size_t nl; (nl = buffer->find('\n')) != std::string::npos; buffer->erase(0, nl + 1)) {
      std::istringstream line(buffer->substr(0, nl));
      std::string kind;
      line >> kind;
      if (kind == "ready") {
        ready = true;
      } else if (kind == "done") {
        done = true;
      } else if (kind == "X") {
        ++reindex_started;
      } else if (kind == "Y") {
        ++reindex_finished;
      } else if (kind == "A") {
        size_t k = 0;
        std::string letters;
        line >> k >> letters;
        if (k != acks.size()) error += "acknowledgement of batch " + std::to_string(k) + " out of order; ";
        acks.push_back(letters);
      } else {
        error += buffer->substr(0, nl) + "; ";
      }
    }
  }
};

// Reads what the child sends until `until` holds, EOF, or `deadline`. Returns false on EOF.
template <typename Pred>
bool ReadUntil(int fd, std::string* buffer, ChildReport* report, std::chrono::steady_clock::time_point deadline,
               Pred until) {
  while (!until()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return true;
    pollfd p{fd, POLLIN, 0};
    int n = poll(&p, 1, static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) continue;
    char chunk[4096];
    ssize_t got = read(fd, chunk, sizeof(chunk));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    buffer->append(chunk, static_cast<size_t>(got));
    report->Consume(buffer);
  }
  return true;
}

// --- checks ------------------------------------------------------------------------------------

std::string Describe(const DocMap& docs, const std::string& id) {
  auto it = docs.find(id);
  return it == docs.end() ? "<absent>" : json::serialize(it->second);
}

// The ids whose documents differ between `a` and `b`, with both versions (at most `limit`).
std::string Differences(const DocMap& a, const DocMap& b, size_t limit = 8) {
  std::set<std::string> ids;
  for (const auto& [id, doc] : a) ids.insert(id);
  for (const auto& [id, doc] : b) ids.insert(id);
  std::string out;
  size_t shown = 0;
  for (const auto& id : ids) {
    if (a.count(id) == b.count(id) && (!a.count(id) || a.at(id) == b.at(id))) continue;
    if (++shown > limit) {
      out += "\n    ...";
      break;
    }
    out += "\n    " + id + ": engine " + Describe(a, id) + " / model " + Describe(b, id);
  }
  return out;
}

// The catalog as the public API shows it: a Get of every id the workload may have written.
DocMap ReadCatalog(const Index& index) {
  DocMap docs;
  for (const auto& id : CrashWorkload::AllIds()) {
    auto got = index.Get(id);
    if (got.status().IsNotFound()) continue;
    EXPECT_TRUE(got.ok()) << id << ": " << got.status().ToString();
    if (!got.ok()) continue;
    EXPECT_EQ(got->id, id);
    json::value parsed = json::parse(got->source_json);
    EXPECT_TRUE(parsed.is_object()) << got->source_json;
    if (parsed.is_object()) docs[id] = parsed.as_object();
  }
  return docs;
}

template <typename Pred>
std::set<std::string> IdsWhere(const DocMap& docs, Pred pred) {
  std::set<std::string> ids;
  for (const auto& [id, doc] : docs) {
    if (pred(doc)) ids.insert(id);
  }
  return ids;
}

// Every hit of `query` (the id space is small), and the reported total.
std::set<std::string> SearchIds(const Index& index, Query query, uint64_t* total = nullptr) {
  SearchRequest request;
  request.query = std::move(query);
  request.size = CrashWorkload::kIds * 2;
  request.fetch_source = false;
  request.reread_in_other_layout = false;  // exact answers only: no keyboard-layout retry
  SearchResult result = MustSearch(index, request);
  std::set<std::string> ids;
  for (const auto& hit : result.hits) EXPECT_TRUE(ids.insert(hit.id).second) << "duplicate hit " << hit.id;
  // A text-index entry whose catalog document is gone is dropped from hits but still counted.
  EXPECT_EQ(result.total, result.hits.size()) << "hits without a catalog document";
  if (total != nullptr) *total = result.total;
  return ids;
}

// Set equality that names the ids on each side of a difference.
::testing::AssertionResult SameIds(const std::set<std::string>& found, const std::set<std::string>& expected) {
  std::string missing, extra;
  for (const auto& id : expected) {
    if (!found.count(id)) missing += " " + id;
  }
  for (const auto& id : found) {
    if (!expected.count(id)) extra += " " + id;
  }
  if (missing.empty() && extra.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "missing:" << (missing.empty() ? " none" : missing)
                                       << "; unexpected:" << (extra.empty() ? " none" : extra);
}

Query WordIn(const std::string& field, const std::string& word) {
  MatchQuery match;
  match.fields = {{field, 1.0}};
  match.text = word;
  match.type = MatchQuery::Type::kBestFields;
  return Query{match};
}

// The text index answers exactly what the catalog holds.
void CheckTextIndexAgrees(const Index& index, const DocMap& docs, const std::set<std::string>& planned_markers,
                          int dynamic_fields) {
  auto stats = index.Stats();
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->documents, docs.size());
  EXPECT_EQ(stats->indexed_documents, docs.size());
  EXPECT_EQ(stats->last_indexed_sequence, stats->last_sequence);

  const std::set<std::string> live = IdsWhere(docs, [](const json::object&) { return true; });
  uint64_t total = 0;
  EXPECT_TRUE(SameIds(SearchIds(index, Query{MatchAllQuery{}}, &total), live)) << "match_all disagrees with the catalog";
  EXPECT_EQ(total, live.size());

  // Each live document is indexed in its current version: its marker finds it...
  std::set<std::string> current;
  TermQuery current_markers{"tags", {}};
  for (const auto& [id, doc] : docs) {
    for (auto& m : MarkersOf(doc)) {
      current.insert(m);
      current_markers.values.push_back(m);
    }
  }
  EXPECT_TRUE(SameIds(SearchIds(index, Query{current_markers}), live)) << "current versions' markers";
  // ...and no marker of an older version or of a write that never happened finds anything.
  TermQuery stale{"tags", {}};
  auto flush = [&] {
    auto found = SearchIds(index, Query{stale});
    EXPECT_TRUE(found.empty()) << "stale versions indexed: " << *found.begin() << " (and " << found.size() - 1
                               << " more)";
    stale.values.clear();
  };
  for (const auto& m : planned_markers) {
    if (current.count(m)) continue;
    stale.values.push_back(m);
    if (stale.values.size() == 1000) flush();
  }
  if (!stale.values.empty()) flush();

  // Words of the text fields, the dynamic ones included, find exactly the documents that have them.
  std::vector<std::string> text_fields = {"name", "specs.color", "specs.size"};
  for (int f = 0; f < dynamic_fields; ++f) text_fields.push_back("extra_" + std::to_string(f));
  auto mapping = json::parse(index.MappingsJson()).at("properties").as_object();
  for (const auto& field : text_fields) {
    const bool dotted = field.find('.') != std::string::npos;
    auto words_of = [&](const json::object& doc) {
      if (!dotted) return WordsOf(doc, field);
      const json::value* specs = doc.if_contains("specs");
      return specs == nullptr ? std::vector<std::string>{} : WordsOf(specs->as_object(), field.substr(6));
    };
    bool in_use = false;
    for (const auto& word : CrashWorkload::Vocabulary()) {
      auto expected = IdsWhere(docs, [&](const json::object& doc) {
        auto words = words_of(doc);
        return std::find(words.begin(), words.end(), word) != words.end();
      });
      in_use |= !expected.empty();
      if (expected.empty() && field != "name" && !dotted) continue;  // keeps the query count small
      EXPECT_TRUE(SameIds(SearchIds(index, WordIn(field, word)), expected)) << "[" << word << "] in " << field;
      if (!dotted && field != "name" && !expected.empty()) {
        EXPECT_TRUE(SameIds(SearchIds(index, Query{TermQuery{field + ".keyword", {word}}}), expected))
            << "[" << word << "] in " << field << ".keyword";
      }
    }
    if (in_use && !dotted) {
      const json::value* mapped = mapping.if_contains(field);
      ASSERT_NE(mapped, nullptr) << "field " << field << " of a stored document is not in the mapping";
      EXPECT_EQ(mapped->at("type").as_string(), "text") << field;
    }
  }
}

// --- the test ----------------------------------------------------------------------------------

TEST(CrashRecoveryTest, AcknowledgedBatchesSurviveSigkillAndInFlightBatchIsAllOrNothing) {
  TempDir dir;   // the engine's data
  TempDir work;  // the plan handed to the child and its output
  {
    auto engine = OpenTestEngine(dir.str());
    ASSERT_NE(engine, nullptr);
    IndexSettings settings;
    settings.mappings_json = CrashWorkload::MappingsJson();
    auto created = engine->CreateIndex(kIndexName, settings);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
  }

  std::mt19937_64 rng(20261129);
  CrashWorkload workload(rng());
  DocMap model;                        // what the engine must hold, exactly
  std::set<std::string> planned_markers;  // every marker any planned write carried
  int in_flight_applied = 0, in_flight_dropped = 0, killed_after_reindex_start = 0, killed_mid_reindex = 0;
  size_t acknowledged_batches = 0;

  for (int round = 0; round < kRounds && !HasFailure(); ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const std::vector<PlannedBatch> plan = workload.Plan(model, kBatchesPerRound);
    const bool reindex = rng() % 3 == 0;
    const unsigned mode = static_cast<unsigned>(rng() % 10);  // 0: kill at ready; 1-3 reindex rounds: during one
    const auto run_for = std::chrono::milliseconds(rng() % kMaxRunMillis);
    const auto reindex_delay = std::chrono::milliseconds(rng() % 30);
    const uint64_t child_seed = rng();

    const std::string plan_path = (work.path() / "plan.tsv").string();
    const std::string log_path = (work.path() / "child.log").string();
    WriteFile(plan_path, SerializePlan(plan));
    int fds[2];
    ASSERT_EQ(pipe2(fds, O_CLOEXEC), 0);
    pid_t child = StartChild(dir.str(), fds[1], plan_path, reindex, child_seed, log_path);
    ASSERT_GE(child, 0);
    close(fds[1]);

    ChildReport report;
    std::string buffer;
    bool open = ReadUntil(fds[0], &buffer, &report, std::chrono::steady_clock::now() + kStartTimeout,
                          [&] { return report.ready || !report.error.empty(); });
    if (open && report.ready && mode != 0) {
      auto stop = [&] { return report.done || !report.error.empty(); };
      if (reindex && mode <= 3) {
        open = ReadUntil(fds[0], &buffer, &report, std::chrono::steady_clock::now() + kStartTimeout,
                         [&] { return stop() || report.reindex_started > 0; });
        if (open && report.reindex_started > 0) {
          ++killed_after_reindex_start;
          open = ReadUntil(fds[0], &buffer, &report, std::chrono::steady_clock::now() + reindex_delay, stop);
        }
      } else {
        open = ReadUntil(fds[0], &buffer, &report, std::chrono::steady_clock::now() + run_for, stop);
      }
    }
    ASSERT_EQ(kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ReadUntil(fds[0], &buffer, &report, std::chrono::steady_clock::now() + std::chrono::seconds(10),
              [] { return false; });
    close(fds[0]);
    ASSERT_TRUE(report.ready) << "the child never opened the engine: " << report.error << "\n" << ReadFile(log_path);
    ASSERT_TRUE(report.error.empty()) << report.error;
    ASSERT_TRUE(WIFSIGNALED(status)) << "the child exited on its own with " << WEXITSTATUS(status);
    if (report.reindex_started > report.reindex_finished) ++killed_mid_reindex;

    // The engine answered every acknowledged operation as Elasticsearch would.
    const size_t acked = report.acks.size();
    ASSERT_LE(acked, plan.size());
    acknowledged_batches += acked;
    DocMap after_acked = model;
    for (size_t k = 0; k < acked; ++k) {
      ApplyToModel(plan[k].ops, &after_acked);
      EXPECT_EQ(report.acks[k], plan[k].expected) << "outcomes of batch " << k;
      for (const auto& op : plan[k].ops) {
        if (!op.json.empty()) {
          for (auto& m : MarkersOf(json::parse(op.json).as_object())) planned_markers.insert(m);
        }
      }
    }
    std::optional<DocMap> after_in_flight;
    if (acked < plan.size()) {
      after_in_flight = after_acked;
      ApplyToModel(plan[acked].ops, &*after_in_flight);
      for (const auto& op : plan[acked].ops) {
        if (!op.json.empty()) {
          for (auto& m : MarkersOf(json::parse(op.json).as_object())) planned_markers.insert(m);
        }
      }
    }

    // Reopen (recovery replays the log), then: acknowledged batches all there, in-flight batch
    // all or nothing, and the text index in exact agreement with the catalog.
    auto engine = OpenTestEngine(dir.str());
    ASSERT_NE(engine, nullptr);
    auto index = engine->GetIndex(kIndexName);
    ASSERT_TRUE(index.ok()) << index.status().ToString();
    DocMap actual = ReadCatalog(*index.value());
    if (actual == after_acked) {
      ++in_flight_dropped;
      model = std::move(after_acked);
    } else if (after_in_flight && actual == *after_in_flight) {
      ++in_flight_applied;
      model = std::move(*after_in_flight);
    } else {
      FAIL() << acked << " batches acknowledged; the catalog matches neither the acknowledged state nor that"
             << " plus the batch in flight.\n  against the acknowledged state:" << Differences(actual, after_acked)
             << (after_in_flight ? "\n  against the state with the batch in flight:" +
                                       Differences(actual, *after_in_flight)
                                 : std::string());
    }
    CheckTextIndexAgrees(*index.value(), model, planned_markers, workload.dynamic_fields());
  }

  // A final reindex in this process must change nothing that a search sees.
  if (!HasFailure()) {
    auto engine = OpenTestEngine(dir.str());
    ASSERT_NE(engine, nullptr);
    auto index = engine->GetIndex(kIndexName);
    ASSERT_TRUE(index.ok());
    ASSERT_TRUE(index.value()->Reindex().ok());
    EXPECT_EQ(ReadCatalog(*index.value()), model);
    CheckTextIndexAgrees(*index.value(), model, planned_markers, workload.dynamic_fields());
  }
  EXPECT_GT(acknowledged_batches, 0u);
  EXPECT_GT(killed_after_reindex_start, 0) << "no round killed the child after a reindex had started";
  RecordProperty("acknowledged_batches", static_cast<int>(acknowledged_batches));
  RecordProperty("in_flight_applied", in_flight_applied);
  RecordProperty("in_flight_dropped", in_flight_dropped);
  RecordProperty("killed_mid_reindex", killed_mid_reindex);
  RecordProperty("live_documents", static_cast<int>(model.size()));
  std::cout << "[ INFO ] " << acknowledged_batches << " acknowledged batches; in-flight batch applied in "
            << in_flight_applied << " rounds, dropped in " << in_flight_dropped << "; " << killed_mid_reindex
            << " kills during a reindex; " << model.size() << " live documents, " << workload.dynamic_fields()
            << " dynamic fields\n";
}

}  // namespace
}  // namespace ultrasearch::testing
