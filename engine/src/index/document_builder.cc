#include "index/document_builder.h"

#include <algorithm>

#include "index/accessory_targets.h"
#include "index/term_scheme.h"
#include "mapping/keyword_normalizer.h"

namespace ultrasearch {

namespace {

Status AddField(const FieldMapping& field, const ExtractedField& values, const AnalyzerRegistry& analyzers,
                Xapian::Document* xdoc, std::vector<Token>* tokens) {
  if (values.values.empty()) return Status::OK();
  // Fields with a value slot answer `exists` from the slot; only text needs a marker term.
  if (field.type == FieldType::kText) xdoc->add_boolean_term(terms::ExistsTerm(field.ordinal));
  const Xapian::valueno slot = terms::ValueSlot(field.ordinal);
  switch (field.type) {
    case FieldType::kText: {
      const Analyzer* analyzer = analyzers.Find(field.analyzer);
      if (analyzer == nullptr) return Status::InvalidArgument("analyzer [" + field.analyzer + "] is not available");
      const std::string prefix = terms::TextPrefix(field.ordinal);
      const std::string target_prefix = terms::AccessoryTargetPrefix(field.ordinal);
      Xapian::termpos base = 1;
      std::string term;
      for (const auto& value : values.values) {
        tokens->clear();
        analyzer->Analyze(value.text, AnalysisMode::kIndex, tokens);
        // Words naming what an accessory is for keep their positions (phrases, highlighting) but
        // weigh under their own prefix (index/accessory_targets.h).
        const std::vector<bool> targets = MarkAccessoryTargets(value.text, *tokens);
        uint32_t last = 0;
        for (size_t i = 0; i < tokens->size(); ++i) {
          const Token& token = (*tokens)[i];
          if (token.term.empty() || target_prefix.size() + token.term.size() > terms::kMaxTermBytes) continue;
          term.assign(prefix);
          term += token.term;
          xdoc->add_posting(term, base + token.position, targets[i] ? 0 : 1);
          if (targets[i]) xdoc->add_term(target_prefix + token.term);
          last = std::max(last, token.position);
        }
        base += last + terms::kPositionIncrementGap;
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
