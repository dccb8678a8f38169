// Searches, reads, writes, refreshes and reindexes of one index from several threads at once,
// through the engine API. Each test checks outcomes (every call succeeds, nothing acknowledged is
// lost, a reader never sees the visible set shrink) rather than timings; scripts/test-sanitizers
// also runs them under ThreadSanitizer, which checks the interleavings themselves.
#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine_test_util.h"

namespace ultrasearch::testing {
namespace {

// The first few problems seen by any thread; gtest assertions stay on the main thread.
class Problems {
 public:
  void Add(std::string what) {
    std::lock_guard<std::mutex> lock(mu_);
    ++count_;
    if (first_.size() < 5) first_.push_back(std::move(what));
  }
  int count() const {
    std::lock_guard<std::mutex> lock(mu_);
    return count_;
  }
  std::string Summary() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::string out;
    for (const auto& p : first_) out += p + "\n";
    return out;
  }

 private:
  mutable std::mutex mu_;
  int count_ = 0;
  std::vector<std::string> first_;
};

std::string Product(std::string_view name, int price) {
  std::string json = R"({"name":")";
  json += name;
  json += R"(","brand":"Artel","price":)";
  json += std::to_string(price);
  json += "}";
  return json;
}

SearchRequest TermRequest(const std::string& field, const std::string& value) {
  SearchRequest request;
  request.query.node = TermQuery{field, {value}};
  return request;
}

class ConcurrencyTest : public ProductsIndexTest {
 protected:
  // `count` televisions with ids tv0..tv{count-1}, refreshed.
  void LoadTelevisions(int count) {
    std::vector<WriteOp> ops;
    for (int i = 0; i < count; ++i) {
      ops.push_back({WriteOp::Type::kIndex, NumberedId("tv", i), Product("Artel televizor " + std::to_string(i), 1000 + i)});
    }
    auto results = index_->Write(ops);
    ASSERT_TRUE(results.ok()) << results.status().ToString();
    for (const auto& r : *results) ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    ASSERT_TRUE(index_->Refresh().ok());
  }

  // Searches "televizor" until `stop`: every search succeeds, and since televisions are only ever
  // added or rewritten as televisions, the total this reader sees never falls below `floor`, nor,
  // when `monotonic`, below what it saw before (refreshes and reindex swaps included).
  void ReadTelevisions(const std::atomic<bool>& stop, uint64_t floor, bool monotonic, Problems* problems) {
    uint64_t last = floor;
    do {
      auto result = index_->Search(MatchRequest("televizor"));
      if (!result.ok()) {
        problems->Add("search failed: " + result.status().ToString());
      } else if (result->total < last) {
        problems->Add("televisions went from " + std::to_string(last) + " to " + std::to_string(result->total));
      } else if (monotonic) {
        last = result->total;
      }
      auto doc = index_->Get("tv0");
      if (!doc.ok()) problems->Add("Get(tv0) failed: " + doc.status().ToString());
      auto count = index_->Count(Query{});
      if (!count.ok()) problems->Add("count failed: " + count.status().ToString());
    } while (!stop.load());
  }

  // The storefront under catalog churn: readers search while one thread writes (new documents,
  // rewrites, partial updates, deletes of its own documents), one refreshes, and the main thread
  // rebuilds the text index twice.
  void RunChurn(bool monotonic);
};

TEST_F(ConcurrencyTest, SearchesDuringWritesRefreshesAndReindexesAllSucceed) { RunChurn(/*monotonic=*/false); }

// A reader must never see a refreshed document disappear: Elasticsearch keeps what a refresh made
// visible. Regression: a reader saw "televizor" go from 204 hits to 203 while documents were
// rewritten, refreshed and reindexed (under ThreadSanitizer's slower scheduling): a reader handle
// opened during a commit showed more than another handle labelled with the same generation, and a
// thread leasing the two in turn went back in time (ReaderPool::HoldOpens).
TEST_F(ConcurrencyTest, ReadersNeverSeeRefreshedDocumentsDisappear) { RunChurn(/*monotonic=*/true); }

void ConcurrencyTest::RunChurn(bool monotonic) {
  constexpr int kInitial = 200, kRounds = 150;
  LoadTelevisions(kInitial);
  std::atomic<bool> stop{false};
  Problems problems;
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) threads.emplace_back([&] { ReadTelevisions(stop, kInitial, monotonic, &problems); });
  threads.emplace_back([&] {
    do {
      if (Status s = index_->Refresh(); !s.ok()) problems.Add("refresh failed: " + s.ToString());
    } while (!stop.load());
  });
  std::thread writer([&] {
    for (int i = 0; i < kRounds; ++i) {
      auto added = index_->Put(NumberedId("new-tv", i), Product("Samsung televizor " + std::to_string(i), 2000 + i));
      auto rewritten = index_->Put(NumberedId("tv", i % kInitial), Product("Artel televizor qayta " + std::to_string(i), 3000 + i));
      auto updated = index_->Update(NumberedId("tv", (i * 7) % kInitial), R"({"price":5})");
      auto other = index_->Put(NumberedId("fridge", i), Product("Artel muzlatgich " + std::to_string(i), 4000 + i));
      for (const Status& s : {added.status(), rewritten.status(), updated.status(), other.status()}) {
        if (!s.ok()) problems.Add("write failed: " + s.ToString());
      }
      if (i % 2 == 1) {
        auto deleted = index_->Delete(NumberedId("fridge", i - 1));
        if (!deleted.ok()) problems.Add("delete failed: " + deleted.status().ToString());
      }
    }
  });
  for (int r = 0; r < 2; ++r) {
    Status s = index_->Reindex();
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  writer.join();
  stop.store(true);
  for (auto& t : threads) t.join();
  EXPECT_EQ(problems.count(), 0) << problems.Summary();

  ASSERT_TRUE(index_->Refresh().ok());
  EXPECT_EQ(MustSearch(*index_, MatchRequest("televizor")).total, uint64_t{kInitial + kRounds});
  EXPECT_EQ(MustSearch(*index_, MatchRequest("muzlatgich")).total, uint64_t{kRounds / 2});
  auto stats = index_->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->documents, uint64_t{kInitial + kRounds + kRounds / 2});
  EXPECT_EQ(stats->indexed_documents, stats->documents);
  EXPECT_EQ(stats->last_indexed_sequence, stats->last_sequence);
}

// Writers in several threads on one index: the group commit applies every batch exactly once,
// while readers search through background refreshes.
TEST(ConcurrencyEngineTest, ConcurrentBatchWritersLoseNothingUnderBackgroundRefresh) {
  TempDir dir;
  auto engine = OpenTestEngine(dir.str(), std::chrono::milliseconds(5));
  ASSERT_NE(engine, nullptr);
  auto index = engine->GetOrCreateIndex("products").value();
  constexpr int kWriters = 3, kBatches = 20, kBatchSize = 10;
  std::atomic<bool> stop{false};
  Problems problems;
  std::thread reader([&] {
    do {
      auto result = index->Search(MatchRequest("changyutgich"));
      if (!result.ok()) problems.Add("search failed: " + result.status().ToString());
    } while (!stop.load());
  });
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int b = 0; b < kBatches; ++b) {
        std::vector<WriteOp> ops;
        for (int i = 0; i < kBatchSize; ++i) {
          std::string id = NumberedId("w", w);  // built piecewise: GCC 12's false -Wrestrict on "w" + string
          id += '-';
          id += std::to_string(b * kBatchSize + i);
          ops.push_back({WriteOp::Type::kIndex, id, Product("Changyutgich " + id, i)});
        }
        auto results = index->Write(ops);
        if (!results.ok()) {
          problems.Add("batch failed: " + results.status().ToString());
          continue;
        }
        for (const auto& r : *results) {
          if (!r.status.ok()) problems.Add("op failed: " + r.status.ToString());
        }
      }
    });
  }
  for (auto& t : writers) t.join();
  stop.store(true);
  reader.join();
  EXPECT_EQ(problems.count(), 0) << problems.Summary();
  ASSERT_TRUE(index->Refresh().ok());
  constexpr uint64_t kTotal = kWriters * kBatches * kBatchSize;
  EXPECT_EQ(MustSearch(*index, MatchRequest("changyutgich")).total, kTotal);
  auto stats = index->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->documents, kTotal);
  EXPECT_EQ(stats->indexed_documents, kTotal);
}

// Dynamic mapping grows while readers query the new fields: a reader either does not know a
// field yet (no hits, not an error) or finds the documents that have it.
TEST_F(ConcurrencyTest, QueriesOnFieldsThatDynamicMappingIsAdding) {
  constexpr int kFields = 40;
  std::atomic<bool> stop{false};
  Problems problems;
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&, t] {
      int i = t;
      do {
        std::string field = NumberedId("attributes.extra_", i++ % kFields);
        auto term = index_->Search(TermRequest(field, "qizil"));
        if (!term.ok()) problems.Add("term on " + field + " failed: " + term.status().ToString());
        auto exists = index_->Count(Query{ExistsQuery{field}});
        if (!exists.ok()) problems.Add("exists on " + field + " failed: " + exists.status().ToString());
      } while (!stop.load());
    });
  }
  std::thread refresher([&] {
    do {
      if (Status s = index_->Refresh(); !s.ok()) problems.Add("refresh failed: " + s.ToString());
    } while (!stop.load());
  });
  for (int i = 0; i < kFields; ++i) {
    std::string json = R"({"name":"Artel konditsioner","attributes":{")";
    json += NumberedId("extra_", i);
    json += R"(":"qizil"}})";
    auto put = index_->Put(NumberedId("ac", i), json);
    EXPECT_TRUE(put.ok()) << put.status().ToString();
  }
  stop.store(true);
  for (auto& t : readers) t.join();
  refresher.join();
  EXPECT_EQ(problems.count(), 0) << problems.Summary();

  ASSERT_TRUE(index_->Refresh().ok());
  for (int i = 0; i < kFields; ++i) {
    std::string field = NumberedId("attributes.extra_", i);
    EXPECT_EQ(MustSearch(*index_, TermRequest(field, "qizil")).total, 1u) << field;
  }
}

// Several threads asking for the same missing index get one index, and all their writes land in it.
TEST(ConcurrencyEngineTest, ConcurrentAutoCreateOfOneIndexMakesOneIndex) {
  TempDir dir;
  auto engine = OpenTestEngine(dir.str());
  ASSERT_NE(engine, nullptr);
  Problems problems;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto index = engine->GetOrCreateIndex("orders");
      if (!index.ok()) {
        problems.Add("GetOrCreateIndex failed: " + index.status().ToString());
        return;
      }
      auto put = index.value()->Put(NumberedId("o", t), R"({"title":"buyurtma"})");
      if (!put.ok()) problems.Add("put failed: " + put.status().ToString());
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(problems.count(), 0) << problems.Summary();
  EXPECT_EQ(engine->ListIndices(), std::vector<std::string>{"orders"});
  auto index = engine->GetIndex("orders");
  ASSERT_TRUE(index.ok());
  ASSERT_TRUE(index.value()->Refresh().ok());
  EXPECT_EQ(MustSearch(*index.value(), MatchRequest("buyurtma")).total, 4u);
}

}  // namespace
}  // namespace ultrasearch::testing
