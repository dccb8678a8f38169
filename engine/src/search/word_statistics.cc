#include "search/word_statistics.h"

#include <algorithm>
#include <cmath>
#include <string_view>

namespace ultrasearch {

namespace {

// Below this a group's idf is treated as this: its weight is then almost nothing, and dividing
// by it would turn rounding into a large factor.
constexpr double kMinimumIdf = 1e-3;
// The largest factor ScaleTo gives: a word's forms are at most a handful of terms, whose
// independence estimate is never off by more than their count; more is a degenerate collection.
constexpr double kMaximumScale = 50.0;

}  // namespace

double WordStatistics::CollectionSize() {
  if (collection_size_ < 0) collection_size_ = static_cast<double>(db_.get_doccount());
  return collection_size_;
}

// The field prefix of a field term (a capital tag, the field's ordinal, a colon: `T12:`), or an
// empty view for another term.
static std::string_view FieldPrefixOf(std::string_view term) {
  if (term.empty() || term[0] < 'A' || term[0] > 'Z') return {};
  size_t i = 1;
  while (i < term.size() && term[i] >= '0' && term[i] <= '9') ++i;
  if (i == 1 || i >= term.size() || term[i] != ':') return {};
  return term.substr(0, i + 1);
}

double WordStatistics::TermFrequency(const std::string& term) {
  auto [it, inserted] = frequencies_.try_emplace(term, 0.0);
  if (!inserted) return it->second;
  const std::string_view prefix = FieldPrefixOf(term);
  if (prefix.empty()) return it->second = static_cast<double>(db_.get_termfreq(term));
  return it->second = static_cast<double>(field_frequencies_.Of(prefix, std::string_view(term).substr(prefix.size())));
}

double WordStatistics::Idf(double tf) {
  const double n = CollectionSize();
  if (n <= 0) return 0;
  // Xapian 1.4's BM25Weight without relevance information.
  double tw = (n - tf + 0.5) / (tf + 0.5);
  if (tw < 2) tw = tw * 0.5 + 1;
  return std::log(tw);
}

double WordStatistics::WordIdf(const std::vector<std::string>& forms) {
  double most = 0;
  for (const auto& form : forms) most = std::max(most, TermFrequency(form));
  return Idf(std::max(most, 1.0));
}

double WordStatistics::GroupIdfAsXapianWeighs(const std::vector<std::string>& terms) {
  const double n = CollectionSize();
  if (n <= 0) return 0;
  double none = 1;  // the estimated share of documents with none of the terms
  for (const auto& term : terms) none *= 1.0 - std::min(1.0, TermFrequency(term) / n);
  return Idf(n * (1.0 - none));
}

double WordStatistics::ScaleTo(const std::vector<std::string>& terms, double target_idf) {
  const double weighed = std::max(kMinimumIdf, GroupIdfAsXapianWeighs(terms));
  return std::clamp(target_idf / weighed, 0.0, kMaximumScale);
}

}  // namespace ultrasearch
