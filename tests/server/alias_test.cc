// Aliases over real HTTP, shaped as Elasticsearch 8 answers: the zero-downtime swap (searches
// running during it see the old catalog or the new one, never neither or both), reads and writes
// through an alias, the listing endpoints, index-resolution options, errors, and a restart.
#include <atomic>
#include <set>
#include <thread>

#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;

class AliasHttpTest : public ServerTest {
 protected:
  // Creates `index` with `n` products whose ids carry the index name.
  void MakeCatalog(const std::string& index, int n, const std::string& word) {
    ASSERT_EQ(client().Put("/" + index).status, 200);
    std::string bulk;
    for (int i = 0; i < n; ++i) {
      bulk += R"({"index":{"_id":")" + index + "-" + std::to_string(i) + "\"}}\n";
      bulk += R"({"name":")" + word + R"( )" + std::to_string(i) + "\"}\n";
    }
    auto r = client().Post("/" + index + "/_bulk?refresh=true", bulk);
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_FALSE(r.Json().at("errors").as_bool()) << r.body;
  }
  static int64_t Total(const HttpResponse& r) { return r.Json().at("hits").at("total").at("value").to_number<int64_t>(); }
};

TEST_F(AliasHttpTest, SwapUnderConcurrentSearchesNeverShowsAnEmptyOrMixedCatalog) {
  MakeCatalog("shop-v1", 30, "telefon");
  MakeCatalog("shop-v2", 40, "telefon");
  auto r = client().Post("/_aliases", R"({"actions":[{"add":{"index":"shop-v1","alias":"shop"}}]})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json(), json::parse(R"({"acknowledged":true,"errors":false})"));

  std::atomic<bool> stop{false};
  std::atomic<int> searches{0}, bad{0};
  std::string first_bad;
  std::thread searcher([&] {
    HttpClient c(server().port());
    // Bounded: stops when told, or after 5,000 searches whatever happens.
    for (int i = 0; i < 5000 && !stop.load(); ++i) {
      auto s = c.Post("/shop/_search", R"({"size":100,"query":{"match":{"name":"telefon"}}})");
      std::set<std::string> indices;
      int64_t total = -1;
      if (s.status == 200) {
        json::value v = s.Json();
        for (const auto& h : v.at("hits").at("hits").as_array()) indices.emplace(h.at("_index").as_string());
        total = v.at("hits").at("total").at("value").to_number<int64_t>();
      }
      bool ok = s.status == 200 && indices.size() == 1 &&
                ((total == 30 && indices.count("shop-v1")) || (total == 40 && indices.count("shop-v2")));
      if (!ok && bad.fetch_add(1) == 0) first_bad = s.body;
      searches.fetch_add(1);
    }
  });
  while (searches.load() < 20) std::this_thread::yield();
  r = client().Post("/_aliases", R"({"actions":[{"remove":{"index":"shop-v1","alias":"shop"}},
                                                {"add":{"index":"shop-v2","alias":"shop"}},
                                                {"remove_index":{"index":"shop-v1"}}]})");
  ASSERT_EQ(r.status, 200) << r.body;
  int after = searches.load();
  while (searches.load() < after + 20) std::this_thread::yield();
  stop = true;
  searcher.join();
  EXPECT_EQ(bad.load(), 0) << first_bad;
  EXPECT_EQ(Total(client().Post("/shop/_search", R"({"query":{"match":{"name":"telefon"}}})")), 40);
  EXPECT_EQ(client().Get("/shop-v1").status, 404);  // remove_index deleted it
}

TEST_F(AliasHttpTest, ReadsAndWritesGoThroughTheAlias) {
  MakeCatalog("rw-1", 2, "kitob");
  ASSERT_EQ(client().Put("/rw-1/_alias/rw").status, 200);
  auto put = client().Put("/rw/_doc/new?refresh=true", R"({"name":"kitob yangi"})");
  ASSERT_EQ(put.status, 201) << put.body;
  EXPECT_EQ(put.Json().at("_index").as_string(), "rw-1");  // results name the concrete index
  auto got = client().Get("/rw/_doc/new");
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.Json().at("_index").as_string(), "rw-1");
  EXPECT_EQ(Total(client().Post("/rw/_search", R"({"query":{"match":{"name":"kitob"}}})")), 3);
  auto bulk = client().Post("/_bulk?refresh=true", "{\"index\":{\"_index\":\"rw\",\"_id\":\"b\"}}\n{\"name\":\"kitob\"}\n");
  ASSERT_EQ(bulk.status, 200);
  EXPECT_EQ(bulk.Json().at("items").at(0).at("index").at("_index").as_string(), "rw-1");
  EXPECT_EQ(client().Post("/rw/_count", "").Json().at("count").to_number<int64_t>(), 4);
  auto mapping = client().Get("/rw/_mapping");
  ASSERT_EQ(mapping.status, 200);
  EXPECT_TRUE(mapping.Json().as_object().contains("rw-1")) << mapping.body;
  EXPECT_EQ(client().Send("DELETE", "/rw/_doc/b").Json().at("result").as_string(), "deleted");
}

TEST_F(AliasHttpTest, WritesNeedAWriteIndexWhenTheAliasHasSeveral) {
  MakeCatalog("many-1", 1, "x");
  MakeCatalog("many-2", 1, "x");
  ASSERT_EQ(client().Put("/many-1,many-2/_alias/many").status, 200);
  auto refused = client().Put("/many/_doc/1", R"({"name":"y"})");
  ExpectError(refused, 400, "illegal_argument_exception");
  EXPECT_NE(Reason(refused).find("no write index is defined for alias [many]"), std::string::npos);
  ExpectError(client().Get("/many/_doc/many-1-0"), 400, "illegal_argument_exception");
  // Both indices answer a search through it.
  EXPECT_EQ(client().Post("/many/_count", "").Json().at("count").to_number<int64_t>(), 2);
  ASSERT_EQ(client().Put("/many-2/_alias/many", R"({"is_write_index":true})").status, 200);
  auto put = client().Put("/many/_doc/1", R"({"name":"y"})");
  ASSERT_EQ(put.status, 201) << put.body;
  EXPECT_EQ(put.Json().at("_index").as_string(), "many-2");
  // Two write indices are refused.
  ExpectError(client().Put("/many-1/_alias/many", R"({"is_write_index":true})"), 400, "illegal_argument_exception");
}

TEST_F(AliasHttpTest, ListingShapes) {
  MakeCatalog("list-a", 1, "x");
  MakeCatalog("list-b", 1, "x");
  ASSERT_EQ(client().Post("/_aliases", R"({"actions":[{"add":{"indices":["list-a","list-b"],"alias":"list"}},
                                                    {"add":{"index":"list-b","alias":"list-w","is_write_index":true}}]})")
                .status,
            200);
  EXPECT_EQ(client().Get("/_alias/list").Json(),
            json::parse(R"({"list-a":{"aliases":{"list":{}}},"list-b":{"aliases":{"list":{}}}})"));
  EXPECT_EQ(client().Get("/list-b/_alias").Json(),
            json::parse(R"({"list-b":{"aliases":{"list":{},"list-w":{"is_write_index":true}}}})"));
  EXPECT_EQ(client().Get("/list-b/_alias/list-w*").Json(),
            json::parse(R"({"list-b":{"aliases":{"list-w":{"is_write_index":true}}}})"));
  // A missing name: 404 with Elasticsearch's string error beside what was found.
  auto missing = client().Get("/_alias/list,nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.Json(),
            json::parse(R"({"error":"alias [nope] missing","status":404,
                           "list-a":{"aliases":{"list":{}}},"list-b":{"aliases":{"list":{}}}})"));
  EXPECT_EQ(client().Send("HEAD", "/_alias/list").status, 200);
  EXPECT_EQ(client().Send("HEAD", "/_alias/nope").status, 404);
  auto index = client().Get("/list-b");
  EXPECT_EQ(index.Json().at("list-b").at("aliases"), json::parse(R"({"list":{},"list-w":{"is_write_index":true}})"));
  auto cat = client().Get("/_cat/aliases/list*?format=json");
  EXPECT_EQ(cat.Json(), json::parse(R"([
      {"alias":"list","index":"list-a","filter":"-","routing.index":"-","routing.search":"-","is_write_index":"-"},
      {"alias":"list","index":"list-b","filter":"-","routing.index":"-","routing.search":"-","is_write_index":"-"},
      {"alias":"list-w","index":"list-b","filter":"-","routing.index":"-","routing.search":"-","is_write_index":"true"}])"));
  ASSERT_EQ(client().Delete("/list-a/_alias/list").status, 200);
  ExpectError(client().Delete("/list-a/_alias/list"), 404, "aliases_not_found_exception");
}

TEST_F(AliasHttpTest, IndexResolutionOptions) {
  MakeCatalog("res-1", 2, "olma");
  MakeCatalog("res-2", 3, "olma");
  auto count = [&](const std::string& target) {
    auto r = client().Post(target, "");
    return r.status == 200 ? r.Json().at("count").to_number<int64_t>() : -r.status;
  };
  EXPECT_EQ(count("/res-*/_count"), 5);
  EXPECT_EQ(count("/res-*,-res-2/_count"), 2);
  EXPECT_EQ(count("/res-1,res-2/_count"), 5);
  EXPECT_EQ(count("/res-*/_count?expand_wildcards=none"), 0);
  EXPECT_EQ(count("/nothing-*/_count"), 0);
  EXPECT_EQ(count("/nothing-*/_count?allow_no_indices=false"), -404);
  EXPECT_EQ(count("/res-1,missing/_count"), -404);
  EXPECT_EQ(count("/res-1,missing/_count?ignore_unavailable=true"), 2);
  ExpectError(client().Post("/res-*/_count?expand_wildcards=sometimes", ""), 400, "illegal_argument_exception");
  // A wildcard reaches aliases too.
  ASSERT_EQ(client().Put("/res-2/_alias/olmalar").status, 200);
  EXPECT_EQ(count("/olma*/_count"), 3);
}

TEST_F(AliasHttpTest, ErrorsAreElasticsearchShaped) {
  MakeCatalog("err-1", 1, "x");
  ExpectError(client().Post("/_aliases", R"({"actions":[{"add":{"index":"nope","alias":"a"}}]})"), 404,
              "index_not_found_exception");
  ExpectError(client().Post("/_aliases", R"({"actions":[{"add":{"index":"err-1","alias":"err-1"}}]})"), 400,
              "invalid_alias_name_exception");
  ExpectError(client().Post("/_aliases", R"({"actions":[{"add":{"index":"err-1","alias":"_x"}}]})"), 400,
              "invalid_alias_name_exception");
  ExpectError(client().Post("/_aliases", R"({"actions":[{"explode":{"index":"err-1"}}]})"), 400, "parsing_exception");
  ExpectError(client().Post("/_aliases", R"({"actions":[{"add":{"index":"err-1"}}]})"), 400,
              "action_request_validation_exception");
  ExpectError(client().Post("/_aliases", R"({"actions":[{"add":{"index":"err-1","alias":"f","filter":{"term":{"a":1}}}}]})"),
              400, "illegal_argument_exception");
  ExpectError(client().Post("/_aliases", R"({"actions":[{"remove":{"index":"err-1","alias":"never"}}]})"), 404,
              "aliases_not_found_exception");
  EXPECT_EQ(client().Post("/_aliases", R"({"actions":[{"remove":{"index":"err-1","alias":"never","must_exist":false}}]})")
                .status,
            200);
  // An alias and an index never share a name; an alias is not deleted as an index.
  ASSERT_EQ(client().Put("/err-1/_alias/err").status, 200);
  ExpectError(client().Put("/err"), 400, "invalid_index_name_exception");
  ExpectError(client().Delete("/err"), 400, "illegal_argument_exception");
  // A failed action list changed nothing.
  EXPECT_EQ(client().Get("/err-1/_alias").Json(), json::parse(R"({"err-1":{"aliases":{"err":{}}}})"));
}

TEST_F(AliasHttpTest, CreateIndexWithAliases) {
  auto r = client().Put("/born-1", R"({"aliases":{"born":{},"born-w":{"is_write_index":true}}})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(client().Get("/born-1/_alias").Json(),
            json::parse(R"({"born-1":{"aliases":{"born":{},"born-w":{"is_write_index":true}}}})"));
  ExpectError(client().Put("/born-2", R"({"aliases":{"_bad":{}}})"), 400, "invalid_alias_name_exception");
  EXPECT_EQ(client().Get("/born-2").status, 404);  // not created without its aliases
}

class AliasRestartTest : public ::testing::Test {};

TEST_F(AliasRestartTest, AliasesSurviveARestart) {
  TempDir dir;
  {
    ServerProcess server(dir.str() + "/data");
    ASSERT_TRUE(server.started()) << server.output();
    HttpClient c(server.port());
    ASSERT_EQ(c.Put("/kept-1").status, 200);
    ASSERT_EQ(c.Put("/kept-1/_alias/kept", R"({"is_write_index":true})").status, 200);
  }
  ServerProcess server(dir.str() + "/data");
  ASSERT_TRUE(server.started()) << server.output();
  HttpClient c(server.port());
  EXPECT_EQ(c.Get("/_alias/kept").Json(), json::parse(R"({"kept-1":{"aliases":{"kept":{"is_write_index":true}}}})"));
  EXPECT_EQ(c.Put("/kept/_doc/1", R"({"a":1})").Json().at("_index").as_string(), "kept-1");
}

}  // namespace
}  // namespace ultrasearch::testing
