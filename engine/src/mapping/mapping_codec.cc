// The storage codec of a mapping (catalog meta key `mapping`, value below). Mirrored in
// docs/storage-format.md; change both together and bump kMappingFormatVersion for any change a
// previous reader would misread.
//
// Value: one UTF-8 JSON object. JSON rather than a binary layout because a mapping is small,
// written only when fields appear, and worth reading with `ldb` when something goes wrong.
//
// Format 3: format 2 with "index_options" on fields; written only by mappings that declare it,
// which a format-2 reader would misread (it would index positions the field was declared without).
//
// Format 2 (written since the codec was split from the Elasticsearch form):
//   {"format":2,
//    "dynamic":"true"|"false"|"strict",   root dynamic mode
//    "date_detection":true|false,
//    "default_analyzer":"standard",       analyzer of text fields that declare none
//    "next_ordinal":N,                    next ordinal to give out; never decreases
//    "fields":[FIELD…],                   top-level leaves in the order they were added
//    "objects":[{"path":"a.b","nested":false[,"dynamic":"strict"]}…],
//    "dynamic_templates":[{"name":…,"match":…,"unmatch":…,"path_match":…,"path_unmatch":…,
//                          "match_mapping_type":…,            (each string optional)
//                          "type_source":"declared"|"dynamic_type"|"detected",
//                          "mapping":FIELD}…]}                 (name "{dynamic}", ordinal 0)
//   FIELD = {"name":…,"path":…,"ordinal":N,"type":"text"|"keyword"|…,
//            "analyzer":…            only when declared (else the default analyzer applies),
//            "search_analyzer":…, "boost":X, "ignore_above":N, "normalizer":…,
//            "index"|"doc_values"|"store"|"norms"|"coerce":bool, "format":…, "similarity":…,
//            "null_value":"<JSON text of the declared value>",   (each optional)
//            "index_options":"docs"|"freqs"|"positions"|"offsets"  as declared (format 3, below)
//            "search_as_you_type":N  declared search_as_you_type, N its max_shingle_size
//            "shingle_size":N        a generated shingle sub-field (NAME._Ngram)
//            "subfields":[FIELD…]}  multi-fields, each with the parent's path
//   Ordinals name a field's terms and value slot in the text index: once given they never change.
//
// Format 1 (the first engine): the same root keys without "default_analyzer" (every index then
// defaulted text to "catalog"); "objects" a list of path strings; FIELD without the accepted-only
// parameters, with "analyzer" on every text field; templates as Elasticsearch writes them,
// [{"NAME":{"path_match"|"match"|"match_mapping_type":…,"mapping":{…,"fields":{…}}}}]. Read by
// DecodeVersion1, which keeps what GET _mapping showed (every text analyzer as declared).
#include "mapping/mapping_codec.h"

#include <algorithm>

#include <boost/json.hpp>

namespace json = boost::json;

namespace ultrasearch {

namespace {

// Format 1 had no default analyzer: the engine's constant was "catalog".
constexpr std::string_view kVersion1DefaultAnalyzer = "catalog";

constexpr std::pair<TemplateType, std::string_view> kTypeSources[] = {
    {TemplateType::kDeclared, "declared"},
    {TemplateType::kDynamicType, "dynamic_type"},
    {TemplateType::kDetected, "detected"},
};

// --- encoding ----------------------------------------------------------------------------------

json::object EncodeField(const FieldMapping& f) {
  json::object out;
  out["name"] = f.name;
  out["path"] = f.path;
  out["ordinal"] = f.ordinal;
  out["type"] = FieldTypeName(f.type);
  if (f.analyzer_declared) out["analyzer"] = f.analyzer;
  if (!f.search_analyzer.empty()) out["search_analyzer"] = f.search_analyzer;
  if (f.boost != 1.0) out["boost"] = f.boost;
  if (f.ignore_above != 0) out["ignore_above"] = f.ignore_above;
  if (!f.normalizer.empty()) out["normalizer"] = f.normalizer;
  const std::pair<const char*, const std::optional<bool>*> flags[] = {
      {"index", &f.index}, {"doc_values", &f.doc_values}, {"store", &f.store}, {"norms", &f.norms}, {"coerce", &f.coerce}};
  for (const auto& [key, flag] : flags) {
    if (flag->has_value()) out[key] = **flag;
  }
  if (f.format) out["format"] = *f.format;
  if (f.similarity) out["similarity"] = *f.similarity;
  if (f.index_options) out["index_options"] = IndexOptionsName(*f.index_options);
  if (f.null_value_json) out["null_value"] = *f.null_value_json;
  if (f.search_as_you_type) out["search_as_you_type"] = f.max_shingle_size;
  if (f.shingle_size != 0) out["shingle_size"] = f.shingle_size;
  if (!f.subfields.empty()) {
    json::array subs;
    for (const auto& sub : f.subfields) subs.push_back(EncodeField(sub));
    out["subfields"] = std::move(subs);
  }
  return out;
}

json::object EncodeTemplate(const DynamicTemplate& t) {
  json::object out;
  out["name"] = t.name;
  const std::pair<const char*, const std::string*> keys[] = {
      {"match", &t.match},               {"unmatch", &t.unmatch}, {"path_match", &t.path_match},
      {"path_unmatch", &t.path_unmatch}, {"match_mapping_type", &t.match_mapping_type}};
  for (const auto& [key, value] : keys) {
    if (!value->empty()) out[key] = *value;
  }
  for (const auto& [source, name] : kTypeSources) {
    if (source == t.type_source) out["type_source"] = name;
  }
  out["mapping"] = EncodeField(t.mapping);
  return out;
}

// --- decoding (throws on malformed input; DecodeMapping turns that into Corruption) -------------

std::string Str(const json::object& obj, std::string_view key) { return std::string(obj.at(key).as_string()); }

std::string OptStr(const json::object& obj, std::string_view key) {
  const json::value* v = obj.if_contains(key);
  return v == nullptr ? std::string() : std::string(v->as_string());
}

uint32_t U32(const json::value& v) { return static_cast<uint32_t>(v.to_number<uint32_t>()); }

FieldType TypeOf(const json::object& obj) {
  auto type = ParseFieldType(obj.at("type").as_string());
  if (!type) throw std::invalid_argument("unknown field type [" + Str(obj, "type") + "]");
  return *type;
}

// The parameters formats 1 and 2 write alike.
void DecodeCommonParams(const json::object& obj, FieldMapping* f) {
  f->search_analyzer = OptStr(obj, "search_analyzer");
  if (auto* v = obj.if_contains("boost")) f->boost = static_cast<double>(static_cast<float>(v->to_number<double>()));  // a float, as parsed
  if (auto* v = obj.if_contains("ignore_above")) f->ignore_above = U32(*v);
  f->normalizer = OptStr(obj, "normalizer");  // format 2 only; absent means none
}

// What every format stores of a leaf alike: identity, type, analyzer and the common parameters.
FieldMapping DecodeFieldHead(const json::object& obj) {
  FieldMapping f;
  f.name = Str(obj, "name");
  f.path = Str(obj, "path");
  f.ordinal = U32(obj.at("ordinal"));
  f.type = TypeOf(obj);
  if (auto* v = obj.if_contains("analyzer")) {
    f.analyzer = std::string(v->as_string());
    f.analyzer_declared = true;
  }
  DecodeCommonParams(obj, &f);
  return f;
}

FieldMapping DecodeField(const json::object& obj) {
  FieldMapping f = DecodeFieldHead(obj);
  const std::pair<const char*, std::optional<bool>*> flags[] = {
      {"index", &f.index}, {"doc_values", &f.doc_values}, {"store", &f.store}, {"norms", &f.norms}, {"coerce", &f.coerce}};
  for (const auto& [key, flag] : flags) {
    if (auto* v = obj.if_contains(key)) *flag = v->as_bool();
  }
  if (obj.contains("format")) f.format = Str(obj, "format");
  if (obj.contains("similarity")) f.similarity = Str(obj, "similarity");
  if (obj.contains("null_value")) f.null_value_json = Str(obj, "null_value");
  if (obj.contains("index_options")) {
    auto options = ParseIndexOptions(Str(obj, "index_options"));
    if (!options) throw std::invalid_argument("unknown index_options [" + Str(obj, "index_options") + "]");
    f.index_options = *options;
  }
  if (auto* v = obj.if_contains("search_as_you_type")) {
    f.search_as_you_type = true;
    f.max_shingle_size = U32(*v);
  }
  if (auto* v = obj.if_contains("shingle_size")) f.shingle_size = U32(*v);
  if (auto* v = obj.if_contains("subfields")) {
    for (const auto& sub : v->as_array()) f.subfields.push_back(DecodeField(sub.as_object()));
  }
  return f;
}

DynamicMode DynamicOf(const json::value& v) {
  auto mode = ParseDynamicMode(v.as_string());
  if (!mode) throw std::invalid_argument("unknown dynamic mode");
  return *mode;
}

Mapping DecodeVersion2(const json::object& root) {
  Mapping m(Str(root, "default_analyzer"));
  m.set_dynamic(DynamicOf(root.at("dynamic")));
  m.set_date_detection(root.at("date_detection").as_bool());
  for (const auto& o : root.at("objects").as_array()) {
    const auto& obj = o.as_object();
    ObjectMapping object;
    object.nested = obj.at("nested").as_bool();
    if (auto* v = obj.if_contains("dynamic")) object.dynamic = DynamicOf(*v);
    m.AddObject(Str(obj, "path"), object);
  }
  for (const auto& t : root.at("dynamic_templates").as_array()) {
    const auto& obj = t.as_object();
    DynamicTemplate dt;
    dt.name = Str(obj, "name");
    dt.match = OptStr(obj, "match");
    dt.unmatch = OptStr(obj, "unmatch");
    dt.path_match = OptStr(obj, "path_match");
    dt.path_unmatch = OptStr(obj, "path_unmatch");
    dt.match_mapping_type = OptStr(obj, "match_mapping_type");
    std::string source = Str(obj, "type_source");
    bool known = false;
    for (const auto& [s, name] : kTypeSources) {
      if (name == source) dt.type_source = s, known = true;
    }
    if (!known) throw std::invalid_argument("unknown template type_source [" + source + "]");
    dt.mapping = DecodeField(obj.at("mapping").as_object());
    m.AddDynamicTemplate(std::move(dt));
  }
  for (const auto& f : root.at("fields").as_array()) {
    Status s = m.AddField(DecodeField(f.as_object()));
    if (!s.ok()) throw std::invalid_argument(s.message());
  }
  m.set_next_ordinal(U32(root.at("next_ordinal")));
  return m;
}

// Format 1 leaves: text fields always carried their (then constant-defaulted) analyzer.
FieldMapping DecodeVersion1Field(const json::object& obj) {
  FieldMapping f = DecodeFieldHead(obj);
  if (auto* v = obj.if_contains("subfields")) {
    for (const auto& sub : v->as_array()) f.subfields.push_back(DecodeVersion1Field(sub.as_object()));
  }
  return f;
}

// Format 1 templates were written in Elasticsearch's form, sub-fields under "fields" by name.
FieldMapping DecodeVersion1TemplateLeaf(const json::object& spec, const std::string& name) {
  FieldMapping f;
  f.name = name;
  f.path = "{dynamic}";
  f.type = TypeOf(spec);
  if (auto* v = spec.if_contains("analyzer")) {
    f.analyzer = std::string(v->as_string());
    f.analyzer_declared = true;
  }
  DecodeCommonParams(spec, &f);
  if (auto* v = spec.if_contains("fields")) {
    for (const auto& [sub_name, sub_spec] : v->as_object()) {
      f.subfields.push_back(DecodeVersion1TemplateLeaf(sub_spec.as_object(), name + "." + std::string(sub_name)));
      f.subfields.back().path = f.path;
    }
  }
  return f;
}

Mapping DecodeVersion1(const json::object& root) {
  Mapping m{std::string(kVersion1DefaultAnalyzer)};
  m.set_dynamic(DynamicOf(root.at("dynamic")));
  m.set_date_detection(root.at("date_detection").as_bool());
  for (const auto& o : root.at("objects").as_array()) m.AddObject(std::string(o.as_string()), ObjectMapping{});
  for (const auto& t : root.at("dynamic_templates").as_array()) {
    const auto& [name, body_value] = *t.as_object().begin();
    const auto& body = body_value.as_object();
    DynamicTemplate dt;
    dt.name = std::string(name);
    dt.path_match = OptStr(body, "path_match");
    dt.match = OptStr(body, "match");
    dt.match_mapping_type = OptStr(body, "match_mapping_type");
    dt.mapping = DecodeVersion1TemplateLeaf(body.at("mapping").as_object(), "{dynamic}");
    m.AddDynamicTemplate(std::move(dt));
  }
  for (const auto& f : root.at("fields").as_array()) {
    Status s = m.AddField(DecodeVersion1Field(f.as_object()));
    if (!s.ok()) throw std::invalid_argument(s.message());
  }
  m.set_next_ordinal(U32(root.at("next_ordinal")));
  return m;
}

bool DeclaresIndexOptions(const FieldMapping& f) {
  return f.index_options.has_value() ||
         std::any_of(f.subfields.begin(), f.subfields.end(), [](const FieldMapping& s) { return DeclaresIndexOptions(s); });
}

}  // namespace

std::string EncodeMapping(const Mapping& mapping) {
  json::object root;
  // Format 3 only where it matters: a reader of format 2 would ignore index_options and index
  // positions the field was declared without. Other mappings stay readable by such a reader.
  bool needs_3 = std::any_of(mapping.fields().begin(), mapping.fields().end(), DeclaresIndexOptions);
  for (const auto& t : mapping.dynamic_templates()) needs_3 = needs_3 || DeclaresIndexOptions(t.mapping);
  root["format"] = needs_3 ? kMappingFormatVersion : 2;
  root["dynamic"] = DynamicModeName(mapping.dynamic());
  root["date_detection"] = mapping.date_detection();
  root["default_analyzer"] = mapping.default_analyzer();
  root["next_ordinal"] = mapping.next_ordinal();
  json::array fields;
  for (const auto& f : mapping.fields()) fields.push_back(EncodeField(f));
  root["fields"] = std::move(fields);
  json::array objects;
  for (const auto& [path, object] : mapping.objects()) {
    json::object o{{"path", path}, {"nested", object.nested}};
    if (object.dynamic) o["dynamic"] = DynamicModeName(*object.dynamic);
    objects.push_back(std::move(o));
  }
  root["objects"] = std::move(objects);
  json::array templates;
  for (const auto& t : mapping.dynamic_templates()) templates.push_back(EncodeTemplate(t));
  root["dynamic_templates"] = std::move(templates);
  return json::serialize(root);
}

Result<Mapping> DecodeMapping(std::string_view data) {
  boost::system::error_code ec;
  json::parse_options opts;
  opts.max_depth = 256;  // deeper than any mapping the parser accepts (its limit is 64 JSON levels)
  json::value root = json::parse(data, ec, {}, opts);
  if (ec || !root.is_object()) return Status::Corruption("stored mapping is not a JSON object");
  try {
    const auto& obj = root.as_object();
    const json::value* format = obj.if_contains("format");
    int64_t version = format == nullptr ? 1 : format->to_number<int64_t>();
    if (version > kMappingFormatVersion) {
      return Status::Corruption("stored mapping has format " + std::to_string(version) +
                                ", newer than this engine reads (" + std::to_string(kMappingFormatVersion) +
                                "); open it with a newer ultrasearch");
    }
    Mapping m = version <= 1 ? DecodeVersion1(obj) : DecodeVersion2(obj);
    m.ResetGeneration();
    return m;
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("stored mapping is malformed: ") + e.what());
  }
}

}  // namespace ultrasearch
