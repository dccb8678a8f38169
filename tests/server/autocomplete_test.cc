// Autocomplete over HTTP, shaped as Elasticsearch 8 answers: match_bool_prefix and multi_match
// bool_prefix typed one keystroke at a time (the partial word completes across scripts), the
// search_as_you_type field, and the term ("did you mean") and completion suggesters in `suggest`.
// Expected hits come from reading the documents.
#include <set>

#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;

class AutocompleteHttpTest : public ServerTest {
 protected:
  static void SetUpTestSuite() {
    ServerTest::SetUpTestSuite();
    if (!server_->started()) return;
    HttpClient c(server_->port());
    BulkBody bulk;
    auto add = [&](const std::string& id, const std::string& doc) { bulk.Add("products", id, doc); };
    add("1", R"({"name":"Холодильник Samsung RB-34","brand":"Samsung"})");
    add("2", R"({"name":"Artel музлатгичи HD-395","brand":"Artel"})");
    add("3", R"({"name":"Чайник Tefal","brand":"Tefal"})");
    add("4", R"({"name":"Samsung Galaxy S23 smartfon","brand":"Samsung"})");
    add("5", R"({"name":"Samsung Galaxy Tab S9 planshet","brand":"Samsung"})");
    add("6", R"({"name":"Holodilnik LG GA-B509","brand":"LG"})");
    add("7", R"({"name":"Televizor Samsung Crystal UHD","brand":"Samsung"})");
    // A completion field (catalog analysis, so both scripts complete) and a search_as_you_type one.
    auto places = c.Put("/places", R"({"mappings":{"properties":{"suggest":{"type":"completion","analyzer":"catalog"},
                                                                 "name":{"type":"text"}}}})");
    ASSERT_EQ(places.status, 200) << places.body;
    auto sayt = c.Put("/sayt", R"({"mappings":{"properties":{"title":{"type":"search_as_you_type","analyzer":"catalog"}}}})");
    ASSERT_EQ(sayt.status, 200) << sayt.body;
    auto put = [&](const std::string& index, const std::string& id, const std::string& doc) {
      bulk.Add(index, id, doc);
    };
    put("places", "a", R"({"name":"S23","suggest":{"input":["Samsung Galaxy S23","Galaxy S23"],"weight":10}})");
    put("places", "b", R"({"name":"A54","suggest":{"input":"Samsung Galaxy A54","weight":30}})");
    put("places", "c", R"({"name":"Artel","suggest":"Холодильник Artel"})");
    put("places", "d", R"({"name":"LG","suggest":[{"input":"Holodilnik LG","weight":5}]})");
    put("places", "e", R"({"name":"A54 again","suggest":{"input":"Samsung Galaxy A54","weight":2}})");
    put("sayt", "1", R"({"title":"Samsung Galaxy S23 smartfon"})");
    put("sayt", "2", R"({"title":"Galaxy Buds Samsung"})");
    put("sayt", "3", R"({"title":"Samsung Crystal televizor"})");
    LoadBulk(bulk);
  }

  // The option texts of the first entry of suggester `name`, in order.
  static std::vector<std::string> OptionTexts(const json::value& suggestion) {
    std::vector<std::string> texts;
    for (const auto& o : suggestion.at(0).at("options").as_array()) texts.emplace_back(o.at("text").as_string());
    return texts;
  }
  static std::vector<std::string> OptionIds(const json::value& suggestion) {
    std::vector<std::string> ids;
    for (const auto& o : suggestion.at(0).at("options").as_array()) ids.emplace_back(o.at("_id").as_string());
    return ids;
  }
  json::value Complete(const std::string& completion, const std::string& prefix = "sam") {
    auto r = client().Post("/places/_search", R"({"size":0,"suggest":{"c":{"prefix":")" + prefix +
                                                  R"(","completion":)" + completion + "}}}");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? Suggest(r, "c") : json::value(nullptr);
  }

  HttpResponse Search(const std::string& body) { return client().Post("/products/_search", body); }

  std::set<std::string> Ids(const std::string& body) {
    auto r = Search(body);
    EXPECT_EQ(r.status, 200) << r.body;
    auto ids = HitIds(r);
    return {ids.begin(), ids.end()};
  }

  static json::value Suggest(const HttpResponse& r, const std::string& name) {
    const json::value body = r.Json();
    const auto* suggest = body.as_object().if_contains("suggest");
    if (suggest == nullptr) {
      ADD_FAILURE() << "no suggest section: " << r.body;
      return nullptr;
    }
    return suggest->at(name);
  }
};

// --- bool_prefix ------------------------------------------------------------------------------

TEST_F(AutocompleteHttpTest, PartialLatinWordCompletesCyrillicUzbek) {
  // музлатгичи is indexed in Latin too (muzlatgich): the typed prefix reaches it.
  EXPECT_EQ(Ids(R"({"query":{"match_bool_prefix":{"name":"muzl"}}})"), (std::set<std::string>{"2"}));
  EXPECT_EQ(Ids(R"({"query":{"match_bool_prefix":{"name":"музл"}}})"), (std::set<std::string>{"2"}));
}

TEST_F(AutocompleteHttpTest, PartialCyrillicWordCompletesRussianInLatinAndBack) {
  // холод… is the start of Холодильник (1) and of its Latin spelling Holodilnik (6).
  EXPECT_EQ(Ids(R"({"query":{"match_bool_prefix":{"name":"холод"}}})"), (std::set<std::string>{"1", "6"}));
  EXPECT_EQ(Ids(R"({"query":{"match_bool_prefix":{"name":"holod"}}})"), (std::set<std::string>{"1", "6"}));
}

TEST_F(AutocompleteHttpTest, EarlierWordsExactLastWordPrefix) {
  // With operator and, every word must match: samsung and a word starting with gal.
  EXPECT_EQ(Ids(R"({"query":{"match_bool_prefix":{"name":{"query":"samsung gal","operator":"and"}}}})"),
            (std::set<std::string>{"4", "5"}));
  EXPECT_EQ(Ids(R"({"query":{"multi_match":{"query":"galaxy s","type":"bool_prefix","operator":"and",
                                             "fields":["name","brand"]}}})"),
            (std::set<std::string>{"4", "5"}));
  // The default operator is or: a product with only one of the words still matches, ranked lower.
  auto r = Search(R"({"query":{"match_bool_prefix":{"name":"samsung tab"}}})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto ids = HitIds(r);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), (std::set<std::string>{"1", "4", "5", "7"}));
  EXPECT_EQ(ids.front(), "5");
}

TEST_F(AutocompleteHttpTest, FuzzinessSparesThePartialWord) {
  // "samsnug" is one transposition from samsung; the partial "gal" is never fuzzy (Elasticsearch:
  // fuzziness applies to all terms except the final one), so "gxl" completes nothing.
  EXPECT_EQ(Ids(R"({"query":{"match_bool_prefix":{"name":{"query":"samsnug gal","operator":"and","fuzziness":"AUTO"}}}})"),
            (std::set<std::string>{"4", "5"}));
  EXPECT_EQ(Ids(R"({"query":{"match_bool_prefix":{"name":{"query":"samsung gxl","operator":"and","fuzziness":"AUTO"}}}})"),
            (std::set<std::string>{}));
}

TEST_F(AutocompleteHttpTest, OneLetterPrefixStillFindsItsWords) {
  // One letter expands to the field's most frequent words starting with it (capped, never the
  // whole vocabulary); in this small catalog that is all of them.
  EXPECT_EQ(Ids(R"({"query":{"match_bool_prefix":{"name":"t"}}})"), (std::set<std::string>{"3", "5", "7"}));
}

// --- term suggester ---------------------------------------------------------------------------

TEST_F(AutocompleteHttpTest, TermSuggesterShapeAsElasticsearch) {
  auto r = Search(R"({"size":0,"suggest":{"fix":{"text":"samsnug galxy","term":{"field":"name"}}}})");
  ASSERT_EQ(r.status, 200) << r.body;
  json::value fix = Suggest(r, "fix");
  ASSERT_TRUE(fix.is_array()) << r.body;
  ASSERT_EQ(fix.as_array().size(), 2u) << r.body;
  // One entry per word, with where it stands in the text (UTF-16 offsets).
  const auto& first = fix.as_array()[0].as_object();
  EXPECT_EQ(first.at("text"), "samsnug");
  EXPECT_EQ(first.at("offset").to_number<int64_t>(), 0);
  EXPECT_EQ(first.at("length").to_number<int64_t>(), 7);
  const auto& options = first.at("options").as_array();
  ASSERT_FALSE(options.empty()) << r.body;
  EXPECT_EQ(options[0].at("text"), "samsung");
  EXPECT_EQ(options[0].at("freq").to_number<int64_t>(), 4);  // products 1, 4, 5, 7
  // One edit over the shorter word's 7 letters: Lucene's similarity 1 - 1/7.
  EXPECT_NEAR(options[0].at("score").to_number<double>(), 1.0 - 1.0 / 7, 1e-6);
  const auto& second = fix.as_array()[1].as_object();
  EXPECT_EQ(second.at("offset").to_number<int64_t>(), 8);
  EXPECT_EQ(second.at("length").to_number<int64_t>(), 5);
  ASSERT_FALSE(second.at("options").as_array().empty()) << r.body;
  EXPECT_EQ(second.at("options").as_array()[0].at("text"), "galaxy");
  EXPECT_EQ(second.at("options").as_array()[0].at("freq").to_number<int64_t>(), 2);
  EXPECT_NEAR(second.at("options").as_array()[0].at("score").to_number<double>(), 1.0 - 1.0 / 5, 1e-6);

  // "galaxi" is a spelling the catalog analyzer already folds onto galaxy (the search finds it),
  // so in the default suggest_mode (missing) it has nothing to correct.
  auto folded = Search(R"({"size":0,"suggest":{"fix":{"text":"galaxi","term":{"field":"name"}}}})");
  ASSERT_EQ(folded.status, 200) << folded.body;
  EXPECT_TRUE(Suggest(folded, "fix").at(0).at("options").as_array().empty()) << folded.body;
}

TEST_F(AutocompleteHttpTest, TermSuggesterMissingModeLeavesKnownWordsAlone) {
  // The global text applies to every suggester without its own; "samsung" is in the index, so in
  // the default suggest_mode (missing) it gets no options, while "always" offers neighbours.
  auto r = Search(R"({"size":0,"suggest":{"text":"samsung","a":{"term":{"field":"name"}},
                                          "b":{"term":{"field":"name","suggest_mode":"always"}}}})");
  ASSERT_EQ(r.status, 200) << r.body;
  json::value a = Suggest(r, "a");
  ASSERT_EQ(a.as_array().size(), 1u) << r.body;
  EXPECT_TRUE(a.as_array()[0].at("options").as_array().empty()) << r.body;
  json::value b = Suggest(r, "b");
  ASSERT_EQ(b.as_array().size(), 1u) << r.body;
  for (const auto& option : b.as_array()[0].at("options").as_array()) EXPECT_NE(option.at("text"), "samsung");
}

TEST_F(AutocompleteHttpTest, TermSuggesterAcrossScripts) {
  // A misspelt Cyrillic word (a letter missing) is corrected to the indexed forms of холодильник:
  // the Cyrillic word itself (one edit in 10 letters: 0.9) and its Latin spellings (one edit in the
  // 9 letters of hlodilnik: 0.889), among those holodilnik, in two products (1 and 6), first.
  auto r = Search(R"({"size":0,"suggest":{"s":{"text":"хлодильник","term":{"field":"name"}}}})");
  ASSERT_EQ(r.status, 200) << r.body;
  json::value s = Suggest(r, "s");
  ASSERT_EQ(s.as_array().size(), 1u) << r.body;
  const auto& options = s.as_array()[0].at("options").as_array();
  ASSERT_EQ(options.size(), 3u) << r.body;
  EXPECT_EQ(options[0].at("text"), "холодильник") << r.body;
  EXPECT_NEAR(options[0].at("score").to_number<double>(), 0.9, 1e-6);
  EXPECT_EQ(options[1].at("text"), "holodilnik") << r.body;
  EXPECT_EQ(options[1].at("freq").to_number<int64_t>(), 2);
  EXPECT_NEAR(options[1].at("score").to_number<double>(), 1.0 - 1.0 / 9, 1e-6);
  EXPECT_EQ(options[2].at("text"), "xolodilnik") << r.body;
}

TEST_F(AutocompleteHttpTest, TermSuggesterErrors) {
  auto no_text = Search(R"({"suggest":{"s":{"term":{"field":"name"}}}})");
  ExpectError(no_text, 400, "illegal_argument_exception");
  auto no_field = Search(R"({"suggest":{"s":{"text":"x","term":{}}}})");
  ExpectError(no_field, 400, "illegal_argument_exception");
  auto bad_mode = Search(R"({"suggest":{"s":{"text":"x","term":{"field":"name","suggest_mode":"often"}}}})");
  ExpectError(bad_mode, 400, "illegal_argument_exception");
  auto phrase = Search(R"({"suggest":{"s":{"text":"x","phrase":{"field":"name"}}}})");
  ExpectError(phrase, 400, "illegal_argument_exception");
}

// --- completion suggester ----------------------------------------------------------------------

TEST_F(AutocompleteHttpTest, CompletionShapeAndWeightOrder) {
  auto r = client().Post("/places/_search", R"({"size":0,"suggest":{"c":{"prefix":"sam","completion":{"field":"suggest"}}}})");
  ASSERT_EQ(r.status, 200) << r.body;
  json::value c = Suggest(r, "c");
  ASSERT_EQ(c.as_array().size(), 1u) << r.body;
  const auto& entry = c.as_array()[0].as_object();
  EXPECT_EQ(entry.at("text"), "sam");
  EXPECT_EQ(entry.at("offset").to_number<int64_t>(), 0);
  EXPECT_EQ(entry.at("length").to_number<int64_t>(), 3);
  // Heaviest first: b (30), a (10), e (2); d's input starts with Holodilnik, c's with Холодильник.
  EXPECT_EQ(OptionIds(c), (std::vector<std::string>{"b", "a", "e"})) << r.body;
  const auto& top = entry.at("options").as_array()[0].as_object();
  EXPECT_EQ(top.at("text"), "Samsung Galaxy A54");
  EXPECT_EQ(top.at("_index"), "places");
  EXPECT_EQ(top.at("_score").to_number<double>(), 30.0);
  EXPECT_EQ(top.at("_source"), json::parse(R"({"name":"A54","suggest":{"input":"Samsung Galaxy A54","weight":30}})"));
}

TEST_F(AutocompleteHttpTest, CompletionSizeSkipDuplicatesAndOtherInputs) {
  EXPECT_EQ(OptionIds(Complete(R"({"field":"suggest","size":2})")), (std::vector<std::string>{"b", "a"}));
  // e's input is b's text again.
  EXPECT_EQ(OptionIds(Complete(R"({"field":"suggest","skip_duplicates":true})")), (std::vector<std::string>{"b", "a"}));
  // The second input of a matches on its own; the option shows that input.
  EXPECT_EQ(OptionTexts(Complete(R"({"field":"suggest"})", "galaxy s")), (std::vector<std::string>{"Galaxy S23"}));
  // Earlier words are whole, the last a prefix; a's second input does not start with "galaxy a".
  EXPECT_EQ(OptionIds(Complete(R"({"field":"suggest"})", "samsung gal")), (std::vector<std::string>{"b", "a", "e"}));
  EXPECT_TRUE(OptionIds(Complete(R"({"field":"suggest"})", "galaxy a")).empty());
  // A finished word keeps its separator: "sams " is not the start of "samsung".
  EXPECT_EQ(OptionIds(Complete(R"({"field":"suggest"})", "samsung ")), (std::vector<std::string>{"b", "a", "e"}));
  EXPECT_TRUE(OptionIds(Complete(R"({"field":"suggest"})", "sams ")).empty());
}

TEST_F(AutocompleteHttpTest, CompletionAcrossScripts) {
  // Холодильник (c) and its Latin spelling Holodilnik (d) complete from either script.
  auto from_cyrillic = OptionIds(Complete(R"({"field":"suggest"})", "холод"));
  EXPECT_EQ(std::set<std::string>(from_cyrillic.begin(), from_cyrillic.end()), (std::set<std::string>{"c", "d"}));
  auto from_latin = OptionIds(Complete(R"({"field":"suggest"})", "holod"));
  EXPECT_EQ(std::set<std::string>(from_latin.begin(), from_latin.end()), (std::set<std::string>{"c", "d"}));
  // Weight orders them: d (5) before c (1).
  EXPECT_EQ(from_latin, (std::vector<std::string>{"d", "c"}));
}

TEST_F(AutocompleteHttpTest, CompletionFuzzy) {
  EXPECT_TRUE(OptionIds(Complete(R"({"field":"suggest"})", "smasung")).empty());
  // One transposition within the AUTO edits for seven letters.
  EXPECT_EQ(OptionIds(Complete(R"({"field":"suggest","fuzzy":{"fuzziness":"AUTO"}})", "smasung")),
            (std::vector<std::string>{"b", "a", "e"}));
  EXPECT_EQ(OptionIds(Complete(R"({"field":"suggest","fuzzy":true})", "samsnug gal")),
            std::vector<std::string>{});  // only the last word is corrected
  EXPECT_EQ(OptionIds(Complete(R"({"field":"suggest","fuzzy":true})", "samsung glaa")),
            (std::vector<std::string>{"b", "a", "e"}));
}

TEST_F(AutocompleteHttpTest, CompletionErrors) {
  // Found on the shard, as in Elasticsearch: a failed query phase whose root cause names the field.
  auto not_completion = client().Post("/places/_search", R"({"suggest":{"c":{"prefix":"s","completion":{"field":"name"}}}})");
  auto error = ExpectError(not_completion, 400, "search_phase_execution_exception");
  ASSERT_TRUE(error.contains("root_cause")) << not_completion.body;
  const auto& cause = error.at("root_cause").at(0);
  EXPECT_EQ(cause.at("type"), "illegal_argument_exception");
  EXPECT_EQ(cause.at("reason"), "Field [name] is not a completion suggest field");
  auto contexts = client().Post("/places/_search",
                                R"({"suggest":{"c":{"prefix":"s","completion":{"field":"suggest","contexts":{}}}}})");
  ExpectError(contexts, 400, "illegal_argument_exception");
  auto bad_weight = client().Put("/places/_doc/x", R"({"suggest":{"input":"x","weight":"heavy"}})");
  ExpectError(bad_weight, 400, "document_parsing_exception");
}

TEST_F(AutocompleteHttpTest, CompletionMappingRoundTrips) {
  auto r = client().Get("/places/_mapping");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json().at("places").at("mappings").at("properties").at("suggest"),
            json::parse(R"({"type":"completion","analyzer":"catalog","preserve_separators":true,
                            "preserve_position_increments":true,"max_input_length":50})"));
}

// --- search_as_you_type -------------------------------------------------------------------------

TEST_F(AutocompleteHttpTest, SearchAsYouTypeMappingHidesItsShingleFields) {
  auto r = client().Get("/sayt/_mapping");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json().at("sayt").at("mappings").at("properties").at("title"),
            json::parse(R"({"type":"search_as_you_type","analyzer":"catalog"})"));
}

TEST_F(AutocompleteHttpTest, SearchAsYouTypeShinglesRankTheTypedOrderFirst) {
  // As Elasticsearch documents it: bool_prefix over the field and its shingle sub-fields.
  auto r = client().Post("/sayt/_search", R"({"query":{"multi_match":{"query":"samsung gal","type":"bool_prefix",
                                              "fields":["title","title._2gram","title._3gram"]}}})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto ids = HitIds(r);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), (std::set<std::string>{"1", "2", "3"}));
  // Only 1 has "samsung gal…" as adjacent words; 2 has both words in the other order.
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(ids.front(), "1") << r.body;

  auto two = client().Post("/sayt/_search", R"({"query":{"match_bool_prefix":{"title._2gram":"samsung gal"}}})");
  EXPECT_EQ(HitIds(two), (std::vector<std::string>{"1"})) << two.body;
  auto three = client().Post("/sayt/_search", R"({"query":{"match_bool_prefix":{"title._3gram":"samsung galaxy s"}}})");
  EXPECT_EQ(HitIds(three), (std::vector<std::string>{"1"})) << three.body;
  // Shingles across scripts: the Cyrillic spelling of the same two words.
  auto cyrillic = client().Post("/sayt/_search", R"({"query":{"match_bool_prefix":{"title._2gram":"самсунг гал"}}})");
  EXPECT_EQ(HitIds(cyrillic), (std::vector<std::string>{"1"})) << cyrillic.body;
}

}  // namespace
}  // namespace ultrasearch::testing
