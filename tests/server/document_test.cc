// Index and document APIs over HTTP: create/delete index, _doc CRUD, _create, _update, _mget.
#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;

class DocumentTest : public ServerTest {};

TEST_F(DocumentTest, IndexLifecycle) {
  auto created = client().Put("/lifecycle", R"({"mappings":{"properties":{"title":{"type":"text"}}}})");
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(created.Json(), json::parse(R"({"acknowledged":true,"shards_acknowledged":true,"index":"lifecycle"})"));

  auto again = client().Put("/lifecycle");
  auto error = ExpectError(again, 400, "resource_already_exists_exception");
  EXPECT_EQ(error["index"], "lifecycle");

  EXPECT_EQ(client().Send("HEAD", "/lifecycle").status, 200);
  auto mapping = client().Get("/lifecycle/_mapping");
  ASSERT_EQ(mapping.status, 200);
  EXPECT_TRUE(mapping.Json().at("lifecycle").at("mappings").is_object()) << mapping.body;

  auto deleted = client().Delete("/lifecycle");
  ASSERT_EQ(deleted.status, 200);
  EXPECT_EQ(deleted.Json().at("acknowledged"), true);
  EXPECT_EQ(client().Send("HEAD", "/lifecycle").status, 404);
  auto missing = ExpectError(client().Delete("/lifecycle"), 404, "index_not_found_exception");
  EXPECT_EQ(missing["index"], "lifecycle");
}

TEST_F(DocumentTest, InvalidIndexNames) {
  ExpectError(client().Put("/UPPER"), 400, "invalid_index_name_exception");
  ExpectError(client().Put("/UPPER/_doc/1", R"({"a":1})"), 400, "invalid_index_name_exception");
  ExpectError(client().Put("/-dash"), 400, "invalid_index_name_exception");
}

TEST_F(DocumentTest, CrudRoundTrip) {
  auto put = client().Put("/crud/_doc/1", R"({"name":"Choynak","price":120000,"tags":["kitchen"]})");
  ASSERT_EQ(put.status, 201) << put.body;
  auto pv = put.Json();
  EXPECT_EQ(pv.at("result"), "created");
  EXPECT_EQ(pv.at("_index"), "crud");
  EXPECT_EQ(pv.at("_id"), "1");
  EXPECT_EQ(pv.at("_version"), 1);
  EXPECT_EQ(pv.at("_primary_term"), 1);
  EXPECT_TRUE(pv.at("_shards").is_object());

  auto get = client().Get("/crud/_doc/1");
  ASSERT_EQ(get.status, 200);
  auto gv = get.Json();
  EXPECT_EQ(gv.at("found"), true);
  EXPECT_EQ(gv.at("_source"), json::parse(R"({"name":"Choynak","price":120000,"tags":["kitchen"]})"));
  EXPECT_EQ(gv.at("_version"), 1);
  EXPECT_TRUE(gv.at("_seq_no").is_number());

  auto replaced = client().Send("PUT", "/crud/_doc/1", R"({"name":"Choynak 2"})");
  ASSERT_EQ(replaced.status, 200);
  EXPECT_EQ(replaced.Json().at("result"), "updated");
  EXPECT_EQ(replaced.Json().at("_version"), 2);
  EXPECT_EQ(client().Get("/crud/_doc/1").Json().at("_source"), json::parse(R"({"name":"Choynak 2"})"));

  auto filtered = client().Get("/crud/_doc/1?_source=false");
  EXPECT_FALSE(filtered.Json().as_object().contains("_source"));

  EXPECT_EQ(client().Send("HEAD", "/crud/_doc/1").status, 200);
  auto del = client().Delete("/crud/_doc/1");
  ASSERT_EQ(del.status, 200);
  EXPECT_EQ(del.Json().at("result"), "deleted");
  auto gone = client().Get("/crud/_doc/1");
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(gone.Json().at("found"), false);
  EXPECT_EQ(client().Send("HEAD", "/crud/_doc/1").status, 404);
  auto del2 = client().Delete("/crud/_doc/1");
  EXPECT_EQ(del2.status, 404);
  EXPECT_EQ(del2.Json().at("result"), "not_found");

  ExpectError(client().Get("/no-such-index/_doc/1"), 404, "index_not_found_exception");
}

TEST_F(DocumentTest, IdsArePercentDecoded) {
  ASSERT_EQ(client().Put("/ids/_doc/a%2Fb%20c", R"({"x":1})").status, 201);
  auto get = client().Get("/ids/_doc/a%2Fb%20c");
  ASSERT_EQ(get.status, 200);
  EXPECT_EQ(get.Json().at("_id"), "a/b c");
}

TEST_F(DocumentTest, CreateConflicts) {
  ASSERT_EQ(client().Put("/create/_create/1", R"({"a":1})").status, 201);
  ExpectError(client().Put("/create/_create/1", R"({"a":2})"), 409, "version_conflict_engine_exception");
  ExpectError(client().Put("/create/_doc/1?op_type=create", R"({"a":2})"), 409, "version_conflict_engine_exception");
  EXPECT_EQ(client().Get("/create/_doc/1").Json().at("_source"), json::parse(R"({"a":1})"));
}

TEST_F(DocumentTest, AutoId) {
  auto r = client().Post("/auto/_doc", R"({"a":"b"})");
  ASSERT_EQ(r.status, 201) << r.body;
  std::string id(r.Json().at("_id").as_string());
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(client().Get("/auto/_doc/" + id).status, 200);
}

TEST_F(DocumentTest, PartialUpdate) {
  ASSERT_EQ(client().Put("/upd/_doc/1", R"({"name":"x","price":1,"attrs":{"color":"red"}})").status, 201);
  auto r = client().Post("/upd/_update/1", R"({"doc":{"price":2,"attrs":{"size":"L"}}})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json().at("result"), "updated");
  EXPECT_EQ(client().Get("/upd/_doc/1").Json().at("_source"),
            json::parse(R"({"name":"x","price":2,"attrs":{"color":"red","size":"L"}})"));

  ExpectError(client().Post("/upd/_update/404", R"({"doc":{"a":1}})"), 404, "document_missing_exception");
  auto upsert = client().Post("/upd/_update/2", R"({"doc":{"a":1},"doc_as_upsert":true})");
  ASSERT_EQ(upsert.status, 201) << upsert.body;
  EXPECT_EQ(upsert.Json().at("result"), "created");
  EXPECT_EQ(client().Get("/upd/_doc/2").Json().at("_source"), json::parse(R"({"a":1})"));
  ExpectError(client().Post("/upd/_update/1", R"({"nodoc":{}})"), 400, "x_content_parse_exception");
}

TEST_F(DocumentTest, Mget) {
  ASSERT_EQ(client().Put("/mget1/_doc/1", R"({"v":1})").status, 201);
  ASSERT_EQ(client().Put("/mget1/_doc/2", R"({"v":2})").status, 201);
  auto r = client().Post("/_mget", R"({"docs":[{"_index":"mget1","_id":"1"},{"_index":"mget1","_id":"9"},
                                               {"_index":"nope","_id":"1"}]})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto docs = r.Json().at("docs").as_array();
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_EQ(docs[0].at("found"), true);
  EXPECT_EQ(docs[0].at("_source"), json::parse(R"({"v":1})"));
  EXPECT_EQ(docs[1].at("found"), false);
  EXPECT_EQ(docs[2].at("error").at("type"), "index_not_found_exception");

  auto ids = client().Post("/mget1/_mget", R"({"ids":["2","1"]})");
  ASSERT_EQ(ids.status, 200);
  auto idocs = ids.Json().at("docs").as_array();
  ASSERT_EQ(idocs.size(), 2u);
  EXPECT_EQ(idocs[0].at("_id"), "2");
  EXPECT_EQ(idocs[1].at("_id"), "1");

  ExpectError(client().Post("/_mget", R"({"ids":["1"]})"), 400, "action_request_validation_exception");
  ExpectError(client().Post("/_mget", R"({"docs":[]})"), 400, "action_request_validation_exception");
}

TEST_F(DocumentTest, BadDocumentsAreRejected) {
  ExpectError(client().Put("/bad/_doc/1", R"({"a":)"), 400, "document_parsing_exception");
  ExpectError(client().Put("/bad/_doc/1", R"([1,2])"), 400, "document_parsing_exception");
  ExpectError(client().Put("/bad/_doc/1", ""), 400, "action_request_validation_exception");
  EXPECT_EQ(client().Get("/bad/_doc/1").status, 404);
}

}  // namespace
}  // namespace ultrasearch::testing
