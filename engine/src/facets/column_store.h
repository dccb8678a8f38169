// In-memory value columns: for every non-text field, docid -> keyword ordinal(s) or number(s).
//
// Built at open by one sequential scan of the catalog's "values" column family (keyed by docid,
// facets/doc_values.h) and kept current by the writer: changes are staged as each write becomes
// durable and published together with the text index's refresh, so a search sees the columns of
// the same refresh as its Xapian reader (a refresh publishes both before readers reopen).
//
// Snapshots are immutable and cheap: a column is a vector of shared blocks of 4096 docids
// (facets/column_block.h), and a keyword dictionary a vector of shared chunks of 4096 strings;
// publishing copies only the blocks and chunks that changed.
//
// Thread safety: ColumnStore is the writer's (the index's write lock guards every call except
// Current(), which any thread may call). ColumnSnapshot is immutable and shared by searches.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "facets/column_block.h"
#include "facets/doc_values.h"

namespace ultrasearch::facets {

// Up to 4096 dictionary strings, stored end to end.
struct DictChunk {
  std::string bytes;
  std::vector<uint32_t> ends;
  std::string_view Get(uint32_t i) const {
    uint32_t begin = i == 0 ? 0 : ends[i - 1];
    return std::string_view(bytes).substr(begin, ends[i] - begin);
  }
};
inline constexpr uint32_t kDictChunkBits = 12;

// One field's column at one published state.
struct Column {
  uint32_t field_ordinal = 0;
  bool keyword = false;
  std::vector<std::shared_ptr<const ColumnBlock>> blocks;  // by docid >> kBlockBits; null: no values
  std::vector<std::shared_ptr<const DictChunk>> dict;     // keyword columns: ordinal -> string
  uint32_t dict_size = 0;

  // Calls fn(raw) for each value of `docid` (ordinal or NumberBits).
  template <typename Fn>
  void ForEach(uint32_t docid, Fn&& fn) const {
    uint32_t b = docid >> kBlockBits;
    if (b < blocks.size() && blocks[b]) blocks[b]->ForEach(docid & kSlotMask, fn);
  }
  // Calls fn(docid, raw) for each value of each of `docids` (ascending), block by block: how
  // aggregations read a match set.
  template <typename Fn>
  void ForEachOf(const std::vector<uint32_t>& docids, Fn&& fn) const {
    for (size_t i = 0, n = docids.size(); i < n;) {
      const uint32_t b = docids[i] >> kBlockBits;
      size_t j = i + 1;
      while (j < n && (docids[j] >> kBlockBits) == b) ++j;
      if (b < blocks.size() && blocks[b]) blocks[b]->ForEachOf(docids.data() + i, j - i, fn);
      i = j;
    }
  }
  std::string_view Term(uint32_t ordinal) const {
    return dict[ordinal >> kDictChunkBits]->Get(ordinal & ((1u << kDictChunkBits) - 1));
  }
  // Dictionary ordinal of `term`, if any document ever had it (linear in the dictionary; for
  // request planning, not per document).
  std::optional<uint32_t> FindTerm(std::string_view term) const;
  // rank[ordinal] = position of the term in byte order (computed once per column state).
  const std::vector<uint32_t>& Ranks() const;

  size_t MemoryBytes() const;

 private:
  mutable std::once_flag ranks_once_;
  mutable std::vector<uint32_t> ranks_;
};

class ColumnSnapshot {
 public:
  // The column of the field with this ordinal; nullptr when no document has a value in it.
  const Column* Find(uint32_t field_ordinal) const {
    auto it = columns_.find(field_ordinal);
    return it == columns_.end() ? nullptr : it->second.get();
  }
  // The _id of `docid` (field kDocumentIdOrdinal); nullopt when its record has none (written
  // before the field existed) or the document is not in this snapshot.
  std::optional<std::string_view> DocumentId(uint32_t docid) const;
  size_t MemoryBytes() const;

 private:
  friend class ColumnStore;
  std::unordered_map<uint32_t, std::shared_ptr<const Column>> columns_;
};

class ColumnStore {
 public:
  ColumnStore();
  ~ColumnStore();

  // Bulk load at open: call Load for docids in ascending order, then Publish.
  void Load(uint32_t docid, const DocValues& values);
  // A durable write: `values` nullopt deletes the document's values.
  void Stage(uint32_t docid, std::optional<DocValues> values);
  bool HasStaged() const { return !staged_.empty(); }
  // Applies staged changes and makes them visible to Current().
  void Publish();

  std::shared_ptr<const ColumnSnapshot> Current() const;

 private:
  struct FieldBuilder;
  FieldBuilder& Builder(uint32_t ordinal, bool keyword);
  void FlushLoadBlock();

  std::map<uint32_t, std::unique_ptr<FieldBuilder>> fields_;
  std::map<uint32_t, std::optional<DocValues>> staged_;  // by docid
  uint32_t load_block_ = UINT32_MAX;  // block being bulk-loaded
  mutable std::mutex current_mu_;
  std::shared_ptr<const ColumnSnapshot> current_;  // guarded by current_mu_
};

}  // namespace ultrasearch::facets
