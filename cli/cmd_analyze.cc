#include <iostream>

#include "commands.h"
#include "ultrasearch_analyzers/builtin.h"

namespace ultrasearch::cli {

int RunAnalyze(const std::string& analyzer_name, const std::string& text) {
  auto registry = analyzers::MakeBuiltinAnalyzers();
  const Analyzer* analyzer = registry->Find(analyzer_name);
  if (analyzer == nullptr) {
    std::cerr << "ultrasearch: unknown analyzer [" << analyzer_name << "]; known:";
    for (const auto& name : registry->Names()) std::cerr << " " << name;
    std::cerr << "\n";
    return 2;
  }
  for (const auto& token : analyzer->Analyze(text, AnalysisMode::kIndex)) std::cout << token.term << "\n";
  return 0;
}

}  // namespace ultrasearch::cli
