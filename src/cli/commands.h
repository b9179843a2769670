// The fundtrace commands. Each returns the process exit code (see kExit*) and prints errors to
// stderr as one line that says what to do.
#pragma once

#include <string>
#include <vector>

#include "util/status.h"

namespace fundtrace {

inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 2;      // bad command line
inline constexpr int kExitBadInput = 3;   // malformed input data; nothing was stored
inline constexpr int kExitNotFound = 4;   // the address / tx / data is not in the store
inline constexpr int kExitFailure = 5;    // I/O error, corrupt store, anything else

struct GlobalOptions {
  std::string data_dir = "fundtrace-data";
  bool json = false;
  bool progress = true;
};

// Prints `status` as "fundtrace: <message>" and maps it to an exit code.
int ReportError(const Status& status);

int RunIngest(const GlobalOptions& g, const std::string& format,
              const std::vector<std::string>& paths, bool skip_bad, const std::string& xor_key,
              bool verify_merkle_root);
int RunStats(const GlobalOptions& g);
int RunReindex(const GlobalOptions& g);
int RunAddress(const GlobalOptions& g, const std::string& address, const std::string& chain,
               size_t top);
int RunTx(const GlobalOptions& g, const std::string& hash, const std::string& chain);

}  // namespace fundtrace
