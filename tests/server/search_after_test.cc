// search_after: paging a field-sorted result set by the last hit's sort values.
#include <algorithm>
#include <optional>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include <fmt/format.h>

#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;

struct Doc {
  std::string id;
  std::optional<int> rank;  // ties on purpose; a few documents have none
  std::string sku;          // unique: breaks the ties
  double price;
};

// 50 documents: rank takes 5 values (ties of ~9), three documents lack it.
std::vector<Doc> Docs() {
  std::vector<Doc> docs;
  for (int i = 0; i < 50; ++i) {
    Doc d;
    d.id = fmt::format("d{}", i);
    if (i % 17 != 3) d.rank = (i * 7) % 5;
    d.sku = fmt::format("sku-{:02}", (i * 13) % 50);
    d.price = static_cast<double>((i * 3) % 11);
    docs.push_back(d);
  }
  return docs;
}

class SearchAfterTest : public ServerTest {
 protected:
  static void SetUpTestSuite() {
    ServerTest::SetUpTestSuite();
    if (!server_->started()) return;
    HttpClient c(server_->port());
    auto created = c.Put("/items", R"({"mappings":{"properties":{"rank":{"type":"long"},"sku":{"type":"keyword"},"price":{"type":"double"}}}})");
    EXPECT_EQ(created.status, 200) << created.body;
    std::string bulk;
    for (const Doc& d : Docs()) {
      bulk += fmt::format(R"({{"index":{{"_index":"items","_id":"{}"}}}})", d.id) + "\n";
      std::string rank = d.rank ? fmt::format(R"("rank":{},)", *d.rank) : "";
      bulk += fmt::format(R"({{{}"sku":"{}","price":{}}})", rank, d.sku, d.price) + "\n";
    }
    auto r = c.Post("/_bulk?refresh=true", bulk);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Json().at("errors"), false) << r.body;
  }

  // Every page of `sort` (size 7) fetched by search_after from the previous page's last hit.
  std::vector<std::string> PageThrough(const std::string& sort, std::vector<json::value>* last_sorts = nullptr) {
    std::vector<std::string> ids;
    std::string after;
    for (int page = 0; page < 20; ++page) {
      std::string body = R"({"size":7,"sort":)" + sort + (after.empty() ? "" : R"(,"search_after":)" + after) + "}";
      auto r = client().Post("/items/_search", body);
      EXPECT_EQ(r.status, 200) << body << " → " << r.body;
      if (r.status != 200) break;
      auto v = r.Json();
      EXPECT_EQ(v.at("hits").at("total").at("value"), 50);  // the total counts every match
      const auto& hits = v.at("hits").at("hits").as_array();
      if (hits.empty()) return ids;
      EXPECT_LE(hits.size(), 7u);
      for (const auto& h : hits) ids.emplace_back(h.at("_id").as_string());
      after = json::serialize(hits.back().at("sort"));
      if (last_sorts) last_sorts->push_back(hits.back().at("sort"));
    }
    ADD_FAILURE() << "paging did not end";
    return ids;
  }
};

TEST_F(SearchAfterTest, PagesThroughTiesBrokenByKeyword) {
  // Expected: rank descending with documents lacking a rank last, then sku ascending.
  std::vector<Doc> docs = Docs();
  std::sort(docs.begin(), docs.end(), [](const Doc& a, const Doc& b) {
    if (a.rank.has_value() != b.rank.has_value()) return a.rank.has_value();
    if (a.rank && *a.rank != *b.rank) return *a.rank > *b.rank;
    return a.sku < b.sku;
  });
  std::vector<std::string> expected;
  for (const Doc& d : docs) expected.push_back(d.id);

  std::vector<json::value> sorts;
  auto ids = PageThrough(R"([{"rank":{"order":"desc"}},{"sku":"asc"}])", &sorts);
  EXPECT_EQ(ids, expected);
  // The last page's last hit has no rank: its sort value is null and paging went past it.
  ASSERT_FALSE(sorts.empty());
  EXPECT_TRUE(sorts.back().at(0).is_null());
}

TEST_F(SearchAfterTest, PagesThroughNumbersAscendingWithDocTiebreak) {
  std::vector<json::value> sorts;
  auto ids = PageThrough(R"([{"price":"asc"},"_doc"])", &sorts);
  ASSERT_EQ(ids.size(), 50u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 50u);  // no duplicates, no gaps
  std::map<std::string, double> price;
  for (const Doc& d : Docs()) price[d.id] = d.price;
  for (std::size_t i = 1; i < ids.size(); ++i) EXPECT_LE(price[ids[i - 1]], price[ids[i]]) << i;
}

TEST_F(SearchAfterTest, AfterAGivenTuple) {
  // rank 4 descending: everything ranked 4 with sku after "sku-30", then lower ranks.
  auto r = client().Post("/items/_search",
                         R"({"size":100,"sort":[{"rank":"desc"},{"sku":"asc"}],"search_after":[4,"sku-30"]})");
  ASSERT_EQ(r.status, 200) << r.body;
  std::size_t expected = 0;
  for (const Doc& d : Docs()) {
    if (!d.rank || *d.rank < 4 || d.sku > "sku-30") ++expected;
  }
  EXPECT_EQ(HitIds(r).size(), expected);
  EXPECT_EQ(r.Json().at("hits").at("hits").at(0).at("sort").at(0), 4);
}

TEST_F(SearchAfterTest, RejectsBadRequests) {
  auto count = client().Post("/items/_search", R"({"sort":[{"rank":"desc"},{"sku":"asc"}],"search_after":[4]})");
  auto e = ExpectError(count, 400, "illegal_argument_exception");
  EXPECT_EQ(e.at("reason"), "search_after has 1 value(s) but sort has 2.");

  auto from = client().Post("/items/_search", R"({"from":5,"sort":[{"rank":"desc"}],"search_after":[4]})");
  auto f = ExpectError(from, 400, "action_request_validation_exception");
  EXPECT_NE(std::string(f.at("reason").as_string()).find("`from` parameter must be set to 0 when `search_after` is used"),
            std::string::npos);

  auto type = client().Post("/items/_search", R"({"sort":[{"rank":"desc"}],"search_after":["high"]})");
  EXPECT_EQ(type.status, 400) << type.body;

  // from 0 is allowed.
  EXPECT_EQ(client().Post("/items/_search", R"({"from":0,"sort":[{"rank":"desc"}],"search_after":[2]})").status, 200);
}

}  // namespace
}  // namespace ultrasearch::testing
