// multi_match with `operator` and `minimum_should_match` across best_fields, most_fields and
// cross_fields, on documents whose words are split between two fields.
//
// Expected sets follow Elasticsearch's documentation of multi_match: for best_fields and
// most_fields "the operator and minimum_should_match parameters are applied to each field
// separately" (a document matches when one field alone satisfies them); cross_fields is
// term-centric, so they apply per term across the fields (each term may be found in any field).
// minimum_should_match: an integer is a count, a negative integer is the number of terms that may
// be missing, a percentage is rounded down, a negative percentage is the share that may be missing
// (rounded down). Both fields use the `standard` analyzer, so cross_fields has one field group.
#include <set>

#include "engine/engine_test_util.h"
#include "engine/multi_match_cases.h"

namespace ultrasearch::testing {
namespace {

class MultiMatchTest : public ::testing::TestWithParam<MultiMatchCase> {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    engine_ = OpenTestEngine(dir_->str()).release();
    ASSERT_NE(engine_, nullptr);
    IndexSettings settings;
    settings.mappings_json = kMultiMatchMappings;
    auto index = engine_->CreateIndex("mm", settings);
    ASSERT_TRUE(index.ok()) << index.status().ToString();
    index_ = index.value();
    for (const auto& doc : MultiMatchDocuments()) {
      auto put = index_->Put(doc.id, doc.json);
      ASSERT_TRUE(put.ok()) << doc.id << ": " << put.status().ToString();
    }
    ASSERT_TRUE(index_->Refresh().ok());
  }
  static void TearDownTestSuite() {
    index_.reset();
    delete engine_;
    delete dir_;
  }

  static inline TempDir* dir_ = nullptr;
  static inline Engine* engine_ = nullptr;
  static inline std::shared_ptr<Index> index_;
};

TEST_P(MultiMatchTest, MatchesExactlyTheDocumentsElasticsearchWould) {
  const MultiMatchCase& c = GetParam();
  ASSERT_NE(index_, nullptr);
  MatchQuery match;
  match.text = c.query;
  match.fields = {{"name", 1.0}, {"description", 1.0}};
  match.type = c.type == "best_fields"   ? MatchQuery::Type::kBestFields
               : c.type == "most_fields" ? MatchQuery::Type::kMostFields
                                         : MatchQuery::Type::kCrossFields;
  match.op = c.op == "and" ? MatchQuery::Operator::kAnd : MatchQuery::Operator::kOr;
  match.minimum_should_match = c.minimum_should_match;
  SearchRequest request;
  request.query.node = match;
  request.size = 100;
  request.fetch_source = false;
  request.reread_in_other_layout = false;
  SearchResult result = MustSearch(*index_, request);
  auto ids = HitIds(result);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), c.expected) << c.why;
  EXPECT_EQ(result.total, c.expected.size());
}

INSTANTIATE_TEST_SUITE_P(SplitAcrossFields, MultiMatchTest, ::testing::ValuesIn(MultiMatchCases()),
                         [](const ::testing::TestParamInfo<MultiMatchCase>& info) { return info.param.name; });

// Boosts change scores, never which documents match.
TEST_F(MultiMatchTest, FieldBoostsDoNotChangeTheMatchSet) {
  MatchQuery match;
  match.text = "samsung galaxy";
  match.fields = {{"name", 3.0}, {"description", 1.0}};
  match.type = MatchQuery::Type::kCrossFields;
  match.op = MatchQuery::Operator::kAnd;
  SearchRequest request;
  request.query.node = match;
  request.size = 100;
  auto ids = HitIds(MustSearch(*index_, request));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), (std::set<std::string>{"A", "B", "C", "F"}));
}

}  // namespace
}  // namespace ultrasearch::testing
