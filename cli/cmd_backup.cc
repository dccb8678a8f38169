// `ultrasearch backup` and `ultrasearch restore`: the engine's Backup/Restore on a data directory
// no server holds. A running server holds it (flock): then the HTTP snapshot API is the way.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "commands.h"

namespace ultrasearch::cli {
namespace {

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double MiB(uint64_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

// Progress on a terminal only, one line rewritten in place.
BackupProgressFn TerminalProgress(bool* shown) {
  if (!::isatty(STDERR_FILENO)) return {};
  return [shown](const BackupProgress& p) {
    *shown = true;
    if (p.stage == "rebuild") {
      std::fprintf(stderr, "\r\033[Krebuilding the text index of [%.*s] (%llu documents)", (int)p.index.size(),
                   p.index.data(), (unsigned long long)p.total);
    } else if (p.stage == "checkpoint") {
      std::fprintf(stderr, "\r\033[Kcheckpointing [%.*s]", (int)p.index.size(), p.index.data());
    } else {
      std::fprintf(stderr, "\r\033[K%.*s [%.*s]: %.1f / %.1f MiB", (int)p.stage.size(), p.stage.data(),
                   (int)p.index.size(), p.index.data(), MiB(p.done), MiB(p.total));
    }
  };
}

std::unique_ptr<Engine> OpenOrExplain(const CommonOptions& common, std::string_view verb) {
  auto engine = OpenEngine(common, /*background_refresh=*/false);
  if (engine.ok()) return std::move(engine.value());
  std::cerr << "ultrasearch: " << engine.status().ToString() << "\n";
  if (engine.status().IsBusy()) {
    std::cerr << "ultrasearch: a running server holds " << common.data_dir << "; " << verb
              << " through its HTTP snapshot API instead: PUT /_snapshot/REPO {\"type\":\"fs\",\"settings\":"
                 "{\"location\":\"PATH\"}}, then "
              << (verb == "back up" ? "PUT /_snapshot/REPO/SNAP?wait_for_completion=true"
                                    : "POST /_snapshot/REPO/SNAP/_restore")
              << " (docs/http-api.md)\n";
  }
  return nullptr;
}

}  // namespace

int RunBackup(const CommonOptions& common, const BackupCliOptions& options) {
  auto engine = OpenOrExplain(common, "back up");
  if (!engine) return 2;
  const auto started = std::chrono::steady_clock::now();
  bool shown = false;
  BackupOptions backup;
  if (!options.index.empty()) backup.indices = std::vector<std::string>{options.index};
  backup.progress = TerminalProgress(&shown);
  auto manifest = engine->Backup(options.dest, backup);
  if (shown) std::fprintf(stderr, "\n");
  if (!manifest.ok()) {
    std::cerr << "ultrasearch: backup failed: " << manifest.status().ToString() << "\n";
    return 2;
  }
  uint64_t documents = 0;
  std::string names;
  for (const BackupIndex& index : manifest->indices) {
    documents += index.documents;
    names += (names.empty() ? "" : ", ") + index.name + " @" + std::to_string(index.last_sequence);
  }
  std::printf("backed up %zu indices (%llu documents, %.1f MiB; %s) to %s in %.2f s\n", manifest->indices.size(),
              (unsigned long long)documents, MiB(manifest->TotalBytes()), names.empty() ? "none" : names.c_str(),
              options.dest.c_str(), Seconds(started));
  return 0;
}

int RunRestore(const CommonOptions& common, const RestoreCliOptions& options) {
  if (!options.rename_to.empty() && options.index.empty()) {
    std::cerr << "ultrasearch: --rename-to needs --index (the one index to restore under the new name)\n";
    return 2;
  }
  auto engine = OpenOrExplain(common, "restore");
  if (!engine) return 2;
  const auto started = std::chrono::steady_clock::now();
  bool shown = false;
  RestoreOptions restore;
  if (!options.index.empty()) restore.indices = {options.index};
  restore.rename_to = options.rename_to;
  restore.replace_existing = options.replace;
  restore.progress = TerminalProgress(&shown);
  auto result = engine->Restore(options.src, restore);
  if (shown) std::fprintf(stderr, "\n");
  if (!result.ok()) {
    std::cerr << "ultrasearch: restore failed: " << result.status().ToString() << "\n";
    if (result.status().IsConflict() && !options.replace) {
      std::cerr << "ultrasearch: restore under another name with --index NAME --rename-to NEW, or pass "
                   "--replace to replace the existing index\n";
    }
    return 2;
  }
  uint64_t documents = 0;
  std::string names;
  for (const RestoredIndex& index : result->indices) {
    documents += index.documents;
    names += (names.empty() ? "" : ", ") + index.backup_name;
    if (index.name != index.backup_name) names += " as " + index.name;
  }
  std::printf("restored %zu indices (%s; %llu documents) from %s in %.2f s\n", result->indices.size(),
              names.c_str(), (unsigned long long)documents, options.src.c_str(), Seconds(started));
  return 0;
}

}  // namespace ultrasearch::cli
