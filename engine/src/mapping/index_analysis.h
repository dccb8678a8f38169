// An index's own analyzers, from its settings (Elasticsearch's `analysis` section):
//   analysis.filter.NAME:   {"type": "synonym" | "synonym_graph", "synonyms": [...] | "synonyms_set": "ID",
//                            "expand": true, "lenient": false, "updateable": ...}
//   analysis.analyzer.NAME: {"type": "custom", "tokenizer": T, "filter": [...]}
// and UltraSearch's `index.ultrasearch.bilingual_vocabulary` (true: the built-in analyzers with a
// vocabulary variant, `catalog`, expand queries by the bilingual vocabulary and brand table).
//
// A custom analyzer is built over one of the engine's analyzers: the tokenizer names it
// (`standard`, `whitespace`, `keyword`, or `catalog`, `uz`, `ru`, which fold case, script and
// inflection themselves). Filters whose work those analyzers already do (lowercase, asciifolding,
// ICU folding and normalisation, apostrophe, trim) are accepted and change nothing; synonym
// filters apply at query time only (indexing uses the base analyzer), so rules change without a
// reindex wherever the analyzer is used.
#pragma once

#include <memory>
#include <string_view>

#include "synonyms/synonym_sets.h"
#include "ultrasearch/analysis.h"
#include "ultrasearch/status.h"

namespace ultrasearch {

inline constexpr std::string_view kBilingualVocabularySetting = "index.ultrasearch.bilingual_vocabulary";

// The registry an index with `settings_json` uses: `engine`'s analyzers plus its custom ones, with
// the vocabulary variants when the setting is on; `engine` itself when the settings add nothing.
// InvalidArgument (Elasticsearch's wording where it has one) for an unknown filter or tokenizer,
// a synonym rule that does not parse (unless lenient), or a malformed section.
Result<std::shared_ptr<const AnalyzerRegistry>> BuildIndexAnalyzers(std::shared_ptr<const AnalyzerRegistry> engine,
                                                                   std::string_view settings_json,
                                                                   std::shared_ptr<SynonymSets> synonym_sets);

}  // namespace ultrasearch
