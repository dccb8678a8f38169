#include "scroll_store.h"

#include <fmt/format.h>

#include <random>

#include "es_errors.h"

namespace ultrasearch::server {
namespace {

// 24 random bytes, base64url: unguessable, so one client cannot read another's scroll.
std::string NewScrollId() {
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

}  // namespace

std::string ScrollStore::Open(std::shared_ptr<ScrollContext> context, std::chrono::milliseconds keep_alive) {
  auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  ReapLocked(now);
  if (slots_.size() >= kMaxOpen) {
    throw IllegalArgument(fmt::format(
        "Trying to create too many scroll contexts. Must be less than or equal to: [{}]. This limit can be set by "
        "changing the [search.max_open_scroll_context] setting.",
        kMaxOpen));
  }
  std::string id = NewScrollId();
  slots_[id] = Slot{std::move(context), keep_alive, now + keep_alive};
  return id;
}

std::shared_ptr<ScrollContext> ScrollStore::Find(const std::string& id,
                                                 std::optional<std::chrono::milliseconds> keep_alive) {
  auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  ReapLocked(now);
  auto it = slots_.find(id);
  if (it == slots_.end()) return nullptr;
  if (keep_alive) it->second.keep_alive = *keep_alive;
  it->second.expires = now + it->second.keep_alive;
  return it->second.context;
}

bool ScrollStore::Clear(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  ReapLocked(std::chrono::steady_clock::now());
  return slots_.erase(id) > 0;
}

std::size_t ScrollStore::ClearAll() {
  std::lock_guard<std::mutex> lock(mu_);
  ReapLocked(std::chrono::steady_clock::now());
  std::size_t n = slots_.size();
  slots_.clear();
  return n;
}

std::size_t ScrollStore::open() const {
  std::lock_guard<std::mutex> lock(mu_);
  return slots_.size();
}

void ScrollStore::ReapLocked(std::chrono::steady_clock::time_point now) {
  for (auto it = slots_.begin(); it != slots_.end();) {
    it = it->second.expires <= now ? slots_.erase(it) : std::next(it);
  }
}

}  // namespace ultrasearch::server
