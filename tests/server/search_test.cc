// _search and _count through the query DSL, over the `products` catalog schema.
#include <algorithm>
#include <set>

#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;

class SearchTest : public ServerTest {
 protected:
  static void SetUpTestSuite() {
    ServerTest::SetUpTestSuite();
    if (!server_->started()) return;
    BulkBody bulk;
    auto add = [&](const std::string& id, const std::string& doc) { bulk.Add("products", id, doc); };
    add("1", R"({"id":"1","name":"Samsung Galaxy S21 smartfon","brand":"Samsung","category":"phones","price":799.5,"rating":4.5,"reviews":120,"in_stock":true,"tags":["5g","android"],"created_at":"2023-01-10"})");
    add("2", R"({"id":"2","name":"Apple iPhone 13 smartfon","brand":"Apple","category":"phones","price":999,"rating":4.8,"reviews":300,"in_stock":true,"tags":["5g","ios"],"created_at":"2023-02-10"})");
    add("3", R"({"id":"3","name":"Xiaomi Redmi Note smartfon","brand":"Xiaomi","category":"phones","price":199,"rating":4.1,"reviews":80,"in_stock":false,"tags":["android"],"created_at":"2023-03-10"})");
    add("4", R"({"id":"4","name":"Artel muzlatkich","brand":"Artel","category":"fridges","price":450,"rating":3.9,"reviews":15,"in_stock":true,"created_at":"2023-04-10"})");
    add("5", R"({"id":"5","name":"Samsung muzlatkich","brand":"Samsung","category":"fridges","price":650,"reviews":40,"in_stock":true,"created_at":"2023-05-10"})");
    add("6", R"({"id":"6","name":"Choynak elektr","brand":"Artel","category":"kitchen","price":25,"rating":4.0,"reviews":5,"in_stock":true,"created_at":"2023-06-10"})");
    LoadBulk(bulk);
  }

  HttpResponse Search(const std::string& body, const std::string& target = "/products/_search") {
    return client().Post(target, body);
  }

  static std::set<std::string> IdSet(const HttpResponse& r) {
    auto ids = HitIds(r);
    return {ids.begin(), ids.end()};
  }
};

TEST_F(SearchTest, ResponseShape) {
  auto r = Search(R"({"query":{"match_all":{}}})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = r.Json();
  EXPECT_TRUE(v.at("took").is_number());
  EXPECT_EQ(v.at("timed_out"), false);
  EXPECT_EQ(v.at("_shards").at("failed"), 0);
  EXPECT_EQ(v.at("hits").at("total"), json::parse(R"({"value":6,"relation":"eq"})"));
  EXPECT_TRUE(v.at("hits").at("max_score").is_number());
  const auto& hit = v.at("hits").at("hits").at(0);
  EXPECT_EQ(hit.at("_index"), "products");
  EXPECT_TRUE(hit.at("_id").is_string());
  EXPECT_TRUE(hit.at("_score").is_number());
  EXPECT_TRUE(hit.at("_source").is_object());
  // An empty body is match_all too.
  EXPECT_EQ(HitIds(client().Get("/products/_search")).size(), 6u);
}

TEST_F(SearchTest, WrongKeyboardLayoutIsSearchedAsMeant) {
  // muzlatkich and smartfon typed with the Russian layout on: the index knows the Latin words and
  // not the Cyrillic jumble, so the Latin reading is searched (fuzziness or not).
  auto fridges = Search(R"({"query":{"match":{"name":"ьгядфелшср"}}})");
  ASSERT_EQ(fridges.status, 200) << fridges.body;
  EXPECT_EQ(IdSet(fridges), (std::set<std::string>{"4", "5"}));
  auto phones = Search(R"({"query":{"match":{"name":{"query":"ыьфкеащт","fuzziness":"AUTO"}}}})");
  EXPECT_EQ(IdSet(phones), (std::set<std::string>{"1", "2", "3"}));
  // A word the index knows as typed is never read the other way: `elektr` stays Latin.
  EXPECT_EQ(IdSet(Search(R"({"query":{"match":{"name":"elektr"}}})")), (std::set<std::string>{"6"}));
}

TEST_F(SearchTest, MatchAndFilters) {
  auto r = Search(R"({"query":{"match":{"name":"smartfon"}}})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(IdSet(r), (std::set<std::string>{"1", "2", "3"}));

  auto f = Search(R"({"query":{"bool":{"must":{"match":{"name":"smartfon"}},
                      "filter":[{"term":{"brand":"Samsung"}}]}}})");
  EXPECT_EQ(IdSet(f), (std::set<std::string>{"1"}));

  auto range = Search(R"({"query":{"range":{"price":{"gte":200,"lt":800}}}})");
  EXPECT_EQ(IdSet(range), (std::set<std::string>{"1", "4", "5"}));
  auto from_to = Search(R"({"query":{"range":{"price":{"from":450,"to":650}}}})");
  EXPECT_EQ(IdSet(from_to), (std::set<std::string>{"4", "5"}));

  auto terms = Search(R"({"query":{"terms":{"brand":["Artel","Xiaomi"]}}})");
  EXPECT_EQ(IdSet(terms), (std::set<std::string>{"3", "4", "6"}));
  auto must_not = Search(R"({"query":{"bool":{"must_not":[{"term":{"category":"phones"}}]}}})");
  EXPECT_EQ(IdSet(must_not), (std::set<std::string>{"4", "5", "6"}));
  auto exists = Search(R"({"query":{"exists":{"field":"rating"}}})");
  EXPECT_EQ(IdSet(exists), (std::set<std::string>{"1", "2", "3", "4", "6"}));
  auto ids = Search(R"({"query":{"ids":{"values":["2","6","77"]}}})");
  EXPECT_EQ(IdSet(ids), (std::set<std::string>{"2", "6"}));
  auto prefix = Search(R"({"query":{"prefix":{"brand":{"value":"Sam"}}}})");
  EXPECT_EQ(IdSet(prefix), (std::set<std::string>{"1", "5"}));
  auto term_bool = Search(R"({"query":{"term":{"in_stock":false}}})");
  EXPECT_EQ(IdSet(term_bool), (std::set<std::string>{"3"}));
  auto should = Search(R"({"query":{"bool":{"should":[{"term":{"brand":"Apple"}},{"term":{"brand":"Xiaomi"}}],
                           "minimum_should_match":1}}})");
  EXPECT_EQ(IdSet(should), (std::set<std::string>{"2", "3"}));
  auto multi = Search(R"({"query":{"multi_match":{"query":"muzlatkich","fields":["name^3","description"]}}})");
  EXPECT_EQ(IdSet(multi), (std::set<std::string>{"4", "5"}));
  auto phrase = Search(R"({"query":{"match_phrase":{"name":"samsung muzlatkich"}}})");
  EXPECT_EQ(IdSet(phrase), (std::set<std::string>{"5"}));
  auto and_op = Search(R"({"query":{"match":{"name":{"query":"samsung smartfon","operator":"and"}}}})");
  EXPECT_EQ(IdSet(and_op), (std::set<std::string>{"1"}));
  auto none = Search(R"({"query":{"match_none":{}}})");
  EXPECT_TRUE(HitIds(none).empty());
}

TEST_F(SearchTest, SortAndPaging) {
  auto r = Search(R"({"sort":[{"price":{"order":"desc"}}],"size":3})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(HitIds(r), (std::vector<std::string>{"2", "1", "5"}));
  auto v = r.Json();
  EXPECT_TRUE(v.at("hits").at("max_score").is_null());
  EXPECT_TRUE(v.at("hits").at("hits").at(0).at("_score").is_null());
  EXPECT_EQ(v.at("hits").at("hits").at(0).at("sort").at(0).to_number<double>(), 999.0);

  auto page2 = Search(R"({"sort":[{"price":"asc"}],"from":2,"size":2})");
  EXPECT_EQ(HitIds(page2), (std::vector<std::string>{"4", "5"}));
  auto shorthand = Search(R"({"sort":"price","size":1})");
  EXPECT_EQ(HitIds(shorthand), (std::vector<std::string>{"6"}));
  auto param = client().Get("/products/_search?sort=price:desc&size=1&from=1");
  EXPECT_EQ(HitIds(param), (std::vector<std::string>{"1"}));
}

TEST_F(SearchTest, SourceFilteringAndTotals) {
  auto r = Search(R"({"query":{"ids":{"values":["1"]}},"_source":["name","price"]})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json().at("hits").at("hits").at(0).at("_source"),
            json::parse(R"({"name":"Samsung Galaxy S21 smartfon","price":799.5})"));
  auto excl = Search(R"({"query":{"ids":{"values":["1"]}},"_source":{"excludes":["tags","name","price","rating","reviews","created_at","in_stock"]}})");
  EXPECT_EQ(excl.Json().at("hits").at("hits").at(0).at("_source"),
            json::parse(R"({"id":"1","brand":"Samsung","category":"phones"})"));
  auto none = Search(R"({"_source":false,"size":1})");
  EXPECT_FALSE(none.Json().at("hits").at("hits").at(0).as_object().contains("_source"));

  auto no_total = Search(R"({"track_total_hits":false})");
  EXPECT_FALSE(no_total.Json().at("hits").as_object().contains("total"));
  auto bounded = Search(R"({"track_total_hits":2})");
  EXPECT_EQ(bounded.Json().at("hits").at("total").at("relation"), "gte");
  EXPECT_EQ(bounded.Json().at("hits").at("total").at("value"), 2);
}

TEST_F(SearchTest, PostFilterAndQueryParam) {
  auto r = Search(R"({"query":{"term":{"category":"phones"}},"post_filter":{"term":{"brand":"Apple"}}})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(IdSet(r), (std::set<std::string>{"2"}));
  auto q = client().Get("/products/_search?q=muzlatkich");
  EXPECT_EQ(IdSet(q), (std::set<std::string>{"4", "5"}));
  auto qf = client().Get("/products/_search?q=brand:Artel");
  EXPECT_EQ(IdSet(qf), (std::set<std::string>{"4", "6"}));
}

TEST_F(SearchTest, Count) {
  auto r = client().Post("/products/_count", R"({"query":{"term":{"category":"phones"}}})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json().at("count"), 3);
  EXPECT_EQ(client().Get("/products/_count").Json().at("count"), 6);
  ExpectError(client().Post("/products/_count", R"({"size":1})"), 400, "parsing_exception");
}

TEST_F(SearchTest, AcrossIndices) {
  ASSERT_EQ(client().Put("/other/_doc/o1?refresh=true", R"({"name":"smartfon qopqog'i"})").status, 201);
  auto all = client().Post("/_search", R"({"size":100})");
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(all.Json().at("hits").at("total").at("value"), 7);
  auto list = client().Post("/products,other/_count", "");
  EXPECT_EQ(list.Json().at("count"), 7);
  auto wildcard = client().Post("/oth*/_search", "");
  EXPECT_EQ(IdSet(wildcard), (std::set<std::string>{"o1"}));
  ExpectError(client().Post("/products,missing/_search", ""), 404, "index_not_found_exception");
}

TEST_F(SearchTest, UnsupportedFeaturesAreClear) {
  auto aggs = Search(R"({"aggs":{"top":{"top_hits":{}}}})");
  ExpectError(aggs, 400, "illegal_argument_exception");
  EXPECT_NE(Reason(aggs).find("top_hits"), std::string::npos);
  // The term and completion suggesters run (autocomplete_test.cc); the phrase suggester does not.
  ExpectError(Search(R"({"suggest":{"s":{"text":"x","phrase":{"field":"name"}}}})"), 400, "illegal_argument_exception");
  // Elasticsearch checks the result window on each shard: a failed query phase (limits_test.cc).
  auto window = ExpectError(Search(R"({"from":9990,"size":20})"), 400, "search_phase_execution_exception");
  EXPECT_EQ(window.at("root_cause").at(0).at("type"), "illegal_argument_exception");
}

}  // namespace
}  // namespace ultrasearch::testing
