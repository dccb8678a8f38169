// A full disk is a fault to answer, not to die of. The server runs with its data directory on a
// 192 MB tmpfs in a private mount namespace (unshare -m), beside a 128 MB ballast file; `_bulk` fills
// the disk; then writes must fail with Elasticsearch's flood-stage answer while searches go on, and
// once the ballast is removed writes must resume without a restart, with nothing acknowledged lost.
// (RocksDB resumes by itself once the free space exceeds its largest write buffer, 64 MB: the
// ballast frees more than that. The text index's commit then needs most of the rest, which is why
// the catalog preallocates no files: a new write-ahead log would otherwise reserve 70 MB of it.)
#include <unistd.h>

#include <filesystem>
#include <chrono>
#include <set>
#include <thread>

#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

namespace fs = std::filesystem;

// A document of about 3 KB whose words are mostly unique, so neither RocksDB's compression nor
// Xapian's posting lists make it small.
std::string BulkyDocument(int n) {
  std::string description;
  for (int w = 0; w < 300; ++w) description += "soz" + std::to_string(n * 331 + w * 7919) + " ";
  return R"({"name":"Artel muzlatgich )" + std::to_string(n) + R"(","description":")" + description + R"("})";
}

std::string BulkBody(int first, int count) {
  std::string body;
  for (int n = first; n < first + count; ++n) {
    body += R"({"index":{"_index":"products","_id":"d)" + std::to_string(n) + "\"}}\n" + BulkyDocument(n) + "\n";
  }
  return body;
}

// Whether this process may make a private mount namespace with a tmpfs (root, or user namespaces).
bool CanMountPrivateTmpfs(const std::vector<std::string>& unshare) {
  TempDir probe;
  std::vector<std::string> argv = unshare;
  argv.insert(argv.end(), {"sh", "-c", "mount -t tmpfs -o size=1m tmpfs \"$0\"", probe.str()});
  return RunCommand(argv).exit_code == 0;
}

TEST(DiskFullTest, WritesFailCleanlyAndResumeWhenSpaceReturnsWhileSearchesGoOn) {
  const std::vector<std::string> unshare =
      ::geteuid() == 0 ? std::vector<std::string>{"/usr/bin/unshare", "-m"} : std::vector<std::string>{"/usr/bin/unshare", "-rm"};
  if (!CanMountPrivateTmpfs(unshare)) {
    GTEST_SKIP() << "needs a private mount namespace (root or user namespaces) to make a small file system";
  }
  TempDir dir;
  const std::string mount_point = dir.str() + "/small";
  fs::create_directories(mount_point);
  std::vector<std::string> launcher = unshare;
  launcher.insert(launcher.end(),
                  {"sh", "-c",
                   "mount -t tmpfs -o size=192m tmpfs \"$0\" && dd if=/dev/zero of=\"$0/ballast\" bs=1M count=128 "
                   "status=none && exec \"$@\"",
                   mount_point});
  ServerProcess server(mount_point + "/data", {}, launcher);
  ASSERT_TRUE(server.started()) << server.output();
  HttpClient client(server.port());

  std::set<std::string> acknowledged;
  std::string last_error;
  auto bulk = [&](int first, int count) {
    HttpResponse r = client.Post("/_bulk", BulkBody(first, count));
    EXPECT_TRUE(server.Alive()) << "the server died while writing";
    EXPECT_EQ(r.status, 200) << r.body;
    int failed = 0;
    boost::json::value v = r.Json();
    if (!v.is_object()) {
      ADD_FAILURE() << "bulk at " << first << ": status " << r.status << " length " << r.Header("content-length") << ": " << r.body.substr(0, 300) << r.error;
      return -1;
    }
    for (const auto& item : v.at("items").as_array()) {
      const auto& result = item.at("index").as_object();
      int status = static_cast<int>(result.at("status").to_number<int64_t>());
      if (status == 200 || status == 201) {
        acknowledged.insert(std::string(result.at("_id").as_string()));
      } else {
        ++failed;
        // Elasticsearch's answer past the flood-stage watermark: 429, retry later.
        EXPECT_EQ(status, 429) << boost::json::serialize(result);
        last_error = boost::json::serialize(result);
        EXPECT_EQ(result.at("error").at("type").as_string(), "cluster_block_exception");
      }
    }
    return failed;
  };

  int next = 0, failed = 0;
  while (failed == 0 && next < 100000) {
    failed = bulk(next, 200);
    ASSERT_GE(failed, 0);
    next += 200;
  }
  ASSERT_GT(failed, 0) << "100,000 documents of 3 KB should not fit in 64 MB";
  // More writes against the full disk keep failing the same way, and the server stays up.
  EXPECT_GT(bulk(next, 50), 0);
  next += 50;

  // Searches are still answered while the disk is full.
  HttpResponse search = client.Post("/products/_search", R"({"query":{"match":{"name":"muzlatgich"}},"size":1})");
  EXPECT_EQ(search.status, 200) << search.body;
  HttpResponse health = client.Get("/_cluster/health");
  EXPECT_EQ(health.status, 200) << health.body;

  // Space returns: writes resume without a restart.
  const std::string ballast = "/proc/" + std::to_string(server.pid()) + "/root" + mount_point + "/ballast";
  ASSERT_TRUE(fs::remove(ballast)) << ballast;
  // Clients retry a 429; RocksDB checks the free space every few seconds.
  bool resumed = false;
  for (int attempt = 0; attempt < 60 && !resumed; ++attempt) {
    resumed = bulk(next, 20) == 0;
    next += 20;
    if (!resumed) std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  EXPECT_TRUE(resumed) << "writes did not resume within a minute of space returning: " << last_error;
  // The text index catches up from the durable log once its commit fits again.
  HttpResponse refresh;
  for (int attempt = 0; attempt < 30; ++attempt) {
    refresh = client.Post("/products/_refresh", "");
    if (refresh.status == 200) break;
    EXPECT_EQ(refresh.status, 429) << refresh.body;
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  EXPECT_EQ(refresh.status, 200) << refresh.body;

  // Nothing acknowledged was lost: every acknowledged document reads back, and the search index
  // counts exactly them.
  for (const std::string& id : acknowledged) {
    HttpResponse got = client.Get("/products/_doc/" + id);
    ASSERT_EQ(got.status, 200) << id << ": " << got.body;
  }
  HttpResponse count = client.Post("/products/_count", R"({"query":{"match_all":{}}})");
  ASSERT_EQ(count.status, 200) << count.body;
  EXPECT_EQ(count.Json().at("count").to_number<uint64_t>(), acknowledged.size());
  // Close the keep-alive connection first, as the other server tests do before a stop.
  client.Disconnect();
  const int exit_code = server.Stop();
  EXPECT_EQ(exit_code, 0) << server.output() << "\nstderr:\n"
                          << [&] {
                               try {
                                 return ReadFile(mount_point + "/data-stderr.log");  // outside the namespace
                               } catch (const std::exception& e) {
                                 return std::string(e.what());
                               }
                             }();
}

}  // namespace
}  // namespace ultrasearch::testing
