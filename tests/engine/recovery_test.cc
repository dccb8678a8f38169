// Recovery paths other than SIGKILL: a text index ahead of its catalog is rebuilt from the catalog.
#include <algorithm>
#include <filesystem>
#include <random>

#include "engine/engine_test_util.h"

namespace ultrasearch::testing {
namespace {

namespace fs = std::filesystem;

void PutAll(Index& index, const std::vector<std::string>& ids) {
  for (const auto& id : ids) ASSERT_TRUE(index.Put(id, R"({"name":"Artel televizor )" + id + R"("})").ok());
  ASSERT_TRUE(index.Refresh().ok());
}

TEST(RecoveryTest, TextIndexAheadOfTheCatalogIsRebuiltFromTheCatalog) {
  TempDir root;
  const fs::path live = root.path() / "live", older = root.path() / "older";
  {
    auto engine = OpenTestEngine(live.string());
    auto index = engine->GetOrCreateIndex("products").value();
    PutAll(*index, {"a", "b"});
  }
  fs::copy(live, older, fs::copy_options::recursive);  // a backup of the whole data directory
  {
    auto engine = OpenTestEngine(live.string());
    auto index = engine->GetOrCreateIndex("products").value();
    PutAll(*index, {"c", "d", "e"});
  }
  // Put the newer text index beside the older catalog: the text index is now ahead.
  const fs::path text = fs::path("indices") / "products" / "text.1";
  fs::remove_all(older / text);
  fs::copy(live / text, older / text, fs::copy_options::recursive);

  auto engine = OpenTestEngine(older.string());
  auto index = engine->GetIndex("products");
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  auto stats = index.value()->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->documents, 2u);
  EXPECT_EQ(stats->indexed_documents, 2u);
  EXPECT_EQ(stats->last_indexed_sequence, stats->last_sequence);
  EXPECT_EQ(MustSearch(*index.value(), MatchRequest("televizor")).total, 2u);
  EXPECT_TRUE(index.value()->Get("c").status().IsNotFound());
  // And it keeps working as usual.
  ASSERT_TRUE(index.value()->Put("f", R"({"name":"Artel televizor f"})").ok());
  ASSERT_TRUE(index.value()->Refresh().ok());
  EXPECT_EQ(MustSearch(*index.value(), MatchRequest("televizor")).total, 3u);
}

TEST(RecoveryTest, ReindexWhileWritingLosesNothing) {
  TempDir dir;
  auto engine = OpenTestEngine(dir.str());
  auto index = engine->GetOrCreateIndex("products").value();
  std::vector<WriteOp> ops;
  for (int i = 0; i < 2000; ++i) {
    ops.push_back({WriteOp::Type::kIndex, NumberedId("r", static_cast<uint64_t>(i)), std::string(R"({"name":"Changyutgich )").append(std::to_string(i)).append(R"("})")});
  }
  ASSERT_TRUE(index->Write(ops).ok());
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < 300; ++i) {
      // New fields appear during the reindex too: dynamic mapping must not be lost.
      ASSERT_TRUE(index->Put(NumberedId("w", static_cast<uint64_t>(i)), std::string(R"({"name":"Changyutgich new","extra_)").append(std::to_string(i % 3)).append(R"(":"x"})")).ok());
    }
    done = true;
  });
  Status s = index->Reindex();
  writer.join();
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_TRUE(index->Refresh().ok());
  EXPECT_EQ(MustSearch(*index, MatchRequest("changyutgich")).total, 2300u);
  auto stats = index->Stats().value();
  EXPECT_EQ(stats.documents, 2300u);
  EXPECT_EQ(stats.indexed_documents, 2300u);
  auto extra = index->Count(Query{ExistsQuery{"extra_1"}});
  ASSERT_TRUE(extra.ok());
  EXPECT_EQ(*extra, 100u);
}


// A reindex loads the catalog in batches sorted by docid and commits along the way. The catalog is
// read in id order, which is not the order documents were first written (unpadded numbers, written
// shuffled): every live document must still come back under its own id, updated ones with their
// last version, deleted ones not at all, and no scratch directory may stay behind.
TEST(RecoveryTest, ReindexOfManyBatchesInAnotherOrderThanTheIdsKeepsEachDocumentItsOwn) {
  TempDir root;
  auto engine = OpenTestEngine(root.str());
  auto index = engine->GetOrCreateIndex("products").value();
  constexpr int kDocs = 4500;  // several load batches and commits
  std::vector<int> order(kDocs);
  for (int i = 0; i < kDocs; ++i) order[i] = i + 1;
  std::mt19937 rng(7);
  std::shuffle(order.begin(), order.end(), rng);
  auto name = [](const char* words, int n) { return std::string(R"({"name":")") + words + " " + std::to_string(n) + R"("})"; };
  std::vector<WriteOp> ops;
  for (int n : order) ops.push_back({WriteOp::Type::kIndex, std::to_string(n), name("Artel televizor", n)});
  ASSERT_TRUE(index->Write(ops).ok());
  ops.clear();
  for (int n = 1; n <= 100; ++n) ops.push_back({WriteOp::Type::kIndex, std::to_string(n), name("Samsung muzlatgich", n)});
  for (int n = 4451; n <= kDocs; ++n) ops.push_back({WriteOp::Type::kDelete, std::to_string(n), ""});
  ASSERT_TRUE(index->Write(ops).ok());

  Status s = index->Reindex();
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_TRUE(index->Refresh().ok());
  EXPECT_EQ(index->Stats().value().indexed_documents, 4450u);
  EXPECT_EQ(MustSearch(*index, MatchRequest("muzlatgich")).total, 100u);
  EXPECT_EQ(MustSearch(*index, MatchRequest("televizor")).total, 4350u);
  for (int n = 1; n <= kDocs; ++n) {
    auto found = MustSearch(*index, MatchRequest(std::to_string(n)));
    if (n > 4450) {
      EXPECT_EQ(found.total, 0u) << n << " was deleted";
      continue;
    }
    ASSERT_EQ(found.total, 1u) << n;
    EXPECT_EQ(found.hits[0].id, std::to_string(n));
    EXPECT_EQ(found.hits[0].source_json, name(n <= 100 ? "Samsung muzlatgich" : "Artel televizor", n));
  }
  for (const auto& entry : fs::directory_iterator(root.path() / "indices" / "products")) {
    EXPECT_EQ(entry.path().filename().string().find(".load"), std::string::npos) << entry.path();
  }
}

// An unreadable pointer to the live text directory is an error that says what to do; nothing is
// deleted on a guess, and once the pointer is put right the index opens with everything in it.
TEST(RecoveryTest, GarbledTextPointerIsAnErrorAndDeletesNothing) {
  TempDir root;
  {
    auto engine = OpenTestEngine(root.str());
    auto index = engine->GetOrCreateIndex("products").value();
    PutAll(*index, {"a", "b"});
    ASSERT_TRUE(index->Reindex().ok());  // the live directory is now text.2
  }
  const fs::path index_dir = root.path() / "indices" / "products";
  ASSERT_TRUE(fs::is_directory(index_dir / "text.2"));
  for (const std::string& garbage : {std::string("\x01\x02nonsense"), std::string(""), std::string("text.9\n")}) {
    WriteFile(index_dir / "TEXT_CURRENT", garbage);
    auto engine = OpenTestEngine(root.str());
    auto index = engine->GetIndex("products");
    ASSERT_FALSE(index.ok()) << "opened with TEXT_CURRENT = " << garbage;
    EXPECT_TRUE(index.status().IsCorruption()) << index.status().ToString();
    EXPECT_NE(index.status().message().find("TEXT_CURRENT"), std::string::npos) << index.status().ToString();
    EXPECT_TRUE(fs::is_directory(index_dir / "text.2")) << "the live text directory was removed";
  }
  WriteFile(index_dir / "TEXT_CURRENT", "text.2\n");
  auto engine = OpenTestEngine(root.str());
  auto index = engine->GetIndex("products");
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  EXPECT_EQ(MustSearch(*index.value(), MatchRequest("televizor")).total, 2u);
}

// A missing pointer with only a later text directory (text.1 long gone) cannot say which is live.
// (Beside text.1 it can: text.1 is live until the first swap writes the pointer.)
TEST(RecoveryTest, MissingTextPointerBesideALaterTextDirectoryIsAnError) {
  TempDir root;
  {
    auto engine = OpenTestEngine(root.str());
    auto index = engine->GetOrCreateIndex("products").value();
    PutAll(*index, {"a"});
    ASSERT_TRUE(index->Reindex().ok());
  }
  const fs::path index_dir = root.path() / "indices" / "products";
  {
    auto engine = OpenTestEngine(root.str());  // this open removes the superseded text.1
    ASSERT_TRUE(engine->GetIndex("products").ok());
  }
  ASSERT_FALSE(fs::exists(index_dir / "text.1"));
  fs::remove(index_dir / "TEXT_CURRENT");
  {
    auto engine = OpenTestEngine(root.str());
    auto index = engine->GetIndex("products");
    ASSERT_FALSE(index.ok());
    EXPECT_TRUE(index.status().IsCorruption()) << index.status().ToString();
    EXPECT_TRUE(fs::is_directory(index_dir / "text.2"));
  }
  // Following the advice (remove the text directories) rebuilds the text index from the catalog.
  fs::remove_all(index_dir / "text.2");
  auto engine = OpenTestEngine(root.str());
  auto index = engine->GetIndex("products");
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  EXPECT_EQ(MustSearch(*index.value(), MatchRequest("televizor")).total, 1u);
}

}  // namespace
}  // namespace ultrasearch::testing
