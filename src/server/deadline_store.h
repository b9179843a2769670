// A ChainStore that gives up when the request its calling thread serves has run out of time: it
// forwards every call to the store it wraps, and its batched reads (TransfersOf,
// TransfersOfAnyOrder, TransferCounts, TransfersOfTxs, NativeFlows) first check the calling
// thread's request deadline (RequestDeadlineScope) and return DeadlineExceeded once it has
// passed. Every virtual read of ChainStore must be forwarded here, or the wrapped store's own
// (faster) implementation is bypassed for the base class default.
//
// Why a thread's deadline and not one per wrapper: risk scoring builds an ExposureFinder over
// its store once per data snapshot (it indexes the labelled addresses, too costly per request),
// so the server wraps each snapshot's store once and each request thread says how long it may
// read. Risk scoring, the address analyses and graph expansion read the store hop by hop through
// these calls, so this bounds their time without a check in each of them (a read already running
// finishes; the next one is refused). Threads without a scope (async tasks, the CLI) never give
// up.
//
// Holds a reference: the wrapped store must outlive it. Thread-safety: as the wrapped store.
#pragma once

#include "store/chain_store.h"
#include "util/deadline.h"

namespace fundtrace {

// Makes `deadline` the calling thread's request deadline for reads through any
// DeadlineChainStore until the scope ends; scopes nest (the outer deadline comes back).
class RequestDeadlineScope {
 public:
  explicit RequestDeadlineScope(Deadline deadline);
  ~RequestDeadlineScope();
  RequestDeadlineScope(const RequestDeadlineScope&) = delete;
  RequestDeadlineScope& operator=(const RequestDeadlineScope&) = delete;
  // The calling thread's request deadline (never expires outside a scope).
  static const Deadline& Current();

 private:
  Deadline previous_;
};

class DeadlineChainStore final : public ChainStore {
 public:
  explicit DeadlineChainStore(const ChainStore& store) : store_(store) {}

  Chain chain() const override { return store_.chain(); }
  std::optional<AddressId> FindAddress(std::string_view key) const override {
    return store_.FindAddress(key);
  }
  std::string AddressKey(AddressId id) const override { return store_.AddressKey(id); }
  std::optional<TxId> FindTx(const Hash32& hash) const override { return store_.FindTx(hash); }
  TxInfo Tx(TxId id) const override { return store_.Tx(id); }
  std::optional<BlockInfo> Block(uint32_t height) const override { return store_.Block(height); }
  size_t AssetCount() const override { return store_.AssetCount(); }
  const AssetInfo& Asset(AssetId id) const override { return store_.Asset(id); }
  std::optional<AssetId> FindAsset(std::string_view contract_key) const override {
    return store_.FindAsset(contract_key);
  }
  Status TransfersOf(std::span<const AddressId> addresses, Direction dir, BlockRange range,
                     std::vector<Transfer>* out) const override;
  Status TransfersOfAnyOrder(std::span<const AddressId> addresses, Direction dir, BlockRange range,
                             std::vector<Transfer>* out) const override;
  Status TransferCounts(std::span<const AddressId> addresses, Direction dir,
                        std::vector<uint64_t>* out) const override;
  Status TransfersOfTxs(std::span<const TxId> txs, std::vector<Transfer>* out) const override;
  Status NativeFlows(std::span<const AddressId> addresses, Direction dir,
                     std::vector<NativeFlow>* out) const override;
  ChainStats Stats() const override { return store_.Stats(); }

  const ChainStore& wrapped() const { return store_; }

 private:
  static Status Check();
  const ChainStore& store_;
};

}  // namespace fundtrace
