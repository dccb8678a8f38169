#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "commands.h"

namespace ultrasearch::cli {

int RunReindex(const CommonOptions& common) {
  auto engine = OpenEngineOrReport(common, /*background_refresh=*/false);
  if (!engine) return 2;
  auto index = engine->GetIndex(common.index);
  if (!index.ok()) {
    std::cerr << "ultrasearch: " << index.status().ToString() << "\n";
    return 2;
  }
  const bool tty = ::isatty(STDERR_FILENO);
  auto started = std::chrono::steady_clock::now();
  Status s = index.value()->Reindex([&](uint64_t done, uint64_t total) {
    if (tty) std::fprintf(stderr, "\rreindexed %llu / %llu documents", (unsigned long long)done, (unsigned long long)total);
  });
  if (tty) std::fprintf(stderr, "\n");
  if (!s.ok()) {
    std::cerr << "ultrasearch: reindex failed: " << s.ToString() << "\n";
    return 2;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  auto stats = index.value()->Stats();
  std::printf("reindexed %llu documents of [%s] in %.2f s\n",
              stats.ok() ? (unsigned long long)stats->indexed_documents : 0ULL, common.index.c_str(), seconds);
  return 0;
}

}  // namespace ultrasearch::cli
