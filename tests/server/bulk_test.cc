// _bulk: per-item results in order, bad items reported while good ones are stored.
#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;

class BulkTest : public ServerTest {};

TEST_F(BulkTest, MixedGoodAndBadItems) {
  ASSERT_EQ(client().Put("/bulk1/_doc/existing", R"({"n":0})").status, 201);
  std::string body =
      R"({"index":{"_index":"bulk1","_id":"1"}})" "\n" R"({"n":1})" "\n"
      R"({"create":{"_index":"bulk1","_id":"2"}})" "\n" R"({"n":2})" "\n"
      R"({"index":{"_index":"bulk1","_id":"bad-json"}})" "\n" R"({"n":)" "\n"
      R"({"create":{"_index":"bulk1","_id":"existing"}})" "\n" R"({"n":99})" "\n"
      R"({"update":{"_index":"bulk1","_id":"missing"}})" "\n" R"({"doc":{"n":5}})" "\n"
      R"({"update":{"_index":"bulk1","_id":"1"}})" "\n" R"({"doc":{"m":1}})" "\n"
      R"({"delete":{"_index":"bulk1","_id":"nothing-here"}})" "\n"
      R"({"index":{"_index":"BAD_NAME","_id":"1"}})" "\n" R"({"n":1})" "\n"
      R"({"index":{"_index":"bulk2"}})" "\n" R"({"n":3})" "\n";
  auto r = client().Post("/_bulk?refresh=true", body);
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = r.Json();
  EXPECT_EQ(v.at("errors"), true);
  EXPECT_TRUE(v.at("took").is_number());
  auto items = v.at("items").as_array();
  ASSERT_EQ(items.size(), 9u) << r.body;
  auto item = [&](std::size_t i, const char* action) { return items[i].at(action).as_object(); };
  EXPECT_EQ(item(0, "index").at("status"), 201);
  EXPECT_EQ(item(0, "index").at("result"), "created");
  EXPECT_EQ(item(1, "create").at("status"), 201);
  EXPECT_EQ(item(2, "index").at("status"), 400);
  EXPECT_EQ(item(2, "index").at("error").at("type"), "document_parsing_exception");
  EXPECT_EQ(item(3, "create").at("status"), 409);
  EXPECT_EQ(item(3, "create").at("error").at("type"), "version_conflict_engine_exception");
  EXPECT_EQ(item(4, "update").at("status"), 404);
  EXPECT_EQ(item(4, "update").at("error").at("type"), "document_missing_exception");
  EXPECT_EQ(item(5, "update").at("status"), 200);
  EXPECT_EQ(item(6, "delete").at("status"), 404);
  EXPECT_EQ(item(6, "delete").at("result"), "not_found");
  EXPECT_FALSE(item(6, "delete").contains("error"));
  EXPECT_EQ(item(7, "index").at("error").at("type"), "invalid_index_name_exception");
  EXPECT_EQ(item(8, "index").at("status"), 201);
  EXPECT_FALSE(item(8, "index").at("_id").as_string().empty());

  // Good ones stored, bad ones not, nothing else changed.
  EXPECT_EQ(client().Get("/bulk1/_doc/1").Json().at("_source"), json::parse(R"({"n":1,"m":1})"));
  EXPECT_EQ(client().Get("/bulk1/_doc/2").Json().at("_source"), json::parse(R"({"n":2})"));
  EXPECT_EQ(client().Get("/bulk1/_doc/existing").Json().at("_source"), json::parse(R"({"n":0})"));
  EXPECT_EQ(client().Get("/bulk1/_doc/bad-json").status, 404);
  EXPECT_EQ(client().Get("/bulk1/_doc/missing").status, 404);
  auto count = client().Get("/bulk1/_count");
  ASSERT_EQ(count.status, 200) << count.body;
  EXPECT_EQ(count.Json().at("count"), 3);
  EXPECT_EQ(client().Send("HEAD", "/BAD_NAME").status, 404);
}

TEST_F(BulkTest, DefaultIndexFromPathAndUpserts) {
  std::string body =
      R"({"index":{"_id":"a"}})" "\n" R"({"v":1})" "\n"
      R"({"update":{"_id":"b"}})" "\n" R"({"doc":{"v":2},"doc_as_upsert":true})" "\n"
      R"({"update":{"_id":"c"}})" "\n" R"({"doc":{"v":3},"upsert":{"v":0}})" "\n"
      R"({"delete":{"_id":"a"}})" "\n";
  auto r = client().Post("/bulk3/_bulk", body);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json().at("errors"), false) << r.body;
  EXPECT_EQ(client().Get("/bulk3/_doc/a").status, 404);
  EXPECT_EQ(client().Get("/bulk3/_doc/b").Json().at("_source"), json::parse(R"({"v":2})"));
  EXPECT_EQ(client().Get("/bulk3/_doc/c").Json().at("_source"), json::parse(R"({"v":0})"));
}

TEST_F(BulkTest, MalformedRequestsFailAsAWhole) {
  ExpectError(client().Post("/_bulk", "not json\n{}\n"), 400, "illegal_argument_exception");
  ExpectError(client().Post("/_bulk", R"({"explode":{"_index":"x"}})" "\n{}\n"), 400,
              "illegal_argument_exception");
  ExpectError(client().Post("/_bulk", R"({"index":{"_index":"x"}})" "\n{}"), 400, "illegal_argument_exception");
  ExpectError(client().Post("/_bulk", ""), 400, "action_request_validation_exception");
  ExpectError(client().Post("/_bulk", R"({"index":{}})" "\n{}\n"), 400, "action_request_validation_exception");
  ExpectError(client().Post("/_bulk", R"({"delete":{"_index":"x"}})" "\n"), 400,
              "action_request_validation_exception");
  EXPECT_EQ(client().Send("HEAD", "/x").status, 404);
}

}  // namespace
}  // namespace ultrasearch::testing
