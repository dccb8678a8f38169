#include "facets/column_query.h"

#include <algorithm>
#include <functional>
#include <cmath>

#include "facets/agg_util.h"

namespace ultrasearch::facets {

namespace {

// The UUIDs of the shards `db` combines, in shard order.
std::shared_ptr<const std::vector<std::string>> ShardUuids(const Xapian::Database& db) {
  auto uuids = std::make_shared<std::vector<std::string>>();
  std::string all = db.get_uuid();
  size_t start = 0;
  for (size_t colon; (colon = all.find(':', start)) != std::string::npos; start = colon + 1) {
    uuids->push_back(all.substr(start, colon - start));
  }
  uuids->push_back(all.substr(start));
  return uuids;
}

// Matches the documents for which `matches(column, docid)` holds, walking the shard's docids.
constexpr std::string_view kSourceName = "ColumnSource";

class ColumnSource : public Xapian::PostingSource {
 public:
  using Predicate = ColumnFilterTable::Predicate;
  // table_index: the source's place in a ColumnFilterTable, or -1.
  ColumnSource(std::shared_ptr<const ColumnSnapshot> columns, std::shared_ptr<const Predicate> predicate,
               std::shared_ptr<const std::vector<std::string>> shard_uuids, long table_index)
      : columns_(std::move(columns)), predicate_(std::move(predicate)), shard_uuids_(std::move(shard_uuids)),
        shards_(std::max<size_t>(1, shard_uuids_->size())), table_index_(table_index) {}

  void init(const Xapian::Database& db) override {
    shard_ = 0;
    if (shards_ > 1) {
      const std::string uuid = db.get_uuid();
      auto it = std::find(shard_uuids_->begin(), shard_uuids_->end(), uuid);
      if (it == shard_uuids_->end()) {
        throw Xapian::InvalidOperationError("a column filter met a database it was not planned for");
      }
      shard_ = static_cast<size_t>(it - shard_uuids_->begin());
    }
    last_local_ = db.get_lastdocid();
    doccount_ = db.get_doccount();
    local_ = 0;
    at_end_ = false;
  }
  Xapian::doccount get_termfreq_min() const override { return 0; }
  Xapian::doccount get_termfreq_est() const override { return doccount_ / 2; }
  Xapian::doccount get_termfreq_max() const override { return doccount_; }
  void next(double) override { Advance(local_ + 1); }
  void skip_to(Xapian::docid did, double) override {
    if (did > local_) Advance(did);
  }
  bool at_end() const override { return at_end_; }
  Xapian::docid get_docid() const override { return local_; }
  PostingSource* clone() const override { return new ColumnSource(columns_, predicate_, shard_uuids_, table_index_); }
  std::string get_description() const override {
    std::string name(kSourceName);
    return table_index_ < 0 ? name : name + "#" + std::to_string(table_index_);
  }

 private:
  void Advance(Xapian::docid from) {
    for (local_ = from; local_ <= last_local_; ++local_) {
      uint32_t docid = static_cast<uint32_t>((local_ - 1) * shards_ + shard_ + 1);
      if ((*predicate_)(docid)) return;
    }
    at_end_ = true;
  }

  std::shared_ptr<const ColumnSnapshot> columns_;  // keeps the columns the predicate reads alive
  std::shared_ptr<const Predicate> predicate_;
  std::shared_ptr<const std::vector<std::string>> shard_uuids_;
  size_t shards_;
  long table_index_;
  size_t shard_ = 0;
  Xapian::docid local_ = 0, last_local_ = 0;
  Xapian::doccount doccount_ = 0;
  bool at_end_ = false;
};

Xapian::Query SourceQuery(std::shared_ptr<const ColumnSnapshot> columns, ColumnSource::Predicate predicate,
                          const Xapian::Database& db, ColumnFilterTable* filters) {
  auto shared = std::make_shared<const ColumnSource::Predicate>(std::move(predicate));
  const long table_index = filters == nullptr ? -1 : static_cast<long>(filters->Add(shared));
  auto* source = new ColumnSource(std::move(columns), std::move(shared), ShardUuids(db), table_index);
  // Weight 0 (PostingSource's default): a filter. The query owns the source.
  return Xapian::Query(source->release());
}

// Xapian::MultiValueKeyMaker's encoding of one key component, so components compare bytewise in
// sequence: ascending escapes \0 and ends with \0\0; descending inverts the bytes.
void AppendComponent(std::string* key, const std::string& value, bool descending) {
  if (!descending) {
    for (char c : value) {
      key->push_back(c);
      if (c == '\0') key->push_back('\xff');
    }
    key->append(2, '\0');
  } else {
    for (char c : value) {
      char inverted = static_cast<char>(~static_cast<unsigned char>(c));
      key->push_back(inverted);
      if (inverted == '\xff') key->push_back('\0');
    }
    key->append(2, '\xff');
  }
}

std::string RankBytes(uint32_t rank) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i) s[static_cast<size_t>(i)] = static_cast<char>(rank >> (24 - 8 * i));
  return s;
}

}  // namespace

const ColumnFilterTable::Predicate* ColumnFilterTable::FromLeaf(const Xapian::Query& leaf) const {
  if (leaf.get_type() != Xapian::Query::LEAF_POSTING_SOURCE) return nullptr;
  // "Query(PostingSource(ColumnSource#<n>))"
  const std::string description = leaf.get_description();
  const std::string marker = std::string(kSourceName) + "#";
  const size_t at = description.find(marker);
  if (at == std::string::npos) return nullptr;
  size_t index = 0;
  bool digits = false;
  for (size_t i = at + marker.size(); i < description.size() && description[i] >= '0' && description[i] <= '9'; ++i) {
    index = index * 10 + static_cast<size_t>(description[i] - '0');
    digits = true;
  }
  return digits && index < filters_.size() ? filters_[index].get() : nullptr;
}

Xapian::Query ColumnNumberQuery(std::shared_ptr<const ColumnSnapshot> columns, const FieldMapping& field,
                                std::vector<NumberBounds> bounds, const Xapian::Database& db,
                                ColumnFilterTable* filters) {
  const Column* column = columns->Find(field.ordinal);
  if (column == nullptr || column->keyword) return Xapian::Query::MatchNothing;
  auto predicate = [column, bounds = std::move(bounds)](uint32_t docid) {
    bool hit = false;
    column->ForEach(docid, [&](uint64_t bits) {
      double v = BitsNumber(bits);
      for (const auto& b : bounds) hit |= v >= b.low && v <= b.high;
    });
    return hit;
  };
  return SourceQuery(std::move(columns), std::move(predicate), db, filters);
}

Xapian::Query ColumnKeywordRangeQuery(std::shared_ptr<const ColumnSnapshot> columns, const FieldMapping& field,
                                      std::optional<std::string> low, bool low_inclusive,
                                      std::optional<std::string> high, bool high_inclusive,
                                      const Xapian::Database& db, ColumnFilterTable* filters) {
  const Column* column = columns->Find(field.ordinal);
  if (column == nullptr || !column->keyword) return Xapian::Query::MatchNothing;
  // Decide per dictionary term once; documents then test ordinals.
  auto accepted = std::make_shared<std::vector<bool>>(column->dict_size);
  bool any = false;
  for (uint32_t ord = 0; ord < column->dict_size; ++ord) {
    std::string_view t = column->Term(ord);
    bool ok = (!low || (low_inclusive ? t >= *low : t > *low)) && (!high || (high_inclusive ? t <= *high : t < *high));
    (*accepted)[ord] = ok;
    any |= ok;
  }
  if (!any) return Xapian::Query::MatchNothing;
  auto predicate = [column, accepted](uint32_t docid) {
    bool hit = false;
    column->ForEach(docid, [&](uint64_t ord) { hit |= (*accepted)[ord]; });
    return hit;
  };
  return SourceQuery(std::move(columns), std::move(predicate), db, filters);
}

Result<Xapian::Query> ColumnRangeQuery(std::shared_ptr<const ColumnSnapshot> columns, const RangeQuery& r,
                                       const FieldMapping& field, const Xapian::Database& db,
                                       ColumnFilterTable* filters) {
  if (field.type == FieldType::kKeyword) {
    std::optional<std::string> low, high;
    bool low_inclusive = true, high_inclusive = true;
    if (r.gte) low = *r.gte;
    if (r.gt && (!low || *r.gt >= *low)) low = *r.gt, low_inclusive = false;
    if (r.lte) high = *r.lte;
    if (r.lt && (!high || *r.lt <= *high)) high = *r.lt, high_inclusive = false;
    return ColumnKeywordRangeQuery(std::move(columns), field, low, low_inclusive, high, high_inclusive, db, filters);
  }
  NumberBounds b;
  for (auto [text, lower, exclusive] : {std::tuple{&r.gte, true, false}, std::tuple{&r.gt, true, true},
                                        std::tuple{&r.lte, false, false}, std::tuple{&r.lt, false, true}}) {
    if (!*text) continue;
    auto v = ParseFieldNumber(field, **text);
    if (!v.ok()) return v.status();
    double d = *v;
    if (exclusive) d = std::nextafter(d, lower ? INFINITY : -INFINITY);
    if (lower) b.low = std::max(b.low, d);
    else b.high = std::min(b.high, d);
  }
  return ColumnNumberQuery(std::move(columns), field, {b}, db, filters);
}

ColumnSortKeys::ColumnSortKeys(std::shared_ptr<const ColumnSnapshot> columns,
                                       std::vector<const FieldMapping*> fields, std::vector<SortField> sort)
    : columns_(std::move(columns)), fields_(std::move(fields)), sort_(std::move(sort)) {
  for (const FieldMapping* f : fields_) column_of_.push_back(f == nullptr ? nullptr : columns_->Find(f->ordinal));
  for (const Column* c : column_of_) {
    if (c != nullptr && c->keyword) c->Ranks();  // computed once, before the match
  }
}

std::optional<double> ColumnSortKeys::NumberOf(uint32_t docid, size_t i) const {
  const Column* column = column_of_[i];
  if (column == nullptr || column->keyword) return std::nullopt;
  const SortField::Mode mode = sort_[i].mode;
  if (mode != SortField::Mode::kMedian) {  // one pass, nothing stored (values are ascending)
    double first = 0, last = 0, sum = 0;
    size_t count = 0;
    column->ForEach(docid, [&](uint64_t bits) {
      const double v = BitsNumber(bits);
      if (count++ == 0) first = v;
      last = v, sum += v;
    });
    if (count == 0) return std::nullopt;
    switch (mode) {
      case SortField::Mode::kMin: return first;
      case SortField::Mode::kMax: return last;
      case SortField::Mode::kSum: return sum;
      case SortField::Mode::kAvg: return sum / static_cast<double>(count);
      default: return sort_[i].descending ? last : first;
    }
  }
  std::vector<double> values;
  column->ForEach(docid, [&](uint64_t bits) { values.push_back(BitsNumber(bits)); });
  if (values.empty()) return std::nullopt;  // values are ascending
  switch (mode) {
    case SortField::Mode::kMin: return values.front();
    case SortField::Mode::kMax: return values.back();
    case SortField::Mode::kSum: {
      double sum = 0;
      for (double v : values) sum += v;
      return sum;
    }
    case SortField::Mode::kAvg: {
      double sum = 0;
      for (double v : values) sum += v;
      return sum / static_cast<double>(values.size());
    }
    case SortField::Mode::kMedian: {
      size_t n = values.size();
      return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
    case SortField::Mode::kDefault: break;
  }
  return sort_[i].descending ? values.back() : values.front();
}

std::optional<uint32_t> ColumnSortKeys::OrdinalOf(uint32_t docid, size_t i) const {
  const Column* column = column_of_[i];
  if (column == nullptr || !column->keyword) return std::nullopt;
  const auto& ranks = column->Ranks();
  std::optional<uint32_t> best;
  bool want_max = sort_[i].mode == SortField::Mode::kMax ||
                  (sort_[i].mode == SortField::Mode::kDefault && sort_[i].descending);
  column->ForEach(docid, [&](uint64_t ord) {
    if (!best || (want_max ? ranks[ord] > ranks[*best] : ranks[ord] < ranks[*best])) best = static_cast<uint32_t>(ord);
  });
  return best;
}

bool ColumnSortKeys::SortsByOneNumber() const {
  return sort_.size() == 1 && column_of_[0] != nullptr && !column_of_[0]->keyword;
}

double ColumnSortKeys::NumberKeyOf(uint32_t docid) const {
  const SortField& sort = sort_[0];
  auto number = NumberOf(docid, 0);
  if (!number) return sort.missing_first ? -INFINITY : INFINITY;
  return sort.descending ? -*number : *number;
}

std::string ColumnSortKeys::KeyOf(uint32_t docid) const {
  std::string key;
  for (size_t i = 0; i < sort_.size(); ++i) {
    if (fields_[i] == nullptr) continue;
    const bool desc = sort_[i].descending;
    std::string value;
    bool present = false;
    if (auto ord = OrdinalOf(docid, i)) {
      value = RankBytes(column_of_[i]->Ranks()[*ord]);
      present = true;
    } else if (auto number = NumberOf(docid, i)) {
      value = Xapian::sortable_serialise(*number);
      present = true;
    }
    // A tag byte orders documents without a value first or last whatever the direction.
    const bool last = !sort_[i].missing_first;
    char tag = present ? '\x01' : ((last != desc) ? '\x02' : '\x00');
    AppendComponent(&key, std::string(1, tag) + value, desc);
  }
  return key;
}

SortValue ColumnSortKeys::SortValueOf(uint32_t docid, size_t i) const {
  if (auto ord = OrdinalOf(docid, i)) return std::string(column_of_[i]->Term(*ord));
  if (auto number = NumberOf(docid, i)) return *number;
  return std::monostate{};
}

}  // namespace ultrasearch::facets
