// Analysis throughput (bytes/s of catalog text) per built-in analyzer.
//
// The text is the name and description of products from third_party/tools/gen-catalog --seed 42
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

// The query path: analysis in query mode, words grouped by position, then the analyzer's
// expansions (synonyms, vocabulary). `vocabulary` uses catalog's bilingual-vocabulary variant, the
// analyzer of the products index; the plain catalog is the same path without it.
void BM_AnalyzeQuery(benchmark::State& state, bool vocabulary) {
  static const auto registry = ultrasearch::analyzers::MakeBuiltinAnalyzers();
  const ultrasearch::Analyzer* analyzer = registry->Find("catalog");
  if (vocabulary) {
    auto it = registry->vocabulary_variants().find("catalog");
    if (it == registry->vocabulary_variants().end()) {
      state.SkipWithError("no vocabulary variant");
      return;
    }
    analyzer = it->second.get();
  }
  // Queries: product names (the words shoppers type), cut to their first four words.
  static const std::vector<std::string> queries = [] {
    std::vector<std::string> out;
    for (const auto& text : CatalogTexts()) {
      std::string q;
      int words = 0;
      for (size_t i = 0; i < text.size() && words < 4; ++i) {
        if (text[i] == ' ' || text[i] == '.') ++words;
        if (text[i] == '.') break;
        q.push_back(text[i]);
      }
      out.push_back(q);
    }
    return out;
  }();
  ultrasearch::AnalyzedWords warm;
  std::vector<ultrasearch::QueryExpansion> expansions;
  analyzer->ExpandQuery(warm, &expansions);  // builds the vocabulary tables outside the timing
  std::vector<ultrasearch::Token> tokens;
  size_t i = 0, bytes = 0, expanded = 0;
  for (auto _ : state) {
    const std::string& text = queries[i];
    i = (i + 1) % queries.size();
    tokens.clear();
    analyzer->Analyze(text, ultrasearch::AnalysisMode::kQuery, &tokens);
    ultrasearch::AnalyzedWords words;
    for (auto& t : tokens) {
      if (words.size() <= t.position) words.resize(t.position + 1);
      words[t.position].push_back(t.term);
    }
    expansions.clear();
    analyzer->ExpandQuery(words, &expansions);
    benchmark::DoNotOptimize(expansions.data());
    bytes += text.size();
    expanded += expansions.size();
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["expansions/query"] = static_cast<double>(expanded) / static_cast<double>(state.iterations());
}

BENCHMARK_CAPTURE(BM_AnalyzeQuery, catalog, false);
BENCHMARK_CAPTURE(BM_AnalyzeQuery, catalog_vocabulary, true);
BENCHMARK_CAPTURE(BM_Analyze, catalog, "catalog");
BENCHMARK_CAPTURE(BM_Analyze, uz, "uz");
BENCHMARK_CAPTURE(BM_Analyze, ru, "ru");
BENCHMARK_CAPTURE(BM_Analyze, standard, "standard");
BENCHMARK_CAPTURE(BM_Analyze, whitespace, "whitespace");
BENCHMARK_CAPTURE(BM_Analyze, keyword, "keyword");

}  // namespace

BENCHMARK_MAIN();
