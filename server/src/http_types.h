// The server's own view of a request and a reply, independent of Beast so handlers stay small
// and testable; session.cc converts to and from Beast messages.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ultrasearch::server {

namespace security {
struct Principal;
}

enum class Method { kGet, kHead, kPost, kPut, kDelete, kOther };

struct Request {
  Method method = Method::kGet;
  std::string target;                       // as received, for messages
  std::vector<std::string> segments;        // path split on '/', percent-decoded, empty ones dropped
  std::map<std::string, std::string> params;  // query string, percent-decoded
  std::string body;
  std::string authorization;  // the Authorization header, if any
  // Headers that change how the body is read and the reply written (see protocol.h).
  std::string content_encoding;
  std::string content_type;
  std::string accept;
  std::string accept_encoding;
  std::string opaque_id;  // X-Opaque-Id, echoed on the reply
  // Set by the router once the Authorization header is checked; null when authentication is off.
  std::shared_ptr<const security::Principal> principal;
  // The indices a wildcard in the request's index expression may expand to (see
  // security/authorize.h); empty: every index.
  std::function<bool(std::string_view index)> index_visible;
  // True once the client has closed its connection (set by the session; may be empty): long work
  // for this request can stop, nobody will read the answer.
  std::function<bool()> client_gone;

  bool has_body() const;
  // The parameter, or nullopt when absent.
  std::optional<std::string_view> Param(std::string_view name) const;
  // Elasticsearch booleans: "", "true" → true; "false" → false; absent → `fallback`.
  // Throws EsError (400) for anything else.
  bool BoolParam(std::string_view name, bool fallback) const;
  // A non-negative integer parameter; throws EsError (400) when malformed.
  std::optional<int64_t> IntParam(std::string_view name) const;
};

struct Reply {
  unsigned status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  // An Elasticsearch error body ({"error":...,"status":N}): `filter_path` leaves it whole, as
  // Elasticsearch builds error replies without the request's filters.
  bool error = false;
};

// Builds a JSON reply from a serialised body.
inline Reply JsonReply(unsigned status, std::string body) {
  Reply r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

std::string_view MethodName(Method m);

// Splits and decodes a request target ("/a%2Fb/_doc?x=1") into `req`. Returns false when the
// percent-encoding is malformed or the target or a decoded part is not valid UTF-8.
bool ParseTarget(std::string_view target, Request* req);

}  // namespace ultrasearch::server
