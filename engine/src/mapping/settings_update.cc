#include "mapping/settings_update.h"

#include <boost/json.hpp>

#include <cctype>
#include <charconv>
#include <map>
#include <vector>

namespace json = boost::json;

namespace ultrasearch {
namespace {

using FlatSettings = std::map<std::string, json::value>;

// "refresh_interval", {"index":{"refresh_interval":…}} and "index.refresh_interval" are one setting.
void Flatten(const json::object& obj, const std::string& prefix, FlatSettings* out) {
  for (const auto& [key, value] : obj) {
    std::string name = prefix + std::string(key);
    if (value.is_object()) {
      Flatten(value.as_object(), name + ".", out);
    } else {
      if (name.rfind("index.", 0) != 0) name = "index." + name;
      (*out)[name] = value;
    }
  }
}

Result<FlatSettings> ParseFlat(std::string_view text, bool allow_empty) {
  FlatSettings flat;
  if (text.empty() && allow_empty) return flat;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return Status::InvalidArgument("the settings must be a JSON object");
  Flatten(v.as_object(), "", &flat);
  return flat;
}

// Nested again, each dotted step an object.
json::object Nest(const FlatSettings& flat) {
  json::object root;
  for (const auto& [key, value] : flat) {
    json::object* at = &root;
    std::string_view rest = key;
    for (size_t dot = rest.find('.'); dot != std::string_view::npos; dot = rest.find('.')) {
      json::value& next = (*at)[rest.substr(0, dot)];
      if (!next.is_object()) next = json::object();
      at = &next.as_object();
      rest.remove_prefix(dot + 1);
    }
    (*at)[rest] = value;
  }
  return root;
}

std::string AsText(const json::value& v) {
  if (v.is_string()) return std::string(v.as_string());
  return json::serialize(v);
}

Status CheckValue(const std::string& key, const json::value& value) {
  if (value.is_null()) return Status::OK();
  std::string text = AsText(value);
  if (key == "index.refresh_interval") {
    auto parsed = ParseTimeValue(text);
    if (!parsed || (parsed->count() < 0 && text != "-1")) {
      return Status::InvalidArgument("failed to parse setting [" + key + "] with value [" + text +
                                     "] as a time value: unit is missing or unrecognized");
    }
  } else if (key == "index.number_of_replicas") {
    int n = -1;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size() || n < 0) {
      return Status::InvalidArgument("Failed to parse value [" + text + "] for setting [" + key + "] must be >= 0");
    }
  }
  return Status::OK();
}

bool IsDynamic(std::string_view key) { return key == "index.refresh_interval" || key == "index.number_of_replicas"; }

bool IsStatic(std::string_view key) {
  return key == "index.number_of_shards" || key.rfind("index.analysis.", 0) == 0 || key == "index.codec" ||
         key == "index.ultrasearch.bilingual_vocabulary" ||
         key == "index.uuid" || key == "index.provided_name" || key == "index.creation_date";
}

}  // namespace

std::optional<std::chrono::milliseconds> ParseTimeValue(std::string_view text) {
  if (text == "-1") return std::chrono::milliseconds(-1);
  size_t digits = 0;
  while (digits < text.size() && (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.')) ++digits;
  if (digits == 0) return std::nullopt;
  double amount = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + digits, amount);
  if (ec != std::errc() || end != text.data() + digits) return std::nullopt;
  std::string_view unit = text.substr(digits);
  static const std::pair<std::string_view, double> kUnits[] = {
      {"nanos", 1e-6}, {"micros", 1e-3}, {"ms", 1}, {"s", 1e3}, {"m", 60e3}, {"h", 3600e3}, {"d", 86400e3}};
  for (const auto& [name, millis] : kUnits) {
    if (unit == name) return std::chrono::milliseconds(static_cast<int64_t>(amount * millis));
  }
  return std::nullopt;
}

Result<std::string> ApplySettingsUpdate(std::string_view stored_json, std::string_view update_json,
                                        std::string_view index_name) {
  auto stored = ParseFlat(stored_json, /*allow_empty=*/true);
  if (!stored.ok()) return stored.status();
  auto update = ParseFlat(update_json, /*allow_empty=*/false);
  if (!update.ok()) return update.status();
  if (update->empty()) return Status::InvalidArgument("no settings to update");
  std::vector<std::string> static_keys;
  for (const auto& [key, value] : *update) {
    if (IsStatic(key)) {
      static_keys.push_back(key);
      continue;
    }
    if (!IsDynamic(key)) {
      return Status::InvalidArgument("unknown setting [" + key +
                                     "] please check that any required plugins are installed, or check the breaking "
                                     "changes documentation for removed settings");
    }
    if (Status s = CheckValue(key, value); !s.ok()) return s;
  }
  if (!static_keys.empty()) {
    std::string list;
    for (const auto& k : static_keys) list += (list.empty() ? "" : ", ") + k;
    return Status::InvalidArgument("Can't update non dynamic settings [[" + list + "]] for open indices [[" +
                                   std::string(index_name) + "]]");
  }
  for (const auto& [key, value] : *update) {
    if (value.is_null()) {
      stored->erase(key);
    } else {
      (*stored)[key] = json::value(AsText(value));  // Elasticsearch keeps setting values as strings
    }
  }
  return json::serialize(Nest(*stored));
}

Result<std::optional<std::chrono::milliseconds>> RefreshIntervalOf(std::string_view settings_json) {
  auto flat = ParseFlat(settings_json, /*allow_empty=*/true);
  if (!flat.ok()) return flat.status();
  auto it = flat->find("index.refresh_interval");
  if (it == flat->end() || it->second.is_null()) return std::optional<std::chrono::milliseconds>();
  if (Status s = CheckValue(it->first, it->second); !s.ok()) return s;
  auto interval = ParseTimeValue(AsText(it->second));
  return std::optional<std::chrono::milliseconds>(interval->count() < 0 ? std::chrono::milliseconds(0) : *interval);
}

}  // namespace ultrasearch
