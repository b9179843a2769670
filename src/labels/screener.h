// Bulk screening: one address per input line in, its screening-index entry out. Parses with
// the EVM fast path (no allocation per line) and answers from the memory-mapped index only.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "chain/chain.h"
#include "labels/screen_index.h"

namespace fundtrace {

// The chain an address's form suggests: 0x... eth, T... trx, anything else btc.
Chain GuessChain(std::string_view address);

struct ScreenResult {
  enum class Kind { kHit, kMiss, kInvalid, kSkip };
  Kind kind = Kind::kSkip;
  std::string_view input;  // the address as read (first field of the line)
  Chain chain = Chain::kEthereum;
  const ScreenEntry* entry = nullptr;  // kHit: its entry in the index
  std::string error;                   // kInvalid: the codec's message
};

class Screener {
 public:
  // `chain`: the chain of every input; nullopt: guessed per address (GuessChain).
  Screener(const ScreenIndex& index, std::optional<Chain> chain) : index_(index), chain_(chain) {}

  // Screens one line: its first field (up to ',', tab or space) after leading whitespace. Blank
  // lines and lines starting with '#' are kSkip; an "address" header line is kSkip too.
  // The result's views point into `line`.
  ScreenResult Screen(std::string_view line);
  // Screens many lines at once (same results as Screen on each), overlapping the index's
  // memory accesses (ScreenIndex::FindMany). out[i] belongs to lines[i] and points into it.
  void ScreenMany(std::span<const std::string_view> lines, ScreenResult* out);

 private:
  // Parses one line into r (kSkip / kInvalid / kMiss with the key in *key).
  void Parse(std::string_view line, ScreenResult* r, std::string* key);

  const ScreenIndex& index_;
  std::optional<Chain> chain_;
  std::string key_;                      // reused buffer
  std::vector<std::string> batch_keys_;  // reused buffers of ScreenMany
  std::vector<std::string_view> batch_views_;
  std::vector<const ScreenEntry*> batch_found_;
};

}  // namespace fundtrace
