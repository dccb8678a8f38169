#include "ultrasearch/status.h"

namespace ultrasearch {

std::string_view Status::CodeName(Code code) {
  switch (code) {
    case Code::kOk: return "OK";
    case Code::kNotFound: return "NotFound";
    case Code::kInvalidArgument: return "InvalidArgument";
    case Code::kConflict: return "Conflict";
    case Code::kCorruption: return "Corruption";
    case Code::kIOError: return "IOError";
    case Code::kBusy: return "Busy";
    case Code::kUnavailable: return "Unavailable";
    case Code::kInternal: return "Internal";
    case Code::kNoSpace: return "NoSpace";
    case Code::kCancelled: return "Cancelled";
  }
  return "Unknown";
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out(CodeName(code_));
  out += ": ";
  out += message_;
  return out;
}

}  // namespace ultrasearch
