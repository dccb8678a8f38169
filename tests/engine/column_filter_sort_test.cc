// Filters and sorting on multi-valued fields with Elasticsearch's semantics: term and range match
// any value; ascending sorts use a document's smallest value, descending its largest, or the
// requested mode; documents without a value go last (or first when asked); ties keep index order.
#include "engine/engine_test_util.h"

namespace ultrasearch::testing {
namespace {

class ColumnFilterSortTest : public ProductsIndexTest {
 protected:
  void SetUp() override {
    ProductsIndexTest::SetUp();
    const char* docs[][2] = {
        {"a", R"({"name":"kofta","price":[100,900],"tags":["qizil","yashil"],"created_at":["2024-01-01","2024-06-01"]})"},
        {"b", R"({"name":"kofta","price":500,"tags":["sariq"],"created_at":"2024-03-01"})"},
        {"c", R"({"name":"kofta","price":[300,400],"tags":["oq","qora"]})"},
        {"d", R"({"name":"kofta","tags":["zangori"]})"},
        {"e", R"({"name":"kofta","price":500,"tags":["sariq"]})"},
    };
    for (auto& d : docs) ASSERT_TRUE(index_->Put(d[0], d[1]).ok()) << d[0];
    ASSERT_TRUE(index_->Refresh().ok());
  }

  std::vector<std::string> Ids(Query filter, std::vector<SortField> sort = {}) {
    SearchRequest r = MatchRequest("kofta");
    BoolQuery b;
    b.must.push_back(r.query);
    b.filter.push_back(std::move(filter));
    r.query.node = std::move(b);
    r.sort = std::move(sort);
    r.sort.push_back({"_doc", false});
    return HitIds(MustSearch(*index_, r));
  }

  std::vector<std::string> Sorted(SortField field) {
    SearchRequest r = MatchRequest("kofta");
    r.sort = {field};
    auto result = MustSearch(*index_, r);
    sort_values_.clear();
    for (const auto& h : result.hits) sort_values_.push_back(h.sort_values.at(0));
    return HitIds(result);
  }

  std::vector<SortValue> sort_values_;
};

TEST_F(ColumnFilterSortTest, RangeAndTermMatchAnyValue) {
  RangeQuery high{"price", {}, std::string("800"), {}, {}};
  EXPECT_EQ(Ids(Query{high}), std::vector<std::string>{"a"}) << "900 is a's largest price, not its first";
  RangeQuery mid{"price", {}, std::string("350"), {}, std::string("450")};
  EXPECT_EQ(Ids(Query{mid}), std::vector<std::string>{"c"});
  RangeQuery gap{"price", std::string("100"), {}, std::string("300"), {}};
  EXPECT_TRUE(Ids(Query{gap}).empty()) << "bounds are exclusive; no price lies strictly between";
  EXPECT_EQ(Ids(Query{TermQuery{"price", {"900"}}}), std::vector<std::string>{"a"});
  EXPECT_EQ(Ids(Query{TermQuery{"price", {"400", "500"}}}), (std::vector<std::string>{"b", "c", "e"}));
  RangeQuery june{"created_at", {}, std::string("2024-05-01"), {}, {}};
  EXPECT_EQ(Ids(Query{june}), std::vector<std::string>{"a"});
  RangeQuery tags{"tags", {}, std::string("s"), {}, std::string("t")};
  EXPECT_EQ(Ids(Query{tags}), (std::vector<std::string>{"b", "e"})) << "keyword ranges compare every value";
  RangeQuery any_price{"price", {}, {}, {}, {}};
  EXPECT_EQ(Ids(Query{any_price}), (std::vector<std::string>{"a", "b", "c", "e"}));
}

TEST_F(ColumnFilterSortTest, AscendingUsesMinDescendingMaxMissingLast) {
  EXPECT_EQ(Sorted({"price", false}), (std::vector<std::string>{"a", "c", "b", "e", "d"}));
  EXPECT_EQ(sort_values_.front(), SortValue(100.0));
  EXPECT_EQ(sort_values_.back(), SortValue(std::monostate{}));
  EXPECT_EQ(Sorted({"price", true}), (std::vector<std::string>{"a", "b", "e", "c", "d"}))
      << "a by 900; b and e tie at 500 and keep index order";
  EXPECT_EQ(sort_values_.front(), SortValue(900.0));
}

TEST_F(ColumnFilterSortTest, SearchAfterKeepsHitsAfterTheTuple) {
  // price descending (a 900; b and e 500; c 400; d none, last), then tags ascending (smallest).
  SearchRequest r = MatchRequest("kofta");
  r.sort = {{"price", true}, {"tags", false}};
  r.search_after = {SortValue(900.0), SortValue(std::string("qizil"))};
  EXPECT_EQ(HitIds(MustSearch(*index_, r)), (std::vector<std::string>{"b", "e", "c", "d"}));
  r.search_after = {SortValue(500.0), SortValue(std::string("sariq"))};
  EXPECT_EQ(HitIds(MustSearch(*index_, r)), (std::vector<std::string>{"c", "d"})) << "b and e tie: both skipped";
  r.search_after = {SortValue(450.0), SortValue(std::string("a"))};
  EXPECT_EQ(HitIds(MustSearch(*index_, r)), (std::vector<std::string>{"c", "d"})) << "values need not exist";
  r.search_after = {SortValue(std::monostate{}), SortValue(std::string("a"))};
  EXPECT_EQ(HitIds(MustSearch(*index_, r)), (std::vector<std::string>{"d"})) << "missing sorts last";
  r.search_after = {SortValue(std::monostate{}), SortValue(std::string("zangori"))};
  EXPECT_TRUE(HitIds(MustSearch(*index_, r)).empty());
}

TEST_F(ColumnFilterSortTest, SearchAfterRejectsBadInput) {
  SearchRequest r = MatchRequest("kofta");
  r.sort = {{"price", true}, {"tags", false}};
  r.search_after = {SortValue(900.0)};
  auto count = index_->Search(r);
  ASSERT_FALSE(count.ok());
  EXPECT_EQ(count.status().message(), "search_after has 1 value(s) but sort has 2.");
  r.search_after = {SortValue(900.0), SortValue(std::string("qizil"))};
  r.from = 1;
  EXPECT_FALSE(index_->Search(r).ok());
  r.from = 0;
  r.search_after = {SortValue(std::string("dear")), SortValue(std::string("qizil"))};
  EXPECT_FALSE(index_->Search(r).ok()) << "a string for a numeric sort";
  r.sort = {{"_score", true}};
  r.search_after = {SortValue(1.0)};
  EXPECT_FALSE(index_->Search(r).ok()) << "relevance sorts are not supported with search_after";
}

TEST_F(ColumnFilterSortTest, ModesAndMissingFirst) {
  SortField avg{"price", false, SortField::Mode::kAvg};
  EXPECT_EQ(Sorted(avg), (std::vector<std::string>{"c", "a", "b", "e", "d"}))
      << "averages 350, then a, b and e tie at 500 and keep index order";
  SortField max_asc{"price", false, SortField::Mode::kMax};
  EXPECT_EQ(Sorted(max_asc), (std::vector<std::string>{"c", "b", "e", "a", "d"}));
  SortField sum_desc{"price", true, SortField::Mode::kSum};
  EXPECT_EQ(Sorted(sum_desc), (std::vector<std::string>{"a", "c", "b", "e", "d"})) << "sums 1000, 700, 500, 500";
  SortField missing_first{"price", false, SortField::Mode::kDefault, true};
  EXPECT_EQ(Sorted(missing_first).front(), "d");
  SortField tags_desc{"tags", true};
  EXPECT_EQ(Sorted(tags_desc), (std::vector<std::string>{"d", "a", "b", "e", "c"}))
      << "largest tags: zangori, yashil, sariq, sariq, qora";
  EXPECT_EQ(sort_values_[1], SortValue(std::string("yashil")));
}

TEST_F(ColumnFilterSortTest, FiltersAndSortSeeUpdatesAfterRefresh) {
  ASSERT_TRUE(index_->Put("b", R"({"name":"kofta","price":[50,2000]})").ok());
  ASSERT_TRUE(index_->Delete("a").ok());
  ASSERT_TRUE(index_->Refresh().ok());
  RangeQuery high{"price", {}, std::string("800"), {}, {}};
  EXPECT_EQ(Ids(Query{high}), std::vector<std::string>{"b"});
  EXPECT_EQ(Sorted({"price", false}), (std::vector<std::string>{"b", "c", "e", "d"}));
}

}  // namespace
}  // namespace ultrasearch::testing
