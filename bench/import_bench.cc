// Catalog import throughput: the engine (durable batches, both stores, sharded text index)
// against a plain single-threaded Xapian indexer of the same fields, measured in the same run.
//
// Input: third_party/tools/gen-catalog --count N --seed 42, generated once outside the timed region
// (N = $ULTRASEARCH_BENCH_DOCS, default 20000). Report items_per_second of both and their ratio.
#include <benchmark/benchmark.h>
#include <xapian.h>

#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench_catalog.h"
#include "ultrasearch/engine.h"
#include "ultrasearch_analyzers/builtin.h"
#include "ultrasearch_fronts/products_template.h"

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

struct Line {
  std::string id;
  std::string json;
};

const std::vector<Line>& Catalog() {
  static const std::vector<Line> lines = [] {
    std::vector<Line> out;
    const char* env = std::getenv("ULTRASEARCH_BENCH_DOCS");
    const std::string count = env != nullptr ? env : "20000";
    for (auto& line : ultrasearch::bench::GenCatalogLines("--count " + count + " --seed 42")) {
      std::string id(json::parse(line).at("id").as_string());
      out.push_back({std::move(id), std::move(line)});
    }
    return out;
  }();
  return lines;
}

fs::path FreshDir(const char* tag) {
  fs::path dir = fs::temp_directory_path() / (std::string("ultrasearch-bench-") + tag + "-" + std::to_string(std::random_device{}()));
  fs::remove_all(dir);
  return dir;
}

// The engine as `ultrasearch import` drives it: batches of 1000, two writer threads, fsync per batch.
void BM_EngineImport(benchmark::State& state) {
  const auto& catalog = Catalog();
  if (catalog.empty()) return state.SkipWithError("gen-catalog produced nothing");
  for (auto _ : state) {
    state.PauseTiming();
    fs::path dir = FreshDir("engine");
    ultrasearch::EngineOptions options;
    options.data_dir = dir.string();
    options.analyzers = ultrasearch::analyzers::MakeBuiltinAnalyzers();
    options.index_templates = ultrasearch::fronts::DefaultIndexTemplates();
    options.refresh_interval = std::chrono::milliseconds(0);
    auto engine = ultrasearch::Engine::Open(options);
    if (!engine.ok()) return state.SkipWithError(engine.status().ToString().c_str());
    auto index = engine.value()->GetOrCreateIndex("products").value();
    state.ResumeTiming();
    const size_t threads = static_cast<size_t>(state.range(0));
    std::vector<std::thread> writers;
    for (size_t t = 0; t < threads; ++t) {
      writers.emplace_back([&, t] {
        std::vector<ultrasearch::WriteOp> batch;
        for (size_t i = t * 1000; i < catalog.size(); i += threads * 1000) {
          batch.clear();
          for (size_t j = i; j < std::min(i + 1000, catalog.size()); ++j) {
            batch.push_back({ultrasearch::WriteOp::Type::kIndex, catalog[j].id, catalog[j].json});
          }
          if (!index->Write(batch).ok()) std::abort();
        }
      });
    }
    for (auto& w : writers) w.join();
    if (!index->Refresh().ok()) std::abort();
    state.PauseTiming();
    index.reset();
    engine.value().reset();
    fs::remove_all(dir);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * catalog.size()));
}
BENCHMARK(BM_EngineImport)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// The peer: one thread, Xapian's own TermGenerator (Russian stemmer) on name and description,
// keyword fields as boolean terms, numbers in value slots, one commit at the end.
void BM_PlainXapianImport(benchmark::State& state) {
  const auto& catalog = Catalog();
  if (catalog.empty()) return state.SkipWithError("gen-catalog produced nothing");
  for (auto _ : state) {
    state.PauseTiming();
    fs::path dir = FreshDir("xapian");
    state.ResumeTiming();
    {
      Xapian::WritableDatabase db(dir.string(), Xapian::DB_CREATE);
      Xapian::TermGenerator generator;
      generator.set_stemmer(Xapian::Stem("russian"));
      for (const auto& line : catalog) {
        json::object doc = json::parse(line.json).as_object();
        Xapian::Document xdoc;
        generator.set_document(xdoc);
        generator.index_text(std::string(doc.at("name").as_string()), 3, "N");
        generator.index_text(std::string(doc.at("description").as_string()), 1, "D");
        for (const char* key : {"brand", "category", "currency", "lang"}) {
          if (const auto* v = doc.if_contains(key); v != nullptr && v->is_string()) {
            xdoc.add_boolean_term(std::string("K") + key + ":" + std::string(v->as_string()));
          }
        }
        xdoc.add_value(1, Xapian::sortable_serialise(doc.at("price").to_number<double>()));
        xdoc.add_value(2, Xapian::sortable_serialise(doc.at("rating").to_number<double>()));
        xdoc.set_data(line.json);
        xdoc.add_boolean_term("Q" + line.id);
        db.replace_document("Q" + line.id, xdoc);
      }
      db.commit();
    }
    state.PauseTiming();
    fs::remove_all(dir);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * catalog.size()));
}
BENCHMARK(BM_PlainXapianImport)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
