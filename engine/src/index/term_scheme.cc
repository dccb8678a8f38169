#include "index/term_scheme.h"

#include <fmt/format.h>

namespace ultrasearch::terms {

namespace {

constexpr size_t kLongIdKeptBytes = 200;

// FNV-1a with 128-bit state: stable across builds and platforms (std::hash is neither), and with
// 128 bits two different long ids sharing their first 200 bytes practically never meet.
unsigned __int128 Fnv1a128(std::string_view bytes) {
  const unsigned __int128 kPrime = (static_cast<unsigned __int128>(1) << 88) + 0x13B;
  unsigned __int128 hash = (static_cast<unsigned __int128>(0x6c62272e07bb0142ULL) << 64) | 0x62b821756295c58dULL;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= kPrime;
  }
  return hash;
}

}  // namespace

std::string IdTerm(std::string_view id) {
  if (id.size() <= kMaxPlainIdBytes) {
    std::string t = "Q";
    t += id;
    return t;
  }
  unsigned __int128 hash = Fnv1a128(id);
  std::string t = "L";
  t += id.substr(0, kLongIdKeptBytes);
  t += fmt::format("{:016x}{:016x}", static_cast<uint64_t>(hash >> 64), static_cast<uint64_t>(hash));
  return t;
}

}  // namespace ultrasearch::terms
