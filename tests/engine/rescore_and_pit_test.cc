// Score combinators (engine/src/search/rescorer.h) and points in time through the engine API.
// Expected scores come from Elasticsearch's formulas applied by hand to constant scores.
#include "engine/engine_test_util.h"

namespace ultrasearch::testing {
namespace {

Query Term(const std::string& field, const std::string& value) { return Query{TermQuery{field, {value}}}; }

Query Constant(Query filter, double boost) {
  ConstantScoreQuery c;
  c.filter.push_back(std::move(filter));
  Query q{c};
  q.boost = boost;
  return q;
}

class RescoreTest : public ProductsIndexTest {
 protected:
  void SetUp() override {
    ProductsIndexTest::SetUp();
    ASSERT_TRUE(index_->Put("a", R"({"name":"kitob","brand":"Acme","price":100})").ok());
    ASSERT_TRUE(index_->Put("b", R"({"name":"kitob","brand":"Acme","price":300})").ok());
    ASSERT_TRUE(index_->Put("c", R"({"name":"kitob","brand":"Zeta","price":200})").ok());
    ASSERT_TRUE(index_->Refresh().ok());
  }
  static std::map<std::string, double> Scores(const SearchResult& r) {
    std::map<std::string, double> out;
    for (const auto& h : r.hits) out[h.id] = h.score;
    return out;
  }
};

TEST_F(RescoreTest, DisMaxTakesTheBestPlusTieBreaker) {
  DisMaxQuery d;
  d.tie_breaker = 0.25;
  d.queries.push_back(Constant(Term("brand", "Acme"), 4));
  RangeQuery cheap;
  cheap.field = "price";
  cheap.lte = "200";
  d.queries.push_back(Constant(Query{cheap}, 2));
  SearchRequest request;
  request.query = Query{d};
  auto r = MustSearch(*index_, request);
  EXPECT_EQ(HitIds(r), (std::vector<std::string>{"a", "b", "c"}));
  auto s = Scores(r);
  EXPECT_DOUBLE_EQ(s["a"], 4 + 0.25 * 2);
  EXPECT_DOUBLE_EQ(s["b"], 4);
  EXPECT_DOUBLE_EQ(s["c"], 2);
  EXPECT_EQ(r.total, 3u);
}

TEST_F(RescoreTest, FunctionScoreDecayAndMinScore) {
  FunctionScoreQuery f;
  f.query.push_back(Query{});  // match_all: 1
  ScoreFunction linear;
  linear.kind = ScoreFunction::Kind::kLinear;
  linear.field = "price";
  linear.origin = "100";
  linear.scale = "100";
  linear.decay = 0.5;  // reaches 0 at 200 from the origin
  f.functions.push_back(linear);
  ScoreFunction acme;
  acme.filter.push_back(Term("brand", "Acme"));
  acme.weight = 3;
  f.functions.push_back(acme);
  f.score_mode = FunctionScoreQuery::ScoreMode::kSum;
  f.min_score = 1.2;
  SearchRequest request;
  request.query = Query{f};
  auto r = MustSearch(*index_, request);
  // a: 1 + 3 = 4; b: 0 + 3 = 3; c: 0.5 (below min_score).
  EXPECT_EQ(HitIds(r), (std::vector<std::string>{"a", "b"}));
  EXPECT_DOUBLE_EQ(Scores(r)["a"], 4);
  EXPECT_DOUBLE_EQ(Scores(r)["b"], 3);
  EXPECT_EQ(r.total, 2u);
}

TEST_F(RescoreTest, PointInTimeKeepsItsState) {
  auto pit = index_->OpenPointInTime();
  ASSERT_TRUE(pit.ok()) << pit.status().ToString();
  ASSERT_TRUE(index_->Put("d", R"({"name":"kitob","brand":"Beta","price":50})").ok());
  ASSERT_TRUE(index_->Refresh().ok());
  SearchRequest request = MatchRequest("kitob");
  EXPECT_EQ(MustSearch(*index_, request).total, 4u);
  request.point_in_time = pit.value();
  // Xapian keeps the revision before the newest readable: one commit later it still answers.
  auto pinned = index_->Search(request);
  ASSERT_TRUE(pinned.ok()) << pinned.status().ToString();
  EXPECT_EQ(pinned->total, 3u);
  for (const auto& h : pinned->hits) EXPECT_NE(h.id, "d");
  // Two commits later its blocks may be reused: then NotFound, never the newer state.
  ASSERT_TRUE(index_->Put("e", R"({"name":"kitob","brand":"Beta","price":60})").ok());
  ASSERT_TRUE(index_->Refresh().ok());
  ASSERT_TRUE(index_->Put("f", R"({"name":"kitob","brand":"Beta","price":70})").ok());
  ASSERT_TRUE(index_->Refresh().ok());
  auto later = index_->Search(request);
  if (later.ok()) {
    EXPECT_EQ(later->total, 3u);
  } else {
    EXPECT_TRUE(later.status().IsNotFound()) << later.status().ToString();
  }
  // The index itself moved on.
  request.point_in_time = nullptr;
  EXPECT_EQ(MustSearch(*index_, request).total, 6u);
}

}  // namespace
}  // namespace ultrasearch::testing
