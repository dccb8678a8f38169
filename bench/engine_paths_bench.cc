// Hot paths of a search that the other programs do not isolate, through the public engine API:
//   BM_TermLookup_Id      one exact `id` term (a keyword's posting list of one), no source;
//   BM_TermLookup_Brand   one brand term, top 10 of its postings, no source;
//   BM_DocumentFetch      Index::Get of a random product: the catalog read from RocksDB;
//   BM_SourcesFetch10     an `ids` query for 10 random products with their sources (the page's
//                         batched RocksDB read that every search with hits pays);
//   BM_FacetCounting/N    brand + category terms facets over a match set of N products (a price
//                         range cut at the N-th cheapest price), size 0; BM_MatchSetOnly/N is the
//                         same request without facets, so the difference is the counting.
// Input: $ULTRASEARCH_BENCH_CATALOG or gen-catalog --count $ULTRASEARCH_BENCH_DOCS (default
// 50000) --seed 42, imported once outside the timed region into a temporary directory.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <random>
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

struct Store {
  fs::path dir;
  std::unique_ptr<Engine> engine;
  std::shared_ptr<Index> index;
  std::vector<std::string> ids, brands;
  std::vector<double> prices;  // ascending
  std::string error;

  ~Store() {
    index.reset();
    engine.reset();
    std::error_code ec;
    if (!dir.empty()) fs::remove_all(dir, ec);
  }
};

Store& GetStore() {
  static Store store;
  static bool built = [] {
    Store& s = store;
    s.dir = fs::temp_directory_path() / ("ultrasearch-paths-bench-" + std::to_string(std::random_device{}()));
    auto lines = bench::BenchCatalogLines("50000");
    if (lines.empty()) return void(s.error = "no catalog (gen-catalog missing?)"), true;
    EngineOptions options;
    options.data_dir = s.dir.string();
    options.analyzers = analyzers::MakeBuiltinAnalyzers();
    options.index_templates = fronts::DefaultIndexTemplates();
    options.refresh_interval = std::chrono::milliseconds(0);
    options.sync_writes = false;
    auto engine = Engine::Open(options);
    if (!engine.ok()) return void(s.error = engine.status().ToString()), true;
    s.engine = std::move(engine.value());
    auto index = s.engine->GetOrCreateIndex("products");
    if (!index.ok()) return void(s.error = index.status().ToString()), true;
    s.index = index.value();
    std::vector<WriteOp> batch;
    for (size_t i = 0; i < lines.size(); ++i) {
      json::object o = json::parse(lines[i]).as_object();
      s.ids.emplace_back(o.at("id").as_string());
      s.brands.emplace_back(o.at("brand").as_string());
      s.prices.push_back(o.at("price").to_number<double>());
      batch.push_back({WriteOp::Type::kIndex, s.ids.back(), lines[i]});
      if (batch.size() == 1000 || i + 1 == lines.size()) {
        if (!s.index->Write(batch).ok()) return void(s.error = "write failed"), true;
        batch.clear();
      }
    }
    if (!s.index->Refresh().ok()) s.error = "refresh failed";
    std::sort(s.prices.begin(), s.prices.end());
    return true;
  }();
  (void)built;
  return store;
}

void Search(benchmark::State& state, const SearchRequest& r, uint64_t* total) {
  auto result = GetStore().index->Search(r);
  if (!result.ok()) return state.SkipWithError(result.status().ToString().c_str());
  *total = result->total;
  benchmark::DoNotOptimize(result->hits.data());
}

void BM_TermLookup_Id(benchmark::State& state) {
  Store& s = GetStore();
  if (!s.error.empty()) return state.SkipWithError(s.error.c_str());
  std::mt19937 rng(1);
  uint64_t total = 0;
  for (auto _ : state) {
    SearchRequest r;
    r.query.node = TermQuery{"id", {s.ids[rng() % s.ids.size()]}};
    r.size = 1;
    r.fetch_source = false;
    Search(state, r, &total);
  }
  state.counters["matches"] = static_cast<double>(total);
}
BENCHMARK(BM_TermLookup_Id)->Unit(benchmark::kMicrosecond);

void BM_TermLookup_Brand(benchmark::State& state) {
  Store& s = GetStore();
  if (!s.error.empty()) return state.SkipWithError(s.error.c_str());
  std::mt19937 rng(2);
  uint64_t matches = 0, queries = 0;
  for (auto _ : state) {
    SearchRequest r;
    r.query.node = TermQuery{"brand", {s.brands[rng() % s.brands.size()]}};
    r.size = 10;
    r.fetch_source = false;
    uint64_t total = 0;
    Search(state, r, &total);
    matches += total, ++queries;
  }
  state.counters["mean_matches"] = static_cast<double>(matches) / static_cast<double>(std::max<uint64_t>(queries, 1));
}
BENCHMARK(BM_TermLookup_Brand)->Unit(benchmark::kMicrosecond);

void BM_DocumentFetch(benchmark::State& state) {
  Store& s = GetStore();
  if (!s.error.empty()) return state.SkipWithError(s.error.c_str());
  std::mt19937 rng(3);
  size_t bytes = 0;
  for (auto _ : state) {
    auto doc = s.index->Get(s.ids[rng() % s.ids.size()]);
    if (!doc.ok()) return state.SkipWithError(doc.status().ToString().c_str());
    bytes += doc->source_json.size();
    benchmark::DoNotOptimize(doc->source_json.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_DocumentFetch)->Unit(benchmark::kMicrosecond);

void BM_SourcesFetch10(benchmark::State& state) {
  Store& s = GetStore();
  if (!s.error.empty()) return state.SkipWithError(s.error.c_str());
  std::mt19937 rng(4);
  uint64_t total = 0;
  for (auto _ : state) {
    IdsQuery ids;
    for (int i = 0; i < 10; ++i) ids.ids.push_back(s.ids[rng() % s.ids.size()]);
    SearchRequest r;
    r.query.node = std::move(ids);
    r.size = 10;
    Search(state, r, &total);
  }
  state.counters["matches"] = static_cast<double>(total);
}
BENCHMARK(BM_SourcesFetch10)->Unit(benchmark::kMicrosecond);

// The match set of N products: a price range cut at the N-th cheapest price, counted exactly.
SearchRequest PriceCutRequest(const Store& s, size_t n) {
  SearchRequest r;
  r.query.node = RangeQuery{"price", {}, {}, {}, std::to_string(s.prices[n - 1])};
  r.size = 0;
  r.track_total_hits_up_to = UINT64_MAX;
  return r;
}

// The same match sets without facets: what BM_FacetCounting pays before it counts.
void BM_MatchSetOnly(benchmark::State& state) {
  Store& s = GetStore();
  if (!s.error.empty()) return state.SkipWithError(s.error.c_str());
  SearchRequest r = PriceCutRequest(s, std::min(static_cast<size_t>(state.range(0)), s.prices.size()));
  uint64_t total = 0;
  for (auto _ : state) Search(state, r, &total);
  state.counters["matches"] = static_cast<double>(total);
}
BENCHMARK(BM_MatchSetOnly)->Arg(100)->Arg(1000)->Arg(10000)->Arg(1000000)->Unit(benchmark::kMicrosecond);

void BM_FacetCounting(benchmark::State& state) {
  Store& s = GetStore();
  if (!s.error.empty()) return state.SkipWithError(s.error.c_str());
  SearchRequest r = PriceCutRequest(s, std::min(static_cast<size_t>(state.range(0)), s.prices.size()));
  for (const char* field : {"brand", "category"}) {
    Aggregation a;
    a.name = field;
    a.type = Aggregation::Type::kTerms;
    a.field = field;
    r.aggregations.push_back(a);
  }
  uint64_t total = 0;
  for (auto _ : state) Search(state, r, &total);
  state.counters["matches"] = static_cast<double>(total);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * total));
}
BENCHMARK(BM_FacetCounting)->Arg(100)->Arg(1000)->Arg(10000)->Arg(1000000)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  Store& s = GetStore();  // closed here, before static destruction
  s.index.reset();
  s.engine.reset();
  return 0;
}
