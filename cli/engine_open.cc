#include <iostream>

#include "commands.h"
#include "ultrasearch_analyzers/builtin.h"

namespace ultrasearch::cli {

std::unique_ptr<Engine> OpenEngineOrReport(const CommonOptions& common, bool background_refresh) {
  EngineOptions options;
  options.data_dir = common.data_dir;
  options.analyzers = analyzers::MakeBuiltinAnalyzers();
  if (!background_refresh) options.refresh_interval = std::chrono::milliseconds(0);
  auto engine = Engine::Open(std::move(options));
  if (!engine.ok()) {
    std::cerr << "ultrasearch: " << engine.status().ToString() << "\n";
    return nullptr;
  }
  return std::move(engine.value());
}

}  // namespace ultrasearch::cli
