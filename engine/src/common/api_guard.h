// The seal on the engine API: no exception crosses it.
//
// Errors are converted where they arise (Xapian in xapian_status.h, RocksDB in the catalog store,
// filesystem calls through their error_code overloads). This guard is the last line, at each public
// entry point: whatever still escapes (std::bad_alloc, a Xapian error a caller forgot, a
// std::system_error from a thread that could not start) becomes a Status instead of ending the
// process that embeds the engine.
#pragma once

#include <xapian.h>

#include <exception>
#include <new>
#include <string>
#include <string_view>
#include <system_error>

#include "common/xapian_status.h"
#include "ultrasearch/status.h"

namespace ultrasearch {

// Runs `fn` (returning Status or Result<T>) and turns any exception into a Status of the same type.
template <typename Fn>
auto GuardApi(std::string_view what, Fn&& fn) noexcept -> decltype(fn()) {
  try {
    return fn();
  } catch (const Xapian::Error& e) {
    return FromXapian(e, what);
  } catch (const std::bad_alloc&) {
    return Status::Busy(std::string(what) + ": out of memory");
  } catch (const std::system_error& e) {
    return Status::IOError(std::string(what) + ": " + e.what());
  } catch (const std::exception& e) {
    return Status::Internal(std::string(what) + ": " + e.what());
  } catch (...) {
    return Status::Internal(std::string(what) + ": unknown exception");
  }
}

}  // namespace ultrasearch
