// Highlighting's cost: a 10-hit text search with and without `highlight` on name (and description)
// (default options: fragment_size 100, 5 fragments), on the same index in the same run. The
// target (issue 16) is that highlighting adds at most 30% to the search's latency.
//
// Queries: the first two words of the names of 200 products spread over the catalog (Latin,
// Cyrillic and Russian alike, as gen-catalog writes them), as a storefront's match query over the
// default fields. Input: $ULTRASEARCH_BENCH_CATALOG (a gen-catalog file) or gen-catalog --count
// $ULTRASEARCH_BENCH_DOCS (default 20000) --seed 42; the index is built once, outside the timed
// region, in a temporary directory removed at exit.
//
//   build/bench/highlight_bench --benchmark_counters_tabular=true
//
// BM_Search/N and BM_Overhead/N: N = 0 no highlight, 1 highlight on name, 2 on name and
// description. BM_Overhead alternates the plain and the highlighted search query by query and
// reports both means and their ratio, in wall time (ratio) and in the thread's CPU time
// (cpu_ratio: what the search itself spent, which other work on a shared machine disturbs less).
#include <benchmark/benchmark.h>

#include <boost/json.hpp>

#include <time.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "bench_catalog.h"
#include "ultrasearch/engine.h"
#include "ultrasearch_analyzers/builtin.h"
#include "ultrasearch_fronts/products_template.h"

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace ultrasearch;

struct Fixture {
  fs::path dir;
  std::unique_ptr<Engine> engine;
  std::shared_ptr<Index> index;
  std::vector<std::string> queries;
  std::string error;

  ~Fixture() {
    index.reset();
    engine.reset();
    std::error_code ec;
    if (!dir.empty()) fs::remove_all(dir, ec);
  }
};

std::string FirstWords(const std::string& name, int n) {
  std::istringstream in(name);
  std::string word, out;
  for (int i = 0; i < n && in >> word; ++i) {
    while (!word.empty() && (word.back() == ',' || word.back() == '.')) word.pop_back();
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out;
}

Fixture* Build() {
  auto* f = new Fixture;
  f->dir = fs::temp_directory_path() / ("ultrasearch-highlight-bench-" + std::to_string(::getpid()));
  std::vector<std::string> lines = bench::BenchCatalogLines("20000");
  if (lines.empty()) return f->error = "no catalog (gen-catalog missing?)", f;
  EngineOptions options;
  options.data_dir = (f->dir / "engine").string();
  options.analyzers = analyzers::MakeBuiltinAnalyzers();
  options.index_templates = fronts::DefaultIndexTemplates();
  options.refresh_interval = std::chrono::milliseconds(0);
  options.sync_writes = false;
  auto engine = Engine::Open(std::move(options));
  if (!engine.ok()) return f->error = engine.status().ToString(), f;
  f->engine = std::move(engine.value());
  auto index = f->engine->GetOrCreateIndex("products");
  if (!index.ok()) return f->error = index.status().ToString(), f;
  f->index = index.value();
  std::vector<WriteOp> batch;
  for (size_t i = 0; i < lines.size(); ++i) {
    batch.push_back({WriteOp::Type::kIndex, std::string(json::parse(lines[i]).at("id").as_string()), lines[i]});
    if (batch.size() == 1000 || i + 1 == lines.size()) {
      if (!f->index->Write(batch).ok()) return f->error = "write failed", f;
      batch.clear();
    }
  }
  if (!f->index->Refresh().ok()) return f->error = "refresh failed", f;
  const size_t step = std::max<size_t>(1, lines.size() / 200);
  for (size_t i = 0; i < lines.size(); i += step) {
    std::string q = FirstWords(bench::StringField(lines[i], "name"), 2);
    if (!q.empty()) f->queries.push_back(std::move(q));
  }
  return f;
}

Fixture& Get() {
  static std::unique_ptr<Fixture> fixture(Build());  // destroyed at exit: removes the directory
  return *fixture;
}

// 0: no highlight; 1: name; 2: name and description.
SearchRequest Request(const std::string& text, int64_t highlight) {
  MatchQuery match;
  match.text = text;
  SearchRequest request;
  request.query.node = match;
  request.size = 10;
  if (highlight > 0) {
    HighlightRequest h;
    for (const char* field : {"name", "description"}) {
      if (h.fields.size() == static_cast<size_t>(highlight)) break;
      HighlightField hf;
      hf.field = field;
      h.fields.push_back(hf);
    }
    request.highlight = std::move(h);
  }
  return request;
}

void BM_Search(benchmark::State& state) {
  Fixture& f = Get();
  if (!f.error.empty()) return state.SkipWithError(f.error.c_str());
  const int64_t highlight = state.range(0);
  size_t i = 0, fragments = 0;
  for (auto _ : state) {
    auto result = f.index->Search(Request(f.queries[i++ % f.queries.size()], highlight));
    if (!result.ok()) return state.SkipWithError(result.status().ToString().c_str());
    for (const Hit& hit : result->hits) fragments += hit.highlight.size();
    benchmark::DoNotOptimize(result);
  }
  state.counters["highlighted_fields_per_search"] =
      benchmark::Counter(static_cast<double>(fragments) / static_cast<double>(state.iterations()));
  state.SetLabel(highlight == 0 ? "no highlight" : highlight == 1 ? "highlight name" : "highlight name+description");
}
BENCHMARK(BM_Search)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond);

// CPU time of the calling thread, in microseconds.
double ThreadCpuMicros() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

// Both searches per query, alternating, so drift on a shared machine hits both alike.
void BM_Overhead(benchmark::State& state) {
  Fixture& f = Get();
  if (!f.error.empty()) return state.SkipWithError(f.error.c_str());
  using Clock = std::chrono::steady_clock;
  double plain_us = 0, highlight_us = 0, plain_cpu_us = 0, highlight_cpu_us = 0;
  size_t i = 0;
  for (auto _ : state) {
    const std::string& q = f.queries[i++ % f.queries.size()];
    for (bool highlight : {false, true}) {
      const double cpu_started = ThreadCpuMicros();
      auto started = Clock::now();
      auto result = f.index->Search(Request(q, highlight ? state.range(0) : 0));
      const double us = std::chrono::duration<double, std::micro>(Clock::now() - started).count();
      const double cpu_us = ThreadCpuMicros() - cpu_started;
      if (!result.ok()) return state.SkipWithError(result.status().ToString().c_str());
      (highlight ? highlight_us : plain_us) += us;
      (highlight ? highlight_cpu_us : plain_cpu_us) += cpu_us;
    }
  }
  const auto n = static_cast<double>(state.iterations());
  state.counters["plain_us"] = plain_us / n;
  state.counters["highlight_us"] = highlight_us / n;
  state.counters["ratio"] = plain_us > 0 ? highlight_us / plain_us : 0;
  state.counters["plain_cpu_us"] = plain_cpu_us / n;
  state.counters["highlight_cpu_us"] = highlight_cpu_us / n;
  state.counters["cpu_ratio"] = plain_cpu_us > 0 ? highlight_cpu_us / plain_cpu_us : 0;
}
BENCHMARK(BM_Overhead)->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond)->MinTime(3.0);

}  // namespace

BENCHMARK_MAIN();
