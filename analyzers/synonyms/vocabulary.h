// The bilingual product vocabulary (analyzers/data/vocabulary/<domain>.tsv) and the brand table
// (brands.tsv), applied at query time by the synonym machinery: an analyzer that indexes as its
// base (`catalog`) and expands a query's Uzbek words with their Russian counterparts and back,
// and Cyrillic spellings of brands with the brand.
#pragma once

#include <memory>
#include <string_view>

#include "synonyms/expansion_table.h"
#include "ultrasearch/analysis.h"

namespace ultrasearch::analyzers {

// Weights of vocabulary matches: another form in the same language (muzlatgich for sovutgich) and
// the other language's (холодильник for muzlatgich) rank below the words of the query itself. The
// engine applies a weight to what the query's own word weighs (search/word_statistics.h), so a
// translation rarer than the word typed still ranks below it.
inline constexpr double kSameLanguageWeight = 0.6;
inline constexpr double kOtherLanguageWeight = 0.15;
// A brand reached through its phonetic key, not the table, is a guess: slightly below.
inline constexpr double kPhoneticBrandWeight = 0.9;

// Adds the concept lines of one vocabulary file (VOCAB-FORMAT: `uz|forms<TAB>ru|forms`) to `*table`,
// analysed by `analyzer`. Malformed lines (no tab, an empty side) are skipped. Returns concepts added.
size_t AddConcepts(std::string_view tsv, const Analyzer& analyzer, ExpansionTable* table);

// `base` with the embedded vocabulary and brand table. The tables are built on first use.
std::shared_ptr<const Analyzer> MakeVocabularyAnalyzer(std::shared_ptr<const Analyzer> base);

}  // namespace ultrasearch::analyzers
