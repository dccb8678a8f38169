// /health per index (503 when one cannot serve), and the reply options `human` and `error_trace`.
#include <filesystem>

#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;

class ReplyOptionsTest : public ServerTest {};

TEST_F(ReplyOptionsTest, HumanAddsReadableTwinsOfSizesAndTimes) {
  ASSERT_EQ(client().Put("/human/_doc/1?refresh=true", R"({"name":"olma"})").status, 201);
  auto raw = client().Get("/human/_stats").Json();
  const auto& store = raw.at("indices").at("human").at("primaries").at("store").as_object();
  EXPECT_FALSE(store.contains("size"));  // only with ?human
  auto r = client().Get("/human/_stats?human=true");
  ASSERT_EQ(r.status, 200);
  json::value body = r.Json();
  const auto& human = body.at("indices").at("human").at("primaries").at("store");
  uint64_t bytes = human.at("size_in_bytes").to_number<uint64_t>();
  // Elasticsearch's ByteSizeValue: one decimal, 1024-based units, no trailing ".0".
  ASSERT_GT(bytes, 1024u);
  ASSERT_LT(bytes, 1024u * 1024u);
  double kb = static_cast<double>(bytes) / 1024.0;
  char expected[32];
  std::snprintf(expected, sizeof expected, "%.1fkb", kb);
  std::string want = expected;
  if (want.find(".0kb") != std::string::npos) want.erase(want.find(".0kb"), 2);
  EXPECT_EQ(human.at("size").as_string(), want);
  EXPECT_EQ(human.at("reserved").as_string(), "0b");
  // filter_path may name a twin.
  auto filtered = client().Get("/human/_stats?human&filter_path=indices.human.primaries.store.size");
  EXPECT_EQ(filtered.Json(), json::parse(R"({"indices":{"human":{"primaries":{"store":{"size":")" + want + R"("}}}}})"));
  ExpectError(client().Get("/human/_stats?human=yes"), 400, "illegal_argument_exception");
}

TEST_F(ReplyOptionsTest, ErrorTraceNamesTheErrorAndTheRequest) {
  auto plain = ExpectError(client().Get("/missing/_doc/1"), 404, "index_not_found_exception");
  EXPECT_FALSE(plain.contains("stack_trace"));
  auto traced = ExpectError(client().Get("/missing/_doc/1?error_trace=true"), 404, "index_not_found_exception");
  ASSERT_TRUE(traced.contains("stack_trace"));
  std::string trace(traced.at("stack_trace").as_string());
  EXPECT_EQ(trace.rfind("index_not_found_exception: no such index [missing]", 0), 0u) << trace;
  EXPECT_NE(trace.find("GET /missing/_doc/1"), std::string::npos) << trace;
  ExpectError(client().Get("/missing/_doc/1?error_trace=maybe"), 400, "illegal_argument_exception");
}

class HealthTest : public ::testing::Test {};

TEST_F(HealthTest, AnIndexThatCannotServeMakesHealth503) {
  TempDir dir;
  const std::string data = dir.str() + "/data";
  {
    ServerProcess server(data);
    ASSERT_TRUE(server.started()) << server.output();
    HttpClient c(server.port());
    ASSERT_EQ(c.Put("/good/_doc/1?refresh=true", R"({"a":1})").status, 201);
    ASSERT_EQ(c.Put("/bad/_doc/1?refresh=true", R"({"a":1})").status, 201);
    auto healthy = c.Get("/health");
    ASSERT_EQ(healthy.status, 200) << healthy.body;
    EXPECT_EQ(healthy.Json().at("index_health").at("good").at("status").as_string(), "ok");
    EXPECT_EQ(healthy.Json().at("index_health").at("good").at("documents").to_number<int64_t>(), 1);
  }
  // Break the catalog of `bad` while no server runs: RocksDB's CURRENT names a missing manifest.
  WriteFile(data + "/indices/bad/catalog/CURRENT", "MANIFEST-999999\n");
  ServerProcess server(data);
  ASSERT_TRUE(server.started()) << server.output();
  HttpClient c(server.port());
  auto r = c.Get("/health");
  EXPECT_EQ(r.status, 503) << r.body;
  auto v = r.Json();
  EXPECT_EQ(v.at("status").as_string(), "unavailable");
  EXPECT_EQ(v.at("index_health").at("good").at("status").as_string(), "ok");
  EXPECT_EQ(v.at("index_health").at("bad").at("status").as_string(), "unavailable");
  EXPECT_FALSE(v.at("index_health").at("bad").at("reason").as_string().empty());
  // The healthy index still serves.
  EXPECT_EQ(c.Get("/good/_doc/1").status, 200);
}

}  // namespace
}  // namespace ultrasearch::testing
