// Keyword normalizers (Elasticsearch's `normalizer`): one value however it is written matches, the
// buckets of the facets keep the values as written, and the products index finds category words.
#include "engine/engine_test_util.h"

namespace ultrasearch::testing {
namespace {

SearchRequest TermRequest(const std::string& field, const std::string& value) {
  SearchRequest request;
  request.query.node = TermQuery{field, {value}};
  request.size = 100;
  return request;
}

SearchRequest MultiMatchRequest(const std::string& text, std::vector<FieldBoost> fields) {
  SearchRequest request = MatchRequest(text);
  std::get<MatchQuery>(request.query.node).fields = std::move(fields);
  request.size = 100;
  return request;
}

std::set<std::string> IdSet(const SearchResult& r) {
  auto ids = HitIds(r);
  return {ids.begin(), ids.end()};
}

class KeywordNormalizerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = OpenTestEngine(dir_.str());
    ASSERT_NE(engine_, nullptr);
    index_ = MustCreateIndex(*engine_, "shop", R"({"properties":{
        "name":{"type":"text","analyzer":"catalog"},
        "category":{"type":"keyword","normalizer":"catalog"},
        "code":{"type":"keyword","normalizer":"lowercase"},
        "raw":{"type":"keyword"}}})");
    ASSERT_NE(index_, nullptr);
    Put("a", R"({"name":"Shokolad","category":"Shirinliklar","code":"AB-12","raw":"Shirinliklar"})");
    Put("b", R"({"name":"Konfet","category":"Ширинликлар","code":"ab-12","raw":"Ширинликлар"})");
    Put("c", R"({"name":"Koptok","category":"O'yinchoqlar","code":"CD-34","raw":"O'yinchoqlar"})");
    Put("d", R"({"name":"Qo'g'irchoq","category":"  oʻyinchoqlar ","code":"cd-34","raw":"oʻyinchoqlar"})");
    Put("e", R"({"name":"Choynak","category":"Idish-tovoqlar","code":"EF-56","raw":"Idish-tovoqlar"})");
    ASSERT_TRUE(index_->Refresh().ok());
  }
  void Put(const std::string& id, const std::string& json) {
    auto r = index_->Put(id, json);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  TempDir dir_;
  std::unique_ptr<Engine> engine_;
  std::shared_ptr<Index> index_;
};

TEST_F(KeywordNormalizerTest, TermQueriesMatchEverySpellingOfTheValue) {
  // Case, Uzbek script, apostrophe variants and stray spaces are one value under `catalog`.
  for (const std::string& typed : {"shirinliklar", "SHIRINLIKLAR", "ширинликлар", "Shirinliklar"}) {
    EXPECT_EQ(IdSet(MustSearch(*index_, TermRequest("category", typed))), (std::set<std::string>{"a", "b"})) << typed;
  }
  for (const std::string& typed : {"o'yinchoqlar", "o`yinchoqlar", "O’yinchoqlar", "ўйинчоқлар"}) {
    EXPECT_EQ(IdSet(MustSearch(*index_, TermRequest("category", typed))), (std::set<std::string>{"c", "d"})) << typed;
  }
  // `lowercase` folds case only; a field without a normalizer matches the value as written.
  EXPECT_EQ(IdSet(MustSearch(*index_, TermRequest("code", "Ab-12"))), (std::set<std::string>{"a", "b"}));
  EXPECT_EQ(IdSet(MustSearch(*index_, TermRequest("raw", "shirinliklar"))), (std::set<std::string>{}));
  EXPECT_EQ(IdSet(MustSearch(*index_, TermRequest("raw", "Shirinliklar"))), (std::set<std::string>{"a"}));
  // A match query on the keyword field (what multi_match sends it) is normalized the same way.
  EXPECT_EQ(IdSet(MustSearch(*index_, MultiMatchRequest("IDISH-TOVOQLAR", {{"name", 1.0}, {"category", 1.0}}))),
            (std::set<std::string>{"e"}));
  // A wildcard pattern goes through the normalizer too.
  SearchRequest wildcard;
  wildcard.query.node = WildcardQuery{"category", "ШИРИН*"};
  EXPECT_EQ(IdSet(MustSearch(*index_, wildcard)), (std::set<std::string>{"a", "b"}));
  // And a prefix query.
  SearchRequest prefix;
  prefix.query.node = PrefixQuery{"category", "SHIRIN"};
  EXPECT_EQ(IdSet(MustSearch(*index_, prefix)), (std::set<std::string>{"a", "b"}));
}

TEST_F(KeywordNormalizerTest, FacetBucketsKeepTheValuesAsWritten) {
  SearchRequest request;
  request.query.node = MatchAllQuery{};
  request.size = 0;
  Aggregation terms;
  terms.name = "categories";
  terms.type = Aggregation::Type::kTerms;
  terms.field = "category";
  terms.size = 10;
  request.aggregations = {terms};
  SearchResult result = MustSearch(*index_, request);
  std::set<std::string> keys;
  for (const auto& bucket : result.aggregations.at(0).buckets) keys.insert(std::get<std::string>(bucket.key));
  EXPECT_EQ(keys, (std::set<std::string>{"Shirinliklar", "Ширинликлар", "O'yinchoqlar", "  oʻyinchoqlar ",
                                         "Idish-tovoqlar"}));
}

TEST_F(KeywordNormalizerTest, MappingKeepsTheNormalizerAndRefusesWrongOnes) {
  EXPECT_NE(index_->MappingsJson().find(R"("normalizer":"catalog")"), std::string::npos) << index_->MappingsJson();
  index_.reset();
  engine_.reset();
  engine_ = OpenTestEngine(dir_.str());
  auto reopened = engine_->GetIndex("shop");
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(IdSet(MustSearch(*reopened.value(), TermRequest("category", "ШИРИНЛИКЛАР"))),
            (std::set<std::string>{"a", "b"}));

  IndexSettings unknown;
  unknown.mappings_json = R"({"properties":{"c":{"type":"keyword","normalizer":"nope"}}})";
  auto r1 = engine_->CreateIndex("bad1", unknown);
  ASSERT_FALSE(r1.ok());
  EXPECT_TRUE(r1.status().IsInvalidArgument());
  EXPECT_NE(r1.status().message().find("normalizer [nope]"), std::string::npos) << r1.status().ToString();
  IndexSettings on_text;
  on_text.mappings_json = R"({"properties":{"c":{"type":"text","normalizer":"lowercase"}}})";
  auto r2 = engine_->CreateIndex("bad2", on_text);
  ASSERT_FALSE(r2.ok());
  EXPECT_NE(r2.status().message().find("unknown parameter [normalizer]"), std::string::npos) << r2.status().ToString();
}

// The products index: a multi_match naming the category finds the category's products, even when
// their names never say it, in any case or script, and its text view finds other forms of the word.
TEST_F(ProductsIndexTest, CategoryWordsFindTheirProducts) {
  ASSERT_TRUE(index_->Put("s1", R"({"name":"Alpen Gold 90 g","category":"Shirinliklar","brand":"Alpen Gold"})").ok());
  ASSERT_TRUE(index_->Put("s2", R"({"name":"Snickers","category":"Shirinliklar","brand":"Mars"})").ok());
  ASSERT_TRUE(index_->Put("b1", R"({"name":"O'tkan kunlar","category":"Badiiy adabiyot","brand":"Sharq"})").ok());
  ASSERT_TRUE(index_->Put("t1", R"({"name":"Choynak 1.5 l","category":"Idish-tovoqlar","brand":"Tefal"})").ok());
  ASSERT_TRUE(index_->Refresh().ok());
  const std::vector<FieldBoost> storefront = {{"name", 3.0}, {"description", 1.0}, {"category", 1.0}, {"brand", 1.0}};
  for (const std::string& typed : {"shirinliklar", "Ширинликлар", "SHIRINLIKLAR"}) {
    EXPECT_EQ(IdSet(MustSearch(*index_, MultiMatchRequest(typed, storefront))), (std::set<std::string>{"s1", "s2"}))
        << typed;
  }
  EXPECT_EQ(IdSet(MustSearch(*index_, MultiMatchRequest("badiiy adabiyot", storefront))), (std::set<std::string>{"b1"}));
  EXPECT_EQ(IdSet(MustSearch(*index_, MultiMatchRequest("idish-tovoqlar", storefront))), (std::set<std::string>{"t1"}));
  EXPECT_EQ(IdSet(MustSearch(*index_, MultiMatchRequest("tefal", storefront))), (std::set<std::string>{"t1"}));
  // The text view: the singular finds the plural category, and a word of a longer one.
  const std::vector<FieldBoost> with_text = {{"name", 3.0}, {"category.text", 0.5}};
  EXPECT_EQ(IdSet(MustSearch(*index_, MultiMatchRequest("shirinlik", with_text))), (std::set<std::string>{"s1", "s2"}));
  EXPECT_EQ(IdSet(MustSearch(*index_, MultiMatchRequest("adabiyot", with_text))), (std::set<std::string>{"b1"}));
  // Filters stay exact keywords, through the normalizer.
  EXPECT_EQ(IdSet(MustSearch(*index_, TermRequest("brand", "TEFAL"))), (std::set<std::string>{"t1"}));
}

}  // namespace
}  // namespace ultrasearch::testing
