// The mapping parser and codec (engine/src/mapping): fuzzed Elasticsearch mappings JSON. When the
// parser accepts it, (1) the mapping it prints (what GET _mapping answers) is JSON the parser
// accepts again and prints unchanged, as Elasticsearch round-trips its own mappings, and (2) the
// stored form survives a restart: decoding what was encoded gives the same mapping. Called below
// the engine API because a CreateIndex per input (a RocksDB and a Xapian directory) runs at two
// inputs a second.
#include <boost/json.hpp>

#include "fuzz_util.h"
#include "mapping/mapping.h"
#include "mapping/mapping_codec.h"
#include "mapping/mapping_json.h"
#include "ultrasearch_analyzers/builtin.h"

using namespace ultrasearch;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto analyzers = analyzers::MakeBuiltinAnalyzers();
  std::string_view input = fuzz::AsText(data, size);
  auto mapping = ParseMappingJson(input, *analyzers, "standard");
  if (!mapping.ok()) {
    if (!mapping.status().IsInvalidArgument()) fuzz::Fail("refused other than InvalidArgument", mapping.status().ToString());
    return 0;
  }
  const std::string printed = MappingToJson(*mapping);
  boost::system::error_code ec;
  boost::json::parse_options opts;
  opts.max_depth = 256;  // the printed form of a mapping the parser accepted (64 levels) and more
  boost::json::value v = boost::json::parse(printed, ec, {}, opts);
  if (ec || !v.is_object()) fuzz::Fail("the printed mapping is not a JSON object", printed);
  auto reparsed = ParseMappingJson(printed, *analyzers, "standard");
  if (!reparsed.ok()) fuzz::Fail("the parser refused the mapping it printed: " + reparsed.status().ToString(), printed);
  if (MappingToJson(*reparsed) != printed) {
    fuzz::Fail("the printed mapping changed through a round trip", printed + "\n->\n" + MappingToJson(*reparsed));
  }

  const std::string stored = EncodeMapping(*mapping);
  auto restored = DecodeMapping(stored);
  if (!restored.ok()) fuzz::Fail("the stored mapping cannot be decoded: " + restored.status().ToString(), stored);
  if (EncodeMapping(*restored) != stored) fuzz::Fail("the stored mapping changed through a restart", stored + "\n->\n" + EncodeMapping(*restored));
  if (MappingToJson(*restored) != printed) {
    fuzz::Fail("GET _mapping changed through a restart", printed + "\n->\n" + MappingToJson(*restored));
  }
  return 0;
}
