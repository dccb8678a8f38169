// The weighting every search ranks with, shared by the searcher and the rescorer.
#pragma once

#include <xapian.h>

namespace ultrasearch {

// Elasticsearch's BM25 parameters (k1 = 1.2, b = 0.75). Xapian clamps the length ratio at
// min_normlen (default 0.5), which made every short product tie; Lucene has no clamp, so keep it low.
inline Xapian::BM25Weight EsBm25() { return Xapian::BM25Weight(1.2, 0, 1, 0.75, 0.05); }

}  // namespace ultrasearch
