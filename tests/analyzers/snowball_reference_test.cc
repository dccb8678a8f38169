// Runs Snowball's Russian reference vocabulary (third_party/reference/snowball-russian)
// through the `ru` analyzer and expects the reference stem for every word.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "ultrasearch_analyzers/builtin.h"

namespace ultrasearch::analyzers {
namespace {

TEST(SnowballReferenceTest, RuAnalyzerMatchesReferenceOutput) {
  std::filesystem::path dir = std::filesystem::path(ULTRASEARCH_THIRD_PARTY_DIR) / "reference" /
                              "snowball-russian";
  ASSERT_TRUE(std::filesystem::exists(dir / "voc.txt")) << "no reference data in " << dir;
  std::ifstream voc(dir / "voc.txt"), output(dir / "output.txt");
  auto registry = MakeBuiltinAnalyzers();
  const Analyzer* ru = registry->Find("ru");
  std::string word, expected;
  size_t words = 0, mismatches = 0;
  while (std::getline(voc, word) && std::getline(output, expected)) {
    ++words;
    auto tokens = ru->Analyze(word);
    if (tokens.size() != 1 || tokens[0].term != expected) {
      if (++mismatches <= 10) {
        ADD_FAILURE() << word << " → " << (tokens.empty() ? "" : tokens[0].term) << ", expected "
                      << expected;
      }
    }
  }
  EXPECT_EQ(words, 49785u);
  EXPECT_EQ(mismatches, 0u);
}

}  // namespace
}  // namespace ultrasearch::analyzers
