#include "search/fuzzy.h"

#include <algorithm>

#include "ultrasearch/utf8.h"

namespace ultrasearch {

int AllowedEdits(const Fuzziness& fuzziness, size_t length) {
  switch (fuzziness.mode) {
    case Fuzziness::Mode::kNone: return 0;
    case Fuzziness::Mode::kFixed: return std::clamp(fuzziness.edits, 0, 2);
    case Fuzziness::Mode::kAuto: return length <= 2 ? 0 : length <= 5 ? 1 : 2;
  }
  return 0;
}

int BoundedEditDistance(std::u32string_view a, std::u32string_view b, int max_edits, bool transpositions) {
  const size_t n = a.size(), m = b.size();
  if ((n > m ? n - m : m - n) > static_cast<size_t>(max_edits)) return max_edits + 1;
  std::vector<int> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (size_t j = 0; j <= m; ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    cur[0] = static_cast<int>(i);
    int row_min = cur[0];
    for (size_t j = 1; j <= m; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (transpositions && i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
      row_min = std::min(row_min, cur[j]);
    }
    // With transpositions a cell may also come from two rows up, but always at +1, so a row whose
    // minimum exceeds max_edits still ends the search.
    if (row_min > max_edits) return max_edits + 1;
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return std::min(prev[m], max_edits + 1);
}

std::vector<std::string> ExpandFuzzy(const Xapian::Database& db, const std::string& field_prefix,
                                     std::string_view term, const FuzzyOptions& options,
                                     uint64_t reader_version) {
  auto dict = TermDictionaryCache::Global().Get(db, field_prefix, reader_version);
  std::vector<std::string> out;
  for (auto& match : dict->Search(term, options)) out.push_back(field_prefix + match.term);
  return out;
}

std::vector<FuzzyMatch> ExpandFuzzyByScan(const Xapian::Database& db, const std::string& field_prefix,
                                          std::string_view term, const FuzzyOptions& options) {
  const int max_edits = std::clamp(options.max_edits, 0, 2);
  std::u32string target = DecodeUtf8(term);
  // The shared prefix narrows the scan: only terms starting with it can match.
  size_t prefix_bytes = 0;
  for (int cps = 0; cps < options.prefix_length && prefix_bytes < term.size(); ++cps) NextCodePoint(term, &prefix_bytes);
  std::string scan_prefix = field_prefix + std::string(term.substr(0, prefix_bytes));
  std::vector<FuzzyMatch> found;
  for (auto it = db.allterms_begin(scan_prefix); it != db.allterms_end(scan_prefix); ++it) {
    const std::string& candidate = *it;
    std::string_view body = std::string_view(candidate).substr(field_prefix.size());
    int d = BoundedEditDistance(target, DecodeUtf8(body), max_edits, options.transpositions);
    if (d <= max_edits) found.push_back({std::string(body), d, it.get_termfreq()});
  }
  std::sort(found.begin(), found.end(), FuzzyMatchBefore);
  if (found.size() > static_cast<size_t>(std::max(0, options.max_expansions))) {
    found.resize(static_cast<size_t>(std::max(0, options.max_expansions)));
  }
  return found;
}

}  // namespace ultrasearch
