#include "mapping/index_settings.h"

#include <boost/json.hpp>

#include "mapping/mapping_json.h"
#include "ultrasearch/wildcard.h"

namespace json = boost::json;

namespace ultrasearch {

namespace {

constexpr std::string_view kDefaultAnalyzerKey = "analysis.analyzer.default.";

Result<json::object> ParseObject(std::string_view text, std::string_view what) {
  if (text.empty()) return json::object();
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return Status::InvalidArgument(std::string(what) + " must be a JSON object");
  return std::move(v.as_object());
}

// Objects merge key by key with `overlay` winning; any other value of `overlay` replaces.
void MergeInto(json::object* base, const json::object& overlay) {
  for (const auto& [key, value] : overlay) {
    json::value* existing = base->if_contains(key);
    if (existing != nullptr && existing->is_object() && value.is_object()) {
      MergeInto(&existing->as_object(), value.as_object());
    } else {
      (*base)[key] = value;
    }
  }
}

Result<std::string> Merge(std::string_view base, std::string_view overlay, std::string_view what) {
  if (overlay.empty()) return std::string(base);
  if (base.empty()) return std::string(overlay);
  auto merged = ParseObject(base, what);
  if (!merged.ok()) return merged.status();
  auto top = ParseObject(overlay, what);
  if (!top.ok()) return top.status();
  MergeInto(&merged.value(), top.value());
  return json::serialize(merged.value());
}

// Elasticsearch's settings are flat dotted keys; nested objects are a way of writing them.
void Flatten(const json::object& obj, const std::string& prefix, std::vector<std::pair<std::string, json::value>>* out) {
  for (const auto& [key, value] : obj) {
    std::string name = prefix + std::string(key);
    if (value.is_object()) {
      Flatten(value.as_object(), name + ".", out);
    } else {
      out->emplace_back(std::move(name), value);
    }
  }
}

}  // namespace

Result<IndexSettings> ApplyIndexTemplates(std::string_view name, const IndexSettings& request,
                                          const std::vector<IndexTemplate>& templates) {
  const IndexTemplate* best = nullptr;
  for (const auto& t : templates) {
    bool matches = false;
    for (const auto& pattern : t.index_patterns) matches = matches || WildcardMatch(pattern, name);
    if (matches && (best == nullptr || t.priority > best->priority)) best = &t;
  }
  if (best == nullptr) return request;
  IndexSettings out;
  auto mappings = Merge(best->mappings_json, request.mappings_json, "mappings");
  if (!mappings.ok()) return mappings.status();
  auto settings = Merge(best->settings_json, request.settings_json, "settings");
  if (!settings.ok()) return settings.status();
  out.mappings_json = std::move(mappings.value());
  out.settings_json = std::move(settings.value());
  return out;
}

Result<std::string> DefaultAnalyzerFromSettings(std::string_view settings_json, const AnalyzerRegistry& analyzers) {
  auto settings = ParseObject(settings_json, "settings");
  if (!settings.ok()) return settings.status();
  std::vector<std::pair<std::string, json::value>> flat;
  Flatten(settings.value(), "", &flat);
  std::string type;
  for (auto& [key, value] : flat) {
    std::string_view k = key;
    if (k.rfind("index.", 0) == 0) k.remove_prefix(6);
    if (k.rfind(kDefaultAnalyzerKey, 0) != 0) continue;
    k.remove_prefix(kDefaultAnalyzerKey.size());
    if (k != "type") {
      return Status::InvalidArgument("custom analyzer [default] is not supported ([" + key +
                                     "]); set [analysis.analyzer.default.type] to a built-in analyzer");
    }
    if (!value.is_string()) return Status::InvalidArgument("[" + key + "] must be a string");
    type = std::string(value.as_string());
  }
  if (type.empty()) return std::string(kFallbackAnalyzer);
  if (type == "custom") {
    return Status::InvalidArgument("custom analyzer [default] is not supported; set its [type] to a built-in analyzer");
  }
  if (analyzers.Find(type) == nullptr) return Status::InvalidArgument("Unknown analyzer type [" + type + "] for [default]");
  return type;
}

Status ValidateIndexTemplates(const std::vector<IndexTemplate>& templates, const AnalyzerRegistry& analyzers) {
  for (const auto& t : templates) {
    auto fail = [&](const Status& s) {
      return Status::InvalidArgument("index template [" + t.name + "]: " + s.message());
    };
    if (t.index_patterns.empty()) return fail(Status::InvalidArgument("[index_patterns] must not be empty"));
    auto analyzer = DefaultAnalyzerFromSettings(t.settings_json, analyzers);
    if (!analyzer.ok()) return fail(analyzer.status());
    auto mapping = ParseMappingJson(t.mappings_json, analyzers, analyzer.value());
    if (!mapping.ok()) return fail(mapping.status());
  }
  return Status::OK();
}

}  // namespace ultrasearch
