// A running `ultrasearch serve` per test suite, plus JSON helpers for assertions.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <string>
#include <vector>

#include "server/http_client.h"
#include "support/test_support.h"

namespace ultrasearch::testing {

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { StartServer({}); }
  static void TearDownTestSuite() {
    server_.reset();
    dir_.reset();
  }
  static void StartServer(const std::vector<std::string>& extra_args) {
    dir_ = std::make_unique<TempDir>();
    server_ = std::make_unique<ServerProcess>(dir_->str() + "/data", extra_args);
  }

  void SetUp() override {
    ASSERT_TRUE(server_ && server_->started()) << (server_ ? server_->output() : "no server");
    client_ = std::make_unique<HttpClient>(server_->port());
  }

  HttpClient& client() { return *client_; }
  ServerProcess& server() { return *server_; }

  // A suite's fixture documents as one _bulk body: Add(index, id, source) per document.
  class BulkBody {
   public:
    void Add(const std::string& index, const std::string& id, const std::string& source) {
      text_ += R"({"index":{"_index":")" + index + R"(","_id":")" + id + "\"}}\n" + source + "\n";
    }
    const std::string& text() const { return text_; }

   private:
    std::string text_;
  };
  // Posts `body` with refresh=true to the suite's server and checks that every item was written.
  static void LoadBulk(const BulkBody& body) {
    HttpClient c(server_->port());
    auto r = c.Post("/_bulk?refresh=true", body.text());
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Json().at("errors"), false) << r.body;
  }

  // Asserts an Elasticsearch error body of this status and type; returns the error object.
  static boost::json::object ExpectError(const HttpResponse& r, int status, const std::string& type) {
    EXPECT_EQ(r.status, status) << r.body << r.error;
    boost::json::value v = r.Json();
    if (!v.is_object() || !v.as_object().contains("error") || !v.at("error").is_object()) {
      ADD_FAILURE() << "not an Elasticsearch error: " << r.body;
      return {};
    }
    const auto& error = v.at("error").as_object();
    EXPECT_EQ(v.at("status").to_number<int64_t>(), status);
    EXPECT_EQ(error.at("type").as_string(), type) << r.body;
    EXPECT_TRUE(error.at("reason").is_string()) << r.body;
    EXPECT_TRUE(error.at("root_cause").is_array() && !error.at("root_cause").as_array().empty()) << r.body;
    EXPECT_EQ(r.Header("X-Elastic-Product"), "Elasticsearch");
    return error;
  }

  static std::string Reason(const HttpResponse& r) {
    auto v = r.Json();
    if (!v.is_object() || !v.as_object().contains("error")) return "";
    return std::string(v.at("error").at("reason").as_string());
  }

  // Ids of hits in order.
  static std::vector<std::string> HitIds(const HttpResponse& r) {
    std::vector<std::string> ids;
    auto v = r.Json();
    if (!v.is_object()) return ids;
    for (const auto& h : v.at("hits").at("hits").as_array()) ids.emplace_back(h.at("_id").as_string());
    return ids;
  }

  static inline std::unique_ptr<TempDir> dir_;
  static inline std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> client_;
};

}  // namespace ultrasearch::testing
