// Backup and restore through the engine API: a backup taken while a writer runs restores exactly
// the state at the backup's sequence number; a damaged or unfinished backup is refused before
// anything changes; names, conflicts and aliases behave as Elasticsearch's snapshot restore.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <thread>

#include "engine/engine_test_util.h"

namespace ultrasearch::testing {
namespace {

namespace fs = std::filesystem;

std::string ProductJson(uint64_t n) {
  return R"({"name":"Samsung telefon model )" + std::to_string(n) + R"(","price":)" + std::to_string(n) + "}";
}

// Every stored document of `index` must be in `expected` with the same source and seq_no, and the
// counts must agree, through the catalog (Get), a match_all search and a text search.
void ExpectSameDocuments(Index& index, const std::map<std::string, std::pair<std::string, uint64_t>>& expected) {
  for (const auto& [id, doc] : expected) {
    auto got = index.Get(id);
    ASSERT_TRUE(got.ok()) << id << ": " << got.status().ToString();
    EXPECT_EQ(got->source_json, doc.first) << id;
    EXPECT_EQ(got->seq_no, doc.second) << id;
  }
  auto stats = index.Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->documents, expected.size());
  EXPECT_EQ(stats->indexed_documents, expected.size());
  EXPECT_EQ(index.Count(Query{MatchAllQuery{}}).value(), expected.size());
  // Every document says "telefon": the rebuilt text index finds them all.
  EXPECT_EQ(index.Count(MatchText("telefon")).value(), expected.size());
}

// Flips one byte in the middle of `path`.
void CorruptByte(const fs::path& path) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  ASSERT_TRUE(f);
  const auto middle = static_cast<std::streamoff>(fs::file_size(path) / 2);
  f.seekg(middle);
  char c = 0;
  f.read(&c, 1);
  c = static_cast<char>(c ^ 0x5a);
  f.seekp(middle);
  f.write(&c, 1);
}

// The largest file of the backup (a table file holding documents).
fs::path LargestFile(const fs::path& dir) {
  fs::path largest;
  uintmax_t size = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && e.file_size() > size) {
      size = e.file_size();
      largest = e.path();
    }
  }
  return largest;
}

bool HasStagingLeftovers(const fs::path& data) {
  for (const auto& e : fs::directory_iterator(data / "indices")) {
    if (e.path().filename().string()[0] == '.') return true;
  }
  return false;
}

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = OpenTestEngine((root_.path() / "live").string());
    ASSERT_NE(engine_, nullptr);
    index_ = engine_->GetOrCreateIndex("products").value();
    for (uint64_t n = 0; n < 50; ++n) ASSERT_TRUE(index_->Put(NumberedId("p", n), ProductJson(n)).ok());
    ASSERT_TRUE(index_->Refresh().ok());
  }
  std::unique_ptr<Engine> FreshEngine(const std::string& name) {
    return OpenTestEngine((root_.path() / name).string());
  }
  Result<BackupManifest> BackupTo(const std::string& name) {
    return engine_->Backup((root_.path() / name).string(), BackupOptions{});
  }

  TempDir root_;
  std::unique_ptr<Engine> engine_;
  std::shared_ptr<Index> index_;
};

TEST_F(BackupTest, BackupUnderWritesRestoresTheStateAtItsSequence) {
  // Expected state by sequence number: id -> (source, seq_no), nullopt for a delete.
  struct Op {
    uint64_t seq;
    std::string id;
    std::optional<std::string> source;
  };
  std::map<std::string, std::pair<std::string, uint64_t>> before;
  for (uint64_t n = 0; n < 50; ++n) {
    auto doc = index_->Get(NumberedId("p", n)).value();
    before[doc.id] = {doc.source_json, doc.seq_no};
  }
  std::vector<Op> ops;  // written by the writer only, read after it joined
  std::atomic<uint64_t> written{0};
  std::atomic<bool> stop{false};
  std::atomic<bool> failed{false};
  std::thread writer([&] {
    for (uint64_t i = 1000; !stop.load(); ++i) {
      const std::string id = NumberedId("p", i % 120);  // updates, new documents, and deletes
      if (i % 5 == 0) {
        auto r = index_->Delete(id);
        if (!r.ok()) failed = true;
        if (r.ok()) ops.push_back({r->seq_no, id, std::nullopt});
      } else {
        auto r = index_->Put(id, ProductJson(i));
        if (!r.ok()) failed = true;
        if (r.ok()) ops.push_back({r->seq_no, id, ProductJson(i)});
      }
      written.fetch_add(1);
    }
  });
  while (written.load() < 200) std::this_thread::yield();
  const uint64_t seq_before_backup = index_->Stats()->last_sequence;
  auto manifest = BackupTo("backup");
  const uint64_t written_at_backup = written.load();
  while (written.load() < written_at_backup + 200) std::this_thread::yield();  // and writes go on
  stop = true;
  writer.join();
  ASSERT_FALSE(failed.load());
  ASSERT_TRUE(manifest.ok()) << manifest.status().ToString();

  ASSERT_EQ(manifest->indices.size(), 1u);
  const BackupIndex& backed = manifest->indices[0];
  EXPECT_EQ(backed.name, "products");
  const uint64_t seq = backed.last_sequence;
  EXPECT_GE(seq, seq_before_backup);
  EXPECT_LT(seq, index_->Stats()->last_sequence);  // writes after the backup are not in it
  EXPECT_FALSE(backed.files.empty());
  EXPECT_NE(backed.mappings_json.find("\"name\""), std::string::npos);

  std::map<std::string, std::pair<std::string, uint64_t>> expected = before;
  for (const Op& op : ops) {
    // _seq_no counts from 0 and the change log from 1: the write of sequence S has seq_no S-1.
    if (op.seq + 1 > seq) break;  // one writer: seq_no grows along ops
    if (op.source) {
      expected[op.id] = {*op.source, op.seq};
    } else {
      expected.erase(op.id);
    }
  }
  EXPECT_EQ(backed.documents, expected.size());

  auto target = FreshEngine("restored");
  ASSERT_NE(target, nullptr);
  auto restored = target->Restore((root_.path() / "backup").string(), RestoreOptions{});
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  ASSERT_EQ(restored->indices.size(), 1u);
  EXPECT_EQ(restored->indices[0].name, "products");
  auto index = target->GetIndex("products");
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  ExpectSameDocuments(*index.value(), expected);
  EXPECT_EQ(index.value()->Stats()->last_sequence, seq);
  // The restored index takes writes after the backup's sequence.
  auto next = index.value()->Put("new", ProductJson(1));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->seq_no + 1, seq + 1);
}

TEST_F(BackupTest, CorruptedFileIsRefusedBeforeAnythingChanges) {
  ASSERT_TRUE(BackupTo("backup").ok());
  CorruptByte(LargestFile(root_.path() / "backup" / "indices"));

  auto target = FreshEngine("restored");
  auto restored = target->Restore((root_.path() / "backup").string(), RestoreOptions{});
  ASSERT_FALSE(restored.ok());
  EXPECT_TRUE(restored.status().IsCorruption()) << restored.status().ToString();
  EXPECT_TRUE(target->ListIndices().empty());
  EXPECT_FALSE(HasStagingLeftovers(root_.path() / "restored"));

  // Asked to replace the live index, it still changes nothing.
  ASSERT_TRUE(index_->Put("extra", ProductJson(7)).ok());
  RestoreOptions replace;
  replace.replace_existing = true;
  auto refused = engine_->Restore((root_.path() / "backup").string(), replace);
  EXPECT_TRUE(refused.status().IsCorruption()) << refused.status().ToString();
  EXPECT_TRUE(index_->Get("extra").ok());
  EXPECT_EQ(index_->Stats()->documents, 51u);
}

TEST_F(BackupTest, TruncatedFileIsRefused) {
  ASSERT_TRUE(BackupTo("backup").ok());
  const fs::path file = LargestFile(root_.path() / "backup" / "indices");
  fs::resize_file(file, fs::file_size(file) - 1);
  auto target = FreshEngine("restored");
  auto restored = target->Restore((root_.path() / "backup").string(), RestoreOptions{});
  EXPECT_TRUE(restored.status().IsCorruption()) << restored.status().ToString();
  EXPECT_TRUE(target->ListIndices().empty());
}

TEST_F(BackupTest, MissingManifestIsRefused) {
  ASSERT_TRUE(BackupTo("backup").ok());
  fs::remove(root_.path() / "backup" / "manifest.json");  // as a backup cut short looks
  auto target = FreshEngine("restored");
  auto restored = target->Restore((root_.path() / "backup").string(), RestoreOptions{});
  EXPECT_TRUE(restored.status().IsNotFound()) << restored.status().ToString();
  EXPECT_TRUE(target->ListIndices().empty());
  EXPECT_FALSE(HasStagingLeftovers(root_.path() / "restored"));
}

TEST_F(BackupTest, DestinationMustBeEmptyAndIndicesMustExist) {
  fs::create_directories(root_.path() / "used");
  WriteFile(root_.path() / "used" / "something", "x");
  EXPECT_TRUE(BackupTo("used").status().IsConflict());
  BackupOptions missing;
  missing.indices = std::vector<std::string>{"nope"};
  EXPECT_TRUE(engine_->Backup((root_.path() / "b2").string(), missing).status().IsNotFound());
  EXPECT_FALSE(fs::exists(root_.path() / "b2"));
}

TEST_F(BackupTest, ExistingIndexIsAConflictUnlessRenamedOrReplaced) {
  ASSERT_TRUE(BackupTo("backup").ok());
  const std::string src = (root_.path() / "backup").string();
  ASSERT_TRUE(index_->Put("later", ProductJson(99)).ok());

  auto conflict = engine_->Restore(src, RestoreOptions{});
  EXPECT_TRUE(conflict.status().IsConflict()) << conflict.status().ToString();
  EXPECT_TRUE(index_->Get("later").ok());

  RestoreOptions renamed;
  renamed.rename_pattern = "(.+)";
  renamed.rename_replacement = "restored-$1";
  auto copy = engine_->Restore(src, renamed);
  ASSERT_TRUE(copy.ok()) << copy.status().ToString();
  EXPECT_EQ(copy->indices[0].name, "restored-products");
  auto restored = engine_->GetIndex("restored-products").value();
  EXPECT_EQ(restored->Stats()->documents, 50u);
  EXPECT_TRUE(restored->Get("later").status().IsNotFound());

  RestoreOptions replace;
  replace.replace_existing = true;
  ASSERT_TRUE(engine_->Restore(src, replace).ok());
  auto products = engine_->GetIndex("products").value();
  EXPECT_TRUE(products->Get("later").status().IsNotFound());
  EXPECT_EQ(products->Count(MatchText("telefon")).value(), 50u);
  EXPECT_TRUE(index_->Get("p1").status().code() == Status::Code::kUnavailable);  // the old handle is closed

  RestoreOptions bad;
  bad.rename_to = "Upper";
  EXPECT_TRUE(engine_->Restore(src, bad).status().IsInvalidArgument());
}

TEST_F(BackupTest, AliasesTravelWithTheirIndices) {
  AliasAction add;
  add.indices = {"products"};
  add.aliases = {"shop"};
  add.is_write_index = true;
  ASSERT_TRUE(engine_->UpdateAliases({add}).ok());
  auto manifest = BackupTo("backup");
  ASSERT_TRUE(manifest.ok());
  ASSERT_EQ(manifest->aliases.size(), 1u);

  auto target = FreshEngine("restored");
  auto restored = target->Restore((root_.path() / "backup").string(), RestoreOptions{});
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  EXPECT_EQ(target->IndicesOfAlias("shop"), std::vector<std::string>{"products"});
  EXPECT_EQ(target->WriteIndexOf("shop").value(), "products");

  auto other = FreshEngine("without-aliases");
  RestoreOptions no_aliases;
  no_aliases.include_aliases = false;
  ASSERT_TRUE(other->Restore((root_.path() / "backup").string(), no_aliases).ok());
  EXPECT_TRUE(other->ListAliases().empty());
}

TEST_F(BackupTest, ManifestIsReadableAndVerifiable) {
  auto written = BackupTo("backup");
  ASSERT_TRUE(written.ok());
  auto read = ReadBackupManifest((root_.path() / "backup").string());
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->uuid, written->uuid);
  EXPECT_EQ(read->uuid.size(), 22u);
  EXPECT_EQ(read->TotalBytes(), written->TotalBytes());
  EXPECT_LE(read->start_time_ms, read->end_time_ms);
  EXPECT_TRUE(VerifyBackup((root_.path() / "backup").string(), *read).ok());
  EXPECT_TRUE(ReadBackupManifest((root_.path() / "nothing").string()).status().IsNotFound());
}

}  // namespace
}  // namespace ultrasearch::testing
