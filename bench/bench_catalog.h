// Catalog data for the benchmarks: lines from third_party/tools/gen-catalog, generated outside the
// timed regions.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace ultrasearch::bench {

// The output lines of `gen-catalog ARGS` (e.g. "--count 20000 --seed 42"), without newlines;
// empty when the tool is missing.
// Where a benchmark keeps the store it builds for `count` products: under ULTRASEARCH_BENCH_DIR as
// NAME-COUNT (kept for later runs), else a private temporary directory (*remove_after = true).
inline std::filesystem::path BenchStoreDir(const std::string& name, int count, bool* remove_after) {
  if (const char* keep = std::getenv("ULTRASEARCH_BENCH_DIR"); keep != nullptr && *keep != '\0') {
    *remove_after = false;
    return std::filesystem::path(keep) / (name + "-" + std::to_string(count));
  }
  *remove_after = true;
  return std::filesystem::temp_directory_path() /
         ("ultrasearch-" + name + "-bench-" + std::to_string(getpid()) + "-" + std::to_string(count));
}

inline std::vector<std::string> GenCatalogLines(const std::string& args) {
  std::vector<std::string> lines;
  std::string cmd = "python3 " + std::string(ULTRASEARCH_THIRD_PARTY_DIR) + "/tools/gen-catalog " + args + " 2>/dev/null";
  if (FILE* pipe = popen(cmd.c_str(), "r")) {
    std::string line;
    char buf[65536];
    while (fgets(buf, sizeof(buf), pipe) != nullptr) {
      line += buf;
      if (line.back() != '\n') continue;
      line.pop_back();
      lines.push_back(std::move(line));
      line.clear();
    }
    pclose(pipe);
  }
  return lines;
}

// The lines of a file gen-catalog wrote (NDJSON), without newlines; empty when unreadable.
inline std::vector<std::string> CatalogFileLines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(std::move(line));
  }
  return lines;
}

// $ULTRASEARCH_BENCH_CATALOG (a gen-catalog file) when set, else `gen-catalog --count N --seed 42`
// with N = $ULTRASEARCH_BENCH_DOCS or `default_count`.
inline std::vector<std::string> BenchCatalogLines(const std::string& default_count) {
  if (const char* file = std::getenv("ULTRASEARCH_BENCH_CATALOG")) return CatalogFileLines(file);
  const char* env = std::getenv("ULTRASEARCH_BENCH_DOCS");
  return GenCatalogLines("--count " + std::string(env != nullptr ? env : default_count.c_str()) + " --seed 42");
}

// The string value of "key" in a gen-catalog line (which writes no escapes inside strings).
inline std::string StringField(const std::string& line, const std::string& key) {
  std::string needle = "\"" + key + "\":";
  size_t at = line.find(needle);
  if (at == std::string::npos) return {};
  at = line.find('"', at + needle.size());
  if (at == std::string::npos) return {};
  size_t end = line.find('"', at + 1);
  return end == std::string::npos ? std::string() : line.substr(at + 1, end - at - 1);
}

}  // namespace ultrasearch::bench
