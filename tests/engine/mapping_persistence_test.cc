// Mappings survive a restart exactly: every mapping feature through write → close → reopen →
// MappingsJson (GET _mapping), as LevelDB tests its VersionEdit encode/decode pair. The cases are
// data (tests/data/mapping/roundtrip.json); this file only drives them. Below the table, the
// behaviour a stored mapping must keep: fields created after a reopen from a dynamic template get
// its sub-fields and its search analyzer.
#include <boost/json.hpp>

#include "engine/engine_test_util.h"
#include "support/json_normalize.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;

void ExpectSameMapping(const std::string& actual_json, const json::value& expected, const std::string& when) {
  json::value actual = json::parse(actual_json);
  EXPECT_EQ(Normalized(actual), Normalized(expected))
      << when << "\n  actual:   " << actual_json << "\n  expected: " << json::serialize(expected);
}

struct RoundTripCase {
  std::string name;
  json::object spec;
};

void PrintTo(const RoundTripCase& c, std::ostream* os) { *os << c.name; }

std::vector<RoundTripCase> ReadCases() {
  std::string text = ReadFile(std::string(ULTRASEARCH_TEST_DATA_DIR) + "/mapping/roundtrip.json");
  std::vector<RoundTripCase> cases;
  const json::value root = json::parse(text);
  for (const auto& c : root.at("cases").as_array()) {
    cases.push_back({std::string(c.at("name").as_string()), c.as_object()});
  }
  return cases;
}

class MappingRoundTripTest : public ::testing::TestWithParam<RoundTripCase> {
 protected:
  std::shared_ptr<Index> Reopen(const std::string& name) {
    engine_.reset();
    engine_ = OpenTestEngine(dir_.str());
    if (engine_ == nullptr) return nullptr;
    auto index = engine_->GetIndex(name);
    EXPECT_TRUE(index.ok()) << index.status().ToString();
    return index.ok() ? index.value() : nullptr;
  }

  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

TEST_P(MappingRoundTripTest, WriteReopenShowsTheSameMapping) {
  const json::object& spec = GetParam().spec;
  const std::string name = spec.contains("index") ? std::string(spec.at("index").as_string()) : "shop";
  engine_ = OpenTestEngine(dir_.str());
  ASSERT_NE(engine_, nullptr);
  {
    IndexSettings settings;
    if (auto* m = spec.if_contains("mappings")) settings.mappings_json = json::serialize(*m);
    if (auto* s = spec.if_contains("settings")) settings.settings_json = json::serialize(*s);
    auto created = spec.contains("mappings") || spec.contains("settings") ? engine_->CreateIndex(name, settings)
                                                                          : engine_->GetOrCreateIndex(name);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    int n = 0;
    for (const auto& doc : spec.at("docs").as_array()) {
      auto put = created.value()->Put(NumberedId("before", ++n), json::serialize(doc));
      ASSERT_TRUE(put.ok()) << json::serialize(doc) << ": " << put.status().ToString();
    }
  }
  auto index = Reopen(name);
  ASSERT_NE(index, nullptr);
  ExpectSameMapping(index->MappingsJson(), spec.at("expected"), "after reopening");

  const json::value* after = spec.if_contains("after_reopen");
  if (after == nullptr) return;
  int n = 0;
  for (const auto& doc : after->at("docs").as_array()) {
    auto put = index->Put(NumberedId("after", ++n), json::serialize(doc));
    ASSERT_TRUE(put.ok()) << json::serialize(doc) << ": " << put.status().ToString();
  }
  if (auto* rejected = after->as_object().if_contains("rejected")) {
    for (const auto& doc : rejected->as_array()) {
      std::string before = index->MappingsJson();
      auto put = index->Put("rejected", json::serialize(doc));
      EXPECT_TRUE(put.status().IsInvalidArgument()) << json::serialize(doc) << " was accepted";
      EXPECT_EQ(index->MappingsJson(), before) << "a rejected document changes no mapping";
    }
  }
  ExpectSameMapping(index->MappingsJson(), after->at("expected"), "with fields added after reopening");
  index.reset();
  index = Reopen(name);
  ASSERT_NE(index, nullptr);
  ExpectSameMapping(index->MappingsJson(), after->at("expected"), "after the second reopen");
  if (auto* analyzers = after->as_object().if_contains("search_analyzers")) {
    for (const auto& [field, expected] : analyzers->as_object()) {
      auto analyzer = index->SearchAnalyzerOf(field);
      ASSERT_TRUE(analyzer.ok()) << field << ": " << analyzer.status().ToString();
      EXPECT_EQ(analyzer.value(), expected.as_string()) << field;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Table, MappingRoundTripTest, ::testing::ValuesIn(ReadCases()),
                         [](const auto& info) { return info.param.name; });

// --- behaviour of a reopened mapping ------------------------------------------------------------

class ReopenedMappingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = OpenTestEngine(dir_.str());
    ASSERT_NE(engine_, nullptr);
  }
  std::shared_ptr<Index> Reopen(const std::string& name) {
    engine_.reset();
    engine_ = OpenTestEngine(dir_.str());
    auto index = engine_->GetIndex(name);
    EXPECT_TRUE(index.ok()) << index.status().ToString();
    return index.ok() ? index.value() : nullptr;
  }
  static uint64_t CountOf(const Index& index, Query q) {
    auto n = index.Count(q);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? *n : 0;
  }
  static Query Match(std::string field, std::string text) {
    MatchQuery m;
    m.text = std::move(text);
    m.fields = {{std::move(field), 1.0}};
    return Query{m};
  }
  static Query Term(std::string field, std::string value) { return Query{TermQuery{std::move(field), {std::move(value)}}}; }

  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(ReopenedMappingTest, FieldFromATemplateAfterReopenGetsItsSubfieldAndSearchAnalyzer) {
  // Indexed with `ru` (stems, lowercases), searched with `keyword` (the query text as one term):
  // "холодильник" finds the stem, the inflected "Холодильники" does not. Were the search_analyzer
  // lost, `ru` would analyse the query and both would match.
  IndexSettings settings;
  settings.mappings_json = R"({"dynamic_templates":[{"strings":{"match_mapping_type":"string",
      "mapping":{"type":"text","analyzer":"ru","search_analyzer":"keyword",
                 "fields":{"keyword":{"type":"keyword","ignore_above":256}}}}}]})";
  ASSERT_TRUE(engine_->CreateIndex("shop", settings).ok());
  auto index = Reopen("shop");
  ASSERT_NE(index, nullptr);
  ASSERT_TRUE(index->Put("1", R"({"kind":"Холодильники"})").ok());
  index.reset();
  index = Reopen("shop");  // the field created after the first reopen must also survive
  ASSERT_NE(index, nullptr);
  ASSERT_TRUE(index->Put("2", R"({"kind":"Телевизоры"})").ok());
  ASSERT_TRUE(index->Refresh().ok());

  EXPECT_EQ(CountOf(*index, Term("kind.keyword", "Холодильники")), 1u) << "the .keyword sub-field exists";
  EXPECT_EQ(CountOf(*index, Match("kind", "холодильник")), 1u);
  EXPECT_EQ(CountOf(*index, Match("kind", "Холодильники")), 0u) << "queries use the keyword search analyzer";
  json::value kind = json::parse(index->MappingsJson()).at("properties").at("kind");
  EXPECT_EQ(kind.at("search_analyzer"), "keyword");
  EXPECT_EQ(kind.at("fields").at("keyword").at("type"), "keyword");
}

TEST_F(ReopenedMappingTest, IndexDefaultAnalyzerAppliesToFieldsCreatedAfterReopen) {
  // `ru` stems "Телевизоры" to the stem "телевизор" finds; `standard` would keep the plural.
  IndexSettings settings;
  settings.settings_json = R"({"index":{"analysis":{"analyzer":{"default":{"type":"ru"}}}}})";
  ASSERT_TRUE(engine_->CreateIndex("shop", settings).ok());
  auto index = Reopen("shop");
  ASSERT_NE(index, nullptr);
  ASSERT_TRUE(index->Put("1", R"({"title":"Телевизоры"})").ok());
  ASSERT_TRUE(index->Refresh().ok());
  EXPECT_EQ(CountOf(*index, Match("title", "телевизор")), 1u);

  auto plain = engine_->CreateIndex("plain", {});
  ASSERT_TRUE(plain.ok());
  ASSERT_TRUE(plain.value()->Put("1", R"({"title":"Телевизоры"})").ok());
  ASSERT_TRUE(plain.value()->Refresh().ok());
  EXPECT_EQ(CountOf(*plain.value(), Match("title", "телевизор")), 0u) << "Elasticsearch's default is standard";
  EXPECT_EQ(CountOf(*plain.value(), Match("title", "телевизоры")), 1u);
}

TEST_F(ReopenedMappingTest, OrdinalsNeverChange) {
  // Ordinals name terms and value slots in the text index: a search after reopening finds what
  // was indexed before only if every field kept its ordinal.
  ASSERT_TRUE(engine_->CreateIndex("shop", {}).ok());
  {
    auto index = engine_->GetIndex("shop").value();
    ASSERT_TRUE(index->Put("1", R"({"a":"birinchi","b":1,"c":"uchinchi"})").ok());
    ASSERT_TRUE(index->Refresh().ok());
  }
  auto index = Reopen("shop");
  ASSERT_NE(index, nullptr);
  ASSERT_TRUE(index->Put("2", R"({"d":"toʻrtinchi","c":"uchinchi"})").ok());
  ASSERT_TRUE(index->Refresh().ok());
  EXPECT_EQ(CountOf(*index, Match("a", "birinchi")), 1u);
  EXPECT_EQ(CountOf(*index, Term("b", "1")), 1u);
  EXPECT_EQ(CountOf(*index, Term("c.keyword", "uchinchi")), 2u);
  EXPECT_EQ(CountOf(*index, Term("d.keyword", "toʻrtinchi")), 1u);
  EXPECT_EQ(CountOf(*index, Match("d", "birinchi")), 0u) << "a new field gets a new ordinal";
}

TEST_F(ReopenedMappingTest, TemplatesApplyByPatternAndPriorityAndRequestsMergeOverThem) {
  engine_.reset();
  EngineOptions options;
  options.data_dir = dir_.str();
  options.analyzers = analyzers::MakeBuiltinAnalyzers();
  options.refresh_interval = {};
  IndexTemplate logs{"logs", {"logs-*"}, R"({"properties":{"level":{"type":"keyword"},"msg":{"type":"text"}}})",
                     R"({"analysis":{"analyzer":{"default":{"type":"whitespace"}}}})", 1};
  IndexTemplate audit{"audit", {"logs-audit-*"}, R"({"dynamic":"strict","properties":{"who":{"type":"keyword"}}})", "", 5};
  options.index_templates = {logs, audit};
  auto opened = Engine::Open(std::move(options));
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  engine_ = std::move(opened.value());

  IndexSettings request;
  request.mappings_json = R"({"properties":{"msg":{"type":"text","analyzer":"standard"},"host":{"type":"keyword"}}})";
  auto app = engine_->CreateIndex("logs-app", request);
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  json::value props = json::parse(app.value()->MappingsJson()).at("properties");
  EXPECT_EQ(props.at("level").at("type"), "keyword") << "from the template";
  EXPECT_EQ(props.at("host").at("type"), "keyword") << "from the request";
  EXPECT_EQ(props.at("msg").at("analyzer"), "standard") << "the request wins";
  ASSERT_TRUE(app.value()->Put("1", R"({"note":"Disk Full"})").ok());
  EXPECT_EQ(app.value()->SearchAnalyzerOf("note").value(), "whitespace") << "the template's default analyzer";

  auto audit_index = engine_->GetOrCreateIndex("logs-audit-1");
  ASSERT_TRUE(audit_index.ok());
  EXPECT_TRUE(audit_index.value()->Put("1", R"({"level":"x"})").status().IsInvalidArgument())
      << "only the higher-priority template applies";
  auto other = engine_->GetOrCreateIndex("metrics");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(json::parse(other.value()->MappingsJson()).at("properties").as_object().size(), 0u);
}

TEST_F(ReopenedMappingTest, BadTemplatesAndDefaultAnalyzersAreRejected) {
  EngineOptions options;
  options.data_dir = dir_.str() + "/other";
  options.analyzers = analyzers::MakeBuiltinAnalyzers();
  options.index_templates = {IndexTemplate{"bad", {"x"}, R"({"properties":{"a":{"type":"nope"}}})", "", 0}};
  EXPECT_TRUE(Engine::Open(options).status().IsInvalidArgument());
  options.index_templates = {IndexTemplate{"bad", {"x"}, "", R"({"analysis":{"analyzer":{"default":{"type":"klingon"}}}})", 0}};
  EXPECT_TRUE(Engine::Open(options).status().IsInvalidArgument());

  for (const char* settings : {R"({"analysis":{"analyzer":{"default":{"type":"nope"}}}})",
                               R"({"analysis":{"analyzer":{"default":{"tokenizer":"whitespace"}}}})", "[1]"}) {
    IndexSettings s;
    s.settings_json = settings;
    EXPECT_TRUE(engine_->CreateIndex("bad", s).status().IsInvalidArgument()) << settings;
    EXPECT_TRUE(engine_->ListIndices().empty()) << settings;
  }
}

}  // namespace
}  // namespace ultrasearch::testing
