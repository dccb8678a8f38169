// Known Uzbek roots (dictionary evidence for the stemmer): when a word can be split several ways,
// the split that leaves a known root wins (telefoni is telefon + -i, not telefo + -ni). Working
// alphabet as in lexicon.h. Catalog vocabulary first, then common words.
#include <string_view>
#include <unordered_set>

#include "uz/lexicon.h"

namespace ultrasearch::analyzers::uzlex {
namespace {

constexpr std::string_view kRoots[] = {
    // electronics, computers, appliances
    "telefon", "smartfon", "planshet", "televizor", "quloqchin", "soat", "powerbank", "qurilma",
    "g`ilof", "kompyuter", "noutbuk", "monitor", "sichqoncha", "klaviatura", "printer", "router",
    "fleshka", "muzlatgich", "mashina", "konditsioner", "changyutgich", "plita", "isitgich",
    "dazmol", "multivarka", "choynak", "blender", "pech", "qahva", "maydalagich", "kamera",
    "ekran", "batareya", "zaryad", "kabel", "displey", "protsessor", "xotira", "karta", "sim",
    "lampa", "chiroq", "ventilyator", "mikroto`lqin", "dinamik", "kolonka", "naushnik",
    // beauty, clothes, food, kids, home
    "atir", "krem", "yuz", "soch", "shampun", "pomada", "lab", "fen", "mashinka", "tufli",
    "poyabzal", "krossovka", "ko`ylak", "futbolka", "jinsi", "shim", "kurtka", "kostyum",
    "choy", "shokolad", "makaron", "ichimlik", "sut", "mahsulot", "o`yinchoq", "konstruktor",
    "taglik", "ovqat", "aravacha", "qozon", "choyshab", "to`plam", "asbob", "drel", "bolgarka",
    "velosiped", "samokat", "trenajyor", "gantel", "to`p", "shina", "motor", "moy",
    "akkumulyator", "videoregistrator", "kitob", "daftar", "ruchka", "qalam", "sumka", "divan",
    "stol", "stul", "karavot", "gilam", "parda", "idish", "piyola", "qoshiq", "pichoq",
    "likopcha", "olma", "uzum", "non", "go`sht", "tuxum", "shakar", "suv", "sovun", "mato",
    "rezina", "muqova", "mexanizm", "rang", "hid", "tovar", "narx", "chegirma", "sovg`a",
    "buyurtma", "yetkazib", "do`kon", "bozor", "sotuv", "xarid", "kafolat", "sifat", "model",
    "brend", "ma'no", "mano", "o`lcham", "hajm", "og`irlik", "quvvat", "rejim", "funksiya", "material",
    // nouns in -l, -s whose possessive -i the greedy rules would read as -li or -si
    "jurnal", "jadval", "terminal", "signal", "kanal", "pedal", "portal", "detal", "original",
    "serial", "festival", "metall", "fayl", "profil", "mobil", "virus", "avtobus", "korpus",
    "bonus", "plyus", "fokus", "kompas", "ofis", "servis", "biznes", "adres", "protsess", "tennis",
    "press", "klass", "atlas", "nasos", "kosmos",
    // people, places, common nouns
    "bola", "ona", "ota", "aka", "uka", "opa", "singil", "erkak", "ayol", "qiz", "o`g`il",
    "odam", "inson", "uy", "xona", "eshik", "deraza", "devor", "hovli", "bog`", "shahar",
    "qishloq", "ko`cha", "yo`l", "maktab", "universitet", "ish", "kun", "yil", "oy", "hafta",
    "vaqt", "tog`", "daryo", "dengiz", "yer", "osmon", "quyosh", "til", "so`z", "gap", "savol",
    "javob", "ism", "yurak", "qo`l", "oyoq", "bosh", "ko`z", "quloq", "burun", "og`iz", "tish",
    "tilak", "mehmon", "do`st", "o`qituvchi", "o`quvchi", "talaba", "shifokor", "haydovchi",
    "sotuvchi", "xaridor", "ishchi", "dehqon", "pul", "so`m", "dollar", "baho", "savdo",
    "o`zbekiston", "toshkent", "samarqand", "buxoro", "farg`ona", "andijon", "namangan",
    "qoraqalpog`iston", "xorazm", "navoiy", "jizzax", "sirdaryo", "surxondaryo", "qashqadaryo",
    // adjectives and colours
    "qora", "oq", "ko`k", "qizil", "yashil", "sariq", "kulrang", "jigarrang", "pushti",
    "binafsha", "katta", "kichik", "yangi", "eski", "yaxshi", "arzon", "qimmat", "tez",
    "issiq", "sovuq", "yumshoq", "qattiq", "kuchli", "yengil", "og`ir",
};

const std::unordered_set<std::string_view>& RootSet() {
  static const std::unordered_set<std::string_view> set(std::begin(kRoots), std::end(kRoots));
  return set;
}

}  // namespace

bool IsKnownRoot(std::string_view word) { return RootSet().count(word) != 0 || IsProtectedRoot(word); }

}  // namespace ultrasearch::analyzers::uzlex
