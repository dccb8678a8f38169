// `ultrasearch backup` and `ultrasearch restore` as an operator runs them: a backup restored into a
// fresh data directory answers searches as the original does; damaged or unfinished backups and
// existing indices are refused with a clear message and a non-zero exit; a data directory a
// server holds is refused with a pointer to the HTTP snapshot API.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <set>

#include "support/test_support.h"

namespace ultrasearch::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The total and the set of hit ids of a --json search.
std::pair<int64_t, std::set<std::string>> SearchIds(const std::string& data, const std::string& index,
                                                    const std::string& query) {
  auto r = RunUltrasearch({"search", "--data", data, "--index", index, "--json", "--size", "1000", query});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::set<std::string> ids;
  if (r.exit_code != 0) return {-1, ids};
  json::value v = json::parse(r.out);
  for (const auto& hit : v.at("hits").at("hits").as_array()) ids.emplace(hit.at("_id").as_string());
  return {v.at("hits").at("total").at("value").as_int64(), ids};
}

class BackupCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto import = RunUltrasearch({"import", "--data", Live(), FixturePath("products.ndjson").string()});
    ASSERT_EQ(import.exit_code, 0) << import.err;
  }
  std::string Live() const { return (root_.path() / "live").string(); }
  std::string Path(const std::string& name) const { return (root_.path() / name).string(); }

  TempDir root_;
};

TEST_F(BackupCliTest, BackupThenRestoreIntoAFreshDataDirectoryIsSearchable) {
  auto backup = RunUltrasearch({"backup", "--data", Live(), Path("backup")});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_TRUE(Contains(backup.out, "backed up 1 indices (346 documents")) << backup.out;
  EXPECT_TRUE(fs::exists(root_.path() / "backup" / "manifest.json"));

  auto restore = RunUltrasearch({"restore", "--data", Path("fresh"), Path("backup")});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  EXPECT_TRUE(Contains(restore.out, "restored 1 indices (products; 346 documents)")) << restore.out;

  for (const std::string query : {"samsung", "televizor", "холодильник"}) {
    auto original = SearchIds(Live(), "products", query);
    auto restored = SearchIds(Path("fresh"), "products", query);
    EXPECT_GT(original.first, 0) << query;
    EXPECT_EQ(restored.first, original.first) << query;
    EXPECT_EQ(restored.second, original.second) << query;
  }
}

TEST_F(BackupCliTest, ExistingIndexIsRefusedUnlessRenamedOrReplaced) {
  ASSERT_EQ(RunUltrasearch({"backup", "--data", Live(), "--index", "products", Path("backup")}).exit_code, 0);
  auto again = RunUltrasearch({"restore", "--data", Live(), Path("backup")});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_TRUE(Contains(again.err, "already exists")) << again.err;
  EXPECT_TRUE(Contains(again.err, "--rename-to")) << again.err;

  auto renamed =
      RunUltrasearch({"restore", "--data", Live(), "--index", "products", "--rename-to", "copy", Path("backup")});
  ASSERT_EQ(renamed.exit_code, 0) << renamed.err;
  EXPECT_TRUE(Contains(renamed.out, "products as copy")) << renamed.out;
  EXPECT_EQ(SearchIds(Live(), "copy", "samsung"), SearchIds(Live(), "products", "samsung"));

  auto replaced = RunUltrasearch({"restore", "--data", Live(), "--replace", Path("backup")});
  EXPECT_EQ(replaced.exit_code, 0) << replaced.err;

  auto lonely = RunUltrasearch({"restore", "--data", Live(), "--rename-to", "x", Path("backup")});
  EXPECT_EQ(lonely.exit_code, 2);
}

TEST_F(BackupCliTest, DamagedOrUnfinishedBackupsAreRefusedAndChangeNothing) {
  ASSERT_EQ(RunUltrasearch({"backup", "--data", Live(), Path("backup")}).exit_code, 0);
  // Damage the largest file (a table of documents).
  fs::path largest;
  uintmax_t size = 0;
  for (const auto& e : fs::recursive_directory_iterator(root_.path() / "backup" / "indices")) {
    if (e.is_regular_file() && e.file_size() > size) {
      size = e.file_size();
      largest = e.path();
    }
  }
  {
    std::fstream f(largest, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size / 2));
    f.put('\x7f');
    f.seekp(static_cast<std::streamoff>(size / 2 + 1));
    f.put('\x01');
  }
  auto damaged = RunUltrasearch({"restore", "--data", Path("fresh"), Path("backup")});
  EXPECT_EQ(damaged.exit_code, 2);
  EXPECT_TRUE(Contains(damaged.err, "does not match its checksum")) << damaged.err;
  EXPECT_TRUE(fs::is_empty(root_.path() / "fresh" / "indices"));

  ASSERT_EQ(RunUltrasearch({"backup", "--data", Live(), Path("cut")}).exit_code, 0);
  fs::remove(root_.path() / "cut" / "manifest.json");
  auto cut = RunUltrasearch({"restore", "--data", Path("fresh"), Path("cut")});
  EXPECT_EQ(cut.exit_code, 2);
  EXPECT_TRUE(Contains(cut.err, "no manifest.json")) << cut.err;
  EXPECT_TRUE(fs::is_empty(root_.path() / "fresh" / "indices"));

  auto taken = RunUltrasearch({"backup", "--data", Live(), Path("cut")});  // not empty
  EXPECT_EQ(taken.exit_code, 2);
  EXPECT_TRUE(Contains(taken.err, "not an empty directory")) << taken.err;
}

TEST_F(BackupCliTest, DataDirectoryHeldByAServerPointsToTheSnapshotApi) {
  // Hold the data directory's lock as `ultrasearch serve` does.
  int fd = ::open((root_.path() / "live" / "LOCK").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  auto backup = RunUltrasearch({"backup", "--data", Live(), Path("backup")});
  auto restore = RunUltrasearch({"restore", "--data", Live(), Path("backup")});
  ::close(fd);
  EXPECT_EQ(backup.exit_code, 2);
  EXPECT_TRUE(Contains(backup.err, "PUT /_snapshot/REPO/SNAP?wait_for_completion=true")) << backup.err;
  EXPECT_FALSE(fs::exists(root_.path() / "backup"));
  EXPECT_EQ(restore.exit_code, 2);
  EXPECT_TRUE(Contains(restore.err, "POST /_snapshot/REPO/SNAP/_restore")) << restore.err;
}

}  // namespace
}  // namespace ultrasearch::testing
