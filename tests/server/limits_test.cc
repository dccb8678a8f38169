// Elasticsearch 8's request limits through real HTTP, each at its boundary: exactly at the limit
// the search runs, one over it answers Elasticsearch's error body.
#include <string>

#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;

class LimitsTest : public ServerTest {
 protected:
  static void SetUpTestSuite() {
    ServerTest::SetUpTestSuite();
    if (!server_->started()) return;
    HttpClient c(server_->port());
    auto r = c.Put("/limits", R"({"mappings":{"properties":{"code":{"type":"keyword"},"name":{"type":"text"}}}})");
    EXPECT_EQ(r.status, 200) << r.body;
    // 4096 distinct codes sharing the prefix "c": a prefix query on "c" expands to exactly the
    // clause limit.
    std::string bulk;
    for (int i = 0; i < 4096; ++i) {
      bulk += R"({"index":{"_index":"limits","_id":")" + std::to_string(i) + "\"}}\n";
      bulk += R"({"code":"c)" + std::to_string(i) + R"(","name":"mahsulot"})" "\n";
    }
    r = c.Post("/_bulk?refresh=true", bulk);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Json().at("errors"), false);
  }

  HttpResponse Search(const std::string& body) { return client().Post("/limits/_search", body); }

  static uint64_t Total(const HttpResponse& r) {
    return r.Json().at("hits").at("total").at("value").to_number<uint64_t>();
  }

  // A failed query phase: search_phase_execution_exception with the shard's error as root cause.
  static json::object ExpectShardFailure(const HttpResponse& r, const std::string& cause_type,
                                         const std::string& cause_reason) {
    json::object error = ExpectError(r, 400, "search_phase_execution_exception");
    if (error.empty()) return error;
    EXPECT_EQ(error.at("reason"), "all shards failed");
    const auto& root = error.at("root_cause").at(0);
    EXPECT_EQ(root.at("type").as_string(), cause_type) << r.body;
    EXPECT_EQ(root.at("reason").as_string(), cause_reason) << r.body;
    EXPECT_EQ(error.at("caused_by").at("type").as_string(), cause_type) << r.body;
    return error;
  }

  // {"bool":{"should":[n term clauses]}}
  static std::string ShouldTerms(int n, int first = 0) {
    std::string clauses;
    for (int i = 0; i < n; ++i) {
      if (i) clauses += ',';
      clauses += R"({"term":{"code":"c)" + std::to_string(first + i) + "\"}}";
    }
    return R"({"bool":{"should":[)" + clauses + "]}}";
  }
};

std::string WindowReason(int n) {
  return "Result window is too large, from + size must be less than or equal to: [10000] but was [" +
         std::to_string(n) +
         "]. See the scroll api for a more efficient way to request large data sets. This limit can be set by "
         "changing the [index.max_result_window] index level setting.";
}

TEST_F(LimitsTest, ResultWindow) {
  auto r = Search(R"({"from":0,"size":10000})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(HitIds(r).size(), 4096u);
  EXPECT_EQ(Search(R"({"from":9990,"size":10})").status, 200);

  ExpectShardFailure(Search(R"({"from":1,"size":10000})"), "illegal_argument_exception", WindowReason(10001));
  // The URL parameters are checked the same way.
  ExpectShardFailure(client().Get("/limits/_search?from=9995&size=6"), "illegal_argument_exception",
                     WindowReason(10001));
  EXPECT_EQ(client().Get("/limits/_search?from=9995&size=5").status, 200);
}

TEST_F(LimitsTest, TermsCount) {
  auto terms = [](int n) {
    std::string values;
    for (int i = 0; i < n; ++i) {
      if (i) values += ',';
      values += "\"c" + std::to_string(i) + "\"";
    }
    return R"({"query":{"terms":{"code":[)" + values + "]}}}";
  };
  auto r = Search(terms(65536));
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 500);
  EXPECT_EQ(Total(r), 4096u);

  ExpectShardFailure(Search(terms(65537)), "illegal_argument_exception",
                     "The number of terms [65537] used in the Terms Query request has exceeded the allowed maximum "
                     "of [65536]. This maximum can be set by changing the [index.max_terms_count] index level "
                     "setting.");
}

TEST_F(LimitsTest, BoolClauses) {
  auto r = Search(R"({"query":)" + ShouldTerms(4096) + "}");
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 500);
  EXPECT_EQ(Total(r), 4096u);

  ExpectShardFailure(Search(R"({"query":)" + ShouldTerms(4097) + "}"), "too_many_clauses",
                     "maxClauseCount is set to 4096");
}

TEST_F(LimitsTest, NestedClausesCountAcrossTheTree) {
  // Each bool is under the limit; what counts is the leaves of the whole query (Lucene 9).
  auto nested = [](int a, int b) {
    return R"({"query":{"bool":{"should":[)" + ShouldTerms(a) + "," + ShouldTerms(b, a) + "]}}}";
  };
  auto r = Search(nested(2048, 2048));
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 500);
  EXPECT_EQ(Total(r), 4096u);

  ExpectShardFailure(Search(nested(2048, 2049)), "too_many_nested_clauses",
                     "Query contains too many nested clauses; maxClauseCount is set to 4096");
}

TEST_F(LimitsTest, PrefixExpansion) {
  auto r = Search(R"({"query":{"prefix":{"code":"c"}}})");
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 500);
  EXPECT_EQ(Total(r), 4096u);
  // A narrower prefix is unaffected: c1, c10..c19, c100..c199, c1000..c1999 (1111 codes).
  r = Search(R"({"query":{"prefix":{"code":"c1"}}})");
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 500);
  EXPECT_EQ(Total(r), 1111u);
  // With another clause beside it, the expansion plus that clause passes the limit.
  ExpectShardFailure(
      Search(R"({"query":{"bool":{"must":[{"prefix":{"code":"c"}}],"filter":[{"term":{"name":"mahsulot"}}]}}})"),
      "too_many_nested_clauses", "Query contains too many nested clauses; maxClauseCount is set to 4096");

  // One more code and the prefix alone expands past the limit (another index, so the others keep
  // their 4096 documents).
  std::string bulk;
  for (int i = 0; i <= 4096; ++i) {
    bulk += R"({"index":{"_index":"limits_over","_id":")" + std::to_string(i) + "\"}}\n";
    bulk += R"({"code":"c)" + std::to_string(i) + R"("})" "\n";
  }
  ASSERT_EQ(client().Put("/limits_over", R"({"mappings":{"properties":{"code":{"type":"keyword"}}}})").status, 200);
  r = client().Post("/_bulk?refresh=true", bulk);
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.Json().at("errors"), false);
  const std::string nested_reason = "Query contains too many nested clauses; maxClauseCount is set to 4096";
  ExpectShardFailure(client().Post("/limits_over/_search", R"({"query":{"prefix":{"code":"c"}}})"),
                     "too_many_nested_clauses", nested_reason);
  // _count plans the same query.
  ExpectShardFailure(client().Post("/limits_over/_count", R"({"query":{"prefix":{"code":"c"}}})"),
                     "too_many_nested_clauses", nested_reason);
  EXPECT_EQ(client().Post("/limits_over/_search", R"({"query":{"prefix":{"code":"c40"}}})").status, 200);
}

}  // namespace
}  // namespace ultrasearch::testing
