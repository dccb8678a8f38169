// The mapping storage codec (engine/src/mapping/mapping_codec.h) on its own, as LevelDB tests
// VersionEdit: encode → decode is lossless, and bytes the first engine wrote (format 1) still load,
// with what they held that its reader used to drop (a dynamic template's search_analyzer, boost
// and sub-fields).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "mapping/mapping_codec.h"
#include "mapping/mapping_json.h"
#include "support/json_normalize.h"
#include "ultrasearch_analyzers/builtin.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;

// A products-like mapping exactly as format 1 stored it (Mapping::Serialize of the first engine):
// the catalog fields, a dynamic field with a sub-field, and a template with every leaf parameter.
constexpr const char* kVersion1 = R"({"format":1,"dynamic":"true","date_detection":true,"next_ordinal":6,
 "fields":[
  {"type":"keyword","name":"id","path":"id","ordinal":1},
  {"type":"text","analyzer":"catalog","boost":3E0,"name":"name","path":"name","ordinal":2},
  {"type":"keyword","ignore_above":256,"name":"attributes.color","path":"attributes.color","ordinal":3},
  {"type":"text","analyzer":"uz","search_analyzer":"standard","boost":2E0,"name":"title","path":"title","ordinal":4,
   "subfields":[{"type":"keyword","ignore_above":64,"name":"title.raw","path":"title","ordinal":5}]}],
 "objects":["attributes"],
 "dynamic_templates":[
  {"attributes_as_keywords":{"path_match":"attributes.*","mapping":{"type":"keyword","ignore_above":256}}},
  {"strings":{"match_mapping_type":"string","mapping":{"type":"text","analyzer":"uz","search_analyzer":"standard",
   "boost":2E0,"fields":{"raw":{"type":"keyword","ignore_above":64}}}}}]})";

void ExpectSameModel(const Mapping& a, const Mapping& b) {
  EXPECT_EQ(Normalized(json::parse(MappingToJson(a))), Normalized(json::parse(MappingToJson(b))));
  EXPECT_EQ(a.default_analyzer(), b.default_analyzer());
  EXPECT_EQ(a.next_ordinal(), b.next_ordinal());
  auto fa = a.AllFields(), fb = b.AllFields();
  ASSERT_EQ(fa.size(), fb.size());
  for (size_t i = 0; i < fa.size(); ++i) {
    EXPECT_EQ(fa[i]->name, fb[i]->name);
    EXPECT_EQ(fa[i]->ordinal, fb[i]->ordinal) << fa[i]->name;
    EXPECT_EQ(fa[i]->analyzer, fb[i]->analyzer) << fa[i]->name;
    EXPECT_EQ(fa[i]->analyzer_declared, fb[i]->analyzer_declared) << fa[i]->name;
  }
}

TEST(MappingCodecTest, FormatOneLoadsWithEverythingItStored) {
  auto decoded = DecodeMapping(kVersion1);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  Mapping& m = decoded.value();
  // GET _mapping shows what the first engine showed, templates now complete.
  json::value expected = json::parse(R"({
    "dynamic_templates":[
      {"attributes_as_keywords":{"path_match":"attributes.*","mapping":{"type":"keyword","ignore_above":256}}},
      {"strings":{"match_mapping_type":"string","mapping":{"type":"text","analyzer":"uz","search_analyzer":"standard",
        "boost":2.0,"fields":{"raw":{"type":"keyword","ignore_above":64}}}}}],
    "properties":{
      "id":{"type":"keyword"},
      "name":{"type":"text","analyzer":"catalog","boost":3.0},
      "attributes":{"properties":{"color":{"type":"keyword","ignore_above":256}}},
      "title":{"type":"text","analyzer":"uz","search_analyzer":"standard","boost":2.0,
               "fields":{"raw":{"type":"keyword","ignore_above":64}}}}})");
  EXPECT_EQ(Normalized(json::parse(MappingToJson(m))), Normalized(expected)) << MappingToJson(m);
  EXPECT_EQ(m.Find("title.raw")->ordinal, 5u) << "ordinals are kept";
  EXPECT_EQ(m.default_analyzer(), "catalog") << "format 1 analysed every undeclared text field with catalog";

  // A string field created now comes from the template with all it declared.
  FieldMapping note = m.MapDynamicField("note", JsonKind::kString, "Qora");
  EXPECT_EQ(note.type, FieldType::kText);
  EXPECT_EQ(note.analyzer, "uz");
  EXPECT_EQ(note.search_analyzer, "standard");
  EXPECT_EQ(note.boost, 2.0);
  ASSERT_EQ(note.subfields.size(), 1u);
  EXPECT_EQ(note.subfields[0].name, "note.raw");
  EXPECT_EQ(note.subfields[0].ignore_above, 64u);
  ASSERT_TRUE(m.AddField(std::move(note)).ok());
  EXPECT_EQ(m.Find("note")->ordinal, 6u) << "new ordinals continue after the stored next_ordinal";
  EXPECT_EQ(m.Find("note.raw")->ordinal, 7u);

  // Written again it is format 2 (it declares no index_options) and reads back the same.
  std::string encoded = EncodeMapping(m);
  EXPECT_EQ(json::parse(encoded).at("format"), 2);
  auto again = DecodeMapping(encoded);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  ExpectSameModel(m, again.value());
}

TEST(MappingCodecTest, EncodeDecodeIsLosslessForEveryFeature) {
  auto analyzers = analyzers::MakeBuiltinAnalyzers();
  auto parsed = ParseMappingJson(R"({"dynamic":"strict","date_detection":false,
    "dynamic_templates":[
      {"t1":{"match":"*_t","unmatch":"x_*","path_match":"a.*","path_unmatch":"a.b.*","match_mapping_type":"string",
             "mapping":{"type":"text","analyzer":"ru","search_analyzer":"keyword","boost":1.5,
                        "fields":{"kw":{"type":"keyword","ignore_above":10,"doc_values":false}}}}},
      {"t2":{"match":"d_*","mapping":{"type":"{dynamic_type}","index":false}}},
      {"t3":{"match":"u_*","mapping":{"store":true}}}],
    "properties":{
      "title":{"type":"text","norms":false,"similarity":"BM25","fields":{"std":{"type":"text","analyzer":"standard"}}},
      "sku":{"type":"keyword","null_value":"NONE","index":false},
      "price":{"type":"double","coerce":false,"null_value":0.5},
      "when":{"type":"date","format":"epoch_millis"},
      "meta":{"dynamic":true,"properties":{"x":{"type":"long","doc_values":false}}},
      "vars":{"type":"nested","dynamic":false,"properties":{"sku":{"type":"keyword"}}}}})",
                                 *analyzers, "uz");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  Mapping original = std::move(parsed.value());
  ASSERT_TRUE(original.AddField(original.MapDynamicField("meta.y_t", JsonKind::kString, "q")).ok());
  auto decoded = DecodeMapping(EncodeMapping(original));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ExpectSameModel(original, decoded.value());
  EXPECT_EQ(decoded->DynamicFor("vars"), DynamicMode::kFalse);
  EXPECT_EQ(decoded->DynamicFor("meta"), DynamicMode::kTrue);
  EXPECT_EQ(decoded->DynamicFor(""), DynamicMode::kStrict);
  EXPECT_EQ(decoded->Find("title")->analyzer, "uz") << "the index default, not shown but kept";
  EXPECT_FALSE(decoded->Find("title")->analyzer_declared);
  FieldMapping d = decoded->MapDynamicField("d_on", JsonKind::kBoolean, "true");
  EXPECT_EQ(d.type, FieldType::kBoolean);
  EXPECT_EQ(d.index, std::optional<bool>(false));
  FieldMapping u = decoded->MapDynamicField("u_name", JsonKind::kString, "x");
  EXPECT_EQ(u.type, FieldType::kText);
  EXPECT_TRUE(u.subfields.empty()) << "a template's mapping replaces the default .keyword";
  EXPECT_EQ(u.analyzer, "uz");
}

// index_options is kept, and only a mapping that declares it is written as format 3: a format-2
// reader would ignore it and index the positions the field was declared without.
TEST(MappingCodecTest, IndexOptionsRoundTripAsFormatThree) {
  auto analyzers = analyzers::MakeBuiltinAnalyzers();
  auto parsed = ParseMappingJson(R"({
    "dynamic_templates":[{"notes":{"match":"*_notes","mapping":{"type":"text","index_options":"docs"}}}],
    "properties":{
      "title":{"type":"text"},
      "body":{"type":"text","index_options":"freqs","fields":{"raw":{"type":"keyword","index_options":"freqs"}}},
      "marked":{"type":"text","index_options":"offsets"}}})",
                                 *analyzers, "uz");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  std::string encoded = EncodeMapping(parsed.value());
  EXPECT_EQ(json::parse(encoded).at("format"), 3);
  auto decoded = DecodeMapping(encoded);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ExpectSameModel(parsed.value(), decoded.value());
  EXPECT_FALSE(decoded->Find("title")->index_options.has_value());
  EXPECT_TRUE(decoded->Find("title")->IndexesPositions());
  EXPECT_EQ(decoded->Find("body")->index_options, std::optional<IndexOptions>(IndexOptions::kFreqs));
  EXPECT_FALSE(decoded->Find("body")->IndexesPositions());
  EXPECT_TRUE(decoded->Find("body")->IndexesFrequencies());
  EXPECT_EQ(decoded->Find("body.raw")->index_options, std::optional<IndexOptions>(IndexOptions::kFreqs));
  EXPECT_TRUE(decoded->Find("marked")->IndexesPositions());
  FieldMapping notes = decoded->MapDynamicField("shop_notes", JsonKind::kString, "x");
  EXPECT_EQ(notes.index_options, std::optional<IndexOptions>(IndexOptions::kDocs));
  EXPECT_FALSE(notes.IndexesFrequencies());

  // Without it, format 2 as before.
  auto plain = ParseMappingJson(R"({"properties":{"title":{"type":"text"}}})", *analyzers, "uz");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(json::parse(EncodeMapping(plain.value())).at("format"), 2);
}

// Autocomplete field types: search_as_you_type keeps its generated shingle sub-fields (with their
// own ordinals and shingle sizes) and prints as declared; completion keeps its type and analyzer.
TEST(MappingCodecTest, SearchAsYouTypeAndCompletionRoundTrip) {
  auto analyzers = analyzers::MakeBuiltinAnalyzers();
  auto parsed = ParseMappingJson(R"({"properties":{
      "title":{"type":"search_as_you_type","analyzer":"catalog","max_shingle_size":4},
      "suggest":{"type":"completion","analyzer":"ru"}}})",
                                 *analyzers, "standard");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const FieldMapping* title = parsed->Find("title");
  ASSERT_NE(title, nullptr);
  EXPECT_EQ(title->type, FieldType::kText);
  ASSERT_NE(parsed->Find("title._4gram"), nullptr);
  EXPECT_EQ(parsed->Find("title._4gram")->shingle_size, 4u);
  EXPECT_EQ(parsed->Find("title._2gram")->analyzer, "catalog");
  EXPECT_EQ(parsed->Find("title._5gram"), nullptr);
  auto decoded = DecodeMapping(EncodeMapping(parsed.value()));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ExpectSameModel(parsed.value(), decoded.value());
  EXPECT_EQ(decoded->Find("title._3gram")->shingle_size, 3u);
  EXPECT_EQ(decoded->Find("suggest")->type, FieldType::kCompletion);
  EXPECT_EQ(json::parse(MappingToJson(decoded.value())).at("properties"),
            json::parse(R"({"title":{"type":"search_as_you_type","analyzer":"catalog","max_shingle_size":4},
                            "suggest":{"type":"completion","analyzer":"ru","preserve_separators":true,
                                       "preserve_position_increments":true,"max_input_length":50}})"));
  // Elasticsearch's limits on max_shingle_size, and completion parameters at other than their defaults.
  EXPECT_FALSE(ParseMappingJson(R"({"properties":{"t":{"type":"search_as_you_type","max_shingle_size":5}}})",
                                *analyzers, "standard").ok());
  EXPECT_FALSE(ParseMappingJson(R"({"properties":{"s":{"type":"completion","max_input_length":20}}})",
                                *analyzers, "standard").ok());
}

TEST(MappingCodecTest, CorruptOrNewerBytesAreCorruption) {
  for (const char* bad : {"", "[]", "{\"format\":2}", "{\"format\":3,\"fields\":[]}", "not json",
                          R"({"format":2,"dynamic":"maybe","date_detection":true,"default_analyzer":"x",
                              "next_ordinal":1,"fields":[],"objects":[],"dynamic_templates":[]})"}) {
    EXPECT_EQ(DecodeMapping(bad).status().code(), Status::Code::kCorruption) << bad;
  }
}

}  // namespace
}  // namespace ultrasearch::testing
