#include "highlight/highlighter.h"

#include <map>
#include <memory>
#include <string>

#include "highlight/field_matches.h"
#include "mapping/keyword_normalizer.h"
#include "highlight/passages.h"
#include "mapping/document_parser.h"
#include "search/highlight_terms.h"
#include "search/reader_retry.h"
#include "ultrasearch/wildcard.h"

namespace ultrasearch {

namespace {

bool Highlightable(const FieldMapping& field) {
  return field.type == FieldType::kText || field.type == FieldType::kKeyword;
}

// A requested field resolved against the mapping, with the terms it marks.
struct FieldPlan {
  const FieldMapping* field = nullptr;
  const Analyzer* analyzer = nullptr;  // text fields: the index analyzer
  const HighlightField* options = nullptr;
  FieldTerms terms;
};

// The mapping's fields each request entry names (patterns expanded in mapping order), each once.
std::vector<std::pair<const FieldMapping*, const HighlightField*>> ResolveFields(const HighlightRequest& request,
                                                                                 const Mapping& mapping) {
  std::vector<std::pair<const FieldMapping*, const HighlightField*>> out;
  auto add = [&out](const FieldMapping* f, const HighlightField* options) {
    for (const auto& [seen, o] : out) {
      if (seen == f) return;
    }
    out.emplace_back(f, options);
  };
  for (const HighlightField& hf : request.fields) {
    if (hf.field.find('*') == std::string::npos) {
      const FieldMapping* f = mapping.Find(hf.field);
      if (f != nullptr && Highlightable(*f)) add(f, &hf);
      continue;
    }
    for (const FieldMapping* f : mapping.AllFields()) {
      if (Highlightable(*f) && WildcardMatch(hf.field, f->name)) add(f, &hf);
    }
  }
  return out;
}

void Merge(const FieldTerms& from, FieldTerms* into) {
  into->exact.insert(from.exact.begin(), from.exact.end());
  into->prefixes.insert(into->prefixes.end(), from.prefixes.begin(), from.prefixes.end());
  into->phrases.insert(into->phrases.end(), from.phrases.begin(), from.phrases.end());
}

// The terms of `query` for `field`: its own, or those of every field without require_field_match.
void TermsFor(const HighlightTerms& all, const FieldMapping& field, bool require_field_match, FieldTerms* out) {
  if (require_field_match) {
    auto it = all.by_ordinal.find(field.ordinal);
    if (it != all.by_ordinal.end()) *out = it->second;
    return;
  }
  for (const auto& [ordinal, terms] : all.by_ordinal) Merge(terms, out);
}

// Compiles the search query and each distinct highlight_query once, recording their terms, and
// gives every resolved field its terms.
Status PlanFields(const SearchRequest& request, const HighlightContext& ctx, std::vector<FieldPlan>* plans) {
  auto lease = ctx.readers.Acquire();
  if (!lease.ok()) return lease.status();
  std::map<const Query*, HighlightTerms> compiled;  // by the query they came from
  for (const FieldPlan& plan : *plans) {
    compiled.emplace(plan.options->highlight_query ? &*plan.options->highlight_query : &request.query,
                     HighlightTerms{});
  }
  for (auto it = compiled.begin(); it != compiled.end(); ++it) {
    const Query& query = *it->first;
    HighlightTerms& terms = it->second;
    Status s = RunOnReader(*lease, "planning highlights", [&](Xapian::Database& db) -> Status {
      terms = HighlightTerms{};  // a retry on a reopened reader starts over
      CompileContext cc{ctx.mapping, ctx.analyzers, db, lease->version()};
      cc.highlight_terms = &terms;
      auto planned = CompileQuery(query, cc);
      return planned.ok() ? Status::OK() : planned.status();
    });
    if (!s.ok()) return s;
  }
  for (FieldPlan& plan : *plans) {
    const Query* query = plan.options->highlight_query ? &*plan.options->highlight_query : &request.query;
    TermsFor(compiled[query], *plan.field, plan.options->require_field_match, &plan.terms);
  }
  return Status::OK();
}

}  // namespace

Status HighlightHits(const SearchRequest& request, const HighlightContext& ctx, std::vector<Hit>* hits) {
  if (!request.highlight || hits->empty()) return Status::OK();
  std::vector<FieldPlan> plans;
  for (const auto& [field, options] : ResolveFields(*request.highlight, ctx.mapping)) {
    FieldPlan plan;
    plan.field = field;
    plan.options = options;
    if (field->type == FieldType::kText) {
      plan.analyzer = ctx.analyzers.Find(field->analyzer);
      if (plan.analyzer == nullptr) return Status::InvalidArgument("analyzer [" + field->analyzer + "] not found");
    }
    plans.push_back(std::move(plan));
  }
  if (plans.empty()) return Status::OK();
  if (Status s = PlanFields(request, ctx, &plans); !s.ok()) return s;
  // Fields with nothing to mark and no no_match_size never show: skip reading their values.
  std::erase_if(plans, [](const FieldPlan& p) { return p.terms.empty() && p.options->no_match_size == 0; });
  if (plans.empty()) return Status::OK();

  std::vector<std::string_view> paths;
  for (const FieldPlan& plan : plans) paths.push_back(plan.field->path);
  std::vector<std::vector<RawValue>> extracted;
  std::vector<Token> tokens;
  std::vector<highlight::ValueMatches> values;
  for (Hit& hit : *hits) {
    if (hit.source_json.empty()) continue;
    // The values as the indexer read them (same text and order, so positions agree).
    Status read = ExtractPaths(hit.source_json, paths, &extracted);
    if (!read.ok()) continue;  // stored documents are valid JSON objects; nothing to mark otherwise
    for (size_t f = 0; f < plans.size(); ++f) {
      const FieldPlan& plan = plans[f];
      if (extracted[f].empty()) continue;
      values.clear();
      for (const RawValue& raw : extracted[f]) {
        highlight::ValueMatches v;
        v.text = raw.text;
        if (plan.field->type == FieldType::kText) {
          highlight::FindTextMatches(raw.text, *plan.analyzer, plan.terms, &tokens, &v.matches);
        } else if (plan.field->ignore_above == 0 || raw.text.size() <= plan.field->ignore_above) {
          highlight::FindKeywordMatches(raw.text, KeywordTermValue(*plan.field, raw.text, ctx.analyzers), plan.terms,
                                        &v.matches);
        }
        values.push_back(std::move(v));
      }
      auto fragments = highlight::BuildFragments(values, *plan.options);
      if (!fragments.empty()) hit.highlight.push_back(HighlightedField{plan.field->name, std::move(fragments)});
    }
  }
  return Status::OK();
}

}  // namespace ultrasearch
