#include "highlight/field_matches.h"

#include <algorithm>

#include "ultrasearch/utf8.h"

namespace ultrasearch::highlight {

namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

// The tokens of one position: [begin, end) in the analyser's output.
struct Slot {
  uint32_t position = 0;
  size_t begin = 0;
  size_t end = 0;
  bool marked = false;
  const Token* by = nullptr;  // the token whose term matched (its offsets are marked)
};

// The token of `slot` whose term is `word` (or starts with it, for a prefix), or nullptr.
const Token* FindTerm(const std::vector<Token>& tokens, const Slot& slot, const std::string& word, bool prefix) {
  for (size_t i = slot.begin; i < slot.end; ++i) {
    if (prefix ? StartsWith(tokens[i].term, word) : tokens[i].term == word) return &tokens[i];
  }
  return nullptr;
}

// Marks the slots of every occurrence of `phrase`: its words in order, each at a later position
// than the one before, all within `window` positions of the first (as Xapian's OP_PHRASE).
void MarkPhrase(const std::vector<Token>& tokens, const PhraseTerms& phrase, std::vector<Slot>* slots) {
  const size_t n = phrase.words.size();
  if (n == 0) return;
  std::vector<std::pair<size_t, const Token*>> found;
  for (size_t first = 0; first < slots->size(); ++first) {
    const Slot& head = (*slots)[first];
    const Token* token = FindTerm(tokens, head, phrase.words[0], phrase.last_is_prefix && n == 1);
    if (token == nullptr) continue;
    found.assign(1, {first, token});
    for (size_t next = first + 1; next < slots->size() && found.size() < n; ++next) {
      const Slot& slot = (*slots)[next];
      if (slot.position - head.position >= phrase.window) break;
      const size_t w = found.size();
      const bool prefix = phrase.last_is_prefix && w + 1 == n;
      if (const Token* t = FindTerm(tokens, slot, phrase.words[w], prefix)) found.emplace_back(next, t);
    }
    if (found.size() < n) continue;
    for (const auto& [index, t] : found) {
      Slot& slot = (*slots)[index];
      if (!slot.marked) slot.by = t;
      slot.marked = true;
    }
  }
}

}  // namespace

void FindTextMatches(std::string_view value, const Analyzer& analyzer, const FieldTerms& terms,
                     std::vector<Token>* tokens, std::vector<TermMatch>* out) {
  tokens->clear();
  analyzer.Analyze(value, AnalysisMode::kIndex, tokens);
  if (tokens->empty()) return;
  std::vector<Slot> slots;
  for (size_t i = 0; i < tokens->size(); ++i) {
    const uint32_t position = (*tokens)[i].position;
    if (slots.empty() || slots.back().position != position) slots.push_back(Slot{position, i, i, false, nullptr});
    slots.back().end = i + 1;
  }
  for (Slot& slot : slots) {
    for (size_t i = slot.begin; i < slot.end && !slot.marked; ++i) {
      const std::string& term = (*tokens)[i].term;
      bool hit = terms.exact.count(term) > 0;
      for (size_t p = 0; !hit && p < terms.prefixes.size(); ++p) hit = StartsWith(term, terms.prefixes[p]);
      if (hit) {
        slot.marked = true;
        slot.by = &(*tokens)[i];
      }
    }
  }
  for (const PhraseTerms& phrase : terms.phrases) MarkPhrase(*tokens, phrase, &slots);
  const size_t first_new = out->size();
  for (const Slot& slot : slots) {
    if (!slot.marked || slot.by->end_offset <= slot.by->start_offset) continue;
    out->push_back(TermMatch{slot.by->start_offset, slot.by->end_offset, slot.by->term});
  }
  // Analyzers emit positions in text order, but a token of a later position may start earlier
  // (decompounding, for one); the passage builder needs start order.
  std::stable_sort(out->begin() + static_cast<std::ptrdiff_t>(first_new), out->end(),
                   [](const TermMatch& a, const TermMatch& b) { return a.start < b.start; });
}

void FindKeywordMatches(std::string_view value, const std::string& indexed, const FieldTerms& terms,
                        std::vector<TermMatch>* out) {
  if (terms.exact.count(indexed) == 0) return;
  const auto length = static_cast<uint32_t>(Utf16Length(value));
  if (length > 0) out->push_back(TermMatch{0, length, indexed});
}

}  // namespace ultrasearch::highlight
