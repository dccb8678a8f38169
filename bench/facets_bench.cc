// Facet queries: the engine (value columns) against plain Xapian (ValueCountMatchSpy over value
// slots) and SQLite FTS5 (GROUP BY over the match set), on the same catalog in the same run.
//
// Requests, each answering top 10 hits plus counts over every match:
//   Broad:  the word `mahsulot` (tens of thousands of matches per 100k products) AND 50,000 <=
//           price <= 50,000,000, with terms facets on brand, category and tags (top 10 each) and a
//           5-range price facet.
//   Narrow: the same facets and filter on a rare word ($ULTRASEARCH_BENCH_NARROW, default
//           `domestos`: hundreds of matches per 100k).
//   Sort:   the broad word, top 10 by price ascending, no facets.
// Input: $ULTRASEARCH_BENCH_CATALOG (a gen-catalog file) or gen-catalog --count
// $ULTRASEARCH_BENCH_DOCS (default 100000) --seed 42. The three stores are built once, outside
// the timed region, in a temporary directory removed at exit; with $ULTRASEARCH_BENCH_STORE_DIR
// they are built there once and reused by later runs (a million products take a quarter of an
// hour to build). See docs/performance.md for the command and the figures.
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <xapian.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
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

constexpr double kPriceLow = 50000, kPriceHigh = 50000000;
const double kPriceEdges[] = {100000, 500000, 1000000, 5000000};  // 5 ranges

std::string NarrowWord() {
  const char* w = std::getenv("ULTRASEARCH_BENCH_NARROW");
  return w != nullptr ? w : "domestos";
}

// --- the stores, built once ---------------------------------------------------------------------

enum XapianSlot : Xapian::valueno { kBrand = 0, kCategory = 1, kTags = 2, kPrice = 3 };
constexpr char kTagSeparator = '\x1f';

struct Stores {
  fs::path dir;
  bool keep = false;  // a reusable $ULTRASEARCH_BENCH_STORE_DIR: left in place at exit
  size_t docs = 0;
  std::unique_ptr<Engine> engine;
  std::shared_ptr<Index> index;
  double engine_open_ms = 0;
  uint64_t column_bytes = 0;
  std::unique_ptr<Xapian::Database> xapian;
  sqlite3* sqlite = nullptr;
  std::string error;

  ~Stores() {
    if (sqlite != nullptr) sqlite3_close(sqlite);
    xapian.reset();
    index.reset();
    engine.reset();
    std::error_code ec;
    if (!dir.empty() && !keep) fs::remove_all(dir, ec);
  }
};

// Marks a store directory complete; a directory without it (an interrupted build) is rebuilt.
constexpr const char* kBuiltMarker = "BUILT";

EngineOptions BenchEngineOptions(const Stores& s) {
  EngineOptions options;
  options.data_dir = (s.dir / "engine").string();
  options.analyzers = analyzers::MakeBuiltinAnalyzers();
  options.index_templates = fronts::DefaultIndexTemplates();  // the products schema, as the fronts open it
  options.refresh_interval = std::chrono::milliseconds(0);
  options.sync_writes = false;
  return options;
}

// Opens the engine's store, measuring startup (catalog + value columns from RocksDB + text index).
void OpenEngine(Stores* s) {
  auto started = std::chrono::steady_clock::now();
  auto engine = Engine::Open(BenchEngineOptions(*s));
  if (!engine.ok()) return void(s->error = engine.status().ToString());
  s->engine = std::move(engine.value());
  auto index = s->engine->GetIndex("products");
  if (!index.ok()) return void(s->error = index.status().ToString());
  s->index = index.value();
  s->engine_open_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  s->column_bytes = s->index->Stats()->value_columns_bytes;
}

void BuildEngine(Stores* s, const std::vector<std::string>& lines) {
  {
    EngineOptions options = BenchEngineOptions(*s);
    auto engine = Engine::Open(options);
    if (!engine.ok()) return void(s->error = engine.status().ToString());
    auto index = engine.value()->GetOrCreateIndex("products");
    if (!index.ok()) return void(s->error = index.status().ToString());
    std::vector<WriteOp> batch;
    for (size_t i = 0; i < lines.size(); ++i) {
      batch.push_back({WriteOp::Type::kIndex, std::string(json::parse(lines[i]).at("id").as_string()), lines[i]});
      if (batch.size() == 1000 || i + 1 == lines.size()) {
        if (!index.value()->Write(batch).ok()) return void(s->error = "engine write failed");
        batch.clear();
      }
    }
    if (!index.value()->Refresh().ok()) return void(s->error = "engine refresh failed");
  }
  OpenEngine(s);  // reopened: startup is measured
}

void BuildXapian(Stores* s, const std::vector<std::string>& lines) {
  const std::string path = (s->dir / "xapian").string();
  {
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OVERWRITE);
    Xapian::TermGenerator tg;
    for (const auto& line : lines) {
      json::object o = json::parse(line).as_object();
      Xapian::Document doc;
      tg.set_document(doc);
      tg.index_text(std::string(o.at("name").as_string()), 3);
      tg.index_text(std::string(o.at("description").as_string()));
      doc.add_value(kBrand, std::string(o.at("brand").as_string()));
      doc.add_value(kCategory, std::string(o.at("category").as_string()));
      std::string tags;
      if (auto* t = o.if_contains("tags")) {
        for (const auto& tag : t->as_array()) tags += std::string(tag.as_string()) + kTagSeparator;
      }
      doc.add_value(kTags, tags);
      doc.add_value(kPrice, Xapian::sortable_serialise(o.at("price").to_number<double>()));
      db.add_document(doc);
    }
    db.commit();
  }
  s->xapian = std::make_unique<Xapian::Database>(path);
}

bool Exec(sqlite3* db, const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }

void BuildSqlite(Stores* s, const std::vector<std::string>& lines) {
  if (sqlite3_open((s->dir / "catalog.sqlite").c_str(), &s->sqlite) != SQLITE_OK) return void(s->error = "sqlite open");
  Exec(s->sqlite, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;");
  if (!Exec(s->sqlite,
            "CREATE VIRTUAL TABLE fts USING fts5(name, description);"
            "CREATE TABLE docs(rowid INTEGER PRIMARY KEY, brand TEXT, category TEXT, price REAL);"
            "CREATE TABLE tags(rowid INTEGER, tag TEXT);")) {
    return void(s->error = sqlite3_errmsg(s->sqlite));
  }
  Exec(s->sqlite, "BEGIN");
  sqlite3_stmt *fts, *docs, *tags;
  sqlite3_prepare_v2(s->sqlite, "INSERT INTO fts(rowid, name, description) VALUES (?,?,?)", -1, &fts, nullptr);
  sqlite3_prepare_v2(s->sqlite, "INSERT INTO docs VALUES (?,?,?,?)", -1, &docs, nullptr);
  sqlite3_prepare_v2(s->sqlite, "INSERT INTO tags VALUES (?,?)", -1, &tags, nullptr);
  int64_t rowid = 0;
  for (const auto& line : lines) {
    json::object o = json::parse(line).as_object();
    ++rowid;
    std::string name(o.at("name").as_string()), description(o.at("description").as_string());
    std::string brand(o.at("brand").as_string()), category(o.at("category").as_string());
    sqlite3_bind_int64(fts, 1, rowid);
    sqlite3_bind_text(fts, 2, name.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(fts, 3, description.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_step(fts), sqlite3_reset(fts);
    sqlite3_bind_int64(docs, 1, rowid);
    sqlite3_bind_text(docs, 2, brand.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(docs, 3, category.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(docs, 4, o.at("price").to_number<double>());
    sqlite3_step(docs), sqlite3_reset(docs);
    if (auto* t = o.if_contains("tags")) {
      for (const auto& tag : t->as_array()) {
        std::string text(tag.as_string());
        sqlite3_bind_int64(tags, 1, rowid);
        sqlite3_bind_text(tags, 2, text.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_step(tags), sqlite3_reset(tags);
      }
    }
  }
  sqlite3_finalize(fts), sqlite3_finalize(docs), sqlite3_finalize(tags);
  Exec(s->sqlite, "COMMIT; CREATE INDEX tags_rowid ON tags(rowid); ANALYZE;");
}

// Opens stores an earlier run left complete in s->dir.
void OpenBuiltStores(Stores* s) {
  std::ifstream marker(s->dir / kBuiltMarker);
  marker >> s->docs;
  OpenEngine(s);
  if (!s->error.empty()) return;
  s->xapian = std::make_unique<Xapian::Database>((s->dir / "xapian").string());
  if (sqlite3_open((s->dir / "catalog.sqlite").c_str(), &s->sqlite) != SQLITE_OK) s->error = "sqlite open";
}

Stores& GetStores() {
  static Stores stores;
  static bool built = [] {
    Stores& s = stores;
    if (const char* keep = std::getenv("ULTRASEARCH_BENCH_STORE_DIR"); keep != nullptr && *keep != '\0') {
      s.dir = keep;
      s.keep = true;
      if (fs::exists(s.dir / kBuiltMarker)) {
        OpenBuiltStores(&s);
        return true;
      }
      std::error_code ec;
      fs::remove_all(s.dir, ec);
    } else {
      s.dir = fs::temp_directory_path() / ("ultrasearch-facets-bench-" + std::to_string(std::random_device{}()));
    }
    fs::create_directories(s.dir);
    auto lines = bench::BenchCatalogLines("100000");
    s.docs = lines.size();
    if (lines.empty()) {
      s.error = "no catalog (gen-catalog missing?)";
      return true;
    }
    BuildEngine(&s, lines);
    if (s.error.empty()) BuildXapian(&s, lines);
    if (s.error.empty()) BuildSqlite(&s, lines);
    if (s.error.empty() && s.keep) std::ofstream(s.dir / kBuiltMarker) << s.docs << '\n';
    return true;
  }();
  (void)built;
  return stores;
}

// --- the engine -------------------------------------------------------------------------------

SearchRequest EngineRequest(const std::string& word, bool facets) {
  MatchQuery match;
  match.text = word;
  BoolQuery b;
  b.must.push_back(Query{match});
  RangeQuery price{"price", {}, std::to_string(kPriceLow), {}, std::to_string(kPriceHigh)};
  b.filter.push_back(Query{price});
  SearchRequest r;
  r.query.node = std::move(b);
  r.size = 10;
  r.fetch_source = false;
  if (!facets) return r;
  for (const char* field : {"brand", "category", "tags"}) {
    Aggregation a;
    a.name = field;
    a.type = Aggregation::Type::kTerms;
    a.field = field;
    r.aggregations.push_back(a);
  }
  Aggregation ranges;
  ranges.name = "price";
  ranges.type = Aggregation::Type::kRange;
  ranges.field = "price";
  std::optional<std::string> previous;
  for (double edge : kPriceEdges) {
    ranges.ranges.push_back({std::nullopt, previous, std::to_string(edge)});
    previous = std::to_string(edge);
  }
  ranges.ranges.push_back({std::nullopt, previous, std::nullopt});
  r.aggregations.push_back(ranges);
  return r;
}

void RunEngine(benchmark::State& state, const SearchRequest& request) {
  Stores& s = GetStores();
  if (!s.error.empty()) return state.SkipWithError(s.error.c_str());
  uint64_t matches = 0;
  for (auto _ : state) {
    auto result = s.index->Search(request);
    if (!result.ok()) return state.SkipWithError(result.status().ToString().c_str());
    matches = result->total;
    benchmark::DoNotOptimize(result->aggregations.data());
  }
  state.counters["matches"] = static_cast<double>(matches);
  state.counters["docs"] = static_cast<double>(s.docs);
  state.counters["column_bytes_per_doc"] = static_cast<double>(s.column_bytes) / static_cast<double>(s.docs);
  state.counters["open_ms"] = s.engine_open_ms;
}

void BM_Engine_Broad(benchmark::State& state) {
  SearchRequest r = EngineRequest("mahsulot", true);
  r.track_total_hits_up_to = UINT64_MAX;
  RunEngine(state, r);
}
void BM_Engine_Narrow(benchmark::State& state) {
  SearchRequest r = EngineRequest(NarrowWord(), true);
  r.track_total_hits_up_to = UINT64_MAX;
  RunEngine(state, r);
}
// Where the broad request's time goes: the ranked page alone, and the facets alone (size 0).
void BM_Engine_BroadPageOnly(benchmark::State& state) { RunEngine(state, EngineRequest("mahsulot", false)); }
void BM_Engine_NarrowPageOnly(benchmark::State& state) { RunEngine(state, EngineRequest(NarrowWord(), false)); }
void BM_Engine_BroadFacetsOnly(benchmark::State& state) {
  SearchRequest r = EngineRequest("mahsulot", true);
  r.size = 0;
  r.track_total_hits_up_to = UINT64_MAX;
  RunEngine(state, r);
}
void BM_Engine_SortByPrice(benchmark::State& state) {
  SearchRequest r = EngineRequest("mahsulot", false);
  r.sort = {SortField{"price", false}};
  RunEngine(state, r);
}

// --- plain Xapian ------------------------------------------------------------------------------

// Counts each tag of a document's "\x1f"-joined tag list (Xapian's ValueCountMatchSpy counts one
// value per slot).
class TagCountSpy : public Xapian::MatchSpy {
 public:
  void operator()(const Xapian::Document& doc, double) override {
    std::string tags = doc.get_value(kTags);
    size_t start = 0;
    for (size_t end; (end = tags.find(kTagSeparator, start)) != std::string::npos; start = end + 1) {
      ++counts_[tags.substr(start, end - start)];
    }
  }
  std::vector<std::pair<std::string, uint64_t>> Top(size_t n) const {
    std::vector<std::pair<std::string, uint64_t>> v(counts_.begin(), counts_.end());
    std::partial_sort(v.begin(), v.begin() + static_cast<ptrdiff_t>(std::min(n, v.size())), v.end(),
                      [](const auto& a, const auto& b) { return a.second > b.second; });
    v.resize(std::min(n, v.size()));
    return v;
  }

 private:
  std::unordered_map<std::string, uint64_t> counts_;
};

class PriceRangeSpy : public Xapian::MatchSpy {
 public:
  void operator()(const Xapian::Document& doc, double) override {
    double price = Xapian::sortable_unserialise(doc.get_value(kPrice));
    size_t bucket = 0;
    while (bucket < std::size(kPriceEdges) && price >= kPriceEdges[bucket]) ++bucket;
    ++counts_[bucket];
  }
  uint64_t counts_[std::size(kPriceEdges) + 1] = {};
};

void RunXapian(benchmark::State& state, const std::string& word, bool facets, bool sort_by_price) {
  Stores& s = GetStores();
  if (!s.error.empty()) return state.SkipWithError(s.error.c_str());
  Xapian::Query query(Xapian::Query::OP_FILTER, Xapian::Query(word),
                      Xapian::Query(Xapian::Query::OP_VALUE_RANGE, kPrice, Xapian::sortable_serialise(kPriceLow),
                                    Xapian::sortable_serialise(kPriceHigh)));
  uint64_t matches = 0;
  for (auto _ : state) {
    Xapian::Enquire enquire(*s.xapian);
    enquire.set_query(query);
    if (sort_by_price) enquire.set_sort_by_value(kPrice, false);
    Xapian::ValueCountMatchSpy brands(kBrand), categories(kCategory);
    TagCountSpy tags;
    PriceRangeSpy prices;
    if (facets) {
      enquire.add_matchspy(&brands);
      enquire.add_matchspy(&categories);
      enquire.add_matchspy(&tags);
      enquire.add_matchspy(&prices);
    }
    Xapian::MSet mset = enquire.get_mset(0, 10, facets ? s.xapian->get_doccount() : 0);
    for (auto it = mset.begin(); it != mset.end(); ++it) benchmark::DoNotOptimize(it.get_document().get_data());
    if (facets) {
      for (auto* spy : {&brands, &categories}) {
        for (auto it = spy->top_values_begin(10); it != spy->top_values_end(10); ++it) benchmark::DoNotOptimize(*it);
      }
      benchmark::DoNotOptimize(tags.Top(10));
    }
    matches = mset.get_matches_estimated();
  }
  state.counters["matches"] = static_cast<double>(matches);
}

void BM_Xapian_Broad(benchmark::State& state) { RunXapian(state, "mahsulot", true, false); }
void BM_Xapian_Narrow(benchmark::State& state) { RunXapian(state, NarrowWord(), true, false); }
void BM_Xapian_SortByPrice(benchmark::State& state) { RunXapian(state, "mahsulot", false, true); }

// --- SQLite FTS5 -------------------------------------------------------------------------------

bool SqliteStep(sqlite3* db, const std::string& sql, const std::vector<std::string>& text_args, uint64_t* rows) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) return false;
  for (size_t i = 0; i < text_args.size(); ++i) {
    sqlite3_bind_text(stmt, static_cast<int>(i + 1), text_args[i].c_str(), -1, SQLITE_TRANSIENT);
  }
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    ++*rows;
    benchmark::DoNotOptimize(sqlite3_column_int64(stmt, 0));
  }
  sqlite3_finalize(stmt);
  return rc == SQLITE_DONE;
}

void RunSqlite(benchmark::State& state, const std::string& word, bool sort_by_price) {
  Stores& s = GetStores();
  if (!s.error.empty()) return state.SkipWithError(s.error.c_str());
  const std::string filter = " AND d.price BETWEEN " + std::to_string(kPriceLow) + " AND " + std::to_string(kPriceHigh);
  uint64_t matches = 0;
  for (auto _ : state) {
    uint64_t rows = 0;
    bool ok = true;
    if (sort_by_price) {
      ok = SqliteStep(s.sqlite,
                      "SELECT d.rowid FROM fts JOIN docs d ON d.rowid = fts.rowid WHERE fts MATCH ?1" + filter +
                          " ORDER BY d.price LIMIT 10",
                      {word}, &rows);
    } else {
      // The match set once, then the top 10 by BM25 and one GROUP BY per facet over it.
      ok = SqliteStep(s.sqlite,
                      "CREATE TEMP TABLE m AS SELECT d.rowid AS rowid, d.brand AS brand, d.category AS category, "
                      "d.price AS price, bm25(fts) AS score FROM fts JOIN docs d ON d.rowid = fts.rowid WHERE fts "
                      "MATCH ?1" + filter,
                      {word}, &rows) &&
           SqliteStep(s.sqlite, "SELECT count(*) FROM m", {}, &rows) &&
           SqliteStep(s.sqlite, "SELECT rowid FROM m ORDER BY score LIMIT 10", {}, &rows) &&
           SqliteStep(s.sqlite, "SELECT brand, count(*) c FROM m GROUP BY brand ORDER BY c DESC LIMIT 10", {}, &rows) &&
           SqliteStep(s.sqlite, "SELECT category, count(*) c FROM m GROUP BY category ORDER BY c DESC LIMIT 10", {},
                      &rows) &&
           SqliteStep(s.sqlite,
                      "SELECT t.tag, count(*) c FROM m JOIN tags t ON t.rowid = m.rowid GROUP BY t.tag ORDER BY c "
                      "DESC LIMIT 10",
                      {}, &rows) &&
           SqliteStep(s.sqlite,
                      "SELECT sum(price < 100000), sum(price >= 100000 AND price < 500000), sum(price >= 500000 AND "
                      "price < 1000000), sum(price >= 1000000 AND price < 5000000), sum(price >= 5000000) FROM m",
                      {}, &rows) &&
           SqliteStep(s.sqlite, "DROP TABLE m", {}, &rows);
    }
    if (!ok) return state.SkipWithError(sqlite3_errmsg(s.sqlite));
    matches = rows;
  }
  state.counters["rows"] = static_cast<double>(matches);
}

void BM_Sqlite_Broad(benchmark::State& state) { RunSqlite(state, "mahsulot", false); }
void BM_Sqlite_Narrow(benchmark::State& state) { RunSqlite(state, NarrowWord(), false); }
void BM_Sqlite_SortByPrice(benchmark::State& state) { RunSqlite(state, "mahsulot", true); }

BENCHMARK(BM_Engine_Broad)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Xapian_Broad)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Sqlite_Broad)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Engine_Narrow)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Xapian_Narrow)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Sqlite_Narrow)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Engine_BroadPageOnly)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Engine_BroadFacetsOnly)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Engine_NarrowPageOnly)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Engine_SortByPrice)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Xapian_SortByPrice)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Sqlite_SortByPrice)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  // Close the stores and remove their directory here, before static destruction begins.
  Stores& s = GetStores();
  if (s.sqlite != nullptr) sqlite3_close(s.sqlite), s.sqlite = nullptr;
  s.xapian.reset();
  s.index.reset();
  s.engine.reset();
  std::error_code ec;
  if (!s.dir.empty() && !s.keep) fs::remove_all(s.dir, ec);
  s.dir.clear();
  return 0;
}
