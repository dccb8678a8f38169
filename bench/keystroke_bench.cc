// One keystroke of search-as-you-type: a bool_prefix query of 2-4 words whose last word is being
// typed, on a gen-catalog catalog of 100k and (opt-in) 1M products, beside plain Xapian's own
// prefix query on the same products. The target (issue 16): median <= 3 ms, p99 <= 10 ms at 1M.
//
// Fixture, outside every timed region: `gen-catalog --count N --seed 42`
//   - imported through the public engine API (Index::Write batches of 1000, refresh at the end);
//   - indexed by a plain single-threaded Xapian indexer: name and description through a
//     TermGenerator with the Russian stemmer, as a peer that knows no cross-script forms.
// Keystrokes: from 2,000 product names of the same catalog (deterministic), the first 2-4 words,
// the last cut after a random number of its letters (one letter up to the whole word), as a
// shopper typing the product's name.
//   BM_KeystrokeUltraSearch  Index::Search, multi_match type bool_prefix over the default fields
//                            (name^3, description), operator or, top 10, totals exact up to T
//   BM_KeystrokeXapian       Xapian::QueryParser, FLAG_DEFAULT | FLAG_PARTIAL (the last word a
//                            prefix, Xapian's expansion), default operator OR, top 10,
//                            check_at_least T
//   BM_WholeWordsXapian      the same, FLAG_DEFAULT, over the same words with the last one whole:
//                            the matcher's floor for these words, whatever the prefix scheme
// Second argument T: 10000 (Elasticsearch's default track_total_hits) or 0 (`track_total_hits:
// false`, what an autocomplete box sends: it shows suggestions, not a count), on both sides.
// Counters: median_ms, p99_ms, max_ms per keystroke; the UltraSearch run also reports ratio =
// its median over the Xapian median when that ran first (run with the default order).
//
// Environment: ULTRASEARCH_BENCH_1M=1 adds the 1M-product case (import takes minutes);
// ULTRASEARCH_BENCH_DIR=DIR keeps the imported indices in DIR/keystroke-N and reuses them;
// ULTRASEARCH_BENCH_CATALOG=FILE reads the catalog from FILE (`gen-catalog --count N --seed 42
// --out FILE`; then run one size only, e.g. --benchmark_filter=/100000).
#include <benchmark/benchmark.h>
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
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "bench_catalog.h"
#include "ultrasearch/engine.h"
#include "ultrasearch/utf8.h"
#include "ultrasearch_analyzers/builtin.h"
#include "ultrasearch_fronts/products_template.h"

namespace fs = std::filesystem;
using namespace ultrasearch;  // NOLINT: a benchmark program, not a header

namespace {

constexpr int kBatch = 1000;
constexpr size_t kKeystrokes = 2000;

struct Fixture {
  std::string error;
  fs::path dir;
  bool remove_dir = false;
  std::unique_ptr<Engine> engine;
  std::shared_ptr<Index> index;
  std::unique_ptr<Xapian::Database> peer;
  std::vector<std::string> keystrokes;
  std::vector<std::string> whole_words;  // the same words with the last one typed in full
  ~Fixture() {
    index.reset();
    engine.reset();
    peer.reset();
    std::error_code ec;
    if (remove_dir) fs::remove_all(dir, ec);
  }
};

Result<std::unique_ptr<Engine>> OpenEngine(const fs::path& data_dir) {
  EngineOptions options;
  options.data_dir = data_dir.string();
  options.analyzers = analyzers::MakeBuiltinAnalyzers();
  options.index_templates = fronts::DefaultIndexTemplates();
  options.refresh_interval = std::chrono::milliseconds(0);
  options.sync_writes = false;
  return Engine::Open(std::move(options));
}

std::string Import(const std::vector<std::string>& lines, Index& index) {
  std::vector<WriteOp> ops;
  for (size_t i = 0; i < lines.size(); ++i) {
    ops.push_back(WriteOp{WriteOp::Type::kIndex, bench::StringField(lines[i], "id"), lines[i]});
    if (ops.size() == kBatch || i + 1 == lines.size()) {
      auto written = index.Write(ops);
      if (!written.ok()) return written.status().ToString();
      ops.clear();
    }
  }
  Status refreshed = index.Refresh();
  return refreshed.ok() ? std::string() : refreshed.ToString();
}

// The peer: name and description, Russian stemming, positions as Xapian's default indexer.
std::string BuildPeer(const std::vector<std::string>& lines, const fs::path& path) {
  try {
    Xapian::WritableDatabase db(path.string(), Xapian::DB_CREATE_OR_OVERWRITE);
    Xapian::TermGenerator generator;
    generator.set_stemmer(Xapian::Stem("russian"));
    for (const auto& line : lines) {
      Xapian::Document doc;
      generator.set_document(doc);
      generator.index_text(bench::StringField(line, "name"));
      generator.increase_termpos();
      generator.index_text(bench::StringField(line, "description"));
      doc.set_data(bench::StringField(line, "id"));
      db.add_document(doc);
    }
    db.commit();
  } catch (const Xapian::Error& e) {
    return e.get_description();
  }
  return {};
}

// The first 2-4 words of product names, the last cut after 1..all of its letters; `whole` gets the
// same words uncut.
std::vector<std::string> MakeKeystrokes(const std::vector<std::string>& lines, std::vector<std::string>* whole) {
  std::vector<std::string> out;
  std::mt19937 rng(42);
  while (out.size() < kKeystrokes) {
    std::istringstream name(bench::StringField(lines[rng() % lines.size()], "name"));
    std::vector<std::string> words;
    for (std::string w; name >> w;) {
      if (w != "," && w != "-") words.push_back(w);
    }
    if (words.size() < 2) continue;
    const size_t n = std::min<size_t>(words.size(), 2 + rng() % 3);
    std::u32string last = DecodeUtf8(words[n - 1]);
    while (!last.empty() && (last.back() == U',' || last.back() == U'.')) last.pop_back();
    if (last.empty()) continue;
    std::string text;
    for (size_t i = 0; i + 1 < n; ++i) text += words[i] + " ";
    std::string full = text;
    for (char32_t c : last) AppendUtf8(c, &full);
    whole->push_back(std::move(full));
    last.resize(1 + rng() % last.size());
    for (char32_t c : last) AppendUtf8(c, &text);
    out.push_back(std::move(text));
  }
  return out;
}

// The fixtures, closed explicitly at the end of main: an engine must not outlive the process's
// own static objects (its destruction during static teardown aborted in a destroyed mutex).
std::map<int, std::unique_ptr<Fixture>>& Fixtures() {
  static std::map<int, std::unique_ptr<Fixture>> fixtures;
  return fixtures;
}

Fixture& GetFixture(int count) {
  auto& slot = Fixtures()[count];
  if (slot) return *slot;
  slot = std::make_unique<Fixture>();
  Fixture& f = *slot;
  f.dir = bench::BenchStoreDir("keystroke", count, &f.remove_dir);
  // ULTRASEARCH_BENCH_CATALOG may name a file generated once (a 1M catalog takes minutes to make).
  const char* file = std::getenv("ULTRASEARCH_BENCH_CATALOG");
  std::vector<std::string> lines = file != nullptr ? bench::CatalogFileLines(file)
                                                   : bench::GenCatalogLines("--count " + std::to_string(count) + " --seed 42");
  if (static_cast<int>(lines.size()) != count) {
    f.error = "gen-catalog failed (python3 needed), or ULTRASEARCH_BENCH_CATALOG has another size";
    return f;
  }
  f.keystrokes = MakeKeystrokes(lines, &f.whole_words);
  const fs::path ready = f.dir / "ready";
  const bool imported = fs::exists(ready);
  if (!imported) {
    std::error_code ec;
    fs::remove_all(f.dir, ec);
    fs::create_directories(f.dir);
  }
  auto engine = OpenEngine(f.dir / "data");
  if (!engine.ok()) {
    f.error = engine.status().ToString();
    return f;
  }
  f.engine = std::move(engine).value();
  auto index = f.engine->GetOrCreateIndex("products");
  if (!index.ok()) {
    f.error = index.status().ToString();
    return f;
  }
  f.index = *index;
  if (!imported) {
    auto started = std::chrono::steady_clock::now();
    f.error = Import(lines, *f.index);
    if (f.error.empty()) f.error = BuildPeer(lines, f.dir / "peer");
    if (!f.error.empty()) return f;
    std::fprintf(stderr, "imported %d products and the Xapian peer in %.1f s\n", count,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    std::ofstream(ready) << "ok\n";
  }
  try {
    f.peer = std::make_unique<Xapian::Database>((f.dir / "peer").string());
  } catch (const Xapian::Error& e) {
    f.error = e.get_description();
  }
  return f;
}

void Percentiles(benchmark::State& state, std::vector<double> millis, double* median_out) {
  if (millis.empty()) return;
  std::sort(millis.begin(), millis.end());
  *median_out = millis[millis.size() / 2];
  state.counters["median_ms"] = *median_out;
  state.counters["p99_ms"] = millis[std::min(millis.size() - 1, millis.size() * 99 / 100)];
  state.counters["max_ms"] = millis.back();
}

std::map<std::pair<int64_t, int64_t>, double> xapian_median_ms;  // per (size, totals), for the ratio

// Plain Xapian over `texts` with the QueryParser `flags` (its default operator OR).
void RunXapian(benchmark::State& state, const std::vector<std::string> Fixture::*texts, unsigned flags,
               double* median_out) {
  Fixture& f = GetFixture(static_cast<int>(state.range(0)));
  if (!f.error.empty()) return state.SkipWithError(f.error.c_str());
  Xapian::QueryParser parser;
  parser.set_database(*f.peer);
  parser.set_stemmer(Xapian::Stem("russian"));
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  parser.set_default_op(Xapian::Query::OP_OR);
  Xapian::Enquire enquire(*f.peer);
  const std::vector<std::string>& queries = f.*texts;
  std::vector<double> millis;
  size_t i = 0, hits = 0;
  for (auto _ : state) {
    const std::string& text = queries[i++ % queries.size()];
    auto started = std::chrono::steady_clock::now();
    Xapian::Query query;
    try {
      query = parser.parse_query(text, flags);
    } catch (const Xapian::QueryParserError&) {
      // Text its syntax rejects (a stray operator): as a search box would, read it as plain words.
      query = parser.parse_query(text, flags & Xapian::QueryParser::FLAG_PARTIAL);
    }
    enquire.set_query(query);
    Xapian::MSet mset = enquire.get_mset(0, 10, static_cast<Xapian::doccount>(state.range(1)));
    for (auto it = mset.begin(); it != mset.end(); ++it) benchmark::DoNotOptimize(it.get_document().get_data());
    millis.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
    hits += mset.size();
  }
  Percentiles(state, millis, median_out);
  state.counters["hits_per_query"] = static_cast<double>(hits) / static_cast<double>(millis.size());
}

void BM_KeystrokeXapian(benchmark::State& state) {
  RunXapian(state, &Fixture::keystrokes, Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_PARTIAL,
            &xapian_median_ms[{state.range(0), state.range(1)}]);
}

// The same words with the last one typed in full, no prefix at all: what Xapian's matcher takes
// for the query's words alone, the floor of any prefix scheme over it (an index of prefixes makes
// the partial word one term, as a whole word is).
void BM_WholeWordsXapian(benchmark::State& state) {
  double median = 0;
  RunXapian(state, &Fixture::whole_words, Xapian::QueryParser::FLAG_DEFAULT, &median);
}

void BM_KeystrokeUltraSearch(benchmark::State& state) {
  Fixture& f = GetFixture(static_cast<int>(state.range(0)));
  if (!f.error.empty()) return state.SkipWithError(f.error.c_str());
  SearchRequest request;
  request.size = 10;
  request.reread_in_other_layout = false;  // a keystroke is not worth a layout retry
  request.track_total_hits_up_to = static_cast<uint64_t>(state.range(1));
  MatchQuery match;
  match.type = MatchQuery::Type::kBoolPrefix;
  // Warm the term dictionary of each default field (built once per reader revision).
  match.text = "a b";
  request.query.node = match;
  (void)f.index->Search(request);
  std::vector<double> millis;
  size_t i = 0, hits = 0;
  for (auto _ : state) {
    std::get<MatchQuery>(request.query.node).text = f.keystrokes[i++ % f.keystrokes.size()];
    auto started = std::chrono::steady_clock::now();
    auto result = f.index->Search(request);
    millis.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
    if (!result.ok()) return state.SkipWithError(result.status().ToString().c_str());
    hits += result->hits.size();
  }
  double median = 0;
  Percentiles(state, millis, &median);
  state.counters["hits_per_query"] = static_cast<double>(hits) / static_cast<double>(millis.size());
  auto peer = xapian_median_ms.find({state.range(0), state.range(1)});
  if (peer != xapian_median_ms.end() && peer->second > 0) state.counters["ratio"] = median / peer->second;
}

void Sizes(benchmark::internal::Benchmark* b) {
  std::vector<int64_t> sizes{100000};
  if (const char* big = std::getenv("ULTRASEARCH_BENCH_1M"); big != nullptr && std::string(big) == "1") sizes.push_back(1000000);
  b->ArgNames({"products", "totals"});
  for (int64_t size : sizes) {
    for (int64_t totals : {10000, 0}) b->Args({size, totals});
  }
}

BENCHMARK(BM_KeystrokeXapian)->Apply(Sizes)->Unit(benchmark::kMillisecond)->Iterations(kKeystrokes);
BENCHMARK(BM_WholeWordsXapian)->Apply(Sizes)->Unit(benchmark::kMillisecond)->Iterations(kKeystrokes);
BENCHMARK(BM_KeystrokeUltraSearch)->Apply(Sizes)->Unit(benchmark::kMillisecond)->Iterations(kKeystrokes);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  Fixtures().clear();
  benchmark::Shutdown();
  return 0;
}
