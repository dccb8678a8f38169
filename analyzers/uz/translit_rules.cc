// ICU rule syntax: rules are tried in order at each position, first match wins, so longer and
// more specific contexts come first. `^` anchors at the start of the (single) word. A before
// context `x {` sees text that is already converted, an after context `} x` text that is not.
#include "uz/translit_rules.h"

namespace ultrasearch::analyzers {

const char16_t kUzCyrlToLatnRules[] =
    u"$lv = [aeiou];\n"              // vowels already converted
    u"$cv = [аеёиоуэюяў];\n"          // vowels not yet converted
    // ъ: dropped before е/ё/ю/я (Russian loans: объект) and after ў (мўъжиза), else ʼ.
    u"ъе > ye; ъё > yo; ъю > yu; ъя > ya;\n"
    u"ўъ > o\u02BB;\n"
    u"ъ > \u02BC;\n"
    // ь: dropped (альбом → albom, фильм → film); the vowel after it starts a syllable
    // (павильон → pavilyon).
    // (Appendix rule 2: before е ё ю я it gives ye yo yu ya, before о и a y: Ильин → Ilyin.)
    u"ьо > yo; ьи > yi; ье > ye; ьё > yo; ью > yu; ья > ya;\n"
    u"ь > ;\n"
    // е: ye at word start and after a vowel, else e.
    u"$lv { е > ye; o\u02BB { е > ye;\n"
    u"^ е > ye;\n"  // after the context rules: ICU rejects an anchored rule masking them
    u"е > e;\n"
    u"э > e; ё > yo; ю > yu; я > ya;\n"
    // ц (the rules' appendix, rule 4): s at word start, at word end, after a consonant and after
    // a prefix (цирк → sirk, кварц → kvars, акция → aksiya, антициклон → antisiklon); ts after a
    // vowel inside the word (лицей → litsey, конституция → konstitutsiya).
    u"^ anti { ц > s;\n"
    u"$lv { ц } $ > s; o\u02BB { ц } $ > s;\n"
    u"$lv { ц > ts; o\u02BB { ц > ts;\n"
    u"ц > s;\n"
    // A two-sound s+h is written sʼh so it is not read as sh.
    u"с } ҳ > s\u02BC;\n"
    u"ў > o\u02BB; ғ > g\u02BB; қ > q; ҳ > h;\n"
    u"а > a; б > b; в > v; г > g; д > d; ж > j; з > z; и > i; й > y; к > k; л > l; м > m;\n"
    u"н > n; о > o; п > p; р > r; с > s; т > t; у > u; ф > f; х > x; ч > ch; ш > sh;\n"
    u"ы > i; щ > sh;\n";

// Month names keep their soft sign at the word end (for the other loans, which ones had ь is a
// dictionary matter: film stays филм).
const char16_t kUzLatnToCyrlWordRules[] =
    u"^ yanvar } $ > январь; ^ fevral } $ > февраль; ^ aprel } $ > апрель; ^ iyun } $ > июнь;\n"
    u"^ iyul } $ > июль; ^ sentabr } $ > сентябрь; ^ oktabr } $ > октябрь;\n"
    u"^ noyabr } $ > ноябрь; ^ dekabr } $ > декабрь;\n";

const char16_t kUzLatnToCyrlRules[] =
    u"$cv = [аеёиоуэюяў];\n"  // converted vowels
    u"$lv = [aeiou];\n"       // vowels not yet converted
    u"$lc = [bcdfghjklmnpqrstvxz];\n"
    u"o\u02BB > ў; g\u02BB > ғ;\n"
    // The 1993 alphabet's and the reform drafts' letters (ş ç ğ ḡ õ ō ö ŋ) and ș.
    u"ş > ш; ș > ш; ç > ч; ğ > ғ; ḡ > ғ; õ > ў; ō > ў; ö > ў; ŋ > нг;\n"
    u"s\u02BC h > сҳ;\n"
    u"sh > ш; ch > ч;\n"
    // y + vowel after a consonant: a separating ъ/ь as Russian loans write it.
    u"[бвгдзкмнпрстфх] { ye > ъе;\n"
    u"л { yo > ьо;\n"
    u"y } o\u02BB > й;\n"  // yoʻl → йўл, not ёл
    u"ye > е; yo > ё; yu > ю; ya > я;\n"
    // e: э at word start and after a vowel, else е.
    u"$cv { e > э;\n"
    u"^ e > э;\n"
    u"e > е;\n"
    // ts after a vowel is ц in Russian loans (litsey, militsiya, glitserin), but т+с where an
    // Uzbek suffix follows a t-final stem: -sa, -sin (ketsa, aytsin), so not before a, nor
    // before i + consonant (-tsiya, -tsion are loans).
    u"$cv { ts } [eou] > ц; $cv { ts } i [aeiouy] > ц;\n"
    u"\u02BC > ъ;\n"
    u"\u02BB > ;\n"
    u"a > а; b > б; c > ц; d > д; f > ф; g > г; h > ҳ; i > и; j > ж; k > к; l > л; m > м;\n"
    u"n > н; o > о; p > п; q > қ; r > р; s > с; t > т; u > у; v > в; w > в; x > х; y > й;\n"
    u"z > з;\n";

namespace {

constexpr UzLoanSpelling kLoans[] = {
    // The rules' own examples: 1.2a (стажёр, бюджет, фляга) and the vowel a (sentabr, oktabr).
    {"сентябр", "sentabr", "sentyabr"},
    {"октябр", "oktabr", "oktyabr"},
    {"бюджет", "budjet", "byudjet"},
    {"стажёр", "stajor", "stajyor"},
    {"фляга", "flaga", "flyaga"},
};

}  // namespace

std::span<const UzLoanSpelling> UzLoanSpellings() { return kLoans; }

}  // namespace ultrasearch::analyzers
