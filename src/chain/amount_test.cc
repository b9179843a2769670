#include "chain/amount.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <string>

namespace fundtrace {
namespace {

using BigInt = boost::multiprecision::cpp_int;  // unbounded reference arithmetic

const char* const kU256Max =
    "115792089237316195423570985008687907853269984665640564039457584007913129639935";
const char* const kU256MaxPlusOne =
    "115792089237316195423570985008687907853269984665640564039457584007913129639936";

U256 FromString(const std::string& s) { return U256(s); }

BigInt Pow10Big(int k) {
  BigInt p = 1;
  for (int i = 0; i < k; ++i) p *= 10;
  return p;
}

const BigInt& MaxBig() {
  static const BigInt max(kU256Max);
  return max;
}

// Parses with `decimals`, expecting success.
U256 ParseOk(std::string_view text, int decimals) {
  Result<U256> r = ParseDecimalAmount(text, decimals);
  EXPECT_TRUE(r.ok()) << "\"" << text << "\": " << r.status().message();
  return r.ok() ? *r : U256(0);
}

// Parses with `decimals`, expecting InvalidArgument whose message contains `why`.
void ParseFails(std::string_view text, int decimals, const std::string& why) {
  Result<U256> r = ParseDecimalAmount(text, decimals);
  ASSERT_FALSE(r.ok()) << "\"" << text << "\" parsed as " << r->str();
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find(why), std::string::npos) << r.status().message();
}

TEST(ParseDecimalAmount, PlainAndFractional) {
  EXPECT_EQ(ParseOk("0.0018", 18), U256(1800000000000000ull));
  EXPECT_EQ(ParseOk("12", 18), FromString("12000000000000000000"));
  EXPECT_EQ(ParseOk("0", 18), U256(0));
  EXPECT_EQ(ParseOk("0.586269480000000000", 18), U256(586269480000000000ull));
  EXPECT_EQ(ParseOk("1.", 18), FromString("1000000000000000000"));
  EXPECT_EQ(ParseOk(".5", 18), U256(500000000000000000ull));
  EXPECT_EQ(ParseOk("00012", 18), FromString("12000000000000000000"));
  EXPECT_EQ(ParseOk("0.000000000000000001", 18), U256(1));
  EXPECT_EQ(ParseOk("0.0000000000000000010000", 18), U256(1));  // zeros past 18 places are fine
  EXPECT_EQ(ParseOk("1.5", 8), U256(150000000));
  EXPECT_EQ(ParseOk("1.0", 0), U256(1));
  EXPECT_EQ(ParseOk("42", 0), U256(42));
  EXPECT_EQ(ParseOk("9999999999999999999", 0), U256(9999999999999999999ull));
  EXPECT_EQ(ParseOk("9999999999999999999", 18),
            FromString("9999999999999999999000000000000000000"));
  EXPECT_EQ(ParseOk("18446744073709551616", 0), FromString("18446744073709551616"));
  EXPECT_EQ(ParseOk("12", 60), U256(12) * U256(FromString("1" + std::string(60, '0'))));
  EXPECT_EQ(ParseOk("123456789012345678901234567890.123456789012345678", 18),
            FromString("123456789012345678901234567890123456789012345678"));
}

TEST(ParseDecimalAmount, Scientific) {
  EXPECT_EQ(ParseOk("1.5e3", 18), FromString("1500000000000000000000"));
  EXPECT_EQ(ParseOk("0E-18", 18), U256(0));
  EXPECT_EQ(ParseOk("1.0000000000E-8", 18), U256(10000000000ull));
  EXPECT_EQ(ParseOk("7.777777777E-9", 18), U256(7777777777ull));
  EXPECT_EQ(ParseOk("9.19999999999E-7", 18), U256(919999999999ull));
  EXPECT_EQ(ParseOk("1E-18", 18), U256(1));
  EXPECT_EQ(ParseOk("1E+2", 0), U256(100));
  EXPECT_EQ(ParseOk("1e2", 0), U256(100));
  EXPECT_EQ(ParseOk("1000e-3", 0), U256(1));
  EXPECT_EQ(ParseOk(".5e1", 0), U256(5));
  EXPECT_EQ(ParseOk("1.e1", 0), U256(10));
  EXPECT_EQ(ParseOk("0e999999999999999999999", 18), U256(0));
  EXPECT_EQ(ParseOk("0.000e-999999999999999999999", 18), U256(0));
  EXPECT_EQ(ParseOk("1e77", 0), FromString("1" + std::string(77, '0')));
  EXPECT_EQ(ParseOk("1e59", 18), FromString("1" + std::string(77, '0')));
}

TEST(ParseDecimalAmount, Bounds) {
  EXPECT_EQ(ParseOk(kU256Max, 0), FromString(kU256Max));
  EXPECT_EQ(
      ParseOk("115792089237316195423570985008687907853269984665640564039457.584007913129639935",
              18),
      FromString(kU256Max));
  EXPECT_EQ(
      ParseOk("1.15792089237316195423570985008687907853269984665640564039457584007913129639935e59",
              18),
      FromString(kU256Max));
  ParseFails(kU256MaxPlusOne, 0, "exceeds 2^256-1");
  ParseFails("115792089237316195423570985008687907853269984665640564039457.584007913129639936", 18,
             "exceeds 2^256-1");
  ParseFails("1e78", 0, "exceeds 2^256-1");
  ParseFails("2e77", 0, "exceeds 2^256-1");
  ParseFails("1e60", 18, "exceeds 2^256-1");
  ParseFails("1e999999999999999999999", 0, "exceeds 2^256-1");
  ParseFails(std::string(200, '9'), 0, "exceeds 2^256-1");
  EXPECT_EQ(ParseOk(std::string(200, '0') + "7", 0), U256(7));
}

TEST(ParseDecimalAmount, TooManyFractionalDigits) {
  ParseFails("1e-19", 18, "more fractional digits than 18 decimals allow");
  ParseFails("0.0000000000000000001", 18, "more fractional digits");
  ParseFails("1.5", 0, "more fractional digits than 0 decimals allow");
  ParseFails("15e-1", 0, "more fractional digits");
  ParseFails("1500e-4", 1, "more fractional digits");
  ParseFails("1.123456789", 8, "more fractional digits");
  ParseFails("1e-999999999999999999", 18, "more fractional digits");
}

TEST(ParseDecimalAmount, Malformed) {
  ParseFails("-1", 18, "negative");
  ParseFails("-0", 18, "negative");
  ParseFails("-0.5e3", 18, "negative");
  ParseFails("", 18, "empty");
  ParseFails("abc", 18, "not a decimal number");
  ParseFails("1.2.3", 18, "not a decimal number");
  ParseFails(" 1", 18, "whitespace");
  ParseFails("1 ", 18, "whitespace");
  ParseFails("1\t", 18, "whitespace");
  ParseFails("1\n", 18, "whitespace");
  ParseFails("1,000", 18, "not a decimal number");
  ParseFails("+1", 18, "not a decimal number");
  ParseFails(".", 18, "not a decimal number");
  ParseFails("e5", 18, "not a decimal number");
  ParseFails(".e5", 18, "not a decimal number");
  ParseFails("1e", 18, "empty exponent");
  ParseFails("1e+", 18, "empty exponent");
  ParseFails("1e5.0", 18, "not a decimal number");
  ParseFails("0x10", 18, "not a decimal number");
  ParseFails("NaN", 18, "not a decimal number");
  ParseFails("inf", 18, "not a decimal number");
  ParseFails(std::string_view("1\0", 2), 18, "not a decimal number");
  ParseFails("1", -1, "decimals -1 outside");
  ParseFails("1", 256, "decimals 256 outside");
}

TEST(ParseDecimalAmount, ErrorMessageQuotesText) {
  Result<U256> r = ParseDecimalAmount("1e-19", 18);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "invalid amount \"1e-19\": more fractional digits than 18 decimals allow");
  Result<U256> long_text = ParseDecimalAmount(std::string(300, 'x'), 18);
  ASSERT_FALSE(long_text.ok());
  EXPECT_LT(long_text.status().message().size(), 120u);  // long inputs are cut short
}

TEST(ParseBaseUnits, DecimalAndHex) {
  auto ok = [](std::string_view text) {
    Result<U256> r = ParseBaseUnits(text);
    EXPECT_TRUE(r.ok()) << text << ": " << r.status().message();
    return r.ok() ? *r : U256(12345);
  };
  EXPECT_EQ(ok("0"), U256(0));
  EXPECT_EQ(ok("00012"), U256(12));
  EXPECT_EQ(ok("1500000000000000000"), U256(1500000000000000000ull));
  EXPECT_EQ(ok("18446744073709551616"), FromString("18446744073709551616"));
  EXPECT_EQ(ok(kU256Max), FromString(kU256Max));
  EXPECT_EQ(ok("0x0"), U256(0));
  EXPECT_EQ(ok("0x00"), U256(0));
  EXPECT_EQ(ok("0xff"), U256(255));
  EXPECT_EQ(ok("0XFF"), U256(255));
  EXPECT_EQ(ok("0xDeadBeef"), U256(0xdeadbeefull));
  EXPECT_EQ(ok("0x14d1120d7b160000"), U256(1500000000000000000ull));
  EXPECT_EQ(ok("0x10000000000000000"), FromString("18446744073709551616"));
  EXPECT_EQ(ok("0x" + std::string(64, 'f')), FromString(kU256Max));
  EXPECT_EQ(ok("0x0000" + std::string(64, 'f')), FromString(kU256Max));
  // Expected value from Python's int(_, 16).
  EXPECT_EQ(ok("0x123456789abcdef0123456789abcdef0123"),
            FromString("99114423104580546006193429178388264714531"));

  auto fails = [](std::string_view text, const std::string& why) {
    Result<U256> r = ParseBaseUnits(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(r.status().message().find(why), std::string::npos) << r.status().message();
  };
  fails(kU256MaxPlusOne, "exceeds 2^256-1");
  fails("0x1" + std::string(64, '0'), "exceeds 2^256-1");
  fails("", "empty");
  fails("-5", "negative");
  fails("-0x5", "negative");
  fails(" 5", "whitespace");
  fails("1.0", "not an integer");
  fails("1e3", "not an integer");
  fails("0x", "no hex digits");
  fails("0xg", "not a hex integer");
  fails("0x1 ", "whitespace");
  fails("x10", "not an integer");
}

TEST(FormatAmount, Basics) {
  EXPECT_EQ(FormatAmount(U256(1800000000000000ull), 18), "0.0018");
  EXPECT_EQ(FormatAmount(U256(0), 18), "0");
  EXPECT_EQ(FormatAmount(U256(0), 0), "0");
  EXPECT_EQ(FormatAmount(U256(0), 0, true), "0");
  EXPECT_EQ(FormatAmount(FromString("1000000000000000000"), 18), "1");
  EXPECT_EQ(FormatAmount(U256(1), 18), "0.000000000000000001");
  EXPECT_EQ(FormatAmount(U256(150000000), 8), "1.5");
  EXPECT_EQ(FormatAmount(U256(5), 0), "5");
  EXPECT_EQ(FormatAmount(U256(1500), 2), "15");
  EXPECT_EQ(FormatAmount(U256(1505), 2), "15.05");
  EXPECT_EQ(FormatAmount(FromString(kU256Max), 18),
            "115792089237316195423570985008687907853269984665640564039457.584007913129639935");
  EXPECT_EQ(FormatAmount(U256(7), 100), "0." + std::string(99, '0') + "7");
}

TEST(FormatAmount, Grouping) {
  EXPECT_EQ(FormatAmount(FromString("1234567500000000000000000"), 18, true), "1,234,567.5");
  EXPECT_EQ(FormatAmount(U256(123), 0, true), "123");
  EXPECT_EQ(FormatAmount(U256(1234), 0, true), "1,234");
  EXPECT_EQ(FormatAmount(U256(123456), 0, true), "123,456");
  EXPECT_EQ(FormatAmount(U256(1234567), 0, true), "1,234,567");
  EXPECT_EQ(FormatAmount(U256(12345678), 3, true), "12,345.678");  // no grouping in the fraction
  EXPECT_EQ(FormatAmount(U256(1234), 4, true), "0.1234");
  EXPECT_EQ(
      FormatAmount(FromString(kU256Max), 0, true),
      "115,792,089,237,316,195,423,570,985,008,687,907,853,269,984,665,640,564,039,457,584,007,"
      "913,129,639,935");
}

TEST(ToDecimalString, Basics) {
  EXPECT_EQ(ToDecimalString(U256(0)), "0");
  EXPECT_EQ(ToDecimalString(U256(18446744073709551615ull)), "18446744073709551615");
  EXPECT_EQ(ToDecimalString(FromString("18446744073709551616")), "18446744073709551616");
  EXPECT_EQ(ToDecimalString(FromString(kU256Max)), kU256Max);
}

// Decodes the fields of a code.
uint64_t Mantissa(uint64_t code) { return code & ((uint64_t{1} << 58) - 1); }
int Exponent(uint64_t code) { return static_cast<int>((code >> 58) & 31); }

TEST(PackAmount, TypicalAndEdgeValues) {
  std::optional<uint64_t> c = PackAmount(U256(1500000000000000000ull));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(Mantissa(*c), 15u);
  EXPECT_EQ(Exponent(*c), 17);
  EXPECT_EQ(UnpackAmount(*c), U256(1500000000000000000ull));

  c = PackAmount(U256(804264913889669500ull));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(Mantissa(*c), 8042649138896695u);
  EXPECT_EQ(Exponent(*c), 2);
  EXPECT_EQ(UnpackAmount(*c), U256(804264913889669500ull));

  // Values parsed from the Etherscan export format.
  for (const char* text : {"0.586269480000000000", "7.777777777E-9", "1.0000000000E-8", "0E-18",
                           "1234.5", "100000000", "0.123456789012345678"}) {
    U256 v = ParseOk(text, 18);
    c = PackAmount(v);
    ASSERT_TRUE(c.has_value()) << text;
    EXPECT_EQ(UnpackAmount(*c), v) << text;
  }

  EXPECT_EQ(PackAmount(U256(0)), std::optional<uint64_t>(0));
  EXPECT_EQ(UnpackAmount(0), U256(0));
  const uint64_t max_m = (uint64_t{1} << 58) - 1;
  EXPECT_EQ(PackAmount(U256(max_m)), std::optional<uint64_t>(max_m));
  EXPECT_EQ(PackAmount(U256(max_m + 1)), std::nullopt);  // 2^58 has no trailing zero
  EXPECT_EQ(PackAmount(U256(~uint64_t{0})), std::nullopt);

  const U256 ten31 = FromString("1" + std::string(31, '0'));
  c = PackAmount(ten31);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(Mantissa(*c), 1u);
  EXPECT_EQ(Exponent(*c), 31);
  c = PackAmount(ten31 * 1000000000u);  // exponent capped at 31, the rest in the mantissa
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(Mantissa(*c), 1000000000u);
  EXPECT_EQ(Exponent(*c), 31);
  EXPECT_EQ(UnpackAmount(*c), ten31 * 1000000000u);

  c = PackAmount(U256(max_m) * ten31);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(*c, (uint64_t{31} << 58) | max_m);
  EXPECT_EQ(UnpackAmount(*c), U256(max_m) * ten31);
  EXPECT_EQ(PackAmount(U256(max_m + 1) * ten31), std::nullopt);
  EXPECT_EQ(PackAmount(FromString("1" + std::string(77, '0'))), std::nullopt);
  EXPECT_EQ(PackAmount(FromString(kU256Max)), std::nullopt);
  EXPECT_EQ(PackAmount(FromString("18446744073709551616")), std::nullopt);
  c = PackAmount(FromString("100000000000000000000"));  // 100 ETH in wei: above 2^64
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(*c, (uint64_t{20} << 58) | 1);
}

TEST(UnpackAmount, NonCanonicalCodesDecode) {
  EXPECT_EQ(UnpackAmount((uint64_t{2} << 58) | 10), U256(1000));
  EXPECT_EQ(UnpackAmount(10), U256(10));
  EXPECT_EQ(PackAmount(U256(1000)), std::optional<uint64_t>((uint64_t{3} << 58) | 1));
}

// ---- Properties ----

// A random U256 with a random number of significant digits and trailing zeros, together with
// its unbounded reference value.
struct RandomValue {
  U256 value;
  BigInt big;
};

RandomValue GenValue() {
  // Trailing zeros and short mantissas are what real amounts look like, so bias towards them.
  const int digits = *rc::gen::inRange(1, 79);
  std::string s;
  s.push_back(static_cast<char>('1' + *rc::gen::inRange(0, 9)));
  for (int i = 1; i < digits; ++i) s.push_back(static_cast<char>('0' + *rc::gen::inRange(0, 10)));
  const int zeros = *rc::gen::inRange(0, 79 - digits + 1);
  s.append(static_cast<size_t>(zeros), '0');
  BigInt big(s);
  RC_PRE(big <= MaxBig());
  return {U256(s), big};
}

RC_GTEST_PROP(AmountProperties, FormatThenParseRoundTrips, ()) {
  const RandomValue v = GenValue();
  const int decimals = *rc::gen::inRange(0, 41);
  const std::string text = FormatAmount(v.value, decimals);
  Result<U256> back = ParseDecimalAmount(text, decimals);
  RC_ASSERT(back.ok());
  RC_ASSERT(*back == v.value);
  // Grouping only inserts commas.
  std::string grouped = FormatAmount(v.value, decimals, true);
  std::erase(grouped, ',');
  RC_ASSERT(grouped == text);
  RC_ASSERT(ToDecimalString(v.value) == v.big.str());
}

// Random text in the accepted grammar; the result must match exact rational arithmetic.
RC_GTEST_PROP(AmountProperties, ParseMatchesReference, ()) {
  auto digit_string = [](int max_len) {
    const int n = *rc::gen::inRange(0, max_len + 1);
    std::string s;
    for (int i = 0; i < n; ++i) {
      // Zeros are over-represented to exercise stripping.
      s.push_back(*rc::gen::element('0', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'));
    }
    return s;
  };
  const std::string int_part = digit_string(40);
  const bool has_dot = *rc::gen::arbitrary<bool>();
  const std::string frac_part = has_dot ? digit_string(40) : "";
  RC_PRE(!int_part.empty() || !frac_part.empty());
  const bool has_exp = *rc::gen::arbitrary<bool>();
  const int exponent = has_exp ? *rc::gen::inRange(-60, 61) : 0;
  const int decimals = *rc::gen::inRange(0, 40);

  std::string text = int_part;
  if (has_dot) text += "." + frac_part;
  if (has_exp) {
    text += *rc::gen::element(std::string("e"), std::string("E"));
    if (exponent >= 0) {
      text += *rc::gen::element(std::string(""), std::string("+"));
    }
    text += std::to_string(exponent);
  }

  // (cpp_int reads a leading 0 as octal, so strip leading zeros.)
  std::string all_digits = int_part + frac_part;
  all_digits.erase(0, std::min(all_digits.find_first_not_of('0'), all_digits.size()));
  const BigInt digits(all_digits.empty() ? std::string("0") : all_digits);
  const int shift = exponent - static_cast<int>(frac_part.size()) + decimals;
  bool exact = true;
  BigInt expected;
  if (shift >= 0) {
    expected = digits * Pow10Big(shift);
  } else {
    const BigInt div = Pow10Big(-shift);
    exact = digits % div == 0;
    expected = digits / div;
  }
  Result<U256> r = ParseDecimalAmount(text, decimals);
  RC_LOG() << text << " decimals=" << decimals << " -> "
           << (r.ok() ? r->str() : r.status().message()) << "\n";
  if (!exact) {
    RC_ASSERT(!r.ok());
    RC_ASSERT(r.status().message().find("more fractional digits") != std::string::npos);
  } else if (expected > MaxBig()) {
    RC_ASSERT(!r.ok());
    RC_ASSERT(r.status().message().find("exceeds") != std::string::npos);
  } else {
    RC_ASSERT(r.ok());
    RC_ASSERT(BigInt(r->str()) == expected);
  }
}

// Arbitrary bytes from a number-ish alphabet never crash or throw, and whatever parses
// formats back to text that parses to the same value.
RC_GTEST_PROP(AmountProperties, ParseIsTotal, ()) {
  const std::string text = *rc::gen::container<std::string>(
      rc::gen::element('0', '1', '9', '.', 'e', 'E', '-', '+', 'x', ' ', 'f'));
  const int decimals = *rc::gen::inRange(0, 30);
  Result<U256> r = ParseDecimalAmount(text, decimals);
  if (r.ok()) {
    Result<U256> again = ParseDecimalAmount(FormatAmount(*r, decimals), decimals);
    RC_ASSERT(again.ok());
    RC_ASSERT(*again == *r);
  } else {
    RC_ASSERT(r.status().code() == Status::Code::kInvalidArgument);
  }
  Result<U256> base = ParseBaseUnits(text);
  if (base.ok()) RC_ASSERT(*ParseBaseUnits(ToDecimalString(*base)) == *base);
}

RC_GTEST_PROP(AmountProperties, BaseUnitsDecimalAndHexAgree, ()) {
  const RandomValue v = GenValue();
  Result<U256> dec = ParseBaseUnits(v.big.str());
  RC_ASSERT(dec.ok());
  RC_ASSERT(*dec == v.value);
  std::ostringstream hex;
  hex << std::hex << v.big;
  Result<U256> from_hex = ParseBaseUnits("0x" + hex.str());
  RC_ASSERT(from_hex.ok());
  RC_ASSERT(*from_hex == v.value);
}

RC_GTEST_PROP(AmountProperties, PackUnpackRoundTrips, ()) {
  const RandomValue v = GenValue();
  // Reference: e = min(31, trailing zeros), m = value / 10^e, representable iff m < 2^58.
  const std::string s = v.big.str();
  int trailing = 0;
  while (trailing + 1 < static_cast<int>(s.size()) && s[s.size() - 1 - trailing] == '0') ++trailing;
  const int e = std::min(31, trailing);
  const BigInt m = v.big / Pow10Big(e);
  const bool representable = m < (BigInt(1) << 58);

  std::optional<uint64_t> code = PackAmount(v.value);
  RC_ASSERT(code.has_value() == representable);
  if (code) {
    RC_ASSERT((*code >> 63) == 0u);
    RC_ASSERT(Exponent(*code) == e);
    RC_ASSERT(BigInt(Mantissa(*code)) == m);
    RC_ASSERT(UnpackAmount(*code) == v.value);
  }
}

// Any code decodes to a value that packs to the canonical code for that value, so two codes
// for the same value pack to the same code.
RC_GTEST_PROP(AmountProperties, PackIsCanonical, ()) {
  const uint64_t m = *rc::gen::oneOf(rc::gen::inRange<uint64_t>(0, 1000),
                                     rc::gen::inRange<uint64_t>(0, uint64_t{1} << 58));
  const uint64_t e = *rc::gen::inRange<uint64_t>(0, 32);
  const uint64_t code = (e << 58) | m;
  const U256 value = UnpackAmount(code);
  std::optional<uint64_t> canonical = PackAmount(value);
  RC_ASSERT(canonical.has_value());
  RC_ASSERT(UnpackAmount(*canonical) == value);
  const uint64_t cm = Mantissa(*canonical);
  const int ce = Exponent(*canonical);
  // Canonical form: the mantissa has no trailing zero unless the exponent is capped.
  RC_ASSERT(*canonical == 0u || ce == 31 || cm % 10 != 0);
  // Moving a factor of ten between mantissa and exponent gives the same value and code.
  if (m % 10 == 0 && m != 0 && e < 31) {
    RC_ASSERT(PackAmount(UnpackAmount(((e + 1) << 58) | (m / 10))) == canonical);
  }
  if (m < (uint64_t{1} << 58) / 10 && e > 0) {
    RC_ASSERT(PackAmount(UnpackAmount(((e - 1) << 58) | (m * 10))) == canonical);
  }
  // Built through a different route: digits text parsed as a decimal.
  Result<U256> parsed = ParseDecimalAmount(std::to_string(m) + "e" + std::to_string(e), 0);
  RC_ASSERT(parsed.ok());
  RC_ASSERT(PackAmount(*parsed) == canonical);
}

}  // namespace
}  // namespace fundtrace
