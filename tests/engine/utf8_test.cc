// ultrasearch/utf8.h: expected values from the Unicode Standard (chapter 3, §3.9: well-formed
// byte sequences in Table 3-7, the U+FFFD substitution of maximal subparts in Table 3-8).
#include "ultrasearch/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace ultrasearch {
namespace {

TEST(Utf8Test, DecodesEveryLength) {
  // a (1 byte), Ж U+0416 (2), ʻ U+02BB (2), € U+20AC (3), 😀 U+1F600 (4).
  EXPECT_EQ(DecodeUtf8("a\xD0\x96\xCA\xBB\xE2\x82\xAC\xF0\x9F\x98\x80"), U"a\u0416\u02BB\u20AC\U0001F600");
  EXPECT_EQ(DecodeUtf8(""), U"");
}

TEST(Utf8Test, MaximalSubpartsBecomeOneReplacementEach) {
  // The example of Table 3-8: F1 80 80 and E1 80 are truncated sequences, C2 lacks its trail byte,
  // and each stray 80 / BF stands alone.
  const std::string bytes = "\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64";
  EXPECT_EQ(DecodeUtf8(bytes), U"a\uFFFD\uFFFD\uFFFDb\uFFFDc\uFFFD\uFFFDd");
}

TEST(Utf8Test, NextCodePointStepsOverAnIllFormedSubpart) {
  const std::string text = "\xE1\x80x";
  size_t i = 0;
  EXPECT_EQ(NextCodePoint(text, &i), kReplacementCharacter);
  EXPECT_EQ(i, 2u);
  EXPECT_EQ(NextCodePoint(text, &i), U'x');
  EXPECT_EQ(i, 3u);
}

TEST(Utf8Test, FindsTheFirstIllFormedSequence) {
  EXPECT_EQ(FindInvalidUtf8("plain ascii"), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("Oʻzbekiston холодильник 😀"), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("ab\xC3\x28"), 2u);            // lead byte followed by ASCII
  EXPECT_EQ(FindInvalidUtf8("x\xED\xA0\x80"), 1u);         // surrogate U+D800
  EXPECT_EQ(FindInvalidUtf8("\xC0\xAF"), 0u);              // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("\xE0\x80\xAF"), 0u);          // overlong in three bytes
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), 0u);      // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("\xD0\xB0\xD0"), 2u);          // truncated at the end
  EXPECT_EQ(FindInvalidUtf8("\xFF"), 0u);
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));            // U+10FFFF, the last code point
  EXPECT_FALSE(IsValidUtf8("ok\x80"));
}

TEST(Utf8Test, AppendsScalarValuesAndReplacesTheRest) {
  std::string out;
  AppendUtf8(U'z', &out);
  AppendUtf8(0x0416, &out);
  AppendUtf8(0x20AC, &out);
  AppendUtf8(0x1F600, &out);
  EXPECT_EQ(out, "z\xD0\x96\xE2\x82\xAC\xF0\x9F\x98\x80");
  out.clear();
  AppendUtf8(0xD800, &out);
  AppendUtf8(0x110000, &out);
  EXPECT_EQ(out, "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(Utf8Test, ToValidUtf8KeepsWellFormedTextAndReplacesTheRest) {
  EXPECT_EQ(ToValidUtf8("холодильник"), "холодильник");
  EXPECT_EQ(ToValidUtf8("a\xE1\x80" "b\xFF"), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
}

TEST(Utf8Test, TruncatesOnlyAtCodePointBoundaries) {
  const std::string text = "\xD0\x96\xF0\x9F\x98\x80z";  // Ж (2 bytes), 😀 (4), z (1)
  EXPECT_EQ(TruncateToCodePoint(text, 0), 0u);
  EXPECT_EQ(TruncateToCodePoint(text, 1), 0u);
  EXPECT_EQ(TruncateToCodePoint(text, 2), 2u);
  EXPECT_EQ(TruncateToCodePoint(text, 5), 2u);
  EXPECT_EQ(TruncateToCodePoint(text, 6), 6u);
  EXPECT_EQ(TruncateToCodePoint(text, 7), 7u);
  EXPECT_EQ(TruncateToCodePoint(text, 100), 7u);
}

TEST(Utf8Test, CountsUtf16CodeUnitsAsJavaDoes) {
  EXPECT_EQ(Utf16Length(""), 0u);
  EXPECT_EQ(Utf16Length("abc"), 3u);
  EXPECT_EQ(Utf16Length("Жук"), 3u);
  EXPECT_EQ(Utf16Length("a\xF0\x9F\x98\x80"), 3u);  // a supplementary code point is a surrogate pair
}

}  // namespace
}  // namespace ultrasearch
