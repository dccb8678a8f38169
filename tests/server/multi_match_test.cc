// multi_match with `operator` and `minimum_should_match` over HTTP: the cases of
// tests/engine/multi_match_cases.h (words split across fields; expected sets from Elasticsearch's
// documented semantics), sent as the query DSL a client sends.
#include <set>

#include "engine/multi_match_cases.h"
#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;

class MultiMatchHttpTest : public ServerTest, public ::testing::WithParamInterface<MultiMatchCase> {
 protected:
  static void SetUpTestSuite() {
    ServerTest::SetUpTestSuite();
    if (!server_->started()) return;
    HttpClient c(server_->port());
    auto created = c.Put("/mm", std::string(R"({"mappings":)") + kMultiMatchMappings + "}");
    ASSERT_EQ(created.status, 200) << created.body;
    std::string bulk;
    for (const auto& doc : MultiMatchDocuments()) {
      bulk += R"({"index":{"_index":"mm","_id":")" + doc.id + "\"}}\n" + doc.json + "\n";
    }
    auto r = c.Post("/_bulk?refresh=true", bulk);
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(r.Json().at("errors"), false) << r.body;
  }
};

TEST_P(MultiMatchHttpTest, MatchesExactlyTheDocumentsElasticsearchWould) {
  const MultiMatchCase& c = GetParam();
  json::object multi_match{{"query", c.query},
                           {"fields", json::array{"name", "description"}},
                           {"type", c.type},
                           {"operator", c.op}};
  if (!c.minimum_should_match.empty()) multi_match["minimum_should_match"] = c.minimum_should_match;
  json::object body{{"size", 100}, {"query", json::object{{"multi_match", multi_match}}}};
  auto r = client().Post("/mm/_search", json::serialize(body));
  ASSERT_EQ(r.status, 200) << r.body;
  auto ids = HitIds(r);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), c.expected) << c.why << "\n" << json::serialize(body);
  EXPECT_EQ(r.Json().at("hits").at("total").at("value").to_number<uint64_t>(), c.expected.size());
  EXPECT_TRUE(server().Alive());
}

INSTANTIATE_TEST_SUITE_P(SplitAcrossFields, MultiMatchHttpTest, ::testing::ValuesIn(MultiMatchCases()),
                         [](const ::testing::TestParamInfo<MultiMatchCase>& info) { return info.param.name; });

// The same shapes with `operator` spelled in capitals and msm given as a JSON number, both of which
// Elasticsearch accepts.
TEST_F(MultiMatchHttpTest, OperatorIsCaseInsensitiveAndMsmMayBeANumber) {
  auto upper = client().Post("/mm/_search", R"({"size":100,"query":{"multi_match":{"query":"samsung galaxy",)"
                                            R"("fields":["name","description"],"type":"cross_fields","operator":"AND"}}})");
  ASSERT_EQ(upper.status, 200) << upper.body;
  auto ids = HitIds(upper);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), (std::set<std::string>{"A", "B", "C", "F"}));

  auto number = client().Post("/mm/_search", R"({"size":100,"query":{"multi_match":{"query":"samsung galaxy camera",)"
                                             R"("fields":["name","description"],"minimum_should_match":2}}})");
  ASSERT_EQ(number.status, 200) << number.body;
  ids = HitIds(number);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), (std::set<std::string>{"A", "B", "D", "F"}))
      << "best_fields (the default type): 2 words in one field";
}

}  // namespace
}  // namespace ultrasearch::testing
