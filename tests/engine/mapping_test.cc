// Every mapping type, explicit and dynamic, observed through indexing and queries.
#include <functional>

#include <boost/json.hpp>

#include "engine/engine_test_util.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;

class MappingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = OpenTestEngine(dir_.str());
    ASSERT_NE(engine_, nullptr);
  }
  std::shared_ptr<Index> Create(const std::string& mappings) {
    IndexSettings settings;
    settings.mappings_json = mappings;
    auto index = engine_->CreateIndex("shop", settings);
    EXPECT_TRUE(index.ok()) << index.status().ToString();
    return index.ok() ? index.value() : nullptr;
  }
  uint64_t CountOf(Index& index, Query q) {
    auto n = index.Count(q);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? *n : 0;
  }
  static Query Term(std::string field, std::string value) { return Query{TermQuery{std::move(field), {std::move(value)}}}; }
  static Query Range(std::string field, std::optional<std::string> gte, std::optional<std::string> lt) {
    RangeQuery r;
    r.field = std::move(field);
    r.gte = std::move(gte);
    r.lt = std::move(lt);
    return Query{r};
  }

  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(MappingTest, ExplicitTypesIndexAndFilter) {
  auto index = Create(R"({"properties":{
      "title":{"type":"text","analyzer":"standard"},
      "sku":{"type":"keyword"},
      "stock":{"type":"long"}, "qty":{"type":"integer"}, "small":{"type":"short"}, "tiny":{"type":"byte"},
      "price":{"type":"double"}, "weight":{"type":"float"},
      "active":{"type":"boolean"}, "added":{"type":"date"}}})");
  ASSERT_NE(index, nullptr);
  ASSERT_TRUE(index->Put("1", R"({"title":"Red Phone","sku":"A-1","stock":5000000000,"qty":3,"small":7,"tiny":1,
      "price":10.5,"weight":0.25,"active":true,"added":"2024-01-15T10:00:00Z"})").ok());
  ASSERT_TRUE(index->Put("2", R"({"title":"Blue phone","sku":"B-2","stock":"12","qty":30,"small":-7,"tiny":-1,
      "price":99,"weight":3,"active":"false","added":1700000000000})").ok());
  ASSERT_TRUE(index->Refresh().ok());

  EXPECT_EQ(CountOf(*index, Term("sku", "A-1")), 1u);
  EXPECT_EQ(CountOf(*index, Term("sku", "a-1")), 0u) << "keywords are exact";
  EXPECT_EQ(CountOf(*index, Term("title", "phone")), 2u) << "text is analysed (lowercased)";
  EXPECT_EQ(CountOf(*index, Term("stock", "5000000000")), 1u);
  EXPECT_EQ(CountOf(*index, Term("stock", "12")), 1u) << "numeric strings are coerced";
  EXPECT_EQ(CountOf(*index, Range("qty", "10", std::nullopt)), 1u);
  EXPECT_EQ(CountOf(*index, Range("small", std::nullopt, "0")), 1u);
  EXPECT_EQ(CountOf(*index, Range("tiny", "-1", "1")), 1u);
  EXPECT_EQ(CountOf(*index, Range("price", "10.5", "99")), 1u) << "lt is exclusive";
  EXPECT_EQ(CountOf(*index, Range("weight", "0.2", "0.3")), 1u);
  EXPECT_EQ(CountOf(*index, Term("active", "true")), 1u);
  EXPECT_EQ(CountOf(*index, Term("active", "false")), 1u);
  EXPECT_EQ(CountOf(*index, Range("added", "2024-01-01", std::nullopt)), 1u);
  EXPECT_EQ(CountOf(*index, Range("added", "2023-11-14T00:00:00Z", "2023-11-15T00:00:00Z")), 1u) << "epoch millis";

  json::value mapping = json::parse(index->MappingsJson());
  EXPECT_EQ(mapping.at("properties").at("stock").at("type"), "long");
  EXPECT_EQ(mapping.at("properties").at("title").at("analyzer"), "standard");
}

TEST_F(MappingTest, UnknownFieldsAreMappedDynamicallyAsElasticsearchDoes) {
  auto index = Create("");
  ASSERT_TRUE(index->Put("1", R"({"title":"Qora sumka","count":3,"ratio":0.5,"ok":true,
      "when":"2024-02-03","meta":{"origin":"Toshkent"}})").ok());
  ASSERT_TRUE(index->Refresh().ok());
  json::value props = json::parse(index->MappingsJson()).at("properties");
  EXPECT_EQ(props.at("title").at("type"), "text");
  EXPECT_EQ(props.at("title").at("fields").at("keyword").at("type"), "keyword");
  EXPECT_EQ(props.at("count").at("type"), "long");
  EXPECT_EQ(props.at("ratio").at("type"), "float");
  EXPECT_EQ(props.at("ok").at("type"), "boolean");
  EXPECT_EQ(props.at("when").at("type"), "date");
  EXPECT_EQ(props.at("meta").at("properties").at("origin").at("type"), "text");
  EXPECT_EQ(CountOf(*index, Term("title.keyword", "Qora sumka")), 1u);
  EXPECT_EQ(CountOf(*index, Range("count", "3", std::nullopt)), 1u);
  EXPECT_EQ(CountOf(*index, Query{ExistsQuery{"meta"}}), 1u);
  EXPECT_EQ(CountOf(*index, Query{ExistsQuery{"missing"}}), 0u);
}

TEST_F(MappingTest, DynamicMappingSurvivesReopen) {
  auto index = Create("");
  ASSERT_TRUE(index->Put("1", R"({"color":"oq","size":42})").ok());
  index.reset();
  engine_.reset();
  engine_ = OpenTestEngine(dir_.str());
  auto reopened = engine_->GetIndex("shop");
  ASSERT_TRUE(reopened.ok());
  json::value props = json::parse(reopened.value()->MappingsJson()).at("properties");
  EXPECT_EQ(props.at("size").at("type"), "long");
  auto bad = reopened.value()->Put("2", R"({"size":"big"})");
  EXPECT_TRUE(bad.status().IsInvalidArgument()) << "the reopened mapping still types the field";
}

TEST_F(MappingTest, ProductsIndexUsesTheCatalogSchema) {
  auto index = engine_->GetOrCreateIndex("products");
  ASSERT_TRUE(index.ok());
  json::value props = json::parse(index.value()->MappingsJson()).at("properties");
  EXPECT_EQ(props.at("name").at("type"), "text");
  EXPECT_EQ(props.at("name").at("analyzer"), "catalog");
  EXPECT_EQ(props.at("brand").at("type"), "keyword");
  EXPECT_EQ(props.at("price").at("type"), "double");
  EXPECT_EQ(props.at("reviews").at("type"), "integer");
  EXPECT_EQ(props.at("in_stock").at("type"), "boolean");
  EXPECT_EQ(props.at("created_at").at("type"), "date");
  ASSERT_TRUE(index.value()->Put("p1", R"({"name":"x","attributes":{"color":"qora","memory":128,"nfc":true}})").ok());
  props = json::parse(index.value()->MappingsJson()).at("properties");
  EXPECT_EQ(props.at("attributes").at("properties").at("memory").at("type"), "keyword") << "attributes.* are keywords";
  ASSERT_TRUE(index.value()->Refresh().ok());
  EXPECT_EQ(CountOf(*index.value(), Term("attributes.memory", "128")), 1u);
  EXPECT_EQ(CountOf(*index.value(), Term("attributes.nfc", "true")), 1u);
}

TEST_F(MappingTest, StrictMappingRejectsUnknownFieldsAndFalseIgnoresThem) {
  IndexSettings strict;
  strict.mappings_json = R"({"dynamic":"strict","properties":{"name":{"type":"text"}}})";
  auto s = engine_->CreateIndex("strict", strict);
  ASSERT_TRUE(s.ok());
  auto rejected = s.value()->Put("1", R"({"name":"a","extra":1})");
  ASSERT_FALSE(rejected.ok());
  EXPECT_NE(rejected.status().message().find("strict"), std::string::npos);

  IndexSettings loose;
  loose.mappings_json = R"({"dynamic":false,"properties":{"name":{"type":"text"}}})";
  auto l = engine_->CreateIndex("loose", loose);
  ASSERT_TRUE(l.ok());
  ASSERT_TRUE(l.value()->Put("1", R"({"name":"a","extra":1})").ok());
  EXPECT_EQ(json::parse(l.value()->MappingsJson()).at("properties").as_object().count("extra"), 0u);
  EXPECT_NE(l.value()->Get("1")->source_json.find("extra"), std::string::npos) << "kept in the source";
}

TEST_F(MappingTest, BadMappingsAreRejected) {
  for (const char* bad : {R"({"properties":{"x":{"type":"geo_shape"}}})", R"({"properties":{"x":{"type":"text","analyzer":"nope"}}})",
                          R"({"properties":{"x":{}}})", R"({"unknown_root":1})", "[1,2]", "{"}) {
    IndexSettings settings;
    settings.mappings_json = bad;
    auto r = engine_->CreateIndex("bad", settings);
    EXPECT_TRUE(r.status().IsInvalidArgument()) << bad;
    EXPECT_TRUE(engine_->ListIndices().empty()) << "a failed create leaves nothing behind: " << bad;
  }
}

// Elasticsearch's index.mapping.depth.limit (20): a field may sit 20 objects deep, written as
// nested properties or as a dotted name, and no deeper.
TEST_F(MappingTest, MappingsNestAtMostTwentyObjectsDeep) {
  auto dotted = [](int steps) {
    std::string path = "f1";
    for (int i = 2; i <= steps; ++i) path += ".f" + std::to_string(i);
    return R"({"properties":{")" + path + R"(":{"type":"keyword"}}})";
  };
  auto nested = [](int steps) {
    std::string inner = R"({"type":"keyword"})";
    for (int i = steps; i >= 2; --i) inner = R"({"properties":{"f)" + std::to_string(i) + R"(":)" + inner + "}}";
    return R"({"properties":{"f1":)" + inner + "}}";
  };
  for (const auto& make : {std::function<std::string(int)>(dotted), std::function<std::string(int)>(nested)}) {
    IndexSettings too_deep;
    too_deep.mappings_json = make(21);
    auto refused = engine_->CreateIndex("deep", too_deep);
    ASSERT_TRUE(refused.status().IsInvalidArgument()) << too_deep.mappings_json;
    EXPECT_NE(refused.status().message().find("Limit of mapping depth [20]"), std::string::npos)
        << refused.status().ToString();
    EXPECT_TRUE(engine_->ListIndices().empty());

    IndexSettings deepest;
    deepest.mappings_json = make(20);
    auto index = engine_->CreateIndex("deep", deepest);
    ASSERT_TRUE(index.ok()) << index.status().ToString();
    std::string path = "f1", doc = R"("deepest")";
    for (int i = 2; i <= 20; ++i) path += ".f" + std::to_string(i);
    for (int i = 20; i >= 1; --i) doc = R"({"f)" + std::to_string(i) + R"(":)" + doc + "}";
    ASSERT_TRUE((*index)->Put("1", doc).ok());
    ASSERT_TRUE((*index)->Refresh().ok());
    EXPECT_EQ(CountOf(**index, Term(path, "deepest")), 1u) << "the field 20 objects deep is mapped and searchable";
    ASSERT_TRUE(engine_->DeleteIndex("deep").ok());
  }
}

}  // namespace
}  // namespace ultrasearch::testing
