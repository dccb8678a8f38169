// Storefront query shapes over a text index split into shards, on random catalogs, checked against
// a brute-force count of the documents each shape must match.
//
// Regression: multi_match best_fields with "operator":"and" over name^3 and description ended a
// fresh server with SIGSEGV inside Enquire::get_mset. Xapian 1.4.22's OP_MAX keeps a dangling
// child when all its children end in one step, and a later shard of a combined database walks it.
// Random catalogs of a few hundred documents over two shards hit that within a handful of seeds,
// so every shape runs on many of them; a crash fails the whole test program.
#include <random>

#include "engine/engine_test_util.h"

namespace ultrasearch::testing {
namespace {

// Which of the two query words each field holds.
struct Product {
  bool name_a = false, name_b = false, desc_a = false, desc_b = false;
  int filler = 0;
};

std::string Words(bool a, bool b, int filler, int salt) {
  std::string text;
  for (int i = 0; i < filler; ++i) text += "soz" + std::to_string((i * 7 + salt) % 23) + " ";
  if (a) text += "samsung ";
  if (b) text += "galaxy ";
  return text + "mahsulot";
}

std::vector<Product> RandomCatalog(uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<Product> products(20 + rng() % 300);
  for (auto& p : products) {
    uint32_t mask = rng() % 3 == 0 ? rng() % 16 : 0;
    p = {(mask & 1) != 0, (mask & 2) != 0, (mask & 4) != 0, (mask & 8) != 0, static_cast<int>(rng() % 12)};
  }
  return products;
}

SearchRequest MultiMatch(MatchQuery::Type type, MatchQuery::Operator op, const std::string& text) {
  MatchQuery match;
  match.text = text;
  match.type = type;
  match.op = op;
  match.fields = {{"name", 3.0}, {"description", 1.0}};
  SearchRequest request;
  request.query.node = match;
  request.size = 10;
  return request;
}

TEST(ShardedSearchTest, StorefrontShapesOnRandomCatalogsMatchBruteForce) {
  for (uint32_t seed = 1; seed <= 24; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    TempDir dir;
    EngineOptions options;
    options.data_dir = dir.str();
    options.analyzers = analyzers::MakeBuiltinAnalyzers();
    options.index_templates = fronts::DefaultIndexTemplates();
    options.refresh_interval = {};
    options.text_shards = 2;  // documents alternate between the shards
    auto engine = Engine::Open(std::move(options));
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    auto index = engine.value()->GetOrCreateIndex("products");
    ASSERT_TRUE(index.ok());

    const std::vector<Product> catalog = RandomCatalog(seed);
    std::vector<WriteOp> ops;
    for (size_t i = 0; i < catalog.size(); ++i) {
      const Product& p = catalog[i];
      // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string&&.
      std::string json = R"({"name":")";
      json += Words(p.name_a, p.name_b, p.filler % 4, static_cast<int>(i));
      json += R"(","description":")";
      json += Words(p.desc_a, p.desc_b, p.filler, static_cast<int>(i) + 5);
      json += R"("})";
      std::string id = "p";
      id += std::to_string(i);
      ops.push_back({WriteOp::Type::kIndex, id, json});
    }
    auto written = index.value()->Write(ops);
    ASSERT_TRUE(written.ok()) << written.status().ToString();
    ASSERT_TRUE(index.value()->Refresh().ok());

    // Expected counts by the definitions of Elasticsearch's multi_match types.
    uint64_t best_and = 0, cross_and = 0, any = 0;
    for (const Product& p : catalog) {
      best_and += (p.name_a && p.name_b) || (p.desc_a && p.desc_b);
      cross_and += (p.name_a || p.desc_a) && (p.name_b || p.desc_b);
      any += p.name_a || p.name_b || p.desc_a || p.desc_b;
    }
    using T = MatchQuery::Type;
    using O = MatchQuery::Operator;
    const struct {
      const char* what;
      SearchRequest request;
      uint64_t expected;
    } cases[] = {
        {"best_fields and", MultiMatch(T::kBestFields, O::kAnd, "samsung galaxy"), best_and},
        {"best_fields or", MultiMatch(T::kBestFields, O::kOr, "samsung galaxy"), any},
        {"cross_fields and", MultiMatch(T::kCrossFields, O::kAnd, "samsung galaxy"), cross_and},
        {"cross_fields or", MultiMatch(T::kCrossFields, O::kOr, "samsung galaxy"), any},
        {"most_fields and", MultiMatch(T::kMostFields, O::kAnd, "samsung galaxy"), best_and},
    };
    for (const auto& c : cases) {
      // Twice: the first search opens a fresh reader, the second reuses a warm one.
      for (int round = 0; round < 2; ++round) {
        auto result = index.value()->Search(c.request);
        ASSERT_TRUE(result.ok()) << c.what << ": " << result.status().ToString();
        EXPECT_EQ(result->total, c.expected) << c.what;
        EXPECT_EQ(result->hits.size(), std::min<uint64_t>(c.expected, 10)) << c.what;
      }
    }
    // Shapes whose counts depend on analysis details: they must answer, whatever they match.
    for (const SearchRequest& request :
         {MultiMatch(T::kBoolPrefix, O::kOr, "samsung gal"), MultiMatch(T::kBoolPrefix, O::kAnd, "galaxy sam"),
          MultiMatch(T::kPhrase, O::kOr, "samsung galaxy")}) {
      auto result = index.value()->Search(request);
      ASSERT_TRUE(result.ok()) << result.status().ToString();
    }
    SearchRequest fuzzy = MultiMatch(T::kBestFields, O::kAnd, "samsnug galxy");
    std::get<MatchQuery>(fuzzy.query.node).fuzziness.mode = Fuzziness::Mode::kAuto;
    auto fuzzy_result = index.value()->Search(fuzzy);
    ASSERT_TRUE(fuzzy_result.ok()) << fuzzy_result.status().ToString();
    EXPECT_GE(fuzzy_result->total, best_and) << "one typo per word still finds every exact match";
  }
}

}  // namespace
}  // namespace ultrasearch::testing
