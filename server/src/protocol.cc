#include "protocol.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include "es_errors.h"
#include "gzip.h"
#include "human_fields.h"
#include "json_util.h"
#include "response_filter.h"

namespace ultrasearch::server {
namespace {

// Replies come from our own serialisers; the bound only has to sit above what documents may nest
// (kMaxJsonDepth) plus the reply's own wrapping.
constexpr std::size_t kReplyMaxDepth = 4 * kMaxJsonDepth;

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The `compatible-with` value of one Elasticsearch vendor media type
// ("application/vnd.elasticsearch+json; compatible-with=8"); nullopt for other media types.
std::optional<std::string> CompatibleWithOf(std::string_view media_type) {
  std::string lower = Lower(media_type);
  if (lower.find("vnd.elasticsearch+") == std::string::npos) return std::nullopt;
  std::string_view rest(lower);
  while (!rest.empty()) {
    auto semi = rest.find(';');
    std::string_view param = Trim(rest.substr(0, semi));
    rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    auto eq = param.find('=');
    if (eq == std::string_view::npos || Trim(param.substr(0, eq)) != "compatible-with") continue;
    std::string_view value = Trim(param.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    return std::string(value);
  }
  return std::nullopt;
}

// The same over a header that may list several media types, as Accept does (the 8.x Node client
// sends "application/vnd.elasticsearch+json; compatible-with=8,text/plain"): the first vendor one.
std::optional<std::string> CompatibleWith(std::string_view header) {
  while (!header.empty()) {
    auto comma = header.find(',');
    if (auto v = CompatibleWithOf(header.substr(0, comma))) return v;
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
  }
  return std::nullopt;
}

bool Supported(const std::string& version) { return version == "7" || version == "8"; }

// The version to answer with: Accept's, else Content-Type's (Elasticsearch picks the reply's
// media type from Accept and falls back on the request's).
std::optional<std::string> ReplyVersion(const Request& req) {
  if (auto v = CompatibleWith(req.accept)) return Supported(*v) ? v : std::nullopt;
  if (auto v = CompatibleWith(req.content_type); v && Supported(*v)) return v;
  return std::nullopt;
}

// Whether Accept-Encoding lists gzip (or `*`) without `q=0`.
bool AcceptsGzip(std::string_view header) {
  std::string lower = Lower(header);
  std::string_view rest(lower);
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    auto semi = item.find(';');
    std::string_view coding = Trim(item.substr(0, semi));
    if (coding != "gzip" && coding != "x-gzip" && coding != "*") continue;
    if (semi == std::string_view::npos) return true;
    std::string_view params = item.substr(semi + 1);
    auto q = params.find("q=");
    if (q == std::string_view::npos) return true;
    std::string_view weight = Trim(params.substr(q + 2));
    // q=0, q=0.0, q=0.000 refuse the coding; anything else accepts it.
    if (weight.find_first_not_of("0.") != std::string_view::npos) return true;
  }
  return false;
}

bool PrettyParam(const Request& req) {
  auto v = req.Param("pretty");
  return v && *v != "false";
}

// filter_path and pretty on a JSON body. The body is ours, so a parse failure cannot happen in
// practice; it would leave the body untouched.
void ReshapeJson(const Request& req, Reply* reply) {
  auto filter = req.Param("filter_path");
  bool filtering = filter && !filter->empty() && !reply->error;
  bool pretty = PrettyParam(req);
  auto human_param = req.Param("human");  // validated by the router (CheckReplyParams)
  bool human = human_param && (human_param->empty() || *human_param == "true") && !reply->error;
  if (!filtering && !pretty && !human) return;
  json::parse_options options;
  options.max_depth = kReplyMaxDepth;
  boost::system::error_code ec;
  json::value body = json::parse(reply->body, ec, {}, options);
  if (ec) return;
  if (human) AddHumanFields(body);  // before filter_path, which may name the twins
  if (filtering) {
    FilterPaths paths(*filter);
    if (!paths.empty()) body = paths.Apply(body);
  }
  reply->body = PrintJson(body, pretty);
}

}  // namespace

void CheckCompatibleMediaTypes(const Request& req) {
  if (auto v = CompatibleWith(req.accept); v && !Supported(*v)) {
    throw EsError(400, "status_exception",
                  fmt::format("Accept version must be either version 8 or 7, but found {}. Accept={}", *v, req.accept));
  }
  if (req.body.empty()) return;
  if (auto v = CompatibleWith(req.content_type); v && !Supported(*v)) {
    throw EsError(400, "status_exception",
                  fmt::format("Content-Type version must be either version 8 or 7, but found {}. Content-Type={}", *v,
                              req.content_type));
  }
}

void CheckReplyParams(const Request& req) {
  (void)req.BoolParam("human", false);
  (void)req.BoolParam("error_trace", false);
}

void DecodeRequestBody(std::size_t limit, Request* req) {
  std::string coding = Lower(Trim(req->content_encoding));
  if (coding.empty() || coding == "identity") return;
  if (coding != "gzip" && coding != "x-gzip" && coding != "deflate" && coding != "x-deflate") {
    throw IllegalArgument(fmt::format("unsupported Content-Encoding [{}]", req->content_encoding));
  }
  std::string inflated, why;
  switch (Inflate(req->body, limit, &inflated, &why)) {
    case InflateResult::kOk:
      req->body = std::move(inflated);
      return;
    case InflateResult::kTooLarge:
      throw EsError(413, "content_too_long_exception",
                    fmt::format("Request content length exceeds the maximum allowed length [{}] once decompressed",
                                limit));
    case InflateResult::kCorrupt:
      throw IllegalArgument(fmt::format("failed to decompress the request body (Content-Encoding [{}]): {}",
                                        req->content_encoding, why));
  }
}

void FinishReply(const Request& req, Reply* reply) {
  try {
    if (!req.opaque_id.empty()) reply->headers.emplace_back("X-Opaque-Id", req.opaque_id);
    if (reply->content_type == "application/json") {
      if (!reply->body.empty()) ReshapeJson(req, reply);
      if (auto version = ReplyVersion(req)) {
        reply->content_type = "application/vnd.elasticsearch+json;compatible-with=" + *version;
      }
    }
    if (req.method != Method::kHead && !reply->body.empty() && AcceptsGzip(req.accept_encoding)) {
      reply->body = GzipCompress(reply->body);
      reply->headers.emplace_back("Content-Encoding", "gzip");
      reply->headers.emplace_back("Vary", "Accept-Encoding");
    }
  } catch (const std::bad_alloc&) {
    // Out of memory while reshaping or compressing: the reply as it stands is still correct.
  }
}

}  // namespace ultrasearch::server
