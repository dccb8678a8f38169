#include "query_dsl_util.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "es_errors.h"
#include "json_util.h"

namespace ultrasearch::server::dsl {


std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

[[noreturn]] void Unsupported(std::string_view query, std::string_view key) {
  throw ParsingError(fmt::format("[{}] query does not support [{}]", query, key));
}

[[noreturn]] void UnknownToken(std::string_view query, const json::value& v, std::string_view after) {
  throw ParsingError(fmt::format("[{}] unknown token [{}] after [{}]", query, TokenName(v), after));
}

const Obj& ExpectObject(const json::value& v, std::string_view query) {
  if (!v.is_object()) {
    throw ParsingError(fmt::format("[{}] query malformed, no start_object after query name", query));
  }
  return v.get_object();
}

std::string Scalar(const json::value& v, std::string_view query, std::string_view key) {
  auto s = ScalarToString(v);
  if (!s) UnknownToken(query, v, key);
  return *s;
}

double Boost(const json::value& v, std::string_view query) {
  auto d = ToDouble(v);
  if (!d || *d < 0) throw ParsingError(fmt::format("[{}] [boost] must be a non-negative number", query));
  return *d;
}

int NonNegativeInt(const json::value& v, std::string_view query, std::string_view key) {
  auto i = ToInt64(v);
  if (!i || *i < 0 || *i > 1'000'000) {
    throw ParsingError(fmt::format("[{}] [{}] must be a non-negative integer", query, key));
  }
  return static_cast<int>(*i);
}

std::string MinimumShouldMatch(const json::value& v, std::string_view query) {
  if (v.is_string() || v.is_int64() || v.is_uint64()) return Scalar(v, query, "minimum_should_match");
  UnknownToken(query, v, "minimum_should_match");
}

Fuzziness ParseFuzziness(const json::value& v, std::string_view query) {
  Fuzziness f;
  auto s = ScalarToString(v);
  if (!s || v.is_bool()) UnknownToken(query, v, "fuzziness");
  std::string text = Lower(*s);
  if (text.rfind("auto", 0) == 0) {
    f.mode = Fuzziness::Mode::kAuto;  // custom AUTO:low,high thresholds fall back to the defaults
    return f;
  }
  if (text == "0" || text == "1" || text == "2") {
    f.edits = text[0] - '0';
    f.mode = f.edits == 0 ? Fuzziness::Mode::kNone : Fuzziness::Mode::kFixed;
    return f;
  }
  throw ParsingError(fmt::format("[{}] fuzziness [{}] is not supported: use AUTO, 0, 1 or 2", query, *s));
}

MatchQuery::Operator ParseOperator(const json::value& v, std::string_view query) {
  if (!v.is_string()) UnknownToken(query, v, "operator");
  std::string op = Lower(v.get_string());
  if (op == "and") return MatchQuery::Operator::kAnd;
  if (op == "or") return MatchQuery::Operator::kOr;
  throw IllegalArgument(fmt::format("operator needs to be either [and] or [or], but was [{}]", op));
}

std::pair<std::string, const json::value*> SingleField(const Obj& o, std::string_view query, double* boost) {
  std::string field;
  const json::value* value = nullptr;
  for (const auto& [key, v] : o) {
    if (key == "boost" && boost && !v.is_object()) {
      *boost = Boost(v, query);
      continue;
    }
    if (key == "_name" && !v.is_object()) continue;
    if (value) {
      throw ParsingError(fmt::format("[{}] query doesn't support multiple fields, found [{}] and [{}]", query,
                                     field, std::string_view(key)));
    }
    field = std::string(key);
    value = &v;
  }
  if (!value) throw ParsingError(fmt::format("[{}] query malformed, no field specified", query));
  if (field.empty()) throw ParsingError(fmt::format("[{}] field name cannot be empty", query));
  return {field, value};
}

}  // namespace ultrasearch::server::dsl
