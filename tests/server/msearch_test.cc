// _msearch: NDJSON header/body pairs, answers in request order, errors per item.
#include <string>

#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;

class MsearchTest : public ServerTest {
 protected:
  static void SetUpTestSuite() {
    ServerTest::SetUpTestSuite();
    if (!server_->started()) return;
    HttpClient c(server_->port());
    for (const char* index : {"shop_a", "shop_b"}) {
      auto r = c.Put(std::string("/") + index,
                     R"({"mappings":{"properties":{"name":{"type":"text"},"brand":{"type":"keyword"},"price":{"type":"double"}}}})");
      EXPECT_EQ(r.status, 200) << r.body;
    }
    std::string bulk =
        R"({"index":{"_index":"shop_a","_id":"a1"}})" "\n" R"({"name":"Artel muzlatkich","brand":"Artel","price":450})" "\n"
        R"({"index":{"_index":"shop_a","_id":"a2"}})" "\n" R"({"name":"Samsung smartfon","brand":"Samsung","price":799})" "\n"
        R"({"index":{"_index":"shop_a","_id":"a3"}})" "\n" R"({"name":"Artel choynak","brand":"Artel","price":25})" "\n"
        R"({"index":{"_index":"shop_b","_id":"b1"}})" "\n" R"({"name":"Apple iPhone smartfon","brand":"Apple","price":999})" "\n";
    auto r = c.Post("/_bulk?refresh=true", bulk);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Json().at("errors"), false) << r.body;
  }

  HttpResponse Msearch(const std::string& target, const std::string& body) {
    return client().Send("POST", target, body, {{"Content-Type", "application/x-ndjson"}});
  }

  static std::vector<std::string> Ids(const json::value& response) {
    std::vector<std::string> ids;
    for (const auto& h : response.at("hits").at("hits").as_array()) ids.emplace_back(h.at("_id").as_string());
    return ids;
  }
};

TEST_F(MsearchTest, AnswersEachSearchInOrderWithStatus) {
  auto r = Msearch("/shop_a/_msearch",
                   "{}\n"
                   R"({"query":{"term":{"brand":"Artel"}},"sort":[{"price":"asc"}]})" "\n"
                   R"({"index":"shop_b"})" "\n"
                   R"({"query":{"match":{"name":"smartfon"}}})" "\n"
                   R"({"index":["shop_a","shop_b"]})" "\n"
                   R"({"size":0})" "\n");
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = r.Json();
  EXPECT_TRUE(v.at("took").is_number());
  const auto& responses = v.at("responses").as_array();
  ASSERT_EQ(responses.size(), 3u) << r.body;

  // The empty header uses the path's index.
  EXPECT_EQ(responses[0].at("status"), 200);
  EXPECT_EQ(Ids(responses[0]), (std::vector<std::string>{"a3", "a1"}));
  EXPECT_EQ(responses[0].at("hits").at("total").at("value"), 2);
  EXPECT_EQ(responses[0].at("hits").at("hits").at(0).at("_index"), "shop_a");
  EXPECT_EQ(responses[0].at("hits").at("hits").at(0).at("sort").at(0).to_number<double>(), 25.0);
  // The header's index overrides the path's.
  EXPECT_EQ(responses[1].at("status"), 200);
  EXPECT_EQ(Ids(responses[1]), (std::vector<std::string>{"b1"}));
  EXPECT_EQ(responses[1].at("hits").at("hits").at(0).at("_index"), "shop_b");
  // An array of indices searches both.
  EXPECT_EQ(responses[2].at("status"), 200);
  EXPECT_EQ(responses[2].at("hits").at("total").at("value"), 4);
}

TEST_F(MsearchTest, BadItemsFailAloneInTheirPlace) {
  auto r = Msearch("/_msearch",
                   R"({"index":"missing_index"})" "\n"
                   R"({"query":{"match_all":{}}})" "\n"
                   R"({"index":"shop_a"})" "\n"
                   R"({"query":{"no_such_query":{}}})" "\n"
                   R"({not json)" "\n"
                   R"({"query":{"match_all":{}}})" "\n"
                   R"({"index":"shop_a","bogus_key":1})" "\n"
                   R"({"query":{"match_all":{}}})" "\n"
                   R"({"index":"shop_b"})" "\n"
                   R"({"query":{"match_all":{}}})" "\n");
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = r.Json();
  const auto& responses = v.at("responses").as_array();
  ASSERT_EQ(responses.size(), 5u) << r.body;
  EXPECT_EQ(responses[0].at("status"), 404);
  EXPECT_EQ(responses[0].at("error").at("type"), "index_not_found_exception");
  EXPECT_EQ(responses[1].at("status"), 400);
  EXPECT_EQ(responses[1].at("error").at("type"), "parsing_exception");
  EXPECT_EQ(responses[2].at("status"), 400);  // malformed header line
  EXPECT_TRUE(responses[2].at("error").at("reason").is_string());
  EXPECT_EQ(responses[3].at("status"), 400);
  EXPECT_EQ(responses[3].at("error").at("type"), "illegal_argument_exception");
  EXPECT_EQ(responses[3].at("error").at("reason"), "key [bogus_key] is not supported in the metadata section");
  // Items after the bad ones still run.
  EXPECT_EQ(responses[4].at("status"), 200);
  EXPECT_EQ(Ids(responses[4]), (std::vector<std::string>{"b1"}));
}

TEST_F(MsearchTest, NdjsonFraming) {
  // Elasticsearch requires the final newline; the whole request fails without it.
  auto unterminated = Msearch("/shop_a/_msearch", "{}\n{\"size\":1}");
  auto error = ExpectError(unterminated, 400, "illegal_argument_exception");
  EXPECT_EQ(error.at("reason"), "The msearch request must be terminated by a newline [\\n]");

  // A leading empty line is skipped; an empty header line means the defaults; \r\n is accepted.
  auto r = Msearch("/shop_a/_msearch", "\n{}\r\n{\"query\":{\"term\":{\"brand\":\"Samsung\"}}}\r\n\n{\"size\":0}\n");
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = r.Json();
  const auto& responses = v.at("responses").as_array();
  ASSERT_EQ(responses.size(), 2u) << r.body;
  EXPECT_EQ(Ids(responses[0]), (std::vector<std::string>{"a2"}));
  EXPECT_EQ(responses[1].at("hits").at("total").at("value"), 3);

  // No searches at all.
  ExpectError(Msearch("/_msearch", ""), 400, "action_request_validation_exception");
}

TEST_F(MsearchTest, GetWithoutIndexSearchesAll) {
  auto r = client().Send("GET", "/_msearch", "{}\n{\"size\":0}\n", {{"Content-Type", "application/x-ndjson"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json().at("responses").at(0).at("hits").at("total").at("value"), 4);
  EXPECT_EQ(r.Json().at("responses").at(0).at("status"), 200);
}

}  // namespace
}  // namespace ultrasearch::testing
