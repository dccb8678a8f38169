// The one place Xapian exceptions become Status values.
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>

#include "ultrasearch/status.h"

namespace ultrasearch {

inline Status FromXapian(const Xapian::Error& e, std::string_view what) {
  std::string msg = std::string(what) + ": " + e.get_type() + ": " + e.get_msg();
  // Xapian::Error is not polymorphic; its type name tells the subclass.
  std::string_view type = e.get_type();
  if (type == "DatabaseLockError") return Status::Busy(msg);
  if (e.get_error_string() != nullptr && std::string_view(e.get_error_string()).find("No space left") != std::string_view::npos) {
    return Status::NoSpace(msg);
  }
  if (type == "DatabaseCorruptError") return Status::Corruption(msg);
  if (type == "DocNotFoundError") return Status::NotFound(msg);
  if (type == "InvalidArgumentError" || type == "QueryParserError") return Status::InvalidArgument(msg);
  if (type.find("Database") != std::string_view::npos) return Status::IOError(msg);
  return Status::Internal(msg);
}

}  // namespace ultrasearch
