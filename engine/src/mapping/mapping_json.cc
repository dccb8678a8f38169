// Elasticsearch mappings JSON ⇄ the mapping model.
#include "mapping/mapping_json.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include <boost/json.hpp>

namespace json = boost::json;

namespace ultrasearch {

namespace {

constexpr std::string_view kTemplateFieldName = "{dynamic}";
constexpr std::string_view kDynamicTypePlaceholder = "{dynamic_type}";
constexpr std::string_view kMappingTypes[] = {"object", "string", "long", "double", "boolean", "date", "binary", "*"};

std::string JoinPath(std::string_view parent, std::string_view name) {
  if (parent.empty()) return std::string(name);
  std::string out(parent);
  out += '.';
  out += name;
  return out;
}

std::string_view LastSegment(std::string_view path) {
  auto dot = path.rfind('.');
  return dot == std::string_view::npos ? path : path.substr(dot + 1);
}

// Elasticsearch takes booleans in mappings as JSON booleans or the strings "true"/"false".
std::optional<bool> AsBool(const json::value& v) {
  if (v.is_bool()) return v.as_bool();
  if (v.is_string() && (v.as_string() == "true" || v.as_string() == "false")) return v.as_string() == "true";
  return std::nullopt;
}

std::optional<DynamicMode> AsDynamicMode(const json::value& v) {
  if (v.is_bool()) return v.as_bool() ? DynamicMode::kTrue : DynamicMode::kFalse;
  if (v.is_string()) return ParseDynamicMode(v.as_string());
  return std::nullopt;
}

class LeafParser {
 public:
  LeafParser(const AnalyzerRegistry& analyzers, const std::string& default_analyzer)
      : analyzers_(analyzers), default_analyzer_(default_analyzer) {}

  // One leaf field (type already set in *field) from its JSON object.
  Status ParseParams(const json::object& spec, const std::string& name, FieldMapping* field) const {
    for (const auto& [key, value] : spec) {
      Status s = ParseParam(key, value, name, field);
      if (!s.ok()) return s;
    }
    const bool analysed = field->type == FieldType::kText || field->type == FieldType::kCompletion;
    if (analysed && !field->analyzer_declared) field->analyzer = default_analyzer_;
    if (field->search_as_you_type) AddShingleSubfields(field);
    return Status::OK();
  }

  Result<FieldMapping> ParseLeaf(const json::object& spec, const std::string& path, bool allow_subfields) const {
    FieldMapping field;
    field.name = field.path = path;
    const json::value* type = spec.if_contains("type");
    if (type == nullptr || !type->is_string()) {
      return Status::InvalidArgument("No type specified for field [" + path + "]");
    }
    // search_as_you_type is a text field with generated shingle sub-fields (mapping.h).
    const bool search_as_you_type = type->as_string() == "search_as_you_type";
    auto parsed = search_as_you_type ? std::optional<FieldType>(FieldType::kText) : ParseFieldType(type->as_string());
    if (!parsed) {
      return Status::InvalidArgument("No handler for type [" + std::string(type->as_string()) +
                                     "] declared on field [" + path + "]");
    }
    field.type = *parsed;
    field.search_as_you_type = search_as_you_type;
    Status s = ParseParams(spec, path, &field);
    if (!s.ok()) return s;
    if (const json::value* subs = spec.if_contains("fields")) {
      if (!allow_subfields || !subs->is_object()) {
        return Status::InvalidArgument("[fields] on field [" + path + "] must be an object of leaf fields");
      }
      for (const auto& [sub_name, sub_spec] : subs->as_object()) {
        if (!sub_spec.is_object()) {
          return Status::InvalidArgument("[fields." + std::string(sub_name) + "] must be an object");
        }
        auto sub = ParseLeaf(sub_spec.as_object(), path + "." + std::string(sub_name), false);
        if (!sub.ok()) return sub.status();
        sub->path = path;
        field.subfields.push_back(std::move(sub.value()));
      }
    }
    return field;
  }

 private:
  // NAME._2gram … NAME._<max_shingle_size>gram, analysed as their field. Elasticsearch also adds
  // NAME._index_prefix (edge n-grams that make prefixes fast); prefixes here expand from the
  // term dictionary of the field itself (search/prefix_expansion.h), so it is not needed.
  static void AddShingleSubfields(FieldMapping* field) {
    for (uint32_t n = 2; n <= field->max_shingle_size; ++n) {
      FieldMapping shingles;
      shingles.name = field->name + "._" + std::to_string(n) + "gram";
      shingles.path = field->path;
      shingles.type = FieldType::kText;
      shingles.analyzer = field->analyzer;
      shingles.analyzer_declared = field->analyzer_declared;
      shingles.search_analyzer = field->search_analyzer;
      shingles.shingle_size = n;
      field->subfields.push_back(std::move(shingles));
    }
  }

  Status ParseParam(std::string_view key, const json::value& value, const std::string& name,
                    FieldMapping* field) const {
    auto must_be = [&](const char* what) {
      return Status::InvalidArgument(fmt::format("[{}] on field [{}] must be {}", key, name, what));
    };
    if (key == "type" || key == "fields") return Status::OK();
    if (field->type == FieldType::kCompletion &&
        (key == "preserve_separators" || key == "preserve_position_increments" || key == "max_input_length")) {
      // Printed back with their defaults, as Elasticsearch prints them; other values are not
      // implemented (separators are always kept, inputs always cut at 50).
      const bool is_default = key == "max_input_length" ? value.is_int64() && value.as_int64() == 50
                                                        : value.is_bool() && value.as_bool();
      if (!is_default) {
        return Status::InvalidArgument("[" + std::string(key) + "] on completion field [" + name + "] only supports " +
                                       (key == "max_input_length" ? "50" : "true") + " on this server");
      }
      return Status::OK();
    }
    if (key == "max_shingle_size" && field->search_as_you_type) {
      if (!value.is_int64() || value.as_int64() < 2 || value.as_int64() > 4) {
        return Status::InvalidArgument("[max_shingle_size] must be at least [2] and at most [4], got [" +
                                       json::serialize(value) + "]");
      }
      field->max_shingle_size = static_cast<uint32_t>(value.as_int64());
      return Status::OK();
    }
    if (key == "analyzer" || key == "search_analyzer") {
      if (!value.is_string()) return must_be("a string");
      std::string analyzer(value.as_string());
      if (analyzers_.Find(analyzer) == nullptr) {
        return Status::InvalidArgument("analyzer [" + analyzer + "] has not been configured in mappings");
      }
      if (key == "analyzer") {
        field->analyzer = std::move(analyzer);
        field->analyzer_declared = true;
      } else {
        field->search_analyzer = std::move(analyzer);
      }
    } else if (key == "boost") {
      if (!value.is_number()) return must_be("a number");
      // Elasticsearch keeps boosts as 32-bit floats; rounding here also makes the printed value
      // read back as the same number (Boost.JSON 1.81 parses long decimals to the nearest few ulps).
      const float boost = static_cast<float>(value.to_number<double>());
      if (!std::isfinite(boost)) return must_be("a finite number");
      field->boost = static_cast<double>(boost);
    } else if (key == "normalizer") {
      if (!value.is_string()) return must_be("a string");
      if (field->type != FieldType::kKeyword) {
        return Status::InvalidArgument(fmt::format("unknown parameter [normalizer] on mapper [{}] of type [{}]", name,
                                                   FieldTypeName(field->type)));
      }
      std::string normalizer(value.as_string());
      if (analyzers_.FindNormalizer(normalizer) == nullptr) {
        return Status::InvalidArgument("normalizer [" + normalizer + "] not found for field [" + name + "]");
      }
      field->normalizer = std::move(normalizer);
    } else if (key == "ignore_above") {
      if (!value.is_int64() || value.as_int64() < 0 || value.as_int64() > UINT32_MAX) {
        return must_be("a non-negative integer");
      }
      field->ignore_above = static_cast<uint32_t>(value.as_int64());
    } else if (key == "index" || key == "doc_values" || key == "store" || key == "norms" || key == "coerce") {
      auto b = AsBool(value);
      if (!b) return must_be("a boolean");
      std::optional<bool>* target = key == "index"        ? &field->index
                                    : key == "doc_values" ? &field->doc_values
                                    : key == "store"      ? &field->store
                                    : key == "norms"      ? &field->norms
                                                          : &field->coerce;
      *target = *b;
    } else if (key == "index_options" && (field->type == FieldType::kText || field->type == FieldType::kKeyword)) {
      // Elasticsearch's wording; keyword terms have no positions to give.
      const bool text = field->type == FieldType::kText;
      auto options = value.is_string() ? ParseIndexOptions(value.as_string()) : std::nullopt;
      if (!options || (!text && *options > IndexOptions::kFreqs)) {
        return Status::InvalidArgument(fmt::format("Unknown value [{}] for field [index_options] - accepted values are [{}]",
                                                   value.is_string() ? std::string(value.as_string()) : json::serialize(value),
                                                   text ? "docs, freqs, positions, offsets" : "docs, freqs"));
      }
      field->index_options = *options;
    } else if (key == "format" || key == "similarity") {
      if (!value.is_string()) return must_be("a string");
      (key == "format" ? field->format : field->similarity) = std::string(value.as_string());
    } else if (key == "null_value") {
      if (value.is_object() || value.is_array()) return must_be("a scalar");
      if (!value.is_null()) field->null_value_json = json::serialize(value);
    } else {
      return Status::InvalidArgument("unknown parameter [" + std::string(key) + "] on mapper [" + name +
                                     "] of type [" + std::string(FieldTypeName(field->type)) + "]");
    }
    return Status::OK();
  }

  const AnalyzerRegistry& analyzers_;
  const std::string& default_analyzer_;
};

Result<DynamicTemplate> ParseTemplate(const json::value& value, const LeafParser& leaves) {
  if (!value.is_object() || value.as_object().size() != 1) {
    return Status::InvalidArgument("each dynamic template must be an object with a single named entry");
  }
  const auto& [name, body_value] = *value.as_object().begin();
  if (!body_value.is_object()) {
    return Status::InvalidArgument("dynamic template [" + std::string(name) + "] must be an object");
  }
  DynamicTemplate t;
  t.name = std::string(name);
  const json::value* mapping = nullptr;
  for (const auto& [key, v] : body_value.as_object()) {
    std::string* target = key == "match"                ? &t.match
                          : key == "unmatch"            ? &t.unmatch
                          : key == "path_match"         ? &t.path_match
                          : key == "path_unmatch"       ? &t.path_unmatch
                          : key == "match_mapping_type" ? &t.match_mapping_type
                                                        : nullptr;
    if (target != nullptr) {
      if (!v.is_string()) {
        return Status::InvalidArgument(fmt::format("[{}] of dynamic template [{}] must be a string", key, t.name));
      }
      *target = std::string(v.as_string());
    } else if (key == "match_pattern") {
      if (!v.is_string() || v.as_string() != "simple") {
        return Status::InvalidArgument("[match_pattern] of dynamic template [" + t.name +
                                       "]: only \"simple\" patterns are supported");
      }
    } else if (key == "mapping") {
      mapping = &v;
    } else {
      return Status::InvalidArgument("Illegal dynamic template parameter: [" + std::string(key) + "]");
    }
  }
  if (!t.match_mapping_type.empty() &&
      std::find(std::begin(kMappingTypes), std::end(kMappingTypes), t.match_mapping_type) == std::end(kMappingTypes)) {
    return Status::InvalidArgument("No field type matched on [" + t.match_mapping_type +
                                   "], possible values are [object, string, long, double, boolean, date, binary]");
  }
  if (mapping == nullptr || !mapping->is_object()) {
    return Status::InvalidArgument("template [" + t.name + "] must have either mapping or runtime set");
  }
  json::object spec = mapping->as_object();
  const json::value* type = spec.if_contains("type");
  if (type == nullptr || (type->is_string() && type->as_string() == kDynamicTypePlaceholder)) {
    // The type comes from the value; parse the parameters as for text, the most permissive type.
    t.type_source = type == nullptr ? TemplateType::kDetected : TemplateType::kDynamicType;
    spec["type"] = "text";
  }
  auto leaf = leaves.ParseLeaf(spec, std::string(kTemplateFieldName), true);
  if (!leaf.ok()) return leaf.status();
  t.mapping = std::move(leaf.value());
  return t;
}

Status ParseProperties(const json::object& root_properties, const LeafParser& leaves, Mapping* m) {
  // Walk nested objects iteratively: (parent path, properties object).
  std::vector<std::pair<std::string, const json::object*>> pending{{"", &root_properties}};
  while (!pending.empty()) {
    auto [parent, props] = pending.front();
    pending.erase(pending.begin());
    for (const auto& [name, spec] : *props) {
      std::string path = JoinPath(parent, name);
      if (name.empty() || !spec.is_object()) {
        return Status::InvalidArgument("Expected map for property [fields] on field [" + path + "]");
      }
      // A dotted name is an object path; an empty step in it has no object to resolve to.
      if (name.front() == '.' || name.back() == '.' || name.find("..") != std::string::npos) {
        return Status::InvalidArgument("Invalid field name [" + std::string(name) +
                                       "]: field name starting or ending with a [.] or containing [..] makes object "
                                       "resolution ambiguous");
      }
      if (std::count(path.begin(), path.end(), '.') + 1 > static_cast<std::ptrdiff_t>(kMaxFieldDepth)) {
        return Status::InvalidArgument("Limit of mapping depth [" + std::to_string(kMaxFieldDepth) +
                                       "] has been exceeded due to object field [" + path + "]");
      }
      const auto& spec_obj = spec.as_object();
      const json::value* type = spec_obj.if_contains("type");
      bool is_object = (type == nullptr && spec_obj.contains("properties")) ||
                       (type != nullptr && type->is_string() &&
                        (type->as_string() == "object" || type->as_string() == "nested"));
      if (!is_object) {
        auto leaf = leaves.ParseLeaf(spec_obj, path, true);
        if (!leaf.ok()) return leaf.status();
        Status s = m->AddField(std::move(leaf.value()));
        if (!s.ok()) return s;
        continue;
      }
      ObjectMapping object;
      object.nested = type != nullptr && type->as_string() == "nested";
      for (const auto& [key, v] : spec_obj) {
        if (key == "type") continue;
        if (key == "dynamic") {
          object.dynamic = AsDynamicMode(v);
          if (!object.dynamic) return Status::InvalidArgument("[dynamic] of [" + path + "] must be true, false or \"strict\"");
        } else if (key == "properties") {
          if (!v.is_object()) return Status::InvalidArgument("[properties] of [" + path + "] must be an object");
          pending.emplace_back(path, &v.as_object());
        } else {
          return Status::InvalidArgument("unknown parameter [" + std::string(key) + "] on mapper [" + path +
                                         "] of type [" + (object.nested ? "nested" : "object") + "]");
        }
      }
      m->AddObject(path, object);
    }
  }
  return Status::OK();
}

// --- printing ----------------------------------------------------------------------------------

json::object LeafToJson(const FieldMapping& field) {
  json::object out;
  out["type"] = field.search_as_you_type ? std::string_view("search_as_you_type") : FieldTypeName(field.type);
  if (field.search_as_you_type && field.max_shingle_size != 3) out["max_shingle_size"] = field.max_shingle_size;
  if (field.type == FieldType::kCompletion) {
    // Elasticsearch prints a completion field's analysis parameters whether declared or not.
    out["analyzer"] = field.analyzer;
    out["preserve_separators"] = true;
    out["preserve_position_increments"] = true;
    out["max_input_length"] = 50;
  }
  if (field.analyzer_declared) out["analyzer"] = field.analyzer;
  if (!field.search_analyzer.empty()) out["search_analyzer"] = field.search_analyzer;
  if (field.boost != 1.0) out["boost"] = field.boost;
  if (field.ignore_above != 0) out["ignore_above"] = field.ignore_above;
  if (!field.normalizer.empty()) out["normalizer"] = field.normalizer;
  if (field.index_options) out["index_options"] = IndexOptionsName(*field.index_options);
  const std::pair<const char*, const std::optional<bool>*> flags[] = {
      {"index", &field.index}, {"doc_values", &field.doc_values}, {"store", &field.store},
      {"norms", &field.norms}, {"coerce", &field.coerce}};
  for (const auto& [key, flag] : flags) {
    if (flag->has_value()) out[key] = **flag;
  }
  if (field.format) out["format"] = *field.format;
  if (field.similarity) out["similarity"] = *field.similarity;
  if (field.null_value_json) {
    boost::system::error_code ec;
    json::value v = json::parse(*field.null_value_json, ec);
    if (!ec) out["null_value"] = std::move(v);
  }
  json::object subs;
  for (const auto& sub : field.subfields) {
    if (sub.shingle_size == 0) subs[LastSegment(sub.name)] = LeafToJson(sub);  // generated ones stay hidden
  }
  if (!subs.empty()) out["fields"] = std::move(subs);
  return out;
}

json::object TemplateToJson(const DynamicTemplate& t) {
  json::object body;
  const std::pair<const char*, const std::string*> keys[] = {
      {"match", &t.match},           {"unmatch", &t.unmatch},           {"path_match", &t.path_match},
      {"path_unmatch", &t.path_unmatch}, {"match_mapping_type", &t.match_mapping_type}};
  for (const auto& [key, value] : keys) {
    if (!value->empty()) body[key] = *value;
  }
  json::object mapping = LeafToJson(t.mapping);
  if (t.type_source == TemplateType::kDetected) mapping.erase("type");
  if (t.type_source == TemplateType::kDynamicType) mapping["type"] = kDynamicTypePlaceholder;
  body["mapping"] = std::move(mapping);
  json::object wrapper;
  wrapper[t.name] = std::move(body);
  return wrapper;
}

}  // namespace

Result<Mapping> ParseMappingJson(std::string_view text, const AnalyzerRegistry& analyzers,
                                 const std::string& default_analyzer) {
  Mapping m(default_analyzer);
  if (text.empty()) return m;
  boost::system::error_code ec;
  json::parse_options opts;
  opts.max_depth = 64;
  json::value root = json::parse(text, ec, {}, opts);
  if (ec || !root.is_object()) return Status::InvalidArgument("mappings must be a JSON object");
  LeafParser leaves(analyzers, default_analyzer);
  for (const auto& [key, value] : root.as_object()) {
    if (key == "dynamic") {
      auto mode = AsDynamicMode(value);
      if (!mode) return Status::InvalidArgument("[dynamic] must be true, false or \"strict\"");
      m.set_dynamic(*mode);
    } else if (key == "date_detection") {
      auto on = AsBool(value);
      if (!on) return Status::InvalidArgument("[date_detection] must be a boolean");
      m.set_date_detection(*on);
    } else if (key == "dynamic_templates") {
      if (!value.is_array()) return Status::InvalidArgument("[dynamic_templates] must be an array");
      for (const auto& t : value.as_array()) {
        auto parsed = ParseTemplate(t, leaves);
        if (!parsed.ok()) return parsed.status();
        m.AddDynamicTemplate(std::move(parsed.value()));
      }
    } else if (key == "properties") {
      if (!value.is_object()) return Status::InvalidArgument("[properties] must be an object");
      Status s = ParseProperties(value.as_object(), leaves, &m);
      if (!s.ok()) return s;
    } else if (key == "_source" || key == "_meta" || key == "_routing") {
      continue;  // accepted and ignored: the source is always stored in full
    } else {
      return Status::InvalidArgument("Root mapping definition has unsupported parameters: [" + std::string(key) + "]");
    }
  }
  m.ResetGeneration();
  return m;
}

std::string MappingToJson(const Mapping& mapping) {
  json::object root;
  if (mapping.dynamic() != DynamicMode::kTrue) root["dynamic"] = DynamicModeName(mapping.dynamic());
  if (!mapping.date_detection()) root["date_detection"] = false;
  if (!mapping.dynamic_templates().empty()) {
    json::array templates;
    for (const auto& t : mapping.dynamic_templates()) templates.push_back(TemplateToJson(t));
    root["dynamic_templates"] = std::move(templates);
  }
  json::object properties;
  // The "properties" object that holds the entry for `path`, creating parent objects on the way.
  auto container_for = [&](std::string_view path) -> json::object& {
    json::object* current = &properties;
    size_t start = 0;
    for (size_t dot = path.find('.'); dot != std::string_view::npos; dot = path.find('.', start)) {
      json::value& parent = (*current)[path.substr(start, dot - start)];
      if (!parent.is_object()) parent = json::object();
      json::value& props = parent.as_object()["properties"];
      if (!props.is_object()) props = json::object();
      current = &props.as_object();
      start = dot + 1;
    }
    return *current;
  };
  // std::map order puts every object before the objects inside it.
  for (const auto& [path, object] : mapping.objects()) {
    json::value& node = container_for(path)[LastSegment(path)];
    if (!node.is_object()) node = json::object();
    json::object& obj = node.as_object();
    if (object.nested) obj["type"] = "nested";
    if (object.dynamic) obj["dynamic"] = DynamicModeName(*object.dynamic);
    if (!obj.contains("properties")) obj["properties"] = json::object();
  }
  for (const auto& f : mapping.fields()) container_for(f.path)[LastSegment(f.path)] = LeafToJson(f);
  root["properties"] = std::move(properties);
  return json::serialize(root);
}

}  // namespace ultrasearch
