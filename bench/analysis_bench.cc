// Analysis throughput (bytes/s of catalog text) per built-in analyzer.
//
// The text is the name and description of products from ../shared/tools/gen-catalog --seed 42
// (generated once, outside the timed region); without the tool a small built-in sample is used.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "bench_catalog.h"
#include "ultrasearch_analyzers/builtin.h"

namespace {

const std::vector<std::string>& CatalogTexts() {
  static const std::vector<std::string> texts = [] {
    std::vector<std::string> out;
    for (const auto& line : ultrasearch::bench::GenCatalogLines("--count 5000 --seed 42")) {
      out.push_back(ultrasearch::bench::StringField(line, "name") + ". " +
                    ultrasearch::bench::StringField(line, "description"));
    }
    if (out.empty()) {
      out = {"Samsung Galaxy A54 smartfoni 8/256 GB qora. Smartfonlarning eng yaxshisi, "
             "kamerasi 50 MP, batareyasi kuchli.",
             "Холодильник LG No Frost 384 л. Холодильники с доставкой по Ташкенту, гарантия.",
             "Artel музлатгичи, оқ ранг. Музлатгичлар арзон нархда, Тошкент бўйлаб етказиб бериш.",
             "Oʻyinchoq mashina bolalar uchun. O'yinchoqlarni do‘kondan xarid qiling."};
    }
    return out;
  }();
  return texts;
}

void BM_Analyze(benchmark::State& state, const char* analyzer_name) {
  static const auto registry = ultrasearch::analyzers::MakeBuiltinAnalyzers();
  const ultrasearch::Analyzer* analyzer = registry->Find(analyzer_name);
  if (analyzer == nullptr) {
    state.SkipWithError("no such analyzer");
    return;
  }
  const auto& texts = CatalogTexts();
  std::vector<ultrasearch::Token> tokens;
  size_t i = 0, bytes = 0, count = 0;
  for (auto _ : state) {
    const std::string& text = texts[i];
    i = (i + 1) % texts.size();
    tokens.clear();
    analyzer->Analyze(text, ultrasearch::AnalysisMode::kIndex, &tokens);
    benchmark::DoNotOptimize(tokens.data());
    bytes += text.size();
    count += tokens.size();
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["tokens/s"] = benchmark::Counter(static_cast<double>(count),
                                                  benchmark::Counter::kIsRate);
}

BENCHMARK_CAPTURE(BM_Analyze, catalog, "catalog");
BENCHMARK_CAPTURE(BM_Analyze, uz, "uz");
BENCHMARK_CAPTURE(BM_Analyze, ru, "ru");
BENCHMARK_CAPTURE(BM_Analyze, standard, "standard");
BENCHMARK_CAPTURE(BM_Analyze, whitespace, "whitespace");
BENCHMARK_CAPTURE(BM_Analyze, keyword, "keyword");

}  // namespace

BENCHMARK_MAIN();
