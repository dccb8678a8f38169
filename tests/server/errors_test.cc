// Error shapes and statuses for hostile or mistaken input; the server must stay up throughout.
#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

class ErrorsTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    auto r = client().Put("/err/_doc/1?refresh=true", R"({"name":"x","price":5})");
    ASSERT_TRUE(r.status == 201 || r.status == 200) << r.body;
  }
  void TearDown() override { EXPECT_TRUE(server().Alive()) << server().output(); }
};

TEST_F(ErrorsTest, MalformedJson) {
  auto r = client().Post("/err/_search", R"({"query":{"match_all":{}})");
  ExpectError(r, 400, "x_content_parse_exception");
  ExpectError(client().Post("/err/_search", R"({"query":})"), 400, "x_content_parse_exception");
  ExpectError(client().Post("/err/_search", R"({} trailing)"), 400, "x_content_parse_exception");
  ExpectError(client().Post("/err/_search", R"([1,2])"), 400, "parsing_exception");
}

TEST_F(ErrorsTest, WrongTypes) {
  ExpectError(client().Post("/err/_search", R"({"size":"abc"})"), 400, "x_content_parse_exception");
  ExpectError(client().Post("/err/_search", R"({"size":-1})"), 400, "illegal_argument_exception");
  ExpectError(client().Post("/err/_search", R"({"query":"match_all"})"), 400, "parsing_exception");
  ExpectError(client().Post("/err/_search", R"({"query":{"match":[1]}})"), 400, "parsing_exception");
  ExpectError(client().Post("/err/_search", R"({"query":{"bool":{"must":"x"}}})"), 400, "parsing_exception");
  ExpectError(client().Post("/err/_search", R"({"query":{"range":{"price":5}}})"), 400, "parsing_exception");
  ExpectError(client().Post("/err/_search", R"({"query":{"term":{"a":1,"b":2}}})"), 400, "parsing_exception");
  ExpectError(client().Post("/err/_search", R"({"query":{"match":{"name":{"query":"x","fuzziness":"lots"}}}})"),
              400, "parsing_exception");
  ExpectError(client().Post("/err/_search", R"({"bogus":1})"), 400, "parsing_exception");
  ExpectError(client().Get("/err/_search?size=abc"), 400, "illegal_argument_exception");
}

TEST_F(ErrorsTest, UnknownQueryType) {
  auto r = client().Post("/err/_search", R"({"query":{"foo":{}}})");
  ExpectError(r, 400, "parsing_exception");
  EXPECT_EQ(Reason(r), "unknown query [foo]");
  auto nested = client().Post("/err/_search", R"({"query":{"bool":{"filter":[{"frobnicate":{"a":1}}]}}})");
  EXPECT_EQ(Reason(nested), "unknown query [frobnicate]");
}

TEST_F(ErrorsTest, UnknownIndex) {
  auto r = client().Post("/nonexistent/_search", "{}");
  auto error = ExpectError(r, 404, "index_not_found_exception");
  EXPECT_EQ(error["index"], "nonexistent");
  EXPECT_EQ(Reason(r), "no such index [nonexistent]");
  ExpectError(client().Get("/nonexistent/_mapping"), 404, "index_not_found_exception");
  ExpectError(client().Post("/nonexistent/_count", ""), 404, "index_not_found_exception");
}

TEST_F(ErrorsTest, DeepNesting) {
  std::string deep(10000, '[');
  deep += std::string(10000, ']');
  std::string body = R"({"query":)" + deep + "}";
  ExpectError(client().Post("/err/_search", body), 400, "x_content_parse_exception");
  std::string objects;
  for (int i = 0; i < 10000; ++i) objects += R"({"bool":{"must":)";
  objects += "{}";
  for (int i = 0; i < 10000; ++i) objects += "}}";
  ExpectError(client().Post("/err/_search", R"({"query":)" + objects + "}"), 400, "x_content_parse_exception");
  ExpectError(client().Put("/err/_doc/deep", R"({"a":)" + deep + "}"), 400, "document_parsing_exception");
  auto bulk = client().Post("/_bulk", R"({"index":{"_index":"err","_id":"deep"}})" "\n" R"({"a":)" + deep + "}\n");
  ASSERT_EQ(bulk.status, 200) << bulk.body;
  EXPECT_EQ(bulk.Json().at("items").at(0).at("index").at("status"), 400);
  EXPECT_EQ(client().Get("/err/_doc/deep").status, 404);
}

TEST_F(ErrorsTest, BodyOverTheLimit) {
  // Announce 200 MB (over the 100 MB default) and send a little: the server answers at once.
  std::string raw =
      "POST /err/_doc/huge HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 209715200\r\n\r\n{\"a\":\"";
  raw += std::string(64 * 1024, 'x');
  auto r = client().SendRaw(raw);
  auto error = ExpectError(r, 413, "content_too_long_exception");
  EXPECT_NE(Reason(r).find("209715200"), std::string::npos) << r.body;
  EXPECT_EQ(client().Get("/err/_doc/huge").status, 404);
}

TEST_F(ErrorsTest, InvalidUtf8) {
  std::string bad = "{\"query\":{\"match\":{\"name\":\"\xff\xfe\"}}}";
  auto r = client().Post("/err/_search", bad);
  ExpectError(r, 400, "x_content_parse_exception");
  EXPECT_NE(Reason(r).find("UTF-8"), std::string::npos) << r.body;
  auto doc = client().Put("/err/_doc/utf", "{\"name\":\"\xc3\x28\"}");
  ExpectError(doc, 400, "document_parsing_exception");
  EXPECT_NE(Reason(doc).find("UTF-8"), std::string::npos) << doc.body;
  auto surrogate = client().Put("/err/_doc/utf", R"({"name":"\ud800"})");
  ExpectError(surrogate, 400, "document_parsing_exception");
}

TEST_F(ErrorsTest, UnknownAnalyzer) {
  auto r = client().Post("/_analyze", R"({"analyzer":"nope","text":"x"})");
  ExpectError(r, 400, "illegal_argument_exception");
  EXPECT_EQ(Reason(r), "failed to find global analyzer [nope]");
  ExpectError(client().Post("/err/_search", R"({"query":{"match":{"name":{"query":"x","analyzer":"nope"}}}})"), 400,
              "illegal_argument_exception");
}

TEST_F(ErrorsTest, BadPercentEncodingAndMethods) {
  ExpectError(client().Get("/err/_doc/%zz"), 400, "illegal_argument_exception");
  ExpectError(client().Get("/%FF%FE/_search"), 400, "illegal_argument_exception");
  ExpectError(client().Get("/err/_search?q=%C3%28"), 400, "illegal_argument_exception");
  EXPECT_EQ(client().Send("PATCH", "/err/_doc/1", "{}").status, 405);
}

}  // namespace
}  // namespace ultrasearch::testing
