#include "search/layout_choice.h"

#include <xapian.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "index/term_scheme.h"
#include "search/fuzzy.h"
#include "search/reader_retry.h"
#include "search/term_dictionary.h"
#include "ultrasearch/utf8.h"
#include "ultrasearch/wildcard.h"

namespace ultrasearch {

namespace {

// A typed word found in at most this many documents may be noise (a stray token in some
// description) rather than what the shopper meant.
constexpr Xapian::doccount kRareFreq = 2;
// ... and is read the other way too only when that reading is this many times more common.
constexpr Xapian::doccount kCommonerBy = 50;
// Queries longer than this are pasted titles, not typed on the wrong layout by accident.
constexpr size_t kMaxWords = 10;
// A word of at most this many letters (`sm`, `jr`) converts on its own only when the other
// reading is in at least kShortWordShare of the documents (and the typed one in none).
constexpr size_t kShortWordLetters = 2;
constexpr double kShortWordShare = 0.01;
// A rare typed word is read the other way too only from this many letters: a short reading's stem
// says little (`vae`, мфу on the wrong layout, stems to `va`, Uzbek "and", in most documents).
constexpr size_t kRareWordMinLetters = 4;
// Fuzzy matches read per analysed form when the exact terms decide nothing.
constexpr int kFuzzyLookups = 8;

struct SearchedField {
  const FieldMapping* field;
  const Analyzer* analyzer;
  std::string prefix;
};

struct Word {
  size_t begin, end;  // byte span in the typed text
};

std::vector<Word> SplitWords(std::string_view text) {
  std::vector<Word> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
    const size_t begin = i;
    while (i < text.size() && !(text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
    if (i > begin) words.push_back({begin, i});
  }
  return words;
}

size_t LetterCount(std::string_view word) {
  size_t letters = 0;
  for (size_t i = 0; i < word.size();) {
    const char32_t c = NextCodePoint(word, &i);
    if (c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) ++letters;
  }
  return letters;
}

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Whether a Latin word holds a key that is a Cyrillic letter (х ъ ж б ю: [ ] ; , . and shifted)
// right before a letter: `e[j` (ухо), `,fnfhtqrf` (батарейка). Typed that way the word is no
// word: the analyzer splits it into fragments (`e`, `j`) whose being terms says nothing. The
// apostrophe is left out: o'zbek is Uzbek Latin.
bool HasLetterKeyBeforeLetter(std::string_view word) {
  for (size_t i = 0; i + 1 < word.size(); ++i) {
    const char c = word[i];
    const bool key = c == '[' || c == ']' || c == ';' || c == ',' || c == '.' || c == '{' || c == '}' ||
                     c == ':' || c == '<' || c == '>';
    if (key && IsAsciiLetter(word[i + 1])) return true;
  }
  return false;
}

Result<std::vector<SearchedField>> FieldsOf(const MatchQuery& match, const SearchContext& ctx) {
  std::vector<FieldBoost> names = match.fields.empty() ? ctx.mapping.DefaultSearchFields() : match.fields;
  std::vector<const FieldMapping*> fields;
  for (const auto& fb : names) {
    if (fb.field.find('*') == std::string::npos) {
      if (const FieldMapping* f = ctx.mapping.Find(fb.field)) fields.push_back(f);
      continue;
    }
    for (const FieldMapping* f : ctx.mapping.AllFields()) {
      if (WildcardMatch(fb.field, f->name)) fields.push_back(f);
    }
  }
  std::vector<SearchedField> out;
  for (const FieldMapping* f : fields) {
    // Keyword fields hold whole values and shingle sub-fields runs of words: no per-word evidence.
    if (f->type != FieldType::kText || f->shingle_size > 0) continue;
    const std::string& name = match.analyzer.empty() ? f->EffectiveSearchAnalyzer() : match.analyzer;
    const Analyzer* analyzer = ctx.analyzers.Find(name);
    if (analyzer == nullptr) return Status::InvalidArgument("analyzer [" + name + "] not found");
    out.push_back({f, analyzer, terms::TextPrefix(f->ordinal)});
  }
  return out;
}

// How well the index knows one reading of one word.
struct Evidence {
  bool analysed = false;         // some field's analysis left a word (not only stop words)
  Xapian::doccount strength = 0;  // best over fields of the least frequency over its positions
};

class EvidenceReader {
 public:
  EvidenceReader(const Xapian::Database& db, const std::vector<SearchedField>& fields, uint64_t reader_version)
      : db_(db), fields_(fields), reader_version_(reader_version), frequencies_(db, reader_version) {}

  // `word` analysed by `f`'s analyzer into tokens_, unless `*analysed_by` (the analyzer of the
  // previous field) already did: fields sharing an analyzer share its tokens.
  const std::vector<Token>& AnalyseFor(const SearchedField& f, std::string_view word, const Analyzer** analysed_by) {
    if (f.analyzer != *analysed_by) {
      tokens_.clear();
      f.analyzer->Analyze(word, AnalysisMode::kQuery, &tokens_);
      *analysed_by = f.analyzer;
    }
    return tokens_;
  }

  // As the search's fuzziness would find the word: the least, over its analysed positions, of the
  // most frequent term within the allowed edits of one of the position's forms (0: some position
  // finds nothing). Reads each field's cached term dictionary, which the fuzzy search builds too.
  Xapian::doccount ReadFuzzy(std::string_view word, const Fuzziness& fuzziness) {
    Xapian::doccount strength = 0;
    const Analyzer* analysed_by = nullptr;
    for (const SearchedField& f : fields_) {
      if (AnalyseFor(f, word, &analysed_by).empty()) continue;
      auto dict = TermDictionaryCache::Global().Get(db_, f.prefix, reader_version_);
      auto least = LeastOverPositions([&](const std::string& term, Xapian::doccount) {
        const int edits = AllowedEdits(fuzziness, DecodeUtf8(term).size());
        FuzzyOptions options{edits, fuzziness.prefix_length, kFuzzyLookups, true};
        Xapian::doccount most = 0;
        for (const FuzzyMatch& m : dict->Search(term, options)) most = std::max(most, m.freq);
        return most;
      });
      strength = std::max(strength, least.value_or(0));
    }
    return strength;
  }

  // Stops looking once a field gives more than `enough`. Terms of fewer than `min_letters`
  // letters do not count.
  // With `partial`, the word is one being typed (the last of a bool_prefix or phrase_prefix
  // query): a form counts when some term starts with it.
  Evidence Read(std::string_view word, Xapian::doccount enough, size_t min_letters = 0, bool partial = false) {
    Evidence evidence;
    const Analyzer* analysed_by = nullptr;
    for (const SearchedField& f : fields_) {
      if (AnalyseFor(f, word, &analysed_by).empty()) continue;
      evidence.analysed = true;
      auto least = LeastOverPositions([&](const std::string& term, Xapian::doccount best) -> Xapian::doccount {
        if (best > enough) return 0;  // this position is settled
        if (term.empty() || f.prefix.size() + term.size() > terms::kMaxTermBytes) return 0;
        if (min_letters > 0 && LetterCount(term) < min_letters) return 0;
        if (partial) return FreqOfFirstWithPrefix(f.prefix + term);
        return frequencies_.Of(f.prefix, term);
      });
      evidence.strength = std::max(evidence.strength, least.value_or(0));
      if (evidence.strength > enough) break;
    }
    return evidence;
  }

 private:
  // The least over the analysed positions of tokens_ (in position order, a position's
  // alternatives adjacent) of the most that `frequency(term, best so far at the position)` gives
  // one of its forms; stops at a position with 0. nullopt without tokens.
  template <typename FormFrequency>
  std::optional<Xapian::doccount> LeastOverPositions(FormFrequency&& frequency) const {
    std::optional<Xapian::doccount> least;
    size_t i = 0;
    while (i < tokens_.size()) {
      const uint32_t position = tokens_[i].position;
      Xapian::doccount best = 0;
      for (; i < tokens_.size() && tokens_[i].position == position; ++i) {
        best = std::max(best, frequency(tokens_[i].term, best));
      }
      least = least ? std::min(*least, best) : best;
      if (*least == 0) break;
    }
    return least;
  }

  // The frequency of the first term starting with `prefix`, 0 when none does.
  Xapian::doccount FreqOfFirstWithPrefix(const std::string& prefix) {
    Xapian::TermIterator it = db_.allterms_begin(prefix);
    if (it == db_.allterms_end(prefix)) return 0;
    return it.get_termfreq();
  }

  const Xapian::Database& db_;
  const std::vector<SearchedField>& fields_;
  uint64_t reader_version_;
  FieldTermFrequencies frequencies_;  // of the words' forms, from current dictionaries
  std::vector<Token> tokens_;
};

struct WordReading {
  std::string text;
  bool with_typed = false;
};

}  // namespace

Result<LayoutChoice> ChooseLayout(const MatchQuery& match, const SearchContext& ctx) {
  LayoutChoice choice;
  const auto& rewriters = ctx.analyzers.query_rewriters();
  if (rewriters.empty()) return choice;
  const std::vector<Word> words = SplitWords(match.text);
  if (words.empty() || words.size() > kMaxWords) return choice;
  // The rewriters' readings of each word; a word none of them reads otherwise stays as typed.
  std::vector<std::vector<std::string>> candidates(words.size());
  bool any = false;
  for (size_t w = 0; w < words.size(); ++w) {
    const std::string_view word = std::string_view(match.text).substr(words[w].begin, words[w].end - words[w].begin);
    for (const auto& rewriter : rewriters) {
      for (std::string& candidate : rewriter(word)) {
        if (candidate != word) candidates[w].push_back(std::move(candidate));
      }
    }
    any = any || !candidates[w].empty();
  }
  if (!any) return choice;
  auto fields = FieldsOf(match, ctx);
  if (!fields.ok()) return fields.status();
  if (fields->empty()) return choice;

  // The last word of a prefix query is still being typed: it is judged by the terms it begins.
  const bool partial_last = match.type == MatchQuery::Type::kBoolPrefix || match.type == MatchQuery::Type::kPhrasePrefix;
  auto lease = ctx.readers.Acquire();
  if (!lease.ok()) return lease.status();
  std::vector<std::optional<WordReading>> chosen(words.size());
  Status read = RunOnReader(*lease, "choosing the keyboard layout", [&](Xapian::Database& db) {
    std::fill(chosen.begin(), chosen.end(), std::nullopt);
    EvidenceReader reader(db, *fields, lease->version());
    const double docs = static_cast<double>(db.get_doccount());
    std::vector<bool> typed_unknown(words.size(), false);
    bool long_word_converted = false;
    for (size_t w = 0; w < words.size(); ++w) {
      if (candidates[w].empty()) continue;
      const std::string_view word = std::string_view(match.text).substr(words[w].begin, words[w].end - words[w].begin);
      const bool partial = partial_last && w + 1 == words.size();
      // A short typed word is known only as itself: `vae` (мфу on the wrong layout) stems to `va`,
      // Uzbek "and", in most documents, which says nothing about `vae`.
      const size_t typed_letters = LetterCount(word);
      const Evidence typed =
          HasLetterKeyBeforeLetter(word)
              ? Evidence{true, 0}
              : reader.Read(word, kRareFreq, !partial && typed_letters < kRareWordMinLetters ? typed_letters : 0, partial);
      // Nothing left after analysis (a stop word, punctuation): nothing to judge it by.
      if (!typed.analysed || typed.strength > kRareFreq || (partial && typed.strength > 0)) continue;
      typed_unknown[w] = typed.strength == 0;
      for (const std::string& candidate : candidates[w]) {
        // Counted on the reading with more letters: `e[j` is the three-letter ухо.
        const bool short_word = std::max(LetterCount(word), LetterCount(candidate)) <= kShortWordLetters;
        // Enough to decide: any term for an unknown long word, the share for a short one, the
        // margin over a rare one.
        const Xapian::doccount enough =
            typed.strength == 0 ? static_cast<Xapian::doccount>(kShortWordShare * docs) : kCommonerBy * typed.strength;
        // A two-letter reading counts only through terms as long as itself: `sm` read as ыь would
        // otherwise stand on ыь's one-letter Latin form `i`, in every seventh product.
        const Evidence other = reader.Read(candidate, enough, short_word && !partial ? LetterCount(candidate) : 0, partial);
        if (other.strength == 0) continue;
        if (typed.strength == 0) {
          if (short_word && other.strength < kShortWordShare * docs) continue;
          chosen[w] = WordReading{candidate, false};
        } else {
          const size_t letters = std::max(LetterCount(word), LetterCount(candidate));
          if (letters < kRareWordMinLetters || other.strength < kCommonerBy * typed.strength) continue;
          chosen[w] = WordReading{candidate, true};
        }
        long_word_converted = long_word_converted || !short_word;
        break;
      }
    }
    // With fuzziness, a word neither reading knows exactly is read the way the fuzzy search
    // would find something: `xfq` is чай, whose Latin form chay is one edit from choy.
    if (match.fuzziness.mode != Fuzziness::Mode::kNone) {
      for (size_t w = 0; w < words.size(); ++w) {
        if (chosen[w] || !typed_unknown[w] || (partial_last && w + 1 == words.size())) continue;
        const std::string_view word = std::string_view(match.text).substr(words[w].begin, words[w].end - words[w].begin);
        if (!HasLetterKeyBeforeLetter(word) && reader.ReadFuzzy(word, match.fuzziness) > 0) continue;
        for (const std::string& candidate : candidates[w]) {
          if (std::max(LetterCount(word), LetterCount(candidate)) <= kShortWordLetters) continue;
          if (reader.ReadFuzzy(candidate, match.fuzziness) == 0) continue;
          chosen[w] = WordReading{candidate, false};
          long_word_converted = true;
          break;
        }
      }
    }
    // The shopper typed the whole query on one layout: once a longer word shows it, the query's
    // other words the index does not know as typed (short words, stop words, a typo) go with it.
    if (long_word_converted) {
      for (size_t w = 0; w < words.size(); ++w) {
        if (!chosen[w] && typed_unknown[w]) chosen[w] = WordReading{candidates[w].front(), false};
      }
    }
    return Status::OK();
  });
  if (!read.ok()) return read;
  if (std::none_of(chosen.begin(), chosen.end(), [](const auto& c) { return c.has_value(); })) return choice;
  // The typed text with each converted word replaced, separators kept.
  size_t copied = 0;
  for (size_t w = 0; w < words.size(); ++w) {
    if (!chosen[w]) continue;
    choice.reading.append(match.text, copied, words[w].begin - copied);
    choice.reading.append(chosen[w]->text);
    choice.with_typed = choice.with_typed || chosen[w]->with_typed;
    copied = words[w].end;
  }
  choice.reading.append(match.text, copied, std::string::npos);
  return choice;
}

}  // namespace ultrasearch
