// Elasticsearch's (Solr's) synonym rule syntax, parsed without analysing anything:
//   telefon, smartfon, телефон        equivalent words (each finds the others, with `expand`)
//   холодильник, sovutgich => muzlatgich   explicit: the left side is replaced by the right
// Commas separate words or phrases, `\` escapes a comma, `=` or `\`, `#` starts a comment line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ultrasearch/status.h"

namespace ultrasearch::analyzers {

struct SolrRule {
  std::vector<std::string> left;   // every phrase of an equivalence rule; the left of `=>`
  std::vector<std::string> right;  // empty for an equivalence rule
  bool explicit_mapping = false;
};

// Parses one rule. A comment or blank line gives an empty `left` and no error. InvalidArgument
// (Elasticsearch's wording) for more than one `=>` or an empty side.
Result<SolrRule> ParseSolrRule(std::string_view line);

}  // namespace ultrasearch::analyzers
