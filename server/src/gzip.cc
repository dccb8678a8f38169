#include "gzip.h"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <new>

namespace ultrasearch::server {
namespace {

// windowBits for inflateInit2: 15 (the largest window) + 32 (detect a gzip or zlib header).
constexpr int kAutoDetectWindow = 15 + 32;
// windowBits for deflateInit2: 15 + 16 (write a gzip header and trailer).
constexpr int kGzipWindow = 15 + 16;
constexpr std::size_t kChunk = 64 * 1024;

class Inflater {
 public:
  Inflater() { ok_ = inflateInit2(&zs_, kAutoDetectWindow) == Z_OK; }
  ~Inflater() {
    if (ok_) inflateEnd(&zs_);
  }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  bool ok() const { return ok_; }
  z_stream& stream() { return zs_; }

 private:
  z_stream zs_{};
  bool ok_ = false;
};

}  // namespace

InflateResult Inflate(std::string_view in, std::size_t limit, std::string* out, std::string* error) {
  out->clear();
  auto fail = [&](const char* why) {
    if (error != nullptr) *error = why != nullptr ? why : "invalid compressed data";
    out->clear();
    return InflateResult::kCorrupt;
  };
  if (in.empty()) return InflateResult::kOk;
  Inflater inflater;
  if (!inflater.ok()) throw std::bad_alloc();
  z_stream& zs = inflater.stream();
  // Bodies are bounded by the HTTP body limit, far below 4 GiB, but feed zlib in uInt pieces anyway.
  const auto* next = reinterpret_cast<const Bytef*>(in.data());
  std::size_t left = in.size();
  bool member_done = false;
  while (true) {
    if (member_done) {
      if (zs.avail_in == 0 && left == 0) return InflateResult::kOk;
      // Another gzip member follows (gzip allows concatenation): start it afresh.
      if (inflateReset(&zs) != Z_OK) return fail(zs.msg);
      member_done = false;
    }
    if (zs.avail_in == 0 && left > 0) {
      zs.next_in = const_cast<Bytef*>(next);
      zs.avail_in = static_cast<uInt>(std::min<std::size_t>(left, UINT_MAX));
      next += zs.avail_in;
      left -= zs.avail_in;
    }
    std::size_t room = limit - out->size();
    std::size_t grow = std::min(kChunk, room + 1);  // one byte past the limit proves it is exceeded
    std::size_t old_size = out->size();
    out->resize(old_size + grow);
    zs.next_out = reinterpret_cast<Bytef*>(out->data() + old_size);
    zs.avail_out = static_cast<uInt>(grow);
    int rc = inflate(&zs, Z_NO_FLUSH);
    out->resize(old_size + (grow - zs.avail_out));
    if (out->size() > limit) {
      out->clear();
      return InflateResult::kTooLarge;
    }
    if (rc == Z_STREAM_END) {
      member_done = true;
    } else if (rc == Z_BUF_ERROR) {
      // No progress possible: more input is needed and there is none left.
      if (zs.avail_in == 0 && left == 0) return fail("unexpected end of compressed data");
    } else if (rc != Z_OK) {
      if (rc == Z_MEM_ERROR) throw std::bad_alloc();
      return fail(zs.msg);
    }
  }
}

std::string GzipCompress(std::string_view in) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipWindow, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::bad_alloc();
  }
  std::string out(deflateBound(&zs, static_cast<uLong>(in.size())), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  // deflateBound guarantees one call with Z_FINISH completes.
  int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::bad_alloc();
  return out;
}

}  // namespace ultrasearch::server
