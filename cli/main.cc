// `ultrasearch`: the operators' program. Flags and defaults are a contract (DESIGN.md).
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>

#include "commands.h"

int main(int argc, char** argv) {
  using namespace ultrasearch::cli;
  CLI::App app{"UltraSearch: product search for Uzbek e-commerce"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "ultrasearch 0.1.0");

  CommonOptions common;
  const char* env_data = std::getenv("ULTRASEARCH_DATA");
  common.data_dir = env_data != nullptr && *env_data != '\0' ? env_data : "./ultrasearch-data";
  auto add_data = [&](CLI::App* cmd) {
    cmd->add_option("--data", common.data_dir, "data directory (default ./ultrasearch-data or $ULTRASEARCH_DATA)");
  };
  auto add_index = [&](CLI::App* cmd) { cmd->add_option("--index", common.index, "index name")->capture_default_str(); };

  ServeOptions serve;
  auto* serve_cmd = app.add_subcommand("serve", "serve the Elasticsearch-compatible HTTP API");
  add_data(serve_cmd);
  serve_cmd->add_option("--host", serve.host, "address to listen on")->capture_default_str();
  serve_cmd->add_option("--port", serve.port, "port (0 picks a free one)")->capture_default_str()->check(CLI::Range(0, 65535));
  serve_cmd->add_option("--api-keys", serve.api_keys_file,
                        "file of admin API keys, one per line (they mint scoped keys); without it only loopback");
  serve_cmd->add_option("--rate-limit", serve.rate_limit,
                        "requests per second per API key, unless the key sets its own (0: no limit)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  serve_cmd->add_flag("--insecure-bind", serve.insecure_bind,
                      "allow a non-loopback --host without --api-keys (anyone reaching it may do anything)");
  serve_cmd->add_option("--threads", serve.threads, "I/O threads (0: one per core)")->check(CLI::NonNegativeNumber);
  serve_cmd->add_option("--request-cache-size", serve.request_cache_bytes,
                        "memory for cached search answers, bytes or with a unit (64MB); 0 disables")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  serve_cmd->add_option("--max-body-size", serve.max_body_bytes,
                        "largest request body but _bulk's, received or inflated (413 past it)")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  serve_cmd->add_option("--max-bulk-body-size", serve.max_bulk_body_bytes,
                        "largest _bulk body, received or inflated (413 past it)")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();

  ImportOptions import;
  import.report_path = "ultrasearch-import-rejected.ndjson";
  auto* import_cmd = app.add_subcommand("import", "import NDJSON catalog files (.gz, or - for stdin)");
  add_data(import_cmd);
  add_index(import_cmd);
  import_cmd->add_option("files", import.files, "NDJSON files")->required();
  import_cmd->add_option("--report", import.report_path, "where rejected lines and reasons are written")->capture_default_str();
  import_cmd->add_option("--batch-size", import.batch_size, "documents per durable batch")->capture_default_str()->check(CLI::Range(1, 100000));
  import_cmd->add_option("--threads", import.threads, "analysis threads")->capture_default_str()->check(CLI::Range(1, 64));
  import_cmd->add_flag("!--no-progress", import.progress, "do not show progress");
  import_cmd->add_flag("!--no-compact", import.compact,
                       "do not compact the index after a bulk load (one that wrote 10% or more of its documents)");
  auto* replace_flag = import_cmd->add_flag(
      "--replace", import.replace, "import into a new index and switch the alias --index to it once complete and checked");
  import_cmd->add_flag("--keep-old", import.keep_old, "with --replace: keep the index the alias pointed to")
      ->needs(replace_flag);

  ReindexOptions reindex;
  const char* env_key = std::getenv("ULTRASEARCH_API_KEY");
  if (env_key != nullptr) reindex.api_key = env_key;
  auto* reindex_cmd = app.add_subcommand("reindex", "rebuild the text index from the catalog and swap it in");
  add_data(reindex_cmd);
  add_index(reindex_cmd);
  reindex_cmd->add_option("--url", reindex.url, "the server to ask when one holds the data directory")
      ->capture_default_str();
  reindex_cmd->add_option("--api-key", reindex.api_key, "API key for that server (default $ULTRASEARCH_API_KEY)");

  BackupCliOptions backup;
  auto* backup_cmd = app.add_subcommand(
      "backup", "back up indices (their catalogs at one sequence number) into DEST, while writes go on");
  add_data(backup_cmd);
  backup_cmd->add_option("--index", backup.index, "the index to back up (default: every index, and their aliases)");
  backup_cmd->add_option("dest", backup.dest, "backup directory (must not exist, or be empty)")->required();

  RestoreCliOptions restore;
  auto* restore_cmd = app.add_subcommand(
      "restore", "restore indices from a backup directory, checking every file first; searchable when done");
  add_data(restore_cmd);
  restore_cmd->add_option("--index", restore.index, "the index of the backup to restore (default: all of them)");
  restore_cmd->add_option("--rename-to", restore.rename_to, "restore --index under this name");
  restore_cmd->add_flag("--replace", restore.replace, "replace an existing index of the same name");
  restore_cmd->add_option("src", restore.src, "backup directory")->required();

  SearchOptions search;
  auto* search_cmd = app.add_subcommand("search", "search the index and print ranked products");
  add_data(search_cmd);
  add_index(search_cmd);
  search_cmd->add_option("query", search.query, "query text")->required();
  search_cmd->add_flag("--json", search.json, "print the Elasticsearch-shaped JSON response");
  search_cmd->add_option("--size", search.size, "number of hits")->capture_default_str()->check(CLI::Range(0, 10000));
  search_cmd->add_flag("--fuzzy", search.fuzzy, "tolerate typos (fuzziness AUTO)");

  std::string analyzer = "catalog";
  std::string text;
  auto* analyze_cmd = app.add_subcommand("analyze", "print the tokens an analyzer makes of TEXT, one per line");
  analyze_cmd->add_option("--analyzer", analyzer, "catalog, uz, ru, standard, keyword or whitespace")->capture_default_str();
  analyze_cmd->add_option("text", text, "text to analyse")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);  // prints the reason and usage
    return 2;     // usage errors share the error exit code
  }

  if (*serve_cmd) return RunServe(common, serve);
  if (*import_cmd) return RunImport(common, import);
  if (*reindex_cmd) return RunReindex(common, reindex);
  if (*backup_cmd) return RunBackup(common, backup);
  if (*restore_cmd) return RunRestore(common, restore);
  if (*search_cmd) return RunSearch(common, search);
  if (*analyze_cmd) return RunAnalyze(analyzer, text);
  return 2;
}
