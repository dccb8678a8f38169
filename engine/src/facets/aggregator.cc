#include "facets/aggregator.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <regex>
#include <unordered_map>
#include <unordered_set>

#include "facets/agg_util.h"

namespace ultrasearch::facets {

std::vector<uint32_t> IntersectDocids(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  std::vector<uint32_t> out;
  out.reserve(std::min(a.size(), b.size()));
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

Result<std::vector<AggregationResult>> Aggregator::Run(const std::vector<Aggregation>& aggs,
                                                       const std::vector<uint32_t>& docs, bool top_level) {
  std::vector<AggregationResult> results;
  results.reserve(aggs.size());
  for (const Aggregation& agg : aggs) {
    auto r = RunOne(agg, docs, top_level);
    if (!r.ok()) return r.status();
    results.push_back(std::move(r.value()));
  }
  return results;
}

Result<AggregationResult> Aggregator::RunOne(const Aggregation& agg, const std::vector<uint32_t>& docs,
                                             bool top_level) {
  AggregationResult out;
  out.name = agg.name;
  out.type = agg.type;
  Status s;
  switch (agg.type) {
    case Aggregation::Type::kTerms: s = Terms(agg, docs, &out); break;
    case Aggregation::Type::kRange:
    case Aggregation::Type::kDateRange: s = Ranges(agg, docs, &out); break;
    case Aggregation::Type::kHistogram:
    case Aggregation::Type::kDateHistogram: s = Histogram(agg, docs, &out); break;
    case Aggregation::Type::kFilters: s = Filters(agg, docs, &out); break;
    case Aggregation::Type::kFilter: {
      if (!agg.filter) return Status::InvalidArgument("[filter] aggregation [" + agg.name + "] needs a query");
      auto matched = query_docids_(&*agg.filter);
      if (!matched.ok()) return matched.status();
      std::vector<uint32_t> in = IntersectDocids(docs, matched.value());
      out.doc_count = in.size();
      auto subs = Run(agg.subs, in, false);
      if (!subs.ok()) return subs.status();
      out.subs = std::move(subs.value());
      break;
    }
    case Aggregation::Type::kGlobal: {
      if (!top_level) {
        return Status::InvalidArgument("Aggregation [" + agg.name +
                                       "] of type [global] can only be used as a top level aggregation");
      }
      auto all = query_docids_(nullptr);
      if (!all.ok()) return all.status();
      out.doc_count = all->size();
      auto subs = Run(agg.subs, all.value(), false);
      if (!subs.ok()) return subs.status();
      out.subs = std::move(subs.value());
      break;
    }
    default: s = Metric(agg, docs, &out); break;
  }
  if (!s.ok()) return s;
  return out;
}

Result<Aggregator::FieldRef> Aggregator::ResolveField(const Aggregation& agg) const {
  FieldRef ref;
  if (agg.field.empty()) return Status::InvalidArgument("Required [field] for aggregation [" + agg.name + "]");
  ref.mapping = mapping_.Find(agg.field);
  if (ref.mapping == nullptr) return ref;  // unmapped: no values, as Elasticsearch answers
  if (ref.mapping->type == FieldType::kText) {
    return Status::InvalidArgument(
        "Text fields are not optimised for operations that require per-document field data like aggregations and "
        "sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, "
        "set fielddata=true on [" + agg.field + "] in order to load field data by uninverting the inverted index. "
        "Note that this can use significant memory.");
  }
  ref.column = columns_.Find(ref.mapping->ordinal);
  return ref;
}

Status Aggregator::AddBuckets(uint64_t n) {
  buckets_ += n;
  if (buckets_ <= max_buckets_) return Status::OK();
  return Status::InvalidArgument(std::string(kTooManyBucketsReason) + std::to_string(max_buckets_) + "] but was [" +
                                 std::to_string(buckets_) +
                                 "]. This limit can be set by changing the [search.max_buckets] cluster level "
                                 "setting.");
}

Status Aggregator::RunSubs(const Aggregation& agg, std::vector<std::vector<uint32_t>>* bucket_docs,
                           AggregationResult* out) {
  if (agg.subs.empty()) return Status::OK();
  for (size_t i = 0; i < out->buckets.size(); ++i) {
    auto subs = Run(agg.subs, (*bucket_docs)[i], false);
    if (!subs.ok()) return subs.status();
    out->buckets[i].subs = std::move(subs.value());
    (*bucket_docs)[i].clear();
    (*bucket_docs)[i].shrink_to_fit();
  }
  return Status::OK();
}

// --- terms -------------------------------------------------------------------------------------

namespace {

struct TermCandidate {
  uint64_t id;  // keyword ordinal or number bits; kMissingId for a missing-only bucket
  uint64_t count;
  std::string text;  // keyword
  double number = 0;
};
constexpr uint64_t kMissingId = UINT64_MAX;

bool Selected(const Aggregation& agg, std::string_view value, const std::regex* include, const std::regex* exclude) {
  std::string v(value);
  if (!agg.include.empty() && std::find(agg.include.begin(), agg.include.end(), v) == agg.include.end()) return false;
  if (std::find(agg.exclude.begin(), agg.exclude.end(), v) != agg.exclude.end()) return false;
  if (include != nullptr && !std::regex_match(v, *include)) return false;
  if (exclude != nullptr && std::regex_match(v, *exclude)) return false;
  return true;
}

}  // namespace

Status Aggregator::Terms(const Aggregation& agg, const std::vector<uint32_t>& docs, AggregationResult* out) {
  auto ref = ResolveField(agg);
  if (!ref.ok()) return ref.status();
  const FieldMapping* field = ref->mapping;
  const Column* column = ref->column;
  const bool keyword = field == nullptr || field->type == FieldType::kKeyword;
  const uint64_t min_doc_count = agg.min_doc_count.value_or(1);
  std::optional<std::regex> include, exclude;
  try {
    if (!agg.include_regex.empty()) include.emplace(agg.include_regex, std::regex::ECMAScript | std::regex::optimize);
    if (!agg.exclude_regex.empty()) exclude.emplace(agg.exclude_regex, std::regex::ECMAScript | std::regex::optimize);
  } catch (const std::regex_error& e) {
    return Status::InvalidArgument("invalid include/exclude pattern in aggregation [" + agg.name + "]: " + e.what());
  }
  out->keys_are_integers = field != nullptr && (IsIntegral(field->type) || field->type == FieldType::kDate ||
                                                field->type == FieldType::kBoolean);

  std::vector<TermCandidate> candidates;
  uint64_t missing_docs = 0;
  if (keyword) {
    std::vector<uint32_t> counts(column != nullptr ? column->dict_size : 0);
    uint64_t with_value = 0;
    if (column != nullptr) {
      uint32_t last = 0;  // docids start at 1
      column->ForEachOf(docs, [&](uint32_t d, uint64_t ord) {
        ++counts[ord];
        with_value += d != last;
        last = d;
      });
    }
    missing_docs = docs.size() - with_value;
    bool missing_merged = false;
    for (uint32_t ord = 0; ord < counts.size(); ++ord) {
      uint64_t count = counts[ord];
      std::string_view term = column->Term(ord);
      bool is_missing_value = agg.missing && term == *agg.missing;
      if (is_missing_value) count += missing_docs, missing_merged = true;
      if (count < min_doc_count) continue;  // 0 lists every term of the dictionary
      if (!Selected(agg, term, include ? &*include : nullptr, exclude ? &*exclude : nullptr)) continue;
      candidates.push_back({ord, count, std::string(term), 0});
    }
    if (agg.missing && !missing_merged && missing_docs >= std::max<uint64_t>(min_doc_count, 1) &&
        Selected(agg, *agg.missing, include ? &*include : nullptr, exclude ? &*exclude : nullptr)) {
      candidates.push_back({kMissingId, missing_docs, *agg.missing, 0});
    }
  } else {
    std::unordered_map<uint64_t, uint64_t> counts;
    uint64_t with_value = 0;
    if (column != nullptr) {
      uint32_t last_doc = 0;  // docids start at 1
      uint64_t last_bits = 0;
      column->ForEachOf(docs, [&](uint32_t d, uint64_t bits) {
        // A document's values are sorted: count each distinct one once.
        if (d != last_doc || bits != last_bits) ++counts[bits];
        with_value += d != last_doc;
        last_doc = d, last_bits = bits;
      });
    }
    missing_docs = docs.size() - with_value;
    if (agg.missing && missing_docs > 0) {
      auto v = ParseFieldNumber(*field, *agg.missing);
      if (!v.ok()) return v.status();
      counts[NumberBits(*v)] += missing_docs;
    }
    for (const auto& [bits, count] : counts) {
      if (count < std::max<uint64_t>(min_doc_count, 1)) continue;
      double v = BitsNumber(bits);
      candidates.push_back({bits, count, std::string(), v});
    }
  }

  auto key_less = [&](const TermCandidate& a, const TermCandidate& b) {
    return keyword ? a.text < b.text : a.number < b.number;
  };
  auto order = [&](const TermCandidate& a, const TermCandidate& b) {
    switch (agg.order) {
      case Aggregation::Order::kCountDesc: return a.count != b.count ? a.count > b.count : key_less(a, b);
      case Aggregation::Order::kCountAsc: return a.count != b.count ? a.count < b.count : key_less(a, b);
      case Aggregation::Order::kKeyAsc: return key_less(a, b);
      case Aggregation::Order::kKeyDesc: return key_less(b, a);
    }
    return false;
  };
  const size_t keep = std::min<size_t>(agg.size, candidates.size());
  std::partial_sort(candidates.begin(), candidates.begin() + static_cast<ptrdiff_t>(keep), candidates.end(), order);
  for (size_t i = keep; i < candidates.size(); ++i) out->sum_other_doc_count += candidates[i].count;
  candidates.resize(keep);
  if (Status s = AddBuckets(keep); !s.ok()) return s;

  for (const auto& c : candidates) {
    AggregationBucket b;
    b.doc_count = c.count;
    if (keyword) {
      b.key = c.text;
    } else {
      b.key = c.number;
      b.key_as_string = KeyAsString(*field, c.number);
    }
    out->buckets.push_back(std::move(b));
  }
  if (agg.subs.empty()) return Status::OK();

  // Second pass: the docids of each returned bucket.
  std::vector<std::vector<uint32_t>> bucket_docs(candidates.size());
  std::unordered_map<uint64_t, size_t> index;
  size_t missing_bucket = SIZE_MAX;
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (candidates[i].id == kMissingId) missing_bucket = i;
    else index[candidates[i].id] = i;
  }
  if (agg.missing && missing_bucket == SIZE_MAX) {
    // The missing value may have merged into an existing term's bucket.
    for (size_t i = 0; i < candidates.size(); ++i) {
      if (keyword ? candidates[i].text == *agg.missing
                  : (field != nullptr && ParseFieldNumber(*field, *agg.missing).ok() &&
                     candidates[i].number == *ParseFieldNumber(*field, *agg.missing))) {
        missing_bucket = i;
      }
    }
  }
  for (uint32_t d : docs) {
    bool any = false;
    size_t last = SIZE_MAX;
    if (column != nullptr) {
      column->ForEach(d, [&](uint64_t id) {
        any = true;
        auto it = index.find(id);
        if (it != index.end() && it->second != last) bucket_docs[it->second].push_back(d), last = it->second;
      });
    }
    if (!any && agg.missing && missing_bucket != SIZE_MAX) bucket_docs[missing_bucket].push_back(d);
  }
  return RunSubs(agg, &bucket_docs, out);
}

}  // namespace ultrasearch::facets
