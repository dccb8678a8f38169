// The mapping model: lookups, ordinals and Elasticsearch's dynamic mapping decisions.
#include "mapping/mapping.h"

#include "ultrasearch/wildcard.h"

namespace ultrasearch {

namespace {

constexpr std::pair<FieldType, std::string_view> kTypeNames[] = {
    {FieldType::kText, "text"},       {FieldType::kKeyword, "keyword"}, {FieldType::kLong, "long"},
    {FieldType::kInteger, "integer"}, {FieldType::kShort, "short"},     {FieldType::kByte, "byte"},
    {FieldType::kDouble, "double"},   {FieldType::kFloat, "float"},     {FieldType::kBoolean, "boolean"},
    {FieldType::kDate, "date"},       {FieldType::kCompletion, "completion"},
};

std::string_view LastSegment(std::string_view path) {
  auto dot = path.rfind('.');
  return dot == std::string_view::npos ? path : path.substr(dot + 1);
}

std::string NotAnObjectMessage(std::string_view path, std::string_view prefix, FieldType type) {
  return "Could not dynamically add mapping for field [" + std::string(path) + "]. Existing mapping for [" +
         std::string(prefix) + "] must be of type object but found [" + std::string(FieldTypeName(type)) + "].";
}

// Elasticsearch's default mapping of a new value: strings become text with a keyword multi-field,
// integers long, other numbers float.
FieldType DetectedType(JsonKind kind, bool is_date) {
  if (is_date) return FieldType::kDate;
  switch (kind) {
    case JsonKind::kString: return FieldType::kText;
    case JsonKind::kLong: return FieldType::kLong;
    case JsonKind::kDouble: return FieldType::kFloat;
    default: return FieldType::kBoolean;
  }
}

}  // namespace

std::string_view FieldTypeName(FieldType type) {
  for (const auto& [t, name] : kTypeNames) {
    if (t == type) return name;
  }
  return "unknown";
}

std::string_view IndexOptionsName(IndexOptions options) {
  switch (options) {
    case IndexOptions::kDocs: return "docs";
    case IndexOptions::kFreqs: return "freqs";
    case IndexOptions::kPositions: return "positions";
    case IndexOptions::kOffsets: return "offsets";
  }
  return "positions";
}

std::optional<IndexOptions> ParseIndexOptions(std::string_view name) {
  for (IndexOptions o : {IndexOptions::kDocs, IndexOptions::kFreqs, IndexOptions::kPositions, IndexOptions::kOffsets}) {
    if (IndexOptionsName(o) == name) return o;
  }
  return std::nullopt;
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
bool HasValueSlot(FieldType type) { return type != FieldType::kText && type != FieldType::kCompletion; }

std::string_view DynamicModeName(DynamicMode mode) {
  return mode == DynamicMode::kTrue ? "true" : mode == DynamicMode::kFalse ? "false" : "strict";
}

std::optional<DynamicMode> ParseDynamicMode(std::string_view name) {
  if (name == "true") return DynamicMode::kTrue;
  if (name == "false") return DynamicMode::kFalse;
  if (name == "strict") return DynamicMode::kStrict;
  return std::nullopt;
}

void Mapping::AddParentObjects(std::string_view path) {
  for (size_t dot = path.find('.'); dot != std::string_view::npos; dot = path.find('.', dot + 1)) {
    objects_.try_emplace(std::string(path.substr(0, dot)));
  }
}

void Mapping::AddObject(const std::string& path, ObjectMapping object) {
  AddParentObjects(path);
  objects_[path] = object;
}

void Mapping::ResolveAnalyzers(FieldMapping* field) const {
  const bool analysed = field->type == FieldType::kText || field->type == FieldType::kCompletion;
  if (analysed && !field->analyzer_declared) field->analyzer = default_analyzer_;
  if (!analysed && !field->analyzer_declared) field->analyzer.clear();
  for (auto& sub : field->subfields) ResolveAnalyzers(&sub);
}

Status Mapping::AddField(FieldMapping field) {
  if (by_path_.count(field.path)) return Status::InvalidArgument("field [" + field.path + "] is already mapped");
  // A field cannot sit below another field, nor where an object already holds fields (Elasticsearch:
  // "can't merge a non object mapping with an object mapping").
  for (size_t dot = field.path.find('.'); dot != std::string::npos; dot = field.path.find('.', dot + 1)) {
    if (by_path_.count(field.path.substr(0, dot))) {
      return Status::InvalidArgument("can't merge a non object mapping [" + field.path.substr(0, dot) +
                                     "] with an object mapping [" + field.path + "]");
    }
  }
  const std::string below = field.path + ".";
  for (const auto& existing : fields_) {
    if (existing.path.compare(0, below.size(), below) == 0) {
      return Status::InvalidArgument("can't merge a non object mapping [" + field.path +
                                     "] with an object mapping [" + field.path + "]");
    }
  }
  ResolveAnalyzers(&field);
  if (field.ordinal == 0) field.ordinal = next_ordinal_++;
  for (auto& sub : field.subfields) {
    sub.path = field.path;
    if (sub.ordinal == 0) sub.ordinal = next_ordinal_++;
  }
  next_ordinal_ = std::max(next_ordinal_, field.ordinal + 1);
  for (const auto& sub : field.subfields) next_ordinal_ = std::max(next_ordinal_, sub.ordinal + 1);
  AddParentObjects(field.path);
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

DynamicMode Mapping::DynamicFor(std::string_view object_path) const {
  for (std::string_view path = object_path; !path.empty();) {
    auto it = objects_.find(path);
    if (it != objects_.end() && it->second.dynamic) return *it->second.dynamic;
    auto dot = path.rfind('.');
    path = dot == std::string_view::npos ? std::string_view() : path.substr(0, dot);
  }
  return dynamic_;
}

std::string Mapping::EnclosingObject(std::string_view path) const {
  for (auto dot = path.rfind('.'); dot != std::string_view::npos; dot = path.rfind('.', dot - 1)) {
    if (objects_.count(path.substr(0, dot))) return std::string(path.substr(0, dot));
    if (dot == 0) break;
  }
  return "";
}

Status Mapping::CheckNewLeafPath(std::string_view path) const {
  if (by_path_.count(path) || objects_.count(path)) {
    return Status::InvalidArgument("mapper [" + std::string(path) + "] cannot be changed from type [object] to a value");
  }
  for (size_t dot = path.find('.'); dot != std::string_view::npos; dot = path.find('.', dot + 1)) {
    if (auto it = by_path_.find(path.substr(0, dot)); it != by_path_.end()) {
      return Status::InvalidArgument(NotAnObjectMessage(path, path.substr(0, dot), fields_[it->second].type));
    }
  }
  return Status::OK();
}

Status Mapping::CheckNewObjectPath(std::string_view path) const {
  for (size_t end = path.find('.');; end = path.find('.', end + 1)) {
    std::string_view prefix = end == std::string_view::npos ? path : path.substr(0, end);
    if (auto it = by_path_.find(prefix); it != by_path_.end()) {
      return Status::InvalidArgument(NotAnObjectMessage(path, prefix, fields_[it->second].type));
    }
    if (end == std::string_view::npos) break;
  }
  return Status::OK();
}

FieldMapping Mapping::MapDynamicField(std::string_view path, JsonKind kind, std::string_view sample) const {
  bool is_date = kind == JsonKind::kString && date_detection_ && ParseIsoDate(sample).has_value();
  std::string_view kind_name = is_date                       ? "date"
                               : kind == JsonKind::kString  ? "string"
                               : kind == JsonKind::kLong    ? "long"
                               : kind == JsonKind::kDouble  ? "double"
                               : kind == JsonKind::kBoolean ? "boolean"
                                                            : "object";
  std::string_view leaf_name = LastSegment(path);
  for (const auto& t : dynamic_templates_) {
    if (!t.path_match.empty() && !WildcardMatch(t.path_match, path)) continue;
    if (!t.path_unmatch.empty() && WildcardMatch(t.path_unmatch, path)) continue;
    if (!t.match.empty() && !WildcardMatch(t.match, leaf_name)) continue;
    if (!t.unmatch.empty() && WildcardMatch(t.unmatch, leaf_name)) continue;
    if (!t.match_mapping_type.empty() && t.match_mapping_type != "*" && t.match_mapping_type != kind_name) continue;
    FieldMapping f = t.mapping;
    if (t.type_source != TemplateType::kDeclared) f.type = DetectedType(kind, is_date);
    f.name = f.path = std::string(path);
    for (auto& sub : f.subfields) {
      sub.name = f.name + "." + std::string(LastSegment(sub.name));
      sub.path = f.path;
    }
    ResolveAnalyzers(&f);
    return f;
  }
  FieldMapping f;
  f.name = f.path = std::string(path);
  f.type = DetectedType(kind, is_date);
  if (f.type == FieldType::kText) {
    FieldMapping keyword;
    keyword.name = f.name + ".keyword";
    keyword.path = f.path;
    keyword.type = FieldType::kKeyword;
    keyword.ignore_above = 256;
    f.subfields.push_back(std::move(keyword));
  }
  ResolveAnalyzers(&f);
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

}  // namespace ultrasearch
