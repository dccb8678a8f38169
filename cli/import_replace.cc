// `ultrasearch import --replace`: whole-catalog replacement without downtime. The catalog is
// imported into a new concrete index (ALIAS-YYYYMMDDhhmmss) beside the live one; only when that
// import is complete and checked does one atomic alias action list point ALIAS at it (and remove
// the old index unless --keep-old). Until then searches through ALIAS see the old catalog whole.
//
// A replacement in progress is recorded in DATA/.replace-ALIAS (the new index's name), written
// before the new index is created and removed after the switch: a run killed in between leaves
// it behind, and the next run deletes the unfinished index it names (never one an alias uses).
#include <boost/json.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "commands.h"
#include "ultrasearch/wildcard.h"
#include "ultrasearch_fronts/products_template.h"

namespace fs = std::filesystem;

namespace ultrasearch::cli {
namespace {

std::string MarkerPath(const Engine& engine, const std::string& alias) {
  return engine.data_dir() + "/.replace-" + alias;
}

// Written to a temporary file, flushed and renamed, so a crash leaves the old marker or the new.
bool WriteMarker(const std::string& path, const std::string& index) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << index << "\n";
    out.flush();
    if (!out) return false;
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  return !ec;
}

// Deletes the index an interrupted earlier --replace was building, if it is still unaliased.
void CleanUpInterrupted(Engine& engine, const std::string& alias) {
  std::string path = MarkerPath(engine, alias);
  std::ifstream in(path);
  if (!in) return;
  std::string leftover;
  std::getline(in, leftover);
  in.close();
  bool in_use = false;
  for (const AliasEntry& e : engine.ListAliases()) in_use = in_use || e.index == leftover;
  if (!leftover.empty() && !in_use && leftover != alias && engine.GetIndex(leftover).ok()) {
    if (engine.DeleteIndex(leftover).ok()) {
      std::printf("removed [%s], left unfinished by an interrupted replacement of [%s]\n", leftover.c_str(),
                  alias.c_str());
    }
  }
  std::error_code ec;
  fs::remove(path, ec);
}

// A name no index has: ALIAS-YYYYMMDDhhmmss (UTC), with -2, -3... when that one is taken.
std::string NewIndexName(Engine& engine, const std::string& alias) {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &utc);
  std::string base = alias + "-" + stamp;
  std::string name = base;
  for (int n = 2; engine.GetIndex(name).ok() || !engine.IndicesOfAlias(name).empty(); ++n) {
    name = base + "-" + std::to_string(n);
  }
  return name;
}

// The settings the new index is created with: the live index's mappings and settings (with the
// fields it gained since its creation), or the index template of ALIAS when nothing is live.
IndexSettings SettingsForReplacement(const std::shared_ptr<Index>& live, const std::string& alias) {
  IndexSettings settings;
  if (live) {
    settings.mappings_json = live->MappingsJson();
    settings.settings_json = live->SettingsJson();
    return settings;
  }
  const IndexTemplate* best = nullptr;
  static const std::vector<IndexTemplate> templates = fronts::DefaultIndexTemplates();
  for (const IndexTemplate& t : templates) {
    for (const std::string& pattern : t.index_patterns) {
      if (WildcardMatch(pattern, alias) && (best == nullptr || t.priority > best->priority)) best = &t;
    }
  }
  if (best != nullptr) {
    settings.mappings_json = best->mappings_json;
    settings.settings_json = best->settings_json;
  }
  return settings;
}

// What must hold before the new index goes live. Returns the reason it does not, or empty.
std::string CheckImport(Index& index, const ImportOutcome& outcome) {
  if (!outcome.fatal.empty()) return "the import stopped: " + outcome.fatal;
  if (outcome.lines != outcome.imported + outcome.rejected + outcome.blank_lines) {
    return "lines read (" + std::to_string(outcome.lines) + ") are not all accounted for as imported (" +
           std::to_string(outcome.imported) + "), rejected (" + std::to_string(outcome.rejected) + ") or blank";
  }
  if (outcome.imported == 0) return "no document was imported; the live catalog is left as it is";
  if (!outcome.refreshed.ok()) return "the final refresh failed: " + outcome.refreshed.ToString();
  auto stats = index.Stats();
  if (!stats.ok()) return "cannot read the new index's statistics: " + stats.status().ToString();
  if (stats->documents != outcome.created) {
    return "the new index holds " + std::to_string(stats->documents) + " documents where " +
           std::to_string(outcome.created) + " distinct ids were imported";
  }
  if (stats->indexed_documents != stats->documents || stats->last_indexed_sequence != stats->last_sequence) {
    return "the new index is not fully searchable (" + std::to_string(stats->indexed_documents) + " of " +
           std::to_string(stats->documents) + " documents)";
  }
  return {};
}

AliasAction Action(AliasAction::Type type, std::string index, std::string alias = {}) {
  AliasAction a;
  a.type = type;
  a.indices = {std::move(index)};
  if (!alias.empty()) a.aliases = {std::move(alias)};
  return a;
}

}  // namespace

int RunImportReplace(const CommonOptions& common, const ImportOptions& options) {
  auto engine = OpenEngineOrReport(common, /*background_refresh=*/false);
  if (!engine) return 2;
  const std::string& alias = common.index;
  if (Status s = Engine::ValidateIndexName(alias); !s.ok()) {
    std::cerr << "ultrasearch: " << s.ToString() << "\n";
    return 2;
  }
  CleanUpInterrupted(*engine, alias);

  // What ALIAS is today: an alias of one index, a concrete index, or nothing yet.
  std::vector<std::string> live_indices = engine->IndicesOfAlias(alias);
  std::shared_ptr<Index> live;
  bool live_is_concrete = false;
  if (live_indices.size() > 1) {
    std::cerr << "ultrasearch: [" << alias << "] is an alias of " << live_indices.size()
              << " indices; --replace switches an alias of one index\n";
    return 2;
  }
  if (live_indices.size() == 1) {
    auto index = engine->GetIndex(live_indices[0]);
    if (index.ok()) live = index.value();
  } else if (auto index = engine->GetIndex(alias); index.ok()) {
    live = index.value();
    live_is_concrete = true;
    if (options.keep_old) {
      std::cerr << "ultrasearch: [" << alias << "] is an index, not an alias: the first --replace turns it into an "
                << "alias and must remove the index of that name, so --keep-old cannot keep it\n";
      return 2;
    }
  }

  const std::string fresh = NewIndexName(*engine, alias);
  const std::string marker = MarkerPath(*engine, alias);
  if (!WriteMarker(marker, fresh)) {
    std::cerr << "ultrasearch: cannot write " << marker << "\n";
    return 2;
  }
  auto created = engine->CreateIndex(fresh, SettingsForReplacement(live, alias));
  if (!created.ok()) {
    std::cerr << "ultrasearch: cannot create [" << fresh << "]: " << created.status().ToString() << "\n";
    return 2;
  }
  std::shared_ptr<Index> index = created.value();
  ImportOutcome outcome = ImportInto(*index, options);
  PrintImportSummary(fresh, outcome);
  if (std::string problem = CheckImport(*index, outcome); !problem.empty()) {
    std::cerr << "ultrasearch: not switching [" << alias << "]: " << problem << "\n";
    index.reset();
    if (engine->DeleteIndex(fresh).ok()) {
      std::error_code ec;
      fs::remove(marker, ec);
    }
    return 2;
  }

  std::vector<AliasAction> actions;
  if (live_is_concrete) {
    // An alias cannot share a name with an index: the index goes in the same atomic list.
    actions = {Action(AliasAction::Type::kRemoveIndex, alias), Action(AliasAction::Type::kAdd, fresh, alias)};
  } else if (live) {
    actions = {Action(AliasAction::Type::kRemove, live->name(), alias), Action(AliasAction::Type::kAdd, fresh, alias)};
    if (!options.keep_old) actions.push_back(Action(AliasAction::Type::kRemoveIndex, live->name()));
  } else {
    actions = {Action(AliasAction::Type::kAdd, fresh, alias)};
  }
  const std::string old_name = live ? live->name() : std::string();
  live.reset();
  index.reset();
  if (Status s = engine->UpdateAliases(actions); !s.ok()) {
    std::cerr << "ultrasearch: switching [" << alias << "] failed, it still serves the old catalog: " << s.ToString()
              << "\n";
    return 2;  // the marker stays: the next run removes the unused new index
  }
  std::error_code ec;
  fs::remove(marker, ec);
  if (old_name.empty()) {
    std::printf("alias [%s] now points to [%s]\n", alias.c_str(), fresh.c_str());
  } else {
    std::printf("alias [%s] switched from [%s] to [%s]; [%s] %s\n", alias.c_str(), old_name.c_str(), fresh.c_str(),
                old_name.c_str(), options.keep_old ? "kept" : "removed");
  }
  return outcome.rejected > 0 ? 1 : 0;
}

}  // namespace ultrasearch::cli
