#include "facets/column_block.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ultrasearch::facets {

namespace {

uint8_t WidthFor(uint64_t max_code) {
  if (max_code <= 0xff) return 1;
  if (max_code <= 0xffff) return 2;
  if (max_code <= 0xffffffffu) return 4;
  return 8;
}

// Integral numbers that survive int64 <-> double round trips exactly.
bool AsExactInt(double d, int64_t* out) {
  if (!(d >= -9.0e15 && d <= 9.0e15) || d != std::trunc(d)) return false;
  if (d == 0 && std::signbit(d)) return false;  // -0.0 must stay -0.0
  *out = static_cast<int64_t>(d);
  return true;
}

}  // namespace

std::shared_ptr<const ColumnBlock> ColumnBlock::Encode(const std::vector<SlotValue>& values, bool numeric) {
  auto block = std::make_shared<ColumnBlock>();
  if (values.empty()) return block;
  bool multi = false;
  for (size_t i = 1; i < values.size(); ++i) multi |= values[i].slot == values[i - 1].slot;

  // Choose how values become codes.
  std::vector<uint64_t> codes(values.size());
  uint64_t max_code = 0;
  if (!numeric) {
    for (size_t i = 0; i < values.size(); ++i) max_code = std::max(max_code, codes[i] = values[i].raw);
  } else {
    std::vector<uint64_t> distinct;
    distinct.reserve(values.size());
    for (const auto& v : values) distinct.push_back(v.raw);
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    int64_t min = 0, max = 0, gcd = 0;
    bool integral = true;
    for (size_t i = 0; i < values.size() && integral; ++i) {
      int64_t v = 0;
      integral = AsExactInt(BitsNumber(values[i].raw), &v);
      if (i == 0) min = max = v;
      min = std::min(min, v), max = std::max(max, v);
    }
    if (integral) {
      for (const auto& sv : values) {
        int64_t v = 0;
        AsExactInt(BitsNumber(sv.raw), &v);
        gcd = std::gcd(gcd, v - min);
      }
      if (gcd == 0) gcd = 1;
    }
    const uint64_t delta_max = integral ? static_cast<uint64_t>((max - min) / gcd) : 0;
    if (distinct.size() <= 255 && (!integral || WidthFor(delta_max + 1) > 1)) {
      block->kind_ = Kind::kTable;
      block->table_ = distinct;
      for (size_t i = 0; i < values.size(); ++i) {
        codes[i] = static_cast<uint64_t>(
            std::lower_bound(distinct.begin(), distinct.end(), values[i].raw) - distinct.begin());
      }
      max_code = distinct.size() - 1;
    } else if (integral) {
      block->kind_ = Kind::kDelta;
      block->base_ = min;
      block->gcd_ = gcd;
      for (size_t i = 0; i < values.size(); ++i) {
        int64_t v = 0;
        AsExactInt(BitsNumber(values[i].raw), &v);
        codes[i] = static_cast<uint64_t>((v - min) / gcd);
      }
      max_code = delta_max;
    } else {
      for (size_t i = 0; i < values.size(); ++i) max_code = std::max(max_code, codes[i] = values[i].raw);
    }
  }

  // Dense when single-valued and a code per slot is no bigger than slot + code per value.
  const uint8_t dense_width = max_code == UINT64_MAX ? 8 : WidthFor(max_code + 1);
  const uint8_t sparse_width = WidthFor(max_code);
  const size_t dense_bytes = size_t{kBlockDocs} * dense_width;
  const size_t sparse_bytes = values.size() * (sizeof(uint16_t) + sparse_width);
  block->dense_ = !multi && dense_bytes <= sparse_bytes && max_code != UINT64_MAX;
  if (block->dense_) {
    block->width_ = dense_width;
    block->codes_.assign(dense_bytes, 0);
    for (size_t i = 0; i < values.size(); ++i) {
      uint64_t c = codes[i] + 1;
      std::memcpy(block->codes_.data() + size_t{values[i].slot} * dense_width, &c, dense_width);  // little-endian
    }
  } else {
    block->width_ = sparse_width;
    block->codes_.resize(values.size() * sparse_width);
    block->slots_.reserve(values.size());
    for (size_t i = 0; i < values.size(); ++i) {
      block->slots_.push_back(values[i].slot);
      std::memcpy(block->codes_.data() + i * sparse_width, &codes[i], sparse_width);
    }
  }
  block->codes_.shrink_to_fit();
  return block;
}

void ColumnBlock::Decode(std::vector<SlotValue>* out) const {
  if (dense_) {
    for (uint32_t slot = 0; slot < kBlockDocs && !codes_.empty(); ++slot) {
      uint64_t code = Code(slot);
      if (code != 0) out->push_back({static_cast<uint16_t>(slot), Decode(code - 1)});
    }
    return;
  }
  for (size_t i = 0; i < slots_.size(); ++i) out->push_back({slots_[i], Decode(Code(static_cast<uint32_t>(i)))});
}

}  // namespace ultrasearch::facets
