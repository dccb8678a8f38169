#include "mapping/document_parser.h"

#include <simdjson.h>

#include <charconv>
#include <cmath>
#include <map>

#include "ultrasearch/utf8.h"

namespace ultrasearch {

namespace {

std::string NumberText(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  return ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}

// The value's first 64 bytes, cut between code points: a cut inside a UTF-8 sequence would make the
// whole error reply invalid JSON (found by fuzz_bulk with a Cyrillic value of a date field).
std::string ValuePreview(const RawValue& v) {
  if (v.text.size() <= 64) return v.text;
  return v.text.substr(0, TruncateToCodePoint(v.text, 64)) + "...";
}

// A scalar JSON value as the document wrote it; false for objects, arrays and null.
bool LeafValue(simdjson::dom::element value, RawValue* raw) {
  switch (value.type()) {
    case simdjson::dom::element_type::STRING:
      raw->kind = JsonKind::kString;
      raw->text = std::string(value.get_string().value_unsafe());
      return true;
    case simdjson::dom::element_type::INT64:
      raw->kind = JsonKind::kLong;
      raw->number = static_cast<double>(value.get_int64().value_unsafe());
      raw->text = std::to_string(value.get_int64().value_unsafe());
      return true;
    case simdjson::dom::element_type::UINT64:
      raw->kind = JsonKind::kLong;
      raw->number = static_cast<double>(value.get_uint64().value_unsafe());
      raw->text = std::to_string(value.get_uint64().value_unsafe());
      return true;
    case simdjson::dom::element_type::DOUBLE:
      raw->kind = JsonKind::kDouble;
      raw->number = value.get_double().value_unsafe();
      raw->text = NumberText(raw->number);
      return true;
    case simdjson::dom::element_type::BOOL:
      raw->kind = JsonKind::kBoolean;
      raw->boolean = value.get_bool().value_unsafe();
      raw->text = raw->boolean ? "true" : "false";
      return true;
    default:
      return false;
  }
}

// The inputs of a completion field's object value {"input": "…" | ["…", …], "weight": N}, each
// with the weight, appended in order. InvalidArgument naming `path` when malformed.
Status CompletionObjectInputs(simdjson::dom::object object, std::string_view path, std::vector<RawValue>* out) {
  auto malformed = [&](const std::string& why) {
    return Status::InvalidArgument("failed to parse field [" + std::string(path) + "] of type [completion]: " + why);
  };
  std::vector<RawValue> inputs;
  int64_t weight = 1;
  for (auto [key, value] : object) {
    if (key == "input") {
      auto add = [&](simdjson::dom::element e) -> bool {
        if (e.type() != simdjson::dom::element_type::STRING) return false;
        RawValue raw;
        raw.text = std::string(e.get_string().value_unsafe());
        inputs.push_back(std::move(raw));
        return true;
      };
      simdjson::dom::array array;
      if (value.get_array().get(array) == simdjson::SUCCESS) {
        for (auto item : array) {
          if (!add(item)) return malformed("[input] must hold strings");
        }
      } else if (!add(value)) {
        return malformed("[input] must be a string or an array of strings");
      }
    } else if (key == "weight") {
      RawValue w;
      double number = 0;
      if (!LeafValue(value, &w) || !CoerceToNumber(w, FieldType::kLong, &number) || number != std::floor(number)) {
        return malformed("weight must be an integer, but was [" + w.text + "]");
      }
      if (number < 0 || number > 2147483647.0) return malformed("weight must be between 0 and 2147483647");
      weight = static_cast<int64_t>(number);
    } else if (key == "contexts") {
      return malformed("context suggestions are not supported by this server");
    } else {
      return malformed("unknown field name [" + std::string(key) + "], must be one of [input, weight]");
    }
  }
  for (auto& raw : inputs) {
    raw.weight = static_cast<uint32_t>(weight);
    out->push_back(std::move(raw));
  }
  return Status::OK();
}

// Collects the leaves at `path` below `value` (whose own path is `at`), descending only into the
// keys on the way to it: a dotted path may be spelled nested ({"a":{"b":1}}) or flat ({"a.b":1}).
void CollectPath(simdjson::dom::element value, std::string_view at, std::string_view path,
                 std::vector<RawValue>* out) {
  switch (value.type()) {
    case simdjson::dom::element_type::OBJECT: {
      simdjson::dom::object object;
      if (value.get_object().get(object) != simdjson::SUCCESS) return;
      if (at.size() == path.size()) {
        // An object at the leaf itself can only be a completion field's value (ParseDocument
        // rejects objects at every other leaf).
        CompletionObjectInputs(object, path, out).PermitUncheckedError();
        return;
      }
      for (auto [key, child] : object) {
        const size_t length = at.empty() ? key.size() : at.size() + 1 + key.size();
        if (length > path.size()) continue;
        const std::string_view child_at = path.substr(0, length);
        if (child_at.substr(child_at.size() - key.size()) != key) continue;
        if (length == path.size() || path[length] == '.') CollectPath(child, child_at, path, out);
      }
      return;
    }
    case simdjson::dom::element_type::ARRAY: {
      simdjson::dom::array array;
      if (value.get_array().get(array) != simdjson::SUCCESS) return;
      for (auto item : array) CollectPath(item, at, path, out);
      return;
    }
    default:
      if (at.size() != path.size()) return;
      RawValue raw;
      if (LeafValue(value, &raw)) out->push_back(std::move(raw));
  }
}

class DocumentWalker {
 public:
  DocumentWalker(const Mapping& mapping, std::string_view id) : mapping_(mapping), id_(id) {}

  Status WalkObject(simdjson::dom::object obj, const std::string& parent, size_t depth) {
    if (depth > kMaxFieldDepth) {
      return Status::InvalidArgument("The depth of the field [" + parent + "] has exceeded the allowed limit of [" +
                                     std::to_string(kMaxFieldDepth) + "]");
    }
    for (auto [key, value] : obj) {
      if (key.empty()) return Status::InvalidArgument("field name cannot be an empty string");
      std::string path = parent.empty() ? std::string(key) : parent + "." + std::string(key);
      if (path.front() == '.' || path.back() == '.' || path.find("..") != std::string::npos) {
        return Status::InvalidArgument("field name [" + std::string(key) + "] cannot contain only whitespace or dots");
      }
      Status s = WalkValue(value, path, depth);
      if (!s.ok()) return s;
    }
    return Status::OK();
  }

  ParsedDocument Take() {
    ParsedDocument doc;
    doc.fields.reserve(order_.size());
    for (const auto& path : order_) doc.fields.push_back(std::move(fields_[path]));
    doc.new_fields = std::move(new_fields_);
    return doc;
  }

 private:
  Status WalkValue(simdjson::dom::element value, const std::string& path, size_t depth) {
    switch (value.type()) {
      case simdjson::dom::element_type::OBJECT: {
        if (const FieldMapping* f = mapping_.FindByPath(path); f != nullptr && f->type == FieldType::kCompletion) {
          simdjson::dom::object object;
          if (value.get_object().get(object) != simdjson::SUCCESS) return Status::Internal("unexpected JSON element");
          return AddCompletionObject(object, path);
        }
        if (mapping_.FindByPath(path) != nullptr || PendingLeaf(path)) {
          return Status::InvalidArgument("failed to parse field [" + path + "] of type [" +
                                         std::string(FieldTypeName(LeafType(path))) + "] in document with id '" +
                                         std::string(id_) + "'. Preview of field's value: '{...}'");
        }
        if (!mapping_.IsObjectPath(path)) {
          Status s = mapping_.CheckNewObjectPath(path);
          if (!s.ok()) return s;
        }
        simdjson::dom::object object;
        if (value.get_object().get(object) != simdjson::SUCCESS) return Status::Internal("unexpected JSON element");
        return WalkObject(object, path, depth + 1);
      }
      case simdjson::dom::element_type::ARRAY:
      {
        simdjson::dom::array array;
        if (value.get_array().get(array) != simdjson::SUCCESS) return Status::Internal("unexpected JSON element");
        for (auto item : array) {
          Status s = WalkValue(item, path, depth + 1);
          if (!s.ok()) return s;
        }
        return Status::OK();
      }
      case simdjson::dom::element_type::NULL_VALUE:
        return Status::OK();  // null means absent, as in Elasticsearch
      default:
        return AddLeaf(value, path);
    }
  }

  Status AddLeaf(simdjson::dom::element value, const std::string& path) {
    RawValue raw;
    if (!LeafValue(value, &raw)) return Status::Internal("unexpected JSON element");

    const FieldMapping* field = mapping_.FindByPath(path);
    if (field == nullptr) field = PendingLeaf(path);
    if (field == nullptr) {
      if (mapping_.IsObjectPath(path)) {
        return Status::InvalidArgument("object mapping for [" + path +
                                       "] tried to parse field [" + path + "] as object, but found a concrete value");
      }
      // The object the new field enters decides, by its own `dynamic` or the nearest above it.
      const std::string parent = mapping_.EnclosingObject(path);
      const DynamicMode mode = mapping_.DynamicFor(parent);
      if (mode == DynamicMode::kFalse) return Status::OK();  // kept in _source only
      if (mode == DynamicMode::kStrict) {
        std::string_view rest = std::string_view(path).substr(parent.empty() ? 0 : parent.size() + 1);
        return Status::InvalidArgument("mapping set to strict, dynamic introduction of [" +
                                       std::string(rest.substr(0, rest.find('.'))) + "] within [" +
                                       (parent.empty() ? std::string("_doc") : parent) + "] is not allowed");
      }
      Status s = mapping_.CheckNewLeafPath(path);
      if (!s.ok()) return s;
      size_t total = mapping_.AllFields().size() + new_fields_.size();
      if (total >= kMaxTotalFields) {
        return Status::InvalidArgument("Limit of total fields [" + std::to_string(kMaxTotalFields) +
                                       "] has been exceeded while adding new fields");
      }
      new_fields_.push_back(mapping_.MapDynamicField(path, raw.kind, raw.text));
      field = &new_fields_.back();
    }
    Status s = CheckFits(*field, raw);
    for (size_t i = 0; s.ok() && i < field->subfields.size(); ++i) s = CheckFits(field->subfields[i], raw);
    if (!s.ok()) return s;

    auto [it, inserted] = fields_.try_emplace(path);
    if (inserted) {
      it->second.path = path;
      order_.push_back(path);
    }
    it->second.values.push_back(std::move(raw));
    return Status::OK();
  }

  Status AddCompletionObject(simdjson::dom::object object, const std::string& path) {
    std::vector<RawValue> inputs;
    if (Status s = CompletionObjectInputs(object, path, &inputs); !s.ok()) return s;
    auto [it, inserted] = fields_.try_emplace(path);
    if (inserted) {
      it->second.path = path;
      order_.push_back(path);
    }
    for (auto& raw : inputs) it->second.values.push_back(std::move(raw));
    return Status::OK();
  }

  Status CheckFits(const FieldMapping& field, const RawValue& raw) const {
    bool fits = true;
    if (field.type == FieldType::kText || field.type == FieldType::kKeyword) {
      fits = true;
    } else if (field.type == FieldType::kCompletion) {
      fits = raw.kind == JsonKind::kString;
    } else if (field.type == FieldType::kBoolean) {
      fits = raw.kind == JsonKind::kBoolean ||
             (raw.kind == JsonKind::kString && (raw.text == "true" || raw.text == "false" || raw.text.empty()));
    } else {
      double ignored;
      fits = CoerceToNumber(raw, field.type, &ignored);
    }
    if (fits) return Status::OK();
    return Status::InvalidArgument("failed to parse field [" + field.name + "] of type [" +
                                   std::string(FieldTypeName(field.type)) + "] in document with id '" +
                                   std::string(id_) + "'. Preview of field's value: '" + ValuePreview(raw) + "'");
  }

  const FieldMapping* PendingLeaf(const std::string& path) const {
    for (const auto& f : new_fields_) {
      if (f.path == path) return &f;
    }
    return nullptr;
  }
  FieldType LeafType(const std::string& path) const {
    const FieldMapping* f = mapping_.FindByPath(path);
    if (f == nullptr) f = PendingLeaf(path);
    return f == nullptr ? FieldType::kKeyword : f->type;
  }

  const Mapping& mapping_;
  std::string_view id_;
  std::map<std::string, ExtractedField> fields_;
  std::vector<std::string> order_;
  std::vector<FieldMapping> new_fields_;
};

}  // namespace

bool CoerceToNumber(const RawValue& value, FieldType type, double* out) {
  if (type == FieldType::kBoolean) {
    if (value.kind == JsonKind::kBoolean) {
      *out = value.boolean ? 1 : 0;
      return true;
    }
    if (value.kind == JsonKind::kString && (value.text == "true" || value.text == "false")) {
      *out = value.text == "true" ? 1 : 0;
      return true;
    }
    return false;
  }
  if (type == FieldType::kDate) {
    if (value.kind == JsonKind::kLong) {
      *out = value.number;
      return true;
    }
    if (value.kind != JsonKind::kString) return false;
    auto millis = ParseDateOrEpochMillis(value.text);
    if (!millis) return false;
    *out = static_cast<double>(*millis);
    return true;
  }
  double v = 0;
  if (value.kind == JsonKind::kLong || value.kind == JsonKind::kDouble) {
    v = value.number;
  } else if (value.kind == JsonKind::kString) {
    const std::string& t = value.text;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || end != t.data() + t.size() || t.empty()) return false;
  } else {
    return false;
  }
  if (!std::isfinite(v)) return false;
  if (IsIntegral(type)) {
    v = std::trunc(v);  // Elasticsearch coerces 1.5 to 1 for integer fields
    double limit = type == FieldType::kLong ? 9.2233720368547758e18
                   : type == FieldType::kInteger ? 2147483647.0
                   : type == FieldType::kShort   ? 32767.0
                                                 : 127.0;
    if (v > limit || v < -limit - 1) return false;
  }
  *out = v;
  return true;
}

Result<ParsedDocument> ParseDocument(std::string_view json, const Mapping& mapping, std::string_view id) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  auto error = parser.parse(json.data(), json.size(), true).get(root);
  if (error) {
    return Status::InvalidArgument(std::string("failed to parse the document: ") + simdjson::error_message(error));
  }
  if (root.type() != simdjson::dom::element_type::OBJECT) {
    return Status::InvalidArgument("failed to parse the document: the document must be a JSON object");
  }
  DocumentWalker walker(mapping, id);
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) return Status::Internal("unexpected JSON element");
  Status s = walker.WalkObject(object, "", 1);
  if (!s.ok()) return s;
  return walker.Take();
}

Status ExtractPaths(std::string_view json, const std::vector<std::string_view>& paths,
                    std::vector<std::vector<RawValue>>* out) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  auto error = parser.parse(json.data(), json.size(), true).get(root);
  if (error) {
    return Status::InvalidArgument(std::string("failed to parse the document: ") + simdjson::error_message(error));
  }
  if (root.type() != simdjson::dom::element_type::OBJECT) {
    return Status::InvalidArgument("failed to parse the document: the document must be a JSON object");
  }
  out->resize(paths.size());
  for (size_t i = 0; i < paths.size(); ++i) {
    (*out)[i].clear();
    CollectPath(root, std::string_view(), paths[i], &(*out)[i]);
  }
  return Status::OK();
}

}  // namespace ultrasearch
