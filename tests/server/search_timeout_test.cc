// Elasticsearch's search `timeout` (body and ?timeout=): time values as Elasticsearch writes them,
// "-1" for none, and clear errors otherwise. (That a search past it stops and says timed_out, and
// that a cancelled one stops, is checked through the engine API in tests/engine/search_test.cc.)
#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

class SearchTimeoutTest : public ServerTest {};

TEST_F(SearchTimeoutTest, TimeValuesAreAcceptedAndBadOnesRefused) {
  ASSERT_EQ(client().Put("/timeouts/_doc/1?refresh=true", R"({"name":"olma","price":5})").status, 201);
  for (const char* body : {R"({"timeout":"30s","query":{"match":{"name":"olma"}}})",
                                  R"({"timeout":"500ms"})", R"({"timeout":"-1"})", R"({"timeout":"1m","aggs":{"n":{"value_count":{"field":"price"}}}})"}) {
    auto r = client().Post("/timeouts/_search", body);
    ASSERT_EQ(r.status, 200) << body << " " << r.body;
    EXPECT_FALSE(r.Json().at("timed_out").as_bool()) << body;
    EXPECT_EQ(r.Json().at("hits").at("total").at("value").to_number<int64_t>(), 1) << body;
  }
  auto param = client().Post("/timeouts/_search?timeout=2s", "");
  ASSERT_EQ(param.status, 200) << param.body;
  EXPECT_FALSE(param.Json().at("timed_out").as_bool());

  auto unit = client().Post("/timeouts/_search", R"({"timeout":"10 parsecs"})");
  ExpectError(unit, 400, "illegal_argument_exception");
  EXPECT_NE(Reason(unit).find("[timeout]"), std::string::npos) << unit.body;
  ExpectError(client().Post("/timeouts/_search?timeout=soon", ""), 400, "illegal_argument_exception");
  ExpectError(client().Post("/timeouts/_search", R"({"timeout":5})"), 400, "parsing_exception");
}

}  // namespace
}  // namespace ultrasearch::testing
