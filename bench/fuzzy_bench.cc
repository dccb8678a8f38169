// Fuzzy expansion (typo tolerance) per query term, on catalogs of 100k and (opt-in) 1M products.
//
// Fixture, outside every timed region: `gen-catalog --count N --seed 42` imported through the
// public engine API (Index::Write batches of 1000, sync_writes off, refresh only at the end). The
// benchmarks then read the index's Xapian directory directly, because the thing measured is the
// internal expansion step (search/fuzzy.h) that the query compiler runs once per query word:
//   BM_FuzzyExpand      ExpandFuzzy through the dictionary cache (what a search runs), per term
//   BM_FuzzyExpandScan  the brute-force scan of every term of the field, same terms: the peer
//   BM_DictionaryBuild  building the field's dictionary from scratch (first query on a new index)
//   BM_DictionaryUpdate refreshing it for a new revision where 1% of the terms are new
// Query terms: the words of `gen-catalog --queries 2000 --seed 42` analysed with the `catalog`
// analyzer, each given one (length 3-5) or two (longer) random edits, then fuzziness AUTO. The
// field is the text field with the most distinct terms (`name`, with its model codes: 30k terms at
// 100k products, 187k at 1M). Counters: median_us and p99_us per
// term, and in the scan benchmark speedup = scan median / dictionary median from the same run.
//
// Environment: ULTRASEARCH_BENCH_1M=1 adds the 1M-product case (import takes minutes);
// ULTRASEARCH_BENCH_DIR=DIR keeps the imported indices in DIR/fuzzy-N and reuses them next time.
#include <benchmark/benchmark.h>

#include "bench_catalog.h"
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

#include "search/fuzzy.h"
#include "search/term_dictionary.h"
#include "ultrasearch/engine.h"
#include "ultrasearch/utf8.h"
#include "ultrasearch_analyzers/builtin.h"
#include "ultrasearch_fronts/products_template.h"

namespace fs = std::filesystem;
using namespace ultrasearch;  // NOLINT: a benchmark program, not a header

namespace {

constexpr int kBatch = 1000;

using bench::StringField;
std::vector<std::string> RunLines(const std::string& args) { return bench::GenCatalogLines(args); }

struct Fixture {
  std::string error;
  fs::path dir;
  bool remove_dir = false;
  std::unique_ptr<Xapian::Database> db;
  std::string field_prefix;
  size_t field_terms = 0;
  double import_seconds = 0;
  ~Fixture() {
    db.reset();
    std::error_code ec;
    if (remove_dir) fs::remove_all(dir, ec);
  }
};

std::string ImportCatalog(const fs::path& data_dir, int count, double* seconds) {
  std::vector<std::string> lines = RunLines("--count " + std::to_string(count) + " --seed 42");
  if (static_cast<int>(lines.size()) != count) return "gen-catalog failed (python3 needed)";
  EngineOptions options;
  options.data_dir = data_dir.string();
  options.analyzers = analyzers::MakeBuiltinAnalyzers();
  options.index_templates = fronts::DefaultIndexTemplates();
  options.refresh_interval = std::chrono::milliseconds(0);
  options.sync_writes = false;
  auto engine = Engine::Open(std::move(options));
  if (!engine.ok()) return engine.status().ToString();
  auto index = (*engine)->GetOrCreateIndex("products");
  if (!index.ok()) return index.status().ToString();
  auto started = std::chrono::steady_clock::now();
  std::vector<WriteOp> ops;
  for (size_t i = 0; i < lines.size(); ++i) {
    ops.push_back(WriteOp{WriteOp::Type::kIndex, StringField(lines[i], "id"), std::move(lines[i])});
    if (ops.size() == kBatch || i + 1 == lines.size()) {
      auto written = (*index)->Write(ops);
      if (!written.ok()) return written.status().ToString();
      ops.clear();
    }
  }
  Status refreshed = (*index)->Refresh();
  if (!refreshed.ok()) return refreshed.ToString();
  *seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return {};
}

fs::path TextDir(const fs::path& data_dir) {
  fs::path best;
  for (const auto& entry : fs::recursive_directory_iterator(data_dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_directory() && name.rfind("text.", 0) == 0) best = entry.path();
  }
  return best;
}

Fixture& GetFixture(int count) {
  static std::map<int, std::unique_ptr<Fixture>> fixtures;
  auto& slot = fixtures[count];
  if (slot) return *slot;
  slot = std::make_unique<Fixture>();
  Fixture& f = *slot;
  f.dir = bench::BenchStoreDir("fuzzy", count, &f.remove_dir);
  const fs::path ready = f.dir / "ready";
  if (!fs::exists(ready)) {
    std::error_code ec;
    fs::remove_all(f.dir, ec);
    fs::create_directories(f.dir);
    f.error = ImportCatalog(f.dir, count, &f.import_seconds);
    if (!f.error.empty()) return f;
    std::ofstream(ready) << "ok\n";
    std::fprintf(stderr, "imported %d products in %.1f s (%.0f/s)\n", count, f.import_seconds, count / f.import_seconds);
  }
  try {
    // As the engine's readers see it: the shards (text.N/shard.I) as one database.
    const fs::path text = TextDir(f.dir);
    f.db = std::make_unique<Xapian::Database>();
    for (int shard = 0; fs::exists(text / ("shard." + std::to_string(shard))); ++shard) {
      f.db->add_database(Xapian::Database((text / ("shard." + std::to_string(shard))).string()));
    }
    if (!fs::exists(text / "shard.0")) f.db->add_database(Xapian::Database(text.string()));
    // The text field with the most distinct terms.
    std::map<std::string, size_t> per_prefix;
    for (auto it = f.db->allterms_begin("T"); it != f.db->allterms_end("T"); ++it) {
      const std::string& t = *it;
      ++per_prefix[t.substr(0, t.find(':') + 1)];
    }
    for (const auto& [prefix, n] : per_prefix) {
      if (n > f.field_terms) f.field_prefix = prefix, f.field_terms = n;
    }
  } catch (const Xapian::Error& e) {
    f.error = e.get_description();
  }
  return f;
}

struct QueryTerm {
  std::string text;
  int edits;
};

// Typo'd query words, deterministic.
const std::vector<QueryTerm>& QueryTerms() {
  static const std::vector<QueryTerm> terms = [] {
    std::vector<QueryTerm> out;
    auto registry = analyzers::MakeBuiltinAnalyzers();
    const Analyzer* catalog = registry->Find("catalog");
    std::mt19937 rng(42);
    Fuzziness automatic;
    automatic.mode = Fuzziness::Mode::kAuto;
    for (const std::string& query : RunLines("--queries 2000 --seed 42")) {
      std::vector<Token> tokens;
      catalog->Analyze(query, AnalysisMode::kQuery, &tokens);
      for (const Token& token : tokens) {
        std::u32string w = DecodeUtf8(token.term);
        if (w.size() < 3) continue;
        const int typos = w.size() <= 5 ? 1 : 1 + static_cast<int>(rng() % 2);
        for (int t = 0; t < typos; ++t) {
          size_t at = rng() % w.size();
          char32_t letter = w[rng() % w.size()];  // a letter of the same script
          switch (rng() % 4) {
            case 0: w[at] = letter; break;
            case 1: w.insert(w.begin() + static_cast<std::ptrdiff_t>(at), letter); break;
            case 2: w.erase(w.begin() + static_cast<std::ptrdiff_t>(at)); break;
            default:
              if (at + 1 < w.size()) std::swap(w[at], w[at + 1]);
          }
        }
        std::string utf8;
        for (char32_t c : w) AppendUtf8(c, &utf8);
        const int edits = AllowedEdits(automatic, w.size());
        if (edits > 0) out.push_back({utf8, edits});
        if (out.size() >= 500) return out;
      }
    }
    return out;
  }();
  return terms;
}

void Percentiles(benchmark::State& state, std::vector<double> micros, double* median_out = nullptr) {
  if (micros.empty()) return;
  std::sort(micros.begin(), micros.end());
  const double median = micros[micros.size() / 2];
  state.counters["median_us"] = median;
  state.counters["p99_us"] = micros[std::min(micros.size() - 1, micros.size() * 99 / 100)];
  state.counters["max_us"] = micros.back();
  if (median_out != nullptr) *median_out = median;
}

std::map<int, double> dictionary_median_us;  // per catalog size, for the scan's ratio

void BM_FuzzyExpand(benchmark::State& state) {
  Fixture& f = GetFixture(static_cast<int>(state.range(0)));
  if (!f.error.empty()) return state.SkipWithError(f.error.c_str());
  const auto& terms = QueryTerms();
  // Warm the cache: the first call at this revision builds the dictionary (BM_DictionaryBuild).
  (void)ExpandFuzzy(*f.db, f.field_prefix, "warm", FuzzyOptions{});
  std::vector<double> micros;
  size_t i = 0, expansions = 0;
  for (auto _ : state) {
    const QueryTerm& q = terms[i++ % terms.size()];
    auto started = std::chrono::steady_clock::now();
    auto out = ExpandFuzzy(*f.db, f.field_prefix, q.text, FuzzyOptions{q.edits, 0, 50, true});
    micros.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - started).count());
    expansions += out.size();
    benchmark::DoNotOptimize(out.data());
  }
  Percentiles(state, micros, &dictionary_median_us[static_cast<int>(state.range(0))]);
  state.counters["terms_in_field"] = static_cast<double>(f.field_terms);
  state.counters["expansions_per_term"] = static_cast<double>(expansions) / static_cast<double>(micros.size());
}

void BM_FuzzyExpandScan(benchmark::State& state) {
  Fixture& f = GetFixture(static_cast<int>(state.range(0)));
  if (!f.error.empty()) return state.SkipWithError(f.error.c_str());
  const auto& terms = QueryTerms();
  std::vector<double> micros;
  size_t i = 0;
  for (auto _ : state) {
    const QueryTerm& q = terms[i++ % terms.size()];
    auto started = std::chrono::steady_clock::now();
    auto out = ExpandFuzzyByScan(*f.db, f.field_prefix, q.text, FuzzyOptions{q.edits, 0, 50, true});
    micros.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - started).count());
    benchmark::DoNotOptimize(out.data());
  }
  double median = 0;
  Percentiles(state, micros, &median);
  auto dict = dictionary_median_us.find(static_cast<int>(state.range(0)));
  if (dict != dictionary_median_us.end() && dict->second > 0) state.counters["speedup"] = median / dict->second;
}

void BM_DictionaryBuild(benchmark::State& state) {
  Fixture& f = GetFixture(static_cast<int>(state.range(0)));
  if (!f.error.empty()) return state.SkipWithError(f.error.c_str());
  size_t bytes = 0;
  for (auto _ : state) {
    auto dict = TermDictionary::Build(*f.db, f.field_prefix);
    bytes = dict->memory_bytes();
    benchmark::DoNotOptimize(dict.get());
  }
  state.counters["terms"] = static_cast<double>(f.field_terms);
  state.counters["MiB"] = static_cast<double>(bytes) / (1024.0 * 1024.0);
}

void BM_DictionaryUpdate(benchmark::State& state) {
  Fixture& f = GetFixture(static_cast<int>(state.range(0)));
  if (!f.error.empty()) return state.SkipWithError(f.error.c_str());
  // The previous revision's dictionary, as if 1% of today's terms had not been indexed yet.
  std::vector<std::pair<std::string, Xapian::doccount>> older;
  std::mt19937 rng(7);
  for (auto it = f.db->allterms_begin(f.field_prefix); it != f.db->allterms_end(f.field_prefix); ++it) {
    if (rng() % 100 != 0) older.emplace_back((*it).substr(f.field_prefix.size()), it.get_termfreq());
  }
  auto previous = TermDictionary::FromTerms(std::move(older));
  size_t segments = 0;
  for (auto _ : state) {
    auto dict = TermDictionary::Update(*f.db, f.field_prefix, previous);
    segments = dict->segment_count();
    benchmark::DoNotOptimize(dict.get());
  }
  state.counters["segments"] = static_cast<double>(segments);
}

void Sizes(benchmark::internal::Benchmark* b) {
  b->Arg(100000);
  if (const char* big = std::getenv("ULTRASEARCH_BENCH_1M"); big != nullptr && std::string(big) == "1") b->Arg(1000000);
}

BENCHMARK(BM_DictionaryBuild)->Apply(Sizes)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_DictionaryUpdate)->Apply(Sizes)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_FuzzyExpand)->Apply(Sizes)->Unit(benchmark::kMicrosecond)->Iterations(2000);
BENCHMARK(BM_FuzzyExpandScan)->Apply(Sizes)->Unit(benchmark::kMicrosecond)->Iterations(200);

}  // namespace

BENCHMARK_MAIN();
