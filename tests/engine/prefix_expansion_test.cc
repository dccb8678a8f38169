// The partial last word of bool_prefix through the public engine API: how many terms a prefix
// expands to (fewer for the first keystrokes), and that the most frequent ones are kept.
#include <xapian.h>

#include "engine/engine_test_util.h"
// ExpandPrefixes is internal to the engine; checked directly (as fuzzy_test.cc checks the term
// dictionary), the engine library is linked in.
#include "../../engine/src/search/prefix_expansion.h"

namespace ultrasearch::testing {
namespace {

// Twelve words starting with "qa"; word k (1..12) is the name of k products, so the most frequent
// words are the last ones. (Words with q get no Russian-in-Latin alternative in `catalog`, so each
// is exactly one term.)
constexpr const char* kWords[] = {"qaaz", "qabz", "qacz", "qadz", "qaez", "qafz",
                                  "qagz", "qahz", "qaiz", "qajz", "qakz", "qalz"};

class PrefixExpansionTest : public ProductsIndexTest {
 protected:
  void SetUp() override {
    ProductsIndexTest::SetUp();
    std::vector<WriteOp> ops;
    for (int k = 1; k <= 12; ++k) {
      for (int j = 0; j < k; ++j) {
        std::string id = std::string(kWords[k - 1]) + "-" + std::to_string(j);
        ops.push_back(WriteOp{WriteOp::Type::kIndex, id, R"({"name":")" + std::string(kWords[k - 1]) + R"("})"});
      }
    }
    auto written = index_->Write(ops);
    ASSERT_TRUE(written.ok()) << written.status().ToString();
    ASSERT_TRUE(index_->Refresh().ok());
  }

  uint64_t Total(const std::string& text, int max_expansions = 50) {
    MatchQuery m;
    m.type = MatchQuery::Type::kBoolPrefix;
    m.fields = {{"name", 1.0}};
    m.text = text;
    m.fuzziness.max_expansions = max_expansions;
    SearchRequest r;
    r.query.node = m;
    r.size = 0;
    r.reread_in_other_layout = false;
    return MustSearch(*index_, r).total;
  }
};

TEST_F(PrefixExpansionTest, OneLetterKeepsTheTenMostFrequentWords) {
  // Words 3..12 are the ten most frequent: 3 + 4 + ... + 12 = 75 products; qaaz and qabz are left.
  EXPECT_EQ(Total("q"), 75u);
}

TEST_F(PrefixExpansionTest, TwoLettersKeepTwentyFive) {
  EXPECT_EQ(Total("qa"), 78u);  // all twelve words
}

TEST_F(PrefixExpansionTest, MaxExpansionsCapsLongerPrefixes) {
  EXPECT_EQ(Total("qa", 5), 8u + 9u + 10u + 11u + 12u);  // the five most frequent
  EXPECT_EQ(Total("q", 5), 50u);                         // the smaller cap wins
  EXPECT_EQ(Total("qab"), 2u);
  EXPECT_EQ(Total("qalz"), 12u);  // a whole word is its own prefix
}

TEST_F(PrefixExpansionTest, EarlierWordsStayExact) {
  // "qaaz" is a whole earlier word here (no expansion), "qa" the partial one; operator or.
  EXPECT_EQ(Total("qaaz qa", 50), 78u);
  MatchQuery m;
  m.type = MatchQuery::Type::kBoolPrefix;
  m.op = MatchQuery::Operator::kAnd;
  m.fields = {{"name", 1.0}};
  m.text = "qaa qalz";  // "qaa" is not a word, only a prefix of one: with and, nothing matches
  SearchRequest r;
  r.query.node = m;
  r.reread_in_other_layout = false;
  EXPECT_EQ(MustSearch(*index_, r).total, 0u);
}

// A partial word with several forms (as `муз` / `muz`) gets one cap for the word: the most
// frequent completions of any form, each once, not `limit` per form.
TEST(ExpandPrefixesTest, OneCapOverEveryFormMostFrequentFirst) {
  TempDir dir;
  const std::string path = (dir.path() / "db").string();
  {
    Xapian::WritableDatabase wdb(path, Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
    // term -> number of documents holding it
    const std::pair<const char*, int> kTerms[] = {{"muza", 5}, {"muzb", 1}, {"музв", 3}, {"музг", 4}, {"xyz", 9}};
    for (const auto& [term, docs] : kTerms) {
      for (int i = 0; i < docs; ++i) {
        Xapian::Document doc;
        doc.add_term(std::string("T1:") + term);
        wdb.add_document(doc);
      }
    }
    wdb.commit();
  }
  Xapian::Database db(path);
  using Terms = std::vector<std::string>;
  EXPECT_EQ(ExpandPrefixes(db, "T1:", {"muz", "муз"}, 3), (Terms{"T1:muza", "T1:музг", "T1:музв"}));
  EXPECT_EQ(ExpandPrefixes(db, "T1:", {"muz", "муз"}, 50),
            (Terms{"T1:muza", "T1:музг", "T1:музв", "T1:muzb"}));
  // A form that is a prefix of another: its terms are not repeated.
  EXPECT_EQ(ExpandPrefixes(db, "T1:", {"mu", "muz", "muzb"}, 50), (Terms{"T1:muza", "T1:muzb"}));
  EXPECT_EQ(ExpandPrefixes(db, "T1:", {"q", "ц"}, 50), Terms{});
}

}  // namespace
}  // namespace ultrasearch::testing
