// The wrong-keyboard-layout reading, decided from the index's terms (engine/src/search/layout_choice.h),
// through the public engine API on the fixture catalog (data/fixtures/products.ndjson):
// wrong-layout queries are converted even when the typed text fuzzy-matches something, keys that
// carry б ю х ж э convert, short queries stay as typed, and over a precision set of correctly
// typed product words (fixture names and the generated catalog's product types, in Uzbek Latin,
// Uzbek Cyrillic and Russian) almost none is converted while their wrong-layout versions are.
//
// The wrong-layout versions are made here with the test's own key table, not the engine's.
#include <boost/json.hpp>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "engine/engine_test_util.h"
#include "engine/fixture_catalog.h"
#include "ultrasearch/utf8.h"

namespace ultrasearch::testing {
namespace {

// The same key on both layouts, unshifted.
const std::u32string kQwertyKeys = U"qwertyuiop[]asdfghjkl;'zxcvbnm,.`";
const std::u32string kJcukenKeys = U"йцукенгшщзхъфывапролджэячсмитьбюё";

// `text` typed with the other layout on: each key of one layout becomes the other's. Empty when
// some letter has no key there (Uzbek ў қ ғ ҳ, digits are kept).
std::string OtherLayout(const std::string& text) {
  std::u32string in = DecodeUtf8(text), out;
  for (char32_t c : in) {
    if (c == U' ' || (c >= U'0' && c <= U'9')) {
      out.push_back(c);
      continue;
    }
    if (size_t k = kQwertyKeys.find(c); k != std::u32string::npos) {
      out.push_back(kJcukenKeys[k]);
    } else if (size_t j = kJcukenKeys.find(c); j != std::u32string::npos) {
      out.push_back(kQwertyKeys[j]);
    } else {
      return "";
    }
  }
  std::string utf8;
  for (char32_t c : out) AppendUtf8(c, &utf8);
  return utf8;
}

// Lower case for the letters the catalog uses (ASCII, Russian and Uzbek Cyrillic).
std::string Lower(const std::string& text) {
  std::string out;
  for (char32_t c : DecodeUtf8(text)) {
    if (c >= U'A' && c <= U'Z') c += 32;
    if (c >= U'А' && c <= U'Я') c += 32;
    if (c == U'Ё') c = U'ё';
    if (c == U'Ў') c = U'ў';
    if (c == U'Қ') c = U'қ';
    if (c == U'Ғ') c = U'ғ';
    if (c == U'Ҳ') c = U'ҳ';
    AppendUtf8(c, &out);
  }
  return out;
}

// A name's words as a shopper types them: lower case, letters only (Uzbek's oʻ gʻ with a plain
// apostrophe), at least three letters.
std::vector<std::string> TypedWords(const std::string& name) {
  std::vector<std::string> words;
  std::string word;
  size_t letters = 0;
  auto flush = [&] {
    if (letters >= 3) words.push_back(Lower(word));
    word.clear();
    letters = 0;
  };
  for (char32_t c : DecodeUtf8(name)) {
    const bool letter = (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= 0x400 && c <= 0x4FF);
    const bool apostrophe = c == U'\'' || c == 0x2BB || c == 0x2BC || c == 0x2019 || c == U'`';
    if (letter) {
      AppendUtf8(c, &word);
      ++letters;
    } else if (apostrophe && letters > 0) {
      word.push_back('\'');
    } else {
      flush();
    }
  }
  flush();
  // A word that ended in an apostrophe (a closing quote) or holds a digit is not one.
  words.erase(std::remove_if(words.begin(), words.end(), [](const std::string& w) { return w.back() == '\''; }),
              words.end());
  return words;
}

// The precision set: distinct correctly typed queries, one or two product words each.
std::vector<std::string> CorrectlyTypedQueries() {
  std::set<std::string> queries;
  for (const std::string& name : FixtureCatalog::Get().names()) {
    const auto words = TypedWords(name);
    for (const auto& w : words) queries.insert(w);
    if (words.size() >= 2) queries.insert(words[0] + " " + words[1]);
  }
  std::ifstream in(std::string(ULTRASEARCH_TEST_DATA_DIR) + "/search/layout_vocabulary.tsv");
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, '\t');) queries.insert(cell);
  }
  return {queries.begin(), queries.end()};
}

SearchRequest Request(const std::string& text, bool layout = true, bool fuzzy = false) {
  MatchQuery match;
  match.text = text;
  match.type = MatchQuery::Type::kCrossFields;
  if (fuzzy) match.fuzziness.mode = Fuzziness::Mode::kAuto;
  SearchRequest request;
  request.query.node = match;
  request.size = 20;
  request.fetch_source = false;
  request.reread_in_other_layout = layout;
  return request;
}

bool Has(const SearchResult& r, const std::string& id) {
  return std::any_of(r.hits.begin(), r.hits.end(), [&](const Hit& h) { return h.id == id; });
}

class LayoutChoiceTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(FixtureCatalog::Get().load_error().empty()) << FixtureCatalog::Get().load_error(); }
  const Index& index() { return FixtureCatalog::Get().index(); }
};

TEST_F(LayoutChoiceTest, ConvertsWhenTheTypedTextFuzzyMatchesNoise) {
  // `ntktajy` is телефон typed on QWERTY. With fuzziness it matches something as typed, which
  // used to keep the retry from running; the index knows телефон and not ntktajy.
  const std::string typed = OtherLayout("телефон");
  ASSERT_EQ(typed, "ntktajy");
  auto converted = MustSearch(index(), Request(typed, true, /*fuzzy=*/true));
  ASSERT_TRUE(converted.rewritten_query.has_value());
  EXPECT_EQ(*converted.rewritten_query, "телефон");
  auto direct = MustSearch(index(), Request("телефон", false, true));
  EXPECT_EQ(HitIds(converted), HitIds(direct));
}

TEST_F(LayoutChoiceTest, KeysOfPunctuationConvertInsideAndAroundWords) {
  // х, б and ж are on [ , ; at a word's start, inside it and at its end.
  struct Case {
    std::string typed, meant;
  };
  for (const Case& c : {Case{"[jkjlbkmybr", "холодильник"}, Case{",tcghjdjlyst yfeiybrb", "беспроводные наушники"},
                        Case{",t;tdsq", "бежевый"}, Case{"gjgekzhys[", "популярных"}, Case{",fnfhtz", "батарея"},
                        Case{"xt[jk", "чехол"}}) {
    EXPECT_EQ(OtherLayout(c.meant), c.typed);
    auto r = MustSearch(index(), Request(c.typed));
    ASSERT_TRUE(r.rewritten_query.has_value()) << c.typed;
    EXPECT_EQ(*r.rewritten_query, c.meant) << c.typed;
    EXPECT_GT(r.total, 0u) << c.typed;
  }
}

TEST_F(LayoutChoiceTest, LatinTypedOnTheCyrillicLayout) {
  // muzlatgich typed with ЙЦУКЕН on; the Latin reading finds the Latin and the Cyrillic listings.
  auto r = MustSearch(index(), Request("ьгядфепшср"));
  ASSERT_TRUE(r.rewritten_query.has_value());
  EXPECT_EQ(*r.rewritten_query, "muzlatgich");
  EXPECT_TRUE(Has(r, "fx-0092"));
}

TEST_F(LayoutChoiceTest, OnlyTheUnknownWordsOfAMixedQueryConvert) {
  // `iphone` is known as typed; `xt[jk` is чехол on the wrong layout.
  auto r = MustSearch(index(), Request("iphone xt[jk"));
  ASSERT_TRUE(r.rewritten_query.has_value());
  EXPECT_EQ(*r.rewritten_query, "iphone чехол");
}

TEST_F(LayoutChoiceTest, ThreeLetterWords) {
  // xfq is чай. No product says чай; the tea is listed as choy, one edit from чай's Latin form
  // chay, so with fuzziness (and only then) чай is the reading that finds something.
  EXPECT_FALSE(MustSearch(index(), Request("xfq")).rewritten_query.has_value());
  auto tea = MustSearch(index(), Request("xfq", true, /*fuzzy=*/true));
  ASSERT_TRUE(tea.rewritten_query.has_value());
  EXPECT_EQ(*tea.rewritten_query, "чай");
  // vae is мфу, whose own stem `va` (Uzbek "and", in most documents) is no evidence that vae
  // was meant.
  auto mfu = MustSearch(index(), Request("vae"));
  ASSERT_TRUE(mfu.rewritten_query.has_value());
  EXPECT_EQ(*mfu.rewritten_query, "мфу");
}

TEST_F(LayoutChoiceTest, APartialWordIsJudgedByTheTermsItBegins) {
  // As one types: `холод` is no whole term but begins холодильник, so it stays (its QWERTY
  // reading would be `[jkjl`); `ntktaj` begins nothing, its reading `телефо` begins телефон.
  auto prefix = [](const std::string& text) {
    auto r = Request(text);
    std::get<MatchQuery>(r.query.node).type = MatchQuery::Type::kBoolPrefix;
    return r;
  };
  EXPECT_FALSE(MustSearch(index(), prefix("холод")).rewritten_query.has_value());
  EXPECT_FALSE(MustSearch(index(), prefix("muzlat")).rewritten_query.has_value());
  auto typed = MustSearch(index(), prefix("ntktaj"));
  ASSERT_TRUE(typed.rewritten_query.has_value());
  EXPECT_EQ(*typed.rewritten_query, "телефо");
  EXPECT_TRUE(Has(typed, "fx-0024"));
}

TEST_F(LayoutChoiceTest, ShortQueriesStayAsTyped) {
  // `sm` (Uzbek santimetr) would be ыь; two letters are no evidence of a wrong layout.
  // `be`, `je`, `qe` are no terms of the catalog, and their readings иу, оу, йу stand only on
  // one-letter forms (и, i, у): no evidence either.
  for (const char* typed : {"sm", "gb", "tv", "jr", "ok", "be", "je", "me", "qe"}) {
    auto r = MustSearch(index(), Request(typed));
    EXPECT_FALSE(r.rewritten_query.has_value()) << typed << " searched as " << r.rewritten_query.value_or("");
  }
}

TEST_F(LayoutChoiceTest, DisabledSearchesExactlyWhatWasTyped) {
  auto r = MustSearch(index(), Request("ntktajy", /*layout=*/false));
  EXPECT_FALSE(r.rewritten_query.has_value());
  EXPECT_EQ(r.total, 0u);
}

TEST_F(LayoutChoiceTest, CorrectlyTypedQueriesAreAlmostNeverConverted) {
  const auto queries = CorrectlyTypedQueries();
  ASSERT_GE(queries.size(), 200u);
  size_t converted = 0;
  for (const std::string& q : queries) {
    auto r = MustSearch(index(), Request(q));
    if (r.rewritten_query) {
      ++converted;
      std::cout << "  converted: " << q << " → " << *r.rewritten_query << "\n";
    }
  }
  std::cout << "layout precision set: " << converted << " of " << queries.size() << " converted\n";
  EXPECT_LE(converted * 100, queries.size());  // at most 1%
}

TEST_F(LayoutChoiceTest, WrongLayoutVersionsAreConverted) {
  size_t total = 0, converted = 0;
  std::vector<std::string> missed;
  for (const std::string& q : CorrectlyTypedQueries()) {
    const std::string typed = OtherLayout(q);
    if (typed.empty() || typed == q) continue;  // Uzbek ў қ ғ ҳ have no key on the Russian layout
    // Only queries the catalog has: a word no product uses is no evidence either way.
    if (MustSearch(index(), Request(q, false)).total == 0) continue;
    ++total;
    auto r = MustSearch(index(), Request(typed));
    if (r.rewritten_query && *r.rewritten_query == q) {
      ++converted;
    } else {
      missed.push_back(typed + " (" + q + ") → " + r.rewritten_query.value_or("as typed"));
    }
  }
  std::cout << "layout recall set: " << converted << " of " << total << " converted\n";
  for (const auto& m : missed) std::cout << "  missed: " << m << "\n";
  ASSERT_GE(total, 150u);
  EXPECT_GE(converted * 10, total * 9);  // at least 90%
}

}  // namespace
}  // namespace ultrasearch::testing
