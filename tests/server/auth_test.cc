// --api-keys: every request but /health needs `Authorization: ApiKey <key>`.
#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

class AuthTest : public ServerTest {
 protected:
  static void SetUpTestSuite() {
    keys_dir_ = std::make_unique<TempDir>();
    std::string path = keys_dir_->str() + "/keys";
    WriteFile(path, "# comment\nsecret-one\n\n  secret-two  \n");
    StartServer({"--api-keys", path});
  }
  static void TearDownTestSuite() {
    ServerTest::TearDownTestSuite();
    keys_dir_.reset();
  }
  static inline std::unique_ptr<TempDir> keys_dir_;
};

TEST_F(AuthTest, RequestsWithoutAKeyAreRefused) {
  auto r = client().Get("/");
  auto error = ExpectError(r, 401, "security_exception");
  EXPECT_EQ(r.Header("WWW-Authenticate"), "ApiKey");
  ExpectError(client().Send("GET", "/", "", {{"Authorization", "ApiKey wrong"}}), 401, "security_exception");
  ExpectError(client().Send("GET", "/", "", {{"Authorization", "Basic c2VjcmV0LW9uZQ=="}}), 401,
              "security_exception");
}

TEST_F(AuthTest, KnownKeysAreAccepted) {
  EXPECT_EQ(client().Send("GET", "/", "", {{"Authorization", "ApiKey secret-one"}}).status, 200);
  EXPECT_EQ(client().Send("GET", "/", "", {{"Authorization", "ApiKey secret-two"}}).status, 200);
}

TEST_F(AuthTest, HealthIsOpen) { EXPECT_EQ(client().Get("/health").status, 200); }

}  // namespace
}  // namespace ultrasearch::testing
