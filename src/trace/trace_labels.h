// What the tracer needs to know about an address from the labels: its name for the report and
// whether taint stops there (a stop category, a user stop address, an inferred exchange
// deposit address). Answers are cached per address id.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "store/chain_store.h"
#include "trace/trace.h"

namespace fundtrace {

struct AddressLabel {
  std::string label, entity, category;
  bool stop = false;      // taint stops here
  bool exchange = false;  // some tag says exchange (for deposit-address inference)
  bool labelled = false;
};

class TraceLabels {
 public:
  TraceLabels(const ChainStore& store, const TraceOptions& options);
  const AddressLabel& Of(AddressId id);

 private:
  const ChainStore& store_;
  const TraceOptions& options_;
  uint64_t stop_mask_ = 0;
  uint64_t exchange_mask_ = 0;
  std::vector<bool> stop_term_;  // by term index (also terms beyond the 64-bit mask)
  uint16_t exchange_term_ = 0xFFFF;
  std::unordered_map<AddressId, AddressLabel> cache_;
};

}  // namespace fundtrace
