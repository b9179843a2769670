// Exact token amounts. An amount is an unsigned integer in an asset's base unit (wei, satoshi,
// token units) of up to 256 bits; it never passes through floating point. Parsing turns the
// decimal strings of CSV exports (whole units, possibly in scientific notation) or base-unit
// integers (decimal or 0x-hex) into U256, failing rather than rounding; formatting turns them
// back. PackAmount/UnpackAmount give the store a compact exact 8-byte code for typical values.
//
// All functions are thread-safe, throw nothing and allocate nothing on their fast paths
// (FormatAmount and ToDecimalString return strings).
#pragma once

#include <boost/multiprecision/cpp_int.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/status.h"

namespace fundtrace {

// 256-bit unsigned with overflow checking: arithmetic that overflows throws
// std::overflow_error, so code that mixes untrusted values must check bounds first (the
// functions below do and never throw).
using U256 = boost::multiprecision::number<boost::multiprecision::cpp_int_backend<
    256, 256, boost::multiprecision::unsigned_magnitude, boost::multiprecision::checked, void>>;

// Largest `decimals` the parse functions accept (ERC-20 `decimals` is a uint8).
inline constexpr int kMaxAmountDecimals = 255;

// Parses a non-negative decimal amount written in whole units into base units with `decimals`
// decimal places, e.g. ("0.0018", 18) -> 1800000000000000.
//
// Grammar (nothing else, in particular no sign, no surrounding whitespace, no digit grouping):
//   digits ["." [digits]] [exponent] | "." digits [exponent]
//   exponent = ("e" | "E") ["+" | "-"] digits
// so "12", "1.", ".5", "00012", "1.5e3", "0E-18", "1.0000000000E-8" and "7.777777777E-9" are
// accepted. The result is exact: fails with InvalidArgument (the message quotes the text and
// says why) if the value has a non-zero digit beyond `decimals` fractional places ("1e-19" with
// 18), is negative, is not a number in the grammar above, or exceeds 2^256-1 base units; also
// when `decimals` is outside [0, kMaxAmountDecimals]. Zeros are fine anywhere: "0E-999" is 0.
//
// Fast path: plain digits of up to 19 characters, and values whose significant digits fit in
// 64 bits, are converted without multiprecision string parsing.
Result<U256> ParseDecimalAmount(std::string_view text, int decimals);

// Parses an integer already in base units: decimal digits ("00012" is fine), or hex with a
// "0x"/"0X" prefix and at least one hex digit of either case (ethereum-etl writes both).
// Fails like ParseDecimalAmount: empty, negative, not an integer (no ".", no exponent, no
// whitespace), or more than 2^256-1. For scientific forms use ParseDecimalAmount(text, 0).
Result<U256> ParseBaseUnits(std::string_view text);

// Formats base units as a decimal number of whole units: (1800000000000000, 18) -> "0.0018".
// Trailing fractional zeros and a bare "." are trimmed, so (10^18, 18) -> "1" and 0 -> "0".
// With `group`, the integer part gets ',' between groups of three digits:
// (1234567 * 10^18 + 5 * 10^17, 18, true) -> "1,234,567.5". The output (without grouping)
// parses back to `value` with ParseDecimalAmount(_, decimals).
// REQUIRES: decimals >= 0.
std::string FormatAmount(const U256& value, int decimals, bool group = false);

// Base units as plain decimal digits without grouping or leading zeros ("0" for zero).
std::string ToDecimalString(const U256& value);

// Compact exact 8-byte code for the store's amount column:
//   bit 63 = 0; bits 58..62 = decimal exponent e (0..31); bits 0..57 = mantissa m < 2^58;
//   value = m * 10^e.
// The code is canonical, so equal values always get equal codes and codes can be compared for
// equality directly: e = min(31, number of trailing decimal zeros of the value) and
// m = value / 10^e; zero is code 0. If that m is >= 2^58 the value is not representable and
// the result is nullopt (the store keeps those in a side table). Every value below 2^58, and
// every value with at most 17 significant digits and at most 31 + (17 - digits) trailing zeros,
// is representable; typical wei values such as 1500000000000000000 pack.
std::optional<uint64_t> PackAmount(const U256& value);

// Decodes any code with bit 63 clear (canonical or not) to m * 10^e. Never overflows:
// (2^58-1) * 10^31 < 2^256. Fast when e == 0 or m * 10^e fits in 64 bits.
// REQUIRES: code has bit 63 clear.
U256 UnpackAmount(uint64_t code);

}  // namespace fundtrace
