#include "highlight/passages.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <unordered_map>

#include "ultrasearch/utf8.h"

namespace ultrasearch::highlight {

namespace {

constexpr int32_t kDone = icu::BreakIterator::DONE;

// Break iterators are stateful and costly to create: one of each per thread (root locale, as
// Elasticsearch's default boundary_scanner_locale).
struct ThreadBreakers {
  std::unique_ptr<icu::BreakIterator> sentences;
  std::unique_ptr<icu::BreakIterator> words;
};

ThreadBreakers* Breakers() {
  thread_local ThreadBreakers breakers;
  thread_local bool tried = false;
  if (!tried) {
    tried = true;
    UErrorCode status = U_ZERO_ERROR;
    breakers.sentences.reset(icu::BreakIterator::createSentenceInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status)) breakers.sentences.reset();
    status = U_ZERO_ERROR;
    breakers.words.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status)) breakers.words.reset();
  }
  return breakers.sentences && breakers.words ? &breakers : nullptr;
}

// The last boundary before `offset`, or the text's start.
int32_t Before(icu::BreakIterator& bi, int32_t offset) {
  int32_t r = bi.preceding(offset);
  return r == kDone ? 0 : r;
}
// The first boundary after `offset`, or the text's end.
int32_t After(icu::BreakIterator& bi, int32_t offset, int32_t length) {
  if (offset >= length) return length;
  int32_t r = bi.following(std::max(offset, 0));
  return r == kDone ? length : r;
}

// Whether `text` is one sentence for UAX #29: sentences end only after a terminator (., !, ?
// and their kin) or a paragraph separator, so text without one never breaks. Names usually are;
// checking is far cheaper than running the sentence iterator.
bool OneSentence(const icu::UnicodeString& text) {
  const char16_t* p = text.getBuffer();
  for (int32_t i = 0, n = text.length(); i < n; ++i) {
    const char16_t c = p[i];
    if (c < 0x80) {
      if (c == '.' || c == '!' || c == '?' || c == '\n' || c == '\r') return false;
      continue;
    }
    switch (u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK)) {
      case U_SB_STERM: case U_SB_ATERM: case U_SB_SEP: case U_SB_CR: case U_SB_LF: return false;
      default: break;
    }
  }
  return true;
}

// Elasticsearch's BoundedBreakIteratorScanner: a passage is the sentence holding the match,
// extended by the following sentences while the whole stays within max_len; a single sentence
// longer than max_len is cut at the word boundaries around the match instead. Called with
// increasing offsets, as the passage builder does.
class BoundedScanner {
 public:
  // Sets the break iterators on `text`, which must outlive the scanner; the word iterator only
  // when a sentence is cut.
  BoundedScanner(ThreadBreakers& breakers, const icu::UnicodeString& text, int32_t max_len)
      : sentences_(*breakers.sentences), words_(*breakers.words), text_(text), max_len_(max_len),
        length_(text.length()), one_sentence_(OneSentence(text)) {
    if (!one_sentence_) sentences_.setText(text_);
  }

  // The start of the passage holding the match that starts at offset - 1; Following() is its end.
  int32_t Preceding(int32_t offset) {
    if (max_len_ <= 0) {  // fragment_size 0: whole sentences, never split
      inner_start_ = SentenceBefore(offset);
      inner_end_ = SentenceAfter(offset - 1);
      return inner_start_;
    }
    if (offset > window_start_ && offset < window_end_) {
      // Still inside the long sentence the last passage was cut from: continue after it.
      inner_start_ = inner_end_;
      inner_end_ = window_end_;
    } else {
      window_start_ = inner_start_ = SentenceBefore(offset);
      window_end_ = inner_end_ = SentenceAfter(offset - 1);
      while (inner_end_ - inner_start_ < max_len_) {
        int32_t next = inner_end_ >= length_ ? kDone : SentenceAfter(inner_end_);
        if (next == kDone || next - inner_start_ > max_len_) break;
        window_end_ = inner_end_ = next;
      }
    }
    if (inner_end_ - inner_start_ > max_len_) {
      // Too long: take words on the left of the match first, then what remains on its right.
      if (!words_set_) {
        words_.setText(text_);
        words_set_ = true;
      }
      if (offset - max_len_ > inner_start_) inner_start_ = std::max(inner_start_, Before(words_, offset - max_len_));
      const int32_t remaining = std::max(0, max_len_ - (offset - inner_start_));
      if (offset + remaining < window_end_) {
        inner_end_ = std::min(window_end_, After(words_, offset + remaining, length_));
      }
    }
    return inner_start_;
  }
  int32_t Following() const { return inner_end_; }

 private:
  int32_t SentenceBefore(int32_t offset) { return one_sentence_ ? 0 : Before(sentences_, offset); }
  int32_t SentenceAfter(int32_t offset) { return one_sentence_ ? length_ : After(sentences_, offset, length_); }

  icu::BreakIterator& sentences_;
  icu::BreakIterator& words_;
  const icu::UnicodeString& text_;
  const int32_t max_len_;
  const int32_t length_;
  const bool one_sentence_;
  bool words_set_ = false;
  int32_t window_start_ = -1, window_end_ = -1;
  int32_t inner_start_ = -1, inner_end_ = -1;
};

struct Passage {
  size_t value = 0;     // index of the value it is cut from
  int32_t start = 0;    // UTF-16 offsets into that value
  int32_t end = 0;
  int32_t base = 0;     // offset of the value in the field's content (values joined by one separator)
  std::vector<const TermMatch*> matches;
  float score = 0;
};

// Lucene's PassageScorer defaults: BM25 with each passage a document of the field's content.
constexpr float kK1 = 1.2f, kB = 0.75f, kPivot = 87.0f;

float Score(const Passage& p, int32_t content_length, const std::unordered_map<std::string_view, int>& field_freq) {
  std::unordered_map<std::string_view, int> in_passage;
  for (const TermMatch* m : p.matches) ++in_passage[m->term];
  const float docs = 1 + static_cast<float>(content_length) / kPivot;
  const float norm_len = kK1 * ((1 - kB) + kB * (static_cast<float>(p.end - p.start) / kPivot));
  float score = 0;
  for (const auto& [term, freq] : in_passage) {
    auto it = field_freq.find(term);
    const int total = it == field_freq.end() ? freq : it->second;
    const float weight = (kK1 + 1) * static_cast<float>(std::log(1 + (docs + 0.5) / (total + 0.5)));
    score += static_cast<float>(freq) / (static_cast<float>(freq) + norm_len) * weight;
  }
  return score * (1 + 1 / static_cast<float>(std::log(kPivot + static_cast<float>(p.base + p.start))));
}

// Lucene's SimpleHTMLEncoder.
void AppendEncoded(std::string_view text, bool html, std::string* out) {
  if (!html) {
    out->append(text);
    return;
  }
  for (char c : text) {
    switch (c) {
      case '"': *out += "&quot;"; break;
      case '&': *out += "&amp;"; break;
      case '<': *out += "&lt;"; break;
      case '>': *out += "&gt;"; break;
      case '\'': *out += "&#x27;"; break;
      case '/': *out += "&#x2F;"; break;
      default: out->push_back(c);
    }
  }
}

void AppendRange(const icu::UnicodeString& text, int32_t from, int32_t to, bool html, std::string* out) {
  if (to <= from) return;
  std::string utf8;
  text.tempSubStringBetween(from, to).toUTF8String(utf8);
  AppendEncoded(utf8, html, out);
}

// Java's String.trim(), which Elasticsearch applies to each snippet: code points up to U+0020.
void TrimJava(std::string* s) {
  size_t begin = 0, end = s->size();
  while (begin < end && static_cast<unsigned char>((*s)[begin]) <= 0x20) ++begin;
  while (end > begin && static_cast<unsigned char>((*s)[end - 1]) <= 0x20) --end;
  *s = s->substr(begin, end - begin);
}

// Elasticsearch's CustomPassageFormatter: text between matches as is (encoded), overlapping
// matches merged under one pair of tags, then trimmed.
std::string Format(const Passage& p, const icu::UnicodeString& text, const HighlightField& options) {
  std::string out;
  int32_t pos = p.start;
  for (size_t i = 0; i < p.matches.size(); ++i) {
    const int32_t start = std::max(pos, static_cast<int32_t>(p.matches[i]->start));
    int32_t end = static_cast<int32_t>(p.matches[i]->end);
    while (i + 1 < p.matches.size() && static_cast<int32_t>(p.matches[i + 1]->start) < end) {
      end = std::max(end, static_cast<int32_t>(p.matches[++i]->end));
    }
    end = std::min(end, p.end);
    if (end <= start) continue;
    AppendRange(text, pos, start, options.html_encode, &out);
    out += options.pre_tag;
    AppendRange(text, start, end, options.html_encode, &out);
    out += options.post_tag;
    pos = end;
  }
  AppendRange(text, pos, std::max(pos, p.end), options.html_encode, &out);
  TrimJava(&out);
  return out;
}

// Without a match: the first non-empty value up to the first word boundary at or after
// no_match_size (Elasticsearch's getSummaryPassagesNoHighlight).
std::vector<std::string> NoMatchFragment(const std::vector<ValueMatches>& values, const HighlightField& options,
                                         ThreadBreakers* breakers) {
  for (const ValueMatches& v : values) {
    if (v.text.empty()) continue;
    icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(v.text.data(), static_cast<int32_t>(v.text.size())));
    const int32_t length = text.length();
    int32_t end = length;
    const auto size = static_cast<int32_t>(std::min<uint32_t>(options.no_match_size, INT32_MAX));
    if (size < length && breakers != nullptr) {
      breakers->words->setText(text);
      end = After(*breakers->words, size - 1, length);
    } else if (size < length) {
      end = size;
    }
    Passage whole;
    whole.end = end;
    std::string fragment = Format(whole, text, options);
    if (fragment.empty()) return {};
    return {std::move(fragment)};
  }
  return {};
}

}  // namespace

std::vector<std::string> BuildFragments(const std::vector<ValueMatches>& values, const HighlightField& options) {
  ThreadBreakers* breakers = Breakers();
  bool any = false;
  for (const ValueMatches& v : values) any = any || !v.matches.empty();
  if (!any) return options.no_match_size > 0 ? NoMatchFragment(values, options, breakers) : std::vector<std::string>{};

  // The field's content as Elasticsearch sees it: the values joined by one separator character.
  std::vector<icu::UnicodeString> texts(values.size());
  std::vector<int32_t> bases(values.size());
  int32_t content_length = 0;
  std::unordered_map<std::string_view, int> field_freq;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) ++content_length;
    bases[i] = content_length;
    if (!values[i].matches.empty()) {
      texts[i] = icu::UnicodeString::fromUTF8(
          icu::StringPiece(values[i].text.data(), static_cast<int32_t>(values[i].text.size())));
      content_length += texts[i].length();
    } else {
      content_length += static_cast<int32_t>(Utf16Length(values[i].text));
    }
    for (const TermMatch& m : values[i].matches) ++field_freq[m.term];
  }

  std::vector<Passage> passages;
  const bool whole_values = options.number_of_fragments == 0 || breakers == nullptr;
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i].matches.empty()) continue;
    const icu::UnicodeString& text = texts[i];
    const int32_t length = text.length();
    if (whole_values) {
      Passage p{i, 0, length, bases[i], {}, 0};
      for (const TermMatch& m : values[i].matches) {
        if (static_cast<int32_t>(m.start) < length) p.matches.push_back(&m);
      }
      if (!p.matches.empty()) passages.push_back(std::move(p));
      continue;
    }
    BoundedScanner scanner(*breakers, text, static_cast<int32_t>(std::min<uint32_t>(options.fragment_size, INT32_MAX)));
    Passage* current = nullptr;
    for (const TermMatch& m : values[i].matches) {
      const auto start = static_cast<int32_t>(m.start);
      if (start >= length) break;
      if (current != nullptr && start >= current->end) current = nullptr;
      if (current == nullptr) {
        const int32_t passage_start = scanner.Preceding(start + 1);
        passages.push_back(Passage{i, passage_start, std::min(scanner.Following(), length), bases[i], {}, 0});
        current = &passages.back();
      }
      current->matches.push_back(&m);
    }
  }
  for (Passage& p : passages) p.score = Score(p, content_length, field_freq);

  // The best passages (ties: the earlier), then text order unless ordered by score.
  auto earlier = [](const Passage& a, const Passage& b) { return a.base + a.start < b.base + b.start; };
  std::stable_sort(passages.begin(), passages.end(), [&](const Passage& a, const Passage& b) {
    return a.score != b.score ? a.score > b.score : earlier(a, b);
  });
  if (options.number_of_fragments > 0 && passages.size() > options.number_of_fragments) {
    passages.resize(options.number_of_fragments);
  }
  if (!options.order_by_score) std::stable_sort(passages.begin(), passages.end(), earlier);

  std::vector<std::string> fragments;
  for (const Passage& p : passages) {
    std::string fragment = Format(p, texts[p.value], options);
    if (!fragment.empty()) fragments.push_back(std::move(fragment));
  }
  return fragments;
}

}  // namespace ultrasearch::highlight
