// Runs long maintenance work (a reindex's build) on a thread of lower CPU priority, so on a busy
// machine the searches and writes of a live index come first, and the work still takes every core
// nothing else wants. Helper threads it starts inherit the priority (Linux
// keeps nice values per thread and passes them on to new threads). The caller's own priority is
// untouched: it goes on to take the writer lock for the swap at normal priority, so writers do not
// wait on a low-priority holder of that lock.
#pragma once

#include <exception>
#include <optional>
#include <system_error>
#include <thread>
#include <utility>

namespace ultrasearch {

// Lowers the calling thread's priority to the background level (best effort: ignored where refused).
void LowerThisThreadToBackgroundPriority();

// fn() on a background-priority thread, waited for; on the calling thread when no thread can start.
template <typename Fn>
auto RunAtBackgroundPriority(Fn&& fn) -> decltype(fn()) {
  std::optional<decltype(fn())> result;
  std::exception_ptr failure;
  std::thread worker;
  try {
    worker = std::thread([&] {
      LowerThisThreadToBackgroundPriority();
      try {
        result.emplace(fn());
      } catch (...) {
        failure = std::current_exception();
      }
    });
  } catch (const std::system_error&) {
    return fn();  // no thread to be had (resource limits); fn has not run
  }
  worker.join();
  if (failure) std::rethrow_exception(failure);
  return std::move(*result);
}

}  // namespace ultrasearch
