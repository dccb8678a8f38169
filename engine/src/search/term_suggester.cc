#include "search/term_suggester.h"

#include <algorithm>
#include <map>

#include "index/term_scheme.h"
#include "search/reader_retry.h"
#include "search/term_dictionary.h"
#include "ultrasearch/utf8.h"

namespace ultrasearch {

namespace {

// One word of the text: its alternative terms (cross-script forms, stems) and where it stands.
struct Word {
  std::vector<std::string> alternatives;
  uint32_t offset = 0;
  uint32_t length = 0;
};

Result<std::vector<Word>> WordsOf(const SuggestRequest& request, const FieldMapping* field, const AnalyzerRegistry& analyzers) {
  std::vector<Word> words;
  if (field != nullptr && field->type == FieldType::kKeyword) {
    // A keyword's only term is the whole value.
    words.push_back({{request.text}, 0, static_cast<uint32_t>(Utf16Length(request.text))});
    return words;
  }
  std::string name = request.analyzer;
  if (name.empty()) name = field != nullptr ? field->EffectiveSearchAnalyzer() : std::string(kFallbackAnalyzer);
  const Analyzer* analyzer = analyzers.Find(name);
  if (analyzer == nullptr) return Status::InvalidArgument("analyzer [" + name + "] not found");
  std::vector<Token> tokens;
  analyzer->Analyze(request.text, AnalysisMode::kQuery, &tokens);
  std::map<uint32_t, Word> by_position;
  for (auto& t : tokens) {
    auto [it, fresh] = by_position.try_emplace(t.position);
    Word& w = it->second;
    if (fresh) {
      w.offset = t.start_offset;
      w.length = t.end_offset - t.start_offset;
    }
    if (std::find(w.alternatives.begin(), w.alternatives.end(), t.term) == w.alternatives.end()) {
      w.alternatives.push_back(std::move(t.term));
    }
  }
  for (auto& [position, w] : by_position) words.push_back(std::move(w));
  return words;
}

// Lucene's internal Levenshtein similarity, which Elasticsearch reports as the option's score:
// 1 - edits / the length of the shorter of the two words.
double Similarity(int distance, size_t word_length, size_t term_length) {
  const size_t shorter = std::max<size_t>(1, std::min(word_length, term_length));
  return 1.0 - static_cast<double>(distance) / static_cast<double>(shorter);
}

std::vector<SuggestOption> OptionsFor(const Word& word, const SuggestRequest& request, const Xapian::Database& db,
                                      const std::string& field_prefix, const TermDictionary& dict) {
  Xapian::doccount word_freq = 0;
  for (const auto& alt : word.alternatives) word_freq = std::max(word_freq, db.get_termfreq(field_prefix + alt));
  if (request.mode == SuggestRequest::Mode::kMissing && word_freq > 0) return {};
  // Elasticsearch inspects max_inspections (5) times size candidates before ranking them.
  FuzzyOptions fuzzy{std::clamp(request.max_edits, 1, 2), std::max(0, request.prefix_length),
                     static_cast<int>(std::max<uint32_t>(request.size, 1) * 5), true};
  std::map<std::string, SuggestOption> best;  // by term: the closest of the alternatives' matches
  for (const auto& alt : word.alternatives) {
    const size_t alt_length = DecodeUtf8(alt).size();
    if (alt_length < static_cast<size_t>(std::max(0, request.min_word_length))) continue;
    for (auto& match : dict.Search(alt, fuzzy)) {
      if (match.distance == 0) continue;  // the word itself (or another of its forms)
      if (std::find(word.alternatives.begin(), word.alternatives.end(), match.term) != word.alternatives.end()) continue;
      if (match.freq < request.min_doc_freq) continue;
      if (request.mode == SuggestRequest::Mode::kPopular && match.freq <= word_freq) continue;
      const double score = Similarity(match.distance, alt_length, DecodeUtf8(match.term).size());
      auto [it, fresh] = best.try_emplace(match.term);
      if (fresh) {
        it->second.text = match.term;
        it->second.freq = match.freq;
      }
      it->second.score = std::max(it->second.score, score);
    }
  }
  std::vector<SuggestOption> options;
  for (auto& [term, option] : best) options.push_back(std::move(option));
  const bool by_frequency = request.sort == SuggestRequest::Sort::kFrequency;
  std::sort(options.begin(), options.end(), [by_frequency](const SuggestOption& a, const SuggestOption& b) {
    if (by_frequency && a.freq != b.freq) return a.freq > b.freq;
    if (a.score != b.score) return a.score > b.score;
    if (a.freq != b.freq) return a.freq > b.freq;
    return a.text < b.text;
  });
  if (options.size() > request.size) options.resize(request.size);
  return options;
}

}  // namespace

Result<SuggestResult> SuggestTerms(const SuggestRequest& request, const SearchContext& ctx) {
  SuggestResult result;
  result.name = request.name;
  result.type = request.type;
  const FieldMapping* field = ctx.mapping.Find(request.field);
  if (field != nullptr && field->type != FieldType::kText && field->type != FieldType::kKeyword) {
    return Status::InvalidArgument("the term suggester needs a text or keyword field, [" + request.field + "] is of type [" +
                                   std::string(FieldTypeName(field->type)) + "]");
  }
  auto words = WordsOf(request, field, ctx.analyzers);
  if (!words.ok()) return words.status();
  for (auto& w : *words) result.entries.push_back({w.alternatives.front(), w.offset, w.length, {}});
  if (field == nullptr || result.entries.empty()) return result;
  const std::string prefix =
      field->type == FieldType::kText ? terms::TextPrefix(field->ordinal) : terms::KeywordPrefix(field->ordinal);
  auto lease = ctx.readers.Acquire();
  if (!lease.ok()) return lease.status();
  Status s = RunOnReader(*lease, "suggesting terms", [&](Xapian::Database& db) -> Status {
    auto dict = TermDictionaryCache::Global().Get(db, prefix, lease->version());
    for (size_t i = 0; i < words->size(); ++i) result.entries[i].options = OptionsFor((*words)[i], request, db, prefix, *dict);
    return Status::OK();
  });
  if (!s.ok()) return s;
  return result;
}

}  // namespace ultrasearch
