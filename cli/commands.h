// The `ultrasearch` subcommands. Each returns the process exit code: 0 success, 1 partial failure
// (e.g. rejected import lines), 2 error.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ultrasearch/engine.h"

namespace ultrasearch::cli {

struct CommonOptions {
  std::string data_dir;  // --data, else $ULTRASEARCH_DATA, else ./ultrasearch-data
  std::string index = "products";
};

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 3010;
  std::string api_keys_file;
  int threads = 0;
  std::size_t request_cache_bytes = 64 << 20;
  std::size_t max_body_bytes = 100 << 20;               // http.max_content_length
  std::size_t max_bulk_body_bytes = std::size_t{512} << 20;  // _bulk bodies
  double rate_limit = 0;       // requests per second per key; 0: none
  bool insecure_bind = false;  // listen on a non-loopback address without api keys
};

struct ImportOptions {
  std::vector<std::string> files;  // "-" for stdin
  std::string report_path;         // rejected lines go here (created only when there are any)
  size_t batch_size = 1000;
  int threads = 2;
  bool progress = true;  // shown only when stderr is a terminal
  // Whole-catalog replacement: import into a new index beside the live one and switch the alias
  // --index to it once the import is complete and checked (cli/import_replace.cc).
  bool replace = false;
  bool keep_old = false;  // with replace: keep the index the alias pointed to
  // Compact both stores after a bulk load (Index::ForceMerge): when the import wrote at least
  // kCompactAfterFraction of the index's documents, a full copy of the index is worth it.
  bool compact = true;
};
inline constexpr double kCompactAfterFraction = 0.1;

// What ImportInto did.
struct ImportOutcome {
  uint64_t lines = 0;        // lines read
  uint64_t blank_lines = 0;  // not documents, neither imported nor rejected
  uint64_t imported = 0;     // lines accepted
  uint64_t created = 0;      // of which wrote an id the index did not have
  uint64_t rejected = 0;     // lines in the report
  double seconds = 0;
  Status refreshed;          // the final refresh
  Status compacted;          // the force merge after a bulk load (OK when none was due)
  double compact_seconds = 0;  // of `seconds`
  std::string fatal;         // set when the import stopped (I/O error, unreadable file)
  std::string report_path;
};

// Imports options.files into `index` (writes, then one refresh). Rejected lines go to the report.
ImportOutcome ImportInto(Index& index, const ImportOptions& options);
// "imported N documents into [NAME] in S s (R docs/s); K rejected[, see REPORT]"
void PrintImportSummary(const std::string& index_name, const ImportOutcome& outcome);
int RunImportReplace(const CommonOptions& common, const ImportOptions& options);

struct SearchOptions {
  std::string query;
  bool json = false;
  int size = 10;
  bool fuzzy = false;
};

int RunServe(const CommonOptions& common, const ServeOptions& options);
int RunImport(const CommonOptions& common, const ImportOptions& options);
int RunSearch(const CommonOptions& common, const SearchOptions& options);
int RunAnalyze(const std::string& analyzer, const std::string& text);
struct ReindexOptions {
  // Where a running server listens, used when it holds the data directory.
  std::string url = "http://127.0.0.1:3010";
  std::string api_key;  // --api-key or $ULTRASEARCH_API_KEY: sent as "Authorization: ApiKey ..."
};
int RunReindex(const CommonOptions& common, const ReindexOptions& options);

struct BackupCliOptions {
  std::string index;  // empty: every index
  std::string dest;
};
struct RestoreCliOptions {
  std::string index;      // empty: every index of the backup
  std::string rename_to;  // with --index: the name to restore it under
  bool replace = false;   // replace an existing index of the same name
  std::string src;
};
int RunBackup(const CommonOptions& common, const BackupCliOptions& options);
int RunRestore(const CommonOptions& common, const RestoreCliOptions& options);

// Opens the engine on the data directory with the built-in analyzers (Busy when a server holds it).
Result<std::unique_ptr<Engine>> OpenEngine(const CommonOptions& common, bool background_refresh);
// The same; prints the error and returns nullptr on failure.
std::unique_ptr<Engine> OpenEngineOrReport(const CommonOptions& common, bool background_refresh);

// The engine (without background refresh) and the index --index names, created when `create`.
// On failure prints the error and leaves both empty.
struct OpenedIndex {
  std::unique_ptr<Engine> engine;  // must outlive index
  std::shared_ptr<Index> index;
  explicit operator bool() const { return index != nullptr; }
};
OpenedIndex OpenIndexOrReport(const CommonOptions& common, bool create);

}  // namespace ultrasearch::cli
