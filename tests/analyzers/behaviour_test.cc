// Contract tests shared by every analyzer (parameterised) plus offsets and thread safety.
#include <gtest/gtest.h>

#include <thread>

#include "ultrasearch/utf8.h"
#include "ultrasearch_analyzers/builtin.h"

namespace ultrasearch::analyzers {
namespace {

const AnalyzerRegistry& Registry() {
  static const auto registry = MakeBuiltinAnalyzers();
  return *registry;
}

class EveryAnalyzerTest : public ::testing::TestWithParam<const char*> {};

TEST_P(EveryAnalyzerTest, EmptyInputGivesNoTokens) {
  EXPECT_TRUE(Registry().Find(GetParam())->Analyze("").empty());
}

TEST_P(EveryAnalyzerTest, InvalidUtf8NeverFails) {
  auto tokens = Registry().Find(GetParam())->Analyze(std::string("ab\xFF\xFE cd \xD0", 8));
  for (const Token& t : tokens) EXPECT_FALSE(t.term.empty());
}

TEST_P(EveryAnalyzerTest, PositionsStartAtZeroAndNeverDecrease) {
  auto tokens = Registry().Find(GetParam())->Analyze("Oʻzbekiston Холодильник telefonlar 42");
  ASSERT_FALSE(tokens.empty());
  EXPECT_EQ(tokens[0].position, 0u);
  for (size_t i = 1; i < tokens.size(); ++i) {
    EXPECT_GE(tokens[i].position, tokens[i - 1].position);
    EXPECT_LE(tokens[i].position, tokens[i - 1].position + 1);
    EXPECT_LE(tokens[i].start_offset, tokens[i].end_offset);
  }
}

INSTANTIATE_TEST_SUITE_P(Builtin, EveryAnalyzerTest,
                         ::testing::Values("catalog", "uz", "ru", "standard", "keyword",
                                           "whitespace"));

// The language analyzers cap a term at 100 bytes (Xapian's terms are limited) and must never
// cut inside a character: "x" then two-byte letters puts byte 100 in the middle of one.
class WordAnalyzerTest : public ::testing::TestWithParam<const char*> {};

TEST_P(WordAnalyzerTest, OverlongWordsAreCutOnACharacterBoundary) {
  std::string word = "x";
  for (int i = 0; i < 150; ++i) word += "ж";
  auto tokens = Registry().Find(GetParam())->Analyze(word + " " + word + "лар");
  ASSERT_FALSE(tokens.empty());
  for (const Token& t : tokens) {
    EXPECT_LE(t.term.size(), 100u) << t.term;
    EXPECT_TRUE(IsValidUtf8(t.term)) << t.term;
  }
}

INSTANTIATE_TEST_SUITE_P(Language, WordAnalyzerTest, ::testing::Values("catalog", "uz", "ru"));

TEST(AnalyzerOffsetsTest, OffsetsAreUtf16CodeUnits) {
  // "Ўзбекистон" is 10 code units; the emoji takes two.
  auto tokens = Registry().Find("standard")->Analyze("Ўзбекистон 😀 telefon");
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].start_offset, 0u);
  EXPECT_EQ(tokens[0].end_offset, 10u);
  EXPECT_EQ(tokens[1].start_offset, 14u);
  EXPECT_EQ(tokens[1].end_offset, 21u);
  EXPECT_EQ(tokens[1].position, 1u);
}

TEST(AnalyzerOffsetsTest, ApostropheVariantsStayOneWord) {
  for (const char* text : {"o'zbek", "oʻzbek", "o’zbek", "o‘zbek", "o`zbek"}) {
    auto tokens = Registry().Find("uz")->Analyze(text);
    ASSERT_EQ(tokens.size(), 1u) << text;
    EXPECT_EQ(tokens[0].term, "ozbek");
    EXPECT_EQ(tokens[0].end_offset, 6u) << text;
  }
}

TEST(AnalyzerOffsetsTest, AlternativesShareOffsetsAndPosition) {
  auto tokens = Registry().Find("catalog")->Analyze("Холодильник");
  ASSERT_GE(tokens.size(), 2u);
  for (const Token& t : tokens) {
    EXPECT_EQ(t.position, 0u);
    EXPECT_EQ(t.start_offset, 0u);
    EXPECT_EQ(t.end_offset, 11u);
  }
}

TEST(AnalyzerThreadsTest, ConcurrentAnalysisGivesTheSameTokens) {
  const std::string text = "Samsung muzlatgichlari Холодильник Ўзбекистон O'zbekiston 8/256 GB";
  std::vector<std::string> expected;
  for (const char* name : {"catalog", "uz", "ru", "standard"}) {
    for (const Token& t : Registry().Find(name)->Analyze(text)) expected.push_back(t.term);
  }
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int k = 0; k < 4; ++k) {
    threads.emplace_back([&, k] {
      bool same = true;
      for (int round = 0; round < 200; ++round) {
        std::vector<std::string> got;
        for (const char* name : {"catalog", "uz", "ru", "standard"}) {
          for (const Token& t : Registry().Find(name)->Analyze(text)) got.push_back(t.term);
        }
        same = same && got == expected;
      }
      ok[k] = same;
    });
  }
  for (auto& t : threads) t.join();
  for (int k = 0; k < 4; ++k) EXPECT_TRUE(ok[k]) << k;
}

}  // namespace
}  // namespace ultrasearch::analyzers
