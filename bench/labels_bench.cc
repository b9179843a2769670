// Screening speed: look-ups per second on one core against the label store's screening index
// (labels.idx), each next to a baseline measured in the same process.
//
//   labels_bench real DATA_DIR [QUERIES=4000000] [SEED=1]
//       Against the tags imported into DATA_DIR. Queries are half labelled addresses (drawn
//       uniformly from the index), half random EVM addresses that are not labelled.
//         idx_find        ScreenIndex::Find on binary keys, one at a time
//         idx_find_batch  ScreenIndex::FindMany, 256 keys per call (what `screen` uses)
//         idx_screen_lc   Screener::Screen on text lines, EVM in lower case (ethereum-etl style)
//         idx_screen_lc_batch  Screener::ScreenMany on the same lines, 256 per call (`screen`)
//         idx_screen_evm_batch  ScreenMany on EVM-only lower-case lines (a chain export)
//         idx_screen_cs   the same with EIP-55 mixed case (Keccak per line to check it)
//         uset_find       std::unordered_set<std::string> of the same keys (baseline)
//         sqlite_find     SELECT 1 FROM tags WHERE chain=? AND address=? on labels.sqlite
//                         (baseline; indexed; fewer queries)
//   labels_bench scale N [QUERIES=4000000] [DIR=/tmp] [SEED=1]
//       N generated EVM addresses, each one tag (labels from a pool, random categories), written
//       as a screening index to DIR/labels-bench-N.idx (deleted at the end), then mapped and
//       queried like above (idx_find[_batch], idx_screen_lc[_batch]); baseline: std::unordered_set
//       of 21-byte keys built in the same process (and freed before the index is built).
//
// Output: "key value" lines (rates in look-ups per second; build times in seconds; bytes).
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "bench_util.h"
#include "chain/address.h"
#include "labels/label_store.h"
#include "labels/screener.h"

using namespace fundtrace;
using namespace fundtrace::bench;
using Clock = std::chrono::steady_clock;

namespace {

constexpr size_t kKey = 21;

std::string LowerHex(std::string_view key) {
  static const char kDigits[] = "0123456789abcdef";
  std::string s = "0x";
  for (size_t i = 1; i < key.size(); ++i) {
    auto b = static_cast<uint8_t>(key[i]);
    s.push_back(kDigits[b >> 4]);
    s.push_back(kDigits[b & 15]);
  }
  return s;
}

template <typename Rng>
std::string RandomEvmKey(Rng& rng) {
  std::string k(kKey, '\0');
  k[0] = static_cast<char>(AddressType::kEvm);
  for (size_t i = 1; i < kKey; i += 8) {
    uint64_t r = rng();
    std::memcpy(&k[i], &r, std::min<size_t>(8, kKey - i));
  }
  return k;
}

// splitmix64: the labelled key i of the scale run is RandomEvmKey of a stream seeded by i.
struct SplitMix {
  uint64_t x;
  uint64_t operator()() {
    uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
};

// Runs fn over [0, n) in batches of `batch` (fn(begin, count) returns hits); look-ups per second.
template <typename Fn>
double BatchRate(size_t n, size_t batch, Fn&& fn, uint64_t* found) {
  auto t0 = Clock::now();
  uint64_t f = 0;
  for (size_t i = 0; i < n; i += batch) f += fn(i, std::min(batch, n - i));
  double s = Seconds(t0, Clock::now());
  *found = f;
  return double(n) / s;
}

constexpr size_t kBatch = 256;

struct Key21 {
  std::array<char, kKey> b;
  bool operator==(const Key21& o) const { return std::memcmp(b.data(), o.b.data(), kKey) == 0; }
};
struct Key21Hash {
  size_t operator()(const Key21& k) const { return KeyHash(std::string_view(k.b.data(), kKey)); }
};

template <typename Fn>
double Rate(size_t n, Fn&& fn, uint64_t* found) {
  auto t0 = Clock::now();
  uint64_t f = 0;
  for (size_t i = 0; i < n; ++i) f += fn(i);
  double s = Seconds(t0, Clock::now());
  *found = f;
  return double(n) / s;
}

void Print(const char* key, double v) { std::printf("%s %.0f\n", key, v); }

int Real(const std::string& dir, size_t queries, uint64_t seed) {
  auto store = LabelStore::Open(dir);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().message().c_str());
    return 1;
  }
  auto idx = (*store)->Index();
  if (!idx.ok()) {
    std::fprintf(stderr, "%s\n", idx.status().message().c_str());
    return 1;
  }
  // Every labelled address, once.
  std::vector<std::pair<Chain, std::string>> labelled;
  std::unordered_set<std::string> seen;
  Status s = (*store)->ForEachTag("", [&](const Tag& t) {
    if (seen.insert(t.address).second) labelled.emplace_back(t.chain, t.address);
    return Status::OK();
  });
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.message().c_str());
    return 1;
  }
  std::mt19937_64 rng(seed);
  std::vector<std::string> keys(queries), lower(queries), checksummed(queries);
  std::vector<Chain> chains(queries);
  for (size_t i = 0; i < queries; ++i) {
    if (i % 2 == 0) {
      const auto& [c, k] = labelled[rng() % labelled.size()];
      keys[i] = k;
      chains[i] = c;
    } else {
      keys[i] = RandomEvmKey(rng);
      chains[i] = Chain::kEthereum;
    }
    checksummed[i] = FormatAddress(keys[i]);
    lower[i] = chains[i] == Chain::kEthereum ? LowerHex(keys[i]) : checksummed[i];
  }
  std::printf("labelled_addresses %zu\ntags %llu\nqueries %zu\nindex_bytes %zu\n", labelled.size(),
              static_cast<unsigned long long>((*idx)->tags()), queries, (*idx)->file_bytes());
  const ScreenIndex& index = **idx;
  uint64_t found = 0;
  Rate(
      queries, [&](size_t i) { return index.Find(keys[i]) != nullptr; },
      &found);  // warm the page cache
  Print("idx_find", Rate(
                        queries, [&](size_t i) { return index.Find(keys[i]) != nullptr; }, &found));
  std::printf("idx_find_hits %llu\n", static_cast<unsigned long long>(found));
  std::vector<std::string_view> key_views(keys.begin(), keys.end());
  std::vector<const ScreenEntry*> out(kBatch);
  Print("idx_find_batch",
        BatchRate(
            queries, kBatch,
            [&](size_t b, size_t n) {
              index.FindMany(std::span(key_views).subspan(b, n), out.data());
              return uint64_t(std::count_if(out.begin(), out.begin() + n,
                                            [](auto* e) { return e != nullptr; }));
            },
            &found));
  std::printf("idx_find_batch_hits %llu\n", static_cast<unsigned long long>(found));
  Screener screener(index, std::nullopt);
  Print("idx_screen_lc",
        Rate(
            queries,
            [&](size_t i) { return screener.Screen(lower[i]).kind == ScreenResult::Kind::kHit; },
            &found));
  std::printf("idx_screen_lc_hits %llu\n", static_cast<unsigned long long>(found));
  std::vector<std::string_view> lower_views(lower.begin(), lower.end());
  std::vector<ScreenResult> results(kBatch);
  Print("idx_screen_lc_batch",
        BatchRate(
            queries, kBatch,
            [&](size_t b, size_t n) {
              screener.ScreenMany(std::span(lower_views).subspan(b, n), results.data());
              return uint64_t(std::count_if(
                  results.begin(), results.begin() + n,
                  [](const ScreenResult& r) { return r.kind == ScreenResult::Kind::kHit; }));
            },
            &found));
  std::printf("idx_screen_lc_batch_hits %llu\n", static_cast<unsigned long long>(found));
  {
    // EVM only (lower case), as a chain's own export would be.
    std::vector<std::string> evm_lines;
    std::vector<std::pair<Chain, std::string>> evm;
    for (const auto& l : labelled) {
      if (l.first == Chain::kEthereum) evm.push_back(l);
    }
    std::mt19937_64 r2(seed + 1);
    for (size_t i = 0; i < queries; ++i) {
      evm_lines.push_back(LowerHex(i % 2 == 0 ? evm[r2() % evm.size()].second : RandomEvmKey(r2)));
    }
    std::vector<std::string_view> evm_views(evm_lines.begin(), evm_lines.end());
    Print("idx_screen_evm_batch",
          BatchRate(
              queries, kBatch,
              [&](size_t b, size_t n) {
                screener.ScreenMany(std::span(evm_views).subspan(b, n), results.data());
                return uint64_t(std::count_if(
                    results.begin(), results.begin() + n,
                    [](const ScreenResult& r) { return r.kind == ScreenResult::Kind::kHit; }));
              },
              &found));
    std::printf("idx_screen_evm_batch_hits %llu\n", static_cast<unsigned long long>(found));
  }
  Print("idx_screen_cs", Rate(
                             queries,
                             [&](size_t i) {
                               return screener.Screen(checksummed[i]).kind ==
                                      ScreenResult::Kind::kHit;
                             },
                             &found));
  {
    std::unordered_set<std::string> set;
    set.reserve(labelled.size());
    for (const auto& [c, k] : labelled) set.insert(k);
    Print("uset_find", Rate(
                           queries, [&](size_t i) { return set.count(keys[i]); }, &found));
    std::printf("uset_find_hits %llu\n", static_cast<unsigned long long>(found));
  }
  {
    sqlite3* db = nullptr;
    sqlite3_open_v2((dir + "/labels.sqlite").c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT 1 FROM tags WHERE chain = ?1 AND address = ?2 LIMIT 1", -1, &st,
                       nullptr);
    size_t n = std::min<size_t>(queries, 400000);
    Print("sqlite_find", Rate(
                             n,
                             [&](size_t i) {
                               sqlite3_bind_int64(st, 1, static_cast<int>(chains[i]));
                               sqlite3_bind_blob(st, 2, keys[i].data(),
                                                 static_cast<int>(keys[i].size()), SQLITE_STATIC);
                               uint64_t hit = sqlite3_step(st) == SQLITE_ROW;
                               sqlite3_reset(st);
                               return hit;
                             },
                             &found));
    sqlite3_finalize(st);
    sqlite3_close(db);
  }
  return 0;
}

int Scale(size_t n, size_t queries, const std::string& dir, uint64_t seed) {
  std::printf("addresses %zu\nqueries %zu\n", n, queries);
  // The labelled keys are a deterministic stream: key i = RandomEvmKey of a generator seeded
  // from (seed, i / chunk), so queries can recreate hits without holding all keys.
  SplitMix gen{seed ^ 0x5DEECE66DULL};
  auto key_at = [&](size_t i) {
    SplitMix r{seed * 0x9E3779B97F4A7C15ULL + i * 0xD1B54A32D192ED03ULL};
    return RandomEvmKey(r);
  };
  // Queries: half hits (random labelled indexes), half random (almost surely unlabelled).
  std::vector<char> qkeys(queries * kKey);
  std::vector<std::string> qtext;
  const size_t text_queries = std::min<size_t>(queries, 2000000);
  qtext.reserve(text_queries);
  for (size_t i = 0; i < queries; ++i) {
    std::string k = i % 2 == 0 ? key_at(gen() % n) : RandomEvmKey(gen);
    std::memcpy(&qkeys[i * kKey], k.data(), kKey);
    if (i < text_queries) qtext.push_back(LowerHex(k));
  }
  auto qkey = [&](size_t i) { return std::string_view(&qkeys[i * kKey], kKey); };
  uint64_t found = 0;
  {
    auto t0 = Clock::now();
    std::unordered_set<Key21, Key21Hash> set;
    set.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      Key21 k;
      std::string s = key_at(i);
      std::memcpy(k.b.data(), s.data(), kKey);
      set.insert(k);
    }
    std::printf("uset_build_s %.2f\nuset_rss_kb %ld\n", Seconds(t0, Clock::now()),
                StatusKb("VmRSS"));
    Print("uset_find", Rate(
                           queries,
                           [&](size_t i) {
                             Key21 k;
                             std::memcpy(k.b.data(), qkey(i).data(), kKey);
                             return set.count(k);
                           },
                           &found));
    std::printf("uset_find_hits %llu\n", static_cast<unsigned long long>(found));
  }
  std::string path = dir + "/labels-bench-" + std::to_string(n) + ".idx";
  {
    auto t0 = Clock::now();
    std::vector<std::pair<std::string, int>> terms = {{"unknown", 0}, {"exchange", 10},
                                                      {"mixer", 75},  {"sanctioned", 100},
                                                      {"theft", 90},  {"phishing", 80}};
    ScreenIndexWriter w(terms);
    w.Reserve(n, 0);
    std::vector<std::string> labels;
    for (int i = 0; i < 1000; ++i) labels.push_back("Generated label " + std::to_string(i));
    const char* sources[] = {"ofac", "graphsense", "etherscan", "forta"};
    std::mt19937_64 r(seed + 7);
    for (size_t i = 0; i < n; ++i) {
      std::string k = key_at(i);
      ScreenEntryInput in;
      in.key = k;
      in.label = labels[r() % labels.size()];
      in.source = sources[r() % 4];
      in.network = "ETH";
      in.category = terms[r() % terms.size()].first;
      in.confidence = 50;
      in.terms = {in.category};
      w.Add(in);
    }
    double build = Seconds(t0, Clock::now());
    auto t1 = Clock::now();
    Status s = w.Write(path, 1, n);
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", s.message().c_str());
      return 1;
    }
    std::printf("idx_build_s %.2f\nidx_write_s %.2f\nidx_build_rss_kb %ld\n", build,
                Seconds(t1, Clock::now()), StatusKb("VmHWM"));
  }
  auto idx = ScreenIndex::Open(path);
  if (!idx.ok()) {
    std::fprintf(stderr, "%s\n", idx.status().message().c_str());
    return 1;
  }
  const ScreenIndex& index = **idx;
  std::printf("index_bytes %zu\n", index.file_bytes());
  Rate(
      queries, [&](size_t i) { return index.Find(qkey(i)) != nullptr; }, &found);  // warm
  Print("idx_find", Rate(
                        queries, [&](size_t i) { return index.Find(qkey(i)) != nullptr; }, &found));
  std::printf("idx_find_hits %llu\n", static_cast<unsigned long long>(found));
  std::vector<std::string_view> key_views(queries);
  for (size_t i = 0; i < queries; ++i) key_views[i] = qkey(i);
  std::vector<const ScreenEntry*> out(kBatch);
  Print("idx_find_batch",
        BatchRate(
            queries, kBatch,
            [&](size_t b, size_t n) {
              index.FindMany(std::span(key_views).subspan(b, n), out.data());
              return uint64_t(std::count_if(out.begin(), out.begin() + n,
                                            [](auto* e) { return e != nullptr; }));
            },
            &found));
  std::printf("idx_find_batch_hits %llu\n", static_cast<unsigned long long>(found));
  Screener screener(index, std::nullopt);
  Print("idx_screen_lc",
        Rate(
            qtext.size(),
            [&](size_t i) { return screener.Screen(qtext[i]).kind == ScreenResult::Kind::kHit; },
            &found));
  std::printf("idx_screen_lc_hits %llu\n", static_cast<unsigned long long>(found));
  std::vector<std::string_view> text_views(qtext.begin(), qtext.end());
  std::vector<ScreenResult> results(kBatch);
  Print("idx_screen_lc_batch",
        BatchRate(
            qtext.size(), kBatch,
            [&](size_t b, size_t n) {
              screener.ScreenMany(std::span(text_views).subspan(b, n), results.data());
              return uint64_t(std::count_if(
                  results.begin(), results.begin() + n,
                  [](const ScreenResult& r) { return r.kind == ScreenResult::Kind::kHit; }));
            },
            &found));
  std::printf("idx_screen_lc_batch_hits %llu\n", static_cast<unsigned long long>(found));
  std::filesystem::remove(path);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 3 && std::strcmp(argv[1], "real") == 0) {
    return Real(argv[2], argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 4000000,
                argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 1);
  }
  if (argc >= 3 && std::strcmp(argv[1], "scale") == 0) {
    return Scale(std::strtoull(argv[2], nullptr, 10),
                 argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 4000000,
                 argc > 4 ? argv[4] : "/tmp", argc > 5 ? std::strtoull(argv[5], nullptr, 10) : 1);
  }
  std::fprintf(stderr,
               "usage: labels_bench real DATA_DIR [QUERIES] [SEED]\n"
               "       labels_bench scale N [QUERIES] [DIR] [SEED]\n");
  return 2;
}
