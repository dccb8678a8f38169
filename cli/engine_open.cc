#include <iostream>

#include "commands.h"
#include "ultrasearch_analyzers/builtin.h"
#include "ultrasearch_fronts/products_template.h"

namespace ultrasearch::cli {

Result<std::unique_ptr<Engine>> OpenEngine(const CommonOptions& common, bool background_refresh) {
  EngineOptions options;
  options.data_dir = common.data_dir;
  options.analyzers = analyzers::MakeBuiltinAnalyzers();
  options.index_templates = fronts::DefaultIndexTemplates();
  if (background_refresh) {
    // serve: a reindex's build gives way to the searches it runs beside.
    options.maintenance_at_low_priority = true;
  } else {
    options.refresh_interval = std::chrono::milliseconds(0);
  }
  return Engine::Open(std::move(options));
}

std::unique_ptr<Engine> OpenEngineOrReport(const CommonOptions& common, bool background_refresh) {
  auto engine = OpenEngine(common, background_refresh);
  if (!engine.ok()) {
    std::cerr << "ultrasearch: " << engine.status().ToString() << "\n";
    return nullptr;
  }
  return std::move(engine.value());
}

OpenedIndex OpenIndexOrReport(const CommonOptions& common, bool create) {
  OpenedIndex opened;
  opened.engine = OpenEngineOrReport(common, /*background_refresh=*/false);
  if (!opened.engine) return opened;
  // Through an alias, the index it writes to (an alias of one index: that index), as the server
  // resolves single-index requests.
  auto name = opened.engine->WriteIndexOf(common.index);
  if (!name.ok()) {
    std::cerr << "ultrasearch: " << name.status().ToString() << "\n";
    return opened;
  }
  auto index = create ? opened.engine->GetOrCreateIndex(name.value()) : opened.engine->GetIndex(name.value());
  if (!index.ok()) {
    std::cerr << "ultrasearch: " << index.status().ToString() << "\n";
    return opened;
  }
  opened.index = std::move(index.value());
  return opened;
}

}  // namespace ultrasearch::cli
