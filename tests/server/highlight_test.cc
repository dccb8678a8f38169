// `highlight` in POST /INDEX/_search over HTTP: Elasticsearch's response shape (a `highlight`
// object per hit, field → fragments), the options' effect as seen by a client, and 400s naming
// what is wrong. The matching itself is covered in tests/engine/highlight_test.cc.
#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;

class HighlightHttpTest : public ServerTest {
 protected:
  static void SetUpTestSuite() {
    ServerTest::SetUpTestSuite();
    if (!server_->started()) return;
    BulkBody bulk;
    auto add = [&](const std::string& id, const std::string& doc) { bulk.Add("products", id, doc); };
    add("1", R"({"name":"Холодильник Samsung RB-34","brand":"Samsung","description":"Тихий холодильник. Большая камера."})");
    add("2", R"({"name":"Artel музлатгичи <HD>","brand":"Artel","description":"Ikki kamerali muzlatgich."})");
    add("3", R"({"name":"Чайник Tefal","brand":"Tefal"})");
    LoadBulk(bulk);
  }

  HttpResponse Search(const std::string& body) { return client().Post("/products/_search", body); }

  // The `highlight` object of the hit with `id`; null when the hit has none.
  static json::value HighlightOf(const HttpResponse& r, const std::string& id) {
    const json::value body = r.Json();
    for (const auto& hit : body.at("hits").at("hits").as_array()) {
      if (hit.at("_id") != id.c_str()) continue;
      if (const auto* h = hit.as_object().if_contains("highlight")) return *h;
      return nullptr;
    }
    ADD_FAILURE() << id << " is not a hit: " << r.body;
    return nullptr;
  }
};

TEST_F(HighlightHttpTest, ResponseShapeAsElasticsearch) {
  auto r = Search(R"({"query":{"match":{"name":"holodilnik"}},"highlight":{"fields":{"name":{},"description":{}}}})");
  ASSERT_EQ(r.status, 200) << r.body;
  // Only the field that matched, as an array of fragments; after _source in the hit.
  EXPECT_EQ(HighlightOf(r, "1"), json::parse(R"({"name":["<em>Холодильник</em> Samsung RB-34"]})"));
  const std::string& body = r.body;
  EXPECT_LT(body.find("\"_source\""), body.find("\"highlight\""));
}

TEST_F(HighlightHttpTest, ArrayFormWildcardsTagsAndEncoder) {
  auto r = Search(R"({"query":{"multi_match":{"query":"muzlatgich","fields":["name","description"]}},
                      "highlight":{"pre_tags":["<b>"],"post_tags":["</b>"],"encoder":"html",
                                   "fields":[{"name*":{}},{"desc*":{"number_of_fragments":0}}]}})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(HighlightOf(r, "2"), json::parse(R"({"name":["Artel <b>музлатгичи</b> &lt;HD&gt;"],
                                                  "description":["Ikki kamerali <b>muzlatgich</b>."]})"));
}

TEST_F(HighlightHttpTest, NoMatchSizeAndRequireFieldMatch) {
  auto r = Search(R"({"query":{"match":{"name":"tefal"}},
                      "highlight":{"fields":{"brand":{"require_field_match":false},"description":{"no_match_size":5}}}})");
  ASSERT_EQ(r.status, 200) << r.body;
  // A keyword value is marked when its indexed form equals a query term whole: the products
  // index's brand goes through the `catalog` normalizer, so "Tefal" is indexed as the name's
  // analysed term "tefal" and is marked whole. Doc 3 has no description, so no_match_size shows
  // nothing there.
  EXPECT_EQ(HighlightOf(r, "3"), json::parse(R"({"brand":["<em>Tefal</em>"]})")) << r.body;

  auto all = Search(R"({"query":{"match":{"name":"holodilnik"}},
                        "highlight":{"require_field_match":false,"fields":{"description":{"no_match_size":5}}}})");
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(HighlightOf(all, "1"), json::parse(R"({"description":["Тихий <em>холодильник</em>. Большая камера."]})"));
  auto none = Search(R"({"query":{"match":{"name":"holodilnik"}},
                         "highlight":{"fields":{"description":{"no_match_size":5}}}})");
  EXPECT_EQ(HighlightOf(none, "1"), json::parse(R"({"description":["Тихий"]})"));
}

TEST_F(HighlightHttpTest, HighlightQueryOrderAndTypes) {
  auto r = Search(R"({"query":{"match":{"name":"holodilnik"}},
                      "highlight":{"type":"fvh","order":"score","fields":{"name":{"type":"plain",
                        "highlight_query":{"match":{"name":"samsung"}}}}}})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(HighlightOf(r, "1"), json::parse(R"({"name":["Холодильник <em>Samsung</em> RB-34"]})"));
}

TEST_F(HighlightHttpTest, ErrorsNameTheOption) {
  auto unknown = Search(R"({"highlight":{"fields":{"name":{}},"colour":"red"}})");
  ExpectError(unknown, 400, "x_content_parse_exception");
  EXPECT_NE(Reason(unknown).find("[colour]"), std::string::npos) << unknown.body;

  auto in_field = Search(R"({"highlight":{"fields":{"name":{"fragment_sise":10}}}})");
  ExpectError(in_field, 400, "x_content_parse_exception");
  EXPECT_NE(Reason(in_field).find("[fragment_sise]"), std::string::npos) << in_field.body;

  auto type = Search(R"({"highlight":{"fields":{"name":{"type":"postings"}}}})");
  ExpectError(type, 400, "illegal_argument_exception");
  EXPECT_NE(Reason(type).find("postings"), std::string::npos) << type.body;

  auto order = Search(R"({"highlight":{"order":"best","fields":{"name":{}}}})");
  ExpectError(order, 400, "illegal_argument_exception");

  auto size = Search(R"({"highlight":{"fragment_size":"big","fields":{"name":{}}}})");
  ExpectError(size, 400, "x_content_parse_exception");
  EXPECT_NE(Reason(size).find("fragment_size"), std::string::npos) << size.body;

  auto array = Search(R"({"highlight":{"fields":[{"name":{},"description":{}}]}})");
  ExpectError(array, 400, "x_content_parse_exception");
}

}  // namespace
}  // namespace ultrasearch::testing
