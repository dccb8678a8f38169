// `ultrasearch serve` without --api-keys: anyone reaching the port could do anything, so it
// refuses a non-loopback address unless told --insecure-bind.
#include <gtest/gtest.h>

#include "support/test_support.h"

namespace ultrasearch::testing {
namespace {

TEST(ServeBindTest, RefusesANonLoopbackAddressWithoutApiKeys) {
  TempDir dir;
  // `timeout` bounds the test should the server start after all (it would then exit 124).
  CommandResult r = RunCommand({"/usr/bin/timeout", "20", ULTRASEARCH_BIN, "serve", "--data", dir.str() + "/data", "--host",
                                "0.0.0.0", "--port", "0"});
  EXPECT_NE(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.exit_code, 124) << "the server started: " << r.out << r.err;
  EXPECT_NE(r.err.find("--api-keys"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--insecure-bind"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("listening on"), std::string::npos) << r.out;
}

TEST(ServeBindTest, HelpNamesTheSecurityOptions) {
  CommandResult r = RunUltrasearch({"serve", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--insecure-bind"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--rate-limit"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace ultrasearch::testing
