#include "index/document_builder.h"

#include <algorithm>
#include <unordered_set>

#include "index/accessory_targets.h"
#include "index/completion_keys.h"
#include "index/shingles.h"
#include "index/term_scheme.h"
#include "mapping/keyword_normalizer.h"

namespace ultrasearch {

namespace {

// A search_as_you_type shingle sub-field: one term per run of `size` consecutive words, at the
// run's first position. Returns the base position of the next value.
Xapian::termpos AddShingles(const std::vector<Token>& tokens, uint32_t size, const std::string& prefix,
                            Xapian::termpos base, Xapian::Document* xdoc) {
  const auto words = WordsOfTokens(tokens);
  const auto shingles = Shingles(words, size);
  for (size_t i = 0; i < shingles.size(); ++i) {
    for (const auto& shingle : shingles[i]) {
      if (prefix.size() + shingle.size() > terms::kMaxTermBytes) continue;
      xdoc->add_posting(prefix + shingle, base + static_cast<Xapian::termpos>(i));
    }
  }
  return base + static_cast<Xapian::termpos>(words.size()) + terms::kPositionIncrementGap;
}

Status AddField(const FieldMapping& field, const ExtractedField& values, const AnalyzerRegistry& analyzers,
                Xapian::Document* xdoc, std::vector<Token>* tokens) {
  if (values.values.empty()) return Status::OK();
  // Fields with a value slot answer `exists` from the slot; only text needs a marker term.
  if (field.type == FieldType::kText || field.type == FieldType::kCompletion) {
    xdoc->add_boolean_term(terms::ExistsTerm(field.ordinal));
  }
  const Xapian::valueno slot = terms::ValueSlot(field.ordinal);
  switch (field.type) {
    case FieldType::kText: {
      const Analyzer* analyzer = analyzers.Find(field.analyzer);
      if (analyzer == nullptr) return Status::InvalidArgument("analyzer [" + field.analyzer + "] is not available");
      const std::string prefix = terms::TextPrefix(field.ordinal);
      const std::string target_prefix = terms::AccessoryTargetPrefix(field.ordinal);
      Xapian::termpos base = 1;
      std::string term;
      // index_options: positions (the default) for phrases; freqs without them; docs counts each
      // term once in the field whatever its occurrences.
      const bool positions = field.IndexesPositions();
      const bool frequencies = field.IndexesFrequencies();
      std::unordered_set<std::string> counted;
      for (const auto& value : values.values) {
        tokens->clear();
        analyzer->Analyze(value.text, AnalysisMode::kIndex, tokens);
        if (field.shingle_size > 0) {
          base = AddShingles(*tokens, field.shingle_size, prefix, base, xdoc);
          continue;
        }
        // Words naming what an accessory is for keep their positions (phrases, highlighting) but
        // weigh under their own prefix (index/accessory_targets.h).
        const std::vector<bool> targets = MarkAccessoryTargets(value.text, *tokens);
        uint32_t last = 0;
        for (size_t i = 0; i < tokens->size(); ++i) {
          const Token& token = (*tokens)[i];
          if (token.term.empty() || target_prefix.size() + token.term.size() > terms::kMaxTermBytes) continue;
          term.assign(prefix);
          term += token.term;
          const Xapian::termcount wdf = targets[i] ? 0 : 1;
          if (positions) {
            xdoc->add_posting(term, base + token.position, wdf);
          } else if (frequencies) {
            xdoc->add_term(term, wdf);
          } else {
            xdoc->add_term(term, wdf != 0 && counted.insert(term).second ? 1 : 0);
          }
          if (targets[i]) xdoc->add_term(target_prefix + token.term);
          last = std::max(last, token.position);
        }
        base += last + terms::kPositionIncrementGap;
      }
      return Status::OK();
    }
    case FieldType::kCompletion: {
      const Analyzer* analyzer = analyzers.Find(field.analyzer);
      if (analyzer == nullptr) return Status::InvalidArgument("analyzer [" + field.analyzer + "] is not available");
      const std::string prefix = terms::CompletionPrefix(field.ordinal);
      const std::string word_prefix = terms::CompletionWordPrefix(field.ordinal);
      for (size_t input = 0; input < values.values.size(); ++input) {
        const RawValue& value = values.values[input];
        tokens->clear();
        analyzer->Analyze(value.text, AnalysisMode::kIndex, tokens);
        for (const auto& key : CompletionKeys(*tokens)) {
          std::string term = CompletionTerm(prefix, key, value.weight, static_cast<uint32_t>(input));
          if (!term.empty()) xdoc->add_boolean_term(term);
        }
        for (const auto& token : *tokens) {
          if (!token.term.empty() && word_prefix.size() + token.term.size() <= terms::kMaxTermBytes) {
            xdoc->add_boolean_term(word_prefix + token.term);
          }
        }
      }
      return Status::OK();
    }
    case FieldType::kKeyword: {
      const std::string prefix = terms::KeywordPrefix(field.ordinal);
      bool first = true;
      for (const auto& value : values.values) {
        if (field.ignore_above != 0 && value.text.size() > field.ignore_above) continue;
        std::string term = prefix + KeywordTermValue(field, value.text, analyzers);
        if (term.size() <= terms::kMaxTermBytes) xdoc->add_boolean_term(term);
        if (first) xdoc->add_value(slot, value.text);
        first = false;
      }
      return Status::OK();
    }
    default: {
      // Numbers, dates, booleans: the slot holds the smallest value (what an ascending sort and a
      // single-valued range need); booleans are also exact-match terms.
      bool have = false;
      double smallest = 0;
      for (const auto& value : values.values) {
        double number;
        if (!CoerceToNumber(value, field.type, &number)) continue;  // checked at parse time
        if (!have || number < smallest) smallest = number;
        have = true;
        if (field.type == FieldType::kBoolean) {
          xdoc->add_boolean_term(terms::KeywordPrefix(field.ordinal) + (number != 0 ? "true" : "false"));
        }
      }
      if (have) xdoc->add_value(slot, Xapian::sortable_serialise(smallest));
      return Status::OK();
    }
  }
}

}  // namespace

Result<Xapian::Document> BuildXapianDocument(std::string_view id, const ParsedDocument& doc, const Mapping& mapping,
                                             const AnalyzerRegistry& analyzers) {
  Xapian::Document xdoc;
  xdoc.set_data(std::string(id));
  xdoc.add_boolean_term(terms::IdTerm(id));
  std::vector<Token> tokens;
  for (const auto& extracted : doc.fields) {
    const FieldMapping* field = mapping.FindByPath(extracted.path);
    if (field == nullptr) continue;  // dynamic: false, kept in source only
    Status s = AddField(*field, extracted, analyzers, &xdoc, &tokens);
    for (size_t i = 0; s.ok() && i < field->subfields.size(); ++i) {
      s = AddField(field->subfields[i], extracted, analyzers, &xdoc, &tokens);
    }
    if (!s.ok()) return s;
  }
  return xdoc;
}

}  // namespace ultrasearch
