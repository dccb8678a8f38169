// Aggregations over HTTP in Elasticsearch's request and response shapes, including the
// storefront's disjunctive facets (post_filter + filtered aggregations).
#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;

class AggregationsTest : public ServerTest {
 protected:
  static void SetUpTestSuite() {
    ServerTest::SetUpTestSuite();
    if (!server_->started()) return;
    HttpClient c(server_->port());
    BulkBody bulk;
    auto add = [&](const std::string& id, const std::string& doc) { bulk.Add("shop", id, doc); };
    // A small storefront: telefon appears in every name but the kettle's.
    add("1", R"({"name":"Samsung telefon","brand":"Samsung","category":"phones","price":[799,749],"in_stock":true,"tags":["5g","android"],"created_at":"2023-01-10T10:00:00Z"})");
    add("2", R"({"name":"Apple telefon","brand":"Apple","category":"phones","price":999,"in_stock":true,"tags":["5g","ios"],"created_at":"2023-01-20T10:00:00Z"})");
    add("3", R"({"name":"Xiaomi telefon","brand":"Xiaomi","category":"phones","price":199,"in_stock":false,"tags":["android"],"created_at":"2023-02-10T10:00:00Z"})");
    add("4", R"({"name":"Artel telefon stand","brand":"Artel","category":"accessories","price":45,"in_stock":true,"created_at":"2023-03-10T10:00:00Z"})");
    add("5", R"({"name":"Samsung telefon chexol","brand":"Samsung","category":"accessories","price":25,"in_stock":true,"tags":["android"],"created_at":"2023-03-11T10:00:00Z"})");
    add("6", R"({"name":"Artel choynak","brand":"Artel","category":"kitchen","price":30,"in_stock":true,"created_at":"2023-04-10T10:00:00Z"})");
    auto mapping = c.Put("/shop", R"({"mappings":{"properties":{"name":{"type":"text"},"brand":{"type":"keyword"},"category":{"type":"keyword"},"price":{"type":"double"},"in_stock":{"type":"boolean"},"tags":{"type":"keyword"},"created_at":{"type":"date"}}}})");
    EXPECT_EQ(mapping.status, 200) << mapping.body;
    LoadBulk(bulk);
  }

  json::value Search(const std::string& body) {
    auto r = client().Post("/shop/_search", body);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.Json() : json::value();
  }
};

TEST_F(AggregationsTest, StorefrontBrandFacetListsEveryBrandAfterTwoAreTicked) {
  // The shopper searched "telefon" and ticked Samsung and Apple. Hits honour the ticks (post_filter);
  // the brand facet ignores them (every brand of the query stays listed with its full count); the
  // other facets honour them (filtered aggregation).
  auto v = Search(R"({
    "query": {"match": {"name": "telefon"}},
    "post_filter": {"terms": {"brand": ["Samsung", "Apple"]}},
    "aggs": {
      "brands": {"terms": {"field": "brand"}},
      "with_brands": {
        "filter": {"terms": {"brand": ["Samsung", "Apple"]}},
        "aggs": {
          "categories": {"terms": {"field": "category"}},
          "prices": {"range": {"field": "price", "ranges": [{"to": 100}, {"from": 100, "to": 800}, {"from": 800}]}}
        }
      }
    }
  })");
  EXPECT_EQ(v.at("hits").at("total"), json::parse(R"({"value":3,"relation":"eq"})"));
  EXPECT_EQ(v.at("hits").at("hits").as_array().size(), 3u);
  EXPECT_EQ(v.at("aggregations").at("brands"), json::parse(R"({
    "doc_count_error_upper_bound":0,"sum_other_doc_count":0,
    "buckets":[{"key":"Samsung","doc_count":2},{"key":"Apple","doc_count":1},
               {"key":"Artel","doc_count":1},{"key":"Xiaomi","doc_count":1}]})"));
  const auto& with = v.at("aggregations").at("with_brands");
  EXPECT_EQ(with.at("doc_count"), 3);
  EXPECT_EQ(with.at("categories").at("buckets"), json::parse(R"([
    {"key":"phones","doc_count":2},{"key":"accessories","doc_count":1}])"));
  // Samsung's phone has two prices (749, 799): it counts once in the 100-800 bucket.
  EXPECT_EQ(with.at("prices").at("buckets"), json::parse(R"([
    {"key":"*-100.0","to":100.0,"doc_count":1},
    {"key":"100.0-800.0","from":100.0,"to":800.0,"doc_count":1},
    {"key":"800.0-*","from":800.0,"doc_count":1}])"));
}

TEST_F(AggregationsTest, SizeZeroAnswersCountsWithoutHits) {
  auto v = Search(R"({"size":0,"query":{"match":{"name":"telefon"}},"aggs":{"n":{"value_count":{"field":"price"}},
    "stats":{"stats":{"field":"price"}},"avg":{"avg":{"field":"price"}},"none":{"min":{"field":"no_such"}},
    "brands":{"cardinality":{"field":"brand"}}}})");
  EXPECT_EQ(v.at("hits").at("total").at("value"), 5);
  EXPECT_TRUE(v.at("hits").at("hits").as_array().empty());
  const auto& a = v.at("aggregations");
  EXPECT_EQ(a.at("n"), json::parse(R"({"value":6})"));  // 799, 749, 999, 199, 45, 25
  EXPECT_EQ(a.at("stats"), json::parse(R"({"count":6,"min":25.0,"max":999.0,"avg":469.3333333333333,"sum":2816.0})"));
  EXPECT_EQ(a.at("none"), json::parse(R"({"value":null})"));
  EXPECT_EQ(a.at("brands"), json::parse(R"({"value":4})"));
}

TEST_F(AggregationsTest, TermsOptionsAndNumericKeys) {
  auto v = Search(R"({"size":0,"aggs":{
    "tags":{"terms":{"field":"tags","size":2,"order":{"_key":"asc"},"missing":"untagged"}},
    "stock":{"terms":{"field":"in_stock"}},
    "not_artel":{"terms":{"field":"brand","exclude":["Artel"],"min_doc_count":2}}}})");
  const auto& a = v.at("aggregations");
  EXPECT_EQ(a.at("tags"), json::parse(R"({"doc_count_error_upper_bound":0,"sum_other_doc_count":3,
    "buckets":[{"key":"5g","doc_count":2},{"key":"android","doc_count":3}]})"));
  EXPECT_EQ(a.at("stock").at("buckets"), json::parse(R"([
    {"key":1,"key_as_string":"true","doc_count":5},{"key":0,"key_as_string":"false","doc_count":1}])"));
  EXPECT_EQ(a.at("not_artel").at("buckets"), json::parse(R"([{"key":"Samsung","doc_count":2}])"));
}

TEST_F(AggregationsTest, HistogramsAndSubAggregations) {
  auto v = Search(R"({"size":0,"aggs":{
    "months":{"date_histogram":{"field":"created_at","calendar_interval":"month"},
              "aggs":{"brands":{"terms":{"field":"brand"},"aggs":{"top":{"max":{"field":"price"}}}}}},
    "prices":{"histogram":{"field":"price","interval":500}}}})");
  const auto& months = v.at("aggregations").at("months").at("buckets").as_array();
  ASSERT_EQ(months.size(), 4u);
  EXPECT_EQ(months[0].at("key_as_string"), "2023-01-01T00:00:00.000Z");
  EXPECT_EQ(months[0].at("key"), 1672531200000);
  EXPECT_EQ(months[0].at("doc_count"), 2);
  EXPECT_EQ(months[0].at("brands").at("buckets"), json::parse(R"([
    {"key":"Apple","doc_count":1,"top":{"value":999.0}},{"key":"Samsung","doc_count":1,"top":{"value":799.0}}])"));
  EXPECT_EQ(months[3].at("doc_count"), 1);
  EXPECT_EQ(v.at("aggregations").at("prices").at("buckets"), json::parse(R"([
    {"key":0.0,"doc_count":4},{"key":500.0,"doc_count":2}])"));
}

TEST_F(AggregationsTest, KeyedRangesFiltersAndGlobal) {
  auto v = Search(R"({"size":0,"query":{"term":{"brand":"Artel"}},"aggs":{
    "cheap":{"range":{"field":"price","keyed":true,"ranges":[{"key":"under_40","to":40},{"from":40}]}},
    "split":{"filters":{"filters":{"kitchen":{"term":{"category":"kitchen"}}},"other_bucket_key":"rest"}},
    "everything":{"global":{},"aggs":{"brands":{"terms":{"field":"brand","size":1}}}},
    "dates":{"date_range":{"field":"created_at","ranges":[{"from":"2023-04-01"}]}}}})");
  const auto& a = v.at("aggregations");
  EXPECT_EQ(a.at("cheap").at("buckets"), json::parse(R"({
    "under_40":{"to":40.0,"doc_count":1},"40.0-*":{"from":40.0,"doc_count":1}})"));
  EXPECT_EQ(a.at("split").at("buckets"), json::parse(R"({"kitchen":{"doc_count":1},"rest":{"doc_count":1}})"));
  EXPECT_EQ(a.at("everything"), json::parse(R"({"doc_count":6,"brands":{"doc_count_error_upper_bound":0,
    "sum_other_doc_count":4,"buckets":[{"key":"Artel","doc_count":2}]}})"))
      << "Artel and Samsung tie at 2; the key breaks the tie";
  EXPECT_EQ(a.at("dates").at("buckets"), json::parse(R"([{"key":"2023-04-01T00:00:00.000Z-*",
    "from":1680307200000.0,"from_as_string":"2023-04-01T00:00:00.000Z","doc_count":1}])"));
}

TEST_F(AggregationsTest, Errors) {
  ExpectError(client().Post("/shop/_search", R"({"aggs":{"x":{"bogus":{}}}})"), 400, "parsing_exception");
  ExpectError(client().Post("/shop/_search", R"({"aggs":{"x":{"percentiles":{"field":"price"}}}})"), 400,
              "illegal_argument_exception");
  ExpectError(client().Post("/shop/_search", R"({"aggs":{"x":{"terms":{"field":"name"}}}})"), 400,
              "search_phase_execution_exception");
  auto error = ExpectError(
      client().Post("/shop/_search", R"({"aggs":{"x":{"histogram":{"field":"price","interval":0.001}}}})"), 400,
      "search_phase_execution_exception");
  EXPECT_EQ(error.at("root_cause").at(0).at("type"), "too_many_buckets_exception");
}

}  // namespace
}  // namespace ultrasearch::testing
