// Who owns a Bitcoin output: its scriptPubKey mapped to an address key (see address.h).
// Pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace fundtrace {

// The address key that owns `script`, as block explorers show it:
//   P2PKH  OP_DUP OP_HASH160 <20> OP_EQUALVERIFY OP_CHECKSIG  -> kP2pkh
//   P2SH   OP_HASH160 <20> OP_EQUAL                           -> kP2sh
//   OP_0..OP_16 <2..40 bytes> (BIP-141; v0 only with 20 or 32) -> kWitness
//   P2PK   <33-byte 02/03 or 65-byte 04/06/07 pubkey> OP_CHECKSIG -> kP2pkh of Hash160(pubkey)
//          (the genesis coinbase output shows as 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa)
//   any other spendable script (bare multisig, odd scripts, the empty anyone-can-spend script)
//                                                             -> kNonstandard, SHA-256(script)
// Returns std::nullopt for outputs nobody can spend: a script starting with OP_RETURN, or one
// over the 10,000-byte consensus limit.
std::optional<std::string> AddressKeyFromScript(std::span<const uint8_t> script);

}  // namespace fundtrace
