// The weighting every search ranks with, shared by the searcher and the rescorer.
#pragma once

#include <xapian.h>

namespace ultrasearch {

// Elasticsearch's BM25 parameters (k1 = 1.2, b = 0.75). Xapian clamps the length ratio at
// min_normlen (default 0.5), which made every short product tie; Lucene has no clamp, so keep it low.
inline constexpr double kBm25K1 = 1.2;
inline constexpr double kBm25B = 0.75;
inline constexpr double kBm25MinNormLength = 0.05;
inline Xapian::BM25Weight EsBm25() { return Xapian::BM25Weight(kBm25K1, 0, 1, kBm25B, kBm25MinNormLength); }

}  // namespace ultrasearch
