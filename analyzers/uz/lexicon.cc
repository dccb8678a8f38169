#include "uz/lexicon.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <unordered_set>
#include <utility>

namespace ultrasearch::analyzers::uzlex {
namespace {

// Roots ending like a suffix (-im, -i, -si, -m, -ng, -ni, -da, -ga, -lar, -li, -chi, -lik, -gi,
// -mi, -dir, -siz...). Grouped by the suffix they would otherwise lose.
constexpr std::string_view kProtected[] = {
    // -im / -m
    "kiyim", "tizim", "bo`lim", "yelim", "iqlim", "muhim", "ta'lim", "hakim", "qadim", "doim",
    "kilim", "kirim", "chiqim", "bilim", "taqsim", "yig`im", "o`lchim", "ko`rim", "gilam",
    "qalam", "olam", "odam", "qadam", "to`plam", "bodom", "salom", "uzum", "premium", "minimum",
    "maksimum", "forum", "albom", "atom", "islom", "kilogram", "gram", "milligram", "program",
    "telegram", "instagram", "hajm", "jism", "ism", "qism", "rasm", "tilsim", "mavsum",
    "hokim", "karim", "rahim", "halim", "salim", "alim", "odim",
    // -im nouns of two syllables and more, which the greedy -im would cut (oq + -im, maros + -im)
    "oqim", "marosim", "lavozim", "mulozim", "taqdim", "tushum", "hujum",
    // -i / -si
    "yangi", "eski", "ichki", "tashqi", "pushti", "ikki", "olti", "yetti", "kursi", "taksi",
    "mini", "maxi", "midi", "keyingi", "oldingi", "so`nggi", "kechagi", "qishki", "yozgi",
    "kuzgi", "bahorgi", "ertangi", "bugungi", "hozirgi", "avvalgi", "dastlabki", "oxirgi",
    "sport", "kofe", "kakao", "radio", "foto", "video", "audio", "stereo", "metro", "kino",
    "ski", "safari", "mersi", "hindi", "urdu", "suzuki", "mitsubishi", "bugatti", "ferrari",
    "zanussi", "gucci", "versace", "armani", "wi", "fi", "hi", "xiaomi", "redmi",
    // -ng / -ing / -ngiz
    "rang", "kulrang", "jigarrang", "kumushrang", "oltinrang", "qizg`ishrang", "to`qrang",
    "ochrang", "ming", "keng", "teng", "yeng", "dengiz", "ring", "king", "parking", "marketing",
    "shopping", "camping", "leasing", "lizing", "kemping", "brifing", "reyting", "trening",
    "samsung", "boeing", "xolding", "holding", "pudding", "dumpling",
    // -ni / -ning
    "xitoyni", "lamborghini", "bikini", "martini", "panini",
    // -da / -dan / -ga / -ka / -qa
    "honda", "skoda", "panda", "veranda", "agenda", "lada", "moda", "soda", "yoda", "sedan",
    "chamadan", "jamadon", "chamadon", "maydan", "maydon", "volga", "omega", "yoga", "saga",
    "taiga", "manga", "tonga", "ganga", "bodega", "vega", "riga", "chinga",
    // -lar
    "dollar", "pillar", "sellar", "ular", "bular", "shular", "cellar", "kular",
    // -li / -lik / -chi / -siz
    "ali", "vali", "bali", "mali", "chili", "deli", "kali", "lalli", "tamli", "qaychi",
    "kuchi", "pichi", "kulcha", "gilos", "malik", "kelik", "bilik", "ilik",
    // -mi / -dir / -gina
    "nodir", "qodir", "kadir", "sadir", "abdulqodir", "ragina", "vagina", "regina",
    // -im after a consonant that ends an adjective or noun commonly
    "qilich", "zanjir",
};

constexpr std::pair<std::string_view, std::string_view> kVowelDrop[] = {
    {"og`z", "og`iz"},   {"burn", "burun"},   {"shahr", "shahar"}, {"bag`r", "bag`ir"},
    {"qorn", "qorin"},   {"o`g`l", "o`g`il"}, {"singl", "singil"}, {"ko`ngl", "ko`ngil"},
    {"bo`yn", "bo`yin"}, {"o`rn", "o`rin"},   {"zahr", "zahar"},   {"bo`g`z", "bo`g`iz"},
    {"qayn", "qayin"},   {"sahr", "sahar"},   {"ko`ks", "ko`kis"},
};

const std::unordered_set<std::string_view>& ProtectedSet() {
  static const std::unordered_set<std::string_view> set(std::begin(kProtected),
                                                        std::end(kProtected));
  return set;
}

}  // namespace

bool IsProtectedRoot(std::string_view word) {
  if (ProtectedSet().count(word) != 0) return true;
  // Families: kulrang, to`qrang...; kilogram, telegram...; katalog is handled by the stemmer.
  // -zoda names (Rustamzoda, Yusufzoda) end like the locative.
  for (std::string_view tail :
       {std::string_view("rang"), std::string_view("gram"), std::string_view("zoda")}) {
    if (word.size() > tail.size() && word.substr(word.size() - tail.size()) == tail) return true;
  }
  return false;
}

std::string_view RestoreDroppedVowel(std::string_view stem) {
  for (const auto& [dropped, full] : kVowelDrop) {
    if (stem == dropped) return full;
  }
  return {};
}

std::string_view RootWithDroppedVowel(std::string_view word) {
  for (const auto& [dropped, full] : kVowelDrop) {
    if (word.size() > dropped.size() && word.substr(0, dropped.size()) == dropped &&
        word[dropped.size()] == 'i') {
      return full;
    }
  }
  return {};
}

}  // namespace ultrasearch::analyzers::uzlex
