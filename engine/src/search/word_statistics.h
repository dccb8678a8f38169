// How much one query word weighs when it is a group of terms.
//
// The analyzers index a word under several terms at one position: its stem, its other-script
// reading, its Russian key (`чехол`, `chexol`, `chehol`). A query word is then a Xapian synonym
// group of those terms, and Xapian weighs the group by an estimated document frequency that
// assumes the terms independent: 1 − Π(1 − tfᵢ/N) of the collection. A word's forms are not
// independent (every document with one has the others), so the estimate counts the same
// documents up to three times, and the word's idf comes out far below that of a rarer word
// written one way: on a 14-product catalog `чехол` weighed 0.59 where it should weigh 1.61, and
// one-term translations outranked the products that name it.
//
// WordStatistics gives the idf the word has (that of its most frequent form: the documents with
// any form are about those with that one) and the factor that turns Xapian's weight of a group
// into a weight with that idf, through OP_SCALE_WEIGHT: BM25's weight is idf × a term-frequency
// part, so the factor replaces one idf by the other and leaves the rest as Xapian computes it.
// The same factor lets an expansion (a synonym, a vocabulary translation) weigh a fixed share
// of the word it stands for, whatever its own frequency, as Lucene's SynonymQuery blends them.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "search/term_dictionary.h"

#include <xapian.h>

#include <string>
#include <unordered_map>
#include <vector>

namespace ultrasearch {

class WordStatistics {
 public:
  // `reader_version`: as TermDictionaryCache::Get takes it.
  explicit WordStatistics(const Xapian::Database& db, uint64_t reader_version = 0)
      : db_(db), field_frequencies_(db, reader_version) {}

  // Xapian's BM25 idf of a term in `tf` documents (with its floor for terms in over a third of
  // the collection, so it never goes negative).
  double Idf(double tf);

  // The idf of one word written as any of `forms` (full terms, with the field prefix): that of
  // its most frequent form; for a word no document has, that of a word in one document.
  double WordIdf(const std::vector<std::string>& forms);

  // The idf Xapian gives a synonym group of `terms` (its independence estimate of the union).
  double GroupIdfAsXapianWeighs(const std::vector<std::string>& terms);

  // The factor that makes a synonym group of `terms` weigh `target_idf` instead of
  // GroupIdfAsXapianWeighs(terms). 1 for one term whose idf is the target; bounded, so a group
  // in nearly every document (idf near 0) cannot blow up.
  double ScaleTo(const std::vector<std::string>& terms, double target_idf);

  // Documents with the term. A field term (`T2:…`, `F3:…`) is read from its field's cached
  // TermDictionary when it is current (TermDictionaryCache::GetWithoutUpdate): Xapian's
  // get_termfreq walks the B-tree of every shard, and those block reads were a quarter of a text
  // query's. Remembered for the query.
  double TermFrequency(const std::string& term);

 private:
  double CollectionSize();

  const Xapian::Database& db_;
  FieldTermFrequencies field_frequencies_;
  double collection_size_ = -1;
  std::unordered_map<std::string, double> frequencies_;
};

}  // namespace ultrasearch
