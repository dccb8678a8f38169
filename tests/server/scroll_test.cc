// Scroll searches (?scroll=, /_search/scroll, DELETE /_search/scroll) over real HTTP, shaped as
// Elasticsearch answers them: every hit exactly once in the search's order, the match set fixed
// when the scroll begins, aggregations on the first page only, and clear errors.
#include <chrono>
#include <thread>

#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;

class ScrollTest : public ServerTest {
 protected:
  static constexpr int kDocs = 25;
  void SetUp() override {
    ServerTest::SetUp();
    if (client().Send("HEAD", "/scroll").status == 200) return;
    std::string bulk;
    for (int i = 0; i < kDocs; ++i) {
      bulk += std::string(R"({"index":{"_index":"scroll","_id":"d)") + std::to_string(i) + "\"}}\n";
      // Prices in an order unlike the ids', so the scroll's order is the sort's.
      bulk += std::string(R"({"name":"kitob","price":)") + std::to_string((i * 7) % kDocs) + "}\n";
    }
    ASSERT_FALSE(client().Post("/_bulk?refresh=true", bulk).Json().at("errors").as_bool());
  }
  // The ids by ascending price: i with (i * 7) % 25 == p, for p = 0, 1, ...
  static std::vector<std::string> IdsByPrice() {
    std::vector<std::string> ids(kDocs);
    for (int i = 0; i < kDocs; ++i) ids[(i * 7) % kDocs] = std::string("d") + std::to_string(i);
    return ids;
  }
  HttpResponse Next(const std::string& id, const std::string& keep_alive = "1m") {
    return client().Post("/_search/scroll", R"({"scroll":")" + keep_alive + R"(","scroll_id":")" + id + "\"}");
  }
};

TEST_F(ScrollTest, PagesThroughEveryHitOnceInOrder) {
  auto first = client().Post("/scroll/_search?scroll=1m",
                             R"({"size":10,"sort":[{"price":"asc"}],"query":{"match":{"name":"kitob"}},
                                 "aggs":{"max_price":{"max":{"field":"price"}}}})");
  ASSERT_EQ(first.status, 200) << first.body;
  json::value v = first.Json();
  ASSERT_TRUE(v.at("_scroll_id").is_string());
  std::string id(v.at("_scroll_id").as_string());
  EXPECT_EQ(v.at("hits").at("total").at("value").to_number<int64_t>(), kDocs);
  EXPECT_EQ(v.at("aggregations").at("max_price").at("value").to_number<double>(), kDocs - 1);
  std::vector<std::string> seen = HitIds(first);
  EXPECT_EQ(seen.size(), 10u);
  for (int page = 0; page < 10; ++page) {
    auto r = Next(id);
    ASSERT_EQ(r.status, 200) << r.body;
    json::value body = r.Json();
    EXPECT_FALSE(body.as_object().contains("aggregations"));  // the first page only
    EXPECT_EQ(body.at("hits").at("total").at("value").to_number<int64_t>(), kDocs);
    auto ids = HitIds(r);
    if (ids.empty()) break;
    seen.insert(seen.end(), ids.begin(), ids.end());
  }
  EXPECT_EQ(seen, IdsByPrice());
  auto cleared = client().Send("DELETE", "/_search/scroll", R"({"scroll_id":[")" + id + "\"]}");
  EXPECT_EQ(cleared.status, 200);
  EXPECT_EQ(cleared.Json(), json::parse(R"({"succeeded":true,"num_freed":1})"));
  auto gone = Next(id);
  auto error = ExpectError(gone, 404, "search_phase_execution_exception");
  EXPECT_NE(gone.body.find("search_context_missing_exception"), std::string::npos) << gone.body;
  auto again = client().Send("DELETE", "/_search/scroll", R"({"scroll_id":")" + id + "\"}");
  EXPECT_EQ(again.status, 404);
  EXPECT_EQ(again.Json(), json::parse(R"({"succeeded":true,"num_freed":0})"));
}

TEST_F(ScrollTest, TheMatchSetIsFixedWhenTheScrollBegins) {
  auto first = client().Post("/scroll/_search?scroll=1m", R"({"size":5,"sort":[{"price":"asc"}]})");
  ASSERT_EQ(first.status, 200) << first.body;
  std::string id(first.Json().at("_scroll_id").as_string());
  // A product added now is not in this scroll; one deleted before its page is left out.
  ASSERT_EQ(client().Put("/scroll/_doc/late?refresh=true", R"({"name":"kitob","price":-1})").status, 201);
  std::vector<std::string> expected = IdsByPrice();
  const std::string removed = expected[20];
  ASSERT_EQ(client().Send("DELETE", "/scroll/_doc/" + removed + "?refresh=true").status, 200);
  std::vector<std::string> seen = HitIds(first);
  for (int page = 0; page < 10; ++page) {
    auto ids = HitIds(Next(id));
    if (ids.empty()) break;
    seen.insert(seen.end(), ids.begin(), ids.end());
  }
  expected.erase(expected.begin() + 20);
  EXPECT_EQ(seen, expected);
  // Put the catalog back for the other tests.
  ASSERT_EQ(client().Send("DELETE", "/scroll/_doc/late?refresh=true").status, 200);
  ASSERT_EQ(client().Put("/scroll/_doc/" + removed + "?refresh=true",
                         std::string(R"({"name":"kitob","price":20})"))
                .status,
            201);
}

TEST_F(ScrollTest, ParametersAreCheckedAsElasticsearchChecksThem) {
  ExpectError(client().Post("/scroll/_search?scroll=1m", R"({"from":5,"size":5})"), 400,
              "action_request_validation_exception");
  ExpectError(client().Post("/scroll/_search?scroll=1m", R"({"size":0})"), 400, "action_request_validation_exception");
  ExpectError(client().Post("/scroll/_search?scroll=soon", "{}"), 400, "illegal_argument_exception");
  ExpectError(client().Post("/scroll/_search?scroll=2d", "{}"), 400, "illegal_argument_exception");
  ExpectError(client().Post("/_search/scroll", R"({"scroll":"1m"})"), 400, "action_request_validation_exception");
  ExpectError(Next("not-a-scroll"), 404, "search_phase_execution_exception");
}

TEST_F(ScrollTest, AScrollExpiresAfterItsKeepAlive) {
  auto first = client().Post("/scroll/_search?scroll=1s", R"({"size":5})");
  ASSERT_EQ(first.status, 200) << first.body;
  std::string id(first.Json().at("_scroll_id").as_string());
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  ExpectError(client().Post("/_search/scroll", R"({"scroll_id":")" + id + "\"}"), 404,
              "search_phase_execution_exception");
}

TEST_F(ScrollTest, ClearAll) {
  for (int i = 0; i < 3; ++i) ASSERT_EQ(client().Post("/scroll/_search?scroll=1m", R"({"size":5})").status, 200);
  auto r = client().Send("DELETE", "/_search/scroll/_all");
  EXPECT_EQ(r.status, 200);
  EXPECT_GE(r.Json().at("num_freed").to_number<int64_t>(), 3);
}

}  // namespace
}  // namespace ultrasearch::testing
