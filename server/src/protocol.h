// The HTTP protocol details Elasticsearch's clients rely on, applied around every handler:
// compressed request bodies, compatible-with media types, and the reply options (`filter_path`,
// `pretty`, gzip when accepted, `X-Opaque-Id` echoed).
#pragma once

#include <cstddef>

#include "http_types.h"

namespace ultrasearch::server {

// Throws EsError 400 (status_exception) when Content-Type or Accept asks for a compatible-with
// version other than 7 or 8, as Elasticsearch 8 does.
void CheckCompatibleMediaTypes(const Request& req);

// Throws EsError 400 when `human` or `error_trace` is not a boolean, as Elasticsearch does.
void CheckReplyParams(const Request& req);

// Inflates a body sent with `Content-Encoding: gzip` (or deflate) in place, reading no more than
// `limit` inflated bytes. Throws EsError: 400 for corrupt data or an unknown encoding (the body
// is then not used), 413 content_too_long_exception past the limit.
void DecodeRequestBody(std::size_t limit, Request* req);

// Applies the request's reply options to `reply`: `filter_path` and `human` (not on errors) and
// `pretty` on JSON bodies, the compatible-with content type back, `X-Opaque-Id`, and gzip when the
// client accepts it. Never throws: an option that cannot be applied leaves the reply as it was.
void FinishReply(const Request& req, Reply* reply);

}  // namespace ultrasearch::server
