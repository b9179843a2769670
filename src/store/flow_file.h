// A flow file `flow-N.ft`: the native value flows (store/native_flows.h) of one transfer
// segment `seg-N.ft`, per address and direction, so that exposure reads one entry per
// counterparty instead of gathering every transfer row. Derived data: written by the store's
// writer after the segment is committed (EmbeddedChainStore::BuildMissingFlows), named in the
// MANIFEST's "flows" list; a segment without one is answered from its rows, with the same
// result. See docs/store-format.md for the byte layout.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "store/native_flows.h"
#include "store/segment.h"
#include "util/file_util.h"
#include "util/status.h"

namespace fundtrace {

// The flow file's name for a segment's file name ("seg-000003.ft" -> "flow-000003.ft").
std::string FlowFileNameFor(const std::string& segment_name);

// Builds the flows of `seg` and writes them durably to `path` (atomic rename).
Status WriteFlowFile(const std::string& path, const SegmentReader& seg, const TxHashLess& hash_less);

class FlowFileReader {
 public:
  // Maps and validates the header and sizes against the segment it belongs to.
  static Result<std::unique_ptr<FlowFileReader>> Open(const std::string& path,
                                                      const SegmentReader& seg);
  // Appends the flows of each of `addresses` in direction `dir` (kIn or kOut): per address in
  // the given order, sorted by other. Prefetches the offsets and entries of all of them first
  // (scattered reads of a large mapped file are bound by memory latency).
  void Append(std::span<const AddressId> addresses, Direction dir,
              std::vector<NativeFlow>* out) const;

 private:
  FlowFileReader() = default;
  std::unique_ptr<MappedFile> file_;
  uint32_t span_ = 0;
  uint64_t n_out_ = 0, n_in_ = 0;
  const uint32_t *out_off_ = nullptr, *in_off_ = nullptr;
  const uint8_t *out_ = nullptr, *in_ = nullptr;
};

}  // namespace fundtrace
