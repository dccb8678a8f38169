#include "common/word_analyzer.h"

#include <algorithm>
#include <atomic>

#include <boost/unordered/unordered_flat_map.hpp>

#include "common/text.h"
#include "ultrasearch/utf8.h"

namespace ultrasearch::analyzers {

namespace {
std::atomic<uint64_t> next_analyzer_id{1};
constexpr size_t kMemoLimit = 1 << 17;
}  // namespace

WordAnalyzer::WordAnalyzer(bool fold_apostrophes)
    : fold_apostrophes_(fold_apostrophes), id_(next_analyzer_id.fetch_add(1)) {}

const std::vector<std::string>& WordAnalyzer::WordTerms(const std::string& word,
                                                        AnalysisMode mode) const {
  // Catalog text repeats a small vocabulary, so per-word results (transliteration, stemming,
  // Russian keys) are memoised per thread; the memo is bounded and simply cleared when full.
  // An open-addressing table: a lookup touches one group and its slot instead of a bucket, a
  // node and a modulo per step of a chain (the lookups' cache misses were most of what
  // highlighting spent analysing). Values move on rehash: callers use the reference returned
  // before the next call.
  thread_local boost::unordered_flat_map<std::string, std::vector<std::string>> memo;
  thread_local std::string key;
  key.assign(reinterpret_cast<const char*>(&id_), sizeof(id_));
  key.push_back(mode == AnalysisMode::kQuery ? 'q' : 'i');
  key.append(word);
  auto it = memo.find(key);
  if (it != memo.end()) return it->second;
  if (memo.size() >= kMemoLimit) memo.clear();
  std::vector<std::string> terms;
  AnalyzeWord(word, mode, &terms);
  std::vector<std::string> unique;
  for (std::string& term : terms) {
    term.resize(TruncateToCodePoint(term, kMaxTermBytes));
    if (term.empty() || std::find(unique.begin(), unique.end(), term) != unique.end()) continue;
    unique.push_back(std::move(term));
  }
  return memo.emplace(key, std::move(unique)).first->second;
}

void WordAnalyzer::Analyze(std::string_view text, AnalysisMode mode,
                           std::vector<Token>* out) const {
  icu::UnicodeString utf16 = FromUtf8(text);
  if (fold_apostrophes_) FoldApostrophes(&utf16);
  thread_local std::vector<Segment> segments;
  segments.clear();
  SegmentWords(utf16, &segments);
  uint32_t position = 0;
  for (const Segment& seg : segments) {
    std::string word = CaseFoldUtf8(utf16, seg.start, seg.end);
    bool emitted = false;
    const char* type = TokenTypeForStatus(seg.rule_status);
    for (const std::string& term : WordTerms(word, mode)) {
      Token token;
      token.term = term;
      token.start_offset = static_cast<uint32_t>(seg.start);
      token.end_offset = static_cast<uint32_t>(seg.end);
      token.position = position;
      token.type = emitted ? "SYNONYM" : type;
      out->push_back(std::move(token));
      emitted = true;
    }
    if (emitted) ++position;
  }
}

}  // namespace ultrasearch::analyzers
