// Elasticsearch's snapshot API over real HTTP (fs repositories): a snapshot taken while a writer
// thread writes restores, under a rename_pattern, a state that is exactly a prefix of the writer's
// acknowledged operations, compared document by document; listings, deletion and errors as
// Elasticsearch 8 shapes them.
#include <atomic>
#include <filesystem>
#include <map>
#include <thread>

#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;

class SnapshotHttpTest : public ServerTest {
 protected:
  void Preload(const std::string& index, int n) {
    std::string bulk;
    for (int i = 0; i < n; ++i) {
      bulk += R"({"index":{"_id":"p-)" + std::to_string(i) + "\"}}\n";
      bulk += R"({"name":"telefon preload )" + std::to_string(i) + "\"}\n";
    }
    auto r = client().Post("/" + index + "/_bulk?refresh=true", bulk);
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_FALSE(r.Json().at("errors").as_bool()) << r.body;
  }
  void PutRepository(const std::string& name, const std::string& location) {
    auto r = client().Put("/_snapshot/" + name, R"({"type":"fs","settings":{"location":")" + location + "\"}}");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Json(), json::parse(R"({"acknowledged":true})"));
  }
  static int64_t Int(const json::value& v) { return v.to_number<int64_t>(); }
};

struct WriterOp {
  std::string id;
  std::string source;
  int64_t seq_no = 0;
};

TEST_F(SnapshotHttpTest, SnapshotUnderWritesRestoresAPrefixOfTheWritesUnderANewName) {
  ASSERT_EQ(client().Put("/items").status, 200);
  Preload("items", 20);
  PutRepository("backups", "repo-one");  // relative to the data directory
  auto repo = client().Get("/_snapshot/backups");
  ASSERT_EQ(repo.status, 200) << repo.body;
  EXPECT_EQ(repo.Json(), json::parse(R"({"backups":{"type":"fs","settings":{"location":"repo-one"}}})"));
  EXPECT_TRUE(std::filesystem::is_directory(dir_->path() / "data" / "repo-one"));

  std::map<std::string, std::pair<std::string, int64_t>> expected;  // id -> (source, seq_no)
  for (int i = 0; i < 20; ++i) {
    const std::string id = "p-" + std::to_string(i);
    auto r = client().Get("/items/_doc/" + id);
    ASSERT_EQ(r.status, 200) << r.body;
    expected[id] = {json::serialize(r.Json().at("_source")), Int(r.Json().at("_seq_no"))};
  }

  // A writer: new documents and updates of the preloaded ones, one at a time, each acknowledged.
  std::vector<WriterOp> ops;
  std::atomic<int> done{0};
  std::atomic<bool> stop{false}, failed{false};
  std::thread writer([&] {
    HttpClient http(server().port());
    for (int i = 0; !stop.load(); ++i) {
      WriterOp op;
      op.id = i % 2 == 0 ? "w-" + std::to_string(i) : "p-" + std::to_string(i % 20);
      op.source = R"({"name":"telefon written )" + std::to_string(i) + "\"}";
      auto r = http.Put("/items/_doc/" + op.id, op.source);
      if (r.status != 200 && r.status != 201) {
        failed = true;
        break;
      }
      op.seq_no = r.Json().at("_seq_no").to_number<int64_t>();
      ops.push_back(std::move(op));
      done.fetch_add(1);
    }
  });
  while (done.load() < 30) std::this_thread::yield();
  const int done_before = done.load();
  auto created = client().Put("/_snapshot/backups/snap-1?wait_for_completion=true",
                              R"({"indices":"items","include_global_state":false})");
  const int done_after = done.load();
  while (done.load() < done_after + 30) std::this_thread::yield();  // writes go on after it
  stop = true;
  writer.join();
  ASSERT_FALSE(failed.load());
  ASSERT_EQ(created.status, 200) << created.body;
  const json::value snapshot = created.Json().at("snapshot");
  EXPECT_EQ(snapshot.at("snapshot").as_string(), "snap-1");
  EXPECT_EQ(snapshot.at("repository").as_string(), "backups");
  EXPECT_EQ(snapshot.at("state").as_string(), "SUCCESS");
  EXPECT_EQ(snapshot.at("indices"), json::parse(R"(["items"])"));
  EXPECT_EQ(snapshot.at("include_global_state").as_bool(), false);
  EXPECT_EQ(snapshot.at("shards"), json::parse(R"({"total":1,"failed":0,"successful":1})"));
  EXPECT_EQ(snapshot.at("uuid").as_string().size(), 22u);
  EXPECT_LE(Int(snapshot.at("start_time_in_millis")), Int(snapshot.at("end_time_in_millis")));

  auto restored = client().Post("/_snapshot/backups/snap-1/_restore?wait_for_completion=true",
                                R"x({"indices":"items","rename_pattern":"(.+)","rename_replacement":"restored_$1"})x");
  ASSERT_EQ(restored.status, 200) << restored.body;
  EXPECT_EQ(restored.Json(), json::parse(R"({"snapshot":{"snapshot":"snap-1","indices":["restored_items"],
                                            "shards":{"total":1,"failed":0,"successful":1}}})"));

  // The restored state is the preload plus the writer's first k operations, for one k that lies
  // between what was acknowledged before the request and what was acknowledged when it returned.
  auto seq_of = [&](const std::string& id) -> int64_t {
    auto r = client().Get("/restored_items/_doc/" + id);
    if (r.status == 404) return -1;
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? Int(r.Json().at("_seq_no")) : -1;
  };
  size_t k = 0;
  while (k < ops.size() && seq_of(ops[k].id) >= ops[k].seq_no) ++k;
  EXPECT_GE(k, static_cast<size_t>(done_before));
  EXPECT_LE(k, static_cast<size_t>(done_after));

  for (size_t i = 0; i < k; ++i) expected[ops[i].id] = {ops[i].source, ops[i].seq_no};
  for (const auto& [id, doc] : expected) {
    auto r = client().Get("/restored_items/_doc/" + id);
    ASSERT_EQ(r.status, 200) << id << r.body;
    EXPECT_EQ(r.Json().at("_source"), json::parse(doc.first)) << id;
    EXPECT_EQ(Int(r.Json().at("_seq_no")), doc.second) << id;
  }
  auto count = client().Get("/restored_items/_count");
  ASSERT_EQ(count.status, 200) << count.body;
  EXPECT_EQ(Int(count.Json().at("count")), static_cast<int64_t>(expected.size()));
  // Searchable: the text index was rebuilt from the catalog.
  auto search = client().Post("/restored_items/_search", R"({"size":0,"query":{"match":{"name":"telefon"}}})");
  ASSERT_EQ(search.status, 200) << search.body;
  EXPECT_EQ(Int(search.Json().at("hits").at("total").at("value")), static_cast<int64_t>(expected.size()));
  // The original keeps every write.
  ASSERT_EQ(client().Post("/items/_refresh", "").status, 200);
  EXPECT_EQ(Int(client().Get("/items/_count").Json().at("count")), 20 + static_cast<int64_t>((ops.size() + 1) / 2));
}

TEST_F(SnapshotHttpTest, ListingDeletionAndErrorsAreElasticsearchShaped) {
  ASSERT_EQ(client().Put("/shelf").status, 200);
  Preload("shelf", 5);
  PutRepository("archive", (dir_->path() / "archive-abs").string());  // an absolute location
  ASSERT_EQ(client().Put("/_snapshot/archive/a1?wait_for_completion=true", R"({"indices":["shelf"]})").status, 200);
  auto accepted = client().Put("/_snapshot/archive/a2", R"({"indices":"shelf"})");
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(accepted.Json(), json::parse(R"({"accepted":true})"));

  auto all = client().Get("/_snapshot/archive/_all");
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(Int(all.Json().at("total")), 2);
  EXPECT_EQ(Int(all.Json().at("remaining")), 0);
  const json::value listing = all.Json();
  const auto& list = listing.at("snapshots").as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].at("snapshot").as_string(), "a1");
  EXPECT_EQ(list[1].at("snapshot").as_string(), "a2");
  EXPECT_EQ(list[0].at("include_global_state").as_bool(), true);
  auto one = client().Get("/_snapshot/archive/a2");
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(one.Json().at("snapshots").as_array().size(), 1u);

  // Errors.
  auto error = ExpectError(client().Get("/_snapshot/nowhere"), 404, "repository_missing_exception");
  EXPECT_EQ(error.at("reason").as_string(), "[nowhere] missing");
  ExpectError(client().Put("/_snapshot/nowhere/s1?wait_for_completion=true", "{}"), 404,
              "repository_missing_exception");
  error = ExpectError(client().Get("/_snapshot/archive/zzz"), 404, "snapshot_missing_exception");
  EXPECT_EQ(error.at("reason").as_string(), "[archive:zzz] is missing");
  error = ExpectError(client().Put("/_snapshot/archive/Upper", "{}"), 400, "invalid_snapshot_name_exception");
  EXPECT_EQ(error.at("reason").as_string(), "[archive:Upper] Invalid snapshot name [Upper], must be lowercase");
  error = ExpectError(client().Put("/_snapshot/archive/a1", "{}"), 400, "invalid_snapshot_name_exception");
  EXPECT_EQ(error.at("reason").as_string(),
            "[archive:a1] Invalid snapshot name [a1], snapshot with the same name already exists");
  ExpectError(client().Put("/_snapshot/archive/x1", R"({"indices":"no-such-index"})"), 404,
              "index_not_found_exception");
  error = ExpectError(client().Post("/_snapshot/archive/a1/_restore", "{}"), 500, "snapshot_restore_exception");
  EXPECT_NE(error.at("reason").as_string().find("cannot restore index [shelf] because an open index with same "
                                                "name already exists in the cluster"),
            std::string::npos);
  ExpectError(client().Post("/_snapshot/archive/zzz/_restore", "{}"), 404, "snapshot_missing_exception");
  ExpectError(client().Put("/_snapshot/bad", "{}"), 400, "action_request_validation_exception");
  ExpectError(client().Put("/_snapshot/bad", R"({"type":"s3","settings":{"bucket":"b"}})"), 500,
              "repository_exception");
  ExpectError(client().Put("/_snapshot/bad", R"({"type":"fs","settings":{}})"), 500, "repository_exception");

  // Deletion; a restore of what is left, with the existing index deleted first, brings it back.
  auto deleted = client().Delete("/_snapshot/archive/a1");
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(deleted.Json(), json::parse(R"({"acknowledged":true})"));
  ExpectError(client().Get("/_snapshot/archive/a1"), 404, "snapshot_missing_exception");
  ASSERT_EQ(client().Delete("/shelf").status, 200);
  auto back = client().Post("/_snapshot/archive/a2/_restore?wait_for_completion=true", "{}");
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(Int(client().Get("/shelf/_count").Json().at("count")), 5);

  ASSERT_EQ(client().Delete("/_snapshot/archive").status, 200);
  ExpectError(client().Get("/_snapshot/archive"), 404, "repository_missing_exception");
}

// Snapshots are the cluster `manage` privilege: a key that may read every index may not take,
// list or restore them; one with `manage` may.
class SnapshotPrivilegeTest : public ServerTest {
 protected:
  static void SetUpTestSuite() {
    keys_dir_ = std::make_unique<TempDir>();
    WriteFile(keys_dir_->path() / "keys", "admin-secret-0123456789\n");
    StartServer({"--api-keys", (keys_dir_->path() / "keys").string()});
  }
  static void TearDownTestSuite() {
    ServerTest::TearDownTestSuite();
    keys_dir_.reset();
  }
  std::string Mint(const std::string& role) {
    auto r = client().Send("POST", "/_security/api_key", R"({"name":"k","role_descriptors":{"r":)" + role + "}}",
                           {{"Authorization", "ApiKey admin-secret-0123456789"}});
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? std::string(r.Json().at("encoded").as_string()) : "";
  }
  static inline std::unique_ptr<TempDir> keys_dir_;
};

TEST_F(SnapshotPrivilegeTest, OnlyTheManagePrivilegeReachesSnapshots) {
  const Headers reader = {
      {"Authorization", "ApiKey " + Mint(R"({"indices":[{"names":["*"],"privileges":["all"]}]})")}};
  const Headers manager = {{"Authorization", "ApiKey " + Mint(R"({"cluster":["manage"]})")}};
  const std::string repo = R"({"type":"fs","settings":{"location":"guarded"}})";
  ExpectError(client().Send("PUT", "/_snapshot/guarded", repo, reader), 403, "security_exception");
  ExpectError(client().Send("GET", "/_snapshot", "", reader), 403, "security_exception");
  auto put = client().Send("PUT", "/_snapshot/guarded", repo, manager);
  EXPECT_EQ(put.status, 200) << put.body;
  ExpectError(client().Send("PUT", "/_snapshot/guarded/s1?wait_for_completion=true", "{}", reader), 403,
              "security_exception");
  ExpectError(client().Send("POST", "/_snapshot/guarded/s1/_restore", "{}", reader), 403, "security_exception");
  auto snap = client().Send("PUT", "/_snapshot/guarded/s1?wait_for_completion=true", "{}", manager);
  EXPECT_EQ(snap.status, 200) << snap.body;
  auto list = client().Send("GET", "/_snapshot/guarded/_all", "", manager);
  EXPECT_EQ(list.status, 200) << list.body;
}

}  // namespace
}  // namespace ultrasearch::testing
