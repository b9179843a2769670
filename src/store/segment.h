// A transfer segment: the immutable, memory-mapped file written by one ingest batch. It holds
// the batch's transfers as fixed-width columns sorted in chain order (block, tx position, kind,
// seq) and two CSR indexes, by sender and by receiver, whose row lists are therefore in time
// order. See docs/store-format.md for the byte layout.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "store/types.h"
#include "util/huge_page_allocator.h"
#include "util/file_util.h"
#include "util/status.h"

namespace fundtrace {

// A transfer as it sits in a batch and in a segment's columns. amount is a compact code (see
// PackAmount); when bit 63 is set, the low bits index the segment's table of wide amounts.
struct PackedRow {
  uint32_t block;
  TxId tx;
  AddressId from;
  AddressId to;
  AssetId asset;
  uint32_t seq_kind;
  uint64_t amount;
};
static_assert(sizeof(PackedRow) == 32);

inline constexpr uint64_t kWideAmountFlag = uint64_t{1} << 63;

// An unresolved Bitcoin input keeps the spent output's txid here, since that tx has no id.
struct UnresolvedPrevout {
  uint32_t row;
  uint32_t vout;
  Hash32 txid;
};

struct SegmentContents {
  BigVector<PackedRow> rows;              // sorted in chain order, no duplicates
  std::vector<uint64_t> prevouts;         // empty, or one per row (kNoPrevout for non-inputs)
  std::vector<U256> wide_amounts;         // referenced by rows with kWideAmountFlag
  std::vector<UnresolvedPrevout> unresolved;
  uint32_t address_span = 0;              // every address id in rows is < address_span
};

// Writes `contents` durably to `path` (atomic rename). REQUIRES: rows sorted, ids < span.
Status WriteSegment(const std::string& path, const SegmentContents& contents);

class SegmentReader {
 public:
  // Maps and validates the header and column bounds; reads no row data.
  static Result<std::unique_ptr<SegmentReader>> Open(const std::string& path);

  size_t size() const { return n_; }
  uint32_t address_span() const { return span_; }
  uint32_t min_block() const { return min_block_; }
  uint32_t max_block() const { return max_block_; }
  uint64_t file_bytes() const { return file_->size(); }
  const std::string& path() const { return file_->path(); }
  uint64_t unresolved_count() const { return unresolved_count_; }

  uint32_t block(size_t i) const { return block_[i]; }
  TxId tx(size_t i) const { return tx_[i]; }
  uint32_t seq_kind(size_t i) const { return seq_kind_[i]; }
  AddressId from(size_t i) const { return from_[i]; }
  AddressId to(size_t i) const { return to_[i]; }
  // The full row, with the amount decoded.
  Transfer Get(size_t i) const;
  // Asks the CPU to start loading row i's columns (a gather over scattered rows is bound by
  // memory latency; prefetching some rows ahead overlaps the misses).
  void Prefetch(size_t i) const {
    __builtin_prefetch(block_ + i);
    __builtin_prefetch(tx_ + i);
    __builtin_prefetch(from_ + i);
    __builtin_prefetch(to_ + i);
    __builtin_prefetch(asset_ + i);
    __builtin_prefetch(seq_kind_ + i);
    __builtin_prefetch(amount_ + i);
  }

  // Row numbers (ascending = chain order) where `addr` is the sender / receiver.
  std::span<const uint32_t> OutRows(AddressId addr) const { return Csr(out_off_, out_rows_, addr); }
  std::span<const uint32_t> InRows(AddressId addr) const { return Csr(in_off_, in_rows_, addr); }

  // The txid of an unresolved input row, or nullptr.
  const Hash32* UnresolvedTxid(size_t row) const;

 private:
  SegmentReader() = default;
  std::span<const uint32_t> Csr(const uint32_t* off, const uint32_t* rows, AddressId a) const {
    if (a >= span_) return {};
    return {rows + off[a], rows + off[a + 1]};
  }

  std::unique_ptr<MappedFile> file_;
  size_t n_ = 0;
  uint32_t span_ = 0;
  uint32_t min_block_ = 0, max_block_ = 0;
  const uint32_t *block_ = nullptr, *tx_ = nullptr, *from_ = nullptr, *to_ = nullptr,
                 *asset_ = nullptr, *seq_kind_ = nullptr;
  const uint64_t* amount_ = nullptr;
  const uint64_t* prevout_ = nullptr;
  const uint8_t* wide_ = nullptr;
  uint64_t wide_count_ = 0;
  const uint32_t *out_off_ = nullptr, *out_rows_ = nullptr, *in_off_ = nullptr, *in_rows_ = nullptr;
  const uint8_t* unresolved_ = nullptr;
  uint64_t unresolved_count_ = 0;
};

}  // namespace fundtrace
