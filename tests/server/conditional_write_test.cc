// Optimistic concurrency control on the single-document endpoints (if_seq_no/if_primary_term,
// version/version_type), the shared update-body parser, and Elasticsearch's 512-byte id limit.
#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;

class ConditionalWriteTest : public ServerTest {};

TEST_F(ConditionalWriteTest, IfSeqNoGuardsIndexUpdateAndDelete) {
  auto first = client().Put("/cas/_doc/1", R"({"n":1})");
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.Json().at("_seq_no"), 0);

  auto second = client().Put("/cas/_doc/1?if_seq_no=0&if_primary_term=1", R"({"n":2})");
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(second.Json().at("_seq_no"), 1);
  EXPECT_EQ(second.Json().at("_version"), 2);

  auto stale = client().Put("/cas/_doc/1?if_seq_no=0&if_primary_term=1", R"({"n":3})");
  ExpectError(stale, 409, "version_conflict_engine_exception");
  EXPECT_EQ(Reason(stale),
            "[1]: version conflict, required seqNo [0], primary term [1]. current document has seqNo [1] and "
            "primary term [1]");
  ExpectError(client().Post("/cas/_update/1?if_seq_no=0&if_primary_term=1", R"({"doc":{"n":4}})"), 409,
              "version_conflict_engine_exception");
  ExpectError(client().Delete("/cas/_doc/1?if_seq_no=0&if_primary_term=1"), 409, "version_conflict_engine_exception");
  auto unchanged = client().Get("/cas/_doc/1").Json();
  EXPECT_EQ(unchanged.at("_source"), json::parse(R"({"n":2})"));
  EXPECT_EQ(unchanged.at("_version"), 2);

  auto updated = client().Post("/cas/_update/1?if_seq_no=1&if_primary_term=1", R"({"doc":{"n":5}})");
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(updated.Json().at("_seq_no"), 2);
  auto deleted = client().Delete("/cas/_doc/1?if_seq_no=2&if_primary_term=1");
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(deleted.Json().at("result"), "deleted");

  auto gone = client().Put("/cas/_doc/1?if_seq_no=3&if_primary_term=1", R"({"n":6})");
  ExpectError(gone, 409, "version_conflict_engine_exception");
  EXPECT_EQ(Reason(gone), "[1]: version conflict, required seqNo [3], primary term [1]. but no document was found");
  // An update of a missing document is missing before it is a conflict.
  ExpectError(client().Post("/cas/_update/1?if_seq_no=3&if_primary_term=1", R"({"doc":{"n":7}})"), 404,
              "document_missing_exception");
}

TEST_F(ConditionalWriteTest, ExternalVersions) {
  auto created = client().Put("/ext/_doc/e?version=5&version_type=external", R"({"n":1})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Json().at("_version"), 5);
  auto same = client().Put("/ext/_doc/e?version=5&version_type=external", R"({"n":2})");
  ExpectError(same, 409, "version_conflict_engine_exception");
  EXPECT_EQ(Reason(same), "[e]: version conflict, current version [5] is higher or equal to the one provided [5]");
  auto gte = client().Put("/ext/_doc/e?version=5&version_type=external_gte", R"({"n":3})");
  ASSERT_EQ(gte.status, 200) << gte.body;
  EXPECT_EQ(gte.Json().at("_version"), 5);
  auto lower = client().Put("/ext/_doc/e?version=4&version_type=external_gte", R"({"n":4})");
  ExpectError(lower, 409, "version_conflict_engine_exception");
  EXPECT_EQ(Reason(lower), "[e]: version conflict, current version [5] is higher than the one provided [4]");
  auto deleted = client().Delete("/ext/_doc/e?version=9&version_type=external");
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(deleted.Json().at("_version"), 9);
  EXPECT_EQ(client().Get("/ext/_doc/e").status, 404);
}

TEST_F(ConditionalWriteTest, InvalidCombinationsAreRefusedAndChangeNothing) {
  ASSERT_EQ(client().Put("/bad-cas/_doc/1", R"({"n":1})").status, 201);
  auto internal = client().Put("/bad-cas/_doc/1?version=1", R"({"n":2})");
  ExpectError(internal, 400, "action_request_validation_exception");
  EXPECT_NE(Reason(internal).find("internal versioning can not be used for optimistic concurrency control"),
            std::string::npos);
  ExpectError(client().Post("/bad-cas/_update/1?version=1&version_type=external", R"({"doc":{"n":2}})"), 400,
              "action_request_validation_exception");
  ExpectError(client().Put("/bad-cas/_create/2?if_seq_no=0&if_primary_term=1", R"({"n":2})"), 400,
              "action_request_validation_exception");
  ExpectError(client().Put("/bad-cas/_doc/1?if_seq_no=0", R"({"n":2})"), 400, "action_request_validation_exception");
  ExpectError(client().Put("/bad-cas/_doc/1?if_seq_no=0&if_primary_term=1&version=3&version_type=external",
                           R"({"n":2})"),
              400, "action_request_validation_exception");
  ExpectError(client().Put("/bad-cas/_doc/1?if_seq_no=zero&if_primary_term=1", R"({"n":2})"), 400,
              "illegal_argument_exception");
  ExpectError(client().Put("/bad-cas/_doc/1?version=3&version_type=sometimes", R"({"n":2})"), 400,
              "illegal_argument_exception");
  ExpectError(client().Post("/bad-cas/_update/1?if_seq_no=0&if_primary_term=1", R"({"doc":{"n":2},"upsert":{}})"),
              400, "action_request_validation_exception");
  // Bulk: versioned updates fail the whole request, as Elasticsearch's bulk parser does.
  ExpectError(client().Post("/bad-cas/_bulk", R"({"update":{"_id":"1","version":3}})" "\n" R"({"doc":{"n":2}})" "\n"),
              400, "illegal_argument_exception");
  auto doc = client().Get("/bad-cas/_doc/1").Json();
  EXPECT_EQ(doc.at("_source"), json::parse(R"({"n":1})"));
  EXPECT_EQ(doc.at("_version"), 1);
  EXPECT_EQ(client().Get("/bad-cas/_doc/2").status, 404);
}

TEST_F(ConditionalWriteTest, UpdateBodyParsedAlikeByUpdateAndBulk) {
  ASSERT_EQ(client().Put("/ub/_doc/1", R"({"n":1})").status, 201);
  for (const char* body : {R"({"doc":{"n":2},"colour":1})", R"({"doc":[1]})", R"({"doc":{"n":2},"detect_noop":"x"})",
                           R"({"doc":{"n":2},"upsert":5})"}) {
    SCOPED_TRACE(body);
    ExpectError(client().Post("/ub/_update/1", body), 400, "x_content_parse_exception");
    ExpectError(client().Post("/ub/_bulk", std::string(R"({"update":{"_id":"1"}})") + "\n" + body + "\n"), 400,
                "x_content_parse_exception");
  }
  ExpectError(client().Post("/ub/_update/1", R"({"upsert":{"n":2}})"), 400, "action_request_validation_exception");
  ExpectError(client().Post("/ub/_bulk", R"({"update":{"_id":"1"}})" "\n" R"({"upsert":{"n":2}})" "\n"), 400,
              "action_request_validation_exception");
  auto noop = client().Post("/ub/_update/1", R"({"doc":{"n":1},"_source":true})");
  ASSERT_EQ(noop.status, 200) << noop.body;
  EXPECT_EQ(noop.Json().at("result"), "noop");
  auto forced = client().Post("/ub/_update/1", R"({"doc":{"n":1},"detect_noop":false})");
  ASSERT_EQ(forced.status, 200) << forced.body;
  EXPECT_EQ(forced.Json().at("result"), "updated");
  EXPECT_EQ(forced.Json().at("_version"), 2);
  auto upserted = client().Post("/ub/_update/2", R"({"doc":{"d":1},"upsert":{"u":1}})");
  ASSERT_EQ(upserted.status, 201) << upserted.body;
  EXPECT_EQ(upserted.Json().at("result"), "created");
  EXPECT_EQ(upserted.Json().at("_version"), 1);
  EXPECT_EQ(client().Get("/ub/_doc/2").Json().at("_source"), json::parse(R"({"u":1})"));
}

TEST_F(ConditionalWriteTest, IdsUpTo512BytesRoundTrip) {
  // Two long ids that share their first 300 bytes must stay apart in every lookup.
  const std::string common(300, 'k');
  const std::string id_a = common + std::string(212, 'a');  // exactly 512 bytes
  const std::string id_b = common + std::string(100, 'b');
  ASSERT_EQ(id_a.size(), 512u);
  ASSERT_EQ(client().Put("/longids/_doc/" + id_a, R"({"name":"first"})").status, 201);
  ASSERT_EQ(client().Put("/longids/_doc/" + id_b, R"({"name":"second"})").status, 201);
  auto got = client().Get("/longids/_doc/" + id_a);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.Json().at("_id"), json::value(id_a));
  EXPECT_EQ(got.Json().at("_source"), json::parse(R"({"name":"first"})"));

  ASSERT_EQ(client().Post("/longids/_refresh", "").status, 200);
  json::object ids_query{{"query", {{"ids", {{"values", json::array{json::string(id_a)}}}}}}};
  auto found = client().Post("/longids/_search", json::serialize(ids_query));
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_EQ(HitIds(found), std::vector<std::string>{id_a});

  auto bulk = client().Post("/longids/_bulk?refresh=true",
                            json::serialize(json::object{{"delete", {{"_id", id_a}}}}) + "\n");
  ASSERT_EQ(bulk.status, 200) << bulk.body;
  EXPECT_EQ(bulk.Json().at("items").at(0).at("delete").at("result"), "deleted") << bulk.body;
  EXPECT_EQ(client().Get("/longids/_doc/" + id_a).status, 404);
  EXPECT_TRUE(HitIds(client().Post("/longids/_search", json::serialize(ids_query))).empty());
  json::object other{{"query", {{"ids", {{"values", json::array{json::string(id_b)}}}}}}};
  EXPECT_EQ(HitIds(client().Post("/longids/_search", json::serialize(other))), std::vector<std::string>{id_b});
  auto deleted = client().Delete("/longids/_doc/" + id_b);
  EXPECT_EQ(deleted.status, 200) << deleted.body;

  const std::string too_long(513, 'z');
  auto refused = client().Put("/longids/_doc/" + too_long, R"({"name":"x"})");
  ExpectError(refused, 400, "action_request_validation_exception");
  EXPECT_EQ(Reason(refused),
            "Validation Failed: 1: id [" + too_long + "] is too long, must be no longer than 512 bytes but was: 513;");
  ExpectError(client().Post("/longids/_bulk", json::serialize(json::object{{"index", {{"_id", too_long}}}}) + "\n{}\n"),
              400, "action_request_validation_exception");
}

}  // namespace
}  // namespace ultrasearch::testing
