// Highlighting through the engine API (SearchRequest::highlight → Hit::highlight): what is marked
// is the span of the stored text whose analysed form matched, so the expected fragments below are
// the stored text with the words a reader would say the query found wrapped in tags, cut the way
// Elasticsearch's unified highlighter cuts (sentences, then words, around fragment_size).
#include <algorithm>

#include "engine/engine_test_util.h"

namespace ultrasearch::testing {
namespace {

class HighlightTest : public ProductsIndexTest {
 protected:
  void SetUp() override {
    ProductsIndexTest::SetUp();
    Put("fridge", R"({"name":"Холодильник Samsung RB-34 No Frost","brand":"Samsung",)"
                  R"("description":"Двухкамерный холодильник. Тихий компрессор и большая морозильная камера."})");
    Put("uzfridge", R"({"name":"Artel музлатгичи HD 345","brand":"Artel","description":"Ikki kamerali."})");
    Put("phones", R"({"name":"Смартфоны и телефоны Xiaomi","brand":"Xiaomi","description":"Связь."})");
    Put("case", R"({"name":"Чехол Samsung для Galaxy S24, подходит к Samsung Galaxy","brand":"Spigen"})");
    Put("cable", R"({"name":"Кабель <USB-C> & \"Lightning\" 2 m","brand":"Anker"})");
    Put("kettle", R"({"name":"Чайник Tefal","brand":"Tefal","description":["Стальной корпус.","Чайник на 1,7 литра."]})");
    Put("long", R"({"name":"Пылесос Dyson","brand":"Dyson","description":")"
                R"(Мощный пылесос для всего дома. Работает без проводов до часа. Фильтр задерживает пыль. )"
                R"(Легкий корпус и удобная ручка. Пылесос заряжается за четыре часа."})");
    ASSERT_TRUE(index_->Refresh().ok());
  }

  void Put(const std::string& id, const std::string& json) {
    auto r = index_->Put(id, json);
    ASSERT_TRUE(r.ok()) << id << ": " << r.status().ToString();
  }

  static SearchRequest Request(const std::string& text, std::vector<std::string> fields,
                               std::vector<HighlightField> highlight) {
    MatchQuery match;
    match.text = text;
    for (auto& f : fields) match.fields.push_back({f, 1.0});
    SearchRequest request;
    request.query.node = match;
    request.highlight = HighlightRequest{std::move(highlight)};
    return request;
  }

  static HighlightField On(std::string field) {
    HighlightField f;
    f.field = std::move(field);
    return f;
  }

  // The fragments of `field` in the hit `id` (which must be among the hits); empty when absent.
  static std::vector<std::string> Fragments(const SearchResult& result, const std::string& id, const std::string& field) {
    auto hit = std::find_if(result.hits.begin(), result.hits.end(), [&](const Hit& h) { return h.id == id; });
    EXPECT_NE(hit, result.hits.end()) << id << " not found";
    if (hit == result.hits.end()) return {};
    for (const auto& h : hit->highlight) {
      if (h.field == field) return h.fragments;
    }
    return {};
  }

  static std::vector<std::string> Fields(const SearchResult& result, const std::string& id) {
    std::vector<std::string> names;
    for (const Hit& hit : result.hits) {
      if (hit.id != id) continue;
      for (const auto& h : hit.highlight) names.push_back(h.field);
    }
    return names;
  }

  using Strings = std::vector<std::string>;
};

TEST_F(HighlightTest, LatinQueryMarksTheCyrillicRussianWord) {
  auto result = MustSearch(*index_, Request("holodilnik", {"name"}, {On("name")}));
  EXPECT_EQ(Fragments(result, "fridge", "name"), Strings{"<em>Холодильник</em> Samsung RB-34 No Frost"});
}

TEST_F(HighlightTest, LatinUzbekQueryMarksTheCyrillicUzbekWord) {
  auto result = MustSearch(*index_, Request("muzlatgich", {"name"}, {On("name")}));
  EXPECT_EQ(Fragments(result, "uzfridge", "name"), Strings{"Artel <em>музлатгичи</em> HD 345"});
}

TEST_F(HighlightTest, RussianInflectionMarksTheOtherForm) {
  auto result = MustSearch(*index_, Request("телефонов", {"name"}, {On("name")}));
  EXPECT_EQ(Fragments(result, "phones", "name"), Strings{"Смартфоны и <em>телефоны</em> Xiaomi"});
}

TEST_F(HighlightTest, FuzzyMatchMarksTheWordItMatched) {
  auto request = Request("holodilnek", {"name"}, {On("name")});
  std::get<MatchQuery>(request.query.node).fuzziness.mode = Fuzziness::Mode::kAuto;
  auto result = MustSearch(*index_, request);
  EXPECT_EQ(Fragments(result, "fridge", "name"), Strings{"<em>Холодильник</em> Samsung RB-34 No Frost"});
}

TEST_F(HighlightTest, PhraseMarksOnlyWordsStandingInThePhraseEachInItsOwnTags) {
  auto request = Request("samsung galaxy", {"name"}, {On("name")});
  std::get<MatchQuery>(request.query.node).type = MatchQuery::Type::kPhrase;
  auto result = MustSearch(*index_, request);
  EXPECT_EQ(Fragments(result, "case", "name"),
            Strings{"Чехол Samsung для Galaxy S24, подходит к <em>Samsung</em> <em>Galaxy</em>"});
}

TEST_F(HighlightTest, EveryOccurrenceOfATermIsMarked) {
  auto result = MustSearch(*index_, Request("samsung", {"name"}, {On("name")}));
  EXPECT_EQ(Fragments(result, "case", "name"),
            Strings{"Чехол <em>Samsung</em> для Galaxy S24, подходит к <em>Samsung</em> Galaxy"});
}

TEST_F(HighlightTest, FieldsWithoutAMatchAreAbsent) {
  auto result = MustSearch(*index_, Request("holodilnik", {"name"}, {On("name"), On("description")}));
  // require_field_match (the default): the query searched only name.
  EXPECT_EQ(Fields(result, "fridge"), Strings{"name"});
}

TEST_F(HighlightTest, RequireFieldMatchFalseMarksTheQueryTermsInOtherFields) {
  HighlightField description = On("description");
  description.require_field_match = false;
  auto result = MustSearch(*index_, Request("holodilnik", {"name"}, {description}));
  EXPECT_EQ(Fragments(result, "fridge", "description"),
            Strings{"Двухкамерный <em>холодильник</em>. Тихий компрессор и большая морозильная камера."});
}

TEST_F(HighlightTest, NumberOfFragmentsZeroGivesEachMatchingValueWhole) {
  HighlightField description = On("description");
  description.number_of_fragments = 0;
  description.fragment_size = 10;  // ignored when the whole value is asked for
  auto result = MustSearch(*index_, Request("чайник", {"description"}, {description}));
  EXPECT_EQ(Fragments(result, "kettle", "description"), Strings{"<em>Чайник</em> на 1,7 литра."});
}

TEST_F(HighlightTest, FragmentsAreSentencesNearFragmentSizeInTextOrder) {
  HighlightField description = On("description");
  description.fragment_size = 40;
  auto result = MustSearch(*index_, Request("пылесос", {"description"}, {description}));
  // Each sentence with the word is shorter than 40 characters, and no neighbour fits beside it.
  EXPECT_EQ(Fragments(result, "long", "description"),
            (Strings{"Мощный <em>пылесос</em> для всего дома.", "<em>Пылесос</em> заряжается за четыре часа."}));
}

TEST_F(HighlightTest, NumberOfFragmentsKeepsTheBestAndOrderScoreSortsByScore) {
  HighlightField one = On("description");
  one.fragment_size = 40;
  one.number_of_fragments = 1;
  auto result = MustSearch(*index_, Request("пылесос часа", {"description"}, {one}));
  // The last sentence holds both words (часа matches часа; пылесос, пылесос): it scores highest.
  EXPECT_EQ(Fragments(result, "long", "description"),
            Strings{"<em>Пылесос</em> заряжается за четыре <em>часа</em>."});

  HighlightField by_score = On("description");
  by_score.fragment_size = 40;
  by_score.order_by_score = true;
  result = MustSearch(*index_, Request("пылесос часа", {"description"}, {by_score}));
  auto fragments = Fragments(result, "long", "description");
  ASSERT_EQ(fragments.size(), 3u);
  EXPECT_EQ(fragments[0], "<em>Пылесос</em> заряжается за четыре <em>часа</em>.");
}

TEST_F(HighlightTest, LongSentenceIsCutAtWordBoundariesAroundTheMatch) {
  Put("para", R"({"name":"Стол","description":"Этот стол сделан из массива дуба и покрыт маслом который )"
              R"(защищает поверхность от влаги и царапин на долгие годы службы в любой комнате дома"})");
  ASSERT_TRUE(index_->Refresh().ok());
  HighlightField description = On("description");
  description.fragment_size = 30;
  auto result = MustSearch(*index_, Request("влаги", {"description"}, {description}));
  auto fragments = Fragments(result, "para", "description");
  ASSERT_EQ(fragments.size(), 1u);
  // One sentence longer than fragment_size: cut at word boundaries, taking words on the left of
  // the match first (the word starting before 30 characters ahead of it), then what is left of 30
  // on its right (nothing here, so the fragment ends with the word).
  EXPECT_EQ(fragments[0], "который защищает поверхность от <em>влаги</em>");
}

TEST_F(HighlightTest, NoMatchSizeGivesTheStartOfTheFieldCutAfterAWord) {
  HighlightField description = On("description");
  description.no_match_size = 15;
  auto result = MustSearch(*index_, Request("holodilnik", {"name"}, {description}));
  // Cut at the first word boundary at or after 15 characters: the end of the second word (24).
  EXPECT_EQ(Fragments(result, "fridge", "description"), Strings{"Двухкамерный холодильник"});
}

TEST_F(HighlightTest, WildcardFieldsExpandOverTheMapping) {
  auto result = MustSearch(*index_, Request("чайник", {"name", "description"}, {On("*")}));
  EXPECT_EQ(Fields(result, "kettle"), (Strings{"name", "description"}));
  EXPECT_EQ(Fragments(result, "kettle", "name"), Strings{"<em>Чайник</em> Tefal"});
  EXPECT_EQ(Fragments(result, "kettle", "description"), Strings{"<em>Чайник</em> на 1,7 литра."});

  result = MustSearch(*index_, Request("чайник", {"name", "description"}, {On("desc*")}));
  EXPECT_EQ(Fields(result, "kettle"), Strings{"description"});
}

TEST_F(HighlightTest, HtmlEncoderEscapesTheTextButNotTheTags) {
  HighlightField name = On("name");
  name.html_encode = true;
  auto result = MustSearch(*index_, Request("lightning", {"name"}, {name}));
  EXPECT_EQ(Fragments(result, "cable", "name"),
            Strings{"Кабель &lt;USB-C&gt; &amp; &quot;<em>Lightning</em>&quot; 2 m"});

  result = MustSearch(*index_, Request("lightning", {"name"}, {On("name")}));
  EXPECT_EQ(Fragments(result, "cable", "name"), Strings{"Кабель <USB-C> & \"<em>Lightning</em>\" 2 m"});
}

TEST_F(HighlightTest, CustomTags) {
  HighlightField name = On("name");
  name.pre_tag = "[";
  name.post_tag = "]";
  auto result = MustSearch(*index_, Request("tefal", {"name"}, {name}));
  EXPECT_EQ(Fragments(result, "kettle", "name"), Strings{"Чайник [Tefal]"});
}

TEST_F(HighlightTest, MustNotTermsAreNotMarkedAndHighlightQueryReplacesTheQuery) {
  // must name:galaxy, must_not description:samsung (the case has no description, so it matches):
  // even with terms of every field marked, the must_not term stays unmarked.
  BoolQuery b;
  MatchQuery galaxy;
  galaxy.text = "galaxy";
  galaxy.fields = {{"name", 1.0}};
  MatchQuery samsung;
  samsung.text = "samsung";
  samsung.fields = {{"description", 1.0}};
  b.must.push_back(Query{galaxy});
  b.must_not.push_back(Query{samsung});
  SearchRequest request;
  request.query.node = b;
  HighlightField any_field = On("name");
  any_field.require_field_match = false;
  request.highlight = HighlightRequest{{any_field}};
  auto result = MustSearch(*index_, request);
  EXPECT_EQ(Fragments(result, "case", "name"),
            Strings{"Чехол Samsung для <em>Galaxy</em> S24, подходит к Samsung <em>Galaxy</em>"});

  HighlightField by_other = On("name");
  MatchQuery other;
  other.text = "samsung";
  other.fields = {{"name", 1.0}};
  by_other.highlight_query = Query{other};
  request.highlight = HighlightRequest{{by_other}};
  result = MustSearch(*index_, request);
  EXPECT_EQ(Fragments(result, "case", "name"),
            Strings{"Чехол <em>Samsung</em> для Galaxy S24, подходит к <em>Samsung</em> Galaxy"});
}

TEST_F(HighlightTest, KeywordFieldsAreMarkedWhole) {
  TermQuery term;
  term.field = "brand";
  term.values = {"Tefal"};
  SearchRequest request;
  request.query.node = term;
  request.highlight = HighlightRequest{{On("brand"), On("name")}};
  auto result = MustSearch(*index_, request);
  EXPECT_EQ(Fragments(result, "kettle", "brand"), Strings{"<em>Tefal</em>"});
  EXPECT_EQ(Fields(result, "kettle"), Strings{"brand"});
}

TEST_F(HighlightTest, WorksWithoutFetchingTheSource) {
  auto request = Request("holodilnik", {"name"}, {On("name")});
  request.fetch_source = false;
  auto result = MustSearch(*index_, request);
  ASSERT_FALSE(result.hits.empty());
  EXPECT_TRUE(result.hits[0].source_json.empty());
  EXPECT_EQ(Fragments(result, "fridge", "name"), Strings{"<em>Холодильник</em> Samsung RB-34 No Frost"});
}

TEST_F(HighlightTest, PrefixOfBoolPrefixMarksTheWordsItCompletes) {
  auto request = Request("samsung gal", {"name"}, {On("name")});
  std::get<MatchQuery>(request.query.node).type = MatchQuery::Type::kBoolPrefix;
  auto result = MustSearch(*index_, request);
  EXPECT_EQ(Fragments(result, "case", "name"),
            Strings{"Чехол <em>Samsung</em> для <em>Galaxy</em> S24, подходит к <em>Samsung</em> <em>Galaxy</em>"});
}

TEST_F(HighlightTest, UnmappedFieldsAreSkipped) {
  auto result = MustSearch(*index_, Request("holodilnik", {"name"}, {On("nosuchfield"), On("name")}));
  EXPECT_EQ(Fields(result, "fridge"), Strings{"name"});
}

TEST_F(HighlightTest, InvalidHighlightQueryFailsTheSearch) {
  HighlightField name = On("name");
  RangeQuery range;
  range.field = "name";  // a range on a text field cannot be planned
  range.gte = "a";
  name.highlight_query = Query{range};
  auto result = index_->Search(Request("holodilnik", {"name"}, {name}));
  EXPECT_FALSE(result.ok());
}

}  // namespace
}  // namespace ultrasearch::testing
