// The --chain flag of the commands: one parse and one error message for all of them.
#pragma once

#include <optional>
#include <string>

#include "chain/chain.h"
#include "labels/screener.h"
#include "util/status.h"

namespace fundtrace {

// The chain a --chain value names; nullopt when the flag was not given (empty).
inline Result<std::optional<Chain>> ChainFlag(const std::string& name) {
  if (name.empty()) return std::optional<Chain>();
  auto c = ChainFromName(name);
  if (!c) return Status::InvalidArgument("unknown chain '" + name + "': use eth, btc or trx");
  return std::optional<Chain>(*c);
}

// The chain of --chain, or when it was not given the one `value`'s form suggests.
inline Result<Chain> ChainOption(const std::string& name, const std::string& value) {
  FT_ASSIGN_OR_RETURN(std::optional<Chain> c, ChainFlag(name));
  return c ? *c : GuessChain(value);
}

}  // namespace fundtrace
