#include "mapping/mapping_merge.h"

#include <boost/json.hpp>

#include "mapping/mapping_json.h"

namespace json = boost::json;

namespace ultrasearch {
namespace {

Status Conflict(const FieldMapping& field, std::string_view parameter, std::string_view from, std::string_view to) {
  return Status::InvalidArgument("Mapper for [" + field.name + "] conflicts with existing mapper:\n\tCannot update parameter [" +
                                 std::string(parameter) + "] from [" + std::string(from) + "] to [" + std::string(to) +
                                 "]");
}

// A field given again: the same type and analyzers, and no subfields the existing one lacks.
Status CheckSameField(const FieldMapping& existing, const FieldMapping& given) {
  if (existing.type != given.type) {
    return Status::InvalidArgument("mapper [" + existing.name + "] cannot be changed from type [" +
                                   std::string(FieldTypeName(existing.type)) + "] to [" +
                                   std::string(FieldTypeName(given.type)) + "]");
  }
  if (given.type == FieldType::kText) {
    // An update that names no analyzer means the index default, which is what the field has
    // unless it declared one.
    if (given.analyzer != existing.analyzer) return Conflict(existing, "analyzer", existing.analyzer, given.analyzer);
    if (given.EffectiveSearchAnalyzer() != existing.EffectiveSearchAnalyzer()) {
      return Conflict(existing, "search_analyzer", existing.EffectiveSearchAnalyzer(), given.EffectiveSearchAnalyzer());
    }
  }
  if (given.type == FieldType::kText || given.type == FieldType::kKeyword) {
    // Documents already indexed keep what they were indexed with: the option cannot change.
    auto name = [&](const FieldMapping& f) {
      return std::string(IndexOptionsName(f.index_options.value_or(
          f.type == FieldType::kText ? IndexOptions::kPositions : IndexOptions::kDocs)));
    };
    if (name(given) != name(existing)) return Conflict(existing, "index_options", name(existing), name(given));
  }
  for (const FieldMapping& sub : given.subfields) {
    const FieldMapping* same = nullptr;
    for (const FieldMapping& e : existing.subfields) {
      if (e.name == sub.name) same = &e;
    }
    if (same == nullptr) {
      return Status::InvalidArgument("adding the multi-field [" + sub.name + "] to the existing field [" + existing.name +
                                     "] is not supported; reindex into a new index with the new mapping");
    }
    if (Status s = CheckSameField(*same, sub); !s.ok()) return s;
  }
  return Status::OK();
}

}  // namespace

Result<Mapping> MergeMappingUpdate(const Mapping& current, std::string_view update_json,
                                   const AnalyzerRegistry& analyzers) {
  auto update = ParseMappingJson(update_json, analyzers, current.default_analyzer());
  if (!update.ok()) return update.status();
  // Which root parameters the update names (the parsed model cannot tell a default from a value).
  boost::system::error_code ec;
  json::value raw = json::parse(update_json, ec);
  const json::object* root = ec ? nullptr : raw.if_object();
  if (root == nullptr) return Status::InvalidArgument("the mapping update must be a JSON object");

  Mapping merged = current;
  for (const auto& [path, object] : update->objects()) {
    if (Status s = merged.CheckNewObjectPath(path); !s.ok()) return s;
    if (!merged.IsObjectPath(path) || object.dynamic.has_value()) merged.AddObject(path, object);
  }
  for (const FieldMapping& field : update->fields()) {
    if (const FieldMapping* existing = merged.Find(field.name); existing != nullptr) {
      if (Status s = CheckSameField(*existing, field); !s.ok()) return s;
      continue;
    }
    if (Status s = merged.CheckNewLeafPath(field.path); !s.ok()) return s;
    FieldMapping added = field;
    added.ordinal = 0;  // ordinals are the index's: fresh ones for fields it never had
    for (FieldMapping& sub : added.subfields) sub.ordinal = 0;
    if (Status s = merged.AddField(std::move(added)); !s.ok()) return s;
  }
  if (root->contains("dynamic")) merged.set_dynamic(update->dynamic());
  if (root->contains("date_detection")) merged.set_date_detection(update->date_detection());
  if (root->contains("dynamic_templates")) {
    std::vector<DynamicTemplate> templates = merged.dynamic_templates();
    for (const DynamicTemplate& t : update->dynamic_templates()) {
      auto same = std::find_if(templates.begin(), templates.end(), [&](const DynamicTemplate& e) { return e.name == t.name; });
      if (same != templates.end()) {
        *same = t;
      } else {
        templates.push_back(t);
      }
    }
    merged.ReplaceDynamicTemplates(std::move(templates));
  }
  // Writers that analysed against the old mapping must analyse again, whatever changed.
  merged.BumpGeneration();
  return merged;
}

}  // namespace ultrasearch
