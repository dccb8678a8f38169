// bench_compare: the in-process half of bench/run. One process per step, so bench/run can read
// each import's peak RSS from its rusage:
//   bench_compare import --peer P --dir D --catalog FILE      builds P's store
//   bench_compare query  --peer P --dir D --queries FILE      latency per query kind, as JSON
// Peers: ultrasearch (the engine API in process), xapian, sqlite, postgres-simple,
// postgres-russian (--conninfo, --table), sphinx (--port, --table). See bench/compare/peer.h for
// what each query kind asks.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <iostream>

#include "catalog_reader.h"
#include "peer.h"

namespace ultrasearch::bench {
namespace {

namespace json = boost::json;

std::unique_ptr<Peer> MakePeer(const std::string& name, const PeerOptions& options, std::string* error) {
  if (name == "ultrasearch") return MakeEnginePeer(options);
  if (name == "xapian") return MakeXapianPeer(options);
  if (name == "sqlite") return MakeSqlitePeer(options);
#ifdef ULTRASEARCH_BENCH_HAVE_LIBPQ
  if (name == "postgres-simple") return MakePostgresPeer(options, "simple");
  if (name == "postgres-russian") return MakePostgresPeer(options, "russian");
#endif
#ifdef ULTRASEARCH_BENCH_HAVE_MARIADB
  if (name == "sphinx") return MakeSphinxPeer(options);
#endif
  *error = "unknown peer (or not built here): " + name;
  return nullptr;
}

// The process's CPU time in milliseconds (every thread: the engine's facet half runs on a second
// one). On a shared machine a query's wall time includes waiting for a core; its CPU time does not.
double ProcessCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double Percentile(std::vector<double> sorted, double p) {
  if (sorted.empty()) return 0;
  size_t rank = static_cast<size_t>(p / 100.0 * static_cast<double>(sorted.size()) + 0.5);
  return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

std::optional<QueryKind> KindByName(const std::string& name) {
  for (QueryKind k : {QueryKind::kText, QueryKind::kFacet, QueryKind::kSort}) {
    if (name == QueryKindName(k)) return k;
  }
  return std::nullopt;
}

// `answers_path`, when not empty, receives each timed query's answer, one tab-separated line:
// kind, query, total, then the page as id:score pairs (to check that a change to the engine left
// its results alone: compare two runs' files). `timings_path`, when not empty, receives kind,
// query, total and the query's CPU milliseconds (to see which queries a median stands on, and pair
// them with another peer's).
int RunQueries(Peer& peer, const std::string& queries_path, size_t limit, size_t warmup,
               const std::vector<std::string>& kinds, const std::string& answers_path,
               const std::string& timings_path) {
  std::ofstream answers, timings;
  for (auto [path, file] : {std::pair{&answers_path, &answers}, std::pair{&timings_path, &timings}}) {
    if (path->empty()) continue;
    file->open(*path);
    if (!*file) {
      std::cerr << "cannot write " << *path << "\n";
      return 2;
    }
  }
  std::vector<std::vector<std::string>> queries;
  std::ifstream in(queries_path);
  for (std::string line; std::getline(in, line) && queries.size() < limit;) {
    auto words = QueryWords(line);
    if (!words.empty()) queries.push_back(std::move(words));
  }
  if (queries.empty()) {
    std::cerr << "no queries in " << queries_path << "\n";
    return 2;
  }
  json::object out;
  for (const auto& kind_name : kinds) {
    auto kind = KindByName(kind_name);
    if (!kind) {
      std::cerr << "unknown query kind " << kind_name << "\n";
      return 2;
    }
    Answer answer;
    std::string error;
    // Warm-up: the first queries run once untimed, so the timed pass starts with the store's
    // files in the page cache for every engine alike.
    for (size_t i = 0; i < std::min(warmup, queries.size()); ++i) peer.Query(*kind, queries[i], &answer, &error);
    std::vector<double> ms, cpu_ms;
    uint64_t total = 0, zero = 0, hits = 0, buckets = 0, errors = 0;
    std::string first_error;
    for (const auto& q : queries) {
      const double cpu_started = ProcessCpuMs();
      auto started = std::chrono::steady_clock::now();
      bool ok = peer.Query(*kind, q, &answer, &error);
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
      cpu_ms.push_back(ProcessCpuMs() - cpu_started);
      if (!ok) {
        if (errors++ == 0) first_error = error;
        continue;
      }
      if (answers.is_open()) {
        answers << kind_name << '\t';
        for (size_t i = 0; i < q.size(); ++i) answers << (i ? " " : "") << q[i];
        answers << '\t' << answer.total << '\t';
        for (size_t i = 0; i < answer.page.size(); ++i) {
          answers << (i ? " " : "") << answer.page[i].first << ':' << std::setprecision(9) << answer.page[i].second;
        }
        answers << '\n';
      }
      if (timings.is_open()) {
        timings << kind_name << '\t';
        for (size_t i = 0; i < q.size(); ++i) timings << (i ? " " : "") << q[i];
        timings << '\t' << answer.total << '\t' << cpu_ms.back() << '\n';
      }
      total += answer.total;
      zero += answer.total == 0;
      hits += answer.hits;
      buckets += answer.facet_buckets;
    }
    double sum = 0, cpu_sum = 0;
    for (double v : ms) sum += v;
    for (double v : cpu_ms) cpu_sum += v;
    std::sort(ms.begin(), ms.end());
    std::sort(cpu_ms.begin(), cpu_ms.end());
    json::object k{{"queries", queries.size()},
                   {"p50_ms", Percentile(ms, 50)},
                   {"p95_ms", Percentile(ms, 95)},
                   {"p99_ms", Percentile(ms, 99)},
                   {"mean_ms", sum / static_cast<double>(ms.size())},
                   {"cpu_p50_ms", Percentile(cpu_ms, 50)},
                   {"cpu_p99_ms", Percentile(cpu_ms, 99)},
                   {"cpu_mean_ms", cpu_sum / static_cast<double>(cpu_ms.size())},
                   {"total_matches", total},
                   {"zero_hit_queries", zero},
                   {"hits_returned", hits},
                   {"facet_buckets", buckets},
                   {"errors", errors}};
    if (errors > 0) k["first_error"] = first_error;
    out[kind_name] = std::move(k);
  }
  std::cout << json::serialize(out) << "\n";
  return 0;
}

}  // namespace
}  // namespace ultrasearch::bench

int main(int argc, char** argv) {
  using namespace ultrasearch::bench;
  CLI::App app{"bench_compare: the in-process steps of bench/run"};
  app.require_subcommand(1);
  std::string peer_name, catalog, queries, kinds = "text,facet,sort", answers, timings;
  size_t limit = 500, warmup = 50;
  PeerOptions options;
  auto add_common = [&](CLI::App* sub) {
    sub->add_option("--peer", peer_name, "ultrasearch, xapian, sqlite, postgres-simple, postgres-russian, sphinx")->required();
    sub->add_option("--dir", options.dir, "store directory");
    sub->add_option("--conninfo", options.conninfo, "libpq connection string (postgres-*)");
    sub->add_option("--table", options.table, "table (postgres-*) or index (sphinx) name");
    sub->add_option("--port", options.port, "searchd's SphinxQL port on 127.0.0.1 (sphinx)");
  };
  CLI::App* import = app.add_subcommand("import", "build the peer's store from a gen-catalog file");
  add_common(import);
  import->add_option("--catalog", catalog, "gen-catalog NDJSON")->required();
  import->add_option("--threads", options.threads, "writer threads (ultrasearch)");
  CLI::App* query = app.add_subcommand("query", "time the query kinds over a query file; JSON on stdout");
  add_common(query);
  query->add_option("--queries", queries, "gen-catalog --queries file")->required();
  query->add_option("--limit", limit, "queries to time per kind");
  query->add_option("--warmup", warmup, "queries run untimed first, per kind");
  query->add_option("--kinds", kinds, "comma list of text, facet, sort");
  query->add_option("--answers", answers, "write each query's total and page (id:score) here, one line per query");
  query->add_option("--timings", timings, "write each query's total and CPU milliseconds here, one line per query");
  CLI11_PARSE(app, argc, argv);

  std::string error;
  auto peer = MakePeer(peer_name, options, &error);
  if (peer == nullptr) {
    std::cerr << error << "\n";
    return 2;
  }
  if (import->parsed()) {
    error = peer->Import(catalog);
    if (!error.empty()) {
      std::cerr << peer_name << " import: " << error << "\n";
      return 1;
    }
    std::cout << peer->ImportReport() << "\n";
    return 0;
  }
  error = peer->Open();
  if (!error.empty()) {
    std::cerr << peer_name << " open: " << error << "\n";
    return 1;
  }
  std::vector<std::string> kind_list;
  for (size_t start = 0; start <= kinds.size();) {
    size_t end = kinds.find(',', start);
    if (end == std::string::npos) end = kinds.size();
    if (end > start) kind_list.push_back(kinds.substr(start, end - start));
    start = end + 1;
  }
  return RunQueries(*peer, queries, limit, warmup, kind_list, answers, timings);
}
