#include "index/accessory_targets.h"

#include <algorithm>
#include <cstdint>

#include "ultrasearch/utf8.h"

namespace ultrasearch {

namespace {

enum class Marker { kNone, kTargetsBefore, kTargetsAfter };

// Markers as analysers emit them: `uchun` is also what `учун` becomes in Latin; `для` and its
// transliteration share one position, so either alternative marks it.
Marker MarkerOf(const std::string& term) {
  if (term == "uchun" || term == "учун") return Marker::kTargetsBefore;
  if (term == "для" || term == "dlya") return Marker::kTargetsAfter;
  return Marker::kNone;
}

bool IsRunBreak(char32_t c) {
  switch (c) {
    case U',': case U';': case U':': case U'(': case U')': case U'[': case U']': case U'.': case U'!':
    case U'?': case U'|': case U'/': case U'\u2013': case U'\u2014':
      return true;
    default:
      return false;
  }
}

// Offsets (UTF-16 code units, as tokens count them) of the characters that end a run.
std::vector<uint32_t> BreakOffsets(std::string_view text) {
  std::vector<uint32_t> out;
  uint32_t offset = 0;
  for (size_t i = 0; i < text.size();) {
    char32_t c = NextCodePoint(text, &i);
    if (IsRunBreak(c)) out.push_back(offset);
    offset += c > 0xFFFF ? 2 : 1;
  }
  return out;
}

struct Word {
  uint32_t position;
  uint32_t start;
  uint32_t end;
  Marker marker;
};

}  // namespace

std::vector<bool> MarkAccessoryTargets(std::string_view text, const std::vector<Token>& tokens) {
  std::vector<bool> marked(tokens.size(), false);
  std::vector<Word> words;
  bool any_marker = false;
  for (const auto& t : tokens) {
    Marker m = MarkerOf(t.term);
    any_marker = any_marker || m != Marker::kNone;
    if (words.empty() || words.back().position != t.position) {
      words.push_back({t.position, t.start_offset, t.end_offset, m});
      continue;
    }
    Word& w = words.back();
    w.start = std::min(w.start, t.start_offset);
    w.end = std::max(w.end, t.end_offset);
    if (m != Marker::kNone) w.marker = m;
  }
  if (!any_marker) return marked;
  const std::vector<uint32_t> breaks = BreakOffsets(text);
  // Whether punctuation stands between words[i - 1] and words[i].
  auto break_before = [&](size_t i) {
    auto it = std::lower_bound(breaks.begin(), breaks.end(), words[i - 1].end);
    return it != breaks.end() && *it < words[i].start;
  };
  std::vector<bool> target(words.size(), false);
  for (size_t i = 0; i < words.size(); ++i) {
    if (words[i].marker == Marker::kTargetsAfter) {
      for (size_t j = i + 1, n = 0; j < words.size() && n < kMaxAccessoryTargetWords; ++j, ++n) {
        if (words[j].marker != Marker::kNone || break_before(j)) break;
        target[j] = true;
      }
    } else if (words[i].marker == Marker::kTargetsBefore) {
      for (size_t j = i, n = 0; j > 0 && n < kMaxAccessoryTargetWords; --j, ++n) {
        if (words[j - 1].marker != Marker::kNone || break_before(j)) break;
        target[j - 1] = true;
      }
    }
  }
  for (size_t t = 0, w = 0; t < tokens.size(); ++t) {
    while (words[w].position != tokens[t].position) ++w;
    marked[t] = target[w];
  }
  return marked;
}

}  // namespace ultrasearch
