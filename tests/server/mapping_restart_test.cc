// Mappings across a restart of the real server process: a dynamic template's sub-fields and search
// analyzer apply to fields first seen after the restart, and the products index keeps the schema
// the fronts' template gave it.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>

#include "server/http_client.h"
#include "support/test_support.h"

namespace ultrasearch::testing {
namespace {

class MappingRestartTest : public ::testing::Test {
 protected:
  void Start() {
    server_.reset();  // stops the previous process (SIGTERM) before the next opens the data
    server_ = std::make_unique<ServerProcess>(dir_.str() + "/data");
    ASSERT_TRUE(server_->started()) << server_->output();
    client_ = std::make_unique<HttpClient>(server_->port());
  }
  HttpClient& client() { return *client_; }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(MappingRestartTest, TemplateSubfieldAndSearchAnalyzerApplyToFieldsAddedAfterRestart) {
  Start();
  auto created = client().Put("/tpl", R"({"mappings":{"dynamic_templates":[{"strings":{
      "match_mapping_type":"string",
      "mapping":{"type":"text","analyzer":"ru","search_analyzer":"keyword","boost":2.0,
                 "fields":{"keyword":{"type":"keyword","ignore_above":256}}}}}]}})");
  ASSERT_EQ(created.status, 200) << created.body;
  ASSERT_EQ(client().Put("/tpl/_doc/1?refresh=true", R"({"before":"Телефоны"})").status, 201);

  Start();
  ASSERT_EQ(client().Put("/tpl/_doc/2?refresh=true", R"({"kind":"Холодильники"})").status, 201);
  auto mapping = client().Get("/tpl/_mapping");
  ASSERT_EQ(mapping.status, 200) << mapping.body;
  auto kind = mapping.Json().at("tpl").at("mappings").at("properties").at("kind");
  EXPECT_EQ(kind.at("type"), "text");
  EXPECT_EQ(kind.at("analyzer"), "ru");
  EXPECT_EQ(kind.at("search_analyzer"), "keyword");
  EXPECT_EQ(kind.at("boost").to_number<double>(), 2.0);
  EXPECT_EQ(kind.at("fields").at("keyword").at("type"), "keyword") << mapping.body;
  EXPECT_EQ(kind.at("fields").at("keyword").at("ignore_above"), 256);

  auto term = client().Post("/tpl/_count", R"({"query":{"term":{"kind.keyword":"Холодильники"}}})");
  ASSERT_EQ(term.status, 200) << term.body;
  EXPECT_EQ(term.Json().at("count"), 1) << "the .keyword sub-field is indexed";
  // The keyword search analyzer keeps the query whole: the stem matches, the inflected form not.
  EXPECT_EQ(client().Post("/tpl/_count", R"({"query":{"match":{"kind":"холодильник"}}})").Json().at("count"), 1);
  EXPECT_EQ(client().Post("/tpl/_count", R"({"query":{"match":{"kind":"Холодильники"}}})").Json().at("count"), 0);
  auto analyzed = client().Post("/tpl/_analyze", R"({"field":"kind","text":"Холодильники"})");
  ASSERT_EQ(analyzed.status, 200) << analyzed.body;
  EXPECT_EQ(analyzed.Json().at("tokens").as_array().size(), 1u) << analyzed.body;
}

TEST_F(MappingRestartTest, ProductsIndexKeepsTheCatalogSchemaAcrossRestarts) {
  Start();
  ASSERT_EQ(client().Put("/products/_doc/1?refresh=true", R"({"name":"Holodilnik Artel","warranty":"1 yil"})").status, 201);
  Start();
  ASSERT_EQ(client().Put("/products/_doc/2?refresh=true", R"({"name":"Televizor","origin":"Oʻzbekiston"})").status, 201);
  auto props = client().Get("/products/_mapping").Json().at("products").at("mappings").at("properties");
  EXPECT_EQ(props.at("name").at("analyzer"), "catalog");
  EXPECT_EQ(props.at("price").at("type"), "double");
  EXPECT_EQ(props.at("origin").at("fields").at("keyword").at("type"), "keyword");
  // A new text field of products is analysed by the template's default analyzer, `catalog`,
  // which writes Cyrillic Russian in Latin too.
  auto analyzed = client().Post("/products/_analyze", R"({"field":"origin","text":"холодильник"})");
  ASSERT_EQ(analyzed.status, 200) << analyzed.body;
  bool latin = false;
  const boost::json::value tokens = analyzed.Json();
  for (const auto& t : tokens.at("tokens").as_array()) latin = latin || t.at("token").as_string().starts_with("holodilnik");
  EXPECT_TRUE(latin) << analyzed.body;
}

}  // namespace
}  // namespace ultrasearch::testing
