// A document's filter, sort and facet values: what the catalog's "values" column family stores
// and what the in-memory columns (facets/column_store.h) are built from.
//
// Record layout (value of key fixed32 BE docid in column family "values"; docs/storage-format.md
// mirrors this):
//   varint32 field count, then per field, in ascending field ordinal:
//     varint32 field ordinal (the mapping's stable ordinal; subfields have their own)
//     byte kind: 'k' keyword values, 'n' numeric values (numbers, dates as epoch millis,
//                booleans as 0/1)
//     varint32 value count
//     values: keyword: varint32 length + UTF-8 bytes; numeric: fixed64 BE of the IEEE-754 bits
// Field ordinal 0, which no mapped field has, holds the document's _id (one keyword value): a
// search page reads its hits' ids from that column instead of the text index's document data.
// Records written before it existed lack it; readers then fall back to the document data.
// Keyword values are distinct within a document (Elasticsearch's sorted-set doc values); numeric
// values keep duplicates and are in ascending order (sorted-numeric doc values). Text fields
// have no values; keyword values longer than the field's ignore_above are left out, as
// Elasticsearch leaves them out of doc values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mapping/document_parser.h"
#include "mapping/mapping.h"

namespace ultrasearch {

struct FieldValues {
  uint32_t ordinal = 0;
  bool keyword = false;
  std::vector<std::string> keywords;  // keyword fields
  std::vector<double> numbers;        // every other non-text field
};

struct DocValues {
  std::vector<FieldValues> fields;  // ascending ordinal, each with at least one value
};

// The field ordinal of the _id (see the record layout above).
inline constexpr uint32_t kDocumentIdOrdinal = 0;

// The values of `doc` for every non-text field of `mapping` (subfields included), and `id` as
// field kDocumentIdOrdinal.
DocValues ExtractDocValues(const ParsedDocument& doc, const Mapping& mapping, std::string_view id);

std::string EncodeDocValues(const DocValues& values);
// False when `data` is not a well-formed record.
bool DecodeDocValues(std::string_view data, DocValues* out);

}  // namespace ultrasearch
