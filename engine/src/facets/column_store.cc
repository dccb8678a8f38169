#include "facets/column_store.h"

#include <algorithm>
#include <numeric>

namespace ultrasearch::facets {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "column blocks pack codes little-endian");

namespace {
constexpr uint32_t kDictChunkSize = 1u << kDictChunkBits;
}  // namespace

std::optional<uint32_t> Column::FindTerm(std::string_view term) const {
  for (uint32_t i = 0; i < dict_size; ++i) {
    if (Term(i) == term) return i;
  }
  return std::nullopt;
}

const std::vector<uint32_t>& Column::Ranks() const {
  std::call_once(ranks_once_, [this] {
    std::vector<uint32_t> order(dict_size);
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [this](uint32_t a, uint32_t b) { return Term(a) < Term(b); });
    ranks_.resize(dict_size);
    for (uint32_t r = 0; r < dict_size; ++r) ranks_[order[r]] = r;
  });
  return ranks_;
}

size_t Column::MemoryBytes() const {
  size_t total = sizeof(*this) + blocks.capacity() * sizeof(blocks[0]) + dict.capacity() * sizeof(dict[0]);
  for (const auto& b : blocks) {
    if (b) total += b->MemoryBytes() + 16;  // + shared_ptr control block
  }
  for (const auto& c : dict) total += sizeof(DictChunk) + c->bytes.capacity() + c->ends.capacity() * 4 + 16;
  return total + ranks_.capacity() * sizeof(uint32_t);
}

std::optional<std::string_view> ColumnSnapshot::DocumentId(uint32_t docid) const {
  const Column* ids = Find(kDocumentIdOrdinal);
  if (ids == nullptr) return std::nullopt;
  std::optional<std::string_view> id;
  ids->ForEach(docid, [&](uint64_t ordinal) { id = ids->Term(static_cast<uint32_t>(ordinal)); });
  return id;
}

size_t ColumnSnapshot::MemoryBytes() const {
  size_t total = sizeof(*this);
  for (const auto& [ordinal, column] : columns_) total += column->MemoryBytes() + 32;
  return total;
}

// The writer's state of one field.
struct ColumnStore::FieldBuilder {
  uint32_t ordinal = 0;
  bool keyword = false;
  std::vector<std::shared_ptr<const ColumnBlock>> blocks;
  std::vector<std::shared_ptr<const DictChunk>> dict;  // published chunks; the last may be stale
  DictChunk tail;                                      // the writer's copy of the last chunk
  uint32_t dict_size = 0;
  bool tail_changed = false;
  std::vector<uint32_t> table;  // open addressing: ordinal + 1, 0 = empty
  std::vector<SlotValue> loading;
  bool changed = true;
  std::shared_ptr<const Column> published;

  std::string_view TermOf(uint32_t ordinal_in_dict) const {
    uint32_t chunk = ordinal_in_dict >> kDictChunkBits;
    uint32_t i = ordinal_in_dict & (kDictChunkSize - 1);
    return chunk + 1 == (dict_size + kDictChunkSize - 1) / kDictChunkSize ? tail.Get(i) : dict[chunk]->Get(i);
  }

  uint32_t Intern(std::string_view term) {
    if ((dict_size + 1) * 2 > table.size()) Rehash(std::max<size_t>(64, table.size() * 2));
    size_t mask = table.size() - 1;
    for (size_t h = std::hash<std::string_view>()(term) & mask;; h = (h + 1) & mask) {
      if (table[h] == 0) {
        uint32_t ord = Append(term);
        table[h] = ord + 1;
        return ord;
      }
      if (TermOf(table[h] - 1) == term) return table[h] - 1;
    }
  }

  uint32_t Append(std::string_view term) {
    if ((dict_size & (kDictChunkSize - 1)) == 0) {
      if (dict_size != 0) dict.back() = std::make_shared<const DictChunk>(tail);  // seal the full chunk
      tail = DictChunk();
      dict.push_back(nullptr);
    }
    tail.bytes.append(term);
    tail.ends.push_back(static_cast<uint32_t>(tail.bytes.size()));
    tail_changed = true;
    return dict_size++;
  }

  void Rehash(size_t size) {
    table.assign(size, 0);
    for (uint32_t ord = 0; ord < dict_size; ++ord) {
      for (size_t h = std::hash<std::string_view>()(TermOf(ord)) & (size - 1);; h = (h + 1) & (size - 1)) {
        if (table[h] == 0) {
          table[h] = ord + 1;
          break;
        }
      }
    }
  }

  void SetBlock(uint32_t b, const std::vector<SlotValue>& values) {
    if (blocks.size() <= b) blocks.resize(b + 1);
    blocks[b] = values.empty() ? nullptr : ColumnBlock::Encode(values, !keyword);
    changed = true;
  }

  void AddValues(uint16_t slot, const FieldValues& fv, std::vector<SlotValue>* out) {
    if (keyword) {
      for (const auto& k : fv.keywords) out->push_back({slot, Intern(k)});
    } else {
      for (double d : fv.numbers) out->push_back({slot, NumberBits(d)});
    }
  }

  std::shared_ptr<const Column> Snapshot() {
    if (!changed && published) return published;
    if (tail_changed && dict_size > 0) {
      dict.back() = std::make_shared<const DictChunk>(tail);
      tail_changed = false;
    }
    auto column = std::make_shared<Column>();
    column->field_ordinal = ordinal;
    column->keyword = keyword;
    column->blocks = blocks;
    column->dict = dict;
    column->dict_size = dict_size;
    published = std::move(column);
    changed = false;
    return published;
  }
};

ColumnStore::ColumnStore() : current_(std::make_shared<ColumnSnapshot>()) {}
ColumnStore::~ColumnStore() = default;

ColumnStore::FieldBuilder& ColumnStore::Builder(uint32_t ordinal, bool keyword) {
  auto& slot = fields_[ordinal];
  if (!slot) {
    slot = std::make_unique<FieldBuilder>();
    slot->ordinal = ordinal;
    slot->keyword = keyword;
  }
  return *slot;
}

void ColumnStore::Load(uint32_t docid, const DocValues& values) {
  uint32_t block = docid >> kBlockBits;
  if (block != load_block_) FlushLoadBlock();
  load_block_ = block;
  for (const FieldValues& fv : values.fields) {
    FieldBuilder& f = Builder(fv.ordinal, fv.keyword);
    if (f.keyword != fv.keyword) continue;  // a field's kind never changes; ignore a damaged record
    f.AddValues(static_cast<uint16_t>(docid & kSlotMask), fv, &f.loading);
  }
}

void ColumnStore::FlushLoadBlock() {
  if (load_block_ == UINT32_MAX) return;
  for (auto& [ordinal, f] : fields_) {
    if (f->loading.empty()) continue;
    f->SetBlock(load_block_, f->loading);
    f->loading.clear();
  }
  load_block_ = UINT32_MAX;
}

void ColumnStore::Stage(uint32_t docid, std::optional<DocValues> values) { staged_[docid] = std::move(values); }

void ColumnStore::Publish() {
  FlushLoadBlock();
  // Rebuild each touched block of each touched field: decode, drop the changed docs' old values,
  // add their new ones, encode.
  std::vector<SlotValue> merged;
  for (auto it = staged_.begin(); it != staged_.end();) {
    const uint32_t block = it->first >> kBlockBits;
    auto end = it;
    while (end != staged_.end() && (end->first >> kBlockBits) == block) ++end;
    std::vector<FieldBuilder*> touched;
    for (auto& [ordinal, f] : fields_) {
      if (block >= f->blocks.size() || !f->blocks[block]) continue;
      for (auto c = it; c != end; ++c) {
        if (f->blocks[block]->Has(c->first & kSlotMask)) {
          touched.push_back(f.get());
          break;
        }
      }
    }
    for (auto c = it; c != end; ++c) {
      if (!c->second) continue;
      for (const FieldValues& fv : c->second->fields) {
        FieldBuilder* f = &Builder(fv.ordinal, fv.keyword);
        if (std::find(touched.begin(), touched.end(), f) == touched.end()) touched.push_back(f);
      }
    }
    for (FieldBuilder* f : touched) {
      merged.clear();
      if (block < f->blocks.size() && f->blocks[block]) {
        f->blocks[block]->Decode(&merged);
        merged.erase(std::remove_if(merged.begin(), merged.end(),
                                    [&](const SlotValue& v) {
                                      return staged_.count((block << kBlockBits) | v.slot) > 0;
                                    }),
                     merged.end());
      }
      for (auto c = it; c != end; ++c) {
        if (!c->second) continue;
        for (const FieldValues& fv : c->second->fields) {
          if (fv.ordinal == f->ordinal && fv.keyword == f->keyword) {
            f->AddValues(static_cast<uint16_t>(c->first & kSlotMask), fv, &merged);
          }
        }
      }
      std::stable_sort(merged.begin(), merged.end(),
                       [](const SlotValue& a, const SlotValue& b) { return a.slot < b.slot; });
      f->SetBlock(block, merged);
    }
    it = end;
  }
  staged_.clear();

  auto snapshot = std::make_shared<ColumnSnapshot>();
  for (auto& [ordinal, f] : fields_) snapshot->columns_[ordinal] = f->Snapshot();
  std::lock_guard<std::mutex> lock(current_mu_);
  current_ = std::move(snapshot);
}

std::shared_ptr<const ColumnSnapshot> ColumnStore::Current() const {
  std::lock_guard<std::mutex> lock(current_mu_);
  return current_;
}

}  // namespace ultrasearch::facets
