// Writes the synthetic chain as an ethereum-etl export: blocks.csv, tokens.csv,
// transactions.csv (with receipt columns, so every tx has a fee), token_transfers.csv and
// traces.csv in one directory, in chain order, and counts the transfers `fundtrace ingest etl`
// will make of them (see docs/ingest.md and TxSpec::TransferCount).
//
// Usage: Open, then for each block BeginBlock, WriteTx…, EndBlock; then Finish. Between blocks,
// NextPart switches to a new directory, so that a long chain can be written as several
// complete exports of consecutive block ranges (each with its own tokens.csv).
// Not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "synth/names.h"
#include "synth/text_sink.h"
#include "synth/tx_spec.h"
#include "synth/world.h"
#include "util/status.h"

namespace fundtrace::synth {

struct TransferCounts {
  uint64_t native = 0;
  uint64_t fee = 0;
  uint64_t internal = 0;
  uint64_t token = 0;
  uint64_t total() const { return native + fee + internal + token; }
};

// Where a written tx landed.
struct TxPosition {
  uint64_t serial = 0;  // 0, 1, 2, … in chain order; names the tx hash (Namer::TxHash)
  uint64_t block = 0;
  uint32_t index = 0;  // transaction_index
  uint64_t time = 0;
};

class EtlWriter {
 public:
  // Creates the five files in `dir` (which must exist) and writes tokens.csv (one row per
  // token of the world, `first_block` as their block). The namer and world must outlive the
  // writer.
  static Result<std::unique_ptr<EtlWriter>> Open(const std::string& dir, const Namer* namer,
                                                 const World* world, uint64_t first_block);
  // Finishes the files of the current directory and goes on in `dir` (which must exist).
  // REQUIRES: no block is open.
  Status NextPart(const std::string& dir);

  void BeginBlock(uint64_t number, uint64_t timestamp, uint64_t base_fee);
  // Writes the tx as the next one of the open block. REQUIRES: a block is open; tx.gas_price
  // > 0; tx.gas_used >= 21000; internal moves have non-zero value.
  TxPosition WriteTx(const TxSpec& tx, uint32_t nonce);
  // Writes the block's row. REQUIRES: a block is open.
  void EndBlock(SynthAddr miner);
  bool block_open() const { return block_open_; }
  uint32_t block_txs() const { return block_txs_; }
  uint64_t current_block() const { return block_; }

  const TransferCounts& counts() const { return counts_; }
  uint64_t txs() const { return serial_; }
  uint64_t failed_txs() const { return failed_; }
  uint64_t blocks() const { return blocks_; }
  uint64_t bytes() const;

  // Finishes every file (rename into place); returns the first write error.
  Status Finish();

  static constexpr const char* kFileNames[5] = {"blocks.csv", "tokens.csv", "transactions.csv",
                                                "token_transfers.csv", "traces.csv"};

 private:
  EtlWriter(const Namer* namer, const World* world, uint64_t first_block)
      : namer_(namer), world_(world), first_block_(first_block) {}
  Status OpenFiles(const std::string& dir);
  void WriteTokens();
  void Addr(TextSink* s, SynthAddr a);
  void AddrWord(char* out, SynthAddr a);
  void WriteInput(const TxSpec& tx, uint64_t serial);
  void WriteTrace(const char* hash, const TxPosition& pos, SynthAddr from, SynthAddr to,
                  Uint128 value, uint32_t subtraces, const uint32_t* path, int depth);

  const Namer* namer_;
  const World* world_;
  uint64_t first_block_;
  uint64_t finished_bytes_ = 0;  // of the parts already finished
  std::unique_ptr<TextSink> blocks_file_, tokens_file_, txs_file_, transfers_file_, traces_file_;
  TransferCounts counts_;
  uint64_t serial_ = 0;
  uint64_t failed_ = 0;
  uint64_t blocks_ = 0;
  bool block_open_ = false;
  uint64_t block_ = 0;
  uint64_t time_ = 0;
  uint64_t base_fee_ = 0;
  uint32_t block_txs_ = 0;
  uint64_t block_gas_ = 0;
  uint32_t log_index_ = 0;
  char block_text_[24];
  int block_text_len_ = 0;
  char time_text_[24];
  int time_text_len_ = 0;
};

}  // namespace fundtrace::synth
