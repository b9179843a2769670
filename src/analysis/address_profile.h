// MistTrack's address profile (v1/address_trace): who funded the address first (the sender of
// its first incoming native value, which paid its first gas), the platforms it used (labelled
// counterparties by kind: exchange, dex, mixer, bridge, nft) and the malicious events it touched
// (counterparties labelled phishing, ransomware, theft, money laundering, sanctioned, scam).
#pragma once

#include <string>
#include <vector>

#include "labels/screen_index.h"
#include "store/chain_store.h"

namespace fundtrace {

struct NamedGroup {
  std::string kind;                // "exchange", "phishing", ...
  std::vector<std::string> names;  // entity or label names, sorted, distinct
};

struct AddressProfile {
  AddressId first_funder = kNoAddress;  // kNoAddress when it never received native value
  TxId first_funding_tx = 0;
  std::string first_funder_label;
  std::vector<NamedGroup> platforms;  // MistTrack's use_platform, in a fixed kind order
  std::vector<NamedGroup> malicious;  // MistTrack's malicious_event
};

// `labels` may be null. REQUIRES: id names an address of `store`.
Result<AddressProfile> ProfileOf(const ChainStore& store, const ScreenIndex* labels, AddressId id);

}  // namespace fundtrace
