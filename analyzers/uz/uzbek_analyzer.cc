#include "common/text.h"
#include "common/word_analyzer.h"
#include "uz/script.h"
#include "uz/stemmer.h"
#include "uz/uzbek.h"

namespace ultrasearch::analyzers {
namespace {

class UzbekAnalyzer : public WordAnalyzer {
 public:
  UzbekAnalyzer() : WordAnalyzer(/*fold_apostrophes=*/true) {}

 protected:
  void AnalyzeWord(const std::string& word, AnalysisMode,
                   std::vector<std::string>* terms) const override {
    terms->push_back(UzbekTerm(word));
  }
};

}  // namespace

std::string UzbekTerm(std::string_view word) {
  if (HasCyrillic(word)) return UzbekStem(UzCyrlWordToLatn(word));
  std::string latin(word);
  FoldUzLatinSpelling(&latin);
  return UzbekStem(latin);
}

std::shared_ptr<const Analyzer> MakeUzbekAnalyzer() { return std::make_shared<UzbekAnalyzer>(); }

}  // namespace ultrasearch::analyzers
