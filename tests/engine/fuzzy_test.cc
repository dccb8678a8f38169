// Typo tolerance (fuzziness AUTO): end to end through the public API, and the term dictionary
// that serves it checked against a brute-force reference on random terms.
#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine_test_util.h"
// The dictionary is internal to the engine; this test checks it directly (the engine library is
// linked in, its private headers are not on the include path).
#include "../../engine/src/search/term_dictionary.h"

namespace ultrasearch::testing {
namespace {

// ---------------------------------------------------------------------------------- reference --

std::u32string Decode(const std::string& s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<size_t>(k)]) & 0x3f);
    out.push_back(cp);
    i += static_cast<size_t>(len);
  }
  return out;
}

// Full (unbounded) optimal-string-alignment distance: the textbook DP, no pruning.
int Distance(const std::u32string& a, const std::u32string& b, bool transpositions) {
  std::vector<std::vector<int>> d(a.size() + 1, std::vector<int>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (transpositions && i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

std::vector<FuzzyMatch> BruteForce(const std::vector<std::pair<std::string, Xapian::doccount>>& terms,
                                   const std::string& query, const FuzzyOptions& o) {
  const std::u32string q = Decode(query);
  const size_t prefix = std::min(q.size(), static_cast<size_t>(o.prefix_length));
  std::vector<FuzzyMatch> out;
  for (const auto& [term, freq] : terms) {
    if (freq == 0) continue;
    const std::u32string t = Decode(term);
    if (t.size() < prefix || t.compare(0, prefix, q, 0, prefix) != 0) continue;
    const int d = Distance(q, t, o.transpositions);
    if (d <= o.max_edits) out.push_back({term, d, freq});
  }
  std::sort(out.begin(), out.end(), FuzzyMatchBefore);
  if (out.size() > static_cast<size_t>(o.max_expansions)) out.resize(static_cast<size_t>(o.max_expansions));
  return out;
}

std::string Show(const std::vector<FuzzyMatch>& matches) {
  std::string s;
  for (const auto& m : matches) s += m.term + "/" + std::to_string(m.distance) + "/" + std::to_string(m.freq) + " ";
  return s;
}

// Random words over a small mixed alphabet (Latin, Cyrillic, the Uzbek okina), so that near
// neighbours are plentiful; queries are dictionary words with random edits, or random words.
class RandomWords {
 public:
  explicit RandomWords(uint32_t seed) : rng_(seed) {}
  std::string Word(size_t min_len, size_t max_len) {
    std::string w;
    size_t len = min_len + rng_() % (max_len - min_len + 1);
    for (size_t i = 0; i < len; ++i) w += kAlphabet[rng_() % kAlphabet.size()];
    return w;
  }
  std::string Mutate(const std::string& word, int edits) {
    std::vector<std::string> letters;
    for (size_t i = 0; i < word.size();) {
      unsigned char c = static_cast<unsigned char>(word[i]);
      size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : 3;
      letters.push_back(word.substr(i, len));
      i += len;
    }
    for (int e = 0; e < edits; ++e) {
      size_t at = letters.empty() ? 0 : rng_() % letters.size();
      std::string letter = kAlphabet[rng_() % kAlphabet.size()];
      switch (letters.empty() ? 1 : rng_() % 4) {
        case 0: letters[at] = letter; break;
        case 1: letters.insert(letters.begin() + static_cast<std::ptrdiff_t>(at), letter); break;
        case 2: letters.erase(letters.begin() + static_cast<std::ptrdiff_t>(at)); break;
        default:
          if (at + 1 < letters.size()) std::swap(letters[at], letters[at + 1]);
      }
    }
    std::string out;
    for (const auto& l : letters) out += l;
    return out;
  }
  uint32_t Next() { return static_cast<uint32_t>(rng_()); }

 private:
  static inline const std::vector<std::string> kAlphabet = {"a", "b", "k", "o", "s", "t", "а", "к", "о", "т", "ʻ"};
  std::mt19937 rng_;
};

void ExpectSameAsBruteForce(const TermDictionary& dict, const std::vector<std::pair<std::string, Xapian::doccount>>& terms,
                            RandomWords& words, int queries) {
  for (int q = 0; q < queries; ++q) {
    std::string query = q % 3 == 0 ? words.Word(1, 9) : words.Mutate(terms[words.Next() % terms.size()].first, 1 + q % 3);
    FuzzyOptions o;
    o.max_edits = 1 + q % 2;
    o.prefix_length = static_cast<int>(words.Next() % 3);
    o.transpositions = q % 4 != 0;
    o.max_expansions = q % 5 == 0 ? 3 : 100000;
    auto expected = BruteForce(terms, query, o);
    auto actual = dict.Search(query, o);
    ASSERT_EQ(Show(actual), Show(expected)) << "query " << query << " edits " << o.max_edits << " prefix "
                                            << o.prefix_length << " transpositions " << o.transpositions;
  }
}

TEST(TermDictionaryTest, MatchesBruteForceOnRandomTerms) {
  RandomWords words(1234);
  std::vector<std::pair<std::string, Xapian::doccount>> terms;
  std::set<std::string> seen;
  while (terms.size() < 4000) {
    std::string w = words.Word(1, 10);
    if (seen.insert(w).second) terms.emplace_back(w, 1 + words.Next() % 20);
  }
  auto dict = TermDictionary::FromTerms(terms);
  EXPECT_EQ(dict->term_count(), terms.size());
  ExpectSameAsBruteForce(*dict, terms, words, 1500);
}

TEST(TermDictionaryTest, OrdersByDistanceThenFrequencyAndCaps) {
  auto dict = TermDictionary::FromTerms({{"telefon", 5}, {"telefonlar", 9}, {"telefoni", 2}, {"telefom", 7},
                                         {"tilifon", 100}, {"televizor", 50}});
  FuzzyOptions o;
  o.max_edits = 2;
  EXPECT_EQ(Show(dict->Search("telefon", o)), "telefon/0/5 telefom/1/7 telefoni/1/2 tilifon/2/100 ");
  o.max_expansions = 2;
  EXPECT_EQ(Show(dict->Search("telefon", o)), "telefon/0/5 telefom/1/7 ");
  o.max_expansions = 50;
  o.prefix_length = 2;  // "ti..." no longer qualifies
  EXPECT_EQ(Show(dict->Search("telefon", o)), "telefon/0/5 telefom/1/7 telefoni/1/2 ");
  o.prefix_length = 0;
  o.max_edits = 1;
  EXPECT_EQ(Show(dict->Search("tleefon", o)), "telefon/1/5 ");  // a transposition is one edit
  o.transpositions = false;
  EXPECT_EQ(Show(dict->Search("tleefon", o)), "");
}

TEST(TermDictionaryTest, EmptyAndShortInputs) {
  auto empty = TermDictionary::FromTerms({});
  EXPECT_TRUE(empty->Search("abc", FuzzyOptions{}).empty());
  auto dict = TermDictionary::FromTerms({{"a", 1}, {"ab", 1}, {"abc", 1}, {"b", 1}});
  FuzzyOptions o;
  o.max_edits = 1;
  EXPECT_EQ(Show(dict->Search("", o)), "a/1/1 b/1/1 ");
  o.prefix_length = 5;  // longer than the query: the whole query must be a prefix
  EXPECT_EQ(Show(dict->Search("ab", o)), "ab/0/1 abc/1/1 ");
}

// A prefix typed one keystroke at a time expands to the most frequent terms that start with it.
TEST(TermDictionaryTest, MostFrequentWithPrefixKeepsTheTopTerms) {
  auto dict = TermDictionary::FromTerms({{"telefon", 5}, {"telefonlar", 9}, {"televizor", 50}, {"tefal", 9},
                                         {"tilifon", 100}, {"muzlatgich", 40}, {"te", 1}});
  EXPECT_EQ(Show(dict->MostFrequentWithPrefix("te", 10)), "televizor/0/50 tefal/0/9 telefonlar/0/9 telefon/0/5 te/0/1 ");
  // Capped: the most frequent survive, ties broken by the term's bytes.
  EXPECT_EQ(Show(dict->MostFrequentWithPrefix("t", 3)), "tilifon/0/100 televizor/0/50 tefal/0/9 ");
  EXPECT_EQ(Show(dict->MostFrequentWithPrefix("telefon", 10)), "telefonlar/0/9 telefon/0/5 ");
  EXPECT_EQ(Show(dict->MostFrequentWithPrefix("x", 10)), "");
  EXPECT_EQ(Show(dict->MostFrequentWithPrefix("t", 0)), "");
  auto cyrillic = TermDictionary::FromTerms({{"холод", 3}, {"холодильник", 7}, {"хол", 1}, {"чайник", 4}});
  EXPECT_EQ(Show(cyrillic->MostFrequentWithPrefix("холо", 10)), "холодильник/0/7 холод/0/3 ");
}

// Fuzzy prefixes (the completion suggester's fuzzy option): a term matches when some start of it
// is within the edits allowed.
TEST(TermDictionaryTest, PrefixModeMatchesStartsWithinEdits) {
  auto dict = TermDictionary::FromTerms({{"samsung", 5}, {"sams", 1}, {"salsa", 2}, {"galaxy", 3}, {"smsung", 1}});
  FuzzyOptions o;
  o.max_edits = 1;
  o.prefix = true;
  // "samsn": "samsu" is one substitution away, "sams" one deletion; smsung's starts need two.
  EXPECT_EQ(Show(dict->Search("samsn", o)), "samsung/1/5 sams/1/1 ");
  o.prefix_length = 2;  // must start with "sa"
  EXPECT_EQ(Show(dict->Search("samsn", o)), "samsung/1/5 sams/1/1 ");
  o.prefix_length = 0;
  o.max_edits = 2;
  // A term's distance is its closest start: galaxy starts with "gal", salsa with "sal" (one edit).
  EXPECT_EQ(Show(dict->Search("gal", o)), "galaxy/0/3 salsa/1/2 samsung/2/5 sams/2/1 ");
}

// Update against a real Xapian database: after adds and deletes it must answer exactly as a
// dictionary built from scratch, while sharing the previous sorted arrays.
TEST(TermDictionaryTest, UpdateEqualsRebuildAfterAddsAndDeletes) {
  TempDir dir;
  const std::string path = (dir.path() / "db").string();
  const std::string prefix = "T1:";
  RandomWords words(99);
  Xapian::WritableDatabase wdb(path, Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
  auto add_docs = [&](int n) {
    for (int i = 0; i < n; ++i) {
      Xapian::Document doc;
      for (int t = 0; t < 3; ++t) doc.add_term(prefix + words.Word(2, 8));
      doc.add_term("T2:" + words.Word(2, 8));  // another field: never returned
      wdb.add_document(doc);
    }
    wdb.commit();
  };
  add_docs(3000);
  Xapian::Database db(path);
  auto first = TermDictionary::Build(db, prefix);
  add_docs(200);
  for (Xapian::docid id = 1; id <= 400; id += 2) wdb.delete_document(id);  // some terms vanish
  wdb.commit();
  db.reopen();
  auto updated = TermDictionary::Update(db, prefix, first);
  auto rebuilt = TermDictionary::Build(db, prefix);
  EXPECT_EQ(updated->segment_count(), 2u);
  EXPECT_EQ(updated->term_count(), rebuilt->term_count());
  std::vector<std::pair<std::string, Xapian::doccount>> terms;
  for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) {
    terms.emplace_back((*it).substr(prefix.size()), it.get_termfreq());
  }
  ExpectSameAsBruteForce(*updated, terms, words, 600);
  ExpectSameAsBruteForce(*rebuilt, terms, words, 200);
  // An update of an update still shares only the first segment and stays exact.
  add_docs(50);
  db.reopen();
  auto again = TermDictionary::Update(db, prefix, updated);
  EXPECT_EQ(again->segment_count(), 2u);
  EXPECT_EQ(again->term_count(), TermDictionary::Build(db, prefix)->term_count());
}

// A glass database in `dir` holding one document with the term T1:artel, committed.
Xapian::WritableDatabase OneDocumentDatabase(const TempDir& dir, std::string* path) {
  *path = (dir.path() / "db").string();
  Xapian::WritableDatabase wdb(*path, Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
  Xapian::Document doc;
  doc.add_term("T1:artel");
  wdb.add_document(doc);
  wdb.commit();
  return wdb;
}

TEST(TermDictionaryCacheTest, SharesPerRevisionAndFollowsCommits) {
  TempDir dir;
  std::string path;
  Xapian::WritableDatabase wdb = OneDocumentDatabase(dir, &path);
  TermDictionaryCache cache;
  Xapian::Database a(path), b(path);
  auto da = cache.Get(a, "T1:");
  EXPECT_EQ(da, cache.Get(b, "T1:"));  // same revision: one shared dictionary
  Xapian::Document more;
  more.add_term("T1:samsung");
  wdb.add_document(more);
  wdb.commit();
  b.reopen();
  auto db_new = cache.Get(b, "T1:");
  EXPECT_NE(da, db_new);
  EXPECT_EQ(Show(db_new->Search("samsnug", FuzzyOptions{})), "samsung/1/1 ");
  EXPECT_TRUE(da->Search("samsnug", FuzzyOptions{}).empty());
}

// A caller with a fallback (a plain query's term frequencies) gets the dictionary when it is
// current or was never built, and nothing when only an older revision's is cached: it must not pay
// the update a refresh under writes calls for.
TEST(TermDictionaryCacheTest, GetWithoutUpdateBuildsOnceAndNeverUpdates) {
  TempDir dir;
  std::string path;
  Xapian::WritableDatabase wdb = OneDocumentDatabase(dir, &path);
  TermDictionaryCache cache;
  Xapian::Database db(path);
  auto first = cache.GetWithoutUpdate(db, "T1:");  // never built: built now
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->Frequency("artel"), 1u);
  EXPECT_EQ(first->Frequency("samsung"), 0u);
  EXPECT_EQ(cache.GetWithoutUpdate(db, "T1:"), first);  // current: the same one
  Xapian::Document more;
  more.add_term("T1:samsung");
  more.add_term("T1:artel");
  wdb.add_document(more);
  wdb.commit();
  db.reopen();
  EXPECT_EQ(cache.GetWithoutUpdate(db, "T1:"), nullptr);  // only the older revision's
  auto updated = cache.Get(db, "T1:");                  // what a fuzzy or prefix query does
  EXPECT_EQ(updated->Frequency("artel"), 2u);
  EXPECT_EQ(updated->Frequency("samsung"), 1u);
  EXPECT_EQ(cache.GetWithoutUpdate(db, "T1:"), updated);
}

// ------------------------------------------------------------------------ through the engine --

class FuzzyTest : public ProductsIndexTest {
 protected:
  void SetUp() override {
    ProductsIndexTest::SetUp();
    if (HasFatalFailure()) return;
    Put("tel", R"({"name":"Telefon Samsung Galaxy"})");
    Put("fridge", R"({"name":"Холодильник Artel"})");
    Put("tv", R"({"name":"TV Hofmann"})");
    Put("vacuum", R"({"name":"Changyutgich Dyson"})");
    ASSERT_TRUE(index_->Refresh().ok());
  }

  void Put(const std::string& id, const std::string& json) { ASSERT_TRUE(index_->Put(id, json).ok()) << id; }

  std::vector<std::string> Fuzzy(const std::string& text, int prefix_length = 0, int max_expansions = 50) {
    auto r = MatchRequest(text);
    auto& m = std::get<MatchQuery>(r.query.node);
    m.fuzziness.mode = Fuzziness::Mode::kAuto;
    m.fuzziness.prefix_length = prefix_length;
    m.fuzziness.max_expansions = max_expansions;
    r.size = 100;
    auto ids = HitIds(MustSearch(*index_, r));
    std::sort(ids.begin(), ids.end());
    return ids;
  }

};

using Ids = std::vector<std::string>;

TEST_F(FuzzyTest, AutoAllowsOneEditUpToFiveLettersAndTwoBeyond) {
  EXPECT_EQ(Fuzzy("telefon"), Ids{"tel"});
  EXPECT_EQ(Fuzzy("telefan"), Ids{"tel"});   // 7 letters, 1 edit
  EXPECT_EQ(Fuzzy("tilefan"), Ids{"tel"});   // 2 edits
  EXPECT_EQ(Fuzzy("tilifan"), Ids{});        // 3 edits
  EXPECT_EQ(Fuzzy("dyzon"), Ids{"vacuum"});  // 5 letters, 1 edit
  EXPECT_EQ(Fuzzy("ertal"), Ids{});          // 5 letters, 2 edits from "artel"
  EXPECT_EQ(Fuzzy("artl"), Ids{"fridge"});   // 4 letters, 1 edit (a deletion)
  EXPECT_EQ(Fuzzy("tx"), Ids{});            // 2 letters: exact only
  EXPECT_EQ(Fuzzy("tv"), Ids{"tv"});
  EXPECT_EQ(Fuzzy("samsnug"), Ids{"tel"});   // a transposition is one edit, as in Elasticsearch
  EXPECT_EQ(Fuzzy("glaxay"), Ids{"tel"});    // 6 letters, 2 edits
}

TEST_F(FuzzyTest, WithoutFuzzinessTyposFindNothing) {
  EXPECT_EQ(HitIds(MustSearch(*index_, MatchRequest("telefan"))), Ids{});
}

TEST_F(FuzzyTest, PrefixLengthIsHonoured) {
  EXPECT_EQ(Fuzzy("zelefon", 0), Ids{"tel"});
  EXPECT_EQ(Fuzzy("zelefon", 1), Ids{});  // the first letter must match exactly
  EXPECT_EQ(Fuzzy("telefan", 3), Ids{"tel"});
  EXPECT_EQ(Fuzzy("telefan", 6), Ids{});  // the typo is inside the exact prefix
}

TEST_F(FuzzyTest, CyrillicTypos) {
  EXPECT_EQ(Fuzzy("холодильнек"), Ids{"fridge"});
  EXPECT_EQ(Fuzzy("холадильнек"), Ids{"fridge"});
  EXPECT_EQ(Fuzzy("халадильнек"), Ids{});  // three edits
  EXPECT_EQ(Fuzzy("holodilnek"), Ids{"fridge"});  // Russian typed in Latin, with a typo
}

TEST_F(FuzzyTest, MaxExpansionsCapsTheTermsTried) {
  for (char c : std::string("abdfghkmpr")) {
    std::string json = R"({"name":")";
    json += c;
    json += R"(vorex"})";
    Put(std::string(1, c), json);
  }
  ASSERT_TRUE(index_->Refresh().ok());
  EXPECT_EQ(Fuzzy("zvorex").size(), 10u);  // every ?vorex is one edit away
  EXPECT_EQ(Fuzzy("zvorex", 0, 3), (Ids{"a", "b", "d"}));  // equal frequency: term order decides
}

TEST_F(FuzzyTest, NewDocumentsAreFoundAfterRefresh) {
  EXPECT_EQ(Fuzzy("muzlatkich"), Ids{});
  Put("new", R"({"name":"Muzlatgich Artel"})");
  EXPECT_EQ(Fuzzy("muzlatkich"), Ids{});  // not refreshed yet
  ASSERT_TRUE(index_->Refresh().ok());
  EXPECT_EQ(Fuzzy("muzlatkich"), Ids{"new"});
  Ids expected;
  for (int round = 0; round < 3; ++round) {  // several refreshes in a row, each adding a term
    const char letter = static_cast<char>('a' + round);
    std::string id(1, 'k');
    id += letter;
    std::string json = R"({"name":"konditsioner)";
    json += letter;
    json += R"("})";
    Put(id, json);
    ASSERT_TRUE(index_->Refresh().ok());
    std::string typo = "kondisioner";
    typo += letter;
    expected.push_back(id);  // the earlier konditsionerX are within two edits too
    EXPECT_EQ(Fuzzy(typo), expected);
  }
}

TEST_F(FuzzyTest, DeletedDocumentsDoNotBreakExpansion) {
  EXPECT_EQ(Fuzzy("dyzon"), Ids{"vacuum"});
  ASSERT_TRUE(index_->Delete("vacuum").ok());
  ASSERT_TRUE(index_->Refresh().ok());
  EXPECT_EQ(Fuzzy("dyzon"), Ids{});
  EXPECT_EQ(Fuzzy("telefan"), Ids{"tel"});
  Put("vacuum2", R"({"name":"Dyson V15"})");
  ASSERT_TRUE(index_->Refresh().ok());
  EXPECT_EQ(Fuzzy("dyzon"), Ids{"vacuum2"});
}

TEST_F(FuzzyTest, ReindexKeepsFuzzyWorking) {
  EXPECT_EQ(Fuzzy("telefan"), Ids{"tel"});
  ASSERT_TRUE(index_->Reindex().ok());
  EXPECT_EQ(Fuzzy("telefan"), Ids{"tel"});
  Put("tel2", R"({"name":"Telefonchik"})");
  ASSERT_TRUE(index_->Refresh().ok());
  EXPECT_EQ(Fuzzy("telefonchek"), Ids{"tel2"});
}

// Searches from several threads while another writes and refreshes: every search succeeds and the
// dictionary cache serves each reader revision consistently.
TEST_F(FuzzyTest, ConcurrentSearchesDuringRefreshes) {
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::mutex mu;
  std::string first_failure;
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      while (!done.load()) {
        auto r = MatchRequest("telefan");
        std::get<MatchQuery>(r.query.node).fuzziness.mode = Fuzziness::Mode::kAuto;
        auto result = index_->Search(r);
        if (!result.ok() || result->total < 1) {
          failures.fetch_add(1);
          std::lock_guard<std::mutex> lock(mu);
          if (first_failure.empty()) first_failure = result.ok() ? "no hits" : result.status().ToString();
        }
      }
    });
  }
  for (int i = 0; i < 20; ++i) {
    std::string json = R"({"name":"Telefon model)";
    json += std::to_string(i);
    json += R"("})";
    Put(std::to_string(1000 + i), json);
    ASSERT_TRUE(index_->Refresh().ok());
  }
  done.store(true);
  for (auto& t : readers) t.join();
  EXPECT_EQ(failures.load(), 0) << first_failure;
  EXPECT_EQ(Fuzzy("telefan").size(), 21u);
}

}  // namespace
}  // namespace ultrasearch::testing
