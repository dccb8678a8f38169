// The accessory-target weights of one text field as one posting source.
//
// Where a document names a query word as what it is made for (index/accessory_targets.h: the word
// is indexed under the field's F prefix and weighs nothing under T), the query gives that word
// back `share` of its weight, or all of it when the document also has another query word outside
// such a run (the query names the accessory too). The word weighs as the field word: its idf is
// that of the word (WordStatistics), its term frequency the sum over its T and F terms.
//
// Written as Xapian subqueries this took every word's terms once per part: for a four-word query,
// some fifty posting lists per field, each opened (B-tree reads) for every query even when the
// query matched nothing, and walked in step for every match: two thirds of a storefront query's
// time beyond plain Xapian (docs/performance.md, "Text query latency"). The source opens the
// target (F) lists only when the query's other side first asks it about a document, walks only
// them, and reads a word's T lists only for documents that name some query word as a target.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <xapian.h>

#include "search/bm25.h"

namespace ultrasearch {

struct AccessoryWord {
  std::vector<std::string> text_terms;    // the word's forms under the field's T prefix
  std::vector<std::string> target_terms;  // its forms under F that some document has; may be empty
  double idf = 0;                         // the word's idf (WordStatistics::WordIdf of text_terms)
};

struct AccessoryPlan {
  std::vector<AccessoryWord> words;  // the query's words in the field, in order
  double share = 0.5;                // a target word's weight without another query word
  // BM25 as the searcher weighs (search/bm25.h) and the collection's statistics (all shards).
  double k1 = kBm25K1, b = kBm25B, min_normlen = kBm25MinNormLength;
  double average_length = 1;
  double collection_size = 1;
  double target_postings = 0;  // documents with any target term (an estimate: the sum)
};

// A query scoring the plan: add it with OP_AND_MAYBE to the query that matches. Weighs 0 where no
// query word is a target. The query owns the source.
Xapian::Query AccessoryTargetQuery(std::shared_ptr<const AccessoryPlan> plan);

}  // namespace ultrasearch
