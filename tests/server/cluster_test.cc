// GET /, health, _cluster/health, _cat/indices, /metrics, routing errors, graceful stop.
#include <atomic>
#include <regex>
#include <thread>

#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

class ClusterTest : public ServerTest {};

TEST_F(ClusterTest, RootLooksLikeElasticsearch8) {
  auto r = client().Get("/");
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.Header("X-Elastic-Product"), "Elasticsearch");
  EXPECT_EQ(r.Header("content-type"), "application/json");
  auto v = r.Json();
  EXPECT_EQ(v.at("cluster_name").as_string(), "ultrasearch");
  EXPECT_EQ(v.at("tagline").as_string(), "You Know, for Search");
  std::string number(v.at("version").at("number").as_string());
  EXPECT_EQ(number.substr(0, 2), "8.");
  EXPECT_EQ(v.at("version").at("build_flavor").as_string(), "default");
  EXPECT_TRUE(v.at("version").at("lucene_version").is_string());
  EXPECT_TRUE(v.at("version").at("minimum_wire_compatibility_version").is_string());
  EXPECT_TRUE(v.at("cluster_uuid").is_string());

  auto head = client().Send("HEAD", "/");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.Header("X-Elastic-Product"), "Elasticsearch");
}

TEST_F(ClusterTest, Health) {
  auto r = client().Get("/health");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Json().at("status").as_string(), "ok");
  auto c = client().Get("/_cluster/health");
  ASSERT_EQ(c.status, 200);
  EXPECT_EQ(c.Json().at("status").as_string(), "green");
  EXPECT_EQ(c.Json().at("cluster_name").as_string(), "ultrasearch");
  EXPECT_EQ(c.Header("X-Elastic-Product"), "Elasticsearch");
}

TEST_F(ClusterTest, KeepAliveServesManyRequestsOnOneConnection) {
  for (int i = 0; i < 50; ++i) {
    auto r = client().Get("/health");
    ASSERT_EQ(r.status, 200) << r.error;
    ASSERT_TRUE(r.keep_alive);
  }
}

TEST_F(ClusterTest, CatIndicesTextAndJson) {
  ASSERT_EQ(client().Put("/cat1/_doc/1?refresh=true", R"({"a":"x"})").status, 201);
  auto json = client().Get("/_cat/indices?format=json");
  ASSERT_EQ(json.status, 200);
  bool found = false;
  auto rows = json.Json();
  for (const auto& row : rows.as_array()) {
    if (row.at("index").as_string() == "cat1") {
      found = true;
      EXPECT_EQ(row.at("docs.count").as_string(), "1");
      EXPECT_EQ(row.at("health").as_string(), "green");
    }
  }
  EXPECT_TRUE(found) << json.body;
  auto text = client().Get("/_cat/indices?v");
  ASSERT_EQ(text.status, 200);
  EXPECT_NE(text.body.find("docs.count"), std::string::npos);
  EXPECT_NE(text.body.find("cat1"), std::string::npos);
}

TEST_F(ClusterTest, MetricsUseThePrometheusTextFormat) {
  ASSERT_EQ(client().Put("/metrics1/_doc/1", R"({"a":"x"})").status, 201);
  ASSERT_EQ(client().Put("/metrics1/_doc/2", R"({"a":"y"})").status, 201);
  client().Get("/");
  auto r = client().Get("/metrics");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-type").rfind("text/plain; version=0.0.4", 0), 0u) << r.Header("content-type");
  EXPECT_NE(r.body.find("# TYPE ultrasearch_http_requests_total counter"), std::string::npos);
  EXPECT_NE(r.body.find("# TYPE ultrasearch_http_request_duration_seconds histogram"), std::string::npos);
  EXPECT_NE(r.body.find("ultrasearch_index_documents{index=\"metrics1\"} 2"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("route=\"root\""), std::string::npos);
  std::regex sample(R"(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? [-+0-9.eEInf]+$)");
  std::size_t start = 0;
  int samples = 0;
  while (start < r.body.size()) {
    std::size_t end = r.body.find('\n', start);
    ASSERT_NE(end, std::string::npos) << "exposition must end with a newline";
    std::string line = r.body.substr(start, end - start);
    start = end + 1;
    if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) continue;
    EXPECT_TRUE(std::regex_match(line, sample)) << line;
    ++samples;
  }
  EXPECT_GT(samples, 5);
}

TEST_F(ClusterTest, UnknownEndpointAndWrongMethod) {
  auto r = client().Get("/_nope");
  ExpectError(r, 400, "illegal_argument_exception");
  auto m = client().Put("/_search", "{}");
  EXPECT_EQ(m.status, 405);
  EXPECT_TRUE(m.IsJson());
  EXPECT_FALSE(m.Header("allow").empty());
}

TEST_F(ClusterTest, MalformedHttpGetsA400) {
  auto r = client().SendRaw("GARBAGE\r\n\r\n");
  EXPECT_EQ(r.status, 400) << r.error;
  EXPECT_EQ(r.Header("X-Elastic-Product"), "Elasticsearch");
  EXPECT_TRUE(server().Alive());
}

TEST_F(ClusterTest, ConcurrentClients) {
  constexpr int kThreads = 8, kRequests = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      HttpClient c(server().port());
      for (int i = 0; i < kRequests; ++i) {
        std::string id = std::to_string(t) + "-" + std::to_string(i);
        auto w = c.Put("/concurrent/_doc/" + id, R"({"name":"item )" + id + R"("})");
        auto s = c.Post("/concurrent/_search", R"({"query":{"match":{"name":"item"}},"size":1})");
        if (w.status != 201 || s.status != 200) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_EQ(client().Post("/concurrent/_refresh", "").status, 200);
  EXPECT_EQ(client().Get("/concurrent/_count").Json().at("count"), kThreads * kRequests);
}

// Last in the suite: SIGTERM stops the server cleanly.
TEST_F(ClusterTest, ZzSigtermStopsGracefully) {
  ASSERT_EQ(client().Get("/health").status, 200);  // leaves an idle keep-alive connection open
  int code = server().Stop();
  EXPECT_EQ(code, 0) << server().output();
}

}  // namespace
}  // namespace ultrasearch::testing
