// `catalog`: the default analyzer for product text, for Uzbek (both scripts) and Russian together.
#pragma once

#include <memory>

#include "ultrasearch/analysis.h"

namespace ultrasearch::analyzers {

std::shared_ptr<const Analyzer> MakeCatalogAnalyzer();

}  // namespace ultrasearch::analyzers
