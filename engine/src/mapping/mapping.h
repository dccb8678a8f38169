// An index's mapping, the model: which fields exist, their types and analyzers, the stable ordinal
// each field gets for its term prefix and value slot in the text index, the objects above them and
// the rules (dynamic mode, dynamic templates) that add fields for values never seen before.
//
// Two other files translate it: mapping_json.h reads and prints Elasticsearch's mappings JSON,
// mapping_codec.h encodes it for the catalog store. The model keeps every parameter a mapping
// declared (even those the engine accepts but does not act on) so both forms are lossless.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ultrasearch/query.h"
#include "ultrasearch/status.h"

namespace ultrasearch {

// kCompletion is Elasticsearch's `completion` field: its inputs are indexed as whole analysed
// keys for the completion suggester (search/completion_suggester.h), not as searchable words.
enum class FieldType { kText, kKeyword, kLong, kInteger, kShort, kByte, kDouble, kFloat, kBoolean, kDate, kCompletion };

std::string_view FieldTypeName(FieldType type);
std::optional<FieldType> ParseFieldType(std::string_view name);
bool IsNumeric(FieldType type);        // long, integer, short, byte, double, float
bool IsIntegral(FieldType type);       // long, integer, short, byte
bool HasValueSlot(FieldType type);     // everything but text and completion

// Elasticsearch's index_options: what a field's terms record. Text indexes positions by default
// (phrases read them); freqs drops the positions (no phrase queries on the field, a smaller index
// and a faster import) and docs the term frequencies too (every matching word counts once).
// offsets is accepted and indexes positions: highlighting finds offsets by analysing the stored
// text again, whatever this says.
enum class IndexOptions { kDocs, kFreqs, kPositions, kOffsets };
std::string_view IndexOptionsName(IndexOptions options);
std::optional<IndexOptions> ParseIndexOptions(std::string_view name);

// The JSON kind of a value met in a document, for dynamic mapping.
enum class JsonKind { kString, kLong, kDouble, kBoolean, kObject };

// Elasticsearch's analyzer for text fields that name none and whose index settings name no default.
inline constexpr std::string_view kFallbackAnalyzer = "standard";

// Elasticsearch's index.mapping limits: objects nest at most 20 deep (a field's path has at most
// 20 steps), and an index maps at most 1000 fields.
inline constexpr size_t kMaxFieldDepth = 20;
inline constexpr size_t kMaxTotalFields = 1000;

struct FieldMapping {
  std::string name;  // the name queries use: "name", "name.keyword", "attributes.color"
  std::string path;  // where the value sits in the document: "name" for both name and name.keyword
  FieldType type = FieldType::kKeyword;
  // The analyzer that indexes this text field: the declared one, else the index's default (filled
  // in when the field joins a Mapping). Empty for other types.
  std::string analyzer;
  bool analyzer_declared = false;    // the mapping named `analyzer` (GET _mapping shows only those)
  std::string search_analyzer;       // empty: same as analyzer
  double boost = 1.0;                // query-time weight when searched by default
  uint32_t ignore_above = 0;         // keyword: longer values are stored but not indexed; 0: no limit
  // keyword: the normalizer (AnalyzerRegistry::FindNormalizer) of indexed terms and query values;
  // empty: none. Stored values, sorting and aggregation buckets keep the value as written.
  std::string normalizer;
  // Accepted, kept and shown back as declared; the engine does not act on them (yet).
  std::optional<bool> index, doc_values, store, norms, coerce;
  std::optional<std::string> format, similarity;
  std::optional<std::string> null_value_json;  // the declared JSON value, serialized
  // Declared index_options (text: any; keyword: docs or freqs, which change nothing for its
  // boolean terms); unset: the type's default (text: positions).
  std::optional<IndexOptions> index_options;
  uint32_t ordinal = 0;                        // stable id; 0 means not yet assigned
  std::vector<FieldMapping> subfields;         // multi-fields ("fields"), each with path == this path
  // Elasticsearch's search_as_you_type is a text field (type kText, declared as that type) with
  // generated shingle sub-fields NAME._2gram … NAME._<max_shingle_size>gram, which mappings
  // never print. A shingle sub-field indexes each run of shingle_size consecutive words as one
  // term, and its queries are analysed into the same runs (search/shingles.h).
  bool search_as_you_type = false;
  uint32_t max_shingle_size = 3;  // search_as_you_type: 2..4, as Elasticsearch allows
  uint32_t shingle_size = 0;      // a generated shingle sub-field: words per term; 0 otherwise

  const std::string& EffectiveSearchAnalyzer() const {
    return search_analyzer.empty() ? analyzer : search_analyzer;
  }
  // Whether a text field's terms carry positions (phrases) and frequencies (BM25's tf).
  bool IndexesPositions() const { return !index_options || *index_options >= IndexOptions::kPositions; }
  bool IndexesFrequencies() const { return !index_options || *index_options >= IndexOptions::kFreqs; }
};

enum class DynamicMode { kTrue, kFalse, kStrict };
std::string_view DynamicModeName(DynamicMode mode);  // "true", "false", "strict"
std::optional<DynamicMode> ParseDynamicMode(std::string_view name);

// An object field ("type":"object" or "nested", or implied by a dotted path).
struct ObjectMapping {
  bool nested = false;
  std::optional<DynamicMode> dynamic;  // unset: inherited from the enclosing object
};

// How a dynamic template's mapping gives the type of the field it creates.
enum class TemplateType {
  kDeclared,     // "type":"keyword": mapping.type
  kDynamicType,  // "type":"{dynamic_type}": the type dynamic mapping detects
  kDetected,     // no "type": the detected type, as Elasticsearch does
};

struct DynamicTemplate {
  std::string name;
  std::string match, unmatch;            // globs on the field's name (last path segment); empty: any
  std::string path_match, path_unmatch;  // globs on the dotted path; empty: any
  std::string match_mapping_type;        // "string", "long", "double", "boolean", "date", "object", "*" or empty
  TemplateType type_source = TemplateType::kDeclared;
  FieldMapping mapping;  // the parameters (and sub-fields) of the fields it creates; name "{dynamic}"
};

class Mapping {
 public:
  // An empty, dynamic mapping whose text fields default to `default_analyzer`.
  explicit Mapping(std::string default_analyzer = std::string(kFallbackAnalyzer))
      : default_analyzer_(std::move(default_analyzer)) {}

  // --- lookups -------------------------------------------------------------------------------
  // A field by query name (including subfields such as "name.keyword"); nullptr if unknown.
  const FieldMapping* Find(std::string_view name) const;
  // The top-level field whose value sits at `path` (its subfields hang below it); nullptr if none.
  const FieldMapping* FindByPath(std::string_view path) const;
  bool IsObjectPath(std::string_view path) const { return objects_.count(path) > 0; }
  // Text fields with their boosts: the fields a query without explicit fields searches.
  std::vector<FieldBoost> DefaultSearchFields() const;
  // Every field, subfields included, in ordinal order.
  std::vector<const FieldMapping*> AllFields() const;

  // --- dynamic mapping -----------------------------------------------------------------------
  // The root's dynamic mode.
  DynamicMode dynamic() const { return dynamic_; }
  // The dynamic mode that governs new fields inside the object at `object_path` ("" is the root):
  // its own setting, else the nearest enclosing object's, else the root's.
  DynamicMode DynamicFor(std::string_view object_path) const;
  // The deepest mapped object that contains `path` ("" for the root): where a new field at `path`
  // is introduced.
  std::string EnclosingObject(std::string_view path) const;
  // The field dynamic mapping creates for a new `path` whose first value has kind `kind`
  // (`sample` is the string value, used for date detection). Ordinals are not yet assigned.
  FieldMapping MapDynamicField(std::string_view path, JsonKind kind, std::string_view sample) const;
  // Whether `path` could become a field: false when it or a parent is a leaf field, or it is an object.
  Status CheckNewLeafPath(std::string_view path) const;
  Status CheckNewObjectPath(std::string_view path) const;

  // --- building ------------------------------------------------------------------------------
  // Adds a field (and its subfields), assigning ordinals to those without one and the default
  // analyzer to text fields that declare none, and records the object paths above it.
  // InvalidArgument if the path is already a field.
  Status AddField(FieldMapping field);
  // Declares an object (and the objects above it). A repeated declaration replaces the settings.
  void AddObject(const std::string& path, ObjectMapping object);
  void AddDynamicTemplate(DynamicTemplate t) { dynamic_templates_.push_back(std::move(t)); }
  void ReplaceDynamicTemplates(std::vector<DynamicTemplate> templates) { dynamic_templates_ = std::move(templates); }
  void set_dynamic(DynamicMode mode) { dynamic_ = mode; }
  void set_date_detection(bool on) { date_detection_ = on; }
  // Only for decoding a stored mapping: ordinals of removed fields are never given out again.
  void set_next_ordinal(uint32_t next) { next_ordinal_ = std::max(next_ordinal_, next); }
  // Ends building: the generation starts at 0 for a freshly parsed or decoded mapping.
  void ResetGeneration() { generation_ = 0; }
  // Marks a change other than AddField (a mapping update's dynamic rules), so that writers holding
  // documents analysed against the older mapping analyse them again.
  void BumpGeneration() { ++generation_; }

  // --- the whole model, for the JSON form and the codec ---------------------------------------
  const std::vector<FieldMapping>& fields() const { return fields_; }  // top-level leaves, in order added
  const std::map<std::string, ObjectMapping, std::less<>>& objects() const { return objects_; }
  const std::vector<DynamicTemplate>& dynamic_templates() const { return dynamic_templates_; }
  bool date_detection() const { return date_detection_; }
  const std::string& default_analyzer() const { return default_analyzer_; }
  uint32_t next_ordinal() const { return next_ordinal_; }

  // Bumped by every AddField; lets writers detect that a snapshot they analysed against is stale.
  uint64_t generation() const { return generation_; }

 private:
  void Reindex();  // rebuilds the lookup tables after fields_ changes
  void ResolveAnalyzers(FieldMapping* field) const;
  void AddParentObjects(std::string_view path);

  std::vector<FieldMapping> fields_;  // top-level leaf fields by path, with their subfields
  std::map<std::string, ObjectMapping, std::less<>> objects_;
  std::vector<DynamicTemplate> dynamic_templates_;
  DynamicMode dynamic_ = DynamicMode::kTrue;
  bool date_detection_ = true;
  std::string default_analyzer_;
  uint32_t next_ordinal_ = 1;
  uint64_t generation_ = 0;
  std::map<std::string, size_t, std::less<>> by_path_;                  // path -> fields_ index
  std::map<std::string, std::pair<size_t, int>, std::less<>> by_name_;  // name -> (index, sub or -1)
};

// Parses "2023-04-05", "2023-04-05T12:34:56Z", "2023-04-05T12:34:56.789+05:00" (Elasticsearch's
// strict_date_optional_time) into epoch milliseconds.
std::optional<int64_t> ParseIsoDate(std::string_view text);
// A bound of a date field: ISO 8601 or epoch milliseconds.
std::optional<int64_t> ParseDateOrEpochMillis(std::string_view text);
std::string FormatIsoDate(int64_t epoch_millis);

}  // namespace ultrasearch
