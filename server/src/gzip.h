// gzip for HTTP bodies through zlib: inflating request bodies sent with `Content-Encoding: gzip`
// (or deflate) under a size bound, and compressing replies for clients that accept gzip.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ultrasearch::server {

enum class InflateResult { kOk, kCorrupt, kTooLarge };

// Inflates `in` (gzip, including several concatenated members, or zlib-wrapped deflate; the
// header tells which) into `out`. Stops as soon as the output would exceed `limit` bytes and
// returns kTooLarge, so a small bomb never allocates more than the limit. `error` (may be null)
// gets zlib's reason for kCorrupt.
InflateResult Inflate(std::string_view in, std::size_t limit, std::string* out, std::string* error);

// `in` as one gzip member at zlib's default level.
std::string GzipCompress(std::string_view in);

}  // namespace ultrasearch::server
