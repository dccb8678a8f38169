// The accessory-target weights (search/accessory_source.h) through Index::Search: on the fixture
// catalog, whose accessories name what they fit (`Spigen ... gʻilofi, iPhone 15 uchun`, `Чехол ...
// для Redmi Note 13`), and on a generated one large enough for Xapian to prune.
//
// Without a total, Xapian stops looking once no remaining document can beat the page: it relies
// on every part's maximum weight, which the accessory source lowers as its words' target lists
// end. The page must be the one an exhaustive search finds. And a query that names an accessory
// target must match exactly what the same query matches without the weights (they only score).
#include <boost/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "engine/engine_test_util.h"
#include "engine/fixture_catalog.h"

namespace ultrasearch::testing {
namespace {

const std::vector<std::string> kQueries = {
    "iphone 15",          "iphone 15 gʻilof", "чехол redmi note 13", "redmi note 13", "galaxy s24",
    "samsung galaxy",     "g'ilof samsung",   "iphone",              "чехол для redmi note 13",
    "galaxy a15 g’ilofi", "zaryadlovchi iphone",
};

SearchRequest Request(const std::string& text, MatchQuery::Type type, uint64_t totals, size_t size) {
  MatchQuery match;
  match.text = text;
  match.type = type;
  match.fields = {{"name", 3.0}, {"description", 1.0}};
  SearchRequest request;
  request.query.node = match;
  request.size = static_cast<uint32_t>(size);
  request.fetch_source = false;
  request.track_total_hits_up_to = totals;
  return request;
}

std::vector<std::pair<std::string, double>> Page(const SearchResult& result) {
  std::vector<std::pair<std::string, double>> page;
  for (const Hit& hit : result.hits) page.emplace_back(hit.id, hit.score);
  return page;
}

void ExpectPrunedPagesExhaustive(const Index& index, const std::vector<std::string>& queries) {
  for (auto type : {MatchQuery::Type::kBestFields, MatchQuery::Type::kBoolPrefix, MatchQuery::Type::kCrossFields}) {
    for (size_t size : {1, 3, 10}) {
      for (const auto& text : queries) {
        SCOPED_TRACE(text + " size " + std::to_string(size) + " type " + std::to_string(static_cast<int>(type)));
        auto exhaustive = index.Search(Request(text, type, UINT64_MAX, size));
        auto pruned = index.Search(Request(text, type, 0, size));
        ASSERT_TRUE(exhaustive.ok()) << exhaustive.status().ToString();
        ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
        EXPECT_FALSE(exhaustive->hits.empty());
        EXPECT_EQ(Page(*pruned), Page(*exhaustive));
      }
    }
  }
}

TEST(AccessoryWeightsTest, APageWithoutATotalIsThePageOfAnExhaustiveSearch) {
  const auto& catalog = FixtureCatalog::Get();
  ASSERT_EQ(catalog.load_error(), "");
  ExpectPrunedPagesExhaustive(catalog.index(), kQueries);
}

// Thousands of phones, then accessories made for them, so that a page of a few hits is settled
// long before the last match and Xapian's bounds decide what it skips.
class GeneratedAccessoriesTest : public ProductsIndexTest {};

TEST_F(GeneratedAccessoriesTest, APageWithoutATotalIsThePageOfAnExhaustiveSearch) {
  const std::vector<std::string> models = {"iPhone 15", "iPhone 14", "Galaxy S24", "Galaxy A15", "Redmi Note 13",
                                           "Pixel 8"};
  const std::vector<std::string> colours = {"qora", "oq", "ko'k", "чёрный", "белый"};
  std::vector<WriteOp> ops;
  for (uint64_t n = 0; n < 3000; ++n) {
    const std::string& model = models[n % models.size()];
    const std::string& colour = colours[(n / 7) % colours.size()];
    std::string name, description;
    // Phones first, the accessories last: the page a query naming an accessory wants is only
    // reached after Xapian has a full page of phones and starts skipping. The phones mention the
    // accessory words too (a gift case), so an accessory ranks first only through its weights.
    const int kind = n < 2700 ? (n % 2 == 0 ? 0 : 4) : static_cast<int>(1 + n % 3);
    switch (kind) {
      case 0: name = model + " smartfoni, " + colour; description = "Yangi " + model + " smartfon, gʻilof sovgʻa."; break;
      case 1: name = "Чехол для " + model + ", " + colour; description = "Чехол для " + model + " из силикона."; break;
      case 2: name = "Spigen gʻilofi, " + model + " uchun"; description = "Shaffof gʻilof, " + model + " uchun."; break;
      case 3: name = "Himoya oynasi " + model + " uchun"; description = model + " ekrani uchun oyna, " + colour + " ramka."; break;
      default: name = "Смартфон " + model + " " + colour; description = "Телефон " + model + ": чехол в подарок."; break;
    }
    boost::json::object doc{{"name", name}, {"description", description}};
    ops.push_back({WriteOp::Type::kIndex, NumberedId("g", n), boost::json::serialize(doc)});
  }
  auto written = index_->Write(ops);
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  ASSERT_TRUE(index_->Refresh().ok());
  ExpectPrunedPagesExhaustive(*index_, {"iphone 15", "iphone 15 gʻilof", "чехол redmi note 13", "galaxy s24 oyna",
                                        "pixel 8 smartfon", "redmi note 1", "чехол для galaxy a15", "iphone 14 чехол"});
}

// The weights add score only: wrapped in a filter (no scoring), each query matches the documents
// it matches scored, and a query that matches nothing stays empty.
TEST(AccessoryWeightsTest, TheWeightsChangeScoresNeverMatches) {
  const auto& catalog = FixtureCatalog::Get();
  ASSERT_EQ(catalog.load_error(), "");
  std::vector<std::string> texts = kQueries;
  texts.push_back("iphone 15 qwzx");  // names targets, yet one word matches nothing
  for (const auto& text : texts) {
    SCOPED_TRACE(text);
    auto request = Request(text, MatchQuery::Type::kCrossFields, UINT64_MAX, 400);
    std::get<MatchQuery>(request.query.node).op = MatchQuery::Operator::kAnd;
    auto scored = catalog.index().Search(request);
    ASSERT_TRUE(scored.ok()) << scored.status().ToString();
    BoolQuery filtered;
    filtered.filter.push_back(request.query);
    SearchRequest unscored = request;
    unscored.query = Query{filtered};
    auto matched = catalog.index().Search(unscored);
    ASSERT_TRUE(matched.ok()) << matched.status().ToString();
    EXPECT_EQ(scored->total, matched->total);
    std::vector<std::string> a, b;
    for (const Hit& h : scored->hits) a.push_back(h.id);
    for (const Hit& h : matched->hits) b.push_back(h.id);
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    EXPECT_EQ(a, b);
    if (text == "iphone 15 qwzx") {
      EXPECT_EQ(scored->total, 0u);
    } else {
      EXPECT_GT(scored->total, 0u);
    }
  }
}

}  // namespace
}  // namespace ultrasearch::testing
