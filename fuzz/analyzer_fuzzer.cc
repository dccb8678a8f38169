// One analyzer, chosen at build time (ULTRASEARCH_FUZZ_ANALYZER: catalog, uz, ru, standard, keyword
// or whitespace; fuzz/CMakeLists.txt builds one target per name), over fuzzed text in both modes.
// The contract of analysis.h: any bytes are accepted (invalid UTF-8 becomes U+FFFD), terms are
// UTF-8, offsets lie inside the input (UTF-16 units never outnumber UTF-8 bytes), start <= end,
// positions never go back, and analysing the same text twice gives the same tokens (an analyzer
// is shared by every thread, so it must keep no state between calls).
#include <string>

#include "fuzz_util.h"
#include "ultrasearch_analyzers/builtin.h"

using namespace ultrasearch;

namespace {

std::string Describe(const Token& t) {
  return "term [" + t.term + "] offsets " + std::to_string(t.start_offset) + ".." + std::to_string(t.end_offset) +
         " position " + std::to_string(t.position);
}

void CheckTokens(std::string_view input, const std::vector<Token>& tokens) {
  uint32_t last_position = 0;
  for (const Token& t : tokens) {
    if (!fuzz::IsValidUtf8(t.term)) fuzz::Fail("a term is not valid UTF-8", Describe(t));
    if (t.start_offset > t.end_offset || t.end_offset > input.size()) {
      fuzz::Fail("offsets outside the input of " + std::to_string(input.size()) + " bytes", Describe(t));
    }
    if (t.position < last_position) fuzz::Fail("positions went back", Describe(t));
    last_position = t.position;
  }
}

bool Same(const std::vector<Token>& a, const std::vector<Token>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].term != b[i].term || a[i].start_offset != b[i].start_offset || a[i].end_offset != b[i].end_offset ||
        a[i].position != b[i].position || a[i].type != b[i].type) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto registry = analyzers::MakeBuiltinAnalyzers();
  static const Analyzer* analyzer = registry->Find(ULTRASEARCH_FUZZ_ANALYZER);
  if (analyzer == nullptr) fuzz::Fail("no such analyzer", ULTRASEARCH_FUZZ_ANALYZER);
  std::string_view input = fuzz::AsText(data, size);
  for (AnalysisMode mode : {AnalysisMode::kIndex, AnalysisMode::kQuery}) {
    std::vector<Token> tokens = analyzer->Analyze(input, mode);
    CheckTokens(input, tokens);
    if (!Same(tokens, analyzer->Analyze(input, mode))) fuzz::Fail("analysing twice gave other tokens", input);
  }
  return 0;
}
