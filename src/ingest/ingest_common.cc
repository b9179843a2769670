#include "ingest/ingest_common.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "chain/address.h"
#include "chain/hash.h"

namespace fundtrace {
namespace {

constexpr auto kRedrawInterval = std::chrono::milliseconds(250);

std::string Human(double v) {
  char buf[32];
  if (v >= 1e9) std::snprintf(buf, sizeof buf, "%.2fG", v / 1e9);
  else if (v >= 1e6) std::snprintf(buf, sizeof buf, "%.2fM", v / 1e6);
  else if (v >= 1e3) std::snprintf(buf, sizeof buf, "%.1fk", v / 1e3);
  else std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

// Days from 1970-01-01 to the civil date (proleptic Gregorian).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

}  // namespace

Progress::Progress(std::string what, uint64_t total_bytes, bool enabled)
    : what_(std::move(what)), total_(total_bytes) {
  const char* env = std::getenv("FUNDTRACE_PROGRESS");
  enabled_ = enabled && ((env != nullptr && env[0] == '1') || ::isatty(STDERR_FILENO));
  start_ = last_ = std::chrono::steady_clock::now();
}

Progress::~Progress() { Finish(); }

void Progress::Update(uint64_t bytes_done, uint64_t records) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_ < kRedrawInterval) return;
  last_ = now;
  double secs = std::chrono::duration<double>(now - start_).count();
  double pct = total_ ? 100.0 * static_cast<double>(bytes_done) / static_cast<double>(total_) : 0;
  std::fprintf(stderr, "\r%s: %5.1f%%  %s records  %s/s   ", what_.c_str(), pct,
               Human(static_cast<double>(records)).c_str(),
               Human(secs > 0 ? static_cast<double>(records) / secs : 0).c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::Finish() {
  if (drawn_) std::fprintf(stderr, "\r\033[K");
  drawn_ = false;
}

Result<uint64_t> ParseUint(std::string_view text, const Where& where, const char* field) {
  if (text.empty() || text.size() > 19) {
    return Status::InvalidArgument(where + ": " + field + " '" + std::string(text) +
                                   "' is not an unsigned integer");
  }
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return Status::InvalidArgument(where + ": " + field + " '" + std::string(text) +
                                     "' is not an unsigned integer");
    }
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

Result<Hash32> ParseHash32(std::string_view text, const Where& where, const char* field) {
  Hash32 h;
  if (!FromHex(text, h.data(), h.size())) {
    return Status::InvalidArgument(where + ": " + field + " '" + std::string(text) +
                                   "' is not a 32-byte hex hash");
  }
  return h;
}

Result<uint64_t> ParseTimestamp(std::string_view text, const Where& where) {
  auto bad = [&] {
    return Status::InvalidArgument(where + ": timestamp '" + std::string(text) +
                                   "' is neither unix seconds nor a date and time");
  };
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos) {
    return ParseUint(text, where, "timestamp");
  }
  std::string s(text);
  unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  int used = 0;
  if (std::sscanf(s.c_str(), "%4u-%2u-%2u%*[ T]%2u:%2u:%2u%n", &y, &mo, &d, &h, &mi, &sec,
                  &used) == 6) {
  } else if (std::sscanf(s.c_str(), "%2u/%2u/%4u %2u:%2u:%2u%n", &mo, &d, &y, &h, &mi, &sec,
                         &used) == 6) {
  } else {
    return bad();
  }
  std::string_view rest = text.substr(static_cast<size_t>(used));
  if (!(rest.empty() || rest == " UTC" || rest == "Z" || rest == "+00:00")) return bad();
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 || y < 1970) {
    return bad();
  }
  int64_t days = DaysFromCivil(y, mo, d);
  return static_cast<uint64_t>(days * 86400 + h * 3600 + mi * 60 + sec);
}

Result<AddressId> ParseEvmAddressField(std::string_view text, IngestBatch* batch,
                                       const Where& where, const char* field) {
  if (text.empty() || text == "NULL" || text == "null") return kNoAddress;
  thread_local std::string key;  // reused: no allocation per field
  if (!ParseEvmKey(text, &key)) {
    auto parsed = ParseAddress(Chain::kEthereum, text);
    if (parsed.ok()) return batch->Address(*parsed);
    return Status::InvalidArgument(where + ": " + field + ": " + parsed.status().message());
  }
  return batch->Address(key);
}

void ReserveForInput(IngestBatch* batch, uint64_t input_bytes, uint64_t bytes_per_record) {
  // A hint only; capped so that a huge compressed input cannot make it reserve absurdly.
  constexpr uint64_t kMaxHint = uint64_t{1} << 30;
  uint64_t records = std::min(input_bytes / std::max<uint64_t>(bytes_per_record, 1), kMaxHint);
  batch->Reserve(records, records, records / 2);
}

Status HandleBadRecord(const Status& status, const IngestOptions& options,
                       IngestReport* report) {
  if (!options.skip_bad) {
    return Status::InvalidArgument(status.message() +
                                   " (nothing was stored; --skip-bad skips such records)");
  }
  ++report->skipped_bad;
  if (report->errors.size() < options.max_reported_errors) {
    report->errors.push_back(status.message());
  }
  return Status::OK();
}

}  // namespace fundtrace
