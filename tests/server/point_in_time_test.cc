// Points in time over real HTTP: POST /INDEX/_pit, `pit` in a /_search body, DELETE /_pit, as
// Elasticsearch answers them; search_after with the _shard_doc tie-break pages the whole index
// exactly once, and writes after the point in time stay invisible to it.
#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;

class PointInTimeTest : public ServerTest {
 protected:
  static constexpr int kDocs = 23;
  void SetUp() override {
    ServerTest::SetUp();
    if (client().Send("HEAD", "/pit").status == 200) return;
    std::string bulk;
    for (int i = 0; i < kDocs; ++i) {
      bulk += R"({"index":{"_index":"pit","_id":"d)" + std::to_string(i) + "\"}}\n";
      // Five prices only: most documents tie with others on the sort value.
      bulk += R"({"name":"kitob","price":)" + std::to_string(i % 5) + "}\n";
    }
    auto r = client().Post("/_bulk?refresh=true", bulk);
    ASSERT_FALSE(r.Json().at("errors").as_bool()) << r.body;
  }

  std::string OpenPit(const std::string& index = "pit") {
    auto r = client().Post("/" + index + "/_pit?keep_alive=1m", "");
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return "";
    EXPECT_EQ(r.Json().at("_shards").at("failed").to_number<int64_t>(), 0);
    return std::string(r.Json().at("id").as_string());
  }

  HttpResponse PitSearch(const std::string& id, const std::string& rest) {
    return client().Post("/_search", R"({"pit":{"id":")" + id + R"(","keep_alive":"1m"})" + rest + "}");
  }
};

TEST_F(PointInTimeTest, SearchAfterWithShardDocPagesEveryDocumentOnce) {
  const std::string id = OpenPit();
  ASSERT_FALSE(id.empty());
  std::vector<std::string> seen;
  std::vector<double> prices;
  std::string after;
  for (int page = 0; page < 10; ++page) {
    auto r = PitSearch(id, R"(,"size":4,"sort":[{"price":"asc"},{"_shard_doc":"asc"}])" + after);
    ASSERT_EQ(r.status, 200) << r.body;
    json::value v = r.Json();
    EXPECT_EQ(v.at("pit_id").as_string(), id);
    EXPECT_EQ(v.at("hits").at("total").at("value").to_number<int64_t>(), kDocs);
    const auto& hits = v.at("hits").at("hits").as_array();
    if (hits.empty()) break;
    for (const auto& h : hits) {
      seen.emplace_back(h.at("_id").as_string());
      prices.push_back(h.at("sort").at(0).to_number<double>());
      EXPECT_EQ(h.at("sort").as_array().size(), 2u);
    }
    after = R"(,"search_after":)" + json::serialize(hits.back().at("sort"));
  }
  EXPECT_EQ(seen.size(), static_cast<size_t>(kDocs));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), static_cast<size_t>(kDocs));
  EXPECT_TRUE(std::is_sorted(prices.begin(), prices.end()));
}

TEST_F(PointInTimeTest, TheImplicitTieBreakIsAddedToAFieldSort) {
  const std::string id = OpenPit();
  auto r = PitSearch(id, R"(,"size":2,"sort":[{"price":"desc"}])");
  ASSERT_EQ(r.status, 200) << r.body;
  const json::value v = r.Json();
  for (const auto& h : v.at("hits").at("hits").as_array()) {
    ASSERT_EQ(h.at("sort").as_array().size(), 2u) << r.body;  // price, then _shard_doc
    EXPECT_EQ(h.at("sort").at(0).to_number<double>(), 4);
  }
}

TEST_F(PointInTimeTest, LaterWritesAreInvisible) {
  const std::string id = OpenPit();
  ASSERT_EQ(client().Put("/pit/_doc/late?refresh=true", R"({"name":"kitob","price":-1})").status, 201);
  auto now = client().Post("/pit/_search", R"({"size":0})");
  EXPECT_EQ(now.Json().at("hits").at("total").at("value").to_number<int64_t>(), kDocs + 1);
  // One commit later the pinned revision is still readable (Xapian keeps the one before the
  // newest); past that, a clear 404 rather than the newer state (engine test).
  auto r = PitSearch(id, R"(,"size":50,"query":{"match":{"name":"kitob"}})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json().at("hits").at("total").at("value").to_number<int64_t>(), kDocs);
  auto ids = HitIds(r);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "late"), 0);
  EXPECT_EQ(client().Send("DELETE", "/pit/_doc/late?refresh=true").status, 200);
}

TEST_F(PointInTimeTest, CloseAndErrors) {
  const std::string id = OpenPit();
  auto closed = client().Send("DELETE", "/_pit", R"({"id":")" + id + "\"}");
  EXPECT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.Json(), json::parse(R"({"succeeded":true,"num_freed":1})"));
  auto again = client().Send("DELETE", "/_pit", R"({"id":")" + id + "\"}");
  EXPECT_EQ(again.status, 404);
  EXPECT_EQ(again.Json(), json::parse(R"({"succeeded":true,"num_freed":0})"));
  auto gone = PitSearch(id, "");
  ExpectError(gone, 404, "search_phase_execution_exception");
  EXPECT_NE(gone.body.find("search_context_missing_exception"), std::string::npos) << gone.body;

  const std::string open = OpenPit();
  // An index in the path is refused, as in Elasticsearch.
  auto with_index = client().Post("/pit/_search", R"({"pit":{"id":")" + open + "\"}}");
  ExpectError(with_index, 400, "action_request_validation_exception");
  ExpectError(client().Post("/pit/_pit", ""), 400, "action_request_validation_exception");  // no keep_alive
  ExpectError(client().Post("/missing/_pit?keep_alive=1m", ""), 404, "index_not_found_exception");
  ExpectError(client().Post("/pit/_search", R"({"sort":["_shard_doc"]})"), 400, "illegal_argument_exception");
}

TEST_F(PointInTimeTest, ExpiresAfterItsKeepAlive) {
  auto r = client().Post("/pit/_pit?keep_alive=1ms", "");
  ASSERT_EQ(r.status, 200) << r.body;
  std::string id(r.Json().at("id").as_string());
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto gone = client().Post("/_search", R"({"pit":{"id":")" + id + "\"}}");
  EXPECT_EQ(gone.status, 404) << gone.body;
}

}  // namespace
}  // namespace ultrasearch::testing
