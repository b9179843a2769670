#include "server/deadline_store.h"

namespace fundtrace {
namespace {

// The deadline of the request the thread serves; set only by RequestDeadlineScope.
thread_local Deadline current_request_deadline;

}  // namespace

RequestDeadlineScope::RequestDeadlineScope(Deadline deadline)
    : previous_(current_request_deadline) {
  current_request_deadline = deadline;
}

RequestDeadlineScope::~RequestDeadlineScope() { current_request_deadline = previous_; }

const Deadline& RequestDeadlineScope::Current() { return current_request_deadline; }

Status DeadlineChainStore::Check() {
  if (!current_request_deadline.Expired()) return Status::OK();
  return Status::DeadlineExceeded("the request ran out of its time budget while reading the store");
}

Status DeadlineChainStore::TransfersOf(std::span<const AddressId> addresses, Direction dir,
                                       BlockRange range, std::vector<Transfer>* out) const {
  FT_RETURN_IF_ERROR(Check());
  return store_.TransfersOf(addresses, dir, range, out);
}

Status DeadlineChainStore::TransfersOfAnyOrder(std::span<const AddressId> addresses, Direction dir,
                                               BlockRange range, std::vector<Transfer>* out) const {
  FT_RETURN_IF_ERROR(Check());
  return store_.TransfersOfAnyOrder(addresses, dir, range, out);
}

Status DeadlineChainStore::TransferCounts(std::span<const AddressId> addresses, Direction dir,
                                          std::vector<uint64_t>* out) const {
  FT_RETURN_IF_ERROR(Check());
  return store_.TransferCounts(addresses, dir, out);
}

Status DeadlineChainStore::TransfersOfTxs(std::span<const TxId> txs,
                                          std::vector<Transfer>* out) const {
  FT_RETURN_IF_ERROR(Check());
  return store_.TransfersOfTxs(txs, out);
}

Status DeadlineChainStore::NativeFlows(std::span<const AddressId> addresses, Direction dir,
                                       std::vector<NativeFlow>* out) const {
  FT_RETURN_IF_ERROR(Check());
  return store_.NativeFlows(addresses, dir, out);
}

}  // namespace fundtrace
