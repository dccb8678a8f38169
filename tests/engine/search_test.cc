// Ranking, filters, sorting, paging and totals through Index::Search.
#include <boost/json.hpp>

#include "engine/engine_test_util.h"

namespace ultrasearch::testing {
namespace {

class SearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = OpenTestEngine(dir_.str());
    index_ = engine_->GetOrCreateIndex("products").value();
    const char* docs[][2] = {
        {"n1", R"({"name":"Samsung Galaxy A54 smartfon","description":"Qulay telefon","brand":"Samsung","category":"Smartfonlar","price":4599000,"rating":4.6,"in_stock":true,"created_at":"2024-03-01T00:00:00Z","tags":["chegirma"]})"},
        {"n2", R"({"name":"Xiaomi Redmi Note 12","description":"Samsung bilan raqobat qiladigan arzon smartfon","brand":"Xiaomi","category":"Smartfonlar","price":2399000,"rating":4.4,"in_stock":true,"created_at":"2023-06-10T00:00:00Z"})"},
        {"n3", R"({"name":"Samsung RB30 muzlatgich","description":"No Frost, 311 l","brand":"Samsung","category":"Muzlatgichlar","price":7999000,"rating":4.8,"in_stock":false,"created_at":"2022-01-05T00:00:00Z"})"},
        {"n4", R"({"name":"Artel HD 455 muzlatgich","description":"Ikki kamerali","brand":"Artel","category":"Muzlatgichlar","price":3899000,"in_stock":true,"created_at":"2024-08-20T00:00:00Z","tags":["chegirma","yangi"]})"},
        {"n5", R"({"name":"Apple iPhone 15","description":"Smartfon","brand":"Apple","category":"Smartfonlar","price":11999000,"rating":4.9,"in_stock":true,"created_at":"2024-09-22T00:00:00Z"})"},
    };
    for (auto& d : docs) ASSERT_TRUE(index_->Put(d[0], d[1]).ok()) << d[0];
    ASSERT_TRUE(index_->Refresh().ok());
  }

  SearchRequest Filtered(const std::string& text, std::vector<Query> filters) {
    BoolQuery b;
    MatchQuery m;
    m.text = text;
    b.must.push_back(Query{m});
    b.filter = std::move(filters);
    SearchRequest r;
    r.query.node = std::move(b);
    return r;
  }

  TempDir dir_;
  std::unique_ptr<Engine> engine_;
  std::shared_ptr<Index> index_;
};

TEST_F(SearchTest, NameMatchesOutrankDescriptionMatches) {
  auto result = MustSearch(*index_, MatchRequest("samsung"));
  ASSERT_EQ(result.total, 3u);
  auto ids = HitIds(result);
  EXPECT_EQ(ids.back(), "n2") << "n2 mentions Samsung only in its description";
  EXPECT_GT(result.hits[0].score, result.hits[2].score);
  EXPECT_DOUBLE_EQ(result.max_score, result.hits[0].score);
}

TEST_F(SearchTest, OperatorAndRequiresEveryWord) {
  EXPECT_EQ(MustSearch(*index_, MatchRequest("samsung muzlatgich", MatchQuery::Operator::kAnd)).total, 1u);
  EXPECT_EQ(MustSearch(*index_, MatchRequest("samsung muzlatgich", MatchQuery::Operator::kOr)).total, 4u);
}

TEST_F(SearchTest, MinimumShouldMatch) {
  auto request = MatchRequest("samsung muzlatgich iphone");
  std::get<MatchQuery>(request.query.node).minimum_should_match = "2";
  EXPECT_EQ(HitIds(MustSearch(*index_, request)), std::vector<std::string>{"n3"});
}

TEST_F(SearchTest, ShouldOnlyBoolRequiresOneClauseEvenWithMinimumZero) {
  BoolQuery b;
  b.should.push_back(Query{TermQuery{"brand", {"Artel"}}});
  b.minimum_should_match = "0";
  SearchRequest r;
  r.query.node = b;
  EXPECT_EQ(HitIds(MustSearch(*index_, r)), std::vector<std::string>{"n4"});
}

TEST_F(SearchTest, MinimumShouldMatchOverTooManyCombinationsIsRefusedNotTruncated) {
  BoolQuery b;
  for (int i = 0; i < 14; ++i) b.should.push_back(Query{TermQuery{"tags", {NumberedId("t", static_cast<uint64_t>(i))}}});
  b.minimum_should_match = "7";
  SearchRequest r;
  r.query.node = b;
  auto result = index_->Search(r);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsInvalidArgument()) << result.status().ToString();
  b.minimum_should_match = "2";  // C(14,2) = 91 combinations: fine
  r.query.node = b;
  EXPECT_TRUE(index_->Search(r).ok());
}

TEST_F(SearchTest, KeywordTermAndRangeFilters) {
  auto r = MustSearch(*index_, Filtered("muzlatgich", {Query{TermQuery{"brand", {"Artel"}}}}));
  EXPECT_EQ(HitIds(r), std::vector<std::string>{"n4"});
  RangeQuery cheap;
  cheap.field = "price";
  cheap.lt = "4000000";
  r = MustSearch(*index_, Filtered("smartfon", {Query{cheap}}));
  EXPECT_EQ(HitIds(r), std::vector<std::string>{"n2"});
  r = MustSearch(*index_, Filtered("samsung", {Query{TermQuery{"in_stock", {"false"}}}}));
  EXPECT_EQ(HitIds(r), std::vector<std::string>{"n3"});
  r = MustSearch(*index_, Filtered("smartfon", {Query{TermQuery{"tags", {"chegirma", "yangi"}}}}));
  EXPECT_EQ(HitIds(r), std::vector<std::string>{"n1"});
}

TEST_F(SearchTest, MustNotAndShould) {
  BoolQuery b;
  b.should.push_back(Query{TermQuery{"brand", {"Samsung"}}});
  b.should.push_back(Query{TermQuery{"brand", {"Apple"}}});
  b.must_not.push_back(Query{TermQuery{"category", {"Muzlatgichlar"}}});
  SearchRequest r;
  r.query.node = b;
  auto ids = HitIds(MustSearch(*index_, r));
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"n1", "n5"}));
}

TEST_F(SearchTest, SortByNumericAndDateFieldsWithMissingValuesLast) {
  SearchRequest r;
  r.sort = {{"price", true}};
  EXPECT_EQ(HitIds(MustSearch(*index_, r)), (std::vector<std::string>{"n5", "n3", "n1", "n4", "n2"}));
  r.sort = {{"price", false}};
  EXPECT_EQ(HitIds(MustSearch(*index_, r)), (std::vector<std::string>{"n2", "n4", "n1", "n3", "n5"}));
  r.sort = {{"rating", false}};
  auto asc = HitIds(MustSearch(*index_, r));
  EXPECT_EQ(asc.back(), "n4") << "n4 has no rating";
  r.sort = {{"rating", true}};
  auto result = MustSearch(*index_, r);
  EXPECT_EQ(HitIds(result).back(), "n4");
  EXPECT_EQ(std::get<double>(result.hits[0].sort_values[0]), 4.9);
  r.sort = {{"created_at", true}};
  EXPECT_EQ(HitIds(MustSearch(*index_, r)).front(), "n5");
}

TEST_F(SearchTest, SortErrorsAreClear) {
  SearchRequest r;
  r.sort = {{"description", false}};
  EXPECT_TRUE(index_->Search(r).status().IsInvalidArgument());
  r.sort = {{"nonexistent", false}};
  EXPECT_TRUE(index_->Search(r).status().IsInvalidArgument());
}

TEST_F(SearchTest, PagingWithExactTotals) {
  SearchRequest r;
  r.sort = {{"price", false}};
  r.size = 2;
  r.from = 2;
  auto result = MustSearch(*index_, r);
  EXPECT_EQ(result.total, 5u);
  EXPECT_FALSE(result.total_is_lower_bound);
  EXPECT_EQ(HitIds(result), (std::vector<std::string>{"n1", "n3"}));
  r.from = 10;
  result = MustSearch(*index_, r);
  EXPECT_TRUE(result.hits.empty());
  EXPECT_EQ(result.total, 5u);
}

TEST_F(SearchTest, TotalsAreExactOnlyUpToTheTrackingLimit) {
  SearchRequest r;
  r.track_total_hits_up_to = 2;
  r.size = 1;
  auto result = MustSearch(*index_, r);
  EXPECT_GE(result.total, 2u);
  r.track_total_hits_up_to = 10000;
  EXPECT_EQ(MustSearch(*index_, r).total, 5u);
}

TEST_F(SearchTest, PostFilterNarrowsHits) {
  auto r = MatchRequest("smartfon");
  r.post_filter = Query{TermQuery{"brand", {"Apple"}}};
  EXPECT_EQ(HitIds(MustSearch(*index_, r)), std::vector<std::string>{"n5"});
}

TEST_F(SearchTest, IdsExistsPrefixAndPhrase) {
  SearchRequest r;
  r.query.node = IdsQuery{{"n1", "n4", "zz"}};
  EXPECT_EQ(MustSearch(*index_, r).total, 2u);
  r.query.node = ExistsQuery{"rating"};
  EXPECT_EQ(MustSearch(*index_, r).total, 4u);
  r.query.node = PrefixQuery{"brand", "Sam"};
  EXPECT_EQ(MustSearch(*index_, r).total, 2u);
  MatchQuery phrase;
  phrase.type = MatchQuery::Type::kPhrase;
  phrase.fields = {{"name", 1.0}};
  phrase.text = "redmi note";
  r.query.node = phrase;
  EXPECT_EQ(HitIds(MustSearch(*index_, r)), std::vector<std::string>{"n2"});
  phrase.text = "note redmi";
  r.query.node = phrase;
  EXPECT_EQ(MustSearch(*index_, r).total, 0u);
}

TEST_F(SearchTest, BoolPrefixMatchesTheWordBeingTyped) {
  MatchQuery m;
  m.type = MatchQuery::Type::kBoolPrefix;
  m.op = MatchQuery::Operator::kAnd;
  m.text = "samsung muzla";
  SearchRequest r;
  r.query.node = m;
  EXPECT_EQ(HitIds(MustSearch(*index_, r)), std::vector<std::string>{"n3"});
}

TEST_F(SearchTest, FuzzinessAutoToleratesATypo) {
  auto r = MatchRequest("samsnug");
  EXPECT_EQ(MustSearch(*index_, r).total, 0u);
  std::get<MatchQuery>(r.query.node).fuzziness.mode = Fuzziness::Mode::kAuto;
  EXPECT_EQ(MustSearch(*index_, r).total, 3u);
}

// Elasticsearch gives every match_all hit its boost as score (1.0 unless boosted).
TEST_F(SearchTest, MatchAllScoresItsBoost) {
  SearchRequest request;
  request.query.node = MatchAllQuery{};
  auto r = index_->Search(request);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_FALSE(r->hits.empty());
  for (const Hit& h : r->hits) EXPECT_EQ(h.score, 1.0) << h.id;
  EXPECT_EQ(r->max_score, 1.0);
  request.query.boost = 2.5;
  r = index_->Search(request);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->hits.front().score, 2.5);
  EXPECT_EQ(r->max_score, 2.5);
}

// A caller that stops waiting (the HTTP client went away) stops the search between its phases.
TEST_F(SearchTest, ACancelledSearchStopsWithCancelled) {
  auto r = MatchRequest("samsung");
  int polls = 0;
  r.cancelled = [&polls] {
    ++polls;
    return true;
  };
  auto result = index_->Search(r);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsCancelled()) << result.status().ToString();
  EXPECT_GE(polls, 1);
  // Not cancelled: the same search answers, and a generous timeout does not mark it partial.
  r.cancelled = [] { return false; };
  r.timeout = std::chrono::milliseconds(60000);
  auto whole = index_->Search(r);
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();
  EXPECT_EQ(whole->total, 3u);
  EXPECT_FALSE(whole->timed_out);
}

TEST_F(SearchTest, SearchSeesWritesOnlyAfterRefresh) {
  ASSERT_TRUE(index_->Put("n6", R"({"name":"Changyutgich Dyson V15"})").ok());
  EXPECT_EQ(MustSearch(*index_, MatchRequest("dyson")).total, 0u);
  ASSERT_TRUE(index_->Refresh().ok());
  EXPECT_EQ(MustSearch(*index_, MatchRequest("dyson")).total, 1u);
}

TEST(SearchRefreshTest, BackgroundRefreshMakesWritesVisible) {
  TempDir dir;
  auto engine = OpenTestEngine(dir.str(), std::chrono::milliseconds(20));
  auto index = engine->GetOrCreateIndex("products").value();
  ASSERT_TRUE(index->Put("a", R"({"name":"Konditsioner Artel"})").ok());
  uint64_t total = 0;
  for (int i = 0; i < 200 && total == 0; ++i) {  // bounded wait: up to 2 s
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    total = MustSearch(*index, MatchRequest("konditsioner")).total;
  }
  EXPECT_EQ(total, 1u);
}

}  // namespace
}  // namespace ultrasearch::testing

namespace ultrasearch::testing {
namespace {

// Regression: Xapian 1.4.22 fails counting a term that every document has once some documents
// were deleted between commits; the engine must route around it.
TEST(SearchXapianQuirkTest, TermInEveryDocumentAfterDeletes) {
  TempDir dir;
  auto engine = OpenTestEngine(dir.str());
  auto index = engine->GetOrCreateIndex("products").value();
  for (int batch = 0; batch < 100; ++batch) {
    std::vector<WriteOp> ops;
    for (int i = 0; i < 25; ++i) {
      std::string id = std::to_string(batch * 25 + i);
      ops.push_back({WriteOp::Type::kIndex, id, R"({"name":"Samsung )" + id + R"(","brand":"Samsung","currency":"UZS"})"});
    }
    ASSERT_TRUE(index->Write(ops).ok());
    if (batch > 0 && batch % 4 == 0) {
      ASSERT_TRUE(index->Delete(std::to_string(batch * 25 - 7)).ok());
    }
    ASSERT_TRUE(index->Refresh().ok());
  }
  const uint64_t expected = 2500 - 24;
  auto count = index->Count(Query{TermQuery{"brand", {"Samsung"}}});
  ASSERT_TRUE(count.ok()) << count.status().ToString();
  EXPECT_EQ(*count, expected);
  count = index->Count(MatchText("samsung"));
  ASSERT_TRUE(count.ok()) << count.status().ToString();
  EXPECT_EQ(*count, expected);
  SearchRequest r;
  BoolQuery b;
  b.filter.push_back(Query{TermQuery{"currency", {"UZS"}}});
  r.query.node = b;
  r.size = 0;
  EXPECT_EQ(MustSearch(*index, r).total, expected);
  r.query.node = MatchAllQuery{};
  r.sort = {{"_doc", false}};
  r.size = 3;
  auto result = MustSearch(*index, r);
  EXPECT_EQ(result.total, expected);
  EXPECT_EQ(HitIds(result), (std::vector<std::string>{"0", "1", "2"}));
}

}  // namespace
}  // namespace ultrasearch::testing
