// Body limits: _bulk may carry more than other requests (catalog loads), and both limits hold for
// bodies as sent and as inflated, with Elasticsearch's 413 content_too_long_exception.
#include "server/gzip_reference.h"
#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

class BodyLimitsTest : public ServerTest {
 protected:
  static void SetUpTestSuite() { StartServer({"--max-body-size", "1MB", "--max-bulk-body-size", "4MB"}); }

  // NDJSON index actions for `docs` documents of about `bytes_each` bytes.
  static std::string Bulk(int docs, std::size_t bytes_each) {
    std::string out;
    for (int i = 0; i < docs; ++i) {
      out += R"({"index":{"_index":"limits","_id":")" + std::to_string(i) + "\"}}\n";
      out += R"({"text":")" + std::string(bytes_each, 'a') + "\"}\n";
    }
    return out;
  }
};

TEST_F(BodyLimitsTest, BulkHasTheLargerLimit) {
  const std::string two_mb = Bulk(20, 100 * 1000);  // ~2 MB: over the general limit, under bulk's
  ASSERT_GT(two_mb.size(), 1u << 20);
  auto bulk = client().Post("/_bulk?refresh=true", two_mb);
  ASSERT_EQ(bulk.status, 200) << bulk.body.substr(0, 300);
  EXPECT_FALSE(bulk.Json().at("errors").as_bool());
  EXPECT_EQ(client().Post("/limits/_count", "").Json().at("count").to_number<int64_t>(), 20);

  // The same bytes as one document are over the general limit (1 MB = 1048576 bytes).
  std::string doc = R"({"text":")" + std::string(2 * 1000 * 1000, 'b') + "\"}";
  auto refused = client().Put("/limits/_doc/big", doc);
  ExpectError(refused, 413, "content_too_long_exception");
  EXPECT_NE(Reason(refused).find("[1048576]"), std::string::npos) << refused.body;
  EXPECT_EQ(client().Get("/limits/_doc/big").status, 404);

  // And a bulk past its own limit (4 MB) is refused whole.
  auto too_big = client().Post("/limits/_bulk", Bulk(50, 100 * 1000));
  ExpectError(too_big, 413, "content_too_long_exception");
  EXPECT_NE(Reason(too_big).find("[4194304]"), std::string::npos) << too_big.body;
  EXPECT_EQ(client().Post("/limits/_count", "").Json().at("count").to_number<int64_t>(), 20);
}

TEST_F(BodyLimitsTest, InflatedBodiesCountAgainstTheLimitOfTheirRoute) {
  // A small gzip body that inflates past the general limit, sent as a search: 413.
  std::string zeros(2u << 20, ' ');
  std::string search = R"({"query":{"match_all":{}}})" + zeros;
  std::string packed = Gzip(search);
  ASSERT_LT(packed.size(), 64u * 1024);
  auto r = client().Send("POST", "/limits/_search", packed, {{"Content-Encoding", "gzip"}});
  ExpectError(r, 413, "content_too_long_exception");
  EXPECT_TRUE(server().Alive());
}

}  // namespace
}  // namespace ultrasearch::testing
