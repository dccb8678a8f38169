// The response options and body encodings of the HTTP front (server/src/response_filter.h,
// gzip.h). The input's first line is a `filter_path` spec, the rest a JSON body:
//  - filtering never fails, and what it keeps prints (compact and pretty) as JSON that parses
//    back to the same value;
//  - the whole input, inflated under a bound, never yields more than the bound; and the body,
//    compressed, inflates back to itself.
#include <boost/json.hpp>

#include "fuzz_util.h"
#include "gzip.h"
#include "response_filter.h"

using namespace ultrasearch;

namespace {

constexpr size_t kInflateLimit = 1 << 20;

void CheckPrints(const boost::json::value& v, bool pretty) {
  const std::string printed = server::PrintJson(v, pretty);
  boost::system::error_code ec;
  boost::json::value back = boost::json::parse(printed, ec);
  if (ec) fuzz::Fail(pretty ? "pretty output is not JSON" : "compact output is not JSON", printed);
  if (back != v) fuzz::Fail("printed JSON reads back different", printed);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input = fuzz::AsText(data, size);
  const size_t newline = input.find('\n');
  const std::string_view spec = input.substr(0, newline);
  const std::string_view body = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

  boost::system::error_code ec;
  boost::json::parse_options options;
  options.max_depth = 64;
  boost::json::value json = boost::json::parse(body, ec, {}, options);
  if (!ec) {
    const server::FilterPaths filter(spec);
    const boost::json::value kept = filter.empty() ? json : filter.Apply(json);
    CheckPrints(kept, false);
    CheckPrints(kept, true);
  }

  std::string inflated, error;
  const server::InflateResult result = server::Inflate(input, kInflateLimit, &inflated, &error);
  if (inflated.size() > kInflateLimit) fuzz::Fail("inflated past the limit", std::to_string(inflated.size()));
  if (result == server::InflateResult::kCorrupt && error.empty()) fuzz::Fail("corrupt input without a reason", "");

  const std::string compressed = server::GzipCompress(body);
  std::string round_trip;
  if (server::Inflate(compressed, body.size() + 1, &round_trip, &error) != server::InflateResult::kOk ||
      round_trip != body) {
    fuzz::Fail("a compressed body does not inflate back to itself", error);
  }
  return 0;
}
