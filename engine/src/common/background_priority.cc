#include "common/background_priority.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace ultrasearch {

namespace {
// nice 19, the lowest, as RocksDB's low-priority pool: under contention such a thread gets about
// 1.5% of a core against a normal one (the kernel's weights 15 against 1024), never nothing (as
// SCHED_IDLE could: a saturated server would never finish a reindex), and all of a core that is
// otherwise idle.
constexpr int kBackgroundNice = 19;
}  // namespace

void LowerThisThreadToBackgroundPriority() {
  const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
  const int current = ::getpriority(PRIO_PROCESS, tid);
  if (current < kBackgroundNice) ::setpriority(PRIO_PROCESS, tid, kBackgroundNice);
}

}  // namespace ultrasearch
