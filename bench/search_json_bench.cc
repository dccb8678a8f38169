// The JSON ends of a search over HTTP, without the network or the engine:
//   BM_ParseSearchRequest     a storefront's _search body (multi_match, price filter, two terms
//                             aggregations, sort) → the engine's SearchRequest, as the server parses it;
//   BM_RenderSearchResponse   a 10-hit answer with real gen-catalog sources and two 10-bucket
//                             aggregations → Elasticsearch's response JSON (Arg 1: with aggregations);
//   BM_ParseSearchResponse    that response parsed back with Boost.JSON and simdjson (what a
//                             client, or a test, pays to read it).
// The hits' sources: the first 10 products of $ULTRASEARCH_BENCH_CATALOG, or of gen-catalog.
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <algorithm>
#include <boost/json.hpp>
#include <string>
#include <vector>

#include "bench_catalog.h"
#include "search_request.h"
#include "search_response.h"
#include "ultrasearch_analyzers/builtin.h"

namespace {

using namespace ultrasearch;

constexpr const char* kBody = R"({
  "query": {"bool": {
    "must": [{"multi_match": {"query": "samsung smartfon 256", "fields": ["name^3", "description"],
                              "type": "cross_fields", "operator": "and"}}],
    "filter": [{"range": {"price": {"gte": 50000, "lte": 50000000}}}, {"term": {"in_stock": true}}]}},
  "aggs": {"brands": {"terms": {"field": "brand", "size": 10}},
           "categories": {"terms": {"field": "category", "size": 10}}},
  "sort": [{"price": "asc"}, "_score"],
  "size": 10, "from": 0, "track_total_hits": true
})";

server::Request SearchHttpRequest() {
  server::Request req;
  req.method = server::Method::kPost;
  req.target = "/products/_search";
  req.segments = {"products", "_search"};
  req.body = kBody;
  req.content_type = "application/json";
  return req;
}

void BM_ParseSearchRequest(benchmark::State& state) {
  auto analyzers = analyzers::MakeBuiltinAnalyzers();
  server::Request req = SearchHttpRequest();
  for (auto _ : state) {
    server::ParsedSearch parsed = server::ParseSearchRequest(req, *analyzers);
    benchmark::DoNotOptimize(parsed.request.size);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * req.body.size()));
}
BENCHMARK(BM_ParseSearchRequest)->Unit(benchmark::kMicrosecond);

struct Answer {
  server::ParsedSearch search;
  std::string index = "products";
  std::vector<Hit> hits;
  std::vector<AggregationResult> aggs;
  server::MergedResult merged;
};

// A realistic answer: 10 gen-catalog products as hits, 10 buckets per aggregation.
const Answer& GetAnswer(bool with_aggs) {
  static Answer answers[2];
  static bool built = [] {
    auto analyzers = analyzers::MakeBuiltinAnalyzers();
    auto lines = bench::BenchCatalogLines("10");
    lines.resize(std::min<size_t>(lines.size(), 10));
    for (int a = 0; a < 2; ++a) {
      Answer& ans = answers[a];
      ans.search = server::ParseSearchRequest(SearchHttpRequest(), *analyzers);
      for (size_t i = 0; i < lines.size(); ++i) {
        Hit h;
        h.id = bench::StringField(lines[i], "id");
        h.score = 12.5 - static_cast<double>(i);
        h.source_json = lines[i];
        h.sort_values.push_back(SortValue{static_cast<double>(1000 * (i + 1))});
        h.sort_values.push_back(SortValue{h.score});
        ans.hits.push_back(std::move(h));
      }
      if (a == 1) {
        for (const char* name : {"brands", "categories"}) {
          AggregationResult r;
          r.name = name;
          for (int b = 0; b < 10; ++b) {
            AggregationBucket bucket;
            bucket.key = std::string(name) + "-" + std::to_string(b);
            bucket.doc_count = static_cast<uint64_t>(1000 - 37 * b);
            r.buckets.push_back(std::move(bucket));
          }
          ans.aggs.push_back(std::move(r));
        }
      } else {
        ans.search.request.aggregations.clear();
      }
      ans.merged.total = 12345;
      ans.merged.max_score = 12.5;
      for (const Hit& h : ans.hits) ans.merged.hits.push_back({&ans.index, &h});
      ans.merged.aggregations = &ans.aggs;
    }
    return true;
  }();
  (void)built;
  return answers[with_aggs ? 1 : 0];
}

void BM_RenderSearchResponse(benchmark::State& state) {
  const Answer& a = GetAnswer(state.range(0) != 0);
  if (a.hits.empty()) return state.SkipWithError("no catalog: set ULTRASEARCH_BENCH_CATALOG (gen-catalog missing?)");
  size_t bytes = 0;
  for (auto _ : state) {
    std::string out = server::RenderSearchResponse(a.search, a.merged, 3);
    bytes += out.size();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_RenderSearchResponse)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

void BM_ParseSearchResponse_BoostJson(benchmark::State& state) {
  const Answer& a = GetAnswer(true);
  if (a.hits.empty()) return state.SkipWithError("no catalog");
  const std::string response = server::RenderSearchResponse(a.search, a.merged, 3);
  for (auto _ : state) {
    boost::json::value v = boost::json::parse(response);
    benchmark::DoNotOptimize(v.as_object().size());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * response.size()));
}
BENCHMARK(BM_ParseSearchResponse_BoostJson)->Unit(benchmark::kMicrosecond);

void BM_ParseSearchResponse_Simdjson(benchmark::State& state) {
  const Answer& a = GetAnswer(true);
  if (a.hits.empty()) return state.SkipWithError("no catalog");
  const simdjson::padded_string response(server::RenderSearchResponse(a.search, a.merged, 3));
  simdjson::dom::parser parser;
  for (auto _ : state) {
    simdjson::dom::element doc;
    if (parser.parse(response).get(doc) != simdjson::SUCCESS) return state.SkipWithError("simdjson parse");
    benchmark::DoNotOptimize(doc);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * response.size()));
}
BENCHMARK(BM_ParseSearchResponse_Simdjson)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
