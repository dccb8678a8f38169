#include "http_types.h"

#include <fmt/format.h>

#include "es_errors.h"
#include "json_util.h"
#include "ultrasearch/utf8.h"

namespace ultrasearch::server {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out->push_back(' ');
    } else {
      out->push_back(c);
    }
  }
  return true;
}

}  // namespace

bool Request::has_body() const {
  return body.find_first_not_of(" \t\r\n") != std::string::npos;
}

std::optional<std::string_view> Request::Param(std::string_view name) const {
  auto it = params.find(std::string(name));
  if (it == params.end()) return std::nullopt;
  return std::string_view(it->second);
}

bool Request::BoolParam(std::string_view name, bool fallback) const {
  auto v = Param(name);
  if (!v) return fallback;
  if (v->empty() || *v == "true") return true;
  if (*v == "false") return false;
  throw IllegalArgument(fmt::format(
      "Failed to parse value [{}] as only [true] or [false] are allowed.", *v));
}

std::optional<int64_t> Request::IntParam(std::string_view name) const {
  auto v = Param(name);
  if (!v) return std::nullopt;
  if (v->empty() || v->size() > 18) {
    throw IllegalArgument(fmt::format("Failed to parse int parameter [{}] with value [{}]", name, *v));
  }
  int64_t out = 0;
  bool neg = (*v)[0] == '-';
  for (std::size_t i = neg ? 1 : 0; i < v->size(); ++i) {
    char c = (*v)[i];
    if (c < '0' || c > '9' || (v->size() == 1 && neg)) {
      throw IllegalArgument(fmt::format("Failed to parse int parameter [{}] with value [{}]", name, *v));
    }
    out = out * 10 + (c - '0');
  }
  return neg ? -out : out;
}

std::string_view MethodName(Method m) {
  switch (m) {
    case Method::kGet: return "GET";
    case Method::kHead: return "HEAD";
    case Method::kPost: return "POST";
    case Method::kPut: return "PUT";
    case Method::kDelete: return "DELETE";
    case Method::kOther: return "OTHER";
  }
  return "OTHER";
}

bool ParseTarget(std::string_view target, Request* req) {
  // Names and messages built from the target end up in JSON replies: only valid UTF-8 passes.
  if (FindInvalidUtf8(target)) return false;
  req->target = std::string(target);
  std::string_view path = target, query;
  if (auto q = target.find('?'); q != std::string_view::npos) {
    path = target.substr(0, q);
    query = target.substr(q + 1);
  }
  std::string decoded;
  while (!path.empty()) {
    auto slash = path.find('/');
    std::string_view seg = path.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
    if (seg.empty()) continue;
    if (!PercentDecode(seg, false, &decoded) || FindInvalidUtf8(decoded)) return false;
    req->segments.push_back(decoded);
  }
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string key, value;
    if (!PercentDecode(pair.substr(0, eq), true, &key)) return false;
    if (eq != std::string_view::npos && !PercentDecode(pair.substr(eq + 1), true, &value)) return false;
    if (FindInvalidUtf8(key) || FindInvalidUtf8(value)) return false;
    req->params[key] = value;
  }
  return true;
}

}  // namespace ultrasearch::server
