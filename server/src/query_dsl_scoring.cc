#include "query_dsl_scoring.h"

#include <fmt/format.h>

#include "es_errors.h"
#include "json_util.h"
#include "query_dsl_util.h"

namespace ultrasearch::server::dsl {

namespace {

double Number(const boost::json::value& v, std::string_view query, std::string_view key) {
  auto d = ToDouble(v);
  if (!d) UnknownToken(query, v, key);
  return *d;
}

// One nested query held in a one-element vector (the engine's recursive structs hold children so).
std::vector<Query> One(const boost::json::value& v, const ParseFn& parse) { return {parse(v)}; }

}  // namespace

Query ParseDisMax(const boost::json::value& body, const ParseFn& parse) {
  constexpr std::string_view name = "dis_max";
  Query q;
  DisMaxQuery d;
  bool has_queries = false;
  for (const auto& [key, v] : ExpectObject(body, name)) {
    if (key == "queries") {
      if (!v.is_array()) UnknownToken(name, v, key);
      for (const auto& item : v.get_array()) d.queries.push_back(parse(item));
      has_queries = true;
    } else if (key == "tie_breaker") {
      d.tie_breaker = Number(v, name, key);
    } else if (key == "boost") {
      q.boost = Boost(v, name);
    } else if (key != "_name") {
      Unsupported(name, key);
    }
  }
  if (!has_queries) throw ParsingError("[dis_max] requires 'queries' field with at least one clause");
  if (d.queries.empty()) {
    q.node = MatchNoneQuery{};
    return q;
  }
  q.node = std::move(d);
  return q;
}

Query ParseConstantScore(const boost::json::value& body, const ParseFn& parse) {
  constexpr std::string_view name = "constant_score";
  Query q;
  ConstantScoreQuery c;
  for (const auto& [key, v] : ExpectObject(body, name)) {
    if (key == "filter") c.filter = One(v, parse);
    else if (key == "boost") q.boost = Boost(v, name);
    else if (key != "_name") Unsupported(name, key);
  }
  if (c.filter.empty()) throw ParsingError("[constant_score] requires a 'filter' element");
  q.node = std::move(c);
  return q;
}

Query ParseBoosting(const boost::json::value& body, const ParseFn& parse) {
  constexpr std::string_view name = "boosting";
  Query q;
  BoostingQuery b;
  std::optional<double> negative_boost;
  for (const auto& [key, v] : ExpectObject(body, name)) {
    if (key == "positive") b.positive = One(v, parse);
    else if (key == "negative") b.negative = One(v, parse);
    else if (key == "negative_boost") negative_boost = Number(v, name, key);
    else if (key == "boost") q.boost = Boost(v, name);
    else if (key != "_name") Unsupported(name, key);
  }
  if (b.positive.empty()) throw ParsingError("[boosting] query requires 'positive' query to be set'");
  if (b.negative.empty()) throw ParsingError("[boosting] query requires 'negative' query to be set'");
  if (!negative_boost || *negative_boost < 0) {
    throw ParsingError("[boosting] query requires 'negative_boost' to be set to be a positive value'");
  }
  b.negative_boost = *negative_boost;
  q.node = std::move(b);
  return q;
}

namespace {

ScoreFunction::Modifier ParseModifier(const boost::json::value& v) {
  if (!v.is_string()) UnknownToken("field_value_factor", v, "modifier");
  static const std::pair<const char*, ScoreFunction::Modifier> kModifiers[] = {
      {"none", ScoreFunction::Modifier::kNone},     {"log", ScoreFunction::Modifier::kLog},
      {"log1p", ScoreFunction::Modifier::kLog1p},   {"log2p", ScoreFunction::Modifier::kLog2p},
      {"ln", ScoreFunction::Modifier::kLn},         {"ln1p", ScoreFunction::Modifier::kLn1p},
      {"ln2p", ScoreFunction::Modifier::kLn2p},     {"square", ScoreFunction::Modifier::kSquare},
      {"sqrt", ScoreFunction::Modifier::kSqrt},     {"reciprocal", ScoreFunction::Modifier::kReciprocal}};
  const std::string m = Lower(v.get_string());
  for (const auto& [text, modifier] : kModifiers) {
    if (m == text) return modifier;
  }
  throw ParsingError(fmt::format("[field_value_factor] illegal modifier [{}]", m));
}

void ParseFieldValueFactor(const boost::json::value& body, ScoreFunction* fn) {
  constexpr std::string_view name = "field_value_factor";
  fn->kind = ScoreFunction::Kind::kFieldValueFactor;
  for (const auto& [key, v] : ExpectObject(body, name)) {
    if (key == "field") fn->field = Scalar(v, name, key);
    else if (key == "factor") fn->factor = Number(v, name, key);
    else if (key == "missing") fn->missing = Number(v, name, key);
    else if (key == "modifier") fn->modifier = ParseModifier(v);
    else Unsupported(name, key);
  }
  if (fn->field.empty()) throw ParsingError("[field_value_factor] required field 'field' missing");
}

void ParseDecay(std::string_view name, const boost::json::value& body, ScoreFunction* fn) {
  fn->kind = name == "gauss" ? ScoreFunction::Kind::kGauss
                             : (name == "exp" ? ScoreFunction::Kind::kExp : ScoreFunction::Kind::kLinear);
  bool has_field = false;
  for (const auto& [key, v] : ExpectObject(body, name)) {
    if (key == "multi_value_mode") {
      if (!v.is_string() || Lower(v.get_string()) != "min") {
        throw IllegalArgument(fmt::format("[{}] multi_value_mode other than [min] is not supported", name));
      }
      continue;
    }
    if (has_field) throw ParsingError(fmt::format("[{}] query doesn't support multiple fields, found [{}] and [{}]",
                                                  name, fn->field, std::string_view(key)));
    has_field = true;
    fn->field = std::string(key);
    for (const auto& [option, value] : ExpectObject(v, name)) {
      if (option == "origin") fn->origin = Scalar(value, name, option);
      else if (option == "scale") fn->scale = Scalar(value, name, option);
      else if (option == "offset") fn->offset = Scalar(value, name, option);
      else if (option == "decay") fn->decay = Number(value, name, option);
      else Unsupported(name, option);
    }
  }
  if (!has_field) throw ParsingError(fmt::format("[{}] requires a field", name));
  if (fn->scale.empty()) throw ParsingError(fmt::format("[{}] must have a scale", name));
}

// One function's body (an element of "functions", or the function_score object itself for the
// single-function shorthand); returns false for a key that is not a function's.
bool FunctionOption(std::string_view key, const boost::json::value& v, const ParseFn& parse, ScoreFunction* fn,
                    bool* has_function) {
  auto one_function = [&] {
    if (*has_function) throw ParsingError("failed to parse function_score: a function may have only one kind");
    *has_function = true;
  };
  if (key == "filter") fn->filter = {parse(v)};
  else if (key == "weight") fn->weight = Number(v, "function_score", key);
  else if (key == "field_value_factor") one_function(), ParseFieldValueFactor(v, fn);
  else if (key == "gauss" || key == "linear" || key == "exp") one_function(), ParseDecay(key, v, fn);
  else if (key == "random_score" || key == "script_score") {
    throw IllegalArgument(fmt::format("[function_score] function [{}] is not supported by this server", key));
  } else {
    return false;
  }
  return true;
}

}  // namespace

Query ParseFunctionScore(const boost::json::value& body, const ParseFn& parse) {
  constexpr std::string_view name = "function_score";
  Query q;
  FunctionScoreQuery f;
  ScoreFunction single;
  bool has_single = false, single_weight = false;
  for (const auto& [key, v] : ExpectObject(body, name)) {
    if (key == "query") {
      f.query = {parse(v)};
    } else if (key == "functions") {
      if (!v.is_array()) UnknownToken(name, v, key);
      for (const auto& item : v.get_array()) {
        ScoreFunction fn;
        bool has_kind = false;
        for (const auto& [fkey, fv] : ExpectObject(item, name)) {
          if (!FunctionOption(fkey, fv, parse, &fn, &has_kind)) Unsupported(name, fkey);
        }
        f.functions.push_back(std::move(fn));
      }
    } else if (key == "score_mode") {
      static const std::pair<const char*, FunctionScoreQuery::ScoreMode> kModes[] = {
          {"multiply", FunctionScoreQuery::ScoreMode::kMultiply}, {"sum", FunctionScoreQuery::ScoreMode::kSum},
          {"avg", FunctionScoreQuery::ScoreMode::kAvg},           {"first", FunctionScoreQuery::ScoreMode::kFirst},
          {"max", FunctionScoreQuery::ScoreMode::kMax},           {"min", FunctionScoreQuery::ScoreMode::kMin}};
      std::string mode = Lower(Scalar(v, name, key));
      bool found = false;
      for (const auto& [text, m] : kModes) {
        if (mode == text) f.score_mode = m, found = true;
      }
      if (!found) throw ParsingError(fmt::format("[function_score] illegal score_mode [{}]", mode));
    } else if (key == "boost_mode") {
      static const std::pair<const char*, FunctionScoreQuery::BoostMode> kModes[] = {
          {"multiply", FunctionScoreQuery::BoostMode::kMultiply}, {"replace", FunctionScoreQuery::BoostMode::kReplace},
          {"sum", FunctionScoreQuery::BoostMode::kSum},           {"avg", FunctionScoreQuery::BoostMode::kAvg},
          {"max", FunctionScoreQuery::BoostMode::kMax},           {"min", FunctionScoreQuery::BoostMode::kMin}};
      std::string mode = Lower(Scalar(v, name, key));
      bool found = false;
      for (const auto& [text, m] : kModes) {
        if (mode == text) f.boost_mode = m, found = true;
      }
      if (!found) throw ParsingError(fmt::format("[function_score] illegal boost_mode [{}]", mode));
    } else if (key == "max_boost") {
      f.max_boost = Number(v, name, key);
    } else if (key == "min_score") {
      f.min_score = Number(v, name, key);
    } else if (key == "boost") {
      q.boost = Boost(v, name);
    } else if (key == "_name") {
    } else if (key == "weight") {
      single.weight = Number(v, name, key);
      single_weight = true;
    } else if (key == "filter") {
      throw ParsingError("failed to parse [function_score] query. [filter] is not supported directly in "
                         "function_score, put it in a function of [functions]");
    } else if (!FunctionOption(key, v, parse, &single, &has_single)) {
      Unsupported(name, key);
    }
  }
  if ((has_single || single_weight) && !f.functions.empty()) {
    throw ParsingError("failed to parse [function_score] query. already found [functions] array, now encountering "
                       "a single function");
  }
  if (has_single || single_weight) f.functions.push_back(std::move(single));
  if (f.query.empty()) f.query = {Query{}};
  q.node = std::move(f);
  return q;
}

Query ParseWildcard(const boost::json::value& body) {
  constexpr std::string_view name = "wildcard";
  Query q;
  WildcardQuery w;
  auto [field, value] = SingleField(ExpectObject(body, name), name, nullptr);
  w.field = field;
  if (value->is_object()) {
    bool has_value = false;
    for (const auto& [key, v] : value->get_object()) {
      if (key == "value" || key == "wildcard") {
        w.pattern = Scalar(v, name, key);
        has_value = true;
      } else if (key == "boost") {
        q.boost = Boost(v, name);
      } else if (key == "case_insensitive") {
        auto b = ToBool(v);
        if (!b) UnknownToken(name, v, key);
        w.case_insensitive = *b;
      } else if (key != "rewrite" && key != "_name") {
        Unsupported(name, key);
      }
    }
    if (!has_value) throw ParsingError("[wildcard] query requires a value or wildcard");
  } else {
    w.pattern = Scalar(*value, name, field);
  }
  q.node = std::move(w);
  return q;
}

}  // namespace ultrasearch::server::dsl
