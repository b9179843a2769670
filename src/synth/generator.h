// fundtrace synth: writes a synthetic Ethereum-like chain with laundering scenarios and their
// exact ground truth (docs/synth.md). The output directory gets:
//   etl/{blocks,tokens,transactions,token_transfers,traces}.csv  an ethereum-etl export:
//                                `fundtrace ingest etl OUT/etl` loads exactly `transfers`
//                                (with parts > 1: etl/part-000/…, etl/part-001/…, consecutive
//                                block ranges, each a complete export)
//   labels.csv                   public labels (address,chain,label,entity,category,abuse,
//                                source,confidence)
//   bridge_events.csv            both sides of every bridge transfer
//   hacks/hack-NN.json           the ground truth of hack NN
//   synth.json                   what was written (counts per transfer kind, hacks, files)
//
// Deterministic: the same options give the same bytes in every file. Streaming: memory is a few
// bytes per user plus the pending follow-ups (sweeps, mixer notes) and the hacks' plans, not
// proportional to the transfers written.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "synth/etl_writer.h"
#include "util/status.h"

namespace fundtrace::synth {

struct SynthOptions {
  // Transfers the store will hold after `ingest etl`: native + fee + internal + token rows,
  // exactly. At least kMinTransfers.
  uint64_t transfers = 1000000;
  uint64_t seed = 1;
  // The output directory: created if missing; must not already hold synth output unless
  // `overwrite`.
  std::string out_dir;
  // Number of hacks; -1 = 3 + one per 10M transfers, at most 20.
  int hacks = -1;
  bool overwrite = false;
  // Split the export into this many parts of about transfers/parts transfers each (whole
  // blocks), so a chain too big for one ingest batch can be loaded part by part, in order.
  int parts = 1;
  // Height and unix time of the first block.
  uint64_t first_block = 17500000;
  uint64_t first_time = 1686000000;  // 2023-06-05 21:20:00 UTC
};
inline constexpr uint64_t kMinTransfers = 1000;

struct StolenAmount {
  std::string asset;   // "ETH" or the token symbol
  std::string amount;  // base units, decimal
  int decimals = 18;
};

struct HackSummary {
  std::string name;
  std::string file;  // relative to the output directory
  uint64_t txs = 0;
  uint64_t transfers = 0;
  std::vector<StolenAmount> stolen;
};

struct SynthReport {
  TransferCounts counts;
  uint64_t txs = 0;
  uint64_t failed_txs = 0;
  uint64_t blocks = 0;
  uint64_t first_block = 0;
  uint64_t last_block = 0;
  uint64_t users = 0;
  uint64_t labels = 0;
  uint64_t bridge_events = 0;
  uint64_t bytes = 0;
  std::vector<HackSummary> hacks;
  int hacks_skipped = 0;  // hacks that did not fit the transfer budget
  std::vector<std::pair<std::string, uint64_t>> files;  // relative path, bytes
};

// Called now and then with (transfers written so far, transfers to write).
using SynthProgress = std::function<void(uint64_t done, uint64_t total)>;

// Writes the chain. On failure returns the first error (InvalidArgument for bad options,
// IOError naming the file); files already finished stay, unfinished ones are removed.
Status GenerateChain(const SynthOptions& options, SynthReport* report,
                     const SynthProgress& progress = nullptr);

}  // namespace fundtrace::synth
