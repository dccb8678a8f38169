#include "json_util.h"

#include <boost/json/basic_parser_impl.hpp>
#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "es_errors.h"
#include "ultrasearch/utf8.h"

namespace ultrasearch::server {
namespace {

json::parse_options StrictOptions() {
  json::parse_options opts;
  opts.max_depth = kMaxJsonDepth;
  opts.allow_comments = false;
  opts.allow_trailing_commas = false;
  opts.allow_invalid_utf8 = false;
  return opts;
}

// "[line:col]" of a byte offset, as Elasticsearch prefixes parse errors.
std::string Where(std::string_view text, std::size_t offset) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return fmt::format("[{}:{}]", line, col);
}

[[noreturn]] void ThrowParseError(std::string_view text, std::size_t offset, const json::error_code& ec,
                                  std::string_view what) {
  std::string detail = ec.message();
  if (ec == json::error::too_deep) {
    detail = fmt::format("nesting depth exceeds the maximum of {}", kMaxJsonDepth);
  } else if (ec == json::error::incomplete) {
    detail = "unexpected end-of-input";
  }
  throw XContentError(fmt::format("{} failed to parse {}: {}", Where(text, offset), what, detail));
}

void CheckUtf8(std::string_view text, std::string_view what) {
  if (auto bad = FindInvalidUtf8(text)) {
    throw XContentError(fmt::format("{} failed to parse {}: invalid UTF-8 byte 0x{:02x} at byte offset {}",
                                    Where(text, *bad), what, static_cast<unsigned char>(text[*bad]), *bad));
  }
}

std::size_t SkipSpace(std::string_view text, std::size_t i) {
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
  return i;
}

// A SAX handler that accepts everything: the basic_parser alone validates.
struct NullHandler {
  static constexpr std::size_t max_array_size = -1;
  static constexpr std::size_t max_object_size = -1;
  static constexpr std::size_t max_string_size = -1;
  static constexpr std::size_t max_key_size = -1;
  int depth = 0;
  bool top_is_object = false;
  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_array_begin(json::error_code&) { ++depth; return true; }
  bool on_array_end(std::size_t, json::error_code&) { --depth; return true; }
  bool on_object_begin(json::error_code&) {
    if (depth++ == 0) top_is_object = true;
    return true;
  }
  bool on_object_end(std::size_t, json::error_code&) { --depth; return true; }
  bool on_string_part(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_string(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_key_part(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_key(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(int64_t, json::string_view, json::error_code&) { return true; }
  bool on_uint64(uint64_t, json::string_view, json::error_code&) { return true; }
  bool on_double(double, json::string_view, json::error_code&) { return true; }
  bool on_bool(bool, json::error_code&) { return true; }
  bool on_null(json::error_code&) { return true; }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }
};

}  // namespace

json::value ParseJson(std::string_view text, std::string_view what) {
  CheckUtf8(text, what);
  json::parser parser(json::storage_ptr(), StrictOptions());
  json::error_code ec;
  std::size_t n = parser.write_some(text.data(), text.size(), ec);
  if (ec) ThrowParseError(text, n, ec, what);
  std::size_t rest = SkipSpace(text, n);
  if (rest != text.size()) {
    throw XContentError(fmt::format("{} failed to parse {}: unexpected data after the JSON value",
                                    Where(text, rest), what));
  }
  return parser.release();
}

void ValidateJsonObject(std::string_view text, std::string_view what) {
  CheckUtf8(text, what);
  json::basic_parser<NullHandler> parser(StrictOptions());
  json::error_code ec;
  std::size_t n = parser.write_some(false, text.data(), text.size(), ec);
  if (ec) ThrowParseError(text, n, ec, what);
  std::size_t rest = SkipSpace(text, n);
  if (rest != text.size()) {
    throw XContentError(fmt::format("{} failed to parse {}: unexpected data after the JSON value",
                                    Where(text, rest), what));
  }
  if (!parser.handler().top_is_object) {
    throw EsError(400, "document_parsing_exception", fmt::format("failed to parse, {} must be an object", what));
  }
}

std::string Quote(std::string_view s) { return json::serialize(json::string_view(s.data(), s.size())); }

std::string Dump(const json::value& v) { return json::serialize(v); }

std::string FormatNumber(double d) {
  if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.007199254740992e15) {
    return fmt::format("{}", static_cast<int64_t>(d));
  }
  return fmt::format("{}", d);
}

std::optional<std::string> ScalarToString(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string:
      return std::string(v.get_string());
    case json::kind::int64:
      return std::to_string(v.get_int64());
    case json::kind::uint64:
      return std::to_string(v.get_uint64());
    case json::kind::double_:
      return FormatNumber(v.get_double());
    case json::kind::bool_:
      return v.get_bool() ? "true" : "false";
    default:
      return std::nullopt;
  }
}

std::optional<int64_t> ToInt64(const json::value& v) {
  switch (v.kind()) {
    case json::kind::int64:
      return v.get_int64();
    case json::kind::uint64:
      if (v.get_uint64() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
      return static_cast<int64_t>(v.get_uint64());
    case json::kind::double_: {
      double d = v.get_double();
      if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9e18) return std::nullopt;
      return static_cast<int64_t>(d);
    }
    case json::kind::string: {
      const auto& s = v.get_string();
      if (s.empty() || s.size() > 19) return std::nullopt;
      int64_t out = 0;
      std::size_t i = 0;
      bool neg = s[0] == '-';
      if (neg) i = 1;
      if (i == s.size()) return std::nullopt;
      for (; i < s.size(); ++i) {
        if (s[i] < '0' || s[i] > '9') return std::nullopt;
        out = out * 10 + (s[i] - '0');
      }
      return neg ? -out : out;
    }
    default:
      return std::nullopt;
  }
}

std::optional<double> ToDouble(const json::value& v) {
  switch (v.kind()) {
    case json::kind::int64:
      return static_cast<double>(v.get_int64());
    case json::kind::uint64:
      return static_cast<double>(v.get_uint64());
    case json::kind::double_:
      return v.get_double();
    case json::kind::string: {
      std::string s(v.get_string());
      if (s.empty()) return std::nullopt;
      char* end = nullptr;
      double d = std::strtod(s.c_str(), &end);
      if (end != s.c_str() + s.size() || !std::isfinite(d)) return std::nullopt;
      return d;
    }
    default:
      return std::nullopt;
  }
}

std::optional<bool> ToBool(const json::value& v) {
  if (v.is_bool()) return v.get_bool();
  if (v.is_string()) {
    if (v.get_string() == "true") return true;
    if (v.get_string() == "false") return false;
  }
  return std::nullopt;
}

std::string_view TokenName(const json::value& v) {
  switch (v.kind()) {
    case json::kind::object:
      return "START_OBJECT";
    case json::kind::array:
      return "START_ARRAY";
    case json::kind::string:
      return "VALUE_STRING";
    case json::kind::bool_:
      return "VALUE_BOOLEAN";
    case json::kind::null:
      return "VALUE_NULL";
    default:
      return "VALUE_NUMBER";
  }
}

}  // namespace ultrasearch::server
