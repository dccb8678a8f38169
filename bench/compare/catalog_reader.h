// Streams a gen-catalog NDJSON file product by product, so an import's peak RSS is the engine's
// and not a copy of the whole catalog.
#pragma once

#include <fstream>
#include <string>

#include "peer.h"

namespace ultrasearch::bench {

class CatalogReader {
 public:
  explicit CatalogReader(const std::string& path) : in_(path) {}
  bool ok() const { return static_cast<bool>(in_); }
  // The next product; false at the end. Lines that are not products are skipped.
  bool Next(Product* product);

 private:
  std::ifstream in_;
};

// The words of a query as gen-catalog wrote it (split on white space; each peer quotes them in
// its own syntax).
std::vector<std::string> QueryWords(const std::string& line);

}  // namespace ultrasearch::bench
