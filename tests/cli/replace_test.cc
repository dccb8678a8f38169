// Whole-catalog replacement with `ultrasearch import --replace`, and `reindex` through a running
// server: the alias switches only to a complete, checked index; a killed replacement leaves the
// live catalog untouched and is cleaned up by the next run, after which every product is there
// exactly once. Results are read back through `ultrasearch serve` over HTTP.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

#include "server/http_client.h"
#include "support/test_support.h"

namespace ultrasearch::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;

// `n` catalog lines with ids PREFIX0..; each names its generation so searches tell catalogs apart.
std::string Catalog(int n, const std::string& word) {
  std::string out;
  const char* brands[] = {"artel", "samsung", "lg"};
  for (int i = 0; i < n; ++i) {
    out += R"({"id":"g)" + std::to_string(i) + R"(","name":"muzlatgich )" + word + R"(","brand":")" + brands[i % 3] +
           R"(","price":)" + std::to_string(100 + i % 50) + "}\n";
  }
  return out;
}

class ReplaceTest : public ::testing::Test {
 protected:
  std::string Data() const { return dir_.str() + "/data"; }

  CommandResult Run(std::vector<std::string> args, const std::string& stdin_data = "") {
    args.insert(args.begin() + 1, {"--data", Data()});
    return RunUltrasearch(args, stdin_data);
  }
  std::string WriteCatalog(const std::string& name, int n, const std::string& word) {
    std::string path = dir_.str() + "/" + name;
    WriteFile(path, Catalog(n, word));
    return path;
  }
  std::vector<std::string> IndexDirs() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(Data() + "/indices")) {
      std::string n = e.path().filename().string();
      if (n[0] != '.') names.push_back(n);
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  // Starts a server on the data directory (the CLI must have finished).
  std::unique_ptr<ServerProcess> Serve() {
    auto server = std::make_unique<ServerProcess>(Data());
    EXPECT_TRUE(server->started()) << server->output();
    return server;
  }
  static json::value Get(ServerProcess& server, const std::string& target) {
    HttpClient c(server.port());
    auto r = c.Get(target);
    EXPECT_EQ(r.status, 200) << target << ": " << r.body;
    return r.status == 200 ? r.Json() : json::value();
  }
  static int64_t Count(ServerProcess& server, const std::string& index, const std::string& word) {
    HttpClient c(server.port());
    auto r = c.Post("/" + index + "/_count", R"({"query":{"match":{"name":")" + word + R"("}}})");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.Json().at("count").to_number<int64_t>() : -1;
  }
  // The indices the alias points to, from GET /_alias/NAME.
  static std::vector<std::string> AliasTargets(ServerProcess& server, const std::string& alias) {
    std::vector<std::string> out;
    json::value v = Get(server, "/_alias/" + alias);
    if (!v.is_object()) return out;
    for (const auto& [index, unused] : v.as_object()) out.emplace_back(index);
    return out;
  }

  TempDir dir_;
};

TEST_F(ReplaceTest, TheFirstReplaceTurnsTheIndexIntoAnAliasOfTheNewCatalog) {
  ASSERT_EQ(Run({"import", WriteCatalog("v1.ndjson", 60, "eski")}).exit_code, 0);
  EXPECT_EQ(IndexDirs(), std::vector<std::string>{"products"});

  auto r = Run({"import", "--replace", WriteCatalog("v2.ndjson", 80, "yangi")});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto dirs = IndexDirs();
  ASSERT_EQ(dirs.size(), 1u);
  const std::string fresh = dirs[0];
  EXPECT_EQ(fresh.rfind("products-", 0), 0u) << fresh;
  EXPECT_NE(r.out.find("imported 80 documents into [" + fresh + "]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("alias [products] switched from [products] to [" + fresh + "]; [products] removed"),
            std::string::npos)
      << r.out;
  EXPECT_FALSE(fs::exists(Data() + "/.replace-products"));

  // The CLI reads through the alias too.
  auto search = Run({"search", "--json", "yangi"});
  ASSERT_EQ(search.exit_code, 0) << search.err;
  EXPECT_EQ(json::parse(search.out).at("hits").at("total").at("value").as_int64(), 80);

  auto server = Serve();
  EXPECT_EQ(AliasTargets(*server, "products"), std::vector<std::string>{fresh});
  EXPECT_EQ(Count(*server, "products", "yangi"), 80);
  EXPECT_EQ(Count(*server, "products", "eski"), 0);
  // The new index has the products template's mapping (brand a keyword), not a dynamic one.
  json::value mapping = Get(*server, "/" + fresh + "/_mapping");
  EXPECT_EQ(mapping.at(fresh).at("mappings").at("properties").at("brand").at("type").as_string(), "keyword");
}

TEST_F(ReplaceTest, LaterReplacesSwitchTheAliasAndRemoveOrKeepTheOldIndex) {
  auto first = Run({"import", "--replace", WriteCatalog("v1.ndjson", 30, "birinchi")});
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_NE(first.out.find("alias [products] now points to [products-"), std::string::npos) << first.out;
  const std::string v1 = IndexDirs().at(0);

  std::this_thread::sleep_for(1100ms);  // names carry the second; a clash would take a -2 suffix anyway
  auto second = Run({"import", "--replace", "--keep-old", WriteCatalog("v2.ndjson", 40, "ikkinchi")});
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  auto dirs = IndexDirs();
  ASSERT_EQ(dirs.size(), 2u);
  const std::string v2 = dirs[0] == v1 ? dirs[1] : dirs[0];
  EXPECT_NE(second.out.find("[" + v1 + "] kept"), std::string::npos) << second.out;

  auto third = Run({"import", "--replace", WriteCatalog("v3.ndjson", 50, "uchinchi")});
  ASSERT_EQ(third.exit_code, 0) << third.out << third.err;
  EXPECT_NE(third.out.find("[" + v2 + "] removed"), std::string::npos) << third.out;
  dirs = IndexDirs();
  ASSERT_EQ(dirs.size(), 2u);  // v1 (kept earlier) and v3
  EXPECT_EQ(std::count(dirs.begin(), dirs.end(), v2), 0);

  auto server = Serve();
  auto targets = AliasTargets(*server, "products");
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_NE(targets[0], v1);
  EXPECT_EQ(Count(*server, "products", "uchinchi"), 50);
  EXPECT_EQ(Count(*server, v1, "birinchi"), 30);  // the kept index is intact
}

TEST_F(ReplaceTest, AFailedImportLeavesTheLiveCatalogAndNothingElse) {
  ASSERT_EQ(Run({"import", "--replace", WriteCatalog("v1.ndjson", 20, "tirik")}).exit_code, 0);
  const auto before = IndexDirs();
  auto missing = Run({"import", "--replace", dir_.str() + "/missing.ndjson"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("not switching [products]"), std::string::npos) << missing.err;
  // Only rejected lines: nothing to serve, so nothing is switched.
  auto rejected = Run({"import", "--replace", "--report", dir_.str() + "/rejected.ndjson", "-"}, "not json\n[1]\n");
  EXPECT_EQ(rejected.exit_code, 2);
  EXPECT_NE(rejected.err.find("no document was imported"), std::string::npos) << rejected.err;
  EXPECT_EQ(IndexDirs(), before);
  auto server = Serve();
  EXPECT_EQ(AliasTargets(*server, "products"), before);
  EXPECT_EQ(Count(*server, "products", "tirik"), 20);
}

// Runs `ultrasearch import --replace -` with a stdin the test controls.
class ImportChild {
 public:
  explicit ImportChild(const std::vector<std::string>& args) {
    int in[2];
    if (::pipe(in) != 0) throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(in[0], STDIN_FILENO);
      int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, STDOUT_FILENO);
      ::dup2(null, STDERR_FILENO);
      ::close(in[0]);
      ::close(in[1]);
      std::vector<char*> argv;
      argv.push_back(const_cast<char*>(ULTRASEARCH_BIN));
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(in[0]);
    stdin_ = in[1];
  }
  ~ImportChild() {
    if (stdin_ >= 0) ::close(stdin_);
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  bool Write(const std::string& data) {
    size_t done = 0;
    while (done < data.size()) {
      ssize_t n = ::write(stdin_, data.data() + done, data.size() - done);
      if (n <= 0) return false;
      done += static_cast<size_t>(n);
    }
    return true;
  }
  // SIGKILL; true when the process died of it (it was still running).
  bool Kill() {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  }

 private:
  pid_t pid_ = -1;
  int stdin_ = -1;
  bool reaped_ = false;
};

TEST_F(ReplaceTest, AReplaceKilledMidwayLeavesTheLiveCatalogAndTheNextRunFinishesIt) {
  ASSERT_EQ(Run({"import", WriteCatalog("v1.ndjson", 50, "eski")}).exit_code, 0);
  const std::string full = Catalog(6000, "yangi");
  {
    ImportChild child({"import", "--data", Data(), "--batch-size", "200", "--replace", "--no-progress", "-"});
    // Half the catalog, then stdin stays open: the import is certainly midway when it dies.
    ASSERT_TRUE(child.Write(full.substr(0, full.size() / 2)));
    // Wait (bounded) until the new index exists and has taken writes.
    bool midway = false;
    for (int i = 0; i < 600 && !midway; ++i) {
      std::this_thread::sleep_for(50ms);
      for (const auto& name : IndexDirs()) {
        std::error_code ec;
        if (name != "products" && fs::exists(Data() + "/indices/" + name + "/catalog", ec)) {
          uint64_t bytes = 0;
          for (const auto& f : fs::recursive_directory_iterator(Data() + "/indices/" + name + "/catalog", ec)) {
            if (f.is_regular_file(ec)) bytes += f.file_size(ec);
          }
          midway = bytes > 20 * 1024;
        }
      }
    }
    ASSERT_TRUE(midway) << "the replacement never started writing";
    ASSERT_TRUE(child.Kill());
  }
  ASSERT_EQ(IndexDirs().size(), 2u);          // the live index and the unfinished one
  ASSERT_TRUE(fs::exists(Data() + "/.replace-products"));
  {
    auto server = Serve();  // the live catalog is untouched
    EXPECT_EQ(Count(*server, "products", "eski"), 50);
    EXPECT_EQ(Count(*server, "products", "yangi"), 0);
  }

  std::string path = dir_.str() + "/full.ndjson";
  WriteFile(path, full);
  auto rerun = Run({"import", "--replace", path});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.out << rerun.err;
  EXPECT_NE(rerun.out.find("left unfinished by an interrupted replacement of [products]"), std::string::npos)
      << rerun.out;
  auto dirs = IndexDirs();
  ASSERT_EQ(dirs.size(), 1u);
  auto server = Serve();
  EXPECT_EQ(AliasTargets(*server, "products"), dirs);
  // Every product exactly once: 6000 distinct ids, 6000 documents, none of the old catalog.
  EXPECT_EQ(Count(*server, "products", "yangi"), 6000);
  EXPECT_EQ(Get(*server, "/products/_count").at("count").as_int64(), 6000);
  HttpClient c(server->port());
  auto sample = c.Post("/products/_search", R"({"query":{"ids":{"values":["g0","g2999","g3000","g5999"]}}})");
  EXPECT_EQ(sample.Json().at("hits").at("total").at("value").as_int64(), 4) << sample.body;
}

TEST_F(ReplaceTest, ReindexGoesThroughTheServerHoldingTheDataDirectory) {
  ASSERT_EQ(Run({"import", FixturePath("products.ndjson").string()}).exit_code, 0);
  auto server = Serve();
  auto r = Run({"reindex", "--url", "http://127.0.0.1:" + std::to_string(server->port())});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.err.find("held by a running server"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("reindexed 346 documents of [products]"), std::string::npos) << r.out;
  EXPECT_EQ(Get(*server, "/products/_count").at("count").as_int64(), 346);
  // A server that is not there: a clear error, exit 2.
  auto nowhere = Run({"reindex", "--url", "http://127.0.0.1:1"});
  EXPECT_EQ(nowhere.exit_code, 2);
  EXPECT_NE(nowhere.err.find("did not start the reindex"), std::string::npos) << nowhere.err;
}

}  // namespace
}  // namespace ultrasearch::testing
