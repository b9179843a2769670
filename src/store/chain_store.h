// The read interface of one chain's store. Analysis talks only to this, in batches (many
// addresses or txs per call), so that a distributed backend such as ClickHouse can answer the
// same calls with one query per frontier instead of one per edge.
//
// Thread-safety: all const methods may be called concurrently; the data they see is the
// snapshot that was live when the store was opened.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/native_flows.h"
#include "store/types.h"
#include "util/status.h"

namespace fundtrace {

struct ChainStats {
  uint64_t blocks = 0;
  uint64_t txs = 0;
  uint64_t transfers = 0;
  uint64_t addresses = 0;
  uint64_t assets = 0;
  uint64_t unresolved_inputs = 0;
  uint64_t segments = 0;
  uint64_t flow_files = 0;  // segments whose native flows are indexed (flow-N.ft)
  uint64_t bytes_on_disk = 0;
  uint32_t min_block = 0;
  uint32_t max_block = 0;
};

class ChainStore {
 public:
  virtual ~ChainStore() = default;
  virtual Chain chain() const = 0;

  // Dictionary look-ups. Address keys are the binary keys of chain/address.h.
  virtual std::optional<AddressId> FindAddress(std::string_view key) const = 0;
  // REQUIRES: 0 < id <= Stats().addresses
  virtual std::string AddressKey(AddressId id) const = 0;
  virtual std::optional<TxId> FindTx(const Hash32& hash) const = 0;
  // REQUIRES: id < Stats().txs
  virtual TxInfo Tx(TxId id) const = 0;
  virtual std::optional<BlockInfo> Block(uint32_t height) const = 0;
  virtual size_t AssetCount() const = 0;
  // REQUIRES: id < AssetCount()
  virtual const AssetInfo& Asset(AssetId id) const = 0;
  virtual std::optional<AssetId> FindAsset(std::string_view contract_key) const = 0;

  // Appends to *out the transfers in `range` whose sender (kOut), receiver (kIn) or either
  // (kBoth) is one of `addresses`, in chain order (block, tx position, kind, seq). A transfer
  // between two of the addresses appears once.
  virtual Status TransfersOf(std::span<const AddressId> addresses, Direction dir,
                             BlockRange range, std::vector<Transfer>* out) const = 0;
  // TransfersOf without the chain order: the same rows in an order the backend finds cheapest
  // (the embedded store: per segment). For callers that aggregate and do not need the order.
  virtual Status TransfersOfAnyOrder(std::span<const AddressId> addresses, Direction dir,
                                     BlockRange range, std::vector<Transfer>* out) const {
    return TransfersOf(addresses, dir, range, out);
  }
  // Appends to *out, per address, how many transfers TransfersOf(that address, dir, all
  // blocks) returns, without reading them (kBoth: an upper bound; a transfer to itself counts
  // twice). Lets a search skip hubs before paying for their history. The default reads them;
  // the embedded store answers from its index offsets.
  virtual Status TransferCounts(std::span<const AddressId> addresses, Direction dir,
                                std::vector<uint64_t>* out) const {
    for (AddressId a : addresses) {
      std::vector<Transfer> rows;
      const AddressId one[1] = {a};
      Status s = TransfersOf(one, dir, BlockRange{}, &rows);
      if (!s.ok()) return s;
      out->push_back(rows.size());
    }
    return Status::OK();
  }
  // Appends to *out the native value flows (store/native_flows.h) of `addresses` in direction
  // `dir` (kIn or kOut) over all blocks: one entry per (address, counterparty), sorted by
  // (address, other). The default aggregates TransfersOfAnyOrder; the embedded store reads its
  // flow files.
  virtual Status NativeFlows(std::span<const AddressId> addresses, Direction dir,
                             std::vector<NativeFlow>* out) const {
    std::vector<Transfer> rows;
    Status s = TransfersOfAnyOrder(addresses, dir, BlockRange{}, &rows);
    if (!s.ok()) return s;
    AggregateNativeFlows(rows, SortedIds(addresses), dir, TxHashLessOf(), out);
    return Status::OK();
  }
  // Orders txs by hash (the tie-break NativeFlows uses).
  TxHashLess TxHashLessOf() const {
    return [this](TxId a, TxId b) { return Tx(a).hash < Tx(b).hash; };
  }
  // Appends to *out all transfers of the given txs, in chain order.
  virtual Status TransfersOfTxs(std::span<const TxId> txs, std::vector<Transfer>* out) const = 0;

  virtual ChainStats Stats() const = 0;
};

}  // namespace fundtrace
