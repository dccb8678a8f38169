// Small readers shared by the query DSL parser: typed values with Elasticsearch's error messages.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "ultrasearch/query.h"

namespace ultrasearch::server::dsl {

using Obj = boost::json::object;

std::string Lower(std::string_view s);
// parsing_exception "[query] query does not support [key]".
[[noreturn]] void Unsupported(std::string_view query, std::string_view key);
// parsing_exception "[query] unknown token [TOKEN] after [key]".
[[noreturn]] void UnknownToken(std::string_view query, const boost::json::value& v, std::string_view after);
const Obj& ExpectObject(const boost::json::value& v, std::string_view query);
// A string, number or boolean as text.
std::string Scalar(const boost::json::value& v, std::string_view query, std::string_view key);
double Boost(const boost::json::value& v, std::string_view query);
int NonNegativeInt(const boost::json::value& v, std::string_view query, std::string_view key);
std::string MinimumShouldMatch(const boost::json::value& v, std::string_view query);
Fuzziness ParseFuzziness(const boost::json::value& v, std::string_view query);
MatchQuery::Operator ParseOperator(const boost::json::value& v, std::string_view query);
// The one field of a single-field query ({"match":{"name":...}}). When `boost` is given, "boost"
// may sit beside the field (terms); "_name" always may.
std::pair<std::string, const boost::json::value*> SingleField(const Obj& o, std::string_view query, double* boost);

}  // namespace ultrasearch::server::dsl
