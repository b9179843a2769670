// How tags are grouped into entities when the source names no entity (GraphSense `actor`, a CSV
// `entity` column): explorer-style labels carry their entity in front, "Binance 14" and
// "Binance: Hot Wallet" both belong to Binance. Pure functions.
#pragma once

#include <string>
#include <string_view>

namespace fundtrace {

struct Tag;

// The group a label names, or "" when no rule applies. Rules, first match wins:
//   "X: Y" -> X       ("Tornado.Cash: Router" -> "Tornado.Cash")
//   "X - Y" -> X      ("THORChain Exploiter - Contract" -> "THORChain Exploiter")
//   "X N", "X #N" -> X ("Binance 14" -> "Binance", "Ronin Bridge Exploiter 4" -> ...Exploiter)
// A rule whose X would be empty does not apply; an X that states a status rather than an owner
// ("Compromised: Upbit Hack Funds", "Scam: ...") yields "".
std::string EntityGroupName(std::string_view label);

// The key entities are matched by: ASCII letters (lower-cased) and digits only, so
// "Tornado.Cash", "tornado cash" and "TornadoCash" are one entity ("tornadocash").
std::string NormalizeEntityKey(std::string_view name);

// Whether tags of this category name a service or organisation, which is an entity even when
// no rule applies (the label itself: "Binance").
bool IsServiceCategory(std::string_view category);

// Sets tag->entity and tag->entity_key from the label when they are empty: service categories
// get EntityGroupName or the label, other tags only EntityGroupName (so "Fake_Phishing1772" is
// no entity, "Ronin Bridge Exploiter 4" is "Ronin Bridge Exploiter").
void AssignDerivedEntity(Tag* tag);

}  // namespace fundtrace
