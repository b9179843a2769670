#include "chain/amount.h"

#include <array>
#include <charconv>
#include <cstring>
#include <limits>

namespace fundtrace {
namespace {

namespace mp = boost::multiprecision;

// Wide enough for any value with at most 78 decimal digits (< 10^78 < 2^260), so the slow
// parse path can compute first and compare against 2^256-1 afterwards without throwing.
using U512 = mp::number<mp::cpp_int_backend<512, 512, mp::unsigned_magnitude, mp::unchecked, void>>;

// 10^78 > 2^256 - 1 > 10^77: a value with more than 78 digits always overflows, one with at
// most 77 never does.
constexpr int kMaxU256Digits = 78;
constexpr int kSafeU256Digits = 77;
constexpr int kPackMaxExponent = 31;
constexpr uint64_t kPackMantissaLimit = uint64_t{1} << 58;
constexpr uint64_t kPackMantissaMask = kPackMantissaLimit - 1;

constexpr std::array<uint64_t, 20> kPow10U64 = [] {
  std::array<uint64_t, 20> p{};
  p[0] = 1;
  for (size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10;
  return p;
}();

// 10^k for k in [0, 77].
const U256& Pow10(int k) {
  static const std::array<U256, kSafeU256Digits + 1> table = [] {
    std::array<U256, kSafeU256Digits + 1> p;
    p[0] = 1;
    for (size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10u;
    return p;
  }();
  return table[k];
}

const U512& U256MaxAsU512() {
  static const U512 max = (U512(1) << 256) - 1;
  return max;
}

bool IsDigit(char c) { return static_cast<unsigned char>(c - '0') < 10; }

// Hex digit values, -1 for other bytes. A table: branches on random hex digits mispredict.
constexpr std::array<int8_t, 256> kHexValue = [] {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<int8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) t[c] = static_cast<int8_t>(c - 'a' + 10);
  for (int c = 'A'; c <= 'F'; ++c) t[c] = static_cast<int8_t>(c - 'A' + 10);
  return t;
}();

int HexValue(char c) { return kHexValue[static_cast<unsigned char>(c)]; }

// The text quoted for an error message, cut short if long.
std::string Quote(std::string_view text) {
  constexpr size_t kMaxShown = 64;
  std::string out = "\"";
  if (text.size() <= kMaxShown) {
    out.append(text);
  } else {
    out.append(text.substr(0, kMaxShown));
    out.append("...");
  }
  out.push_back('"');
  return out;
}

Status Invalid(std::string_view text, std::string_view why) {
  return Status::InvalidArgument("invalid amount " + Quote(text) + ": " + std::string(why));
}

// The error for text that does not match the grammar: says "negative" or "whitespace" when
// that is the reason, since those are the usual causes in exported data.
Status NotANumber(std::string_view text, std::string_view what) {
  if (text.empty()) return Invalid(text, "empty");
  if (text.front() == '-') return Invalid(text, "negative");
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') {
      return Invalid(text, "contains whitespace");
    }
  }
  return Invalid(text, std::string("not ") + std::string(what));
}

// A sequence of decimal digits split over two ranges (integer and fraction digits).
struct DigitSeq {
  const char* a;
  size_t a_len;
  const char* b;
  size_t b_len;
  size_t size() const { return a_len + b_len; }
  char operator[](size_t i) const { return i < a_len ? a[i] : b[i - a_len]; }
};

// Accumulates digits [first, last) of `d` into `acc` (any integer type wide enough for the
// result), 19 digits at a time.
template <typename Num>
void AccumulateDigits(const DigitSeq& d, size_t first, size_t last, Num* acc) {
  while (first < last) {
    const size_t chunk = std::min<size_t>(19, last - first);
    uint64_t part = 0;
    for (size_t i = 0; i < chunk; ++i) part = part * 10 + static_cast<uint64_t>(d[first + i] - '0');
    *acc *= kPow10U64[chunk];
    *acc += part;
    first += chunk;
  }
}

// The value of digits [first, last) of `d` (digit `first` non-zero) times 10^shift, or an
// overflow error. REQUIRES: shift >= 0.
Result<U256> ScaleDigits(std::string_view text, const DigitSeq& d, size_t first, size_t last,
                         int64_t shift) {
  const int64_t n = static_cast<int64_t>(last - first);
  if (n + shift > kMaxU256Digits) return Invalid(text, "exceeds 2^256-1 base units");
  if (n <= 19) {
    uint64_t m = 0;
    for (size_t i = first; i < last; ++i) m = m * 10 + static_cast<uint64_t>(d[i] - '0');
    uint64_t product;
    if (shift < 20 && !__builtin_mul_overflow(m, kPow10U64[shift], &product)) return U256(product);
    if (n + shift <= kSafeU256Digits) return U256(m) * Pow10(static_cast<int>(shift));
  } else if (n + shift <= kSafeU256Digits) {
    U256 acc = 0;
    AccumulateDigits(d, first, last, &acc);
    return acc * Pow10(static_cast<int>(shift));
  }
  // 78 digits: may or may not fit.
  U512 acc = 0;
  AccumulateDigits(d, first, last, &acc);
  for (int64_t i = 0; i < shift; ++i) acc *= 10u;
  if (acc > U256MaxAsU512()) return Invalid(text, "exceeds 2^256-1 base units");
  return static_cast<U256>(acc);
}

}  // namespace

Result<U256> ParseDecimalAmount(std::string_view text, int decimals) {
  if (decimals < 0 || decimals > kMaxAmountDecimals) {
    return Invalid(text, "decimals " + std::to_string(decimals) + " outside [0, " +
                             std::to_string(kMaxAmountDecimals) + "]");
  }
  const size_t len = text.size();
  // Fast path: plain digits that fit in 64 bits.
  if (len - 1 < 19) {  // 1..19 characters
    uint64_t v = 0;
    size_t i = 0;
    for (; i < len && IsDigit(text[i]); ++i) v = v * 10 + static_cast<uint64_t>(text[i] - '0');
    if (i == len) {
      uint64_t product;
      if (decimals < 20 && !__builtin_mul_overflow(v, kPow10U64[decimals], &product)) {
        return U256(product);
      }
      if (decimals <= kSafeU256Digits - 19) return U256(v) * Pow10(decimals);
    }
  }

  // General path: [int digits] ["." [frac digits]] [e[sign]digits].
  const char* p = text.data();
  const char* const end = p + len;
  const char* const int_begin = p;
  while (p < end && IsDigit(*p)) ++p;
  const char* const int_end = p;
  const char* frac_begin = p;
  const char* frac_end = p;
  if (p < end && *p == '.') {
    frac_begin = ++p;
    while (p < end && IsDigit(*p)) ++p;
    frac_end = p;
  }
  if (int_end == int_begin && frac_end == frac_begin) return NotANumber(text, "a decimal number");
  int64_t exponent = 0;
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    bool negative = false;
    if (p < end && (*p == '+' || *p == '-')) negative = *p++ == '-';
    const char* const exp_begin = p;
    // Saturate: any exponent beyond 10^9 is far past what a non-zero 256-bit value allows.
    constexpr int64_t kExponentCap = 1'000'000'000;
    for (; p < end && IsDigit(*p); ++p) {
      exponent = std::min<int64_t>(kExponentCap, exponent * 10 + (*p - '0'));
    }
    if (p == exp_begin) return NotANumber(text, "a decimal number (empty exponent)");
    if (negative) exponent = -exponent;
  }
  if (p != end) return NotANumber(text, "a decimal number");

  const DigitSeq d{int_begin, static_cast<size_t>(int_end - int_begin), frac_begin,
                   static_cast<size_t>(frac_end - frac_begin)};
  // value = digits * 10^(exponent - frac_len); in base units multiply by 10^decimals.
  int64_t shift = exponent - static_cast<int64_t>(d.b_len) + decimals;
  size_t first = 0;
  while (first < d.size() && d[first] == '0') ++first;
  if (first == d.size()) return U256(0);
  size_t last = d.size();
  while (d[last - 1] == '0') {
    --last;
    ++shift;
  }
  if (shift < 0) {
    return Invalid(text,
                   "more fractional digits than " + std::to_string(decimals) + " decimals allow");
  }
  return ScaleDigits(text, d, first, last, shift);
}

Result<U256> ParseBaseUnits(std::string_view text) {
  const size_t len = text.size();
  if (len - 1 < 19) {  // 1..19 characters: plain digits always fit in 64 bits
    uint64_t v = 0;
    size_t i = 0;
    for (; i < len && IsDigit(text[i]); ++i) v = v * 10 + static_cast<uint64_t>(text[i] - '0');
    if (i == len) return U256(v);
  }
  if (len >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    size_t i = 2;
    if (i == len) return Invalid(text, "no hex digits after 0x");
    for (size_t j = i; j < len; ++j) {
      if (HexValue(text[j]) < 0) return NotANumber(text, "a hex integer");
    }
    while (i < len && text[i] == '0') ++i;
    const size_t n = len - i;
    if (n > 64) return Invalid(text, "exceeds 2^256-1 base units");
    if (n <= 16) {
      uint64_t v = 0;
      for (; i < len; ++i) v = (v << 4) | static_cast<uint64_t>(HexValue(text[i]));
      return U256(v);
    }
    U256 acc = 0;
    // 16 hex digits (64 bits) at a time; the first chunk takes the remainder.
    size_t chunk = n % 16 == 0 ? 16 : n % 16;
    while (i < len) {
      uint64_t part = 0;
      for (size_t j = 0; j < chunk; ++j) {
        part = (part << 4) | static_cast<uint64_t>(HexValue(text[i + j]));
      }
      acc <<= static_cast<unsigned>(4 * chunk);
      acc |= part;
      i += chunk;
      chunk = 16;
    }
    return acc;
  }
  for (char c : text) {
    if (!IsDigit(c)) return NotANumber(text, "an integer");
  }
  if (len == 0) return NotANumber(text, "an integer");
  const DigitSeq d{text.data(), len, nullptr, 0};
  size_t first = 0;
  while (first < len && text[first] == '0') ++first;
  if (first == len) return U256(0);
  return ScaleDigits(text, d, first, len, 0);
}

std::string ToDecimalString(const U256& value) {
  if (value <= std::numeric_limits<uint64_t>::max()) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof(buf), static_cast<uint64_t>(value));
    return std::string(buf, r.ptr);
  }
  return value.str();
}

std::string FormatAmount(const U256& value, int decimals, bool group) {
  std::string digits = ToDecimalString(value);
  const size_t dec = decimals > 0 ? static_cast<size_t>(decimals) : 0;
  if (digits.size() <= dec) digits.insert(0, dec + 1 - digits.size(), '0');
  const size_t int_len = digits.size() - dec;
  size_t frac_end = digits.size();
  while (frac_end > int_len && digits[frac_end - 1] == '0') --frac_end;

  std::string out;
  out.reserve(int_len + int_len / 3 + 1 + (frac_end - int_len));
  for (size_t i = 0; i < int_len; ++i) {
    if (group && i > 0 && (int_len - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  if (frac_end > int_len) {
    out.push_back('.');
    out.append(digits, int_len, frac_end - int_len);
  }
  return out;
}

namespace {

// The canonical code for m * 10^e: strips trailing zeros of m into e up to the cap.
// REQUIRES: e <= kPackMaxExponent.
std::optional<uint64_t> PackU64(uint64_t m, uint64_t e) {
  if (m == 0) return uint64_t{0};
  while (e < kPackMaxExponent && m % 10 == 0) {
    m /= 10;
    ++e;
  }
  if (m >= kPackMantissaLimit) return std::nullopt;
  return (e << 58) | m;
}

}  // namespace

std::optional<uint64_t> PackAmount(const U256& value) {
  if (value <= std::numeric_limits<uint64_t>::max()) {
    return PackU64(static_cast<uint64_t>(value), 0);
  }
  // Anything >= 2^58 * 10^31 needs m >= 2^58.
  static const U256 kLimit = U256(kPackMantissaLimit) * Pow10(kPackMaxExponent);
  if (value >= kLimit) return std::nullopt;
  // Strip trailing zeros greedily in chunks of 16, 8, 4, 2, 1 (dividing by a single 64-bit
  // limb), which reaches exactly min(31, trailing zeros); finish in 64 bits once it fits.
  U256 rest = value;
  uint64_t e = 0;
  for (int chunk : {16, 8, 4, 2, 1}) {
    while (e + chunk <= kPackMaxExponent) {
      if (rest <= std::numeric_limits<uint64_t>::max()) {
        return PackU64(static_cast<uint64_t>(rest), e);
      }
      if (static_cast<uint64_t>(rest % kPow10U64[chunk]) != 0) break;
      rest /= kPow10U64[chunk];
      e += chunk;
    }
  }
  if (rest >= kPackMantissaLimit) return std::nullopt;
  return (e << 58) | static_cast<uint64_t>(rest);
}

U256 UnpackAmount(uint64_t code) {
  const uint64_t m = code & kPackMantissaMask;
  const int e = static_cast<int>((code >> 58) & 31);
  if (e == 0) return U256(m);
  uint64_t product;
  if (e < 20 && !__builtin_mul_overflow(m, kPow10U64[e], &product)) return U256(product);
  return U256(m) * Pow10(e);
}

}  // namespace fundtrace
