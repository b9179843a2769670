// Crash points for the crash-safety tests. When the environment variable FUNDTRACE_CRASH_AT
// names a point, the process kills itself with SIGKILL there, as `kill -9` would: no
// destructors, no flushing. Unset in normal use, where each call costs one getenv.
#pragma once

#include <csignal>
#include <cstdlib>
#include <cstring>

namespace fundtrace {

inline void MaybeInjectCrash(const char* point) {
  const char* at = std::getenv("FUNDTRACE_CRASH_AT");
  if (at != nullptr && std::strcmp(at, point) == 0) std::raise(SIGKILL);
}

}  // namespace fundtrace
