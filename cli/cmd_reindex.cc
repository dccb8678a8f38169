#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "commands.h"

namespace ultrasearch::cli {

int RunReindex(const CommonOptions& common) {
  auto opened = OpenIndexOrReport(common, /*create=*/false);
  if (!opened) return 2;
  Index& index = *opened.index;
  const bool tty = ::isatty(STDERR_FILENO);
  auto started = std::chrono::steady_clock::now();
  Status s = index.Reindex([&](uint64_t done, uint64_t total) {
    if (tty) std::fprintf(stderr, "\rreindexed %llu / %llu documents", (unsigned long long)done, (unsigned long long)total);
  });
  if (tty) std::fprintf(stderr, "\n");
  if (!s.ok()) {
    std::cerr << "ultrasearch: reindex failed: " << s.ToString() << "\n";
    return 2;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  auto stats = index.Stats();
  std::printf("reindexed %llu documents of [%s] in %.2f s\n",
              stats.ok() ? (unsigned long long)stats->indexed_documents : 0ULL, common.index.c_str(), seconds);
  return 0;
}

}  // namespace ultrasearch::cli
