// _analyze with named analyzers, arrays of text and field analyzers.
#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;

class AnalyzeTest : public ServerTest {};

TEST_F(AnalyzeTest, StandardAnalyzer) {
  auto r = client().Post("/_analyze", R"({"analyzer":"standard","text":"Hello World"})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto tokens = r.Json().at("tokens").as_array();
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].at("token"), "hello");
  EXPECT_EQ(tokens[0].at("start_offset"), 0);
  EXPECT_EQ(tokens[0].at("end_offset"), 5);
  EXPECT_EQ(tokens[0].at("position"), 0);
  EXPECT_TRUE(tokens[0].at("type").is_string());
  EXPECT_EQ(tokens[1].at("token"), "world");
  EXPECT_EQ(tokens[1].at("position"), 1);
}

TEST_F(AnalyzeTest, ArrayOfTextsContinuesPositionsAndOffsets) {
  auto r = client().Post("/_analyze", R"({"analyzer":"standard","text":["one two","three"]})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto tokens = r.Json().at("tokens").as_array();
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens[2].at("token"), "three");
  EXPECT_EQ(tokens[2].at("position"), 2);
  EXPECT_EQ(tokens[2].at("start_offset"), 8);
}

TEST_F(AnalyzeTest, UzbekAnalyzerFoldsScripts) {
  auto latin = client().Post("/_analyze", R"({"analyzer":"uz","text":"Oʻzbekiston"})");
  auto cyrillic = client().Post("/_analyze", R"({"analyzer":"uz","text":"Ўзбекистон"})");
  ASSERT_EQ(latin.status, 200) << latin.body;
  ASSERT_EQ(cyrillic.status, 200) << cyrillic.body;
  auto lt = latin.Json().at("tokens").as_array();
  auto ct = cyrillic.Json().at("tokens").as_array();
  ASSERT_FALSE(lt.empty());
  ASSERT_FALSE(ct.empty());
  EXPECT_EQ(lt[0].at("token"), ct[0].at("token"));
  EXPECT_EQ(ct[0].at("end_offset"), 10);  // UTF-16 code units
}

TEST_F(AnalyzeTest, FieldAnalyzerOfAnIndex) {
  ASSERT_EQ(client().Put("/products/_doc/1", R"({"name":"Holodilnik Artel"})").status, 201);
  auto r = client().Post("/products/_analyze", R"({"field":"brand","text":"Artel Pro"})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto tokens = r.Json().at("tokens").as_array();
  ASSERT_EQ(tokens.size(), 1u);  // keyword: the whole value
  EXPECT_EQ(tokens[0].at("token"), "Artel Pro");
  ExpectError(client().Post("/missing-index/_analyze", R"({"analyzer":"standard","text":"x"})"), 404,
              "index_not_found_exception");
  ExpectError(client().Post("/_analyze", R"({"analyzer":"standard"})"), 400, "action_request_validation_exception");
}

}  // namespace
}  // namespace ultrasearch::testing
