// The search request cache over real HTTP: a repeated search is answered from the cache (hit_count
// in _stats moves, the answer is the same), and a cached answer never outlives a change to the
// index: a write made searchable by a refresh, a delete, a deleted and recreated index.
// `?request_cache=false` bypasses it; different bodies get different entries; errors are never
// stored; the cache stays within its size, evicting the least recently used entry.
#include <algorithm>
#include <string>

#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;

// Elasticsearch's request_cache figures of one index (primaries).
struct CacheFigures {
  int64_t memory = 0, evictions = 0, hits = 0, misses = 0;
};

class RequestCacheTest : public ServerTest {
 protected:
  static void SetUpTestSuite() {
    ServerTest::SetUpTestSuite();
    if (server_->started()) Load(server_->port(), "products");
  }

  // Four phones and a fridge; refreshed.
  static void Load(uint16_t port, const std::string& index) {
    HttpClient c(port);
    std::string bulk;
    auto add = [&](const std::string& id, const std::string& name, const std::string& brand) {
      bulk += R"({"index":{"_id":")" + id + "\"}}\n" + R"({"name":")" + name + R"(","brand":")" + brand + "\"}\n";
    };
    add("1", "Samsung Galaxy smartfon", "Samsung");
    add("2", "Apple iPhone smartfon", "Apple");
    add("3", "Xiaomi Redmi smartfon", "Xiaomi");
    add("4", "Artel muzlatkich", "Artel");
    auto r = c.Post("/" + index + "/_bulk?refresh=true", bulk);
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(r.Json().at("errors"), false) << r.body;
  }

  CacheFigures Figures(const std::string& index = "products") {
    auto r = client().Get("/" + index + "/_stats");
    EXPECT_EQ(r.status, 200) << r.body;
    CacheFigures f;
    if (r.status != 200) return f;
    const json::value body = r.Json();
    const auto& rc = body.at("indices").at(index).at("primaries").at("request_cache");
    f.memory = rc.at("memory_size_in_bytes").to_number<int64_t>();
    f.evictions = rc.at("evictions").to_number<int64_t>();
    f.hits = rc.at("hit_count").to_number<int64_t>();
    f.misses = rc.at("miss_count").to_number<int64_t>();
    return f;
  }

  static std::string Match(const std::string& text) {
    return R"({"query":{"match":{"name":")" + text + R"("}}})";
  }

  // The answer without "took", which differs between two runs of the same search.
  static json::value WithoutTook(const HttpResponse& r) {
    json::value v = r.Json();
    if (v.is_object()) v.as_object().erase("took");
    return v;
  }
};

TEST_F(RequestCacheTest, RepeatedSearchIsAHitWithTheSameAnswer) {
  const std::string body = Match("redmi");
  CacheFigures before = Figures();
  auto first = client().Post("/products/_search", body);
  ASSERT_EQ(first.status, 200) << first.body;
  CacheFigures after_first = Figures();
  EXPECT_EQ(after_first.misses, before.misses + 1);
  EXPECT_EQ(after_first.hits, before.hits);
  EXPECT_GT(after_first.memory, before.memory);

  auto second = client().Post("/products/_search", body);
  ASSERT_EQ(second.status, 200) << second.body;
  CacheFigures after_second = Figures();
  EXPECT_EQ(after_second.hits, before.hits + 1);
  EXPECT_EQ(after_second.misses, before.misses + 1);
  EXPECT_EQ(HitIds(second), std::vector<std::string>{"3"});
  EXPECT_EQ(WithoutTook(second), WithoutTook(first));
  EXPECT_TRUE(second.Json().at("took").is_int64()) << second.body;
}

TEST_F(RequestCacheTest, RequestCacheFalseBypassesTheCache) {
  const std::string body = Match("iphone");
  CacheFigures before = Figures();
  for (int i = 0; i < 2; ++i) {
    auto r = client().Post("/products/_search?request_cache=false", body);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(HitIds(r), std::vector<std::string>{"2"});
  }
  CacheFigures after = Figures();
  EXPECT_EQ(after.hits, before.hits);
  EXPECT_EQ(after.misses, before.misses);
  EXPECT_EQ(after.memory, before.memory);

  auto bad = client().Post("/products/_search?request_cache=maybe", body);
  ExpectError(bad, 400, "illegal_argument_exception");
}

TEST_F(RequestCacheTest, DifferentBodiesGetDifferentAnswers) {
  auto galaxy = client().Post("/products/_search", Match("galaxy"));
  auto muzlatkich = client().Post("/products/_search", Match("muzlatkich"));
  auto galaxy_again = client().Post("/products/_search", Match("galaxy"));
  auto muzlatkich_again = client().Post("/products/_search", Match("muzlatkich"));
  EXPECT_EQ(HitIds(galaxy), std::vector<std::string>{"1"});
  EXPECT_EQ(HitIds(muzlatkich), std::vector<std::string>{"4"});
  EXPECT_EQ(HitIds(galaxy_again), std::vector<std::string>{"1"});
  EXPECT_EQ(HitIds(muzlatkich_again), std::vector<std::string>{"4"});
  // Query-string parameters are part of the request too.
  auto sized = client().Post("/products/_search?size=0", Match("galaxy"));
  ASSERT_EQ(sized.status, 200) << sized.body;
  EXPECT_TRUE(HitIds(sized).empty());
  EXPECT_EQ(sized.Json().at("hits").at("total").at("value"), 1);
}

TEST_F(RequestCacheTest, ResponseFiltersApplyToCachedAnswers) {
  const std::string body = Match("samsung");
  auto plain = client().Post("/products/_search", body);
  ASSERT_EQ(plain.status, 200) << plain.body;
  CacheFigures before = Figures();
  // filter_path and pretty shape the reply, not the search: the same entry serves them.
  auto filtered = client().Post("/products/_search?filter_path=hits.hits._id&pretty", body);
  ASSERT_EQ(filtered.status, 200) << filtered.body;
  EXPECT_EQ(filtered.Json(), json::parse(R"({"hits":{"hits":[{"_id":"1"}]}})"));
  EXPECT_NE(filtered.body.find('\n'), std::string::npos) << "pretty: " << filtered.body;
  EXPECT_EQ(Figures().hits, before.hits + 1);
}

TEST_F(RequestCacheTest, WriteAndRefreshAreSeenByTheNextSearch) {
  const std::string body = Match("choynak");
  auto before = client().Post("/products/_search", body);
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_TRUE(HitIds(before).empty());
  auto cached = client().Post("/products/_search", body);
  EXPECT_TRUE(HitIds(cached).empty());

  auto put = client().Put("/products/_doc/10", R"({"name":"Artel choynak","brand":"Artel"})");
  ASSERT_EQ(put.status, 201) << put.body;
  ASSERT_EQ(client().Post("/products/_refresh", "").status, 200);
  auto after = client().Post("/products/_search", body);
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(HitIds(after), std::vector<std::string>{"10"});

  // The same through _bulk with ?refresh=true, and an update of the document's source.
  auto bulk = client().Post("/products/_bulk?refresh=true",
                            "{\"index\":{\"_id\":\"11\"}}\n{\"name\":\"Tefal choynak\",\"brand\":\"Tefal\"}\n"
                            "{\"index\":{\"_id\":\"10\"}}\n{\"name\":\"Artel choynak 2L\",\"brand\":\"Artel\"}\n");
  ASSERT_EQ(bulk.status, 200) << bulk.body;
  auto after_bulk = client().Post("/products/_search", body);
  auto ids = HitIds(after_bulk);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"10", "11"}));
  const json::value after_bulk_body = after_bulk.Json();
  for (const auto& hit : after_bulk_body.at("hits").at("hits").as_array()) {
    if (hit.at("_id") == "10") {
      EXPECT_EQ(hit.at("_source").at("name"), "Artel choynak 2L");
    }
  }
}

TEST_F(RequestCacheTest, DeletedDocumentIsNotServedFromTheCache) {
  auto put = client().Put("/products/_doc/20?refresh=true", R"({"name":"Gorenje plita","brand":"Gorenje"})");
  ASSERT_EQ(put.status, 201) << put.body;
  const std::string body = Match("plita");
  EXPECT_EQ(HitIds(client().Post("/products/_search", body)), std::vector<std::string>{"20"});
  EXPECT_EQ(HitIds(client().Post("/products/_search", body)), std::vector<std::string>{"20"});
  // Searches read hits' sources in real time and leave out documents deleted since the last
  // refresh; a cached answer must not bring one back, refreshed or not.
  ASSERT_EQ(client().Delete("/products/_doc/20").status, 200);
  EXPECT_TRUE(HitIds(client().Post("/products/_search", body)).empty());
  ASSERT_EQ(client().Post("/products/_refresh", "").status, 200);
  EXPECT_TRUE(HitIds(client().Post("/products/_search", body)).empty());
}

TEST_F(RequestCacheTest, RecreatedIndexDoesNotSeeTheOldAnswers) {
  Load(server().port(), "shop");
  const std::string body = Match("smartfon");
  auto first = client().Post("/shop/_search", body);
  EXPECT_EQ(HitIds(first).size(), 3u) << first.body;
  EXPECT_EQ(HitIds(client().Post("/shop/_search", body)).size(), 3u);

  ASSERT_EQ(client().Delete("/shop").status, 200);
  auto put = client().Put("/shop/_doc/x?refresh=true", R"({"name":"Nokia smartfon"})");
  ASSERT_EQ(put.status, 201) << put.body;
  auto again = client().Post("/shop/_search", body);
  EXPECT_EQ(HitIds(again), std::vector<std::string>{"x"}) << again.body;
  // The deleted index's figures went with it.
  EXPECT_EQ(Figures("shop").hits, 0);
  ASSERT_EQ(client().Delete("/shop").status, 200);
}

TEST_F(RequestCacheTest, ErrorsAreNotCached) {
  const std::string body = R"({"query":{"no_such_query":{}}})";
  CacheFigures before = Figures();
  for (int i = 0; i < 2; ++i) {
    auto r = client().Post("/products/_search", body);
    EXPECT_EQ(r.status, 400) << r.body;
  }
  CacheFigures after = Figures();
  EXPECT_EQ(after.hits, before.hits);
  EXPECT_EQ(after.memory, before.memory);
}

TEST_F(RequestCacheTest, StatsAndMetricsReportTheCache) {
  client().Post("/products/_search", Match("artel"));
  client().Post("/products/_search", Match("artel"));
  auto stats = client().Get("/_stats");
  ASSERT_EQ(stats.status, 200) << stats.body;
  const json::value stats_body = stats.Json();
  const auto& all = stats_body.at("_all").at("total").at("request_cache");
  EXPECT_GE(all.at("hit_count").to_number<int64_t>(), 1);
  EXPECT_GE(all.at("miss_count").to_number<int64_t>(), 1);
  EXPECT_GT(all.at("memory_size_in_bytes").to_number<int64_t>(), 0);
  EXPECT_TRUE(all.at("evictions").is_number());
  auto nodes = client().Get("/_nodes/stats");
  ASSERT_EQ(nodes.status, 200) << nodes.body;
  const json::value nodes_body = nodes.Json();
  for (const auto& [id, node] : nodes_body.at("nodes").as_object()) {
    EXPECT_GE(node.at("indices").at("request_cache").at("hit_count").to_number<int64_t>(), 1) << id;
  }
  auto metrics = client().Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  for (const char* name : {"ultrasearch_request_cache_memory_bytes{index=\"products\"}",
                           "ultrasearch_request_cache_hits_total{index=\"products\"}",
                           "ultrasearch_request_cache_misses_total{index=\"products\"}",
                           "ultrasearch_request_cache_evictions_total{index=\"products\"}"}) {
    EXPECT_NE(metrics.body.find(name), std::string::npos) << name << "\n" << metrics.body;
  }
}

// A cache of 3,000 bytes holds two of these answers (about 1,200 bytes each with their keys), not three.
class SmallRequestCacheTest : public RequestCacheTest {
 protected:
  static void SetUpTestSuite() {
    StartServer({"--request-cache-size", "3000"});
    if (!server_->started()) return;
    HttpClient c(server_->port());
    std::string bulk;
    for (const char* word : {"alpha", "bravo", "charlie", "delta"}) {
      bulk += std::string(R"({"index":{"_id":")") + word + "\"}}\n" + R"({"name":")" + word +
              R"(","description":")" + std::string(700, 'x') + "\"}\n";
    }
    auto r = c.Post("/products/_bulk?refresh=true", bulk);
    ASSERT_EQ(r.status, 200) << r.body;
  }
};

TEST_F(SmallRequestCacheTest, EvictsTheLeastRecentlyUsedEntry) {
  auto search = [&](const char* word) {
    auto r = client().Post("/products/_search", Match(word));
    EXPECT_EQ(HitIds(r), std::vector<std::string>{word}) << r.body;
  };
  search("alpha");
  search("bravo");
  CacheFigures two = Figures();
  EXPECT_EQ(two.evictions, 0);
  EXPECT_GT(two.memory, 2000);
  EXPECT_LE(two.memory, 3000);
  search("alpha");    // a hit: alpha is now the most recently used
  search("charlie");  // evicts bravo
  CacheFigures three = Figures();
  EXPECT_EQ(three.hits, two.hits + 1);
  EXPECT_EQ(three.evictions, 1);
  EXPECT_LE(three.memory, 3000);
  search("alpha");  // still there
  EXPECT_EQ(Figures().hits, three.hits + 1);
  search("bravo");  // gone: a miss
  CacheFigures last = Figures();
  EXPECT_EQ(last.hits, three.hits + 1);
  EXPECT_EQ(last.misses, three.misses + 1);
}

}  // namespace
}  // namespace ultrasearch::testing
