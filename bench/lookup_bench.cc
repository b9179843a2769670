// Address look-up latency (key -> id) through the library, against std::unordered_map.
//
//   lookup_bench DATA_DIR [SAMPLES=200000] [SEED=1]
//
// Opens the Ethereum store with EmbeddedChainStore::Open and draws SAMPLES random existing
// addresses (uniform over ids, written as lowercase 0x-hex as in the CSV exports) and SAMPLES
// random addresses that are not in the store. Each look-up is timed on its own (TSC, timer
// overhead subtracted); median, p99 and mean are printed in ns, plus the plain loop time per
// look-up as a cross-check of the timer. Before each timed pass an untimed pass runs over a
// different sample drawn the same way, so page faults of the freshly mapped files are not
// counted but the timed keys are not sitting in the CPU caches either.
//
//   store_hit / store_miss          FindAddress(key) on keys made by ParseEvmKey beforehand
//   store_parse_hit                 ParseEvmKey(text) + FindAddress(key): the string -> id path
//   umap_hit / umap_miss / umap_parse_hit
//                                   the same on std::unordered_map<std::string, uint32_t>
//                                   holding every address key of the store (the baseline)
//
// Output is "key value" lines for bench/run.sh.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "bench_util.h"
#include "chain/address.h"
#include "store/embedded_store.h"

using namespace fundtrace;
using namespace fundtrace::bench;

namespace {

std::string LowerHex(std::string_view key) {  // "0x" + hex of the 20-byte payload
  static const char kDigits[] = "0123456789abcdef";
  std::string s = "0x";
  for (size_t i = 1; i < key.size(); ++i) {
    auto b = static_cast<uint8_t>(key[i]);
    s.push_back(kDigits[b >> 4]);
    s.push_back(kDigits[b & 15]);
  }
  return s;
}

struct Samples {
  std::vector<AddressId> hit_id;
  std::vector<std::string> hit_text, hit_key, miss_key;
};

// fn(samples, i) does look-up i of a sample set and returns something derived from its result.
template <typename Fn>
void Measure(const char* name, const TscTimer& timer, const Samples& warm, const Samples& timed,
             Fn&& fn) {
  volatile uint64_t sink = 0;
  const size_t count = timed.hit_key.size();
  for (size_t i = 0; i < warm.hit_key.size(); ++i) sink = sink + fn(warm, i);  // untimed
  std::vector<double> ns(count);
  auto t0 = std::chrono::steady_clock::now();
  for (size_t i = 0; i < count; ++i) {
    uint64_t a = TscTimer::Start();
    uint64_t r = fn(timed, i);
    uint64_t b = TscTimer::Stop();
    sink = sink + r;
    ns[i] = timer.Ns(b - a);
  }
  double wall = Seconds(t0, std::chrono::steady_clock::now());
  double sum = 0;
  for (double x : ns) sum += x;
  std::printf("%s_median_ns %.1f\n%s_p99_ns %.1f\n%s_mean_ns %.1f\n%s_loop_ns_per_op %.1f\n", name,
              Percentile(ns, 0.5), name, Percentile(ns, 0.99), name, sum / double(count), name,
              wall * 1e9 / double(count));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DATA_DIR [SAMPLES] [SEED]\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const size_t samples = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 200000;
  const uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1;

  auto opened = EmbeddedChainStore::Open(dir, Chain::kEthereum, /*create=*/false);
  if (!opened.ok()) {
    std::fprintf(stderr, "lookup_bench: %s\n", opened.status().ToString().c_str());
    return 1;
  }
  const EmbeddedChainStore& store = **opened;
  const uint64_t n_addr = store.Stats().addresses;
  if (n_addr == 0) {
    std::fprintf(stderr, "lookup_bench: the store has no addresses\n");
    return 1;
  }
  std::mt19937_64 rng(seed);

  // Samples. Every measured case gets its own two fresh sets drawn the same way: one for an
  // untimed pass (page faults of the mapped files, branch predictors) and one that is timed, so
  // the timed keys are not already in the CPU caches from an earlier case.
  std::uniform_int_distribution<uint64_t> pick(1, n_addr);
  auto draw = [&](Samples* s) -> bool {
    s->hit_id.resize(samples);
    s->hit_text.resize(samples);
    s->hit_key.resize(samples);
    s->miss_key.resize(samples);
    for (size_t i = 0; i < samples; ++i) {
      s->hit_id[i] = static_cast<AddressId>(pick(rng));
      s->hit_text[i] = LowerHex(store.AddressKey(s->hit_id[i]));
      if (!ParseEvmKey(s->hit_text[i], &s->hit_key[i])) {
        std::fprintf(stderr, "lookup_bench: ParseEvmKey failed on %s\n", s->hit_text[i].c_str());
        return false;
      }
    }
    for (size_t i = 0; i < samples; ++i) {
      std::string text = "0x";
      for (int j = 0; j < 40; ++j) text.push_back("0123456789abcdef"[rng() & 15]);
      if (!ParseEvmKey(text, &s->miss_key[i]) || store.FindAddress(s->miss_key[i])) {
        --i;  // astronomically unlikely: drew an existing address
        continue;
      }
    }
    return true;
  };
  constexpr int kCases = 6;
  std::vector<Samples> warm(kCases), timed(kCases);
  for (int c = 0; c < kCases; ++c) {
    if (!draw(&warm[c]) || !draw(&timed[c])) return 1;
  }
  // Correctness first: every sampled id comes back.
  for (const auto& s : timed) {
    for (size_t i = 0; i < samples; ++i) {
      auto id = store.FindAddress(s.hit_key[i]);
      if (!id || *id != s.hit_id[i]) {
        std::fprintf(stderr, "lookup_bench: FindAddress(%s) != %u\n", s.hit_text[i].c_str(), s.hit_id[i]);
        return 1;
      }
    }
  }

  // Baseline: every key of the store in an unordered_map.
  Rss before_map = Rss::Now();
  auto t0 = std::chrono::steady_clock::now();
  std::unordered_map<std::string, uint32_t> umap;
  umap.reserve(n_addr);
  for (AddressId id = 1; id <= n_addr; ++id) umap.emplace(store.AddressKey(id), id);
  double build = Seconds(t0, std::chrono::steady_clock::now());
  Rss after_map = Rss::Now();

  TscTimer timer;
  std::printf("addresses %llu\nsamples %zu\ntimer_overhead_ns %.1f\ntimer_ns_per_tick %.4f\n",
              (unsigned long long)n_addr, samples, timer.overhead_ns(), timer.ns_per_tick());
  std::printf("umap_build_seconds %.3f\numap_rss_kb %ld\n", build,
              after_map.anon_kb - before_map.anon_kb);

  std::string scratch;
  scratch.reserve(32);
  auto store_find = [&](std::string_view key) -> uint64_t { return store.FindAddress(key).value_or(0); };
  auto umap_find = [&](const std::string& key) -> uint64_t {
    auto it = umap.find(key);
    return it == umap.end() ? 0 : it->second;
  };
  Measure("store_hit", timer, warm[0], timed[0],
          [&](const Samples& s, size_t i) { return store_find(s.hit_key[i]); });
  Measure("store_miss", timer, warm[1], timed[1],
          [&](const Samples& s, size_t i) { return store_find(s.miss_key[i]); });
  Measure("store_parse_hit", timer, warm[2], timed[2], [&](const Samples& s, size_t i) -> uint64_t {
    return ParseEvmKey(s.hit_text[i], &scratch) ? store_find(scratch) : 0;
  });
  Measure("umap_hit", timer, warm[3], timed[3],
          [&](const Samples& s, size_t i) { return umap_find(s.hit_key[i]); });
  Measure("umap_miss", timer, warm[4], timed[4],
          [&](const Samples& s, size_t i) { return umap_find(s.miss_key[i]); });
  Measure("umap_parse_hit", timer, warm[5], timed[5], [&](const Samples& s, size_t i) -> uint64_t {
    return ParseEvmKey(s.hit_text[i], &scratch) ? umap_find(scratch) : 0;
  });
  return 0;
}
