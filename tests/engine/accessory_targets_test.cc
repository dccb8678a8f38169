// Which words of a product name say what an accessory is for (engine/src/index/accessory_targets.h).
// Expected words are read off each name as a shopper would: the product the accessory fits.
#include "index/accessory_targets.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ultrasearch/utf8.h"

namespace ultrasearch {
namespace {

// Splits `text` into words at spaces and punctuation, with UTF-16 offsets and one position per
// word, as an analyzer would (terms keep their case: markers here are written in lower case).
std::vector<Token> Words(const std::string& text) {
  std::vector<Token> tokens;
  const std::u32string cps = DecodeUtf8(text);
  uint32_t offset = 0, position = 0;
  Token current;
  bool in_word = false;
  auto is_word_char = [](char32_t c) { return std::u32string_view(U" ,;:()[].!?|/\u2013\u2014").find(c) == std::u32string_view::npos; };
  for (char32_t c : cps) {
    if (is_word_char(c)) {
      if (!in_word) {
        current = Token{};
        current.start_offset = offset;
        current.position = position++;
        in_word = true;
      }
      AppendUtf8(c, &current.term);
    } else if (in_word) {
      current.end_offset = offset;
      tokens.push_back(current);
      in_word = false;
    }
    offset += c > 0xFFFF ? 2 : 1;
  }
  if (in_word) {
    current.end_offset = offset;
    tokens.push_back(current);
  }
  return tokens;
}

std::vector<std::string> Targets(const std::string& text) {
  const std::vector<Token> tokens = Words(text);
  const std::vector<bool> marked = MarkAccessoryTargets(text, tokens);
  std::vector<std::string> out;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (marked[i]) out.push_back(tokens[i].term);
  }
  return out;
}

using Strings = std::vector<std::string>;

TEST(AccessoryTargetsTest, UchunMarksTheWordsBeforeItBackToPunctuation) {
  EXPECT_EQ(Targets("Spigen Ultra Hybrid gʻilofi, iPhone 15 uchun, shaffof"), (Strings{"iPhone", "15"}));
  EXPECT_EQ(Targets("Ғилоф Spigen Liquid Air, iPhone 13 учун, қора"), (Strings{"iPhone", "13"}));
  EXPECT_EQ(Targets("Kundalik foydalanish uchun oddiy smartfon"), (Strings{"Kundalik", "foydalanish"}));
}

TEST(AccessoryTargetsTest, DlyaMarksTheWordsAfterItUpToPunctuation) {
  EXPECT_EQ(Targets("Чехол для iPhone 15, силиконовый"), (Strings{"iPhone", "15"}));
  EXPECT_EQ(Targets("Чехол-книжка Nillkin Qin для Redmi Note 13, чёрный"), (Strings{"Redmi", "Note", "13"}));
  EXPECT_EQ(Targets("chexol dlya iPhone 15"), (Strings{"iPhone", "15"}));
}

TEST(AccessoryTargetsTest, ARunStopsAfterFourWordsOrAtAnotherMarker) {
  EXPECT_EQ(Targets("Чехол для Samsung Galaxy S24 Ultra 5G чёрный"), (Strings{"Samsung", "Galaxy", "S24", "Ultra"}));
  EXPECT_EQ(Targets("Qopqoq для iPhone для iPad"), (Strings{"iPhone", "iPad"}));
}

TEST(AccessoryTargetsTest, NamesWithoutAMarkerOrWithNothingToMarkHaveNoTargets) {
  EXPECT_EQ(Targets("Apple iPhone 15 smartfoni 128 GB, qora"), Strings{});
  EXPECT_EQ(Targets("uchun"), Strings{});
  EXPECT_EQ(Targets("Чехол для"), Strings{});
  EXPECT_EQ(Targets("Gʻilof, uchun iPhone"), Strings{});  // a comma right before the marker
  EXPECT_EQ(Targets(""), Strings{});
}

TEST(AccessoryTargetsTest, AlternativesAtOnePositionShareTheirMark) {
  // The catalog analyzer emits a Russian word and its transliteration at one position.
  std::vector<Token> tokens = {{"чехол", 0, 5, 0}, {"chehol", 0, 5, 0}, {"для", 6, 9, 1}, {"dlya", 6, 9, 1},
                               {"iphone", 10, 16, 2}, {"iphon", 10, 16, 2}, {"15", 17, 19, 3}};
  EXPECT_EQ(MarkAccessoryTargets("Чехол для iPhone 15", tokens),
            (std::vector<bool>{false, false, false, false, true, true, true}));
}

}  // namespace
}  // namespace ultrasearch
