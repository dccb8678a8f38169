#include "search/fuzzy.h"

#include <algorithm>

namespace ultrasearch {

int AllowedEdits(const Fuzziness& fuzziness, size_t length) {
  switch (fuzziness.mode) {
    case Fuzziness::Mode::kNone: return 0;
    case Fuzziness::Mode::kFixed: return std::clamp(fuzziness.edits, 0, 2);
    case Fuzziness::Mode::kAuto: return length <= 2 ? 0 : length <= 5 ? 1 : 2;
  }
  return 0;
}

std::u32string DecodeUtf8(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
    for (int k = 1; k < len && i + static_cast<size_t>(k) < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<size_t>(k)]) & 0x3f);
    }
    out.push_back(cp);
    i += static_cast<size_t>(len);
  }
  return out;
}

int BoundedEditDistance(const std::u32string& a, const std::u32string& b, int max_edits) {
  const size_t n = a.size(), m = b.size();
  if ((n > m ? n - m : m - n) > static_cast<size_t>(max_edits)) return max_edits + 1;
  std::vector<int> prev(m + 1), cur(m + 1);
  for (size_t j = 0; j <= m; ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    cur[0] = static_cast<int>(i);
    int row_min = cur[0];
    for (size_t j = 1; j <= m; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > max_edits) return max_edits + 1;
    std::swap(prev, cur);
  }
  return std::min(prev[m], max_edits + 1);
}

std::vector<std::string> ExpandFuzzy(const Xapian::Database& db, const std::string& field_prefix,
                                     std::string_view term, int max_edits, int prefix_length, int max_expansions) {
  std::u32string target = DecodeUtf8(term);
  // The shared prefix narrows the scan: only terms starting with it can match.
  size_t prefix_bytes = 0;
  for (int cps = 0; cps < prefix_length && prefix_bytes < term.size(); ++cps) {
    unsigned char c = static_cast<unsigned char>(term[prefix_bytes]);
    prefix_bytes += c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
  }
  std::string scan_prefix = field_prefix + std::string(term.substr(0, std::min(prefix_bytes, term.size())));
  struct Candidate {
    int distance;
    Xapian::doccount freq;
    std::string term;
  };
  std::vector<Candidate> found;
  for (auto it = db.allterms_begin(scan_prefix); it != db.allterms_end(scan_prefix); ++it) {
    std::string candidate = *it;
    std::u32string body = DecodeUtf8(std::string_view(candidate).substr(field_prefix.size()));
    int d = BoundedEditDistance(target, body, max_edits);
    if (d <= max_edits) found.push_back({d, it.get_termfreq(), std::move(candidate)});
  }
  std::sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) {
    return a.distance != b.distance ? a.distance < b.distance : a.freq > b.freq;
  });
  std::vector<std::string> out;
  for (auto& c : found) {
    if (static_cast<int>(out.size()) >= max_expansions) break;
    out.push_back(std::move(c.term));
  }
  return out;
}

}  // namespace ultrasearch
