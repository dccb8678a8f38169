#include "synonyms/brand_key.h"

#include <algorithm>
#include <utility>

namespace ultrasearch::analyzers {
namespace {

bool IsVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

std::string ReplaceAll(std::string s, std::string_view from, std::string_view to) {
  size_t pos = 0;
  while ((pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
  return s;
}

std::string Finish(std::string s) {
  std::string out;
  for (char c : s) {
    if (out.empty() || out.back() != c) out.push_back(c);
  }
  // English spellings end in a silent e (iphone, nike is the exception the table lists).
  if (out.size() > 3 && out.back() == 'e' && !IsVowel(out[out.size() - 2])) out.pop_back();
  return out;
}

bool AllLetters(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// Optimal string alignment distance, stopping early above 1.
bool WithinOneEdit(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (i == a.size()) return true;  // equal, or b has one more letter at the end
  if (a.size() == b.size()) {
    if (a.substr(i + 1) == b.substr(i + 1)) return true;  // substitution
    return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] && a.substr(i + 2) == b.substr(i + 2);
  }
  return a.substr(i) == b.substr(i + 1);  // insertion
}

}  // namespace

std::string BrandKeyFromLatin(std::string_view name) {
  if (!AllLetters(name)) return {};
  std::string s(name);
  for (auto [from, to] : {std::pair<std::string_view, std::string_view>{"sch", "sh"}, {"ph", "f"}, {"ck", "k"},
                          {"kh", "h"}, {"ee", "i"}, {"oo", "u"}}) {
    s = ReplaceAll(std::move(s), from, to);
  }
  std::string out;
  for (char c : s) {
    switch (c) {
      case 'c': case 'q': out.push_back('k'); break;
      case 'x': out += "ks"; break;
      case 'w': out.push_back('v'); break;
      case 'y': out.push_back('i'); break;
      case 'j': out += "dzh"; break;
      default: out.push_back(c);
    }
  }
  return Finish(std::move(out));
}

std::string BrandKeyFromRussianKey(std::string_view key) {
  if (!AllLetters(key)) return {};
  std::string s(key);
  for (auto [from, to] : {std::pair<std::string_view, std::string_view>{"ya", "ia"}, {"yu", "iu"}, {"yo", "io"}}) {
    s = ReplaceAll(std::move(s), from, to);
  }
  std::string out;
  for (char c : s) {
    switch (c) {
      case 'y': out.push_back('i'); break;
      case 'c': out += "ts"; break;
      default: out.push_back(c);
    }
  }
  return Finish(std::move(out));
}

bool BrandKeysMeet(std::string_view query, std::string_view brand) {
  if (query.empty() || brand.empty()) return false;
  if (query == brand) return true;
  // Stemming cuts an ending off the query (ксиоми → ksiom): compare with the brand's starts that
  // are at most 2 letters shorter than the brand.
  if (query.size() >= 4 && brand.size() > query.size() && brand.size() - query.size() <= 2 &&
      brand.substr(0, query.size()) == query) {
    return true;
  }
  if (query.size() < 5 || brand.size() < 5) return false;
  for (size_t len = query.size() - 1; len <= query.size() + 1 && len <= brand.size(); ++len) {
    if (brand.size() - len <= 2 && WithinOneEdit(query, brand.substr(0, len))) return true;
  }
  return false;
}

}  // namespace ultrasearch::analyzers
