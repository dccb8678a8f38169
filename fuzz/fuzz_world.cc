#include "fuzz_world.h"

#include <boost/json.hpp>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include "ultrasearch_analyzers/builtin.h"
#include "ultrasearch_fronts/products_template.h"

namespace ultrasearch::fuzz {
namespace {

namespace fs = std::filesystem;

std::string MakeTempDir() {
  std::error_code ec;
  fs::path base = fs::temp_directory_path(ec);
  if (ec) base = "/tmp";
  std::string pattern = (base / "ultrasearch-fuzz-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) Fail("mkdtemp failed", pattern);
  return pattern;
}

void Check(const Status& status, std::string_view what) {
  if (!status.ok()) Fail(what, status.ToString());
}

// The fixture catalog as one write batch; ids come from each line's "id" field, as `import` does.
void LoadFixtures(Index& index) {
  std::ifstream in(fs::path(ULTRASEARCH_FIXTURES_DIR) / "products.ndjson");
  if (!in) Fail("cannot read the fixtures", ULTRASEARCH_FIXTURES_DIR);
  std::vector<WriteOp> ops;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    boost::json::value doc = boost::json::parse(line);
    ops.push_back({WriteOp::Type::kIndex, std::string(doc.at("id").as_string()), line});
  }
  auto results = index.Write(ops);
  Check(results.status(), "loading the fixtures");
  for (const auto& r : *results) Check(r.status, "a fixture document was rejected");
  Check(index.Refresh(), "refreshing the fixtures");
}

}  // namespace

World& World::Get() {
  static World world;
  return world;
}

World::World() : dir_(MakeTempDir()), analyzers_(analyzers::MakeBuiltinAnalyzers()) {
  EngineOptions options;
  options.data_dir = dir_;
  options.analyzers = analyzers_;
  options.index_templates = fronts::DefaultIndexTemplates();  // the products schema, as the fronts open it
  options.refresh_interval = std::chrono::milliseconds(0);  // refreshes only when a target asks
  options.sync_writes = false;  // throwaway data: the fuzzers test parsing, not durability
  options.text_shards = 1;
  auto engine = Engine::Open(std::move(options));
  Check(engine.status(), "Engine::Open");
  engine_ = std::move(engine.value());
  auto products = engine_->GetOrCreateIndex("products");
  Check(products.status(), "creating index products");
  products_ = products.value();
  LoadFixtures(*products_);
  server::ServerOptions server_options;
  server_options.threads = 1;
  server_ = std::make_unique<server::ServerContext>(*engine_, server_options);
}

World::~World() {
  server_.reset();
  products_.reset();
  engine_.reset();
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

void World::DropOtherIndices() {
  for (const std::string& name : engine_->ListIndices()) {
    if (name != "products") Check(engine_->DeleteIndex(name), "DeleteIndex");
  }
}

}  // namespace ultrasearch::fuzz
