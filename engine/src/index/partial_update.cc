#include "index/partial_update.h"

#include <boost/json.hpp>

namespace json = boost::json;

namespace ultrasearch {

namespace {

bool MergeInto(json::object& target, const json::object& patch) {
  bool changed = false;
  for (const auto& [key, value] : patch) {
    json::value* existing = target.if_contains(key);
    if (existing != nullptr && existing->is_object() && value.is_object()) {
      changed |= MergeInto(existing->as_object(), value.as_object());
    } else if (existing == nullptr || *existing != value) {
      target[key] = value;
      changed = true;
    }
  }
  return changed;
}

}  // namespace

Result<std::string> MergePartialDocument(std::string_view stored, std::string_view partial, bool* changed) {
  json::parse_options options;
  options.max_depth = 64;
  boost::system::error_code ec;
  json::value patch = json::parse(partial, ec, {}, options);
  if (ec) return Status::InvalidArgument("failed to parse the partial document: " + ec.message());
  if (!patch.is_object()) return Status::InvalidArgument("the partial document must be a JSON object");
  json::value base = json::parse(stored, ec, {}, options);
  if (ec || !base.is_object()) return Status::Corruption("the stored document is not a JSON object");
  *changed = MergeInto(base.as_object(), patch.as_object());
  return json::serialize(base);
}

}  // namespace ultrasearch
