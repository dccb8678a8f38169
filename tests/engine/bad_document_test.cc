// Bad documents are rejected with a clear reason and change nothing: not the catalog, not the
// mapping, not the sequence, not the text index.
#include "engine/engine_test_util.h"
#include "ultrasearch/utf8.h"

namespace ultrasearch::testing {
namespace {

struct BadCase {
  const char* name;
  std::string json;
  std::string reason_fragment;
};

class BadDocumentTest : public ::testing::TestWithParam<BadCase> {};

std::string Repeat(const std::string& text, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += text;
  return out;
}

std::string Nested(int depth) {
  std::string s;
  for (int i = 0; i < depth; ++i) s += "{\"a\":";
  s += "1";
  for (int i = 0; i < depth; ++i) s += "}";
  return s;
}

TEST_P(BadDocumentTest, IsRejectedAndChangesNothing) {
  TempDir dir;
  auto engine = OpenTestEngine(dir.str());
  auto index = engine->GetOrCreateIndex("products").value();
  ASSERT_TRUE(index->Put("good", R"({"name":"Artel konditsioner","price":3500000,"in_stock":true,"attributes":{"color":"oq"}})").ok());
  ASSERT_TRUE(index->Refresh().ok());
  const std::string mapping_before = index->MappingsJson();
  const auto stats_before = index->Stats().value();

  auto result = index->Put("bad", GetParam().json);
  ASSERT_FALSE(result.ok()) << GetParam().name;
  EXPECT_TRUE(result.status().IsInvalidArgument()) << result.status().ToString();
  EXPECT_NE(result.status().message().find(GetParam().reason_fragment), std::string::npos)
      << GetParam().name << ": " << result.status().message();
  // The reason goes into a JSON reply: a preview of the value must not cut a character in two.
  EXPECT_TRUE(IsValidUtf8(result.status().message())) << GetParam().name;

  ASSERT_TRUE(index->Refresh().ok());
  const auto stats_after = index->Stats().value();
  EXPECT_EQ(index->MappingsJson(), mapping_before);
  EXPECT_EQ(stats_after.documents, stats_before.documents);
  EXPECT_EQ(stats_after.indexed_documents, stats_before.indexed_documents);
  EXPECT_EQ(stats_after.last_sequence, stats_before.last_sequence);
  EXPECT_TRUE(index->Get("bad").status().IsNotFound());
  EXPECT_EQ(index->Get("good")->version, 1u);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadDocumentTest,
    ::testing::Values(
        BadCase{"malformed", R"({"name":"x",)", "failed to parse"},
        BadCase{"array", R"([{"name":"x"}])", "must be a JSON object"},
        BadCase{"scalar", R"("just text")", "must be a JSON object"},
        BadCase{"number_field_gets_word", R"({"name":"x","price":"abc"})", "failed to parse field [price] of type [double]"},
        BadCase{"boolean_field_gets_number", R"({"name":"x","in_stock":5})", "[in_stock] of type [boolean]"},
        BadCase{"boolean_field_gets_object", R"({"name":"x","in_stock":{"a":1}})", "in_stock"},
        BadCase{"date_field_gets_word", R"({"name":"x","created_at":"yesterday"})", "[created_at] of type [date]"},
        // Its preview stops at 64 bytes, which here falls inside a two-byte letter.
        BadCase{"date_field_gets_long_cyrillic", R"({"name":"x","created_at":"2021-06-05x)" + Repeat("ж", 40) + R"("})",
                "Preview of field's value: '2021-06-05x" + Repeat("ж", 26) + "...'"},
        BadCase{"integer_overflow", R"({"name":"x","reviews":99999999999})", "[reviews] of type [integer]"},
        BadCase{"object_where_value_mapped", R"({"name":{"uz":"x"}})", "[name]"},
        BadCase{"value_where_object_mapped", R"({"name":"x","attributes":"red"})", "attributes"},
        BadCase{"new_field_under_a_value", R"({"name":"x","attributes":{"color":{"dark":true}}})", "attributes.color"},
        BadCase{"invalid_utf8", std::string("{\"name\":\"bad \xff\xfe bytes\"}"), "UTF"},
        BadCase{"too_deep", "{\"x\":" + Nested(30) + "}", "depth"},
        BadCase{"empty_field_name", R"({"":"x"})", "empty"},
        BadCase{"dotted_field_name", R"({"a..b":"x"})", "dots"}),
    [](const ::testing::TestParamInfo<BadCase>& info) { return std::string(info.param.name); });

TEST(BadIdTest, EmptyAndOverlongIdsAreRejected) {
  TempDir dir;
  auto engine = OpenTestEngine(dir.str());
  auto index = engine->GetOrCreateIndex("shop").value();
  EXPECT_TRUE(index->Put("", R"({"a":1})").status().IsInvalidArgument());
  // Elasticsearch's limit is 512 bytes of UTF-8; its message quotes the whole id.
  const std::string long_id(513, 'x');
  auto too_long = index->Put(long_id, R"({"a":1})");
  EXPECT_TRUE(too_long.status().IsInvalidArgument());
  EXPECT_EQ(too_long.status().message(),
            "id [" + long_id + "] is too long, must be no longer than 512 bytes but was: 513");
  EXPECT_EQ(index->Stats()->documents, 0u);
}

TEST(BadIdTest, TooManyFieldsAreRejected) {
  TempDir dir;
  auto engine = OpenTestEngine(dir.str());
  auto index = engine->GetOrCreateIndex("shop").value();
  std::string doc = "{";
  for (int i = 0; i < 1100; ++i) {
    doc += i ? ",\"f" : "\"f";
    doc += std::to_string(i);
    doc += "\":1";
  }
  doc += "}";
  auto r = index->Put("1", doc);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("Limit of total fields"), std::string::npos);
  EXPECT_EQ(index->MappingsJson(), R"({"properties":{}})");
}

}  // namespace
}  // namespace ultrasearch::testing
