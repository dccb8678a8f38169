#include "human_fields.h"

#include <fmt/format.h>

#include <string_view>
#include <utility>
#include <vector>

#include "cat_table.h"

namespace ultrasearch::server {
namespace {

namespace json = boost::json;

// One decimal, without a trailing ".0", as TimeValue prints.
std::string OneDecimal(double v, std::string_view unit) {
  std::string s = fmt::format("{:.1f}", v);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s + std::string(unit);
}

std::optional<uint64_t> NonNegative(const json::value& v) {
  if (v.is_uint64()) return v.get_uint64();
  if (v.is_int64() && v.get_int64() >= 0) return static_cast<uint64_t>(v.get_int64());
  return std::nullopt;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() > suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string HumanNanos(uint64_t nanos) {
  constexpr double kMicro = 1e3, kMilli = 1e6, kSecond = 1e9, kMinute = 60 * kSecond, kHour = 60 * kMinute,
                   kDay = 24 * kHour;
  double n = static_cast<double>(nanos);
  if (n >= kDay) return OneDecimal(n / kDay, "d");
  if (n >= kHour) return OneDecimal(n / kHour, "h");
  if (n >= kMinute) return OneDecimal(n / kMinute, "m");
  if (n >= kSecond) return OneDecimal(n / kSecond, "s");
  if (n >= kMilli) return OneDecimal(n / kMilli, "ms");
  if (n >= kMicro) return OneDecimal(n / kMicro, "micros");
  return fmt::format("{}nanos", nanos);
}

void AddHumanFields(json::value& value) {
  if (json::array* a = value.if_array()) {
    for (json::value& item : *a) AddHumanFields(item);
    return;
  }
  json::object* o = value.if_object();
  if (o == nullptr) return;
  std::vector<std::pair<std::string, std::string>> twins;
  for (auto& [key, v] : *o) {
    AddHumanFields(v);
    std::string_view k = key;
    auto n = NonNegative(v);
    if (!n) continue;
    if (EndsWith(k, "_in_bytes")) {
      twins.emplace_back(std::string(k.substr(0, k.size() - 9)), HumanBytes(*n));
    } else if (EndsWith(k, "_in_millis")) {
      twins.emplace_back(std::string(k.substr(0, k.size() - 10)), HumanNanos(*n * 1000000));
    } else if (EndsWith(k, "_in_nanos")) {
      twins.emplace_back(std::string(k.substr(0, k.size() - 9)), HumanNanos(*n));
    }
  }
  for (auto& [key, text] : twins) {
    if (!o->contains(key)) o->emplace(key, text);
  }
}

}  // namespace ultrasearch::server
