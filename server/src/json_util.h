// JSON helpers for the HTTP front: strict parsing of request bodies (UTF-8 checked, nesting bounded)
// and small conversions used by every handler.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ultrasearch::server {

namespace json = boost::json;

// Deeper bodies are rejected with a 400 rather than risking the stack in recursive consumers.
inline constexpr std::size_t kMaxJsonDepth = 128;

// Parses a request body holding one JSON value (surrounding whitespace allowed). Throws EsError
// (400 x_content_parse_exception) on invalid UTF-8, a syntax error, trailing data or nesting
// deeper than kMaxJsonDepth. `what` names the input in messages ("request body", "line [3]").
json::value ParseJson(std::string_view text, std::string_view what = "request body");

// Same checks as ParseJson without building a tree; additionally requires an object. Used for
// documents that go to the engine as text.
void ValidateJsonObject(std::string_view text, std::string_view what = "document");

// A JSON string literal with quotes.
std::string Quote(std::string_view s);
std::string Dump(const json::value& v);

// Shortest text that round-trips, integers without a fraction ("3", "2.5").
std::string FormatNumber(double d);

// A scalar (string, number, bool) as the text Elasticsearch would compare; nullopt otherwise.
std::optional<std::string> ScalarToString(const json::value& v);

// A number (or numeric string, as Elasticsearch accepts) as int64; nullopt otherwise.
std::optional<int64_t> ToInt64(const json::value& v);
std::optional<double> ToDouble(const json::value& v);
// true/false or "true"/"false".
std::optional<bool> ToBool(const json::value& v);

// Elasticsearch's parser names for a value's kind: START_OBJECT, START_ARRAY, VALUE_STRING...
std::string_view TokenName(const json::value& v);

}  // namespace ultrasearch::server
