#include "facets/doc_values.h"

#include <algorithm>
#include <cstring>

#include "common/coding.h"

namespace ultrasearch {

namespace {

void AddValues(const FieldMapping& field, const ExtractedField& extracted, DocValues* out) {
  if (!HasValueSlot(field.type) || field.ordinal == 0) return;
  FieldValues fv;
  fv.ordinal = field.ordinal;
  fv.keyword = field.type == FieldType::kKeyword;
  for (const RawValue& raw : extracted.values) {
    if (fv.keyword) {
      if (field.ignore_above != 0 && raw.text.size() > field.ignore_above) continue;
      fv.keywords.push_back(raw.text);
    } else {
      double number;
      if (CoerceToNumber(raw, field.type, &number)) fv.numbers.push_back(number);
    }
  }
  std::sort(fv.keywords.begin(), fv.keywords.end());
  fv.keywords.erase(std::unique(fv.keywords.begin(), fv.keywords.end()), fv.keywords.end());
  std::sort(fv.numbers.begin(), fv.numbers.end());
  if (fv.keywords.empty() && fv.numbers.empty()) return;
  out->fields.push_back(std::move(fv));
}

void PutVarint32(std::string* out, uint32_t v) { coding::PutVarint64(out, v); }

std::optional<uint32_t> GetVarint32(std::string_view* in) {
  auto v = coding::GetVarint64(in);
  if (!v || *v > UINT32_MAX) return std::nullopt;
  return static_cast<uint32_t>(*v);
}

}  // namespace

DocValues ExtractDocValues(const ParsedDocument& doc, const Mapping& mapping, std::string_view id) {
  DocValues out;
  FieldValues id_values;
  id_values.ordinal = kDocumentIdOrdinal;
  id_values.keyword = true;
  id_values.keywords.emplace_back(id);
  out.fields.push_back(std::move(id_values));
  for (const ExtractedField& extracted : doc.fields) {
    const FieldMapping* field = mapping.FindByPath(extracted.path);
    if (field == nullptr) continue;
    AddValues(*field, extracted, &out);
    for (const FieldMapping& sub : field->subfields) AddValues(sub, extracted, &out);
  }
  std::sort(out.fields.begin(), out.fields.end(),
            [](const FieldValues& a, const FieldValues& b) { return a.ordinal < b.ordinal; });
  return out;
}

std::string EncodeDocValues(const DocValues& values) {
  std::string out;
  PutVarint32(&out, static_cast<uint32_t>(values.fields.size()));
  for (const FieldValues& f : values.fields) {
    PutVarint32(&out, f.ordinal);
    out.push_back(f.keyword ? 'k' : 'n');
    if (f.keyword) {
      PutVarint32(&out, static_cast<uint32_t>(f.keywords.size()));
      for (const std::string& k : f.keywords) {
        PutVarint32(&out, static_cast<uint32_t>(k.size()));
        out += k;
      }
    } else {
      PutVarint32(&out, static_cast<uint32_t>(f.numbers.size()));
      for (double d : f.numbers) {
        uint64_t bits;
        std::memcpy(&bits, &d, sizeof bits);
        coding::PutFixed64BE(&out, bits);
      }
    }
  }
  return out;
}

bool DecodeDocValues(std::string_view data, DocValues* out) {
  out->fields.clear();
  auto count = GetVarint32(&data);
  if (!count || *count > data.size()) return false;
  out->fields.resize(*count);
  for (FieldValues& f : out->fields) {
    auto ordinal = GetVarint32(&data);
    if (!ordinal || data.empty()) return false;
    f.ordinal = *ordinal;
    char kind = data.front();
    data.remove_prefix(1);
    if (kind != 'k' && kind != 'n') return false;
    f.keyword = kind == 'k';
    auto n = GetVarint32(&data);
    if (!n || *n > data.size()) return false;
    for (uint32_t i = 0; i < *n; ++i) {
      if (f.keyword) {
        auto len = GetVarint32(&data);
        if (!len || *len > data.size()) return false;
        f.keywords.emplace_back(data.substr(0, *len));
        data.remove_prefix(*len);
      } else {
        auto bits = coding::GetFixedBE<uint64_t>(&data);
        if (!bits) return false;
        double d;
        std::memcpy(&d, &*bits, sizeof d);
        f.numbers.push_back(d);
      }
    }
  }
  return data.empty();
}

}  // namespace ultrasearch
