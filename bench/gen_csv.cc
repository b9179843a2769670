// Synthetic Ethereum transaction CSVs for the ingest benchmark, streamed to a file or stdout.
//
//   gen_csv etherscan|etl ROWS [SEED] [OUT]
//
// etherscan: the columns of an Etherscan account export as found in
//            ../shared/data/eth/phishing-accounts (leading pandas index column, Value in ETH
//            with 18 decimals, zero written "0E-18", ContractAddress/Input "NULL" when absent).
// etl:       the ethereum-etl `transactions` columns of
//            ../shared/data/eth/etl-blocks-3.3M/transactions_*_small.csv.gz (no receipt
//            columns, so one transfer per row; value in wei).
//
// Every row is one distinct tx (no duplicates), so rows == transfers stored. The output is a
// pure function of (format, ROWS, SEED).
//
// Address reuse is heavy-tailed like mainnet: each from/to slot is, with probability 0.15, an
// address never seen before, otherwise rank k of a pool of ROWS/4 addresses drawn with
// P(k) ~ 1/k (Zipf s = 1, sampled log-uniformly), so the busiest address takes ~5% of all slots.
// On the real 3.3M-block sample that figure is 5%, with 0.55 distinct addresses per row; this
// generator gives ~0.46 (10M rows: 4.65M addresses).
// 150 txs per block, 14 s per block, 0.3% contract creations, 2% failed txs. Values: 35% zero,
// 25% round (d * 10^k), 39% arbitrary 12..18 significant digits, 1% of 20..24 digits; the latter
// and the 18-digit values above 2^58 (together ~5% of rows) do not fit the store's compact amount
// code and go to its wide-amount table. Inputs: 60% "0x", 40% ERC-20 transfer calldata.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace {

struct Rng {  // xoshiro256**
  uint64_t s[4];
  explicit Rng(uint64_t seed) {
    for (auto& x : s) {
      seed += 0x9e3779b97f4a7c15ull;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
      x = z ^ (z >> 31);
    }
  }
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t Next() {
    uint64_t r = Rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = Rotl(s[3], 45);
    return r;
  }
  double Uniform() { return (Next() >> 11) * 0x1.0p-53; }
  uint64_t Below(uint64_t n) { return static_cast<uint64_t>(Uniform() * n); }
};

uint64_t Mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

class Out {
 public:
  explicit Out(FILE* f) : f_(f) { buf_.reserve(kCap + 4096); }
  ~Out() { Flush(); }
  void Put(std::string_view s) { buf_.append(s); }
  void Put(char c) { buf_.push_back(c); }
  void Hex(const uint8_t* p, size_t n) {
    static const char kDigits[] = "0123456789abcdef";
    size_t at = buf_.size();
    buf_.resize(at + 2 * n);
    for (size_t i = 0; i < n; ++i) {
      buf_[at + 2 * i] = kDigits[p[i] >> 4];
      buf_[at + 2 * i + 1] = kDigits[p[i] & 15];
    }
  }
  void Uint(uint64_t v) {
    char tmp[24];
    int n = 0;
    do {
      tmp[n++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v);
    while (n) buf_.push_back(tmp[--n]);
  }
  void EndRow() {
    buf_.push_back('\n');
    if (buf_.size() >= kCap) Flush();
  }
  void Flush() {
    if (!buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size()) {
      std::perror("gen_csv: write");
      std::exit(1);
    }
    buf_.clear();
  }

 private:
  static constexpr size_t kCap = size_t{1} << 20;
  FILE* f_;
  std::string buf_;
};

struct Gen {
  Rng rng;
  uint64_t pool;
  double log_pool;
  uint64_t fresh = 0;
  uint64_t salt;

  Gen(uint64_t seed, uint64_t rows)
      : rng(seed), pool(std::max<uint64_t>(rows / 4, 16)), log_pool(std::log(double(pool) + 1)),
        salt(Mix(seed ^ 0xadd7e55)) {}

  // The 20 bytes of address number `n` (pool ranks first, then fresh ones).
  void AddressBytes(uint64_t n, uint8_t out[20]) {
    uint64_t a = Mix(n ^ salt), b = Mix(a + n), c = Mix(b ^ 0x5bd1e995);
    std::memcpy(out, &a, 8);
    std::memcpy(out + 8, &b, 8);
    std::memcpy(out + 16, &c, 4);
  }
  void Address(uint8_t out[20]) {
    uint64_t n;
    if (rng.Uniform() < 0.15) {
      n = pool + fresh++;
    } else {
      n = static_cast<uint64_t>(std::exp(rng.Uniform() * log_pool)) - 1;
      if (n >= pool) n = pool - 1;
    }
    AddressBytes(n, out);
  }
  void FreshAddress(uint8_t out[20]) { AddressBytes(pool + fresh++, out); }
  void Random(uint8_t* out, size_t n) {
    for (size_t i = 0; i < n; i += 8) {
      uint64_t v = rng.Next();
      std::memcpy(out + i, &v, std::min<size_t>(8, n - i));
    }
  }
  // A value in wei as decimal digits (no leading zeros, "0" for zero).
  std::string Wei() {
    double u = rng.Uniform();
    std::string s;
    if (u < 0.35) return "0";
    if (u < 0.60) {  // d * 10^k, k in 12..19
      s = std::to_string(1 + rng.Below(999));
      s.append(12 + rng.Below(8), '0');
      return s;
    }
    if (u < 0.99) {  // 12..18 significant digits, then 0..4 zeros
      int digits = 12 + static_cast<int>(rng.Below(7));
      s.push_back(static_cast<char>('1' + rng.Below(9)));
      for (int i = 1; i < digits; ++i) s.push_back(static_cast<char>('0' + rng.Below(10)));
      s.append(rng.Below(5), '0');
      return s;
    }
    int digits = 20 + static_cast<int>(rng.Below(5));  // > 2^58 with a non-zero last digit
    s.push_back(static_cast<char>('1' + rng.Below(9)));
    for (int i = 1; i < digits - 1; ++i) s.push_back(static_cast<char>('0' + rng.Below(10)));
    s.push_back(static_cast<char>('1' + rng.Below(9)));
    return s;
  }
};

// Wei digits as ETH with exactly 18 decimals ("0E-18" for zero, as the exports write it).
void PutEth(Out& out, const std::string& wei) {
  if (wei == "0") {
    out.Put("0E-18");
    return;
  }
  if (wei.size() <= 18) {
    out.Put("0.");
    out.Put(std::string(18 - wei.size(), '0'));
    out.Put(wei);
  } else {
    out.Put(std::string_view(wei).substr(0, wei.size() - 18));
    out.Put('.');
    out.Put(std::string_view(wei).substr(wei.size() - 18));
  }
}

void PutInput(Gen& g, Out& out) {
  if (g.rng.Uniform() < 0.6) {
    out.Put("0x");
    return;
  }
  uint8_t args[64] = {};
  g.Address(args + 12);
  g.Random(args + 56, 8);
  out.Put("0xa9059cbb");
  out.Hex(args, sizeof args);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || (std::strcmp(argv[1], "etherscan") != 0 && std::strcmp(argv[1], "etl") != 0)) {
    std::fprintf(stderr, "usage: %s etherscan|etl ROWS [SEED] [OUT]\n", argv[0]);
    return 2;
  }
  const bool etherscan = std::strcmp(argv[1], "etherscan") == 0;
  const uint64_t rows = std::strtoull(argv[2], nullptr, 10);
  const uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1;
  FILE* f = stdout;
  if (argc > 4) {
    f = std::fopen(argv[4], "wb");
    if (!f) {
      std::perror(argv[4]);
      return 1;
    }
  }
  Gen g(seed, rows);
  constexpr uint64_t kTxsPerBlock = 150, kFirstBlock = 4000000, kFirstTime = 1499633567;
  uint8_t hash[32], block_hash[32], from[20], to[20];
  {
    Out out(f);
    if (etherscan) {
      out.Put(",TxHash,BlockHeight,TimeStamp,From,To,Value,ContractAddress,Input,isError");
    } else {
      out.Put("hash,nonce,block_hash,block_number,transaction_index,from_address,to_address,value,"
              "gas,gas_price,input,block_timestamp,max_fee_per_gas,max_priority_fee_per_gas,"
              "transaction_type");
    }
    out.EndRow();
    for (uint64_t i = 0; i < rows; ++i) {
      const uint64_t block = kFirstBlock + i / kTxsPerBlock, pos = i % kTxsPerBlock;
      const uint64_t time = kFirstTime + (block - kFirstBlock) * 14;
      if (pos == 0 || i == 0) g.Random(block_hash, 32);
      g.Random(hash, 32);
      g.Address(from);
      const bool create = g.rng.Uniform() < 0.003;
      if (create) g.FreshAddress(to);
      else g.Address(to);
      const bool failed = g.rng.Uniform() < 0.02;
      const std::string wei = g.Wei();
      if (etherscan) {
        out.Uint(i);
        out.Put(",0x");
        out.Hex(hash, 32);
        out.Put(',');
        out.Uint(block);
        out.Put(',');
        out.Uint(time);
        out.Put(",0x");
        out.Hex(from, 20);
        out.Put(',');
        if (!create) {
          out.Put("0x");
          out.Hex(to, 20);
        }
        out.Put(',');
        PutEth(out, wei);
        out.Put(',');
        if (create) {
          out.Put("0x");
          out.Hex(to, 20);
        } else {
          out.Put("NULL");
        }
        out.Put(',');
        PutInput(g, out);
        out.Put(failed ? ",1" : ",0");
      } else {
        out.Put("0x");
        out.Hex(hash, 32);
        out.Put(',');
        out.Uint(g.rng.Below(5000));
        out.Put(",0x");
        out.Hex(block_hash, 32);
        out.Put(',');
        out.Uint(block);
        out.Put(',');
        out.Uint(pos);
        out.Put(",0x");
        out.Hex(from, 20);
        out.Put(',');
        if (!create) {
          out.Put("0x");
          out.Hex(to, 20);
        }
        out.Put(',');
        out.Put(wei);
        out.Put(g.rng.Uniform() < 0.5 ? ",21000," : ",100000,");
        out.Uint((1 + g.rng.Below(60)) * 1000000000ull);
        out.Put(',');
        PutInput(g, out);
        out.Put(',');
        out.Uint(time);
        out.Put(",,,0");
      }
      out.EndRow();
    }
  }
  if (f != stdout && std::fclose(f) != 0) {
    std::perror("gen_csv: close");
    return 1;
  }
  return 0;
}
