// Aggregations through Index::Search against counts the test computes itself over the documents
// it wrote (random catalogs with multi-valued keywords and numbers, updates and deletes).
#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>

#include "engine/engine_test_util.h"

namespace ultrasearch::testing {
namespace {

struct Product {
  std::string id;
  bool alpha = false;  // the name has the word "alpha"
  std::string brand;
  std::vector<std::string> tags;  // distinct
  std::vector<double> prices;     // one or more
  std::optional<double> rating;
  int64_t created_ms = 0;
  bool in_stock = false;

  std::string Json() const {
    std::string j = "{\"name\":\"" + std::string(alpha ? "alpha " : "") + "mahsulot " + id + "\",\"brand\":\"" + brand + "\"";
    j += ",\"tags\":[";
    for (size_t i = 0; i < tags.size(); ++i) j += (i ? ",\"" : "\"") + tags[i] + "\"";
    j += "],\"price\":";
    if (prices.size() == 1) {
      j += std::to_string(prices[0]);
    } else {
      j += "[";
      for (size_t i = 0; i < prices.size(); ++i) j += (i ? "," : "") + std::to_string(prices[i]);
      j += "]";
    }
    if (rating) j += ",\"rating\":" + std::to_string(*rating);
    j += ",\"created_at\":" + std::to_string(created_ms);
    j += std::string(",\"in_stock\":") + (in_stock ? "true" : "false") + "}";
    return j;
  }
};

class AggregationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Open();
    std::mt19937 rng(7);
    const char* brands[] = {"Artel", "Samsung", "LG", "Xiaomi", "Apple", "Bosch"};
    const char* tags[] = {"yangi", "chegirma", "top", "eco", "sovga", "premium", "arzon"};
    for (int i = 0; i < 600; ++i) {
      Product p;
      p.id = NumberedId("p", static_cast<uint64_t>(i));
      p.alpha = rng() % 3 != 0;
      p.brand = brands[rng() % 6];
      std::set<std::string> t;
      for (int k = static_cast<int>(rng() % 4); k > 0; --k) t.insert(tags[rng() % 7]);
      p.tags.assign(t.begin(), t.end());
      for (int k = 1 + static_cast<int>(rng() % 5 == 0 ? 2 : 0); k > 0; --k) {
        p.prices.push_back(static_cast<double>(1000 * (1 + rng() % 200)));
      }
      std::sort(p.prices.begin(), p.prices.end());
      if (rng() % 4 != 0) p.rating = static_cast<double>(rng() % 50) / 10.0;
      p.created_ms = 1672531200000LL + static_cast<int64_t>(rng() % 400) * 86400000LL + static_cast<int64_t>(rng() % 86400000);
      p.in_stock = rng() % 2 == 0;
      products_[p.id] = p;
    }
    std::vector<WriteOp> ops;
    for (const auto& [id, p] : products_) ops.push_back({WriteOp::Type::kIndex, id, p.Json()});
    auto written = index_->Write(ops);
    ASSERT_TRUE(written.ok());
    for (const auto& r : *written) ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    // Change some after the first refresh so the columns see updates and deletes.
    ASSERT_TRUE(index_->Refresh().ok());
    for (int i = 0; i < 600; i += 7) {
      std::string id = NumberedId("p", static_cast<uint64_t>(i));
      if (i % 2 == 0) {
        ASSERT_TRUE(index_->Delete(id).ok());
        products_.erase(id);
      } else {
        Product& p = products_[id];
        p.brand = "Changed";
        p.tags = {"updated"};
        p.prices = {5.5, 777777};
        ASSERT_TRUE(index_->Put(id, p.Json()).ok());
      }
    }
    ASSERT_TRUE(index_->Refresh().ok());
  }

  void Open() {
    engine_ = OpenTestEngine(dir_.str());
    ASSERT_NE(engine_, nullptr);
    index_ = engine_->GetOrCreateIndex("products").value();
  }

  std::vector<const Product*> Alpha() const {
    std::vector<const Product*> out;
    for (const auto& [id, p] : products_) {
      if (p.alpha) out.push_back(&p);
    }
    return out;
  }

  static SearchRequest AlphaRequest(std::vector<Aggregation> aggs) {
    SearchRequest r = MatchRequest("alpha");
    r.size = 0;
    r.aggregations = std::move(aggs);
    return r;
  }

  static Aggregation Agg(std::string name, Aggregation::Type type, std::string field) {
    Aggregation a;
    a.name = std::move(name);
    a.type = type;
    a.field = std::move(field);
    return a;
  }

  // Expected terms buckets: count desc, key asc.
  static std::vector<std::pair<std::string, uint64_t>> TopTerms(std::map<std::string, uint64_t> counts, size_t size,
                                                                 uint64_t* other) {
    std::vector<std::pair<std::string, uint64_t>> v(counts.begin(), counts.end());
    std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    *other = 0;
    for (size_t i = size; i < v.size(); ++i) *other += v[i].second;
    if (v.size() > size) v.resize(size);
    return v;
  }

  static std::vector<std::pair<std::string, uint64_t>> Buckets(const AggregationResult& r) {
    std::vector<std::pair<std::string, uint64_t>> v;
    for (const auto& b : r.buckets) v.emplace_back(std::get<std::string>(b.key), b.doc_count);
    return v;
  }

  TempDir dir_;
  std::unique_ptr<Engine> engine_;
  std::shared_ptr<Index> index_;
  std::map<std::string, Product> products_;
};

TEST_F(AggregationTest, TermsCountEveryMatchOnceAndReportTheRest) {
  std::map<std::string, uint64_t> brands, tags;
  for (const Product* p : Alpha()) {
    ++brands[p->brand];
    for (const auto& t : p->tags) ++tags[t];
  }
  Aggregation tag_agg = Agg("tags", Aggregation::Type::kTerms, "tags");
  tag_agg.size = 3;
  auto result = MustSearch(*index_, AlphaRequest({Agg("brands", Aggregation::Type::kTerms, "brand"), tag_agg}));
  EXPECT_EQ(result.total, Alpha().size());
  EXPECT_TRUE(result.hits.empty());
  ASSERT_EQ(result.aggregations.size(), 2u);
  uint64_t other = 0;
  EXPECT_EQ(Buckets(result.aggregations[0]), TopTerms(brands, 10, &other));
  EXPECT_EQ(result.aggregations[0].sum_other_doc_count, other);
  EXPECT_EQ(Buckets(result.aggregations[1]), TopTerms(tags, 3, &other));
  EXPECT_EQ(result.aggregations[1].sum_other_doc_count, other);
  EXPECT_GT(other, 0u);
}

TEST_F(AggregationTest, TermsOrderMinDocCountMissingIncludeExclude) {
  std::map<std::string, uint64_t> brands;
  uint64_t untagged = 0;
  for (const Product* p : Alpha()) {
    ++brands[p->brand];
    untagged += p->tags.empty();
  }
  Aggregation by_key = Agg("b", Aggregation::Type::kTerms, "brand");
  by_key.order = Aggregation::Order::kKeyDesc;
  by_key.exclude = {"Apple"};
  Aggregation missing = Agg("t", Aggregation::Type::kTerms, "tags");
  missing.missing = "none";
  missing.include = {"none", "eco"};
  Aggregation rare = Agg("r", Aggregation::Type::kTerms, "brand");
  rare.min_doc_count = brands["Changed"] + 1;
  rare.include_regex = "Ch.*|Sam.*";
  auto result = MustSearch(*index_, AlphaRequest({by_key, missing, rare}));
  ASSERT_EQ(result.aggregations.size(), 3u);
  std::vector<std::pair<std::string, uint64_t>> expected;
  for (auto it = brands.rbegin(); it != brands.rend(); ++it) {
    if (it->first != "Apple") expected.emplace_back(*it);
  }
  EXPECT_EQ(Buckets(result.aggregations[0]), expected);
  uint64_t eco = 0;
  for (const Product* p : Alpha()) eco += std::count(p->tags.begin(), p->tags.end(), "eco");
  std::vector<std::pair<std::string, uint64_t>> tagged = {{"eco", eco}, {"none", untagged}};
  std::stable_sort(tagged.begin(), tagged.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  EXPECT_EQ(Buckets(result.aggregations[1]), tagged);
  std::vector<std::pair<std::string, uint64_t>> rare_expected;
  if (brands["Samsung"] >= brands["Changed"] + 1) rare_expected.emplace_back("Samsung", brands["Samsung"]);
  EXPECT_EQ(Buckets(result.aggregations[2]), rare_expected);
}

TEST_F(AggregationTest, RangeMatchesAnyValueOfAMultiValuedField) {
  Aggregation range = Agg("price", Aggregation::Type::kRange, "price");
  range.ranges = {{std::nullopt, std::nullopt, std::string("50000")},
                  {std::string("mid"), std::string("50000"), std::string("150000")},
                  {std::nullopt, std::string("150000"), std::nullopt}};
  uint64_t low = 0, mid = 0, high = 0;
  for (const Product* p : Alpha()) {
    low += std::any_of(p->prices.begin(), p->prices.end(), [](double v) { return v < 50000; });
    mid += std::any_of(p->prices.begin(), p->prices.end(), [](double v) { return v >= 50000 && v < 150000; });
    high += std::any_of(p->prices.begin(), p->prices.end(), [](double v) { return v >= 150000; });
  }
  auto result = MustSearch(*index_, AlphaRequest({range}));
  const auto& buckets = result.aggregations.at(0).buckets;
  ASSERT_EQ(buckets.size(), 3u);
  EXPECT_EQ(std::get<std::string>(buckets[0].key), "*-50000.0");
  EXPECT_EQ(buckets[0].doc_count, low);
  EXPECT_FALSE(buckets[0].from.has_value());
  EXPECT_EQ(std::get<std::string>(buckets[1].key), "mid");
  EXPECT_EQ(buckets[1].doc_count, mid);
  EXPECT_EQ(std::get<std::string>(buckets[2].key), "150000.0-*");
  EXPECT_EQ(buckets[2].doc_count, high);
  EXPECT_EQ(*buckets[2].from, 150000.0);
}

TEST_F(AggregationTest, HistogramsFillEmptyBucketsAndCountDocsOncePerBucket) {
  Aggregation histogram = Agg("h", Aggregation::Type::kHistogram, "price");
  histogram.interval = 25000;
  histogram.order = Aggregation::Order::kKeyAsc;
  std::map<double, uint64_t> expected;
  for (const Product* p : Alpha()) {
    std::set<double> keys;
    for (double v : p->prices) keys.insert(std::floor(v / 25000) * 25000);
    for (double k : keys) ++expected[k];
  }
  for (double k = expected.begin()->first; k <= expected.rbegin()->first; k += 25000) expected.try_emplace(k, 0);
  Aggregation months = Agg("m", Aggregation::Type::kDateHistogram, "created_at");
  months.calendar_interval = "month";
  months.order = Aggregation::Order::kKeyAsc;
  std::map<std::string, uint64_t> by_month;
  for (const Product* p : Alpha()) {
    time_t seconds = static_cast<time_t>(p->created_ms / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-01T00:00:00.000Z", tm.tm_year + 1900, tm.tm_mon + 1);
    ++by_month[buf];
  }
  auto result = MustSearch(*index_, AlphaRequest({histogram, months}));
  std::map<double, uint64_t> got;
  for (const auto& b : result.aggregations.at(0).buckets) got[std::get<double>(b.key)] = b.doc_count;
  EXPECT_EQ(got, expected);
  std::map<std::string, uint64_t> got_months;
  for (const auto& b : result.aggregations.at(1).buckets) got_months[*b.key_as_string] = b.doc_count;
  EXPECT_EQ(got_months, by_month);  // 2023-01 .. 2024-02, every month has products
}

TEST_F(AggregationTest, MetricsOverAllValues) {
  double sum = 0, min = INFINITY, max = -INFINITY;
  uint64_t count = 0;
  std::set<double> distinct;
  double rating_sum = 0;
  uint64_t rated = 0;
  for (const Product* p : Alpha()) {
    for (double v : p->prices) sum += v, min = std::min(min, v), max = std::max(max, v), ++count, distinct.insert(v);
    if (p->rating) rating_sum += *p->rating, ++rated;
  }
  Aggregation missing_rating = Agg("avg_rating_missing_0", Aggregation::Type::kAvg, "rating");
  missing_rating.missing = "0";
  auto result = MustSearch(*index_, AlphaRequest({
      Agg("stats", Aggregation::Type::kStats, "price"), Agg("min", Aggregation::Type::kMin, "price"),
      Agg("max", Aggregation::Type::kMax, "price"), Agg("sum", Aggregation::Type::kSum, "price"),
      Agg("count", Aggregation::Type::kValueCount, "price"), Agg("distinct", Aggregation::Type::kCardinality, "price"),
      Agg("avg_rating", Aggregation::Type::kAvg, "rating"), missing_rating,
      Agg("brands", Aggregation::Type::kCardinality, "brand"), Agg("nothing", Aggregation::Type::kMax, "no_such_field")}));
  const auto& a = result.aggregations;
  ASSERT_EQ(a.size(), 10u);
  EXPECT_EQ(a[0].count, count);
  EXPECT_DOUBLE_EQ(a[0].sum, sum);
  EXPECT_DOUBLE_EQ(*a[0].min, min);
  EXPECT_DOUBLE_EQ(*a[0].max, max);
  EXPECT_DOUBLE_EQ(*a[0].avg, sum / static_cast<double>(count));
  EXPECT_DOUBLE_EQ(*a[1].value, min);
  EXPECT_DOUBLE_EQ(*a[2].value, max);
  EXPECT_DOUBLE_EQ(*a[3].value, sum);
  EXPECT_EQ(*a[4].value, static_cast<double>(count));
  EXPECT_EQ(*a[5].value, static_cast<double>(distinct.size()));
  EXPECT_NEAR(*a[6].value, rating_sum / static_cast<double>(rated), 1e-9);
  EXPECT_NEAR(*a[7].value, rating_sum / static_cast<double>(Alpha().size()), 1e-9);
  std::set<std::string> brands;
  for (const Product* p : Alpha()) brands.insert(p->brand);
  EXPECT_EQ(*a[8].value, static_cast<double>(brands.size()));
  EXPECT_FALSE(a[9].value.has_value());
}

TEST_F(AggregationTest, SubAggregationsTwoLevelsDeep) {
  Aggregation avg = Agg("avg_price", Aggregation::Type::kMax, "price");
  Aggregation tags = Agg("tags", Aggregation::Type::kTerms, "tags");
  tags.size = 100;
  tags.subs = {avg};
  Aggregation brands = Agg("brands", Aggregation::Type::kTerms, "brand");
  brands.subs = {tags};
  auto result = MustSearch(*index_, AlphaRequest({brands}));
  std::map<std::string, std::map<std::string, std::pair<uint64_t, double>>> expected;
  for (const Product* p : Alpha()) {
    for (const auto& t : p->tags) {
      auto& e = expected[p->brand][t];
      ++e.first;
      e.second = std::max(e.second, p->prices.back());
    }
  }
  ASSERT_FALSE(result.aggregations.at(0).buckets.empty());
  for (const auto& brand : result.aggregations.at(0).buckets) {
    const std::string& name = std::get<std::string>(brand.key);
    ASSERT_EQ(brand.subs.size(), 1u);
    std::map<std::string, std::pair<uint64_t, double>> got;
    for (const auto& tag : brand.subs[0].buckets) {
      got[std::get<std::string>(tag.key)] = {tag.doc_count, *tag.subs.at(0).value};
    }
    EXPECT_EQ(got, expected[name]) << name;
  }
}

TEST_F(AggregationTest, FilterFiltersAndGlobal) {
  TermQuery samsung{"brand", {"Samsung"}};
  TermQuery in_stock{"in_stock", {"true"}};
  Aggregation filter = Agg("samsung", Aggregation::Type::kFilter, "");
  filter.filter = Query{samsung};
  filter.subs = {Agg("n", Aggregation::Type::kValueCount, "price")};
  Aggregation filters = Agg("f", Aggregation::Type::kFilters, "");
  filters.filters = {{"stock", Query{in_stock}}, {"samsung", Query{samsung}}};
  filters.other_bucket = true;
  Aggregation global = Agg("all", Aggregation::Type::kGlobal, "");
  global.subs = {Agg("brands", Aggregation::Type::kCardinality, "brand")};
  auto result = MustSearch(*index_, AlphaRequest({filter, filters, global}));
  uint64_t samsung_n = 0, samsung_values = 0, stock = 0, neither = 0;
  for (const Product* p : Alpha()) {
    samsung_n += p->brand == "Samsung";
    samsung_values += p->brand == "Samsung" ? p->prices.size() : 0;
    stock += p->in_stock;
    neither += p->brand != "Samsung" && !p->in_stock;
  }
  const auto& a = result.aggregations;
  EXPECT_EQ(a.at(0).doc_count, samsung_n);
  EXPECT_EQ(*a[0].subs.at(0).value, static_cast<double>(samsung_values));
  ASSERT_EQ(a.at(1).buckets.size(), 3u);
  EXPECT_EQ(a[1].buckets[0].doc_count, stock);
  EXPECT_EQ(a[1].buckets[1].doc_count, samsung_n);
  EXPECT_EQ(std::get<std::string>(a[1].buckets[2].key), "_other_");
  EXPECT_EQ(a[1].buckets[2].doc_count, neither);
  EXPECT_EQ(a.at(2).doc_count, products_.size());
  EXPECT_EQ(*a[2].subs.at(0).value, 7.0) << "six brands and the updated documents' brand";
}

TEST_F(AggregationTest, PostFilterNarrowsHitsNotAggregations) {
  SearchRequest request = AlphaRequest({Agg("brands", Aggregation::Type::kTerms, "brand")});
  request.size = 1000;
  request.post_filter = Query{TermQuery{"brand", {"LG", "Bosch"}}};
  auto result = MustSearch(*index_, request);
  uint64_t picked = 0;
  std::map<std::string, uint64_t> brands;
  for (const Product* p : Alpha()) picked += p->brand == "LG" || p->brand == "Bosch", ++brands[p->brand];
  EXPECT_EQ(result.total, picked);
  EXPECT_EQ(result.hits.size(), picked);
  EXPECT_EQ(result.aggregations.at(0).buckets.size(), brands.size()) << "every brand is still listed";
}

TEST_F(AggregationTest, ColumnsSurviveReopen) {
  auto before = MustSearch(*index_, AlphaRequest({Agg("tags", Aggregation::Type::kTerms, "tags")}));
  index_.reset();
  engine_.reset();
  Open();
  auto after = MustSearch(*index_, AlphaRequest({Agg("tags", Aggregation::Type::kTerms, "tags")}));
  EXPECT_EQ(Buckets(after.aggregations.at(0)), Buckets(before.aggregations.at(0)));
  EXPECT_FALSE(Buckets(after.aggregations.at(0)).empty());
}

TEST_F(AggregationTest, TooManyBuckets) {
  Aggregation histogram = Agg("h", Aggregation::Type::kHistogram, "price");
  histogram.interval = 1;
  histogram.order = Aggregation::Order::kKeyAsc;
  auto result = index_->Search(AlphaRequest({histogram}));
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsInvalidArgument());
  EXPECT_EQ(result.status().message().rfind(kTooManyBucketsReason, 0), 0u) << result.status().message();
}

TEST_F(AggregationTest, TextFieldsCannotBeAggregated) {
  auto result = index_->Search(AlphaRequest({Agg("n", Aggregation::Type::kTerms, "name")}));
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsInvalidArgument());
}

}  // namespace
}  // namespace ultrasearch::testing
