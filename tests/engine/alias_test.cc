// Aliases through the engine API: an action list applies whole or not at all, survives a reopen,
// follows Elasticsearch's write-index rules, and goes with the index it points to.
#include "engine/engine_test_util.h"

namespace ultrasearch::testing {
namespace {

AliasAction Add(std::string index, std::string alias, std::optional<bool> is_write = std::nullopt) {
  AliasAction a;
  a.type = AliasAction::Type::kAdd;
  a.indices = {std::move(index)};
  a.aliases = {std::move(alias)};
  a.is_write_index = is_write;
  return a;
}

AliasAction Remove(std::string index, std::string alias) {
  AliasAction a;
  a.type = AliasAction::Type::kRemove;
  a.indices = {std::move(index)};
  a.aliases = {std::move(alias)};
  return a;
}

AliasAction RemoveIndex(std::string index) {
  AliasAction a;
  a.type = AliasAction::Type::kRemoveIndex;
  a.indices = {std::move(index)};
  return a;
}

class AliasTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = OpenTestEngine(dir_.str());
    ASSERT_NE(engine_, nullptr);
    for (const char* name : {"catalog-1", "catalog-2", "other"}) {
      ASSERT_TRUE(engine_->CreateIndex(name, IndexSettings{}).ok());
    }
  }
  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

using Names = std::vector<std::string>;

TEST_F(AliasTest, AnAliasOfOneIndexTakesItsWrites) {
  ASSERT_TRUE(engine_->UpdateAliases({Add("catalog-1", "products")}).ok());
  EXPECT_EQ(engine_->IndicesOfAlias("products"), Names{"catalog-1"});
  EXPECT_EQ(engine_->IndicesOfAlias("catalog-1"), Names{});  // an index is not an alias
  EXPECT_EQ(engine_->WriteIndexOf("products").value(), "catalog-1");
  EXPECT_EQ(engine_->WriteIndexOf("other").value(), "other");
}

TEST_F(AliasTest, TheSwapIsOneAtomicActionList) {
  ASSERT_TRUE(engine_->UpdateAliases({Add("catalog-1", "products")}).ok());
  ASSERT_TRUE(engine_->UpdateAliases({Remove("catalog-1", "products"), Add("catalog-2", "products")}).ok());
  EXPECT_EQ(engine_->IndicesOfAlias("products"), Names{"catalog-2"});
  // A list whose last action fails changes nothing, though its first one was valid.
  Status s = engine_->UpdateAliases({Add("catalog-1", "products"), Add("missing", "products")});
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  EXPECT_EQ(engine_->IndicesOfAlias("products"), Names{"catalog-2"});
}

TEST_F(AliasTest, SeveralIndicesHaveNoWriteIndexUntilOneIsMarked) {
  ASSERT_TRUE(engine_->UpdateAliases({Add("catalog-1", "all"), Add("catalog-2", "all")}).ok());
  EXPECT_EQ(engine_->IndicesOfAlias("all"), (Names{"catalog-1", "catalog-2"}));
  auto none = engine_->WriteIndexOf("all");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("no write index is defined for alias [all]"), std::string::npos);
  ASSERT_TRUE(engine_->UpdateAliases({Add("catalog-2", "all", true)}).ok());
  EXPECT_EQ(engine_->WriteIndexOf("all").value(), "catalog-2");
  // Two write indices are refused, and the refusal changes nothing.
  EXPECT_EQ(engine_->UpdateAliases({Add("catalog-1", "all", true)}).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(engine_->WriteIndexOf("all").value(), "catalog-2");
  // One index marked false takes no writes even alone.
  ASSERT_TRUE(engine_->UpdateAliases({Add("other", "solo", false)}).ok());
  EXPECT_FALSE(engine_->WriteIndexOf("solo").ok());
}

TEST_F(AliasTest, NamesFollowElasticsearchRules) {
  EXPECT_EQ(engine_->UpdateAliases({Add("catalog-1", "other")}).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(engine_->UpdateAliases({Add("catalog-1", "_bad")}).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(engine_->UpdateAliases({Add("catalog-1", "a*")}).code(), Status::Code::kInvalidArgument);
  ASSERT_TRUE(engine_->UpdateAliases({Add("catalog-1", "products")}).ok());
  // An index may not take an alias's name either.
  EXPECT_EQ(engine_->CreateIndex("products", IndexSettings{}).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(engine_->GetOrCreateIndex("products").status().code(), Status::Code::kInvalidArgument);
}

TEST_F(AliasTest, RemovingWhatIsNotThereFailsUnlessToldOtherwise) {
  EXPECT_TRUE(engine_->UpdateAliases({Remove("catalog-1", "nothing")}).IsNotFound());
  AliasAction lenient = Remove("catalog-1", "nothing");
  lenient.must_exist = false;
  EXPECT_TRUE(engine_->UpdateAliases({lenient}).ok());
}

TEST_F(AliasTest, PatternsReachEveryMatchingIndexAndAlias) {
  AliasAction add = Add("catalog-*", "products");
  ASSERT_TRUE(engine_->UpdateAliases({add, Add("other", "products-old")}).ok());
  EXPECT_EQ(engine_->IndicesOfAlias("products"), (Names{"catalog-1", "catalog-2"}));
  ASSERT_TRUE(engine_->UpdateAliases({Remove("*", "products*")}).ok());
  EXPECT_TRUE(engine_->ListAliases().empty());
}

TEST_F(AliasTest, RemoveIndexDeletesItWithTheSwap) {
  ASSERT_TRUE(engine_->UpdateAliases({Add("catalog-1", "products")}).ok());
  ASSERT_TRUE(engine_->UpdateAliases({Add("catalog-2", "products"), RemoveIndex("catalog-1")}).ok());
  EXPECT_EQ(engine_->IndicesOfAlias("products"), Names{"catalog-2"});
  EXPECT_EQ(engine_->ListIndices(), (Names{"catalog-2", "other"}));
  EXPECT_TRUE(engine_->GetIndex("catalog-1").status().IsNotFound());
}

// The first whole-catalog replacement turns a concrete index into an alias of the same name: one
// list removes the index and adds the alias in its place.
TEST_F(AliasTest, AnIndexIsReplacedByAnAliasOfTheSameNameInOneList) {
  ASSERT_TRUE(engine_->CreateIndex("shop", IndexSettings{}).ok());
  // Alone, the add is refused: an alias cannot share a name with an index.
  EXPECT_TRUE(engine_->UpdateAliases({Add("catalog-1", "shop")}).IsInvalidArgument());
  // Removed first in the same list, the index no longer stands in the way.
  ASSERT_TRUE(engine_->UpdateAliases({RemoveIndex("shop"), Add("catalog-1", "shop")}).ok());
  EXPECT_EQ(engine_->IndicesOfAlias("shop"), Names{"catalog-1"});
  EXPECT_EQ(engine_->ListIndices(), (Names{"catalog-1", "catalog-2", "other"}));
  EXPECT_EQ(engine_->WriteIndexOf("shop").value(), "catalog-1");
  // The other order still fails, and changes nothing.
  ASSERT_TRUE(engine_->CreateIndex("shop2", IndexSettings{}).ok());
  EXPECT_TRUE(engine_->UpdateAliases({Add("catalog-2", "shop2"), RemoveIndex("shop2")}).IsInvalidArgument());
  EXPECT_TRUE(engine_->GetIndex("shop2").ok());
  EXPECT_TRUE(engine_->IndicesOfAlias("shop2").empty());
}

// A crash after the alias list was stored but before the removed index was deleted leaves an index
// directory named as an alias; the next open finishes the deletion.
TEST_F(AliasTest, AnInterruptedRemoveIndexIsFinishedAtOpen) {
  ASSERT_TRUE(engine_->CreateIndex("legacy", IndexSettings{}).ok());
  ASSERT_TRUE(engine_->GetIndex("legacy").value()->Put("1", R"({"name":"eski"})").ok());
  engine_.reset();
  // The registry as UpdateAliases({remove_index legacy, add catalog-2 as legacy}) stores it.
  WriteFile(dir_.path() / "aliases.json", R"({"format":1,"aliases":{"legacy":{"catalog-2":{}}}})");
  engine_ = OpenTestEngine(dir_.str());
  ASSERT_NE(engine_, nullptr);
  EXPECT_EQ(engine_->ListIndices(), (Names{"catalog-1", "catalog-2", "other"}));
  EXPECT_EQ(engine_->IndicesOfAlias("legacy"), Names{"catalog-2"});
  EXPECT_EQ(engine_->WriteIndexOf("legacy").value(), "catalog-2");
}

TEST_F(AliasTest, DeletingAnIndexDropsItsAliases) {
  ASSERT_TRUE(engine_->UpdateAliases({Add("catalog-1", "products"), Add("catalog-2", "products")}).ok());
  ASSERT_TRUE(engine_->DeleteIndex("catalog-1").ok());
  EXPECT_EQ(engine_->IndicesOfAlias("products"), Names{"catalog-2"});
  ASSERT_TRUE(engine_->DeleteIndex("catalog-2").ok());
  EXPECT_TRUE(engine_->ListAliases().empty());
}

TEST_F(AliasTest, AliasesSurviveAReopen) {
  ASSERT_TRUE(engine_->UpdateAliases({Add("catalog-1", "products"), Add("catalog-2", "products", true),
                                      Add("other", "misc")})
                  .ok());
  engine_.reset();
  engine_ = OpenTestEngine(dir_.str());
  ASSERT_NE(engine_, nullptr);
  auto entries = engine_->ListAliases();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].alias, "misc");
  EXPECT_EQ(entries[1].alias, "products");
  EXPECT_EQ(entries[1].index, "catalog-1");
  EXPECT_FALSE(entries[1].is_write_index.has_value());
  EXPECT_EQ(entries[2].index, "catalog-2");
  EXPECT_EQ(entries[2].is_write_index, std::optional<bool>(true));
  EXPECT_EQ(engine_->WriteIndexOf("products").value(), "catalog-2");
}

}  // namespace
}  // namespace ultrasearch::testing
