#include "ingest/btc_block_reader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "chain/hash.h"

namespace fundtrace {
namespace {

// Bitcoin Core's MAX_BLOCK_SERIALIZED_SIZE; its blk reader rejects records outside [80, this].
constexpr uint32_t kMaxBlockSize = 4'000'000;
constexpr size_t kHeaderSize = 80;
// Bitcoin Core's MAX_SIZE: the largest CompactSize its deserialiser accepts.
constexpr uint64_t kMaxCompactSize = 0x02000000;
constexpr int64_t kMaxMoney = 21'000'000LL * 100'000'000LL;
// Smallest serialisations, used to bound counts by the bytes left before allocating.
constexpr size_t kMinTxInSize = 32 + 4 + 1 + 4;             // outpoint, empty script, sequence
constexpr size_t kMinTxOutSize = 8 + 1;                     // value, empty script
constexpr size_t kMinTxSize = 4 + 1 + kMinTxInSize + 1 + 4;  // one input, no outputs

struct MagicInfo {
  std::array<uint8_t, 4> bytes;
  BtcNetwork network;
};
constexpr MagicInfo kMagics[] = {
    {{0xf9, 0xbe, 0xb4, 0xd9}, BtcNetwork::kMainnet},
    {{0x0b, 0x11, 0x09, 0x07}, BtcNetwork::kTestnet3},
    {{0x1c, 0x16, 0x3f, 0x28}, BtcNetwork::kTestnet4},
    {{0x0a, 0x03, 0xcf, 0x40}, BtcNetwork::kSignet},  // the default signet's challenge
    {{0xfa, 0xbf, 0xb5, 0xda}, BtcNetwork::kRegtest},
};

std::optional<BtcNetwork> NetworkOfMagic(const uint8_t* m) {
  for (const MagicInfo& info : kMagics) {
    if (std::memcmp(m, info.bytes.data(), 4) == 0) return info.network;
  }
  return std::nullopt;
}

const std::array<uint8_t, 4>& MagicOfNetwork(BtcNetwork network) {
  for (const MagicInfo& info : kMagics) {
    if (info.network == network) return info.bytes;
  }
  return kMagics[0].bytes;  // unreachable: every enumerator is in the table
}

uint32_t LoadLe32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}

uint64_t LoadLe64(const uint8_t* p) {
  return static_cast<uint64_t>(LoadLe32(p)) | static_cast<uint64_t>(LoadLe32(p + 4)) << 32;
}

bool IsZero(const uint8_t* p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != 0) return false;
  }
  return true;
}

// Copies n bytes that start at file offset `offset`, XORing byte i with key[(offset + i) % 8].
void XorCopy(const uint8_t* src, size_t n, uint64_t offset, const BtcXorKey& key, uint8_t* dst) {
  uint8_t rotated[8];
  for (size_t j = 0; j < 8; ++j) rotated[j] = key[(offset + j) % 8];
  uint64_t k;
  std::memcpy(&k, rotated, 8);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, src + i, 8);
    w ^= k;
    std::memcpy(dst + i, &w, 8);
  }
  for (; i < n; ++i) dst[i] = src[i] ^ rotated[i % 8];
}

std::string HexBytes(const uint8_t* p, size_t n) { return ToHex({p, n}); }

// Parses serialised blocks and transactions out of one contiguous buffer. Keeps scratch buffers
// between calls so that a long run of blocks allocates nothing once warmed up.
class Decoder {
 public:
  Status DecodeBlock(std::span<const uint8_t> bytes, BtcBlock* block, bool verify_merkle_root) {
    Reset(bytes);
    if (!ParseBlock(block, verify_merkle_root)) return Status::Corruption(err_);
    return Status::OK();
  }

  Status DecodeTx(std::span<const uint8_t> bytes, BtcTx* tx) {
    Reset(bytes);
    if (!ParseTx(tx)) return Status::Corruption(err_);
    if (p_ != end_) {
      return Status::Corruption(std::to_string(Left()) + " bytes after the end of the transaction");
    }
    return Status::OK();
  }

 private:
  void Reset(std::span<const uint8_t> bytes) {
    begin_ = p_ = bytes.data();
    end_ = begin_ + bytes.size();
    err_.clear();
    tx_index_ = -1;
    part_ = nullptr;
    part_index_ = 0;
  }

  size_t Pos() const { return static_cast<size_t>(p_ - begin_); }
  size_t Left() const { return static_cast<size_t>(end_ - p_); }

  // Records the error with its context ("tx 3 input 1: ...") and the current byte; returns
  // false so that callers can `return Fail(...)`.
  bool Fail(const std::string& what) {
    err_.clear();
    if (tx_index_ >= 0) err_ += "tx " + std::to_string(tx_index_) + ": ";
    if (part_ != nullptr) err_ += std::string(part_) + " " + std::to_string(part_index_) + ": ";
    err_ += what + " (at byte " + std::to_string(Pos()) + ")";
    return false;
  }

  bool Need(size_t n, const char* what) {
    if (Left() >= n) return true;
    return Fail(std::string(what) + " truncated: needs " + std::to_string(n) + " bytes, " +
                std::to_string(Left()) + " left");
  }

  bool ReadU32(uint32_t* v, const char* what) {
    if (!Need(4, what)) return false;
    *v = LoadLe32(p_);
    p_ += 4;
    return true;
  }

  bool ReadHash(Hash32* h, const char* what) {
    if (!Need(32, what)) return false;
    std::memcpy(h->data(), p_, 32);
    p_ += 32;
    return true;
  }

  // Reads a canonical CompactSize no larger than Bitcoin Core's MAX_SIZE.
  bool ReadCompactSize(uint64_t* v, const char* what) {
    if (!Need(1, what)) return false;
    const uint8_t first = *p_;
    const size_t n = first < 0xfd ? 1 : first == 0xfd ? 3 : first == 0xfe ? 5 : 9;
    if (!Need(n, what)) return false;
    uint64_t value = first;
    uint64_t min = 0;
    if (n == 3) {
      value = static_cast<uint64_t>(p_[1]) | static_cast<uint64_t>(p_[2]) << 8;
      min = 0xfd;
    } else if (n == 5) {
      value = LoadLe32(p_ + 1);
      min = 0x10000;
    } else if (n == 9) {
      value = LoadLe64(p_ + 1);
      min = 0x100000000;
    }
    if (value < min) {
      return Fail(std::string("non-canonical CompactSize ") + std::to_string(value) + " for " +
                  what);
    }
    if (value > kMaxCompactSize) {
      return Fail(std::string(what) + " " + std::to_string(value) +
                  " exceeds the CompactSize limit " + std::to_string(kMaxCompactSize));
    }
    p_ += n;
    *v = value;
    return true;
  }

  // Reads a count of items each at least min_size bytes long, which must fit in the bytes left.
  bool ReadCount(uint64_t* count, size_t min_size, const char* what) {
    if (!ReadCompactSize(count, what)) return false;
    if (*count > Left() / min_size) {
      return Fail(std::string(what) + " " + std::to_string(*count) + " cannot fit in the " +
                  std::to_string(Left()) + " bytes left");
    }
    return true;
  }

  // Reads a CompactSize byte length and checks that many bytes remain.
  bool ReadLength(uint64_t* len, const char* what) {
    if (!ReadCompactSize(len, what)) return false;
    if (*len > Left()) {
      return Fail(std::string(what) + " of " + std::to_string(*len) + " bytes overruns the " +
                  std::to_string(Left()) + " bytes left");
    }
    return true;
  }

  bool ParseBlock(BtcBlock* block, bool verify_merkle_root) {
    if (!Need(kHeaderSize, "header")) return false;
    block->size = static_cast<uint32_t>(std::min<size_t>(Left(), UINT32_MAX));
    block->hash = DoubleSha256({p_, kHeaderSize});
    block->version = static_cast<int32_t>(LoadLe32(p_));
    std::memcpy(block->prev_hash.data(), p_ + 4, 32);
    std::memcpy(block->merkle_root.data(), p_ + 36, 32);
    block->time = LoadLe32(p_ + 68);
    block->bits = LoadLe32(p_ + 72);
    block->nonce = LoadLe32(p_ + 76);
    p_ += kHeaderSize;

    uint64_t n_tx = 0;
    if (!ReadCount(&n_tx, kMinTxSize, "transaction count")) return false;
    if (n_tx == 0) return Fail("block has no transactions");
    block->txs.resize(n_tx);
    for (uint64_t i = 0; i < n_tx; ++i) {
      tx_index_ = static_cast<int64_t>(i);
      if (!ParseTx(&block->txs[i])) return false;
    }
    tx_index_ = -1;
    if (p_ != end_) return Fail(std::to_string(Left()) + " bytes after the last transaction");
    if (verify_merkle_root) {
      Hash32 root = MerkleRoot(block->txs);
      if (root != block->merkle_root) {
        return Fail("merkle root mismatch: header has " + HashToDisplayHex(block->merkle_root) +
                    ", transactions give " + HashToDisplayHex(root));
      }
    }
    return true;
  }

  bool ParseTx(BtcTx* tx) {
    const uint8_t* start = p_;
    part_ = nullptr;
    uint32_t version = 0;
    if (!ReadU32(&version, "version")) return false;
    tx->version = static_cast<int32_t>(version);

    uint64_t n_in = 0;
    const uint8_t* body = p_;  // first byte of the input count in the witness-free form
    if (!ReadCount(&n_in, kMinTxInSize, "input count")) return false;
    tx->segwit = false;
    tx->coinbase_script.clear();
    if (n_in == 0) {
      // A 0x00 here is the segwit marker; the flag byte must follow. No valid transaction
      // has zero inputs, so anything but flag 0x01 is an error (as in Bitcoin Core).
      if (!Need(1, "segwit flag")) return false;
      if (*p_ != 0x01) {
        return Fail("no inputs, or segwit marker with unknown flag 0x" + HexBytes(p_, 1));
      }
      ++p_;
      tx->segwit = true;
      body = p_;
      if (!ReadCount(&n_in, kMinTxInSize, "input count")) return false;
      if (n_in == 0) return Fail("segwit transaction has no inputs");
    }

    tx->inputs.resize(n_in);
    part_ = "input";
    for (uint64_t i = 0; i < n_in; ++i) {
      part_index_ = i;
      BtcTxIn& in = tx->inputs[i];
      if (!ReadHash(&in.prev_txid, "prev txid") || !ReadU32(&in.prev_vout, "prev vout")) {
        return false;
      }
      uint64_t script_len = 0;
      if (!ReadLength(&script_len, "scriptSig")) return false;
      in.coinbase = in.prev_vout == 0xffffffff && IsZero(in.prev_txid.data(), 32);
      if (in.coinbase) tx->coinbase_script.assign(reinterpret_cast<const char*>(p_), script_len);
      p_ += script_len;
      if (!ReadU32(&in.sequence, "sequence")) return false;
    }

    part_ = nullptr;
    uint64_t n_out = 0;
    if (!ReadCount(&n_out, kMinTxOutSize, "output count")) return false;
    tx->outputs.resize(n_out);
    part_ = "output";
    for (uint64_t i = 0; i < n_out; ++i) {
      part_index_ = i;
      BtcTxOut& out = tx->outputs[i];
      if (!Need(8, "value")) return false;
      out.value = static_cast<int64_t>(LoadLe64(p_));
      if (out.value < 0 || out.value > kMaxMoney) {
        return Fail("value " + std::to_string(out.value) + " sat outside 0.." +
                    std::to_string(kMaxMoney));
      }
      p_ += 8;
      uint64_t script_len = 0;
      if (!ReadLength(&script_len, "scriptPubKey")) return false;
      out.script.assign(reinterpret_cast<const char*>(p_), script_len);
      p_ += script_len;
    }
    const uint8_t* body_end = p_;

    if (tx->segwit) {
      part_ = "witness";
      bool any_witness = false;
      for (uint64_t i = 0; i < n_in; ++i) {
        part_index_ = i;
        uint64_t n_items = 0;
        if (!ReadCount(&n_items, 1, "witness item count")) return false;
        any_witness |= n_items != 0;
        for (uint64_t j = 0; j < n_items; ++j) {
          uint64_t len = 0;
          if (!ReadLength(&len, "witness item")) return false;
          p_ += len;
        }
      }
      if (!any_witness) return Fail("segwit marker but every witness is empty");
    }
    part_ = nullptr;
    if (!ReadU32(&tx->locktime, "locktime")) return false;

    if (!tx->segwit) {
      tx->txid = DoubleSha256({start, static_cast<size_t>(p_ - start)});
    } else {
      // txid covers version, inputs, outputs and locktime: the form without marker, flag and
      // witnesses.
      const size_t body_size = static_cast<size_t>(body_end - body);
      stripped_.resize(4 + body_size + 4);
      std::memcpy(stripped_.data(), start, 4);
      std::memcpy(stripped_.data() + 4, body, body_size);
      std::memcpy(stripped_.data() + 4 + body_size, p_ - 4, 4);
      tx->txid = DoubleSha256(stripped_);
    }
    return true;
  }

  // Bitcoin's merkle tree: pairs hashed with SHA-256d, an odd last node paired with itself.
  Hash32 MerkleRoot(const std::vector<BtcTx>& txs) {
    level_.resize(txs.size());
    for (size_t i = 0; i < txs.size(); ++i) level_[i] = txs[i].txid;
    while (level_.size() > 1) {
      if (level_.size() % 2 != 0) level_.push_back(level_.back());
      for (size_t i = 0; i < level_.size() / 2; ++i) {
        uint8_t pair[64];
        std::memcpy(pair, level_[2 * i].data(), 32);
        std::memcpy(pair + 32, level_[2 * i + 1].data(), 32);
        level_[i] = DoubleSha256(pair);
      }
      level_.resize(level_.size() / 2);
    }
    return level_[0];
  }

  const uint8_t* begin_ = nullptr;
  const uint8_t* p_ = nullptr;
  const uint8_t* end_ = nullptr;
  std::string err_;
  int64_t tx_index_ = -1;       // transaction being parsed, for messages; -1 outside one
  const char* part_ = nullptr;  // "input", "output", "witness" or none
  uint64_t part_index_ = 0;
  std::vector<uint8_t> stripped_;  // witness-free serialisation of the current segwit tx
  std::vector<Hash32> level_;      // merkle tree level
};

}  // namespace

std::string_view BtcNetworkName(BtcNetwork network) {
  switch (network) {
    case BtcNetwork::kMainnet: return "mainnet";
    case BtcNetwork::kTestnet3: return "testnet3";
    case BtcNetwork::kTestnet4: return "testnet4";
    case BtcNetwork::kSignet: return "signet";
    case BtcNetwork::kRegtest: return "regtest";
  }
  return "unknown";
}

std::string HashToDisplayHex(const Hash32& hash) {
  Hash32 reversed;
  std::reverse_copy(hash.begin(), hash.end(), reversed.begin());
  return ToHex(reversed);
}

bool HashFromDisplayHex(std::string_view hex, Hash32* hash) {
  std::string bytes;
  if (hex.size() != 64 || !FromHex(hex, &bytes)) return false;
  std::reverse_copy(bytes.begin(), bytes.end(), hash->begin());
  return true;
}

Status DecodeBtcBlock(std::span<const uint8_t> bytes, BtcBlock* block, bool verify_merkle_root) {
  Decoder decoder;
  return decoder.DecodeBlock(bytes, block, verify_merkle_root);
}

Status DecodeBtcTx(std::span<const uint8_t> bytes, BtcTx* tx) {
  Decoder decoder;
  return decoder.DecodeTx(bytes, tx);
}

struct BtcBlockReader::Impl {
  ~Impl() {
    if (mapping != nullptr) munmap(mapping, size);
  }

  // Bytes [offset, offset + n) of the file, de-obfuscated. Valid until the next call.
  std::span<const uint8_t> Bytes(uint64_t offset, size_t n) {
    if (!key) return {data + offset, n};
    scratch.resize(n);
    XorCopy(data + offset, n, offset, *key, scratch.data());
    return scratch;
  }

  // Remembers and returns "<path>: offset <record>: <what>".
  Status Corrupt(uint64_t record, const std::string& what) {
    error = Status::Corruption(path + ": offset " + std::to_string(record) + ": " + what);
    return error;
  }

  // True if bytes [offset, size) are all zero, either as stored (Core preallocates with plain
  // zeros, even in obfuscated files) or, if `as_stored` is false, after de-obfuscation.
  // Otherwise sets *nonzero to the offset of the first other byte.
  bool ZeroToEnd(uint64_t offset, bool as_stored, uint64_t* nonzero) const {
    for (uint64_t i = offset; i < size; ++i) {
      uint8_t b = data[i];
      if (!as_stored && key) b ^= (*key)[i % 8];
      if (b != 0) {
        *nonzero = i;
        return false;
      }
    }
    return true;
  }

  Result<bool> NextFramed(BtcBlock* block);
  Result<bool> NextRaw(BtcBlock* block);

  std::string path;
  const uint8_t* data = nullptr;
  uint64_t size = 0;
  void* mapping = nullptr;    // mmap of the file, or null if read into `owned`
  std::vector<uint8_t> owned;  // the file's bytes when mmap is unavailable
  std::optional<BtcXorKey> key;  // set only for a non-zero key
  bool framed = true;
  std::optional<BtcNetwork> network;
  bool verify_merkle_root = true;
  uint64_t pos = 0;
  Status error;  // sticky: once set, Next returns it
  Decoder decoder;
  std::vector<uint8_t> scratch;  // de-obfuscated record
};

Result<bool> BtcBlockReader::Impl::NextFramed(BtcBlock* block) {
  if (pos == size) return false;
  const uint64_t record = pos;
  const uint64_t left = size - pos;
  const size_t head_len = static_cast<size_t>(std::min<uint64_t>(8, left));
  uint8_t head[8];
  std::span<const uint8_t> head_bytes = Bytes(record, head_len);
  std::copy(head_bytes.begin(), head_bytes.end(), head);

  const size_t magic_len = std::min<size_t>(4, head_len);
  const bool stored_zero = IsZero(data + record, magic_len);
  if (stored_zero || IsZero(head, magic_len)) {
    uint64_t nonzero = 0;
    if (!ZeroToEnd(record, stored_zero, &nonzero)) {
      return Corrupt(record, "zero padding followed by non-zero data at offset " +
                                 std::to_string(nonzero));
    }
    pos = size;
    return false;
  }
  if (head_len < 8) {
    return Corrupt(record, "record header truncated: " + std::to_string(head_len) +
                               " of 8 bytes at end of file");
  }
  std::optional<BtcNetwork> magic_network = NetworkOfMagic(head);
  if (!magic_network) {
    std::string expected = network ? HexBytes(MagicOfNetwork(*network).data(), 4) + " (" +
                                         std::string(BtcNetworkName(*network)) + ")"
                                   : std::string("a network magic");
    return Corrupt(record, "bad magic " + HexBytes(head, 4) + ", expected " + expected);
  }
  if (network && *magic_network != *network) {
    return Corrupt(record, std::string(BtcNetworkName(*magic_network)) + " magic in a " +
                               std::string(BtcNetworkName(*network)) + " file");
  }
  network = magic_network;
  const uint32_t block_size = LoadLe32(head + 4);
  if (block_size < kHeaderSize || block_size > kMaxBlockSize) {
    return Corrupt(record, "block record size " + std::to_string(block_size) + " outside " +
                               std::to_string(kHeaderSize) + ".." + std::to_string(kMaxBlockSize));
  }
  if (left - 8 < block_size) {
    return Corrupt(record, "block record of " + std::to_string(block_size) +
                               " bytes truncated at " + std::to_string(left - 8));
  }
  Status status = decoder.DecodeBlock(Bytes(record + 8, block_size), block, verify_merkle_root);
  if (!status.ok()) {
    return Corrupt(record,
                   "block record of " + std::to_string(block_size) + " bytes: " + status.message());
  }
  block->file_offset = record;
  pos = record + 8 + block_size;
  return true;
}

Result<bool> BtcBlockReader::Impl::NextRaw(BtcBlock* block) {
  if (pos == size) return false;
  uint8_t head[4] = {};
  std::span<const uint8_t> head_bytes = Bytes(0, static_cast<size_t>(std::min<uint64_t>(4, size)));
  std::copy(head_bytes.begin(), head_bytes.end(), head);
  const std::string what = "no network magic (starts " + HexBytes(head, head_bytes.size()) +
                           "), so read as one raw block of " + std::to_string(size) + " bytes: ";
  if (size > kMaxBlockSize) {
    return Corrupt(0, what + "larger than the " + std::to_string(kMaxBlockSize) +
                          "-byte block limit");
  }
  Status status = decoder.DecodeBlock(Bytes(0, static_cast<size_t>(size)), block,
                                      verify_merkle_root);
  if (!status.ok()) return Corrupt(0, what + status.message());
  block->file_offset = 0;
  pos = size;
  return true;
}

namespace {

// Reads the 8-byte key in `<dir of path>/xor.dat` into *key; leaves it unset if there is no
// such file.
Status ReadXorDat(const std::string& path, std::optional<BtcXorKey>* key) {
  const std::string xor_path = (std::filesystem::path(path).parent_path() / "xor.dat").string();
  int fd = ::open(xor_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::OK();
    return Status::IOError(xor_path + ": cannot open: " + std::strerror(errno));
  }
  BtcXorKey bytes{};
  uint8_t extra = 0;
  ssize_t n = ::read(fd, bytes.data(), bytes.size());
  ssize_t more = n == 8 ? ::read(fd, &extra, 1) : 0;
  const int read_errno = errno;
  ::close(fd);
  if (n < 0 || more < 0) {
    return Status::IOError(xor_path + ": cannot read: " + std::strerror(read_errno));
  }
  if (n != 8 || more != 0) {
    return Status::Corruption(xor_path + ": expected an 8-byte XOR key, found " +
                              (more != 0 ? std::string("more") : std::to_string(n)) + " bytes");
  }
  *key = bytes;
  return Status::OK();
}

}  // namespace

BtcBlockReader::BtcBlockReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
BtcBlockReader::~BtcBlockReader() = default;

Result<std::unique_ptr<BtcBlockReader>> BtcBlockReader::Open(const std::string& path,
                                                             const BtcReaderOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->verify_merkle_root = options.verify_merkle_root;

  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IOError(path + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    return Status::IOError(path + ": cannot stat: " + why);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::IOError(path + ": not a regular file");
  }
  impl->size = static_cast<uint64_t>(st.st_size);
  if (impl->size > 0) {
    void* m = ::mmap(nullptr, impl->size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (m != MAP_FAILED) {
      ::madvise(m, impl->size, MADV_SEQUENTIAL);
      impl->mapping = m;
      impl->data = static_cast<const uint8_t*>(m);
    } else {
      // Some file systems cannot be mapped: read the whole file instead.
      impl->owned.resize(impl->size);
      uint64_t done = 0;
      while (done < impl->size) {
        ssize_t n = ::pread(fd, impl->owned.data() + done, impl->size - done,
                            static_cast<off_t>(done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
          const std::string why = n < 0 ? std::strerror(errno) : "file shrank while reading";
          ::close(fd);
          return Status::IOError(path + ": cannot read: " + why);
        }
        done += static_cast<uint64_t>(n);
      }
      impl->data = impl->owned.data();
    }
  }
  ::close(fd);

  std::optional<BtcXorKey> key = options.xor_key;
  if (!key) FT_RETURN_IF_ERROR(ReadXorDat(path, &key));
  if (key && !IsZero(key->data(), key->size())) impl->key = key;

  // Layout: a known magic or zero padding at offset 0 means a blk file, else one raw block.
  if (impl->size > 0) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(4, impl->size));
    uint8_t head[4] = {};
    std::span<const uint8_t> bytes = impl->Bytes(0, n);
    std::copy(bytes.begin(), bytes.end(), head);
    if (n == 4) impl->network = NetworkOfMagic(head);
    const bool padding = IsZero(impl->data, n) || IsZero(head, n);
    impl->framed = impl->network.has_value() || padding;
  }
  return std::unique_ptr<BtcBlockReader>(new BtcBlockReader(std::move(impl)));
}

Result<bool> BtcBlockReader::Next(BtcBlock* block) {
  if (!impl_->error.ok()) return impl_->error;
  return impl_->framed ? impl_->NextFramed(block) : impl_->NextRaw(block);
}

uint64_t BtcBlockReader::bytes_read() const { return impl_->pos; }
uint64_t BtcBlockReader::file_size() const { return impl_->size; }
std::optional<BtcNetwork> BtcBlockReader::network() const { return impl_->network; }
bool BtcBlockReader::obfuscated() const { return impl_->key.has_value(); }

}  // namespace fundtrace
