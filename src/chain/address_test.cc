#include "chain/address.h"

#include <gtest/gtest.h>

#include <cctype>

#include "chain/hash.h"

namespace fundtrace {
namespace {

std::string Key(AddressType type, std::string_view payload_hex) {
  std::string payload;
  EXPECT_TRUE(FromHex(payload_hex, &payload)) << payload_hex;
  return MakeAddressKey(type, AsBytes(payload));
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Asserts that `text` parses on `chain` to `key` and that the key formats back to `text`.
void ExpectRoundTrip(Chain chain, const std::string& text, const std::string& key) {
  Result<std::string> parsed = ParseAddress(chain, text);
  ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.status().ToString();
  EXPECT_EQ(ToHex(AsBytes(*parsed)), ToHex(AsBytes(key))) << text;
  EXPECT_EQ(FormatAddress(key), text);
}

void ExpectError(Chain chain, const std::string& text, const std::string& message) {
  Result<std::string> parsed = ParseAddress(chain, text);
  ASSERT_FALSE(parsed.ok()) << text;
  EXPECT_EQ(parsed.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(parsed.status().message(), message);
}

// EIP-55 "Test Cases": all caps, all lower, normal. Each is the checksummed form of its bytes.
const char* const kEip55Vectors[] = {
    "0x52908400098527886E0F7030069857D2E4169EE7", "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
    "0xde709f2102306220921060314715629080e2fb77", "0x27b1fdb04752bbc536007a920d24acb045561c26",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
};

TEST(Address, Eip55Vectors) {
  for (const char* text : kEip55Vectors) {
    std::string bytes;
    ASSERT_TRUE(FromHex(text, &bytes));
    std::span<const uint8_t, 20> span(AsBytes(bytes).data(), 20);
    EXPECT_EQ(EvmChecksumAddress(span), text);
    ExpectRoundTrip(Chain::kEthereum, text, MakeAddressKey(AddressType::kEvm, span));
    std::string fast;
    ASSERT_TRUE(ParseEvmKey(text, &fast)) << text;
    EXPECT_EQ(fast, *ParseAddress(Chain::kEthereum, text));
    EXPECT_EQ(fast.size(), kEvmKeySize);
  }
}

TEST(Address, EvmSingleCaseSkipsChecksumAndPrefixIsOptional) {
  const std::string normal = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
  const std::string key = *ParseAddress(Chain::kEthereum, normal);
  const std::string digits = normal.substr(2);
  for (const std::string& text : {Lower(normal), "0x" + Upper(digits), Lower(digits), Upper(digits),
                                  digits, "0X" + Upper(digits)}) {
    Result<std::string> parsed = ParseAddress(Chain::kEthereum, text);
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.status().ToString();
    EXPECT_EQ(*parsed, key) << text;
    std::string fast;
    EXPECT_TRUE(ParseEvmKey(text, &fast)) << text;
    EXPECT_EQ(fast, key) << text;
  }
  EXPECT_EQ(FormatAddress(key), normal);
}

TEST(Address, EvmChecksumMismatch) {
  // First letter of an EIP-55 vector flipped to upper case.
  const std::string text = "0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
  ExpectError(Chain::kEthereum, text,
              "invalid address '0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed': EIP-55 checksum "
              "mismatch (expected 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed)");
  std::string key;
  EXPECT_FALSE(ParseEvmKey(text, &key));
  EXPECT_FALSE(ParseEvmKey("fB6916095ca1df60bB79Ce92cE3Ea74c37c5d35A", &key));
}

TEST(Address, EvmLengthAndCharacterErrors) {
  ExpectError(Chain::kEthereum, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae",
              "invalid address '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae': wrong length 39 hex "
              "digits, expected 40");
  ExpectError(Chain::kEthereum, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed00",
              "invalid address '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed00': wrong length 42 "
              "hex digits, expected 40");
  ExpectError(Chain::kEthereum, "0x5aaeg6053f3e94c9b9a09f33669435e7ef1beaed",
              "invalid address '0x5aaeg6053f3e94c9b9a09f33669435e7ef1beaed': bad hex character "
              "'g' at position 6");
  ExpectError(Chain::kEthereum, "", "invalid address '': empty");
  ExpectError(Chain::kEthereum, "0x",
              "invalid address '0x': wrong length 0 hex digits, expected 40");
  ExpectError(Chain::kEthereum, " 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
              "invalid address ' 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed': bad hex character "
              "0x20 at position 0");
  ExpectError(Chain::kEthereum, "0x\n",
              "invalid address '0x\\x0a': bad hex character 0x0a at position 2");
  std::string key;
  for (const char* text : {"", "0x", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae",
                           "0x5aaeg6053f3e94c9b9a09f33669435e7ef1beaed",
                           "0x0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea"}) {
    EXPECT_FALSE(ParseEvmKey(text, &key)) << text;
    EXPECT_FALSE(ParseAddress(Chain::kEthereum, text).ok()) << text;
  }
}

TEST(Address, LongInputIsTruncatedInTheMessage) {
  const std::string text(300, 'a');
  Result<std::string> parsed = ParseAddress(Chain::kEthereum, text);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().message(),
            "invalid address '" + std::string(100, 'a') + "...': too long (300 characters)");
}

TEST(Address, TronDocumentedVectors) {
  // TRON documentation examples, base58 ↔ 0x41-prefixed hex; TBhCf... is also given there as
  // the EVM form 0x12E94f5a3c88b17d2F6E0b9a45Cd310f8E7a6D29 of the same 20 bytes.
  struct {
    const char* base58;
    const char* hex;
  } const kCases[] = {
      {"TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW", "415a523b449890854c8fc460ab602df9f31fe4293f"},
      {"TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp", "4112e94f5a3c88b17d2f6e0b9a45cd310f8e7a6d29"},
      {"TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "41a614f803b6fd780986a42c78ec9c7f77e6ded13c"},
  };
  for (const auto& c : kCases) {
    const std::string key = Key(AddressType::kTron, std::string_view(c.hex).substr(2));
    ExpectRoundTrip(Chain::kTron, c.base58, key);
    Result<std::string> from_hex = ParseAddress(Chain::kTron, c.hex);
    ASSERT_TRUE(from_hex.ok()) << c.hex << ": " << from_hex.status().ToString();
    EXPECT_EQ(*from_hex, key);
    EXPECT_TRUE(ParseAddress(Chain::kTron, Upper(c.hex)).ok());
  }
  std::string evm = Key(AddressType::kEvm, "12e94f5a3c88b17d2f6e0b9a45cd310f8e7a6d29");
  EXPECT_EQ(FormatAddress(evm), "0x12E94f5a3c88b17d2F6E0b9a45Cd310f8E7a6D29");
}

TEST(Address, TronErrors) {
  ExpectError(
      Chain::kTron, "TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMX",
      "invalid address 'TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMX': base58check checksum mismatch");
  ExpectError(Chain::kTron, "TJCnOsPa7y5okkXvQAidZBzqx3QyQ6sxMW",
              "invalid address 'TJCnOsPa7y5okkXvQAidZBzqx3QyQ6sxMW': bad base58 character 'O' at "
              "position 4");
  ExpectError(Chain::kTron, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
              "invalid address '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa': version byte 0x00 is not "
              "TRON's 0x41");
  ExpectError(Chain::kTron, "3vQB7B6MrGQZaxCuFg4oh",
              "invalid address '3vQB7B6MrGQZaxCuFg4oh': decoded to 11 bytes, expected 21");
  ExpectError(Chain::kTron, "415a523b449890854c8fc460ab602df9f31fe4293g",
              "invalid address '415a523b449890854c8fc460ab602df9f31fe4293g': bad hex character "
              "'g' at position 41");
}

TEST(Address, BitcoinBase58Vectors) {
  // Genesis coinbase address ↔ HASH160 of the genesis pubkey; then Bitcoin Core's
  // key_io_valid.json mainnet P2PKH and P2SH entries (hash taken from their scriptPubKeys).
  ExpectRoundTrip(Chain::kBitcoin, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
                  Key(AddressType::kP2pkh, "62e907b15cbf27d5425399ebf6f0fb50ebb88f18"));
  ExpectRoundTrip(Chain::kBitcoin, "1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo",
                  Key(AddressType::kP2pkh, "a31c06bd463e3923bc1aadbde48b16976c080717"));
  ExpectRoundTrip(Chain::kBitcoin, "1FjL87pn8ky6Vbavd1ZHeChRXtoxwRGCRd",
                  Key(AddressType::kP2pkh, "a19331b7b2627e663e25a7b001e4c0dcc5e21bc7"));
  ExpectRoundTrip(Chain::kBitcoin, "36j4NfKv6Akva9amjWrLG6MuSQym1GuEmm",
                  Key(AddressType::kP2sh, "373b819a068f32b7a6b38b6b38729647cfde01c2"));
  ExpectRoundTrip(Chain::kBitcoin, "3BZECeAH8gSKkjrTx8PwMrNQBLG18yHpvf",
                  Key(AddressType::kP2sh, "6c382dcdf5b284760c8e3fead91f7422cd76aa87"));
}

TEST(Address, BitcoinSegwitVectors) {
  struct {
    const char* text;
    const char* payload_hex;  // witness version byte + program
  } const kCases[] = {
      // BIP-350 valid mainnet addresses.
      {"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "00751e76e8199196d454941c45d1b3a323f1433bd6"},
      {"bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
       "01751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6"},
      {"bc1sw50qgdz25j", "10751e"},
      {"bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "02751e76e8199196d454941c45d1b3a323"},
      {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
       "0179be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"},
      // Bitcoin Core key_io_valid.json mainnet segwit entries.
      {"bc1qvyq0cc6rahyvsazfdje0twl7ez82ndmuac2lhv", "006100fc6343edc8c874496cb2f5bbfec88ea9b77c"},
      {"bc1qyucykdlhp62tezs0hagqury402qwhk589q80tqs5myh3rxq34nwqhkdhv7",
       "0027304b37f70e94bc8a0fbf500e0c957a80ebda87280ef58214d92f119811acdc"},
      {"bc1p83n3au0rjylefxq2nc2xh2y4jzz4pm6zxj4mw5pagdjjr2a9f36s6jjnnu",
       "013c671ef1e3913f94980a9e146ba895908550ef4234abb7503d436521aba54c75"},
      {"bc1z2rksukkjr8", "0250ed"},
  };
  for (const auto& c : kCases) {
    const std::string key = Key(AddressType::kWitness, c.payload_hex);
    ExpectRoundTrip(Chain::kBitcoin, c.text, key);
    Result<std::string> upper = ParseAddress(Chain::kBitcoin, Upper(c.text));
    ASSERT_TRUE(upper.ok()) << c.text;
    EXPECT_EQ(*upper, key);
  }
}

TEST(Address, BitcoinTestnetAndRegtestAreRejected) {
  // Bitcoin Core key_io_valid.json entries for testnet4, signet and regtest.
  for (const char* text :
       {"mzK2FFDEhxqHcmrJw1ysqFkVyhUULo45hZ", "2NC2hEhe28ULKAJkW5MjZ3jtTMJdvXmByvK",
        "tb1qcrh3yqn4nlleplcez2yndq2ry8h9ncg3qh7n54",
        "tb1p35n52jy6xkm4wd905tdy8qtagrn73kqdz73xe4zxpvq9t3fp50aqk3s6gz",
        "n4fajahJrAuKbN7uNsKjLjQkz9Qn5ewJXQ", "TB1QCRH3YQN4NLLEPLCEZ2YNDQ2RY8H9NCG3QH7N54"}) {
    ExpectError(Chain::kBitcoin, text,
                std::string("invalid address '") + text + "': testnet addresses are not supported");
  }
  ExpectError(Chain::kBitcoin, "bcrt1qdavt4j2sd7dlhqsavtnfxvzppw6k7qy97tmnu9",
              "invalid address 'bcrt1qdavt4j2sd7dlhqsavtnfxvzppw6k7qy97tmnu9': regtest addresses "
              "are not supported");
}

TEST(Address, BitcoinErrors) {
  ExpectError(Chain::kBitcoin, "1A1zO1eP5QGefi2DMPTfTL5SLmv7DivfNa",
              "invalid address '1A1zO1eP5QGefi2DMPTfTL5SLmv7DivfNa': bad base58 character 'O' at "
              "position 4");
  ExpectError(
      Chain::kBitcoin, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb",
      "invalid address '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb': base58check checksum mismatch");
  ExpectError(Chain::kBitcoin, "TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW",
              "invalid address 'TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW': unknown version byte 0x41 "
              "(not a Bitcoin mainnet address)");
  // BIP-173 and BIP-350 invalid addresses, as ParseAddress reports them.
  ExpectError(Chain::kBitcoin, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",
              "invalid address 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5': bech32 checksum "
              "invalid");
  ExpectError(Chain::kBitcoin, "tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty",
              "invalid address 'tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty': unknown "
              "human-readable part 'tc'");
  ExpectError(Chain::kBitcoin, "tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut",
              "invalid address 'tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut': "
              "unknown human-readable part 'tc'");
  ExpectError(Chain::kBitcoin, "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
              "invalid address 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd': "
              "witness v1 address needs a bech32m checksum, found bech32");
  // BIP-350's mixed-case vector with its HRP changed to mainnet.
  ExpectError(Chain::kBitcoin, "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq",
              "invalid address 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq': "
              "bech32 string has mixed case");
  ExpectError(Chain::kBitcoin, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
              "invalid address '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed': bad base58 character "
              "'0' at position 0");
}

TEST(Address, ScriptFormForNonstandardKeys) {
  const std::string hash = "28205333db922f66e8a941b4a32d66de5cea03d9cda46e3e6658935272b9b24f";
  ExpectRoundTrip(Chain::kBitcoin, "script:" + hash, Key(AddressType::kNonstandard, hash));
  EXPECT_EQ(*ParseAddress(Chain::kBitcoin, "script:" + Upper(hash)),
            Key(AddressType::kNonstandard, hash));
  ExpectError(Chain::kBitcoin, "script:abcd",
              "invalid address 'script:abcd': expected 'script:' and 64 hex digits (SHA-256 of "
              "the scriptPubKey)");
  ExpectError(
      Chain::kBitcoin, "script:" + hash.substr(0, 63) + "z",
      "invalid address 'script:" + hash.substr(0, 63) + "z': bad hex character 'z' at position 70");
  EXPECT_FALSE(ParseAddress(Chain::kEthereum, "script:" + hash).ok());
  EXPECT_FALSE(ParseAddress(Chain::kTron, "script:" + hash).ok());
}

TEST(Address, FormatFlagsMalformedKeys) {
  EXPECT_EQ(FormatAddress(""), "<bad address key >");
  EXPECT_EQ(FormatAddress(std::string("\x01\xab", 2)), "<bad address key 01ab>");
  EXPECT_EQ(FormatAddress(std::string("\x07", 1) + std::string(20, '\0')),
            "<bad address key 070000000000000000000000000000000000000000>");
  // Witness v0 with a 16-byte program breaks BIP-141.
  EXPECT_EQ(FormatAddress(std::string("\x05\x00", 2) + std::string(16, '\x11')),
            "<bad address key 050011111111111111111111111111111111>");
}

}  // namespace
}  // namespace fundtrace
