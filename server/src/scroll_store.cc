#include "scroll_store.h"

#include <random>

namespace ultrasearch::server {

std::string NewContextId() {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string id;
  id.reserve(32);
  for (int i = 0; i < 4; ++i) {
    uint64_t bits = rng();
    for (int j = 0; j < 8; ++j, bits >>= 6) id += kAlphabet[bits & 63];
  }
  return id;
}

}  // namespace ultrasearch::server
