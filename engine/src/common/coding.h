// Fixed-width and varint encodings for keys and values in the catalog store. Big-endian fixed
// integers keep numeric order under RocksDB's bytewise comparator.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ultrasearch::coding {

inline void PutFixed64BE(std::string* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>((v >> shift) & 0xff));
}
inline void PutFixed32BE(std::string* out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>((v >> shift) & 0xff));
}
inline std::string EncodeFixed64BE(uint64_t v) {
  std::string s;
  PutFixed64BE(&s, v);
  return s;
}

// Reads a big-endian integer of N bytes from the front of *in and advances it.
template <typename T>
inline std::optional<T> GetFixedBE(std::string_view* in) {
  if (in->size() < sizeof(T)) return std::nullopt;
  T v = 0;
  for (size_t i = 0; i < sizeof(T); ++i) v = static_cast<T>((v << 8) | static_cast<uint8_t>((*in)[i]));
  in->remove_prefix(sizeof(T));
  return v;
}

inline void PutVarint64(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

inline std::optional<uint64_t> GetVarint64(std::string_view* in) {
  uint64_t result = 0;
  for (int shift = 0; shift <= 63 && !in->empty(); shift += 7) {
    uint8_t byte = static_cast<uint8_t>(in->front());
    in->remove_prefix(1);
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return result;
  }
  return std::nullopt;
}

}  // namespace ultrasearch::coding
