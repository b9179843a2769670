#include "analysis/counterparties.h"

#include <algorithm>
#include <map>

#include "analysis/address_summary.h"

namespace fundtrace {

Result<std::vector<CounterpartyShare>> CounterpartiesOf(const ChainStore& store,
                                                        const ScreenIndex* labels, AddressId id,
                                                        size_t top) {
  FT_ASSIGN_OR_RETURN(AddressSummary s, SummarizeAddress(store, id, SIZE_MAX));
  std::map<std::string, CounterpartyShare> groups;  // by entity name or "\0" + address key
  std::map<std::string, U256> largest;
  U256 total = 0;
  for (const Counterparty& c : s.top_counterparties) {
    if (c.asset != kNativeAsset) continue;
    std::string key = store.AddressKey(c.address);
    const ScreenEntry* e = labels ? labels->Find(key) : nullptr;
    std::string name;
    if (e) {
      name = std::string(labels->String(e->entity));
      if (name.empty()) name = std::string(labels->String(e->label));
    }
    std::string group = name.empty() ? std::string(1, '\0') + key : name;
    auto [it, fresh] = groups.try_emplace(group);
    CounterpartyShare& g = it->second;
    U256 amount = c.received_from + c.sent_to;
    if (fresh) {
      g.name = name;
      g.category = e ? std::string(labels->TermName(e->category)) : "";
      g.addresses = 0;
    }
    // The group shows its largest member (first in key order among equals: the summary is
    // ordered by amount, then id, so compare keys explicitly).
    U256& big = largest[group];
    if (fresh || amount > big || (amount == big && key < g.address_key)) {
      big = amount;
      g.address_key = key;
    }
    ++g.addresses;
    g.received_from += c.received_from;
    g.sent_to += c.sent_to;
    g.amount += amount;
    g.transfers += c.transfers;
    total += amount;
  }
  std::vector<CounterpartyShare> out;
  for (auto& [k, g] : groups) out.push_back(std::move(g));
  std::sort(out.begin(), out.end(), [](const CounterpartyShare& a, const CounterpartyShare& b) {
    if (a.amount != b.amount) return a.amount > b.amount;
    if (a.name != b.name) return a.name < b.name;
    return a.address_key < b.address_key;
  });
  if (out.size() > top) out.resize(top);
  for (auto& g : out) {
    g.percent = total > 0 ? 100.0 * g.amount.convert_to<double>() / total.convert_to<double>() : 0;
  }
  return out;
}

}  // namespace fundtrace
