// Index::Write through the engine API: operations of one batch apply in order against each
// other, upserts and conditions are resolved under the writer lock, versions and seq_nos follow
// Elasticsearch, and ids up to 512 bytes work everywhere an id is used.
#include <boost/json.hpp>

#include "engine/engine_test_util.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;

class WriteBatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = OpenTestEngine(dir_.str());
    ASSERT_NE(engine_, nullptr);
    index_ = engine_->GetOrCreateIndex("shop").value();
  }
  std::vector<WriteOpResult> Write(const std::vector<WriteOp>& ops) {
    auto r = index_->Write(ops);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r.value()) : std::vector<WriteOpResult>(ops.size());
  }
  json::value Source(const std::string& id) {
    auto doc = index_->Get(id);
    return doc.ok() ? json::parse(doc->source_json) : json::value(nullptr);
  }
  std::vector<std::string> IdsQueryHits(const std::vector<std::string>& ids) {
    EXPECT_TRUE(index_->Refresh().ok());
    SearchRequest request;
    request.query.node = IdsQuery{ids};
    auto r = index_->Search(request);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    std::vector<std::string> out;
    if (r.ok()) {
      for (const auto& hit : r->hits) out.push_back(hit.id);
    }
    return out;
  }
  TempDir dir_;
  std::unique_ptr<Engine> engine_;
  std::shared_ptr<Index> index_;
};

WriteOp Update(std::string id, std::string doc) { return WriteOp(WriteOp::Type::kUpdate, std::move(id), std::move(doc)); }

TEST_F(WriteBatchTest, LaterOperationsSeeEarlierOnesOfTheSameBatch) {
  WriteOp upsert = Update("p", R"({"price":2})");
  upsert.upsert_json = R"({"price":1,"name":"fresh"})";
  auto results = Write({
      {WriteOp::Type::kIndex, "p", R"({"name":"one","price":1})"},
      Update("p", R"({"price":5})"),
      {WriteOp::Type::kCreate, "p", R"({"name":"dup"})"},
      {WriteOp::Type::kDelete, "p"},
      Update("p", R"({"price":6})"),
      upsert,
  });
  ASSERT_EQ(results.size(), 6u);
  EXPECT_EQ(results[0].result.kind, WriteResult::Kind::kCreated);
  EXPECT_EQ(results[1].result.kind, WriteResult::Kind::kUpdated);
  EXPECT_EQ(results[1].result.version, 2u);
  EXPECT_TRUE(results[2].status.IsConflict()) << results[2].status.ToString();
  EXPECT_EQ(results[2].status.message(), "[p]: version conflict, document already exists (current version [2])");
  EXPECT_EQ(results[3].result.kind, WriteResult::Kind::kDeleted);
  EXPECT_EQ(results[3].result.version, 3u);
  EXPECT_TRUE(results[4].status.IsNotFound()) << results[4].status.ToString();
  EXPECT_EQ(results[5].result.kind, WriteResult::Kind::kCreated);
  EXPECT_EQ(results[5].result.version, 4u);
  // Seq_nos count from 0 and skip the refused operations.
  EXPECT_EQ(results[0].result.seq_no, 0u);
  EXPECT_EQ(results[1].result.seq_no, 1u);
  EXPECT_EQ(results[3].result.seq_no, 2u);
  EXPECT_EQ(results[5].result.seq_no, 3u);

  EXPECT_EQ(Source("p"), json::parse(R"({"price":1,"name":"fresh"})"));
  auto doc = index_->Get("p");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->version, 4u);
  EXPECT_EQ(doc->seq_no, 3u);
  EXPECT_EQ(index_->Stats()->documents, 1u);
  EXPECT_EQ(IdsQueryHits({"p"}), std::vector<std::string>{"p"});
}

TEST_F(WriteBatchTest, NoopUpdateWritesNothingUnlessAsked) {
  ASSERT_TRUE(index_->Put("n", R"({"a":{"b":1}})").ok());
  auto noop = index_->Update("n", R"({"a":{"b":1}})");
  ASSERT_TRUE(noop.ok());
  EXPECT_EQ(noop->kind, WriteResult::Kind::kNoop);
  EXPECT_EQ(noop->version, 1u);
  EXPECT_EQ(noop->seq_no, 0u);
  EXPECT_EQ(index_->Stats()->last_sequence, 1u);

  WriteOp forced = Update("n", R"({"a":{"b":1}})");
  forced.detect_noop = false;
  auto results = Write({forced});
  EXPECT_EQ(results[0].result.kind, WriteResult::Kind::kUpdated);
  EXPECT_EQ(results[0].result.version, 2u);
}

TEST_F(WriteBatchTest, ConditionsAreCheckedAgainstTheBatchSoFar) {
  WriteOp guarded(WriteOp::Type::kIndex, "c", R"({"v":2})");
  guarded.if_seq_no = 0;
  guarded.if_primary_term = 1;
  WriteOp stale = guarded;
  stale.json = R"({"v":3})";
  auto results = Write({{WriteOp::Type::kIndex, "c", R"({"v":1})"}, guarded, stale});
  EXPECT_TRUE(results[1].status.ok()) << results[1].status.ToString();
  EXPECT_TRUE(results[2].status.IsConflict());
  EXPECT_EQ(results[2].status.message(),
            "[c]: version conflict, required seqNo [0], primary term [1]. current document has seqNo [1] and primary "
            "term [1]");
  EXPECT_EQ(Source("c"), json::parse(R"({"v":2})"));

  WriteOp external(WriteOp::Type::kIndex, "c", R"({"v":4})");
  external.version_type = VersionType::kExternal;
  external.version = 2;  // current version is 2: not greater
  results = Write({external});
  EXPECT_EQ(results[0].status.message(),
            "[c]: version conflict, current version [2] is higher or equal to the one provided [2]");
  external.version = 7;
  results = Write({external});
  ASSERT_TRUE(results[0].status.ok()) << results[0].status.ToString();
  EXPECT_EQ(results[0].result.version, 7u);
  EXPECT_EQ(index_->Get("c")->version, 7u);
}

TEST_F(WriteBatchTest, InvalidOptionCombinationsAreRefusedBeforeWriting) {
  WriteOp create(WriteOp::Type::kCreate, "x", R"({"a":1})");
  create.if_seq_no = 0;
  create.if_primary_term = 1;
  WriteOp internal_version(WriteOp::Type::kIndex, "x", R"({"a":1})");
  internal_version.version = 3;
  WriteOp versioned_update = Update("x", R"({"a":1})");
  versioned_update.version_type = VersionType::kExternal;
  versioned_update.version = 3;
  WriteOp cas_upsert = Update("x", R"({"a":1})");
  cas_upsert.doc_as_upsert = true;
  cas_upsert.if_seq_no = 0;
  cas_upsert.if_primary_term = 1;
  auto results = Write({create, internal_version, versioned_update, cas_upsert});
  for (const auto& r : results) EXPECT_TRUE(r.status.IsInvalidArgument()) << r.status.ToString();
  EXPECT_EQ(results[0].status.message(), "create operations do not support compare and set. use index instead");
  EXPECT_EQ(results[3].status.message(), "compare and write operations can not be used with upsert");
  EXPECT_EQ(index_->Stats()->last_sequence, 0u);
  EXPECT_FALSE(index_->Get("x").ok());
}

TEST_F(WriteBatchTest, LongIdsUpTo512BytesWorkEverywhere) {
  const std::string prefix(250, 'q');
  const std::string long_a = prefix + std::string(262, 'a');  // 512 bytes
  const std::string long_b = prefix + "b";                    // shares the first 250 bytes
  const std::string edge = std::string(239, 'e');             // the longest id stored as itself
  ASSERT_TRUE(index_->Put(long_a, R"({"name":"a"})").ok());
  ASSERT_TRUE(index_->Put(long_b, R"({"name":"b"})").ok());
  ASSERT_TRUE(index_->Put(edge, R"({"name":"e"})").ok());
  EXPECT_EQ(index_->Get(long_a)->id, long_a);
  EXPECT_EQ(IdsQueryHits({long_a}), std::vector<std::string>{long_a});
  EXPECT_EQ(IdsQueryHits({long_b}), std::vector<std::string>{long_b});
  EXPECT_EQ(IdsQueryHits({edge}), std::vector<std::string>{edge});
  EXPECT_TRUE(IdsQueryHits({prefix}).empty());

  auto replaced = index_->Put(long_a, R"({"name":"a2"})");
  ASSERT_TRUE(replaced.ok());
  EXPECT_EQ(replaced->kind, WriteResult::Kind::kUpdated);
  EXPECT_EQ(IdsQueryHits({long_a}).size(), 1u);
  auto deleted = index_->Delete(long_a);
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(deleted->kind, WriteResult::Kind::kDeleted);
  EXPECT_TRUE(IdsQueryHits({long_a}).empty());
  EXPECT_EQ(IdsQueryHits({long_b}), std::vector<std::string>{long_b});

  auto too_long = index_->Put(std::string(513, 'x'), R"({"a":1})");
  EXPECT_TRUE(too_long.status().IsInvalidArgument());
}

}  // namespace
}  // namespace ultrasearch::testing
