// A server killed (SIGKILL) in the middle of a text-index rebuild started over HTTP: after a
// restart every document is searchable, writes acknowledged during the rebuild are kept, and the
// rebuild can simply be run again.
#include <signal.h>

#include <chrono>
#include <thread>

#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr int kDocs = 30000;

int64_t CountMatching(HttpClient& c, const std::string& word) {
  auto r = c.Post("/shop/_count", R"({"query":{"match":{"name":")" + word + R"("}}})");
  EXPECT_EQ(r.status, 200) << r.body;
  return r.status == 200 ? r.Json().at("count").to_number<int64_t>() : -1;
}

TEST(ReindexCrashTest, SigkillMidRebuildLeavesTheIndexWholeAndTheRebuildRestartable) {
  TempDir dir;
  const std::string data = dir.str() + "/data";
  {
    ServerProcess server(data);
    ASSERT_TRUE(server.started()) << server.output();
    HttpClient c(server.port());
    for (int start = 0; start < kDocs; start += 5000) {
      std::string bulk;
      for (int i = start; i < start + 5000; ++i) {
        std::string id = "d";
        id += std::to_string(i);
        bulk += R"({"index":{"_id":")" + id + "\"}}\n";
        bulk += R"({"name":"chang yutgich )" + id + "\"}\n";
      }
      auto r = c.Post("/shop/_bulk", bulk);
      ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
      ASSERT_FALSE(r.Json().at("errors").as_bool());
    }
    ASSERT_EQ(c.Post("/shop/_refresh", "").status, 200);

    auto started = c.Post("/shop/_ultrasearch/reindex?wait_for_completion=false", "");
    ASSERT_EQ(started.status, 200) << started.body;
    const std::string task(started.Json().at("task").as_string());
    // Wait (bounded) until the rebuild reports progress and has not finished: then it is midway.
    bool midway = false, completed = false;
    for (int i = 0; i < 6000 && !midway && !completed; ++i) {
      auto t = c.Get("/_tasks/" + task);
      ASSERT_EQ(t.status, 200) << t.body;
      json::value v = t.Json();
      completed = v.at("completed").as_bool();
      const json::value* updated = v.at("task").at("status").as_object().if_contains("updated");
      midway = !completed && updated != nullptr && updated->to_number<int64_t>() > 0;
      if (!midway) std::this_thread::sleep_for(5ms);
    }
    ASSERT_TRUE(midway) << "the rebuild was not seen midway (completed: " << completed << ")";
    // A write acknowledged during the rebuild must survive the crash.
    ASSERT_EQ(c.Put("/shop/_doc/during", R"({"name":"chang yutgich yangi"})").status, 201);
    ::kill(server.pid(), SIGKILL);
    server.Stop();
  }
  ServerProcess server(data);
  ASSERT_TRUE(server.started()) << server.output();
  HttpClient c(server.port());
  ASSERT_EQ(c.Post("/shop/_refresh", "").status, 200);
  EXPECT_EQ(CountMatching(c, "yutgich"), kDocs + 1);
  EXPECT_EQ(CountMatching(c, "d12345"), 1);
  EXPECT_EQ(CountMatching(c, "yangi"), 1);
  // The rebuild runs again to its end.
  auto again = c.Post("/shop/_ultrasearch/reindex", "");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.Json().at("total").to_number<int64_t>(), kDocs + 1);
  EXPECT_EQ(CountMatching(c, "yutgich"), kDocs + 1);
}

}  // namespace
}  // namespace ultrasearch::testing
