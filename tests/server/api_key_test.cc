// API keys as Elasticsearch's: the --api-keys file's lines are admin keys that mint scoped keys
// (POST /_security/api_key), list (GET) and invalidate (DELETE) them; minted keys are sent as
// `ApiKey base64(id:api_key)` and limited to their role descriptors and rate limit. Expected
// bodies and messages follow Elasticsearch's documentation (security-api-create-api-key,
// get-api-key, invalidate-api-key, and its authorization error format).
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;

constexpr const char* kAdmin = "ApiKey admin-secret-0123456789";

Headers Admin() { return {{"Authorization", kAdmin}}; }
Headers As(const std::string& encoded) { return {{"Authorization", "ApiKey " + encoded}}; }

struct Minted {
  std::string id, name, api_key, encoded;
  json::object body;
};

// A create request for a key that may only read indices matching `pattern`.
std::string ReadOnly(const std::string& name, const std::string& pattern) {
  return R"({"name":")" + name + R"(","role_descriptors":{"reader":{"indices":[{"names":[")" + pattern +
         R"("],"privileges":["read"]}]}}})";
}

// The keys file of every suite here; its directory outlives the servers.
std::string WriteKeysFile(const TempDir& dir) {
  std::string path = dir.str() + "/keys";
  WriteFile(path, "# admins\nadmin-secret-0123456789\n");
  return path;
}

class ApiKeyTest : public ServerTest {
 protected:
  static void SetUpTestSuite() {
    keys_dir_ = std::make_unique<TempDir>();
    StartServer({"--api-keys", WriteKeysFile(*keys_dir_)});
    HttpClient admin(server_->port());
    // Two indices, one document each, visible at once.
    admin.Send("PUT", "/products/_doc/p1?refresh=true", R"({"name":"choynak","price":10})", Admin());
    admin.Send("PUT", "/other/_doc/o1?refresh=true", R"({"name":"choynak secret","price":20})", Admin());
  }
  static void TearDownTestSuite() {
    ServerTest::TearDownTestSuite();
    keys_dir_.reset();
  }

  Minted Mint(const std::string& body, const Headers& as = Admin()) {
    auto r = client().Send("POST", "/_security/api_key", body, as);
    EXPECT_EQ(r.status, 200) << r.body;
    Minted m;
    if (r.status != 200) return m;
    m.body = r.Json().as_object();
    m.id = std::string(m.body.at("id").as_string());
    m.name = std::string(m.body.at("name").as_string());
    m.api_key = std::string(m.body.at("api_key").as_string());
    m.encoded = std::string(m.body.at("encoded").as_string());
    return m;
  }

  static inline std::unique_ptr<TempDir> keys_dir_;
};

TEST_F(ApiKeyTest, BootstrapKeysWorkAsApiKeyAndAsBearer) {
  EXPECT_EQ(client().Send("GET", "/", "", Admin()).status, 200);
  EXPECT_EQ(client().Send("GET", "/", "", {{"Authorization", "Bearer admin-secret-0123456789"}}).status, 200);
  auto me = client().Send("GET", "/_security/_authenticate", "", Admin());
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.Json().at("roles"), json::parse(R"(["superuser"])"));
}

TEST_F(ApiKeyTest, MintedKeyHasElasticsearchsShapeAndWorks) {
  Minted m = Mint(R"({"name":"importer"})");
  ASSERT_FALSE(m.id.empty());
  EXPECT_EQ(m.name, "importer");
  EXPECT_FALSE(m.body.contains("expiration"));  // never expires unless asked
  EXPECT_GE(m.api_key.size(), 16u);
  // encoded is base64(id:api_key), as the coreutils encoder computes it.
  CommandResult b64 = RunCommand({"/usr/bin/base64", "-w0"}, m.id + ":" + m.api_key);
  ASSERT_EQ(b64.exit_code, 0);
  EXPECT_EQ(m.encoded, b64.out);

  // Without role descriptors it inherits its owner's (an admin's) privileges.
  EXPECT_EQ(client().Send("GET", "/products/_search", "", As(m.encoded)).status, 200);
  EXPECT_EQ(client().Send("PUT", "/products/_doc/p9", R"({"name":"x"})", As(m.encoded)).status, 201);
  EXPECT_EQ(client().Send("GET", "/_cluster/health", "", {{"Authorization", "Bearer " + m.encoded}}).status, 200);
  auto me = client().Send("GET", "/_security/_authenticate", "", As(m.encoded));
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.Json().at("api_key").at("id").as_string(), m.id);
  EXPECT_EQ(me.Json().at("authentication_type").as_string(), "api_key");

  // A wrong secret for a real id is refused like any unknown key.
  CommandResult wrong = RunCommand({"/usr/bin/base64", "-w0"}, m.id + ":not-the-secret");
  auto r = client().Send("GET", "/", "", As(wrong.out));
  ExpectError(r, 401, "security_exception");
  EXPECT_EQ(r.Header("WWW-Authenticate"), "ApiKey");
}

TEST_F(ApiKeyTest, ListingShowsTheKeysButNeverTheirSecrets) {
  Minted m = Mint(R"({"name":"lister-1","metadata":{"team":"storefront"},)"
                  R"("role_descriptors":{"r":{"indices":[{"names":["products"],"privileges":["read"]}]}}})");
  auto r = client().Send("GET", "/_security/api_key?name=lister-1", "", Admin());
  ASSERT_EQ(r.status, 200) << r.body;
  json::value listing = r.Json();
  const auto& keys = listing.at("api_keys").as_array();
  ASSERT_EQ(keys.size(), 1u) << r.body;
  const auto& k = keys[0].as_object();
  EXPECT_EQ(k.at("id").as_string(), m.id);
  EXPECT_EQ(k.at("name").as_string(), "lister-1");
  EXPECT_TRUE(k.at("creation").is_number());
  EXPECT_EQ(k.at("invalidated").as_bool(), false);
  EXPECT_TRUE(k.at("username").is_string());
  EXPECT_TRUE(k.at("realm").is_string());
  EXPECT_EQ(k.at("metadata"), json::parse(R"({"team":"storefront"})"));
  EXPECT_EQ(k.at("role_descriptors").at("r").at("indices").at(0).at("names"), json::parse(R"(["products"])"));
  EXPECT_FALSE(k.contains("api_key"));
  EXPECT_EQ(r.body.find(m.api_key), std::string::npos);
  EXPECT_EQ(r.body.find(m.encoded), std::string::npos);

  auto by_id = client().Send("GET", "/_security/api_key?id=" + m.id, "", Admin());
  ASSERT_EQ(by_id.status, 200);
  ASSERT_EQ(by_id.Json().at("api_keys").as_array().size(), 1u);
  auto all = client().Send("GET", "/_security/api_key", "", Admin());
  EXPECT_EQ(all.body.find(m.api_key), std::string::npos);
}

TEST_F(ApiKeyTest, AnInvalidatedKeyIsRefusedAtOnce) {
  Minted m = Mint(R"({"name":"to-revoke"})");
  ASSERT_EQ(client().Send("GET", "/products/_count", "", As(m.encoded)).status, 200);

  auto r = client().Send("DELETE", "/_security/api_key", R"({"ids":[")" + m.id + R"("]})", Admin());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json(), json::parse(R"({"invalidated_api_keys":[")" + m.id +
                                  R"("],"previously_invalidated_api_keys":[],"error_count":0})"));

  auto refused = client().Send("GET", "/products/_count", "", As(m.encoded));
  ExpectError(refused, 401, "security_exception");
  EXPECT_EQ(refused.Header("WWW-Authenticate"), "ApiKey");

  auto again = client().Send("DELETE", "/_security/api_key", R"({"name":"to-revoke"})", Admin());
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.Json(), json::parse(R"({"invalidated_api_keys":[],"previously_invalidated_api_keys":[")" + m.id +
                                      R"("],"error_count":0})"));
  auto listed = client().Send("GET", "/_security/api_key?id=" + m.id, "", Admin());
  EXPECT_EQ(listed.Json().at("api_keys").at(0).at("invalidated").as_bool(), true);

  ExpectError(client().Send("DELETE", "/_security/api_key", "{}", Admin()), 400,
              "action_request_validation_exception");
}

TEST_F(ApiKeyTest, AKeyStopsWorkingWhenItExpires) {
  Minted m = Mint(R"({"name":"short-lived","expiration":"1s"})");
  ASSERT_TRUE(m.body.contains("expiration")) << json::serialize(m.body);
  auto listed = client().Send("GET", "/_security/api_key?id=" + m.id, "", Admin());
  json::value listing = listed.Json();
  const auto& k = listing.at("api_keys").at(0);
  EXPECT_EQ(k.at("expiration").to_number<int64_t>() - k.at("creation").to_number<int64_t>(), 1000);

  // Poll (bounded) until the key is refused; a key that never expires fails here.
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    status = client().Send("GET", "/products/_count", "", As(m.encoded)).status;
    if (status == 401) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(status, 401);

  Minted day = Mint(R"({"name":"day","expiration":"1d"})");
  EXPECT_EQ(client().Send("GET", "/products/_count", "", As(day.encoded)).status, 200);
  ExpectError(client().Send("POST", "/_security/api_key", R"({"name":"bad","expiration":"1 fortnight"})", Admin()),
              400, "illegal_argument_exception");
}

TEST_F(ApiKeyTest, AReadKeySearchesButCannotWrite) {
  Minted m = Mint(ReadOnly("storefront", "products"));
  auto search = client().Send("POST", "/products/_search", R"({"query":{"match":{"name":"choynak"}}})", As(m.encoded));
  ASSERT_EQ(search.status, 200) << search.body;
  EXPECT_EQ(HitIds(search), std::vector<std::string>{"p1"});
  EXPECT_EQ(client().Send("GET", "/products/_doc/p1", "", As(m.encoded)).status, 200);
  EXPECT_EQ(client().Send("GET", "/products/_count", "", As(m.encoded)).status, 200);
  EXPECT_EQ(client().Send("POST", "/products/_analyze", R"({"text":"choynaklar"})", As(m.encoded)).status, 200);

  auto write = client().Send("PUT", "/products/_doc/p2", R"({"name":"x"})", As(m.encoded));
  ExpectError(write, 403, "security_exception");
  EXPECT_EQ(Reason(write), "action [indices:data/write/index] is unauthorized for API key id [" + m.id +
                               "] of user [admin] on indices [products], this action is granted by the index "
                               "privileges [index,write,all]");
  ExpectError(client().Send("DELETE", "/products/_doc/p1", "", As(m.encoded)), 403, "security_exception");
  ExpectError(client().Send("DELETE", "/products", "", As(m.encoded)), 403, "security_exception");
  ExpectError(client().Send("POST", "/products/_update/p1", R"({"doc":{"price":1}})", As(m.encoded)), 403,
              "security_exception");
  // Nothing was written.
  EXPECT_EQ(client().Send("GET", "/products/_doc/p2", "", Admin()).status, 404);
}

// Maintenance routes need Elasticsearch's privileges: delete/write (and read) for
// _delete_by_query, manage for mapping, settings and the text rebuild, cluster monitor for _tasks,
// read on the source and index on the destination for _reindex.
TEST_F(ApiKeyTest, MaintenanceNeedsItsPrivileges) {
  Minted reader = Mint(ReadOnly("maint-reader", "products"));
  Minted writer = Mint(R"({"name":"maint-writer","role_descriptors":{"w":{"cluster":["monitor"],)"
                       R"("indices":[{"names":["products"],"privileges":["read","write"]}]}}})");
  Minted admin = Mint(R"({"name":"maint-admin","role_descriptors":{"m":{)"
                      R"("indices":[{"names":["products"],"privileges":["manage"]}]}}})");
  const std::string nothing = R"({"query":{"term":{"name":"no-such-word"}}})";

  auto r = client().Send("POST", "/products/_delete_by_query", nothing, As(reader.encoded));
  ExpectError(r, 403, "security_exception");
  EXPECT_EQ(Reason(r), "action [indices:data/write/delete/byquery] is unauthorized for API key id [" + reader.id +
                           "] of user [admin] on indices [products], this action is granted by the index "
                           "privileges [delete,write,all]");
  r = client().Send("POST", "/products/_ultrasearch/reindex", "", As(writer.encoded));
  ExpectError(r, 403, "security_exception");
  EXPECT_EQ(Reason(r), "action [indices:admin/ultrasearch/reindex] is unauthorized for API key id [" + writer.id +
                           "] of user [admin] on indices [products], this action is granted by the index "
                           "privileges [manage,all]");
  for (const Minted* m : {&reader, &writer}) {
    ExpectError(client().Send("PUT", "/products/_mapping", R"({"properties":{"note":{"type":"keyword"}}})",
                              As(m->encoded)),
                403, "security_exception");
    ExpectError(client().Send("PUT", "/products/_settings", R"({"index":{"refresh_interval":"1s"}})", As(m->encoded)),
                403, "security_exception");
  }
  // _reindex: reading products is allowed, writing `other` is not.
  ExpectError(client().Send("POST", "/_reindex", R"({"source":{"index":"products"},"dest":{"index":"other"}})",
                            As(writer.encoded)),
              403, "security_exception");

  r = client().Send("POST", "/products/_delete_by_query", nothing, As(writer.encoded));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json().at("deleted").to_number<int64_t>(), 0);
  EXPECT_EQ(client().Send("PUT", "/products/_mapping", R"({"properties":{"note":{"type":"keyword"}}})",
                          As(admin.encoded)).status,
            200);
  auto started = client().Send("POST", "/products/_ultrasearch/reindex?wait_for_completion=false", "", As(admin.encoded));
  ASSERT_EQ(started.status, 200) << started.body;
  const std::string task(started.Json().at("task").as_string());
  // Reading a task is a cluster monitor action.
  ExpectError(client().Send("GET", "/_tasks/" + task, "", As(admin.encoded)), 403, "security_exception");
  auto t = client().Send("GET", "/_tasks/" + task + "?wait_for_completion=true", "", As(writer.encoded));
  ASSERT_EQ(t.status, 200) << t.body;
  EXPECT_TRUE(t.Json().at("completed").as_bool());
}

TEST_F(ApiKeyTest, IndexPatternsDecideWhichIndicesAKeyReaches) {
  Minted m = Mint(ReadOnly("prod-reader", "prod*"));
  EXPECT_EQ(client().Send("GET", "/products/_search", "", As(m.encoded)).status, 200);

  auto other = client().Send("GET", "/other/_search", "", As(m.encoded));
  ExpectError(other, 403, "security_exception");
  EXPECT_EQ(Reason(other), "action [indices:data/read/search] is unauthorized for API key id [" + m.id +
                               "] of user [admin] on indices [other], this action is granted by the index "
                               "privileges [read,all]");
  ExpectError(client().Send("GET", "/products,other/_search", "", As(m.encoded)), 403, "security_exception");
  ExpectError(client().Send("GET", "/other/_doc/o1", "", As(m.encoded)), 403, "security_exception");

  // Wildcards and _all expand only to the indices the key may read, as in Elasticsearch.
  auto all = client().Send("POST", "/_search", R"({"query":{"match":{"name":"choynak"}}})", As(m.encoded));
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(HitIds(all), std::vector<std::string>{"p1"});
  auto admin_all = client().Send("POST", "/_search", R"({"query":{"match":{"name":"choynak"}}})", Admin());
  EXPECT_EQ(HitIds(admin_all).size(), 2u) << admin_all.body;

  // _mget and _msearch answer per item: the refused one gets its 403, the other its result.
  auto mget = client().Send("POST", "/_mget",
                            R"({"docs":[{"_index":"products","_id":"p1"},{"_index":"other","_id":"o1"}]})",
                            As(m.encoded));
  ASSERT_EQ(mget.status, 200) << mget.body;
  json::value mget_body = mget.Json();
  const auto& docs = mget_body.at("docs").as_array();
  EXPECT_EQ(docs.at(0).at("found").as_bool(), true);
  EXPECT_EQ(docs.at(1).at("error").at("type").as_string(), "security_exception");
  auto msearch = client().Send("POST", "/_msearch",
                               "{\"index\":\"products\"}\n{}\n{\"index\":\"other\"}\n{}\n", As(m.encoded));
  ASSERT_EQ(msearch.status, 200) << msearch.body;
  json::value msearch_body = msearch.Json();
  const auto& responses = msearch_body.at("responses").as_array();
  EXPECT_EQ(responses.at(0).at("status").to_number<int>(), 200);
  EXPECT_EQ(responses.at(1).at("status").to_number<int>(), 403);
  EXPECT_EQ(responses.at(1).at("error").at("type").as_string(), "security_exception");
}

TEST_F(ApiKeyTest, BulkRefusesOnlyTheItemsOnIndicesTheKeyCannotWrite) {
  Minted m = Mint(R"({"name":"loader","role_descriptors":{"w":{"indices":[{"names":["prod*"],"privileges":["write"]}]}}})");
  std::string body =
      "{\"index\":{\"_index\":\"products\",\"_id\":\"b1\"}}\n{\"name\":\"bulk ok\"}\n"
      "{\"index\":{\"_index\":\"other\",\"_id\":\"b2\"}}\n{\"name\":\"bulk refused\"}\n";
  auto r = client().Send("POST", "/_bulk?refresh=true", body, As(m.encoded));
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = r.Json();
  EXPECT_EQ(v.at("errors").as_bool(), true);
  const auto& items = v.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("index").at("status").to_number<int>(), 201);
  EXPECT_EQ(items[1].at("index").at("status").to_number<int>(), 403);
  EXPECT_EQ(items[1].at("index").at("error").at("type").as_string(), "security_exception");
  EXPECT_EQ(items[1].at("index").at("_index").as_string(), "other");

  EXPECT_EQ(client().Send("GET", "/products/_doc/b1", "", Admin()).status, 200);
  EXPECT_EQ(client().Send("GET", "/other/_doc/b2", "", Admin()).status, 404);
  // write does not read.
  ExpectError(client().Send("GET", "/products/_search", "", As(m.encoded)), 403, "security_exception");
}

TEST_F(ApiKeyTest, ClusterEndpointsNeedClusterPrivileges) {
  Minted reader = Mint(ReadOnly("no-cluster", "*"));
  auto health = client().Send("GET", "/_cluster/health", "", As(reader.encoded));
  ExpectError(health, 403, "security_exception");
  EXPECT_EQ(Reason(health), "action [cluster:monitor/health] is unauthorized for API key id [" + reader.id +
                                "] of user [admin], this action is granted by the cluster privileges "
                                "[monitor,manage,all]");
  ExpectError(client().Send("GET", "/_cat/indices", "", As(reader.encoded)), 403, "security_exception");
  ExpectError(client().Send("GET", "/_nodes/stats", "", As(reader.encoded)), 403, "security_exception");
  ExpectError(client().Send("GET", "/_security/api_key", "", As(reader.encoded)), 403, "security_exception");
  ExpectError(client().Send("POST", "/_security/api_key", R"({"name":"escalate"})", As(reader.encoded)), 403,
              "security_exception");
  // Health stays open to all, as today.
  EXPECT_EQ(client().Get("/health").status, 200);

  Minted monitor = Mint(R"({"name":"ops","role_descriptors":{"ops":{"cluster":["monitor"]}}})");
  EXPECT_EQ(client().Send("GET", "/_cluster/health", "", As(monitor.encoded)).status, 200);
  EXPECT_EQ(client().Send("GET", "/_cat/health", "", As(monitor.encoded)).status, 200);
  ExpectError(client().Send("GET", "/products/_search", "", As(monitor.encoded)), 403, "security_exception");
}

TEST_F(ApiKeyTest, MalformedRequestsAreRefusedWithElasticsearchsErrors) {
  ExpectError(client().Send("POST", "/_security/api_key", R"({})", Admin()), 400, "action_request_validation_exception");
  ExpectError(client().Send("POST", "/_security/api_key",
                            R"({"name":"x","role_descriptors":{"r":{"indices":[{"names":["a"],"privileges":["reed"]}]}}})",
                            Admin()),
              400, "illegal_argument_exception");
  ExpectError(client().Send("POST", "/_security/api_key",
                            R"({"name":"x","metadata":{"ultrasearch":{"requests_per_second":-1}}})", Admin()),
              400, "illegal_argument_exception");
  // A key minted by a key may not carry privileges of its own (Elasticsearch's derived keys).
  Minted parent = Mint(R"({"name":"parent"})");
  ExpectError(client().Send("POST", "/_security/api_key", ReadOnly("child", "products"), As(parent.encoded)), 400,
              "illegal_argument_exception");
}

TEST_F(ApiKeyTest, AKeyMintedByAScopedKeyCannotExceedIt) {
  Minted manager = Mint(R"({"name":"manager","role_descriptors":{"m":{"cluster":["manage_api_key"],)"
                        R"("indices":[{"names":["products"],"privileges":["read"]}]}}})");
  Minted child = Mint(R"({"name":"child"})", As(manager.encoded));
  EXPECT_EQ(client().Send("GET", "/products/_search", "", As(child.encoded)).status, 200);
  ExpectError(client().Send("GET", "/other/_search", "", As(child.encoded)), 403, "security_exception");
  ExpectError(client().Send("DELETE", "/products", "", As(child.encoded)), 403, "security_exception");
}

TEST_F(ApiKeyTest, ARateLimitedKeyGets429WithRetryAfter) {
  Minted m = Mint(R"({"name":"slow","metadata":{"ultrasearch":{"requests_per_second":1}}})");
  HttpResponse limited;
  for (int i = 0; i < 50 && limited.status != 429; ++i) {
    limited = client().Send("GET", "/products/_count", "", As(m.encoded));
  }
  auto error = ExpectError(limited, 429, "es_rejected_execution_exception");
  int retry_after = std::stoi(limited.Header("Retry-After"));
  EXPECT_GE(retry_after, 1);
  EXPECT_NE(Reason(limited).find(m.id), std::string::npos) << limited.body;
  EXPECT_NE(Reason(limited).find("[1]"), std::string::npos) << limited.body;
  // Other keys are not affected.
  EXPECT_EQ(client().Send("GET", "/products/_count", "", Admin()).status, 200);
}

// Keys survive a restart; the data directory holds no secret.
class ApiKeyRestartTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::string data_ = dir_.str() + "/data";
  std::string keys_ = WriteKeysFile(dir_);
};

TEST_F(ApiKeyRestartTest, KeysSurviveARestartAndAreStoredOnlyHashed) {
  Minted kept, revoked;
  for (Minted* m : {&kept, &revoked}) {
    ServerProcess server(data_, {"--api-keys", keys_});
    ASSERT_TRUE(server.started()) << server.output();
    HttpClient client(server.port());
    auto r = client.Send("POST", "/_security/api_key",
                         m == &kept ? ReadOnly("kept", "products") : std::string(R"({"name":"revoked"})"), Admin());
    ASSERT_EQ(r.status, 200) << r.body;
    m->id = std::string(r.Json().at("id").as_string());
    m->api_key = std::string(r.Json().at("api_key").as_string());
    m->encoded = std::string(r.Json().at("encoded").as_string());
    if (m == &revoked) {
      ASSERT_EQ(client.Send("DELETE", "/_security/api_key", R"({"ids":[")" + m->id + R"("]})", Admin()).status, 200);
    }
    EXPECT_EQ(server.Stop(), 0) << server.output();
  }

  ServerProcess server(data_, {"--api-keys", keys_});
  ASSERT_TRUE(server.started()) << server.output();
  HttpClient client(server.port());
  EXPECT_EQ(client.Send("GET", "/products/_count", "", As(kept.encoded)).status, 404);  // allowed; no index yet
  EXPECT_EQ(client.Send("DELETE", "/products", "", As(kept.encoded)).status, 403);     // still read-only
  EXPECT_EQ(client.Send("GET", "/", "", As(revoked.encoded)).status, 401);              // still invalidated
  std::string log = server.output();
  EXPECT_EQ(server.Stop(), 0);

  auto file = std::filesystem::path(data_) / "security" / "api_keys.json";
  ASSERT_TRUE(std::filesystem::exists(file));
  EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::others_read,
            std::filesystem::perms::none);
  for (const auto& entry : std::filesystem::recursive_directory_iterator(data_)) {
    if (!entry.is_regular_file()) continue;
    std::string content = ReadFile(entry.path());
    for (const Minted* m : {&kept, &revoked}) {
      EXPECT_EQ(content.find(m->api_key), std::string::npos) << entry.path();
      EXPECT_EQ(content.find(m->encoded), std::string::npos) << entry.path();
    }
  }
  // Nor does the server's log, requests refused included.
  for (const Minted* m : {&kept, &revoked}) {
    EXPECT_EQ(log.find(m->api_key), std::string::npos);
    EXPECT_EQ(log.find(m->encoded), std::string::npos);
  }
}

TEST(ServeRateLimitTest, TheServerDefaultAppliesToKeysWithoutTheirOwnLimit) {
  TempDir dir;
  ServerProcess server(dir.str() + "/data", {"--api-keys", WriteKeysFile(dir), "--rate-limit", "1"});
  ASSERT_TRUE(server.started()) << server.output();
  HttpClient client(server.port());
  // The first request of a full bucket passes: mint a key with a generous limit of its own.
  auto minted = client.Send("POST", "/_security/api_key",
                            R"({"name":"fast","metadata":{"ultrasearch":{"requests_per_second":1000}}})", Admin());
  ASSERT_EQ(minted.status, 200) << minted.body;
  std::string fast = std::string(minted.Json().at("encoded").as_string());
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(client.Send("GET", "/_cluster/health", "", As(fast)).status, 200) << i;
  }
  int status = 0;
  for (int i = 0; i < 50 && status != 429; ++i) status = client.Send("GET", "/_cluster/health", "", Admin()).status;
  EXPECT_EQ(status, 429);
}

TEST(ServeWithoutKeysTest, SaysItListensOnLoopbackOnly) {
  TempDir dir;
  ServerProcess server(dir.str() + "/data");
  ASSERT_TRUE(server.started()) << server.output();
  EXPECT_NE(server.output().find("loopback"), std::string::npos) << server.output();
  // The security endpoints need security on.
  HttpClient client(server.port());
  EXPECT_EQ(client.Send("POST", "/_security/api_key", R"({"name":"x"})").status, 500);
}

}  // namespace
}  // namespace ultrasearch::testing
