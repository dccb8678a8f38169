// Synonyms over real HTTP against the server process: index-setting filters, the Synonyms API
// (shapes, errors, persistence across a restart), changes applied without a reindex, and the
// products index's bilingual vocabulary and brands.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <set>

#include "server/http_client.h"
#include "support/test_support.h"

namespace ultrasearch::testing {
namespace {

class SynonymsHttpTest : public ::testing::Test {
 protected:
  void Start() {
    server_.reset();  // stops the previous process (SIGTERM) before the next opens the data
    server_ = std::make_unique<ServerProcess>(dir_.str() + "/data");
    ASSERT_TRUE(server_->started()) << server_->output();
    client_ = std::make_unique<HttpClient>(server_->port());
  }
  HttpClient& client() { return *client_; }

  std::set<std::string> Ids(const std::string& index, const std::string& request) {
    auto r = client().Post("/" + index + "/_search", request);
    EXPECT_EQ(r.status, 200) << r.body;
    std::set<std::string> ids;
    if (r.status != 200) return ids;
    const boost::json::value answer = r.Json();
    for (const auto& hit : answer.at("hits").at("hits").as_array()) ids.insert(std::string(hit.at("_id").as_string()));
    return ids;
  }
  std::set<std::string> Match(const std::string& index, const std::string& field, const std::string& text) {
    boost::json::object match;
    match[field] = text;
    boost::json::object q;
    q["query"] = boost::json::object{{"match", match}};
    return Ids(index, boost::json::serialize(q));
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(SynonymsHttpTest, InlineRulesFromIndexSettings) {
  Start();
  auto created = client().Put("/shop", R"({
    "settings":{"analysis":{
      "filter":{"syn":{"type":"synonym_graph","synonyms":["telefon, smartfon, телефон","холодильник => muzlatgich"]}},
      "analyzer":{"shop_search":{"type":"custom","tokenizer":"catalog","filter":["lowercase","syn"]}}}},
    "mappings":{"properties":{"name":{"type":"text","analyzer":"catalog","search_analyzer":"shop_search"}}}})");
  ASSERT_EQ(created.status, 200) << created.body;
  ASSERT_EQ(client().Put("/shop/_doc/1?refresh=true", R"({"name":"Смартфон Samsung"})").status, 201);
  ASSERT_EQ(client().Put("/shop/_doc/2?refresh=true", R"({"name":"Muzlatgich Artel"})").status, 201);
  ASSERT_EQ(client().Put("/shop/_doc/3?refresh=true", R"({"name":"Холодильник LG"})").status, 201);
  EXPECT_EQ(Match("shop", "name", "телефоны"), (std::set<std::string>{"1"}));
  EXPECT_EQ(Match("shop", "name", "telefonlar"), (std::set<std::string>{"1"}));
  EXPECT_EQ(Match("shop", "name", "холодильник"), (std::set<std::string>{"2"})) << "a => b replaces a";

  auto bad = client().Put("/bad", R"({"settings":{"analysis":{
      "filter":{"syn":{"type":"synonym","synonyms":["a => b => c"]}},
      "analyzer":{"x":{"tokenizer":"standard","filter":["syn"]}}}}})");
  EXPECT_EQ(bad.status, 400) << bad.body;
}

TEST_F(SynonymsHttpTest, SynonymsApiPersistsAndAppliesWithoutReindex) {
  Start();
  auto put = client().Put("/_synonyms/shop-set", R"({"synonyms_set":[{"id":"r1","synonyms":"divan, sofa"},
                                                                    {"synonyms":"stol, table"}]})");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.Json().at("result"), "created");
  EXPECT_EQ(client().Put("/_synonyms/shop-set", R"({"synonyms_set":[{"id":"r1","synonyms":"divan, sofa"}]})")
                .Json()
                .at("result"),
            "updated");
  auto created = client().Put("/shop", R"({
    "settings":{"analysis":{
      "filter":{"syn":{"type":"synonym_graph","synonyms_set":"shop-set","updateable":true}},
      "analyzer":{"shop_search":{"tokenizer":"catalog","filter":["syn"]}}}},
    "mappings":{"properties":{"name":{"type":"text","analyzer":"catalog","search_analyzer":"shop_search"}}}})");
  ASSERT_EQ(created.status, 200) << created.body;
  ASSERT_EQ(client().Put("/shop/_doc/sofa?refresh=true", R"({"name":"Sofa Klippan"})").status, 201);
  ASSERT_EQ(client().Put("/shop/_doc/arm?refresh=true", R"({"name":"Armchair Poang"})").status, 201);
  EXPECT_EQ(Match("shop", "name", "divan"), (std::set<std::string>{"sofa"}));
  EXPECT_TRUE(Match("shop", "name", "kreslo").empty());

  // A new rule applies to the next search, the documents untouched.
  auto rule = client().Put("/_synonyms/shop-set/r2", R"({"synonyms":"kreslo, armchair"})");
  ASSERT_EQ(rule.status, 200) << rule.body;
  EXPECT_EQ(rule.Json().at("result"), "created");
  EXPECT_EQ(Match("shop", "name", "kreslo"), (std::set<std::string>{"arm"}));

  Start();  // a restart keeps the set
  auto got = client().Get("/_synonyms/shop-set");
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(boost::json::serialize(got.Json()),
            R"({"count":2,"synonyms_set":[{"id":"r1","synonyms":"divan, sofa"},{"id":"r2","synonyms":"kreslo, armchair"}]})");
  auto list = client().Get("/_synonyms");
  EXPECT_EQ(boost::json::serialize(list.Json()), R"({"count":1,"results":[{"synonyms_set":"shop-set","count":2}]})");
  EXPECT_EQ(client().Get("/_synonyms/shop-set/r2").Json().at("synonyms"), "kreslo, armchair");
  EXPECT_EQ(Match("shop", "name", "kreslo"), (std::set<std::string>{"arm"}));

  auto deleted = client().Delete("/_synonyms/shop-set/r1");
  EXPECT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(deleted.Json().at("result"), "deleted");
  EXPECT_TRUE(Match("shop", "name", "divan").empty());
  EXPECT_EQ(client().Get("/_synonyms/shop-set/r1").status, 404);
  EXPECT_EQ(client().Get("/_synonyms/nope").Json().at("error").at("type"), "resource_not_found_exception");
  EXPECT_EQ(client().Put("/_synonyms/nope/r1", R"({"synonyms":"a, b"})").status, 404);
  EXPECT_EQ(client().Put("/_synonyms/shop-set/r9", R"({"synonyms":"a => "})").status, 400);
  EXPECT_EQ(client().Delete("/_synonyms/shop-set").status, 200);
  EXPECT_EQ(client().Get("/_synonyms").Json().at("count"), 0);
}

TEST_F(SynonymsHttpTest, ProductsVocabularyBothDirectionsAndBrands) {
  Start();
  // The products template with the vocabulary turned on (it is off by default).
  ASSERT_EQ(client().Put("/products", R"({"settings":{"index.ultrasearch.bilingual_vocabulary":true}})").status, 200);
  for (auto [id, name] : {std::pair{"ru", "Холодильник Samsung RB30"}, {"uz", "Artel muzlatgichi HD 345"},
                          {"iph", "Apple iPhone 15 128GB"}, {"xi", "Xiaomi Redmi Note 12"}}) {
    ASSERT_EQ(client().Put(std::string("/products/_doc/") + id, std::string(R"({"name":")") + name + "\"}").status, 201);
  }
  ASSERT_EQ(client().Post("/products/_refresh", "").status, 200);
  EXPECT_TRUE(Match("products", "name", "muzlatgichlar").count("ru"));
  EXPECT_TRUE(Match("products", "name", "музлатгич").count("ru"));
  EXPECT_TRUE(Match("products", "name", "холодильники").count("uz"));
  EXPECT_TRUE(Match("products", "name", "айфон").count("iph"));
  EXPECT_TRUE(Match("products", "name", "ксиаоми").count("xi"));
  EXPECT_TRUE(Match("products", "name", "редми").count("xi"));
  // Own-language match first.
  auto r = client().Post("/products/_search", R"({"query":{"match":{"name":"холодильник"}}})");
  EXPECT_EQ(r.Json().at("hits").at("hits").at(0).at("_id"), "ru") << r.body;
  auto settings = client().Get("/products/_settings");
  EXPECT_NE(settings.body.find("bilingual_vocabulary"), std::string::npos) << settings.body;
}

}  // namespace
}  // namespace ultrasearch::testing
