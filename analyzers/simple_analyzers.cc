#include "simple_analyzers.h"

#include <unicode/uchar.h>

#include "common/text.h"
#include "common/word_analyzer.h"

namespace ultrasearch::analyzers {
namespace {

constexpr int32_t kMaxTokenLength = 255;  // Elasticsearch's max_token_length, in code units here

class StandardAnalyzer : public Analyzer {
 public:
  void Analyze(std::string_view text, AnalysisMode, std::vector<Token>* out) const override {
    icu::UnicodeString utf16 = FromUtf8(text);
    std::vector<Segment> segments;
    SegmentWords(utf16, &segments);
    uint32_t position = 0;
    for (const Segment& seg : segments) {
      for (int32_t start = seg.start; start < seg.end; start += kMaxTokenLength) {
        int32_t end = std::min(seg.end, start + kMaxTokenLength);
        Token token;
        token.term = LowerUtf8(utf16, start, end);
        token.start_offset = static_cast<uint32_t>(start);
        token.end_offset = static_cast<uint32_t>(end);
        token.position = position++;
        token.type = TokenTypeForStatus(seg.rule_status);
        out->push_back(std::move(token));
      }
    }
  }
};

class KeywordAnalyzer : public Analyzer {
 public:
  void Analyze(std::string_view text, AnalysisMode, std::vector<Token>* out) const override {
    if (text.empty()) return;
    icu::UnicodeString utf16 = FromUtf8(text);
    Token token;
    utf16.toUTF8String(token.term);  // replaces invalid UTF-8 by U+FFFD
    token.end_offset = static_cast<uint32_t>(utf16.length());
    token.type = "word";
    out->push_back(std::move(token));
  }
};

class WhitespaceAnalyzer : public Analyzer {
 public:
  void Analyze(std::string_view text, AnalysisMode, std::vector<Token>* out) const override {
    icu::UnicodeString utf16 = FromUtf8(text);
    const int32_t n = utf16.length();
    uint32_t position = 0;
    int32_t i = 0;
    while (i < n) {
      while (i < n && u_isWhitespace(utf16.char32At(i))) i = utf16.moveIndex32(i, 1);
      if (i >= n) break;
      int32_t start = i;
      while (i < n && !u_isWhitespace(utf16.char32At(i))) i = utf16.moveIndex32(i, 1);
      Token token;
      icu::UnicodeString(utf16, start, i - start).toUTF8String(token.term);
      token.start_offset = static_cast<uint32_t>(start);
      token.end_offset = static_cast<uint32_t>(i);
      token.position = position++;
      token.type = "word";
      out->push_back(std::move(token));
    }
  }
};

}  // namespace

std::shared_ptr<const Analyzer> MakeStandardAnalyzer() { return std::make_shared<StandardAnalyzer>(); }
std::shared_ptr<const Analyzer> MakeKeywordAnalyzer() { return std::make_shared<KeywordAnalyzer>(); }
std::shared_ptr<const Analyzer> MakeWhitespaceAnalyzer() {
  return std::make_shared<WhitespaceAnalyzer>();
}

}  // namespace ultrasearch::analyzers
