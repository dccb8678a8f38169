#include "synonyms/solr_rules.h"

namespace ultrasearch::analyzers {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// Splits on unescaped commas and drops the escapes; empty items are left out.
std::vector<std::string> SplitPhrases(std::string_view side) {
  std::vector<std::string> out;
  std::string current;
  auto flush = [&] {
    std::string_view t = Trim(current);
    if (!t.empty()) out.emplace_back(t);
    current.clear();
  };
  for (size_t i = 0; i < side.size(); ++i) {
    char c = side[i];
    if (c == '\\' && i + 1 < side.size()) {
      current.push_back(side[++i]);
    } else if (c == ',') {
      flush();
    } else {
      current.push_back(c);
    }
  }
  flush();
  return out;
}

// Position of the first unescaped "=>" at or after `from`, or npos.
size_t FindArrow(std::string_view line, size_t from) {
  for (size_t i = from; i + 1 < line.size(); ++i) {
    if (line[i] == '\\') {
      ++i;
      continue;
    }
    if (line[i] == '=' && line[i + 1] == '>') return i;
  }
  return std::string_view::npos;
}

}  // namespace

Result<SolrRule> ParseSolrRule(std::string_view line) {
  SolrRule rule;
  std::string_view t = Trim(line);
  if (t.empty() || t.front() == '#') return rule;
  size_t arrow = FindArrow(t, 0);
  if (arrow == std::string_view::npos) {
    rule.left = SplitPhrases(t);
    return rule;
  }
  if (FindArrow(t, arrow + 2) != std::string_view::npos) {
    return Status::InvalidArgument("Invalid synonym rule [" + std::string(t) + "]: more than one explicit mapping specified on the same line");
  }
  rule.explicit_mapping = true;
  rule.left = SplitPhrases(t.substr(0, arrow));
  rule.right = SplitPhrases(t.substr(arrow + 2));
  if (rule.left.empty() || rule.right.empty()) {
    return Status::InvalidArgument("Invalid synonym rule [" + std::string(t) + "]: both sides of an explicit mapping need a word");
  }
  return rule;
}

}  // namespace ultrasearch::analyzers
