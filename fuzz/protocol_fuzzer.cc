// The response options and body encodings of the HTTP front (server/src/response_filter.h,
// gzip.h). The input's first line is a `filter_path` spec, the rest a JSON body:
//  - filtering never fails, and what it keeps prints (compact and pretty) as JSON that parses
//    back to the same value;
//  - the whole input, inflated under a bound, never yields more than the bound; and the body,
//    compressed, inflates back to itself.
#include <boost/json.hpp>
#include <algorithm>
#include <cmath>

#include "fuzz_util.h"
#include "gzip.h"
#include "response_filter.h"

using namespace ultrasearch;

namespace {

constexpr size_t kInflateLimit = 1 << 20;

// Equal as JSON texts mean: numbers by value (the server prints an integral double as "3", which
// reads back as an integer, as its compact replies always have), everything else exactly.
bool SameJson(const boost::json::value& a, const boost::json::value& b) {
  // NaN has no JSON form and prints as null (Boost 1.81 reads "0e309" as NaN).
  if (a.is_null() && b.is_double() && std::isnan(b.get_double())) return true;
  if (a.is_number() && b.is_number()) {
    // Boost 1.81 reads long decimals to within a few units in the last place, not exactly.
    const double x = a.to_number<double>(), y = b.to_number<double>();
    return x == y || std::fabs(x - y) <= 1e-14 * std::max(std::fabs(x), std::fabs(y));
  }
  if (a.kind() != b.kind()) return false;
  if (a.is_array()) {
    const auto &x = a.get_array(), &y = b.get_array();
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i) {
      if (!SameJson(x[i], y[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    const auto &x = a.get_object(), &y = b.get_object();
    if (x.size() != y.size()) return false;
    auto i = x.begin(), j = y.begin();
    for (; i != x.end(); ++i, ++j) {  // the same keys in the same order
      if (i->key() != j->key() || !SameJson(i->value(), j->value())) return false;
    }
    return true;
  }
  return a == b;
}

void CheckPrints(const boost::json::value& v, bool pretty) {
  const std::string printed = server::PrintJson(v, pretty);
  boost::system::error_code ec;
  boost::json::value back = boost::json::parse(printed, ec);
  if (ec) fuzz::Fail(pretty ? "pretty output is not JSON" : "compact output is not JSON", printed);
  if (!SameJson(back, v)) fuzz::Fail("printed JSON reads back different", printed);
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
