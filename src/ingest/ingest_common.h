// What every ingest format shares: options, the report of what was read and added, progress on
// stderr, and the parsing of the small fields (integers, hashes, times, addresses) with
// messages that name the file and line.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "chain/chain.h"
#include "store/embedded_store.h"
#include "util/status.h"

namespace fundtrace {

struct IngestOptions {
  // Skip malformed rows/blocks (counting and listing the first few) instead of failing.
  bool skip_bad = false;
  // Show a progress line on stderr for inputs that take more than a moment.
  bool progress = true;
  // How many skipped-row messages the report keeps.
  size_t max_reported_errors = 20;
};

struct IngestReport {
  uint64_t files = 0;
  uint64_t records = 0;         // CSV rows or blocks read
  uint64_t skipped_bad = 0;     // malformed, skipped under --skip-bad
  uint64_t skipped_other = 0;   // well-formed but carrying no transfer we model (see notes)
  std::vector<std::string> errors;  // the first skipped rows' messages
  std::vector<std::string> notes;   // one line per kind of intentional skip
  std::vector<std::string> inputs;  // "path: what it was read as", where formats vary
  CommitStats committed;
};

// Draws "ingest <what>: 42% 1.2M rows 310k rows/s" on stderr at most a few times per second,
// only when stderr is a terminal or FUNDTRACE_PROGRESS=1.
class Progress {
 public:
  Progress(std::string what, uint64_t total_bytes, bool enabled);
  ~Progress();
  void Update(uint64_t bytes_done, uint64_t records);
  void Finish();

 private:
  std::string what_;
  uint64_t total_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_;
};

// The file and line a record came from; formatted only when an error needs it.
struct Where {
  const std::string& path;
  uint64_t line;
  std::string str() const { return path + ":" + std::to_string(line); }
};
inline std::string operator+(const Where& w, const char* s) { return w.str() + s; }
inline std::string operator+(const Where& w, const std::string& s) { return w.str() + s; }

// Field parsers. The message starts with "path:line: ".
Result<uint64_t> ParseUint(std::string_view text, const Where& where, const char* field);
Result<Hash32> ParseHash32(std::string_view text, const Where& where, const char* field);
// Unix seconds, "YYYY-MM-DD HH:MM:SS[ UTC]" (BigQuery) or "M/D/YYYY H:MM:SS" (spreadsheet
// exports), all taken as UTC.
Result<uint64_t> ParseTimestamp(std::string_view text, const Where& where);
// An EVM address column: empty or "NULL" gives kNoAddress.
Result<AddressId> ParseEvmAddressField(std::string_view text, IngestBatch* batch,
                                       const Where& where, const char* field);

// Sizes the batch for an input of `input_bytes` whose records take about `bytes_per_record`.
void ReserveForInput(IngestBatch* batch, uint64_t input_bytes, uint64_t bytes_per_record);

// Records a bad row: fails with `status` unless skip_bad, else counts it.
Status HandleBadRecord(const Status& status, const IngestOptions& options, IngestReport* report);

}  // namespace fundtrace
