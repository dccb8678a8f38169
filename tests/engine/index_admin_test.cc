// Mapping updates and dynamic settings through the engine API, as PUT /INDEX/_mapping and
// PUT /INDEX/_settings use them: new fields, Elasticsearch's conflicts, refresh_interval, and both
// surviving a reopen.
#include <thread>

#include "engine/engine_test_util.h"

namespace ultrasearch::testing {
namespace {

using namespace std::chrono_literals;

TermQuery Term(std::string field, std::string value) { return TermQuery{std::move(field), {std::move(value)}}; }

uint64_t CountOf(const Index& index, Query q) {
  auto n = index.Count(q);
  EXPECT_TRUE(n.ok()) << n.status().ToString();
  return n.ok() ? n.value() : 0;
}

class IndexAdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = OpenTestEngine(dir_.str());
    ASSERT_NE(engine_, nullptr);
    IndexSettings settings;
    // dynamic false: unknown fields are stored but not indexed until the mapping names them.
    settings.mappings_json = R"({"dynamic":false,"properties":{"name":{"type":"text"}}})";
    auto index = engine_->CreateIndex("shop", settings);
    ASSERT_TRUE(index.ok()) << index.status().ToString();
    index_ = index.value();
  }
  TempDir dir_;
  std::unique_ptr<Engine> engine_;
  std::shared_ptr<Index> index_;
};

TEST_F(IndexAdminTest, AnAddedFieldIsSearchableInDocumentsWrittenAfterIt) {
  ASSERT_TRUE(index_->Put("1", R"({"name":"ko'ylak","color":"red"})").ok());
  ASSERT_TRUE(index_->Put("2", R"({"name":"shim","color":"blue"})").ok());
  ASSERT_TRUE(index_->Refresh().ok());
  EXPECT_EQ(index_->MappingsJson().find("color"), std::string::npos);

  ASSERT_TRUE(index_->PutMapping(R"({"properties":{"color":{"type":"keyword"}}})").ok());
  EXPECT_NE(index_->MappingsJson().find(R"("color":{"type":"keyword"})"), std::string::npos) << index_->MappingsJson();
  // Stored documents are not re-analysed by the mapping change itself (as in Elasticsearch)...
  EXPECT_EQ(CountOf(*index_, Query{Term("color", "red")}), 0u);
  // ...but are once written again (what _update_by_query does).
  ASSERT_TRUE(index_->Put("1", index_->Get("1").value().source_json).ok());
  ASSERT_TRUE(index_->Put("3", R"({"name":"ko'ylak","color":"red"})").ok());
  ASSERT_TRUE(index_->Refresh().ok());
  EXPECT_EQ(CountOf(*index_, Query{Term("color", "red")}), 2u);
  EXPECT_EQ(CountOf(*index_, Query{Term("color", "blue")}), 0u);
}

TEST_F(IndexAdminTest, ConflictingChangesAreRefusedAndChangeNothing) {
  ASSERT_TRUE(index_->PutMapping(R"({"properties":{"color":{"type":"keyword"}}})").ok());
  const std::string before = index_->MappingsJson();

  Status s = index_->PutMapping(R"({"properties":{"color":{"type":"long"}}})");
  ASSERT_TRUE(s.IsInvalidArgument());
  EXPECT_EQ(s.message(), "mapper [color] cannot be changed from type [keyword] to [long]");
  s = index_->PutMapping(R"({"properties":{"name":{"type":"text","analyzer":"ru"}}})");
  ASSERT_TRUE(s.IsInvalidArgument());
  EXPECT_EQ(s.message(),
            "Mapper for [name] conflicts with existing mapper:\n\tCannot update parameter [analyzer] from [standard] to [ru]");
  // A list with a valid new field and a conflict applies neither.
  s = index_->PutMapping(R"({"properties":{"size":{"type":"keyword"},"color":{"type":"text"}}})");
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_TRUE(index_->PutMapping("not json").IsInvalidArgument());
  EXPECT_EQ(index_->MappingsJson(), before);

  // Giving a field again as it is, with a new one, is fine (idempotent updates).
  ASSERT_TRUE(index_->PutMapping(R"({"properties":{"name":{"type":"text"},"color":{"type":"keyword"},
                                                    "size":{"type":"keyword"}}})")
                  .ok());
  EXPECT_NE(index_->MappingsJson().find("size"), std::string::npos);
}

TEST_F(IndexAdminTest, MappingAndSettingsSurviveAReopen) {
  ASSERT_TRUE(index_->PutMapping(R"({"dynamic":true,"properties":{"color":{"type":"keyword"}}})").ok());
  ASSERT_TRUE(index_->UpdateSettings(R"({"index":{"refresh_interval":"-1","number_of_replicas":0}})").ok());
  index_.reset();
  engine_.reset();
  engine_ = OpenTestEngine(dir_.str());
  ASSERT_NE(engine_, nullptr);
  index_ = engine_->GetIndex("shop").value();
  EXPECT_NE(index_->MappingsJson().find(R"("color":{"type":"keyword"})"), std::string::npos);
  // dynamic is back to Elasticsearch's default (true), which GET _mapping does not print.
  EXPECT_EQ(index_->MappingsJson().find(R"("dynamic")"), std::string::npos) << index_->MappingsJson();
  EXPECT_EQ(index_->SettingsJson(), R"({"index":{"number_of_replicas":"0","refresh_interval":"-1"}})");
  // dynamic is true now: a new field maps itself.
  ASSERT_TRUE(index_->Put("1", R"({"name":"x","brand":"acme"})").ok());
  EXPECT_NE(index_->MappingsJson().find("brand"), std::string::npos);
}

TEST_F(IndexAdminTest, SettingsUpdatesFollowElasticsearchRules) {
  EXPECT_EQ(index_->SettingsJson(), "{}");
  ASSERT_TRUE(index_->UpdateSettings(R"({"index.refresh_interval":"30s"})").ok());
  EXPECT_EQ(index_->SettingsJson(), R"({"index":{"refresh_interval":"30s"}})");
  ASSERT_TRUE(index_->UpdateSettings(R"({"refresh_interval":null})").ok());  // back to the default
  EXPECT_EQ(index_->SettingsJson(), "{}");

  Status s = index_->UpdateSettings(R"({"index":{"number_of_shards":2}})");
  ASSERT_TRUE(s.IsInvalidArgument());
  EXPECT_EQ(s.message(), "Can't update non dynamic settings [[index.number_of_shards]] for open indices [[shop]]");
  s = index_->UpdateSettings(R"({"index":{"flux_capacitor":1}})");
  ASSERT_TRUE(s.IsInvalidArgument());
  EXPECT_EQ(s.message().rfind("unknown setting [index.flux_capacitor]", 0), 0u) << s.message();
  s = index_->UpdateSettings(R"({"index":{"refresh_interval":"soon"}})");
  ASSERT_TRUE(s.IsInvalidArgument());
  EXPECT_EQ(s.message(),
            "failed to parse setting [index.refresh_interval] with value [soon] as a time value: unit is missing or "
            "unrecognized");
  EXPECT_EQ(index_->SettingsJson(), "{}");
}

// With the engine's background refresh on, refresh_interval -1 stops periodic visibility; an
// explicit refresh still works, and a positive interval brings periodic refreshes back.
TEST(IndexRefreshIntervalTest, MinusOneStopsPeriodicRefreshes) {
  TempDir dir;
  auto engine = OpenTestEngine(dir.str(), 20ms);
  ASSERT_NE(engine, nullptr);
  auto index = engine->GetOrCreateIndex("shop").value();
  ASSERT_TRUE(index->UpdateSettings(R"({"index":{"refresh_interval":"-1"}})").ok());
  ASSERT_TRUE(index->Put("1", R"({"name":"telefon"})").ok());
  // Many periods of the engine's default pass without the write becoming searchable.
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(CountOf(*index, Query{}), 0u);
  ASSERT_TRUE(index->Refresh().ok());
  EXPECT_EQ(CountOf(*index, Query{}), 1u);

  ASSERT_TRUE(index->UpdateSettings(R"({"index":{"refresh_interval":"20ms"}})").ok());
  ASSERT_TRUE(index->Put("2", R"({"name":"telefon"})").ok());
  uint64_t seen = 0;
  for (int i = 0; i < 1000 && seen < 2; ++i) {  // bounded wait for the periodic refresh
    std::this_thread::sleep_for(10ms);
    seen = CountOf(*index, Query{});
  }
  EXPECT_EQ(seen, 2u);
}

}  // namespace
}  // namespace ultrasearch::testing
