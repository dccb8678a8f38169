// The wrong-keyboard-layout query rewriter (the QueryRewriter MakeBuiltinAnalyzers registers) and
// the two layout conversions it is built on, over fuzzed text. For valid UTF-8 input every output
// is valid UTF-8 (the conversions copy what they do not map); a candidate is never the query itself.
#include "fuzz_util.h"
#include "ultrasearch_analyzers/builtin.h"
#include "ultrasearch_analyzers/keyboard_layout.h"

using namespace ultrasearch;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto registry = analyzers::MakeBuiltinAnalyzers();
  std::string_view input = fuzz::AsText(data, size);
  bool valid = fuzz::IsValidUtf8(input);
  for (const std::string& out : {analyzers::QwertyToJcuken(input), analyzers::JcukenToQwerty(input)}) {
    if (valid && !fuzz::IsValidUtf8(out)) fuzz::Fail("a layout conversion produced invalid UTF-8", input);
  }
  for (const QueryRewriter& rewrite : registry->query_rewriters()) {
    for (const std::string& candidate : rewrite(input)) {
      if (valid && !fuzz::IsValidUtf8(candidate)) fuzz::Fail("a rewrite is not valid UTF-8", input);
      if (candidate == input) fuzz::Fail("a rewrite equals the query", input);
    }
  }
  return 0;
}
