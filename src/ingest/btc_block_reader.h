// Decoder of raw Bitcoin blocks as Bitcoin Core stores them.
//
// Reads three layouts of a file:
//   1. Bitcoin Core `blk*.dat`: records [4-byte network magic][4-byte LE size][block bytes].
//      Zero bytes where the next magic would be start Core's preallocated padding: end of input.
//   2. The same, XOR-obfuscated as by Bitcoin Core 28+: byte i of the file is XORed with
//      key[i % 8], the key being the 8 bytes of `xor.dat` in the file's directory (or given).
//   3. One serialised block with no framing (e.g. Core's bench block `block413567.raw`): any file
//      whose first four bytes (after de-obfuscation) are neither a known magic nor zero.
//
// Every length read from the data is checked against the bytes that remain before it is used,
// so a corrupt or hostile file yields a Corruption status, never a crash or a huge allocation.
// Hashes (block hash, txids, prev txids) are kept in the natural byte order of the SHA-256d
// digest, as they appear inside the serialisation; HashToDisplayHex gives the reversed hex that
// explorers and Bitcoin Core's RPC show.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "chain/chain.h"
#include "util/status.h"

namespace fundtrace {

struct BtcTxIn {
  Hash32 prev_txid{};       // natural digest order; all zero for a coinbase input
  uint32_t prev_vout = 0;   // 0xffffffff for a coinbase input
  uint32_t sequence = 0;
  bool coinbase = false;    // prev_txid all zero and prev_vout 0xffffffff
};

struct BtcTxOut {
  int64_t value = 0;   // satoshi, 0 .. 21e6 * 1e8 (checked)
  std::string script;  // raw scriptPubKey bytes
};

struct BtcTx {
  Hash32 txid{};         // SHA-256d of the serialisation without marker, flag and witnesses
  int32_t version = 0;
  uint32_t locktime = 0;
  bool segwit = false;   // serialised with the 0x00 0x01 marker/flag and witnesses
  std::string coinbase_script;  // the coinbase input's scriptSig (BIP 34 height); else empty
  std::vector<BtcTxIn> inputs;    // never empty
  std::vector<BtcTxOut> outputs;
};

struct BtcBlock {
  Hash32 hash{};         // SHA-256d of the 80-byte header, natural digest order
  Hash32 prev_hash{};
  Hash32 merkle_root{};
  int32_t version = 0;
  uint32_t time = 0;     // Unix seconds, as the miner stated it
  uint32_t bits = 0;
  uint32_t nonce = 0;
  uint32_t size = 0;     // serialised block bytes (header + transactions)
  // Offset in the file of the block's record: of its magic in a blk file (the block bytes start
  // 8 bytes later), 0 for a raw block file.
  uint64_t file_offset = 0;
  std::vector<BtcTx> txs;  // never empty; txs[0] is the coinbase in any valid block
};

// Networks whose magic a blk file may carry. Custom signets (other challenges) are not known.
enum class BtcNetwork : uint8_t { kMainnet, kTestnet3, kTestnet4, kSignet, kRegtest };
// "mainnet", "testnet3", "testnet4", "signet", "regtest".
std::string_view BtcNetworkName(BtcNetwork network);

// Display form (reversed digest, lower-case hex, as explorers show):
// genesis -> "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f".
std::string HashToDisplayHex(const Hash32& hash);
// Inverse of HashToDisplayHex. Returns false unless `hex` is exactly 64 hex digits.
bool HashFromDisplayHex(std::string_view hex, Hash32* hash);

// Decodes one serialised block that must span exactly `bytes`. With verify_merkle_root, the
// header's merkle root must match the txids (catches bit rot and a wrong XOR key). On error
// returns Corruption saying what is wrong and at which byte of `bytes`; *block is then
// unspecified. Reuses the capacity of *block's vectors and strings.
Status DecodeBtcBlock(std::span<const uint8_t> bytes, BtcBlock* block,
                      bool verify_merkle_root = true);
// Decodes one serialised transaction that must span exactly `bytes`; errors as DecodeBtcBlock.
Status DecodeBtcTx(std::span<const uint8_t> bytes, BtcTx* tx);

using BtcXorKey = std::array<uint8_t, 8>;

struct BtcReaderOptions {
  // De-obfuscation key. Unset: use `xor.dat` beside the file if present. Given: used instead of
  // any xor.dat. An all-zero key means no obfuscation.
  std::optional<BtcXorKey> xor_key;
  bool verify_merkle_root = true;
};

// Reads the blocks of one blk file or raw block file, in file order (which in a blk file is not
// height order). The file is memory-mapped; its size is taken at Open, so a file that Core is
// still appending to is read up to that size (a record cut there is reported as truncated).
// Not thread-safe; use one reader per file to decode files in parallel.
class BtcBlockReader {
 public:
  // Opens `path`. Fails with IOError naming the path if it cannot be opened, is not a regular
  // file or cannot be read, and with Corruption if `xor.dat` beside it is not 8 bytes long.
  static Result<std::unique_ptr<BtcBlockReader>> Open(const std::string& path,
                                                      const BtcReaderOptions& options = {});
  ~BtcBlockReader();
  BtcBlockReader(const BtcBlockReader&) = delete;
  BtcBlockReader& operator=(const BtcBlockReader&) = delete;

  // On success fills *block and returns true; returns false at the clean end of input (end of
  // file, or zero padding running to the end of the file). Truncated or malformed data yields
  // Corruption naming the file, the byte offset of the record and what is wrong, e.g.
  // "blk00000.dat: offset 123456: block record of 215 bytes truncated at 100". After an error
  // every later call returns the same error. Pass the same *block each time to reuse memory.
  Result<bool> Next(BtcBlock* block);

  // Bytes of the file consumed so far (== file_size() at the end), for progress reporting.
  uint64_t bytes_read() const;
  uint64_t file_size() const;
  // Network of a blk file's magic; unset for a raw block file.
  std::optional<BtcNetwork> network() const;
  // Whether the file is being de-obfuscated with a non-zero XOR key.
  bool obfuscated() const;

 private:
  struct Impl;
  explicit BtcBlockReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fundtrace
