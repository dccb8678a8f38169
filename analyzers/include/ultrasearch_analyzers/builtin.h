// The analyzers UltraSearch ships, registered under the names DESIGN.md fixes:
// catalog (default for text fields), uz, ru, standard, keyword, whitespace; plus the
// wrong-keyboard-layout query rewriter.
#pragma once

#include <memory>

#include "ultrasearch/analysis.h"

namespace ultrasearch::analyzers {

// A registry holding every built-in analyzer. Cheap to share; build it once per process.
std::shared_ptr<AnalyzerRegistry> MakeBuiltinAnalyzers();

}  // namespace ultrasearch::analyzers
