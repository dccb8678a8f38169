#include "common/background_priority.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace ultrasearch {

namespace {
// nice 10: under contention such a thread gets about a tenth of what a normal one does (the
// kernel's weights 110 against 1024), all of a core that is otherwise idle, and enough to finish
// beside a server whose searches keep every core busy (nice 19 gets 1.5%, SCHED_IDLE nothing).
// Searches during a 100k reindex, p50 / p90 / p99 against idle: 1.10× / 1.52× / 3.03× at nice 10,
// 1.07× / 1.33× / 2.78× at nice 19, 1.20× / 3.14× / 3.93× at normal priority (performance.md).
constexpr int kBackgroundNice = 10;
}  // namespace

void LowerThisThreadToBackgroundPriority() {
  const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
  const int current = ::getpriority(PRIO_PROCESS, tid);
  if (current < kBackgroundNice) ::setpriority(PRIO_PROCESS, tid, kBackgroundNice);
}

}  // namespace ultrasearch
