// Synonyms and the bilingual vocabulary through the engine API: custom analyzers of index
// settings with synonym filters, synonyms sets changed while an index uses them (no reindex),
// and the products index's vocabulary and brands in both directions and both Uzbek scripts.
#include <fstream>
#include <algorithm>

#include "engine/engine_test_util.h"

namespace ultrasearch::testing {
namespace {

bool Has(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

class SynonymsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = OpenTestEngine(dir_.str());
    ASSERT_NE(engine_, nullptr);
  }

  std::shared_ptr<Index> Create(const std::string& name, const std::string& settings, const std::string& mappings) {
    IndexSettings s;
    s.settings_json = settings;
    s.mappings_json = mappings;
    auto index = engine_->CreateIndex(name, s);
    EXPECT_TRUE(index.ok()) << index.status().ToString();
    return index.ok() ? index.value() : nullptr;
  }

  static void Put(Index& index, const std::vector<std::pair<std::string, std::string>>& names) {
    std::vector<WriteOp> ops;
    for (const auto& [id, name] : names) ops.push_back({WriteOp::Type::kIndex, id, R"({"name":")" + name + R"("})"});
    auto r = index.Write(ops);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    for (const auto& op : r.value()) ASSERT_TRUE(op.status.ok()) << op.status.ToString();
    ASSERT_TRUE(index.Refresh().ok());
  }

  static std::vector<std::string> Find(const Index& index, const std::string& text) {
    return HitIds(MustSearch(index, MatchRequest(text)));
  }

  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

constexpr const char* kNameWithAnalyzer = R"({"properties":{"name":{"type":"text","analyzer":"catalog",
    "search_analyzer":"with_synonyms"}}})";

TEST_F(SynonymsTest, InlineEquivalenceMatchesEveryScriptAndInflection) {
  auto index = Create("shop", R"({"analysis":{
      "filter":{"syn":{"type":"synonym_graph","synonyms":["telefon, smartfon"]}},
      "analyzer":{"with_synonyms":{"tokenizer":"catalog","filter":["lowercase","syn"]}}}})",
                      kNameWithAnalyzer);
  ASSERT_NE(index, nullptr);
  Put(*index, {{"1", "Смартфоны Samsung"}, {"2", "smartfonlar uchun"}, {"3", "Telefon Nokia"}, {"4", "Noutbuk"}});
  // `telefon` in the rule is Latin Uzbek; the Russian plural in Cyrillic and the Uzbek plural meet it.
  auto ids = Find(*index, "telefon");
  EXPECT_TRUE(Has(ids, "1")) << "смартфоны: the synonym in Cyrillic, inflected";
  EXPECT_TRUE(Has(ids, "2"));
  EXPECT_TRUE(Has(ids, "3"));
  EXPECT_FALSE(Has(ids, "4"));
  // Indexing used the base analyzer: without synonyms a query finds only its own word.
  SearchRequest plain = MatchRequest("telefon");
  std::get<MatchQuery>(plain.query.node).analyzer = "catalog";
  EXPECT_EQ(HitIds(MustSearch(*index, plain)), std::vector<std::string>{"3"});
}

TEST_F(SynonymsTest, ExplicitMappingReplacesTheWord) {
  auto index = Create("shop", R"({"analysis":{
      "filter":{"syn":{"type":"synonym","synonyms":["холодильник => muzlatgich"]}},
      "analyzer":{"with_synonyms":{"tokenizer":"catalog","filter":["syn"]}}}})",
                      kNameWithAnalyzer);
  ASSERT_NE(index, nullptr);
  Put(*index, {{"uz", "Muzlatgich Artel"}, {"ru", "Холодильник Samsung"}});
  // As in Elasticsearch, `a => b` searches b instead of a.
  EXPECT_EQ(Find(*index, "холодильники"), std::vector<std::string>{"uz"});
}

TEST_F(SynonymsTest, MultiWordSynonymMatchesAsAPhrase) {
  auto index = Create("shop", R"({"analysis":{
      "filter":{"syn":{"type":"synonym_graph","synonyms":["kir yuvish mashinasi, стиральная машина"]}},
      "analyzer":{"with_synonyms":{"tokenizer":"catalog","filter":["syn"]}}}})",
                      kNameWithAnalyzer);
  ASSERT_NE(index, nullptr);
  Put(*index, {{"phrase", "Стиральная машина LG"}, {"apart", "Машина для стрижки, стиральная губка"}});
  auto ids = Find(*index, "kir yuvish mashinasi");
  EXPECT_TRUE(Has(ids, "phrase"));
  EXPECT_FALSE(Has(ids, "apart")) << "the words of the synonym are not adjacent there";
}

TEST_F(SynonymsTest, BadSettingsAreRefused) {
  IndexSettings s;
  s.settings_json = R"({"analysis":{"analyzer":{"a":{"tokenizer":"standard","filter":["nope"]}}}})";
  EXPECT_TRUE(engine_->CreateIndex("bad1", s).status().IsInvalidArgument());
  s.settings_json = R"({"analysis":{"filter":{"syn":{"type":"synonym","synonyms":["a => b => c"]}},
      "analyzer":{"a":{"tokenizer":"standard","filter":["syn"]}}}})";
  EXPECT_TRUE(engine_->CreateIndex("bad2", s).status().IsInvalidArgument());
  s.settings_json = R"({"analysis":{"analyzer":{"a":{"tokenizer":"nosuch"}}}})";
  EXPECT_TRUE(engine_->CreateIndex("bad3", s).status().IsInvalidArgument());
}

TEST_F(SynonymsTest, SynonymsSetChangesApplyWithoutReindexAndPersist) {
  ASSERT_TRUE(engine_->PutSynonymSet("shop-set", {{"r1", "divan, sofa"}}).ok());
  auto index = Create("shop", R"({"analysis":{
      "filter":{"syn":{"type":"synonym_graph","synonyms_set":"shop-set","updateable":true}},
      "analyzer":{"with_synonyms":{"tokenizer":"catalog","filter":["syn"]}}}})",
                      kNameWithAnalyzer);
  ASSERT_NE(index, nullptr);
  Put(*index, {{"sofa", "Sofa IKEA"}, {"kreslo", "Кресло-кровать"}});
  EXPECT_EQ(Find(*index, "divan"), std::vector<std::string>{"sofa"});
  EXPECT_TRUE(Find(*index, "kreslo").size() == 1);

  auto added = engine_->PutSynonymRule("shop-set", {"r2", "kreslo, armchair"});
  ASSERT_TRUE(added.ok());
  EXPECT_TRUE(added.value());
  Put(*index, {{"arm", "Armchair Poang"}});
  auto ids = Find(*index, "kreslo");
  EXPECT_TRUE(Has(ids, "arm"));
  EXPECT_TRUE(Has(ids, "kreslo"));

  ASSERT_TRUE(engine_->DeleteSynonymRule("shop-set", "r1").ok());
  EXPECT_TRUE(Find(*index, "divan").empty());

  // Reopened from the data directory: the set is as last changed.
  index.reset();
  engine_.reset();
  engine_ = OpenTestEngine(dir_.str());
  auto rules = engine_->GetSynonymSet("shop-set");
  ASSERT_TRUE(rules.ok());
  ASSERT_EQ(rules->size(), 1u);
  EXPECT_EQ(rules->front().id, "r2");
  EXPECT_EQ(rules->front().synonyms, "kreslo, armchair");
  auto reopened = engine_->GetIndex("shop");
  ASSERT_TRUE(reopened.ok());
  EXPECT_TRUE(Has(Find(*reopened.value(), "kreslo"), "arm"));

  EXPECT_TRUE(engine_->GetSynonymRule("shop-set", "r1").status().IsNotFound());
  EXPECT_TRUE(engine_->PutSynonymRule("missing", {"x", "a, b"}).status().IsNotFound());
  EXPECT_TRUE(engine_->PutSynonymSet("bad", {{"x", "a => "}}).status().IsInvalidArgument());
  ASSERT_TRUE(engine_->DeleteSynonymSet("shop-set").ok());
  EXPECT_TRUE(engine_->ListSynonymSets().empty());
}

// The products index (its template turns the vocabulary on).
// The products index with the vocabulary turned on (the template leaves it off).
class VocabularyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = OpenTestEngine(dir_.str());
    ASSERT_NE(engine_, nullptr);
    IndexSettings settings;
    settings.settings_json = R"({"index.ultrasearch.bilingual_vocabulary": true})";
    auto index = engine_->CreateIndex("products", settings);
    ASSERT_TRUE(index.ok()) << index.status().ToString();
    index_ = index.value();
  }
  TempDir dir_;
  std::unique_ptr<Engine> engine_;
  std::shared_ptr<Index> index_;
  void Put(const std::vector<std::pair<std::string, std::string>>& names) {
    std::vector<WriteOp> ops;
    for (const auto& [id, name] : names) ops.push_back({WriteOp::Type::kIndex, id, R"({"name":")" + name + R"("})"});
    auto r = index_->Write(ops);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_TRUE(index_->Refresh().ok());
  }
  std::vector<std::string> Find(const std::string& text) { return HitIds(MustSearch(*index_, MatchRequest(text))); }
};

TEST_F(VocabularyTest, UzbekAndRussianWordsFindEachOther) {
  Put({{"ru", "Холодильник Samsung RB30"}, {"uz", "Artel muzlatgichi HD 345"}, {"vac", "Пылесос Philips"}});
  for (const char* q : {"muzlatgich", "muzlatgichlar", "музлатгич", "sovutgich"}) {
    EXPECT_TRUE(Has(Find(q), "ru")) << q;
  }
  for (const char* q : {"холодильник", "холодильники", "холодильников"}) {
    EXPECT_TRUE(Has(Find(q), "uz")) << q;
  }
  EXPECT_EQ(Find("changyutgich"), std::vector<std::string>{"vac"});
}

TEST_F(VocabularyTest, VocabularyMatchesRankBelowSameLanguage) {
  // Other products make the two words rare, as in a real catalog.
  Put({{"ru", "Холодильник Indesit"}, {"uz", "Muzlatgich Indesit"}, {"a", "Televizor Samsung"}, {"b", "Noutbuk Acer"},
       {"c", "Телевизор LG"}, {"d", "Ноутбук HP"}, {"e", "Dazmol Philips"}, {"f", "Утюг Tefal"}});
  EXPECT_EQ(Find("muzlatgich"), (std::vector<std::string>{"uz", "ru"}));
  EXPECT_EQ(Find("холодильник"), (std::vector<std::string>{"ru", "uz"}));
}

TEST_F(VocabularyTest, MultiWordEntriesMatchAsPhrases) {
  Put({{"wm", "Стиральная машина Samsung"}, {"car", "Машина игрушечная"}});
  auto ids = Find("kir yuvish mashinasi");
  EXPECT_TRUE(Has(ids, "wm"));
}

TEST_F(VocabularyTest, BrandsAcrossScripts) {
  Put({{"iph", "Apple iPhone 15 128GB"}, {"sam", "Samsung Galaxy A54"}, {"xi", "Xiaomi Redmi Note 12"},
       {"hw", "Huawei P60"}});
  EXPECT_TRUE(Has(Find("айфон"), "iph"));
  EXPECT_TRUE(Has(Find("эпл"), "iph"));
  EXPECT_TRUE(Has(Find("самсунг"), "sam"));
  EXPECT_TRUE(Has(Find("сяоми"), "xi"));
  EXPECT_TRUE(Has(Find("ксиаоми"), "xi"));
  EXPECT_TRUE(Has(Find("редми"), "xi"));
  // Not in the table; reached through the phonetic key.
  EXPECT_TRUE(Has(Find("ксиоми"), "xi"));
  EXPECT_TRUE(Has(Find("самсунгa"), "sam") || Has(Find("самсунга"), "sam"));
  EXPECT_FALSE(Has(Find("самсунг"), "xi"));
}

// tests/data/bilingual_pairs.tsv: word pairs written apart from the vocabulary, in the forms
// shoppers type. Each product is listed with one side's word only; the other side's query must find
// it. The issue's bar: at least 85% of the pairs, in each direction.
TEST_F(VocabularyTest, HeldOutPairsFindEachOtherBothWays) {
  std::ifstream in(std::string(ULTRASEARCH_TEST_DATA_DIR) + "/bilingual_pairs.tsv");
  ASSERT_TRUE(in) << "tests/data/bilingual_pairs.tsv";
  std::vector<std::pair<std::string, std::string>> pairs;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    auto tab = line.find('\t');
    auto tab2 = line.find('\t', tab + 1);
    ASSERT_NE(tab, std::string::npos) << line;
    pairs.emplace_back(line.substr(0, tab), line.substr(tab + 1, tab2 - tab - 1));
  }
  ASSERT_GE(pairs.size(), 100u);
  std::vector<std::pair<std::string, std::string>> products;
  for (size_t i = 0; i < pairs.size(); ++i) {
    products.push_back({NumberedId("uz", i), pairs[i].first});
    products.push_back({NumberedId("ru", i), pairs[i].second});
  }
  Put(products);
  size_t uz_finds_ru = 0, ru_finds_uz = 0;
  std::string misses;
  for (size_t i = 0; i < pairs.size(); ++i) {
    SearchRequest uz_query = MatchRequest(pairs[i].first);
    uz_query.size = 50;
    SearchRequest ru_query = MatchRequest(pairs[i].second);
    ru_query.size = 50;
    if (Has(HitIds(MustSearch(*index_, uz_query)), NumberedId("ru", i))) {
      ++uz_finds_ru;
    } else {
      misses += "  " + pairs[i].first + " -/-> " + pairs[i].second + "\n";
    }
    if (Has(HitIds(MustSearch(*index_, ru_query)), NumberedId("uz", i))) {
      ++ru_finds_uz;
    } else {
      misses += "  " + pairs[i].second + " -/-> " + pairs[i].first + "\n";
    }
  }
  const double n = static_cast<double>(pairs.size());
  EXPECT_GE(static_cast<double>(uz_finds_ru) / n, 0.85) << uz_finds_ru << " of " << pairs.size() << "\n" << misses;
  EXPECT_GE(static_cast<double>(ru_finds_uz) / n, 0.85) << ru_finds_uz << " of " << pairs.size() << "\n" << misses;
  std::printf("held-out pairs: Uzbek finds Russian %zu/%zu, Russian finds Uzbek %zu/%zu\n", uz_finds_ru, pairs.size(),
              ru_finds_uz, pairs.size());
}

TEST_F(SynonymsTest, VocabularyIsOffUnlessTheIndexTurnsItOn) {
  auto off = Create("plain", "", R"({"properties":{"name":{"type":"text","analyzer":"catalog"}}})");
  auto on = Create("bilingual", R"({"index":{"ultrasearch":{"bilingual_vocabulary":true}}})",
                   R"({"properties":{"name":{"type":"text","analyzer":"catalog"}}})");
  ASSERT_NE(off, nullptr);
  ASSERT_NE(on, nullptr);
  Put(*off, {{"ru", "Холодильник"}});
  Put(*on, {{"ru", "Холодильник"}});
  EXPECT_TRUE(Find(*off, "muzlatgich").empty());
  EXPECT_EQ(Find(*on, "muzlatgich"), std::vector<std::string>{"ru"});
}

}  // namespace
}  // namespace ultrasearch::testing
