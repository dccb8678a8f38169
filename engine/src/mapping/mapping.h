// An index's mapping: which fields exist, their types and analyzers, and the stable ordinal each
// field gets for its term prefix and value slot in the text index.
//
// Accepts and prints Elasticsearch's mapping JSON ({"properties":{...}}, multi-fields under
// "fields", "dynamic", "dynamic_templates" with path_match/match/match_mapping_type). Persists
// itself in an internal JSON form that also records ordinals (see docs/storage-format.md).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ultrasearch/analysis.h"
#include "ultrasearch/query.h"
#include "ultrasearch/status.h"

namespace ultrasearch {

enum class FieldType { kText, kKeyword, kLong, kInteger, kShort, kByte, kDouble, kFloat, kBoolean, kDate };

std::string_view FieldTypeName(FieldType type);
std::optional<FieldType> ParseFieldType(std::string_view name);
bool IsNumeric(FieldType type);        // long, integer, short, byte, double, float
bool IsIntegral(FieldType type);       // long, integer, short, byte
bool HasValueSlot(FieldType type);     // everything but text

// The JSON kind of a value met in a document, for dynamic mapping.
enum class JsonKind { kString, kLong, kDouble, kBoolean, kObject };

struct FieldMapping {
  std::string name;  // the name queries use: "name", "name.keyword", "attributes.color"
  std::string path;  // where the value sits in the document: "name" for both name and name.keyword
  FieldType type = FieldType::kKeyword;
  std::string analyzer = "catalog";  // text fields only
  std::string search_analyzer;       // empty: same as analyzer
  double boost = 1.0;                // query-time weight when searched by default
  uint32_t ignore_above = 0;         // keyword: longer values are stored but not indexed; 0: no limit
  uint32_t ordinal = 0;              // stable id; 0 means not yet assigned
  std::vector<FieldMapping> subfields;  // multi-fields ("fields"), each with path == this path

  const std::string& EffectiveSearchAnalyzer() const {
    return search_analyzer.empty() ? analyzer : search_analyzer;
  }
};

struct DynamicTemplate {
  std::string name;
  std::string path_match;          // glob on the dotted path, "*" wildcards; empty: any
  std::string match;               // glob on the last path segment; empty: any
  std::string match_mapping_type;  // "string", "long", "double", "boolean", "date", "*" or empty
  FieldMapping mapping;            // type, analyzer, subfields to use
};

enum class DynamicMode { kTrue, kFalse, kStrict };

class Mapping {
 public:
  // The catalog schema of DESIGN.md, used when index `products` is created without mappings.
  static Mapping ProductsDefault();
  // Parses Elasticsearch mappings JSON ({"properties":...}); empty text gives an empty dynamic
  // mapping. Checks analyzer names against `analyzers`.
  static Result<Mapping> FromElasticsearchJson(std::string_view json, const AnalyzerRegistry& analyzers);
  // The internal persisted form (with ordinals).
  static Result<Mapping> Deserialize(std::string_view data);
  std::string Serialize() const;
  std::string ToElasticsearchJson() const;

  // A field by query name (including subfields such as "name.keyword"); nullptr if unknown.
  const FieldMapping* Find(std::string_view name) const;
  // The top-level field whose value sits at `path` (its subfields hang below it); nullptr if none.
  const FieldMapping* FindByPath(std::string_view path) const;
  bool IsObjectPath(std::string_view path) const { return object_paths_.count(std::string(path)) > 0; }
  DynamicMode dynamic() const { return dynamic_; }

  // The field dynamic mapping creates for a new `path` whose first value has kind `kind`
  // (`sample` is the string value, used for date detection). Ordinals are not yet assigned.
  FieldMapping MapDynamicField(std::string_view path, JsonKind kind, std::string_view sample) const;

  // Adds a field (and its subfields) found by dynamic mapping, assigning ordinals, and records the
  // object paths above it. InvalidArgument if the path conflicts with an existing field or object.
  Status AddField(FieldMapping field);
  // Whether `path` could become a field: false when it or a parent is a leaf field, or it is an object.
  Status CheckNewLeafPath(std::string_view path) const;
  Status CheckNewObjectPath(std::string_view path) const;

  // Text fields with their boosts: the fields a query without explicit fields searches.
  std::vector<FieldBoost> DefaultSearchFields() const;
  // Every field, subfields included, in ordinal order.
  std::vector<const FieldMapping*> AllFields() const;

  // Bumped by every AddField; lets writers detect that a snapshot they analysed against is stale.
  uint64_t generation() const { return generation_; }

 private:
  void Reindex();  // rebuilds the lookup tables after fields_ changes
  Status AddParsedField(FieldMapping field);

  std::vector<FieldMapping> fields_;  // top-level leaf fields by path, with their subfields
  std::set<std::string, std::less<>> object_paths_;
  std::vector<DynamicTemplate> dynamic_templates_;
  DynamicMode dynamic_ = DynamicMode::kTrue;
  bool date_detection_ = true;
  uint32_t next_ordinal_ = 1;
  uint64_t generation_ = 0;
  std::map<std::string, size_t, std::less<>> by_path_;                  // path -> fields_ index
  std::map<std::string, std::pair<size_t, int>, std::less<>> by_name_;  // name -> (index, sub or -1)

  friend class MappingCodec;
};

// Parses "2023-04-05", "2023-04-05T12:34:56Z", "2023-04-05T12:34:56.789+05:00" (Elasticsearch's
// strict_date_optional_time) into epoch milliseconds.
std::optional<int64_t> ParseIsoDate(std::string_view text);
// A bound of a date field: ISO 8601 or epoch milliseconds.
std::optional<int64_t> ParseDateOrEpochMillis(std::string_view text);
std::string FormatIsoDate(int64_t epoch_millis);

}  // namespace ultrasearch
