// Uzbek script conversion (Cyrillic <-> Latin, the ICU transliterators under the uz and catalog
// analyzers) over fuzzed text: any bytes in, valid UTF-8 out (invalid input becomes U+FFFD), and
// text with no letters of the source script comes back unchanged.
#include "fuzz_util.h"
#include "ultrasearch_analyzers/uzbek_script.h"

using namespace ultrasearch;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input = fuzz::AsText(data, size);
  std::string latin = analyzers::UzCyrillicToLatin(input);
  std::string cyrillic = analyzers::UzLatinToCyrillic(input);
  if (!fuzz::IsValidUtf8(latin)) fuzz::Fail("Cyrillic to Latin produced invalid UTF-8", input);
  if (!fuzz::IsValidUtf8(cyrillic)) fuzz::Fail("Latin to Cyrillic produced invalid UTF-8", input);
  bool ascii_digits_and_space = true;
  for (char c : input) ascii_digits_and_space &= (c >= '0' && c <= '9') || c == ' ';
  if (ascii_digits_and_space && (latin != input || cyrillic != input)) {
    fuzz::Fail("text without letters was changed", input);
  }
  return 0;
}
