// Put, get, partial update, delete and batches through the public engine API.
#include <boost/json.hpp>

#include "engine/engine_test_util.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;

using DocumentRoundTripTest = ProductsIndexTest;

TEST_F(DocumentRoundTripTest, PutThenGetReturnsTheSourceVerbatim) {
  const std::string source = R"({"id":"p1","name":"Samsung Galaxy A54 smartfoni","price":4599000})";
  auto put = index_->Put("p1", source);
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(put->kind, WriteResult::Kind::kCreated);
  EXPECT_EQ(put->version, 1u);
  auto got = index_->Get("p1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->source_json, source);
  EXPECT_EQ(got->version, 1u);
  EXPECT_EQ(got->seq_no, put->seq_no);
}

TEST_F(DocumentRoundTripTest, ReplacingBumpsVersionAndKeepsOneDocument) {
  ASSERT_TRUE(index_->Put("p1", R"({"name":"old"})").ok());
  auto second = index_->Put("p1", R"({"name":"new"})");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->kind, WriteResult::Kind::kUpdated);
  EXPECT_EQ(second->version, 2u);
  ASSERT_TRUE(index_->Refresh().ok());
  auto stats = index_->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->documents, 1u);
  EXPECT_EQ(stats->indexed_documents, 1u);
  EXPECT_EQ(MustSearch(*index_, MatchRequest("old")).total, 0u);
  EXPECT_EQ(MustSearch(*index_, MatchRequest("new")).total, 1u);
}

TEST_F(DocumentRoundTripTest, CreateModeRefusesAnExistingId) {
  ASSERT_TRUE(index_->Put("p1", R"({"name":"a"})", PutMode::kCreate).ok());
  auto again = index_->Put("p1", R"({"name":"b"})", PutMode::kCreate);
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(again.status().IsConflict()) << again.status().ToString();
  EXPECT_EQ(index_->Get("p1")->source_json, R"({"name":"a"})");
}

TEST_F(DocumentRoundTripTest, PartialUpdateMergesObjectsAndReplacesValues) {
  ASSERT_TRUE(index_->Put("p1", R"({"name":"Artel muzlatgich","attributes":{"color":"oq","volume":"300 l"},"tags":["a","b"]})").ok());
  auto updated = index_->Update("p1", R"({"attributes":{"color":"qora"},"tags":["c"],"price":100})");
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->kind, WriteResult::Kind::kUpdated);
  json::value doc = json::parse(index_->Get("p1")->source_json);
  EXPECT_EQ(doc.at("attributes").at("color"), "qora");
  EXPECT_EQ(doc.at("attributes").at("volume"), "300 l");
  EXPECT_EQ(doc.at("tags"), json::array({"c"}));
  EXPECT_EQ(doc.at("price"), 100);
  EXPECT_EQ(doc.at("name"), "Artel muzlatgich");
}

TEST_F(DocumentRoundTripTest, UpdateThatChangesNothingIsANoop) {
  ASSERT_TRUE(index_->Put("p1", R"({"name":"x","price":5})").ok());
  auto noop = index_->Update("p1", R"({"price":5})");
  ASSERT_TRUE(noop.ok());
  EXPECT_EQ(noop->kind, WriteResult::Kind::kNoop);
  EXPECT_EQ(index_->Get("p1")->version, 1u);
}

TEST_F(DocumentRoundTripTest, UpdateOfMissingDocumentIsNotFound) {
  auto r = index_->Update("nope", R"({"price":5})");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsNotFound());
}

TEST_F(DocumentRoundTripTest, DeleteRemovesFromCatalogAndSearch) {
  ASSERT_TRUE(index_->Put("p1", R"({"name":"changyutgich"})").ok());
  ASSERT_TRUE(index_->Refresh().ok());
  ASSERT_EQ(MustSearch(*index_, MatchRequest("changyutgich")).total, 1u);
  auto del = index_->Delete("p1");
  ASSERT_TRUE(del.ok());
  EXPECT_EQ(del->kind, WriteResult::Kind::kDeleted);
  EXPECT_TRUE(index_->Get("p1").status().IsNotFound());
  ASSERT_TRUE(index_->Refresh().ok());
  EXPECT_EQ(MustSearch(*index_, MatchRequest("changyutgich")).total, 0u);
  auto again = index_->Delete("p1");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->kind, WriteResult::Kind::kNotFound);
}

TEST_F(DocumentRoundTripTest, BatchReportsEachOperationAndAppliesTheGoodOnes) {
  std::vector<WriteOp> ops = {
      {WriteOp::Type::kIndex, "a", R"({"name":"one","price":1})"},
      {WriteOp::Type::kIndex, "b", R"({"name":"two","price":"not a number"})"},
      {WriteOp::Type::kCreate, "", R"({"name":"auto id"})"},
      {WriteOp::Type::kUpdate, "a", R"({"price":2})"},
      {WriteOp::Type::kDelete, "zzz", ""},
      {WriteOp::Type::kIndex, "c", "{broken"},
  };
  auto results = index_->Write(ops);
  ASSERT_TRUE(results.ok());
  ASSERT_EQ(results->size(), ops.size());
  EXPECT_TRUE((*results)[0].status.ok());
  EXPECT_TRUE((*results)[1].status.IsInvalidArgument());
  ASSERT_TRUE((*results)[2].status.ok());
  EXPECT_EQ((*results)[2].result.id.size(), 20u);
  EXPECT_TRUE((*results)[3].status.ok());
  EXPECT_EQ((*results)[3].result.version, 2u);
  EXPECT_EQ((*results)[4].result.kind, WriteResult::Kind::kNotFound);
  EXPECT_TRUE((*results)[5].status.IsInvalidArgument());
  EXPECT_TRUE(index_->Get("b").status().IsNotFound());
  EXPECT_TRUE(index_->Get("c").status().IsNotFound());
  EXPECT_TRUE(index_->Get((*results)[2].result.id).ok());
  EXPECT_EQ(json::parse(index_->Get("a")->source_json).at("price"), 2);
  auto stats = index_->Stats();
  EXPECT_EQ(stats->documents, 2u);
}

TEST_F(DocumentRoundTripTest, DocumentsSurviveReopen) {
  ASSERT_TRUE(index_->Put("p1", R"({"name":"Televizor LG"})").ok());
  ASSERT_TRUE(index_->Put("p2", R"({"name":"Telefon Xiaomi"})").ok());
  ASSERT_TRUE(index_->Delete("p2").ok());
  index_.reset();
  engine_.reset();  // closing without a refresh; the crash test covers replay after SIGKILL
  engine_ = OpenTestEngine(dir_.str());
  auto index = engine_->GetIndex("products");
  ASSERT_TRUE(index.ok());
  EXPECT_TRUE(index.value()->Get("p1").ok());
  EXPECT_TRUE(index.value()->Get("p2").status().IsNotFound());
  EXPECT_EQ(MustSearch(*index.value(), MatchRequest("televizor")).total, 1u);
  auto stats = index.value()->Stats();
  EXPECT_EQ(stats->documents, 1u);
  EXPECT_EQ(stats->indexed_documents, 1u);
}

TEST_F(DocumentRoundTripTest, StatsReportSizeAndSequences) {
  ASSERT_TRUE(index_->Put("p1", R"({"name":"x"})").ok());
  auto before = index_->Stats();
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->last_sequence, 1u);
  EXPECT_EQ(before->last_indexed_sequence, 0u);
  ASSERT_TRUE(index_->Refresh().ok());
  auto after = index_->Stats();
  EXPECT_EQ(after->last_indexed_sequence, 1u);
  EXPECT_GT(after->size_on_disk_bytes, 0u);
}

TEST(EngineTest, IndicesAreCreatedListedAndDeleted) {
  TempDir dir;
  auto engine = OpenTestEngine(dir.str());
  ASSERT_TRUE(engine->CreateIndex("shop", {}).ok());
  EXPECT_TRUE(engine->CreateIndex("shop", {}).status().IsConflict());
  EXPECT_TRUE(engine->CreateIndex("Bad", {}).status().IsInvalidArgument());
  EXPECT_TRUE(engine->CreateIndex("_x", {}).status().IsInvalidArgument());
  EXPECT_TRUE(engine->GetIndex("missing").status().IsNotFound());
  EXPECT_EQ(engine->ListIndices(), std::vector<std::string>{"shop"});
  ASSERT_TRUE(engine->DeleteIndex("shop").ok());
  EXPECT_TRUE(engine->ListIndices().empty());
  EXPECT_TRUE(engine->DeleteIndex("shop").IsNotFound());
}

TEST(EngineTest, DeletingAnIndexClosesHandlesAndANewOneStartsEmpty) {
  TempDir dir;
  auto engine = OpenTestEngine(dir.str(), std::chrono::milliseconds(10));
  auto held = engine->GetOrCreateIndex("shop").value();
  ASSERT_TRUE(held->Put("old", R"({"name":"eski"})").ok());
  ASSERT_TRUE(engine->DeleteIndex("shop").ok());
  auto stale = held->Put("late", R"({"name":"kech"})");
  EXPECT_EQ(stale.status().code(), Status::Code::kUnavailable) << stale.status().ToString();
  auto fresh = engine->GetOrCreateIndex("shop").value();
  EXPECT_TRUE(fresh->Get("old").status().IsNotFound());
  ASSERT_TRUE(fresh->Put("new", R"({"name":"yangi"})").ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the old handle's refresh thread is gone
  held.reset();
  EXPECT_EQ(fresh->Stats()->documents, 1u);
  EXPECT_EQ(engine->ListIndices(), std::vector<std::string>{"shop"});
}

TEST(EngineTest, SecondProcessOnTheSameDataDirectoryIsBusy) {
  TempDir dir;
  auto engine = OpenTestEngine(dir.str());
  ASSERT_NE(engine, nullptr);
  auto result = RunUltrasearch({"search", "--data", dir.str(), "anything"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("in use"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace ultrasearch::testing
