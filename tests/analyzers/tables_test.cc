// Table-driven analyzer tests: every row of tests/data/analyzers/*.tsv is one case.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "analyzers/table_reader.h"
#include "ultrasearch_analyzers/builtin.h"
#include "ultrasearch_analyzers/keyboard_layout.h"
#include "ultrasearch_analyzers/uzbek_script.h"

namespace ultrasearch::analyzers {
namespace {

using testing::ReadTable;
using testing::StripMarks;

const AnalyzerRegistry& Registry() {
  static const auto registry = MakeBuiltinAnalyzers();
  return *registry;
}

// Terms grouped by position.
std::vector<std::set<std::string>> Positions(const std::string& analyzer, const std::string& text,
                                             AnalysisMode mode = AnalysisMode::kIndex) {
  std::vector<std::set<std::string>> out;
  for (const Token& t : Registry().Find(analyzer)->Analyze(text, mode)) {
    if (t.position >= out.size()) out.resize(t.position + 1);
    out[t.position].insert(t.term);
  }
  return out;
}

// "a|b c" as the analyzer emits it.
std::string Render(const std::string& analyzer, const std::string& text) {
  std::string out;
  uint32_t last = UINT32_MAX;
  for (const Token& t : Registry().Find(analyzer)->Analyze(text)) {
    if (!out.empty()) out += t.position == last ? "|" : " ";
    out += t.term;
    last = t.position;
  }
  return out;
}

TEST(AnalyzerTablesTest, AnalyzerCases) {
  auto rows = ReadTable("analyzer_cases.tsv");
  ASSERT_GE(rows.size(), 20u);
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 3u);
    ASSERT_NE(Registry().Find(row[0]), nullptr) << row[0];
    EXPECT_EQ(Render(row[0], row[1]), row[2]) << row[0] << ": " << row[1];
  }
}

TEST(AnalyzerTablesTest, UzbekStems) {
  auto rows = ReadTable("uz_stems.tsv");
  ASSERT_GE(rows.size(), 300u);
  int failures = 0;
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 2u);
    auto positions = Positions("uz", row[0]);
    ASSERT_EQ(positions.size(), 1u) << row[0];
    std::string expected = StripMarks(row[1]);
    if (*positions[0].begin() != expected) {
      ++failures;
      ADD_FAILURE() << row[0] << " → " << *positions[0].begin() << ", expected " << expected;
    }
  }
  EXPECT_EQ(failures, 0);
}

TEST(AnalyzerTablesTest, Distinctions) {
  for (const auto& row : ReadTable("uz_distinct.tsv")) {
    ASSERT_EQ(row.size(), 3u);
    std::set<std::string> a, b;
    for (const auto& p : Positions(row[0], row[1])) a.insert(p.begin(), p.end());
    for (const auto& p : Positions(row[0], row[2])) b.insert(p.begin(), p.end());
    std::vector<std::string> shared;
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(shared));
    EXPECT_TRUE(shared.empty()) << row[0] << ": " << row[1] << " and " << row[2] << " share "
                                << (shared.empty() ? "" : shared[0]);
  }
}

TEST(AnalyzerTablesTest, CyrillicToLatin) {
  auto rows = ReadTable("uz_cyrl_latn.tsv");
  ASSERT_GE(rows.size(), 40u);
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 2u);
    EXPECT_EQ(UzCyrillicToLatin(row[0]), row[1]) << row[0];
  }
}

TEST(AnalyzerTablesTest, LatinToCyrillic) {
  auto rows = ReadTable("uz_latn_cyrl.tsv");
  ASSERT_GE(rows.size(), 30u);
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 2u);
    EXPECT_EQ(UzLatinToCyrillic(row[0]), row[1]) << row[0];
  }
}

// Both scripts of one Uzbek word analyse to the same uz term.
TEST(AnalyzerTablesTest, ScriptsMeetInUz) {
  for (const auto& row : ReadTable("uz_cyrl_latn.tsv")) {
    EXPECT_EQ(Positions("uz", row[0]), Positions("uz", row[1])) << row[0] << " / " << row[1];
  }
}

TEST(AnalyzerTablesTest, CatalogMatches) {
  for (const auto& row : ReadTable("catalog_matches.tsv")) {
    ASSERT_EQ(row.size(), 3u);
    auto query = Positions("catalog", row[0], AnalysisMode::kQuery);
    std::set<std::string> doc;
    for (const auto& p : Positions("catalog", row[1])) doc.insert(p.begin(), p.end());
    bool all = !query.empty();
    for (const auto& alternatives : query) {
      all = all && std::any_of(alternatives.begin(), alternatives.end(),
                               [&](const std::string& t) { return doc.count(t) != 0; });
    }
    EXPECT_EQ(all, row[2] == "match") << row[0] << " vs " << row[1];
  }
}

TEST(AnalyzerTablesTest, WrongLayout) {
  for (const auto& row : ReadTable("layout.tsv")) {
    ASSERT_EQ(row.size(), 2u);
    auto candidates = WrongLayoutCandidates(row[0]);
    if (row[1] == "-") {
      EXPECT_TRUE(candidates.empty()) << row[0] << " → " << candidates[0];
    } else {
      ASSERT_FALSE(candidates.empty()) << row[0];
      EXPECT_EQ(candidates[0], row[1]) << row[0];
    }
  }
}

TEST(AnalyzerTablesTest, RegistryRewriterIsTheLayoutRewriter) {
  ASSERT_EQ(Registry().query_rewriters().size(), 1u);
  auto candidates = Registry().query_rewriters()[0]("ntktajy");
  ASSERT_EQ(candidates.size(), 1u);
  EXPECT_EQ(candidates[0], "телефон");
}

}  // namespace
}  // namespace ultrasearch::analyzers
