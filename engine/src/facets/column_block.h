// One immutable block of a value column: the values of kBlockDocs consecutive docids of one field,
// compressed the way Lucene compresses doc values (per block: a table of distinct values, or
// min + gcd deltas, packed into 1, 2, 4 or 8 bytes each).
//
// Values are 64-bit "raw" words: a keyword's dictionary ordinal, or a number's IEEE-754 bits.
// Two layouts:
//   dense  (every doc at most one value): one code per slot, code 0 = no value, else value + 1;
//   sparse (few docs, or several values per doc): parallel arrays of slot (uint16, ascending,
//          repeated for multi-valued docs) and code.
// A block is shared between column snapshots and never changes after Encode.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

namespace ultrasearch::facets {

inline constexpr uint32_t kBlockBits = 12;
inline constexpr uint32_t kBlockDocs = 1u << kBlockBits;  // 4096
inline constexpr uint32_t kSlotMask = kBlockDocs - 1;

inline uint64_t NumberBits(double d) {
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  return bits;
}
inline double BitsNumber(uint64_t bits) {
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

// A value of one document in a block under construction.
struct SlotValue {
  uint16_t slot;
  uint64_t raw;
};

class ColumnBlock {
 public:
  // `values` sorted by slot (values of one slot in the order the document has them). `numeric`
  // chooses the number encodings; keyword ordinals are packed as they are.
  static std::shared_ptr<const ColumnBlock> Encode(const std::vector<SlotValue>& values, bool numeric);

  // Calls fn(raw) for each value of the document in `slot`.
  template <typename Fn>
  void ForEach(uint32_t slot, Fn&& fn) const {
    if (dense_) {
      uint64_t code = Code(slot);
      if (code != 0) fn(Decode(code - 1));
      return;
    }
    uint32_t lo = 0, hi = static_cast<uint32_t>(slots_.size());
    while (lo < hi) {  // lower_bound on slot
      uint32_t mid = (lo + hi) / 2;
      if (slots_[mid] < slot) lo = mid + 1; else hi = mid;
    }
    for (; lo < slots_.size() && slots_[lo] == slot; ++lo) fn(Decode(Code(lo)));
  }
  // Calls fn(docid, raw) for each value of each of the n `docids` (ascending, all in this block):
  // the batched ForEach, walking a sparse block's slots once instead of searching per document.
  template <typename Fn>
  void ForEachOf(const uint32_t* docids, size_t n, Fn&& fn) const {
    if (dense_) {
      if (codes_.empty()) return;
      for (size_t k = 0; k < n; ++k) {
        uint64_t code = Code(docids[k] & kSlotMask);
        if (code != 0) fn(docids[k], Decode(code - 1));
      }
      return;
    }
    const size_t size = slots_.size();
    size_t at = 0;
    for (size_t k = 0; k < n; ++k) {
      const uint16_t slot = static_cast<uint16_t>(docids[k] & kSlotMask);
      if (at < size && slots_[at] < slot) {  // gallop ahead, then search the last step
        size_t low = at, step = 1, high = at + 1;
        while (high < size && slots_[high] < slot) low = high, step *= 2, high = low + step;
        at = static_cast<size_t>(std::lower_bound(slots_.begin() + static_cast<ptrdiff_t>(low + 1),
                                                  slots_.begin() + static_cast<ptrdiff_t>(std::min(high, size)), slot) -
                                 slots_.begin());
      }
      for (; at < size && slots_[at] == slot; ++at) fn(docids[k], Decode(Code(static_cast<uint32_t>(at))));
    }
  }
  bool Has(uint32_t slot) const {
    bool any = false;
    ForEach(slot, [&](uint64_t) { any = true; });
    return any;
  }
  // Every value with its slot, ascending by slot.
  void Decode(std::vector<SlotValue>* out) const;

  size_t MemoryBytes() const {
    return sizeof(*this) + codes_.capacity() + slots_.capacity() * sizeof(uint16_t) +
           table_.capacity() * sizeof(uint64_t);
  }

 private:
  enum class Kind : uint8_t { kPlain, kTable, kDelta };
  uint64_t Code(uint32_t i) const {
    const uint8_t* p = codes_.data() + static_cast<size_t>(i) * width_;
    switch (width_) {
      case 1: return *p;
      case 2: { uint16_t v; std::memcpy(&v, p, 2); return v; }
      case 4: { uint32_t v; std::memcpy(&v, p, 4); return v; }
      default: { uint64_t v; std::memcpy(&v, p, 8); return v; }
    }
  }
  uint64_t Decode(uint64_t code) const {
    switch (kind_) {
      case Kind::kPlain: return code;
      case Kind::kTable: return table_[code];
      default: return NumberBits(static_cast<double>(base_ + static_cast<int64_t>(code) * gcd_));
    }
  }

  bool dense_ = true;
  Kind kind_ = Kind::kPlain;
  uint8_t width_ = 1;
  int64_t base_ = 0, gcd_ = 1;
  std::vector<uint64_t> table_;
  std::vector<uint16_t> slots_;
  std::vector<uint8_t> codes_;
};

}  // namespace ultrasearch::facets
