#include "ru/russian.h"

#include <xapian.h>

#include "common/text.h"
#include "common/word_analyzer.h"

namespace ultrasearch::analyzers {
namespace {

class RussianAnalyzer : public WordAnalyzer {
 public:
  RussianAnalyzer() : WordAnalyzer(/*fold_apostrophes=*/false) {}

 protected:
  void AnalyzeWord(const std::string& word, AnalysisMode,
                   std::vector<std::string>* terms) const override {
    terms->push_back(RussianStem(word));
  }
};

}  // namespace

std::string FoldYo(std::string_view word) {
  std::string out(word);
  for (size_t i = 0; i + 1 < out.size(); ++i) {
    auto a = static_cast<unsigned char>(out[i]);
    auto b = static_cast<unsigned char>(out[i + 1]);
    if (a == 0xD1 && b == 0x91) {  // ё U+0451 → е U+0435
      out[i] = static_cast<char>(0xD0);
      out[i + 1] = static_cast<char>(0xB5);
    } else if (a == 0xD0 && b == 0x81) {  // Ё U+0401 → Е U+0415
      out[i + 1] = static_cast<char>(0x95);
    }
  }
  return out;
}

std::string RussianStem(std::string_view word) {
  if (!HasCyrillic(word)) return std::string(word);
  thread_local Xapian::Stem stemmer("russian");
  return stemmer(FoldYo(word));
}

std::shared_ptr<const Analyzer> MakeRussianAnalyzer() {
  return std::make_shared<RussianAnalyzer>();
}

}  // namespace ultrasearch::analyzers
