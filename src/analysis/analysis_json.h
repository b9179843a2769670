// JSON of the address-analysis answers in MistTrack's field names (v1/address_overview,
// v1/address_counterparty, v1/address_action, v1/address_trace), shared by the CLI and, later,
// the REST server. Amounts are decimal strings in whole units of the native asset (exact).
#pragma once

#include <nlohmann/json.hpp>

#include "analysis/activity.h"
#include "analysis/address_overview.h"
#include "analysis/address_profile.h"
#include "analysis/counterparties.h"

namespace fundtrace {

nlohmann::json OverviewJson(const AddressOverview& o, const ChainStore& store);
nlohmann::json CounterpartiesJson(const std::vector<CounterpartyShare>& list,
                                  const ChainStore& store);
nlohmann::json ActivityJson(const AddressActivity& a);
nlohmann::json ProfileJson(const AddressProfile& p, const ChainStore& store);

// The native amount in whole units as an exact decimal string ("1.317896").
std::string NativeAmountText(const ChainStore& store, const U256& amount);

}  // namespace fundtrace
