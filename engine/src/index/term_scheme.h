// How fields become Xapian terms and value slots. Every field has a stable ordinal from the
// mapping; the prefixes below keep fields apart in one Xapian database:
//   "Q" + id                    the document's unique id term (boolean), for ids up to
//                               kMaxPlainIdBytes bytes
//   "L" + id[0,200) + hash      the id term of a longer id (Elasticsearch allows 512 bytes,
//                               Xapian's terms 245): its first 200 bytes and 32 hex digits of
//                               FNV-1a 128 of the whole id; the real id is in the document data
//   "T" + ordinal + ":" + term  an analysed term of a text field (with positions)
//   "K" + ordinal + ":" + value a keyword or boolean value (boolean term, exact match)
//   "F" + ordinal + ":" + term  a text field's term where it names what an accessory is for
//                               (after "для", before "uchun"; index/accessory_targets.h): there
//                               its "T" posting has wdf 0 and this term (no positions) carries the
//                               weight, which queries count at a fraction
//   "E" + ordinal               a text or completion field has at least one value (for
//                               `exists`; other fields answer it from their value slot)
//   "C" + ordinal + ":" + key + "\0" + weight + "\0" + input
//                               a completion input (boolean): key is the analysed input
//                               (index/completion_keys.h), weight 10 decimal digits, input the
//                               input's index among the document's inputs of the field, in
//                               decimal; the completion suggester reads a prefix's range of them
//   "W" + ordinal + ":" + word  a word of a completion field's keys (boolean), the vocabulary
//                               fuzzy completion corrects the typed prefix against
// Value slot = ordinal, for every non-text field: sortable_serialise(number) for numeric, date
// (epoch millis) and boolean (0/1) fields, the first value's bytes for keyword fields.
// Document data = the document id.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ultrasearch::terms {

// Xapian rejects terms longer than 245 bytes; values longer than this are stored but not indexed.
inline constexpr size_t kMaxTermBytes = 240;

// Ids up to this long are their own term (every id accepted before long ids were, so existing
// indices keep their terms).
inline constexpr size_t kMaxPlainIdBytes = kMaxTermBytes - 1;
// The unique term of a document id; ids longer than kMaxPlainIdBytes get a fixed-size key (see
// above) under their own prefix, so they can never equal a short id's term.
std::string IdTerm(std::string_view id);
// Built by appending: GCC 12 warns falsely (-Wrestrict) on "T" + std::to_string(n).
inline std::string TaggedOrdinal(char tag, uint32_t ordinal, bool colon) {
  std::string t(1, tag);
  t += std::to_string(ordinal);
  if (colon) t += ':';
  return t;
}
inline std::string TextPrefix(uint32_t ordinal) { return TaggedOrdinal('T', ordinal, true); }
inline std::string AccessoryTargetPrefix(uint32_t ordinal) { return TaggedOrdinal('F', ordinal, true); }
inline std::string KeywordPrefix(uint32_t ordinal) { return TaggedOrdinal('K', ordinal, true); }
inline std::string ExistsTerm(uint32_t ordinal) { return TaggedOrdinal('E', ordinal, false); }
inline std::string CompletionPrefix(uint32_t ordinal) { return TaggedOrdinal('C', ordinal, true); }
inline std::string CompletionWordPrefix(uint32_t ordinal) { return TaggedOrdinal('W', ordinal, true); }
inline uint32_t ValueSlot(uint32_t ordinal) { return ordinal; }

// Positions of successive array values are this far apart, so phrases never span two values
// (Elasticsearch's position_increment_gap).
inline constexpr uint32_t kPositionIncrementGap = 100;

}  // namespace ultrasearch::terms
