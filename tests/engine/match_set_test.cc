// The match set that aggregations, column sorting and exact totals are computed over, on random
// catalogs and random bool queries, against a brute-force evaluation of each query by its
// Elasticsearch definition. The same query is also counted by Xapian's matcher (Index::Count), so
// the two ways the engine finds matches must agree with each other and with the reference.
//
// The queries mix every kind the compiler turns into something different: words and phrases
// (posting lists, and phrases left to Xapian's matcher), prefixes (wildcards), keyword terms,
// numeric terms and ranges (column filters over multi-valued fields), exists, ids, match_none,
// and bools nesting them with must/filter/should/must_not and minimum_should_match. Some
// documents are deleted after indexing, so posting lists and columns have holes.
#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "engine/engine_test_util.h"

namespace ultrasearch::testing {
namespace {

const std::vector<std::string> kWords = {"alfa", "bravo", "charlie", "delta", "echo", "foxtrot"};
const std::vector<std::string> kBrands = {"acme", "globex", "initech"};

struct Doc {
  std::string id;
  std::vector<std::string> name;  // words, in order
  std::optional<std::string> brand;
  std::vector<int> prices;  // any number of values
  bool deleted = false;
};

// A query together with its reference evaluation.
struct Case {
  Query query;
  std::function<bool(const Doc&)> matches;
  std::string text;  // for failure messages
};

class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  std::vector<Doc> Catalog() {
    std::vector<Doc> docs(30 + rng_() % 250);
    for (size_t i = 0; i < docs.size(); ++i) {
      Doc& d = docs[i];
      d.id = "d" + std::to_string(i);
      for (size_t n = 1 + rng_() % 5; n > 0; --n) d.name.push_back(Pick(kWords));
      if (rng_() % 4 != 0) d.brand = Pick(kBrands);
      for (size_t n = rng_() % 4; n > 0; --n) d.prices.push_back(static_cast<int>(rng_() % 10) * 100);
      d.deleted = rng_() % 10 == 0;
    }
    return docs;
  }

  Case Random(int depth) {
    switch (rng_() % (depth > 0 ? 12 : 10)) {
      case 0: return Word();
      case 1: return TwoWords();
      case 2: return Phrase();
      case 3: return Prefix();
      case 4: return BrandTerm();
      case 5: return PriceTerm();
      case 6: return PriceRange();
      case 7: return rng_() % 2 ? Exists() : Ids();
      case 8: return rng_() % 3 ? Word() : Case{Query{MatchNoneQuery{}}, [](const Doc&) { return false; }, "none"};
      case 9: return PriceRange();
      default: return Bool(depth - 1);
    }
  }

 private:
  const std::string& Pick(const std::vector<std::string>& from) { return from[rng_() % from.size()]; }

  static bool HasWord(const Doc& d, const std::string& w) {
    return std::find(d.name.begin(), d.name.end(), w) != d.name.end();
  }

  static Query NameMatch(std::string text, MatchQuery::Type type, MatchQuery::Operator op) {
    MatchQuery m;
    m.fields = {{"name", 1.0}};
    m.text = std::move(text);
    m.type = type;
    m.op = op;
    return Query{m};
  }

  Case Word() {
    std::string w = Pick(kWords);
    return {NameMatch(w, MatchQuery::Type::kBestFields, MatchQuery::Operator::kOr),
            [w](const Doc& d) { return HasWord(d, w); }, "match " + w};
  }
  Case TwoWords() {
    std::string a = Pick(kWords), b = Pick(kWords);
    const bool all = rng_() % 2 == 0;
    return {NameMatch(a + " " + b, MatchQuery::Type::kBestFields, all ? MatchQuery::Operator::kAnd : MatchQuery::Operator::kOr),
            [a, b, all](const Doc& d) { return all ? HasWord(d, a) && HasWord(d, b) : HasWord(d, a) || HasWord(d, b); },
            std::string("match ") + (all ? "and " : "or ") + a + " " + b};
  }
  Case Phrase() {
    std::string a = Pick(kWords), b = Pick(kWords);
    return {NameMatch(a + " " + b, MatchQuery::Type::kPhrase, MatchQuery::Operator::kOr),
            [a, b](const Doc& d) {
              for (size_t i = 0; i + 1 < d.name.size(); ++i) {
                if (d.name[i] == a && d.name[i + 1] == b) return true;
              }
              return false;
            },
            "phrase " + a + " " + b};
  }
  Case Prefix() {
    std::string p = Pick(kWords).substr(0, 1 + rng_() % 3);
    return {Query{PrefixQuery{"name", p}},
            [p](const Doc& d) {
              return std::any_of(d.name.begin(), d.name.end(), [&](const std::string& w) { return w.rfind(p, 0) == 0; });
            },
            "prefix " + p};
  }
  Case BrandTerm() {
    std::vector<std::string> values{Pick(kBrands)};
    if (rng_() % 3 == 0) values.push_back(Pick(kBrands));
    return {Query{TermQuery{"brand", values}},
            [values](const Doc& d) { return d.brand && std::count(values.begin(), values.end(), *d.brand) > 0; },
            "brand " + values[0]};
  }
  Case PriceTerm() {
    int v = static_cast<int>(rng_() % 10) * 100;
    return {Query{TermQuery{"price", {std::to_string(v)}}},
            [v](const Doc& d) { return std::count(d.prices.begin(), d.prices.end(), v) > 0; },
            "price = " + std::to_string(v)};
  }
  Case PriceRange() {
    int lo = static_cast<int>(rng_() % 10) * 100, hi = lo + static_cast<int>(rng_() % 5) * 100;
    RangeQuery r;
    r.field = "price";
    r.gte = std::to_string(lo);
    r.lt = std::to_string(hi);
    return {Query{r},
            [lo, hi](const Doc& d) {
              return std::any_of(d.prices.begin(), d.prices.end(), [&](int p) { return p >= lo && p < hi; });
            },
            "price in [" + std::to_string(lo) + "," + std::to_string(hi) + ")"};
  }
  Case Exists() {
    return {Query{ExistsQuery{"price"}}, [](const Doc& d) { return !d.prices.empty(); }, "exists price"};
  }
  Case Ids() {
    std::set<std::string> ids;
    for (int i = 0; i < 5; ++i) ids.insert("d" + std::to_string(rng_() % 200));
    return {Query{IdsQuery{{ids.begin(), ids.end()}}}, [ids](const Doc& d) { return ids.count(d.id) > 0; }, "ids"};
  }
  Case Bool(int depth) {
    BoolQuery b;
    std::vector<std::function<bool(const Doc&)>> must, should, must_not;
    std::string text = "bool(";
    auto add = [&](std::vector<Query>* to, std::vector<std::function<bool(const Doc&)>>* preds, const char* what) {
      Case c = Random(depth);
      to->push_back(c.query);
      preds->push_back(c.matches);
      text += std::string(what) + ":" + c.text + " ";
    };
    for (size_t n = rng_() % 3; n > 0; --n) add(&b.must, &must, "must");
    for (size_t n = rng_() % 3; n > 0; --n) add(&b.filter, &must, "filter");
    for (size_t n = rng_() % 4; n > 0; --n) add(&b.should, &should, "should");
    for (size_t n = rng_() % 2; n > 0; --n) add(&b.must_not, &must_not, "must_not");
    size_t msm = (must.empty() && !should.empty()) ? 1 : 0;  // Elasticsearch's default
    if (!should.empty() && rng_() % 3 == 0) {
      msm = 1 + rng_() % should.size();
      b.minimum_should_match = std::to_string(msm);
      text += "msm:" + b.minimum_should_match;
    }
    return {Query{b},
            [must, should, must_not, msm](const Doc& d) {
              for (const auto& p : must) {
                if (!p(d)) return false;
              }
              for (const auto& p : must_not) {
                if (p(d)) return false;
              }
              size_t hits = 0;
              for (const auto& p : should) hits += p(d);
              return hits >= msm;
            },
            text + ")"};
  }

  std::mt19937 rng_;
};

TEST(MatchSetTest, AggregationsSortingAndCountsSeeExactlyTheMatchingDocuments) {
  for (uint32_t seed = 1; seed <= 12; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    TempDir dir;
    EngineOptions options;
    options.data_dir = dir.str();
    options.analyzers = analyzers::MakeBuiltinAnalyzers();
    options.refresh_interval = {};
    options.text_shards = 1 + seed % 3;  // one, two and three shards
    auto engine = Engine::Open(std::move(options));
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    IndexSettings settings;
    settings.mappings_json = R"({"properties":{"name":{"type":"text","analyzer":"standard"},
        "brand":{"type":"keyword"},"price":{"type":"long"}}})";
    auto index = engine.value()->CreateIndex("shop", settings);
    ASSERT_TRUE(index.ok()) << index.status().ToString();

    Generator gen(seed);
    std::vector<Doc> docs = gen.Catalog();
    std::vector<WriteOp> ops;
    for (const Doc& d : docs) {
      std::string json = R"({"name":")";
      for (size_t i = 0; i < d.name.size(); ++i) json += (i ? " " : "") + d.name[i];
      json += "\"";
      if (d.brand) json += R"(,"brand":")" + *d.brand + "\"";
      if (!d.prices.empty()) {
        json += R"(,"price":[)";
        for (size_t i = 0; i < d.prices.size(); ++i) json += (i ? "," : "") + std::to_string(d.prices[i]);
        json += "]";
      }
      ops.push_back({WriteOp::Type::kIndex, d.id, json + "}"});
    }
    ASSERT_TRUE((*index)->Write(ops).ok());
    ops.clear();
    for (const Doc& d : docs) {
      if (d.deleted) ops.push_back({WriteOp::Type::kDelete, d.id, ""});
    }
    if (!ops.empty()) {
      ASSERT_TRUE((*index)->Write(ops).ok());
    }
    ASSERT_TRUE((*index)->Refresh().ok());

    for (int q = 0; q < 40; ++q) {
      Case c = gen.Random(2);
      SCOPED_TRACE(c.text);
      std::set<std::string> expected;
      std::map<std::string, uint64_t> brand_counts;
      for (const Doc& d : docs) {
        if (d.deleted || !c.matches(d)) continue;
        expected.insert(d.id);
        if (d.brand) ++brand_counts[*d.brand];
      }

      // Aggregations: the total and the buckets come from the match set alone (size 0).
      SearchRequest faceted;
      faceted.query = c.query;
      faceted.size = 0;
      Aggregation brands;
      brands.name = "brands";
      brands.field = "brand";
      faceted.aggregations.push_back(brands);
      auto facets = (*index)->Search(faceted);
      ASSERT_TRUE(facets.ok()) << facets.status().ToString();
      EXPECT_EQ(facets->total, expected.size());
      ASSERT_EQ(facets->aggregations.size(), 1u);
      std::map<std::string, uint64_t> got;
      for (const auto& b : facets->aggregations[0].buckets) got[std::get<std::string>(b.key)] = b.doc_count;
      EXPECT_EQ(got, brand_counts);

      // Sorting by a column: every match, each once.
      SearchRequest sorted;
      sorted.query = c.query;
      sorted.size = 1000;
      sorted.fetch_source = false;
      sorted.sort = {SortField{"price", false}};
      auto page = (*index)->Search(sorted);
      ASSERT_TRUE(page.ok()) << page.status().ToString();
      std::set<std::string> ids;
      for (const auto& hit : page->hits) ids.insert(hit.id);
      EXPECT_EQ(page->hits.size(), expected.size());
      EXPECT_EQ(ids, expected);

      // Xapian's matcher on the same query.
      auto count = (*index)->Count(c.query);
      ASSERT_TRUE(count.ok()) << count.status().ToString();
      EXPECT_EQ(*count, expected.size());
    }
  }
}

}  // namespace
}  // namespace ultrasearch::testing
