// Ranking a shopper trusts, over HTTP in the storefront's query shape (multi_match over name^3 and
// description, fuzziness AUTO): a product above the accessories made for it, the accessory first
// when the query names it, words side by side above scattered ones, and ties in a stable order.
// Expected orders are what a shopper searching the marketplace wants (issue 16, item 7).
#include <algorithm>
#include <set>

#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;

// A small `products` catalog (the products template's mapping): two iPhones, cases made for them
// in Uzbek Latin, Uzbek Cyrillic and Russian, other phones and their cases, two jackets.
constexpr const char* kCatalog[][3] = {
    {"phone-15", "Apple iPhone 15 smartfoni 128 GB, qora", "iPhone 15: 48 MP kamera va USB-C ulagichi."},
    {"phone-15-pro", "Apple iPhone 15 Pro smartfoni 256 GB, titan", "Titan korpusli iPhone 15 Pro, A17 Pro protsessori."},
    {"case-uz", "Spigen Ultra Hybrid gʻilofi, iPhone 15 uchun, shaffof", "Shaffof gʻilof iPhone 15 uchun, burchaklari himoyalangan."},
    {"case-ru", "Чехол для iPhone 15, силиконовый, чёрный", "Силиконовый чехол для iPhone 15 защищает от царапин."},
    {"case-cyr", "Nillkin ғилофи, iPhone 15 учун, қора", "iPhone 15 учун қопқоқли ғилоф."},
    {"phone-a15", "Samsung Galaxy A15 smartfoni 4/128 GB, qora", "Arzon Samsung smartfoni, 5000 mAh batareya."},
    {"case-a15", "Telefon gʻilofi Nillkin CamShield, Galaxy A15 uchun, koʻk", "Kamerani yopadigan gʻilof."},
    {"phone-note", "Xiaomi Redmi Note 13 smartfoni 8/256 GB", "Redmi Note 13: 108 MP kamera."},
    {"case-note", "Чехол-книжка Nillkin для Redmi Note 13, чёрный", "Чехол для Redmi Note 13 с магнитной застёжкой."},
    {"jacket-adjacent", "Erkaklar qora kurtka, qishki, XL", "Issiq qishki kiyim."},
    {"jacket-scattered", "Kurtka qishki, qora", "Issiq qishki kiyim."},
    {"tie-b", "Artel muzlatgichi, 300 l, oq", "Ikki kamerali muzlatgich."},
    {"tie-a", "Artel muzlatgichi, 300 l, oq", "Ikki kamerali muzlatgich."},
};

class RankingTest : public ServerTest {
 protected:
  static void SetUpTestSuite() {
    ServerTest::SetUpTestSuite();
    if (!server_->started()) return;
    HttpClient c(server_->port());
    std::string bulk;
    for (const auto& doc : kCatalog) {
      bulk += json::serialize(json::object{{"index", json::object{{"_index", "products"}, {"_id", doc[0]}}}}) + "\n";
      bulk += json::serialize(json::object{{"id", doc[0]}, {"name", doc[1]}, {"description", doc[2]}}) + "\n";
    }
    auto r = c.Post("/_bulk?refresh=true", bulk);
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(r.Json().at("errors"), false) << r.body;
  }

  HttpResponse Storefront(const std::string& text, const std::string& type = "best_fields") {
    json::object body{{"size", 20},
                      {"query", json::object{{"multi_match", json::object{{"query", text},
                                                                          {"fields", json::array{"name^3", "description"}},
                                                                          {"type", type},
                                                                          {"fuzziness", "AUTO"}}}}}};
    return client().Post("/products/_search", json::serialize(body));
  }

  std::vector<std::string> Ids(const std::string& text, const std::string& type = "best_fields") {
    auto r = Storefront(text, type);
    EXPECT_EQ(r.status, 200) << r.body;
    return HitIds(r);
  }

  static size_t Rank(const std::vector<std::string>& ids, const std::string& id) {
    return static_cast<size_t>(std::find(ids.begin(), ids.end(), id) - ids.begin());
  }
};

TEST_F(RankingTest, AProductRanksAboveTheAccessoriesMadeForIt) {
  auto ids = Ids("iPhone 15");
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(ids.front(), "phone-15");
  // Every case for the iPhone 15 is still found, below both phones.
  for (const char* accessory : {"case-uz", "case-ru", "case-cyr"}) {
    ASSERT_LT(Rank(ids, accessory), ids.size()) << accessory << " not found";
    EXPECT_GT(Rank(ids, accessory), Rank(ids, "phone-15")) << accessory;
    EXPECT_GT(Rank(ids, accessory), Rank(ids, "phone-15-pro")) << accessory;
  }
  EXPECT_EQ(Ids("Galaxy A15").front(), "phone-a15");
  EXPECT_EQ(Ids("redmi note 13").front(), "phone-note");
}

TEST_F(RankingTest, AQueryNamingTheAccessoryFindsItFirst) {
  // Both Uzbek cases for the iPhone 15 (Latin and Cyrillic script) come before the phones.
  for (const char* query : {"iPhone 15 gʻilof", "iphone 15 g'ilof", "iPhone 15 ғилоф"}) {
    auto ids = Ids(query);
    ASSERT_LT(Rank(ids, "case-uz"), ids.size()) << query;
    ASSERT_LT(Rank(ids, "case-cyr"), ids.size()) << query;
    EXPECT_LT(std::max(Rank(ids, "case-uz"), Rank(ids, "case-cyr")), 2u) << query;
  }
  EXPECT_EQ(Ids("чехол для iPhone 15").front(), "case-ru");
  EXPECT_EQ(Ids("чехол redmi note 13").front(), "case-note");
  EXPECT_EQ(Ids("galaxy a15 gʻilofi").front(), "case-a15");
}

TEST_F(RankingTest, CrossFieldsAndMostFieldsRankAccessoriesAlike) {
  for (const char* type : {"cross_fields", "most_fields"}) {
    EXPECT_EQ(Ids("iPhone 15", type).front(), "phone-15") << type;
    EXPECT_EQ(Ids("чехол для iPhone 15", type).front(), "case-ru") << type;
    auto ids = Ids("iPhone 15 gʻilof", type);
    ASSERT_LT(Rank(ids, "case-uz"), ids.size()) << type;
    EXPECT_LT(Rank(ids, "case-uz"), Rank(ids, "phone-15")) << type;
  }
}

TEST_F(RankingTest, AWordAsTypedRanksAboveItsTranslations) {
  // The products index has the bilingual vocabulary on by default: `чехол` also finds the Uzbek
  // `gʻilof` cases, and `gʻilof` the Russian `чехол` ones, but the products named with the word as
  // typed come first, however rare the translation is in the catalog.
  auto ru = Ids("чехол");
  ASSERT_GE(ru.size(), 5u);
  EXPECT_EQ(std::set<std::string>(ru.begin(), ru.begin() + 2), (std::set<std::string>{"case-ru", "case-note"}));
  for (const char* uz : {"case-uz", "case-cyr", "case-a15"}) EXPECT_LT(Rank(ru, uz), ru.size()) << uz;
  // `chexol` is Uzbek too (the vocabulary lists it beside gʻilof), so the Russian cases come close
  // behind the Uzbek ones here; the best match is still one named gʻilof.
  auto uz = Ids("gʻilof");
  ASSERT_GE(uz.size(), 5u);
  EXPECT_TRUE(uz.front() == "case-a15" || uz.front() == "case-cyr" || uz.front() == "case-uz") << uz.front();
  for (const char* other : {"case-ru", "case-note"}) EXPECT_LT(Rank(uz, other), uz.size()) << other;
}

TEST_F(RankingTest, WordsSideBySideInTheNameRankAboveScatteredOnes) {
  // Without the proximity boost the shorter name, with the same words apart and out of order, wins.
  auto ids = Ids("qora kurtka");
  ASSERT_GE(ids.size(), 2u);
  EXPECT_EQ(ids[0], "jacket-adjacent");
  EXPECT_EQ(ids[1], "jacket-scattered");
}

TEST_F(RankingTest, TiesKeepOneOrderAcrossRepeatsRefreshesAndReindex) {
  auto first = Storefront("artel muzlatgich");
  ASSERT_EQ(first.status, 200) << first.body;
  const json::value parsed = first.Json();
  const auto& hits = parsed.at("hits").at("hits").as_array();
  ASSERT_EQ(hits.size(), 2u) << first.body;
  EXPECT_EQ(hits[0].at("_score").to_number<double>(), hits[1].at("_score").to_number<double>());
  const auto order = HitIds(first);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Ids("artel muzlatgich"), order);
  // Rewriting a tied document in place keeps its place (its internal number stays; see
  // docs/storage-format.md), and so does rebuilding the text index from the catalog.
  auto rewrite = client().Put("/products/_doc/tie-b?refresh=true",
                              R"({"id":"tie-b","name":"Artel muzlatgichi, 300 l, oq","description":"Ikki kamerali muzlatgich."})");
  ASSERT_EQ(rewrite.status, 200) << rewrite.body;
  EXPECT_EQ(Ids("artel muzlatgich"), order);
  auto reindex = client().Post("/products/_ultrasearch/reindex", "");
  ASSERT_EQ(reindex.status, 200) << reindex.body;
  EXPECT_EQ(Ids("artel muzlatgich"), order);
}

}  // namespace
}  // namespace ultrasearch::testing
