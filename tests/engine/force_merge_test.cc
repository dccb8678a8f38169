// Index::ForceMerge: both stores compacted after a bulk load, nothing lost, writes during it kept.
#include <atomic>
#include <filesystem>
#include <thread>

#include "engine/engine_test_util.h"

namespace ultrasearch::testing {
namespace {

namespace fs = std::filesystem;

// Loads `n` products in batches of `batch`, refreshing after each: many small commits, as a
// storefront's trickle of updates or an import with frequent refreshes leaves the text index.
void LoadInBatches(Index& index, int n, int batch, std::string_view prefix) {
  for (int start = 0; start < n; start += batch) {
    std::vector<WriteOp> ops;
    for (int i = start; i < std::min(n, start + batch); ++i) {
      std::string source = R"({"name":"Artel muzlatgich model )" + std::to_string(i) +
                           R"(","description":"Ikki kamerali sovutgich, no frost, A+ sinf, kafolat )" +
                           std::to_string(i % 7) + R"( yil","brand":"Artel","price":)" + std::to_string(1000 + i) +
                           "}";
      ops.push_back({WriteOp::Type::kIndex, NumberedId(prefix, static_cast<uint64_t>(i)), std::move(source)});
    }
    auto written = index.Write(ops);
    ASSERT_TRUE(written.ok()) << written.status().ToString();
    ASSERT_TRUE(index.Refresh().ok());
  }
}

std::vector<std::string> TextDirs(const fs::path& index_dir) {
  std::vector<std::string> dirs;
  for (const auto& entry : fs::directory_iterator(index_dir)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("text.", 0) == 0) dirs.push_back(name);
  }
  return dirs;
}

TEST_F(ProductsIndexTest, ForceMergeShrinksTheIndexAndKeepsEveryDocument) {
  LoadInBatches(*index_, 3000, 50, "p");
  const uint64_t before = index_->Stats().value().size_on_disk_bytes;
  const SearchResult page_before = MustSearch(*index_, MatchRequest("muzlatgich model 1234"));

  Status merged = index_->ForceMerge();
  ASSERT_TRUE(merged.ok()) << merged.ToString();

  auto stats = index_->Stats().value();
  EXPECT_EQ(stats.documents, 3000u);
  EXPECT_EQ(stats.indexed_documents, 3000u);
  EXPECT_EQ(stats.last_indexed_sequence, stats.last_sequence);
  // Sixty commits leave the B-trees' blocks part full and the catalog in its logs; the compacted
  // copy packs them. The old text directory is gone once no search reads it.
  EXPECT_LT(stats.size_on_disk_bytes, before) << "before " << before << ", after " << stats.size_on_disk_bytes;
  EXPECT_EQ(TextDirs(dir_.path() / "indices" / "products").size(), 1u);

  // The same documents answer the same query in the same order: docids are kept.
  const SearchResult page_after = MustSearch(*index_, MatchRequest("muzlatgich model 1234"));
  EXPECT_EQ(page_after.total, page_before.total);
  EXPECT_EQ(HitIds(page_after), HitIds(page_before));
  auto doc = index_->Get("p2999");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();

  // And the index goes on taking writes, deletes included, and reopens as it was.
  ASSERT_TRUE(index_->Put("late", R"({"name":"Shivaki muzlatgich"})").ok());
  ASSERT_TRUE(index_->Delete("p0").ok());
  ASSERT_TRUE(index_->Refresh().ok());
  EXPECT_EQ(MustSearch(*index_, MatchRequest("muzlatgich")).total, 3000u);
  index_.reset();
  engine_.reset();
  engine_ = OpenTestEngine(dir_.str());
  auto reopened = engine_->GetIndex("products");
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ(MustSearch(*reopened.value(), MatchRequest("muzlatgich")).total, 3000u);
  EXPECT_EQ(MustSearch(*reopened.value(), MatchRequest("shivaki")).total, 1u);
}

TEST_F(ProductsIndexTest, WritesDuringForceMergeAreKept) {
  LoadInBatches(*index_, 2000, 200, "p");
  std::thread writer([&] {
    // Writes and refreshes while the copy is made: the swap replays them from the change log.
    for (int i = 0; i < 300; ++i) {
      ASSERT_TRUE(index_->Put(NumberedId("w", static_cast<uint64_t>(i)), R"({"name":"Changyutgich Samsung"})").ok());
      if (i % 50 == 0) {
        ASSERT_TRUE(index_->Refresh().ok());
      }
    }
    for (int i = 0; i < 100; ++i) ASSERT_TRUE(index_->Delete(NumberedId("p", static_cast<uint64_t>(i))).ok());
  });
  Status merged = index_->ForceMerge();
  writer.join();
  ASSERT_TRUE(merged.ok()) << merged.ToString();
  ASSERT_TRUE(index_->Refresh().ok());
  EXPECT_EQ(MustSearch(*index_, MatchRequest("changyutgich")).total, 300u);
  EXPECT_EQ(MustSearch(*index_, MatchRequest("muzlatgich")).total, 1900u);
  auto stats = index_->Stats().value();
  EXPECT_EQ(stats.documents, 2200u);
  EXPECT_EQ(stats.indexed_documents, 2200u);
}

// A search that holds the old text directory keeps reading it; it is removed after the search.
TEST_F(ProductsIndexTest, ForceMergeWhileSearchingAnswersEverySearch) {
  LoadInBatches(*index_, 1500, 100, "p");
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0}, searches{0};
  std::thread searcher([&] {
    while (!stop) {
      auto r = index_->Search(MatchRequest("muzlatgich"));
      if (!r.ok() || r->total != 1500u) ++failures;
      ++searches;
    }
  });
  for (int round = 0; round < 3; ++round) {
    Status merged = index_->ForceMerge();
    ASSERT_TRUE(merged.ok()) << merged.ToString();
  }
  stop = true;
  searcher.join();
  EXPECT_EQ(failures.load(), 0) << "of " << searches.load() << " searches";
  ASSERT_TRUE(index_->Refresh().ok());  // the first refresh after the last old search removes it
  EXPECT_EQ(TextDirs(dir_.path() / "indices" / "products").size(), 1u);
}

}  // namespace
}  // namespace ultrasearch::testing
