// _analyze with named analyzers, arrays of text and field analyzers.
#include <algorithm>
#include <set>
#include <string>

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

// The Uzbek spelling rules through the HTTP API, as a client checks them: whether two spellings
// share a token (would find each other) with `catalog`, the products index's analyzer.
class OrthographyTest : public ServerTest {
 protected:
  std::set<std::string> Tokens(const std::string& text) {
    json::object body{{"analyzer", "catalog"}, {"text", text}};
    auto r = client().Post("/_analyze", json::serialize(body));
    EXPECT_EQ(r.status, 200) << r.body;
    const json::value reply = r.Json();
    std::set<std::string> out;
    for (const auto& t : reply.at("tokens").as_array()) out.insert(std::string(t.at("token").as_string()));
    return out;
  }
  bool Meet(const std::string& a, const std::string& b) {
    auto ta = Tokens(a), tb = Tokens(b);
    return std::any_of(ta.begin(), ta.end(), [&](const std::string& t) { return tb.count(t) != 0; });
  }
};

TEST_F(OrthographyTest, RussianLoansMeetTheirOfficialLatinSpelling) {
  EXPECT_TRUE(Meet("сентябрь", "sentabr"));
  EXPECT_TRUE(Meet("октябрь", "oktabr"));
  EXPECT_TRUE(Meet("sentyabr", "sentabr"));  // letter by letter
  EXPECT_TRUE(Meet("январь", "yanvar"));
  EXPECT_TRUE(Meet("бюджет", "budjet"));
  EXPECT_TRUE(Meet("фильм", "film"));
  EXPECT_TRUE(Meet("станция", "stansiya"));
  EXPECT_TRUE(Meet("революция", "revolyutsiya"));
  EXPECT_TRUE(Meet("цирк", "sirk"));
}

TEST_F(OrthographyTest, InitialYeMakesAnotherWord) {
  EXPECT_FALSE(Meet("yer", "er"));
  EXPECT_FALSE(Meet("yeng", "eng"));
  EXPECT_FALSE(Meet("ер", "эр"));
  EXPECT_FALSE(Meet("ер", "er"));
  EXPECT_TRUE(Meet("ер", "yer"));
  EXPECT_TRUE(Meet("эр", "er"));
}

TEST_F(OrthographyTest, OneKeyForTsAndC) {
  EXPECT_TRUE(Meet("детская", "detskaya"));
  EXPECT_TRUE(Meet("цирк", "tsirk"));
  EXPECT_TRUE(Meet("цирк", "cirk"));
}

TEST_F(OrthographyTest, OlderLatinLettersFold) {
  EXPECT_TRUE(Meet("şahar", "shahar"));
  EXPECT_TRUE(Meet("çoy", "choy"));
  EXPECT_TRUE(Meet("ğisht", "gʻisht"));
  EXPECT_TRUE(Meet("ḡisht", "g'isht"));
  EXPECT_TRUE(Meet("õzbek", "oʻzbek"));
  EXPECT_TRUE(Meet("Ōzbekiston", "Ўзбекистон"));
  EXPECT_TRUE(Meet("Özbekiston", "Ozbekiston"));
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
