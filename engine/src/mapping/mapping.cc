#include "mapping/mapping.h"

#include <boost/json.hpp>

#include "ultrasearch/wildcard.h"

namespace json = boost::json;

namespace ultrasearch {

namespace {

constexpr std::pair<FieldType, std::string_view> kTypeNames[] = {
    {FieldType::kText, "text"},       {FieldType::kKeyword, "keyword"}, {FieldType::kLong, "long"},
    {FieldType::kInteger, "integer"}, {FieldType::kShort, "short"},     {FieldType::kByte, "byte"},
    {FieldType::kDouble, "double"},   {FieldType::kFloat, "float"},     {FieldType::kBoolean, "boolean"},
    {FieldType::kDate, "date"},
};

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

// Reads one leaf field's parameters (type already known) from its ES JSON object.
Status ParseLeafParams(const json::object& spec, const std::string& name, const AnalyzerRegistry& analyzers,
                       FieldMapping* field) {
  for (const auto& [key, value] : spec) {
    if (key == "type" || key == "fields" || key == "index" || key == "doc_values" || key == "store" ||
        key == "format" || key == "norms" || key == "similarity" || key == "coerce") {
      continue;
    }
    if (key == "analyzer" || key == "search_analyzer") {
      if (!value.is_string()) return Status::InvalidArgument("[" + std::string(key) + "] must be a string");
      std::string analyzer(value.as_string());
      if (analyzers.Find(analyzer) == nullptr) {
        return Status::InvalidArgument("analyzer [" + analyzer + "] has not been configured in mappings");
      }
      (key == "analyzer" ? field->analyzer : field->search_analyzer) = analyzer;
    } else if (key == "boost") {
      if (!value.is_number()) return Status::InvalidArgument("[boost] on field [" + name + "] must be a number");
      field->boost = value.to_number<double>();
    } else if (key == "ignore_above") {
      if (!value.is_int64() || value.as_int64() < 0) {
        return Status::InvalidArgument("[ignore_above] on field [" + name + "] must be a non-negative integer");
      }
      field->ignore_above = static_cast<uint32_t>(value.as_int64());
    } else {
      return Status::InvalidArgument("unknown parameter [" + std::string(key) + "] on mapper [" + name +
                                     "] of type [" + std::string(FieldTypeName(field->type)) + "]");
    }
  }
  return Status::OK();
}

Result<FieldMapping> ParseLeaf(const json::object& spec, const std::string& path, const AnalyzerRegistry& analyzers,
                               bool allow_subfields) {
  FieldMapping field;
  field.name = path;
  field.path = path;
  const json::value* type = spec.if_contains("type");
  if (type == nullptr || !type->is_string()) {
    return Status::InvalidArgument("No type specified for field [" + path + "]");
  }
  auto parsed = ParseFieldType(type->as_string());
  if (!parsed) {
    return Status::InvalidArgument("No handler for type [" + std::string(type->as_string()) +
                                   "] declared on field [" + path + "]");
  }
  field.type = *parsed;
  Status s = ParseLeafParams(spec, path, analyzers, &field);
  if (!s.ok()) return s;
  if (const json::value* subs = spec.if_contains("fields")) {
    if (!allow_subfields || !subs->is_object()) {
      return Status::InvalidArgument("[fields] on field [" + path + "] must be an object of leaf fields");
    }
    for (const auto& [sub_name, sub_spec] : subs->as_object()) {
      if (!sub_spec.is_object()) return Status::InvalidArgument("[fields." + std::string(sub_name) + "] must be an object");
      auto sub = ParseLeaf(sub_spec.as_object(), path + "." + std::string(sub_name), analyzers, false);
      if (!sub.ok()) return sub.status();
      sub->path = path;
      field.subfields.push_back(std::move(sub.value()));
    }
  }
  return field;
}

json::object LeafToJson(const FieldMapping& field) {
  json::object out;
  out["type"] = FieldTypeName(field.type);
  if (field.type == FieldType::kText) {
    out["analyzer"] = field.analyzer;
    if (!field.search_analyzer.empty()) out["search_analyzer"] = field.search_analyzer;
  }
  if (field.boost != 1.0) out["boost"] = field.boost;
  if (field.ignore_above != 0) out["ignore_above"] = field.ignore_above;
  if (!field.subfields.empty()) {
    json::object subs;
    for (const auto& sub : field.subfields) subs[std::string(LastSegment(sub.name))] = LeafToJson(sub);
    out["fields"] = std::move(subs);
  }
  return out;
}

// Internal form keeps ordinals; it is the ES form of each leaf plus "name", "path", "ordinal".
json::object LeafToInternal(const FieldMapping& field) {
  json::object out = LeafToJson(field);
  out.erase("fields");
  out["name"] = field.name;
  out["path"] = field.path;
  out["ordinal"] = field.ordinal;
  if (!field.subfields.empty()) {
    json::array subs;
    for (const auto& sub : field.subfields) subs.push_back(LeafToInternal(sub));
    out["subfields"] = std::move(subs);
  }
  return out;
}

Result<FieldMapping> LeafFromInternal(const json::object& obj) {
  FieldMapping field;
  try {
    field.name = std::string(obj.at("name").as_string());
    field.path = std::string(obj.at("path").as_string());
    auto type = ParseFieldType(obj.at("type").as_string());
    if (!type) return Status::Corruption("stored mapping has an unknown type for " + field.name);
    field.type = *type;
    field.ordinal = static_cast<uint32_t>(obj.at("ordinal").to_number<int64_t>());
    if (auto* v = obj.if_contains("analyzer")) field.analyzer = std::string(v->as_string());
    if (auto* v = obj.if_contains("search_analyzer")) field.search_analyzer = std::string(v->as_string());
    if (auto* v = obj.if_contains("boost")) field.boost = v->to_number<double>();
    if (auto* v = obj.if_contains("ignore_above")) field.ignore_above = static_cast<uint32_t>(v->to_number<int64_t>());
    if (auto* v = obj.if_contains("subfields")) {
      for (const auto& sub : v->as_array()) {
        auto parsed = LeafFromInternal(sub.as_object());
        if (!parsed.ok()) return parsed.status();
        field.subfields.push_back(std::move(parsed.value()));
      }
    }
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("stored mapping is malformed: ") + e.what());
  }
  return field;
}

json::object TemplateToJson(const DynamicTemplate& t) {
  json::object body;
  if (!t.path_match.empty()) body["path_match"] = t.path_match;
  if (!t.match.empty()) body["match"] = t.match;
  if (!t.match_mapping_type.empty()) body["match_mapping_type"] = t.match_mapping_type;
  body["mapping"] = LeafToJson(t.mapping);
  json::object wrapper;
  wrapper[t.name] = std::move(body);
  return wrapper;
}

Result<DynamicTemplate> TemplateFromJson(const json::value& value, const AnalyzerRegistry& analyzers) {
  if (!value.is_object() || value.as_object().size() != 1) {
    return Status::InvalidArgument("each dynamic template must be an object with a single named entry");
  }
  const auto& [name, body_value] = *value.as_object().begin();
  if (!body_value.is_object()) return Status::InvalidArgument("dynamic template [" + std::string(name) + "] must be an object");
  const auto& body = body_value.as_object();
  DynamicTemplate t;
  t.name = std::string(name);
  auto read = [&](const char* key, std::string* out) -> Status {
    if (auto* v = body.if_contains(key)) {
      if (!v->is_string()) return Status::InvalidArgument(std::string("[") + key + "] must be a string");
      *out = std::string(v->as_string());
    }
    return Status::OK();
  };
  const std::pair<const char*, std::string*> keys[] = {
      {"path_match", &t.path_match}, {"match", &t.match}, {"match_mapping_type", &t.match_mapping_type}};
  for (const auto& [key, out] : keys) {
    Status s = read(key, out);
    if (!s.ok()) return s;
  }
  const json::value* mapping = body.if_contains("mapping");
  if (mapping == nullptr || !mapping->is_object()) {
    return Status::InvalidArgument("dynamic template [" + t.name + "] has no [mapping]");
  }
  auto leaf = ParseLeaf(mapping->as_object(), "{dynamic}", analyzers, true);
  if (!leaf.ok()) return leaf.status();
  t.mapping = std::move(leaf.value());
  return t;
}

}  // namespace

std::string_view FieldTypeName(FieldType type) {
  for (const auto& [t, name] : kTypeNames) {
    if (t == type) return name;
  }
  return "unknown";
}

std::optional<FieldType> ParseFieldType(std::string_view name) {
  for (const auto& [t, n] : kTypeNames) {
    if (n == name) return t;
  }
  return std::nullopt;
}

bool IsIntegral(FieldType type) {
  return type == FieldType::kLong || type == FieldType::kInteger || type == FieldType::kShort ||
         type == FieldType::kByte;
}
bool IsNumeric(FieldType type) { return IsIntegral(type) || type == FieldType::kDouble || type == FieldType::kFloat; }
bool HasValueSlot(FieldType type) { return type != FieldType::kText; }

Mapping Mapping::ProductsDefault() {
  auto text = [](std::string name, double boost) {
    FieldMapping f;
    f.name = f.path = std::move(name);
    f.type = FieldType::kText;
    f.analyzer = "catalog";
    f.boost = boost;
    return f;
  };
  auto typed = [](std::string name, FieldType type) {
    FieldMapping f;
    f.name = f.path = std::move(name);
    f.type = type;
    return f;
  };
  Mapping m;
  // Products are searched by name first; descriptions are long and mention other products.
  std::vector<FieldMapping> fields = {
      typed("id", FieldType::kKeyword),        text("name", 3.0),
      text("description", 1.0),                typed("category", FieldType::kKeyword),
      typed("category_path", FieldType::kKeyword), typed("brand", FieldType::kKeyword),
      typed("tags", FieldType::kKeyword),      typed("currency", FieldType::kKeyword),
      typed("lang", FieldType::kKeyword),      typed("price", FieldType::kDouble),
      typed("rating", FieldType::kDouble),     typed("reviews", FieldType::kInteger),
      typed("in_stock", FieldType::kBoolean),  typed("created_at", FieldType::kDate),
  };
  for (auto& f : fields) m.AddField(std::move(f)).PermitUncheckedError();
  m.object_paths_.insert("attributes");
  DynamicTemplate attributes;
  attributes.name = "attributes_as_keywords";
  attributes.path_match = "attributes.*";
  attributes.mapping.type = FieldType::kKeyword;
  attributes.mapping.ignore_above = 256;
  m.dynamic_templates_.push_back(std::move(attributes));
  m.generation_ = 0;
  return m;
}

Result<Mapping> Mapping::FromElasticsearchJson(std::string_view text, const AnalyzerRegistry& analyzers) {
  Mapping m;
  if (text.empty()) return m;
  boost::system::error_code ec;
  json::parse_options opts;
  opts.max_depth = 64;
  json::value root = json::parse(text, ec, {}, opts);
  if (ec || !root.is_object()) return Status::InvalidArgument("mappings must be a JSON object");
  const json::object& obj = root.as_object();
  for (const auto& [key, value] : obj) {
    if (key == "dynamic") {
      if (value.is_bool()) {
        m.dynamic_ = value.as_bool() ? DynamicMode::kTrue : DynamicMode::kFalse;
      } else if (value.is_string() && (value.as_string() == "strict" || value.as_string() == "true" ||
                                       value.as_string() == "false")) {
        m.dynamic_ = value.as_string() == "strict" ? DynamicMode::kStrict
                     : value.as_string() == "true" ? DynamicMode::kTrue
                                                   : DynamicMode::kFalse;
      } else {
        return Status::InvalidArgument("[dynamic] must be true, false or \"strict\"");
      }
    } else if (key == "date_detection") {
      if (!value.is_bool()) return Status::InvalidArgument("[date_detection] must be a boolean");
      m.date_detection_ = value.as_bool();
    } else if (key == "dynamic_templates") {
      if (!value.is_array()) return Status::InvalidArgument("[dynamic_templates] must be an array");
      for (const auto& t : value.as_array()) {
        auto parsed = TemplateFromJson(t, analyzers);
        if (!parsed.ok()) return parsed.status();
        m.dynamic_templates_.push_back(std::move(parsed.value()));
      }
    } else if (key == "properties") {
      if (!value.is_object()) return Status::InvalidArgument("[properties] must be an object");
      // Walk nested objects iteratively: (parent path, properties object).
      std::vector<std::pair<std::string, const json::object*>> pending{{"", &value.as_object()}};
      while (!pending.empty()) {
        auto [parent, props] = pending.back();
        pending.pop_back();
        for (const auto& [name, spec] : *props) {
          std::string path = JoinPath(parent, name);
          if (name.empty() || !spec.is_object()) {
            return Status::InvalidArgument("Expected map for property [fields] on field [" + path + "]");
          }
          const auto& spec_obj = spec.as_object();
          const json::value* type = spec_obj.if_contains("type");
          bool is_object = (type == nullptr && spec_obj.contains("properties")) ||
                           (type != nullptr && type->is_string() &&
                            (type->as_string() == "object" || type->as_string() == "nested"));
          if (is_object) {
            m.object_paths_.insert(path);
            if (const json::value* sub = spec_obj.if_contains("properties")) {
              if (!sub->is_object()) return Status::InvalidArgument("[properties] of [" + path + "] must be an object");
              pending.emplace_back(path, &sub->as_object());
            }
            continue;
          }
          auto leaf = ParseLeaf(spec_obj, path, analyzers, true);
          if (!leaf.ok()) return leaf.status();
          Status s = m.AddParsedField(std::move(leaf.value()));
          if (!s.ok()) return s;
        }
      }
    } else if (key == "_source" || key == "_meta" || key == "_routing") {
      continue;  // accepted and ignored: the source is always stored in full
    } else {
      return Status::InvalidArgument("Root mapping definition has unsupported parameters: [" + std::string(key) + "]");
    }
  }
  m.generation_ = 0;
  return m;
}

Status Mapping::AddParsedField(FieldMapping field) {
  // Parent objects of a dotted path are implied, as in Elasticsearch.
  for (size_t dot = field.path.find('.'); dot != std::string::npos; dot = field.path.find('.', dot + 1)) {
    object_paths_.insert(field.path.substr(0, dot));
  }
  return AddField(std::move(field));
}

Status Mapping::CheckNewLeafPath(std::string_view path) const {
  if (by_path_.count(path) || object_paths_.count(path)) {
    return Status::InvalidArgument("mapper [" + std::string(path) + "] cannot be changed from type [object] to a value");
  }
  for (size_t dot = path.find('.'); dot != std::string_view::npos; dot = path.find('.', dot + 1)) {
    if (by_path_.count(path.substr(0, dot))) {
      return Status::InvalidArgument("Could not dynamically add mapping for field [" + std::string(path) +
                                     "]. Existing mapping for [" + std::string(path.substr(0, dot)) +
                                     "] must be of type object but found [" +
                                     std::string(FieldTypeName(fields_[by_path_.find(path.substr(0, dot))->second].type)) + "].");
    }
  }
  return Status::OK();
}

Status Mapping::CheckNewObjectPath(std::string_view path) const {
  for (size_t end = path.find('.'); ; end = path.find('.', end + 1)) {
    std::string_view prefix = end == std::string_view::npos ? path : path.substr(0, end);
    if (by_path_.count(prefix)) {
      return Status::InvalidArgument("Could not dynamically add mapping for field [" + std::string(path) +
                                     "]. Existing mapping for [" + std::string(prefix) +
                                     "] must be of type object but found [" +
                                     std::string(FieldTypeName(fields_[by_path_.find(prefix)->second].type)) + "].");
    }
    if (end == std::string_view::npos) break;
  }
  return Status::OK();
}

Status Mapping::AddField(FieldMapping field) {
  if (by_path_.count(field.path)) return Status::InvalidArgument("field [" + field.path + "] is already mapped");
  if (field.ordinal == 0) field.ordinal = next_ordinal_++;
  for (auto& sub : field.subfields) {
    sub.path = field.path;
    if (sub.ordinal == 0) sub.ordinal = next_ordinal_++;
  }
  next_ordinal_ = std::max(next_ordinal_, field.ordinal + 1);
  for (const auto& sub : field.subfields) next_ordinal_ = std::max(next_ordinal_, sub.ordinal + 1);
  for (size_t dot = field.path.find('.'); dot != std::string::npos; dot = field.path.find('.', dot + 1)) {
    object_paths_.insert(field.path.substr(0, dot));
  }
  fields_.push_back(std::move(field));
  ++generation_;
  Reindex();
  return Status::OK();
}

void Mapping::Reindex() {
  by_path_.clear();
  by_name_.clear();
  for (size_t i = 0; i < fields_.size(); ++i) {
    by_path_[fields_[i].path] = i;
    by_name_[fields_[i].name] = {i, -1};
    for (size_t j = 0; j < fields_[i].subfields.size(); ++j) {
      by_name_[fields_[i].subfields[j].name] = {i, static_cast<int>(j)};
    }
  }
}

const FieldMapping* Mapping::Find(std::string_view name) const {
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return nullptr;
  const FieldMapping& top = fields_[it->second.first];
  return it->second.second < 0 ? &top : &top.subfields[static_cast<size_t>(it->second.second)];
}

const FieldMapping* Mapping::FindByPath(std::string_view path) const {
  auto it = by_path_.find(path);
  return it == by_path_.end() ? nullptr : &fields_[it->second];
}

FieldMapping Mapping::MapDynamicField(std::string_view path, JsonKind kind, std::string_view sample) const {
  bool is_date = kind == JsonKind::kString && date_detection_ && ParseIsoDate(sample).has_value();
  std::string_view kind_name = is_date                       ? "date"
                               : kind == JsonKind::kString  ? "string"
                               : kind == JsonKind::kLong    ? "long"
                               : kind == JsonKind::kDouble  ? "double"
                               : kind == JsonKind::kBoolean ? "boolean"
                                                            : "object";
  for (const auto& t : dynamic_templates_) {
    if (!t.path_match.empty() && !WildcardMatch(t.path_match, path)) continue;
    if (!t.match.empty() && !WildcardMatch(t.match, LastSegment(path))) continue;
    if (!t.match_mapping_type.empty() && t.match_mapping_type != "*" && t.match_mapping_type != kind_name) continue;
    FieldMapping f = t.mapping;
    f.name = f.path = std::string(path);
    for (auto& sub : f.subfields) {
      sub.name = f.name + "." + std::string(LastSegment(sub.name));
      sub.path = f.path;
    }
    return f;
  }
  // Elasticsearch's defaults: strings become text with a keyword multi-field.
  FieldMapping f;
  f.name = f.path = std::string(path);
  if (is_date) {
    f.type = FieldType::kDate;
  } else if (kind == JsonKind::kString) {
    f.type = FieldType::kText;
    f.analyzer = "catalog";
    FieldMapping keyword;
    keyword.name = f.name + ".keyword";
    keyword.path = f.path;
    keyword.type = FieldType::kKeyword;
    keyword.ignore_above = 256;
    f.subfields.push_back(std::move(keyword));
  } else if (kind == JsonKind::kLong) {
    f.type = FieldType::kLong;
  } else if (kind == JsonKind::kDouble) {
    f.type = FieldType::kFloat;
  } else {
    f.type = FieldType::kBoolean;
  }
  return f;
}

std::vector<FieldBoost> Mapping::DefaultSearchFields() const {
  std::vector<FieldBoost> out;
  for (const auto& f : fields_) {
    if (f.type == FieldType::kText) out.push_back({f.name, f.boost});
  }
  return out;
}

std::vector<const FieldMapping*> Mapping::AllFields() const {
  std::vector<const FieldMapping*> out;
  for (const auto& f : fields_) {
    out.push_back(&f);
    for (const auto& sub : f.subfields) out.push_back(&sub);
  }
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->ordinal < b->ordinal; });
  return out;
}

std::string Mapping::ToElasticsearchJson() const {
  json::object root;
  if (dynamic_ != DynamicMode::kTrue) root["dynamic"] = dynamic_ == DynamicMode::kStrict ? "strict" : "false";
  if (!dynamic_templates_.empty()) {
    json::array templates;
    for (const auto& t : dynamic_templates_) templates.push_back(TemplateToJson(t));
    root["dynamic_templates"] = std::move(templates);
  }
  json::object properties;
  // Place each field under its parent objects' "properties".
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
  for (const auto& object_path : object_paths_) {
    json::object& container = container_for(object_path);
    json::value& node = container[LastSegment(object_path)];
    if (!node.is_object()) node = json::object();
    if (!node.as_object().contains("properties")) node.as_object()["properties"] = json::object();
  }
  for (const auto& f : fields_) container_for(f.path)[LastSegment(f.path)] = LeafToJson(f);
  root["properties"] = std::move(properties);
  return json::serialize(root);
}

std::string Mapping::Serialize() const {
  json::object root;
  root["format"] = 1;
  root["dynamic"] = dynamic_ == DynamicMode::kTrue ? "true" : dynamic_ == DynamicMode::kFalse ? "false" : "strict";
  root["date_detection"] = date_detection_;
  root["next_ordinal"] = next_ordinal_;
  json::array fields;
  for (const auto& f : fields_) fields.push_back(LeafToInternal(f));
  root["fields"] = std::move(fields);
  json::array objects;
  for (const auto& o : object_paths_) objects.push_back(json::value(o));
  root["objects"] = std::move(objects);
  json::array templates;
  for (const auto& t : dynamic_templates_) {
    json::object wrapper = TemplateToJson(t);
    templates.push_back(std::move(wrapper));
  }
  root["dynamic_templates"] = std::move(templates);
  return json::serialize(root);
}

Result<Mapping> Mapping::Deserialize(std::string_view data) {
  boost::system::error_code ec;
  json::value root = json::parse(data, ec);
  if (ec || !root.is_object()) return Status::Corruption("stored mapping is not a JSON object");
  Mapping m;
  try {
    const auto& obj = root.as_object();
    std::string_view dynamic = obj.at("dynamic").as_string();
    m.dynamic_ = dynamic == "true" ? DynamicMode::kTrue : dynamic == "false" ? DynamicMode::kFalse : DynamicMode::kStrict;
    m.date_detection_ = obj.at("date_detection").as_bool();
    for (const auto& f : obj.at("fields").as_array()) {
      auto field = LeafFromInternal(f.as_object());
      if (!field.ok()) return field.status();
      m.fields_.push_back(std::move(field.value()));
    }
    for (const auto& o : obj.at("objects").as_array()) m.object_paths_.insert(std::string(o.as_string()));
    // Templates were written by us with known analyzers; parse them against an accept-all registry
    // is not possible, so read them structurally.
    for (const auto& t : obj.at("dynamic_templates").as_array()) {
      const auto& [name, body] = *t.as_object().begin();
      DynamicTemplate dt;
      dt.name = std::string(name);
      const auto& b = body.as_object();
      if (auto* v = b.if_contains("path_match")) dt.path_match = std::string(v->as_string());
      if (auto* v = b.if_contains("match")) dt.match = std::string(v->as_string());
      if (auto* v = b.if_contains("match_mapping_type")) dt.match_mapping_type = std::string(v->as_string());
      const auto& spec = b.at("mapping").as_object();
      auto type = ParseFieldType(spec.at("type").as_string());
      if (!type) return Status::Corruption("stored dynamic template has an unknown type");
      dt.mapping.type = *type;
      if (auto* v = spec.if_contains("analyzer")) dt.mapping.analyzer = std::string(v->as_string());
      if (auto* v = spec.if_contains("ignore_above")) dt.mapping.ignore_above = static_cast<uint32_t>(v->to_number<int64_t>());
      m.dynamic_templates_.push_back(std::move(dt));
    }
    m.next_ordinal_ = static_cast<uint32_t>(obj.at("next_ordinal").to_number<int64_t>());
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("stored mapping is malformed: ") + e.what());
  }
  m.Reindex();
  return m;
}

}  // namespace ultrasearch
