// Elasticsearch's `index_options` on text fields, through the engine API: `freqs` indexes words
// without positions (matches and scores as before, phrase queries on the field are refused in
// Elasticsearch's words), `docs` counts each word once per field, and the option is fixed once
// the field exists. Expected values come from the definitions: BM25 with equal lengths and one
// occurrence against three, Elasticsearch's error texts. (Unlike Elasticsearch, whose field
// length still counts every word under `docs`, the document length here is what was counted.)
#include <boost/json.hpp>

#include "engine/engine_test_util.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;

class IndexOptionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = OpenTestEngine(dir_.str());
    ASSERT_NE(engine_, nullptr);
    index_ = MustCreateIndex(*engine_, "shop", R"({"properties":{
        "name":{"type":"text","analyzer":"standard"},
        "notes":{"type":"text","analyzer":"standard","index_options":"freqs"},
        "tags":{"type":"text","analyzer":"standard","index_options":"docs"},
        "code":{"type":"keyword","index_options":"docs"}}})");
    ASSERT_NE(index_, nullptr);
    // The same length for both documents in every field as indexed, so BM25's length part is the
    // same for both: four words in name and notes; in tags (docs) "pen pen pen paper" counts as
    // "pen paper", whose length is what the index records.
    Put("many", R"({"name":"red pen red pen","notes":"pen pen pen paper","tags":"pen pen pen paper","code":"A"})");
    Put("one", R"({"name":"blue pen and paper","notes":"pen cup ink paper","tags":"pen paper","code":"B"})");
    ASSERT_TRUE(index_->Refresh().ok());
  }

  void Put(const std::string& id, const std::string& source) {
    auto put = index_->Put(id, source);
    ASSERT_TRUE(put.ok()) << put.status().ToString();
  }

  static SearchRequest Match(const std::string& field, const std::string& text,
                             MatchQuery::Type type = MatchQuery::Type::kBestFields) {
    MatchQuery match;
    match.fields = {{field, 1.0}};
    match.text = text;
    match.type = type;
    SearchRequest request;
    request.query.node = match;
    return request;
  }

  double ScoreOf(const SearchResult& result, const std::string& id) {
    for (const auto& hit : result.hits) {
      if (hit.id == id) return hit.score;
    }
    ADD_FAILURE() << id << " not found";
    return -1;
  }

  TempDir dir_;
  std::unique_ptr<Engine> engine_;
  std::shared_ptr<Index> index_;
};

TEST_F(IndexOptionsTest, FreqsFieldsMatchAndWeighTermFrequency) {
  SearchResult result = MustSearch(*index_, Match("notes", "pen"));
  ASSERT_EQ(result.total, 2u);
  EXPECT_EQ(HitIds(result).front(), "many");
  EXPECT_GT(ScoreOf(result, "many"), ScoreOf(result, "one")) << "three occurrences outweigh one";
}

TEST_F(IndexOptionsTest, DocsFieldsCountEachWordOnce) {
  SearchResult result = MustSearch(*index_, Match("tags", "pen"));
  ASSERT_EQ(result.total, 2u);
  EXPECT_DOUBLE_EQ(ScoreOf(result, "many"), ScoreOf(result, "one"));
}

TEST_F(IndexOptionsTest, PhrasesOnAFieldWithoutPositionsAreRefused) {
  for (auto type : {MatchQuery::Type::kPhrase, MatchQuery::Type::kPhrasePrefix}) {
    auto result = index_->Search(Match("notes", "pen paper", type));
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(result.status().IsInvalidArgument());
    EXPECT_EQ(result.status().message(),
              "field:[notes] was indexed without position data; cannot run PhraseQuery (phrase=notes:\"pen paper\")");
  }
  // One word needs no positions; a field with them still runs phrases.
  EXPECT_EQ(MustSearch(*index_, Match("notes", "paper", MatchQuery::Type::kPhrase)).total, 2u);
  SearchResult phrase = MustSearch(*index_, Match("name", "red pen", MatchQuery::Type::kPhrase));
  EXPECT_EQ(HitIds(phrase), std::vector<std::string>{"many"});
}

TEST_F(IndexOptionsTest, TheOptionIsShownKeptAndCannotChange) {
  json::value mapping = json::parse(index_->MappingsJson());
  const auto& props = mapping.at("properties");
  EXPECT_EQ(props.at("notes").at("index_options"), "freqs");
  EXPECT_EQ(props.at("tags").at("index_options"), "docs");
  EXPECT_EQ(props.at("code").at("index_options"), "docs");
  EXPECT_FALSE(props.at("name").as_object().contains("index_options")) << "the default is not printed";

  Status changed = index_->PutMapping(R"({"properties":{"notes":{"type":"text","analyzer":"standard"}}})");
  EXPECT_TRUE(changed.IsInvalidArgument());
  EXPECT_NE(changed.message().find("Cannot update parameter [index_options] from [freqs] to [positions]"),
            std::string::npos)
      << changed.message();
  EXPECT_TRUE(index_->PutMapping(R"({"properties":{"notes":{"type":"text","analyzer":"standard","index_options":"freqs"}}})")
                  .ok());

  // After a restart the field still has no positions: phrases are still refused.
  index_.reset();
  engine_.reset();
  engine_ = OpenTestEngine(dir_.str());
  ASSERT_NE(engine_, nullptr);
  index_ = engine_->GetIndex("shop").value();
  EXPECT_EQ(json::parse(index_->MappingsJson()).at("properties").at("notes").at("index_options"), "freqs");
  EXPECT_TRUE(index_->Search(Match("notes", "pen paper", MatchQuery::Type::kPhrase)).status().IsInvalidArgument());
}

TEST_F(IndexOptionsTest, BadValuesAreRejectedInElasticsearchsWords) {
  struct Case {
    const char* field;
    const char* expected;
  } cases[] = {
      {R"({"type":"text","index_options":"everything"})",
       "Unknown value [everything] for field [index_options] - accepted values are [docs, freqs, positions, offsets]"},
      {R"({"type":"keyword","index_options":"positions"})",
       "Unknown value [positions] for field [index_options] - accepted values are [docs, freqs]"},
      {R"({"type":"long","index_options":"docs"})", "unknown parameter [index_options] on mapper [f] of type [long]"},
  };
  for (const auto& c : cases) {
    IndexSettings settings;
    settings.mappings_json = std::string(R"({"properties":{"f":)") + c.field + "}}";
    auto created = engine_->CreateIndex("bad", settings);
    ASSERT_FALSE(created.ok()) << c.field;
    EXPECT_EQ(created.status().message(), c.expected) << c.field;
  }
}

}  // namespace
}  // namespace ultrasearch::testing
