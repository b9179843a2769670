// risk_bench DATA_DIR [SAMPLES] [BATCH] [THREADS] [SEED]: risk-score latency and batch throughput
// on a store, read-only (the chain store is opened without its lock; labels come from the
// memory-mapped labels.idx, SQLite is not opened, nothing is written).
//
// Single-address: SAMPLES addresses drawn uniformly from the store's ids (fixed SEED), each
// scored with the default options (3 hops, both directions, fan-out 48) and timed on its own:
// p50/p90/p99/max, and where the time goes (store reads, aggregation, label look-ups, selection).
// A warm-up pass over another sample comes first; the cold pass is reported too.
// Baseline in the same run: the same scores computed through a store adapter that answers every
// batched TransfersOf with one call per address ("one call per edge", what a naive search does
// against a remote backend); its answers are checked equal to the batched ones.
// Batch: BATCH addresses on THREADS threads, addresses/s.
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <thread>

#include "bench_util.h"
#include "chain/address.h"
#include "labels/screen_index.h"
#include "risk/risk_score.h"
#include "store/embedded_store.h"

namespace fundtrace {
namespace {

using Clock = std::chrono::steady_clock;

// Delegates to a store, splitting each TransfersOf into one call per address, and counts calls.
class PerAddressStore final : public ChainStore {
 public:
  explicit PerAddressStore(const ChainStore& s) : s_(s) {}
  Chain chain() const override { return s_.chain(); }
  std::optional<AddressId> FindAddress(std::string_view key) const override {
    return s_.FindAddress(key);
  }
  std::string AddressKey(AddressId id) const override { return s_.AddressKey(id); }
  std::optional<TxId> FindTx(const Hash32& h) const override { return s_.FindTx(h); }
  TxInfo Tx(TxId id) const override { return s_.Tx(id); }
  std::optional<BlockInfo> Block(uint32_t h) const override { return s_.Block(h); }
  size_t AssetCount() const override { return s_.AssetCount(); }
  const AssetInfo& Asset(AssetId id) const override { return s_.Asset(id); }
  std::optional<AssetId> FindAsset(std::string_view k) const override { return s_.FindAsset(k); }
  Status TransfersOf(std::span<const AddressId> addresses, Direction dir, BlockRange range,
                     std::vector<Transfer>* out) const override {
    // Each address on its own; the merged answer is re-sorted into chain order like the batch.
    size_t from = out->size();
    for (AddressId a : addresses) {
      ++calls_;
      const AddressId one[1] = {a};
      FT_RETURN_IF_ERROR(s_.TransfersOf(one, dir, range, out));
    }
    std::stable_sort(out->begin() + static_cast<long>(from), out->end(),
                     [&](const Transfer& x, const Transfer& y) {
                       return std::make_tuple(x.block, order(x.tx), x.seq_kind) <
                              std::make_tuple(y.block, order(y.tx), y.seq_kind);
                     });
    // A transfer between two of the addresses was appended twice.
    out->erase(std::unique(out->begin() + static_cast<long>(from), out->end(),
                           [](const Transfer& x, const Transfer& y) {
                             return x.tx == y.tx && x.seq_kind == y.seq_kind;
                           }),
               out->end());
    return Status::OK();
  }
  Status TransfersOfAnyOrder(std::span<const AddressId> addresses, Direction dir, BlockRange range,
                             std::vector<Transfer>* out) const override {
    for (AddressId a : addresses) {
      ++calls_;
      const AddressId one[1] = {a};
      FT_RETURN_IF_ERROR(s_.TransfersOfAnyOrder(one, dir, range, out));
    }
    return Status::OK();
  }
  Status TransferCounts(std::span<const AddressId> addresses, Direction dir,
                        std::vector<uint64_t>* out) const override {
    for (AddressId a : addresses) {
      ++calls_;
      const AddressId one[1] = {a};
      FT_RETURN_IF_ERROR(s_.TransferCounts(one, dir, out));
    }
    return Status::OK();
  }
  Status TransfersOfTxs(std::span<const TxId> txs, std::vector<Transfer>* out) const override {
    ++calls_;
    return s_.TransfersOfTxs(txs, out);
  }
  ChainStats Stats() const override { return s_.Stats(); }
  uint64_t calls() const { return calls_; }

 private:
  uint64_t order(TxId t) const { return static_cast<const EmbeddedChainStore&>(s_).TxOrder(t); }
  const ChainStore& s_;
  mutable uint64_t calls_ = 0;
};

struct Pass {
  std::vector<double> ms;
  ExposureTimes times;
  uint64_t flows = 0, expanded = 0, store_calls = 0, hits = 0, severe = 0;
  double wall = 0;
};

Pass Run(const RiskScorer& scorer, const ChainStore& store, const std::vector<AddressId>& ids,
         const RiskOptions& o, std::vector<int>* scores) {
  Pass p;
  auto w0 = Clock::now();
  for (AddressId id : ids) {
    std::string key = store.AddressKey(id);
    auto t0 = Clock::now();
    auto r = scorer.ScoreAddress(key, o);
    p.ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    if (!r.ok()) {
      std::fprintf(stderr, "score failed: %s\n", r.status().message().c_str());
      std::exit(1);
    }
    const ExposureTimes& t = r->exposure.times;
    p.times.fetch += t.fetch;
    p.times.aggregate += t.aggregate;
    p.times.labels += t.labels;
    p.times.select += t.select;
    for (const auto& h : r->exposure.hops) {
      p.flows += h.flows;
      p.expanded += h.expanded;
    }
    p.hits += r->details.empty() ? 0 : 1;
    p.severe += r->score > 90;
    if (scores) scores->push_back(r->score);
  }
  p.wall = std::chrono::duration<double>(Clock::now() - w0).count();
  return p;
}

void Print(const char* name, const Pass& p, size_t n) {
  double total_ms = 0;
  for (double v : p.ms) total_ms += v;
  auto pct = [&](double q) { return bench::Percentile(p.ms, q); };
  std::printf("| %s | %zu | %.3f | %.3f | %.3f | %.3f | %.3f | %.0f | %.0f |\n", name, n, pct(0.5),
              pct(0.9), pct(0.99), pct(1.0), total_ms / double(n), double(p.flows) / double(n),
              double(p.expanded) / double(n));
}

}  // namespace
}  // namespace fundtrace

int main(int argc, char** argv) {
  using namespace fundtrace;
  if (argc < 2) {
    std::fprintf(
        stderr, "usage: risk_bench DATA_DIR [SAMPLES=2000] [BATCH=100000] [THREADS=2] [SEED=42]\n");
    return 2;
  }
  std::string dir = argv[1];
  size_t samples = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 2000;
  size_t batch = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 100000;
  int threads = argc > 4 ? std::atoi(argv[4]) : 2;
  uint64_t seed = argc > 5 ? std::strtoull(argv[5], nullptr, 10) : 42;

  auto t0 = Clock::now();
  auto store = EmbeddedChainStore::OpenReadOnly(dir, Chain::kEthereum);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().message().c_str());
    return 1;
  }
  auto index = ScreenIndex::Open(dir + "/labels.idx");
  if (!index.ok()) {
    std::fprintf(stderr, "%s\n", index.status().message().c_str());
    return 1;
  }
  double open_s = bench::Seconds(t0, Clock::now());
  const ChainStore& st = **store;
  ChainStats stats = st.Stats();
  std::printf(
      "store %s: %llu transfers, %llu addresses, %zu labelled addresses; opened in %.2f s\n\n",
      dir.c_str(), (unsigned long long)stats.transfers, (unsigned long long)stats.addresses,
      (*index)->addresses(), open_s);

  const RiskWeights& w = RiskWeights::Default();
  RiskScorer scorer(&st, index->get(), w);
  RiskOptions o = RiskOptions::From(w);
  // Overrides for exploring the search limits (defaults: the weights file).
  if (const char* v = std::getenv("RISK_MAX_DEGREE"))
    o.exposure.max_degree = std::strtoull(v, nullptr, 10);
  if (const char* v = std::getenv("RISK_HOP_BUDGET"))
    o.exposure.hop_budget = std::strtoull(v, nullptr, 10);
  if (const char* v = std::getenv("RISK_FANOUT")) o.exposure.fanout = std::strtoull(v, nullptr, 10);
  std::printf("limits: fan-out %zu, max degree %llu, hop budget %llu transfers\n\n",
              o.exposure.fanout, (unsigned long long)o.exposure.max_degree,
              (unsigned long long)o.exposure.hop_budget);
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<uint32_t> pick(1, static_cast<uint32_t>(stats.addresses));
  auto sample = [&](size_t n) {
    std::vector<AddressId> v(n);
    for (auto& a : v) a = pick(rng);
    return v;
  };
  std::vector<AddressId> warm = sample(samples), timed = sample(samples), big = sample(batch);
  // The batch sample as text, for timing `fundtrace risk --batch` on the same addresses.
  if (const char* path = std::getenv("RISK_WRITE_SAMPLE")) {
    FILE* f = std::fopen(path, "w");
    if (!f) {
      std::fprintf(stderr, "%s: cannot write\n", path);
      return 1;
    }
    for (AddressId a : big) std::fprintf(f, "%s\n", FormatAddress(st.AddressKey(a)).c_str());
    std::fclose(f);
  }

  if (samples > 0) {
    std::printf("Single-address score, %d hops, both directions, fan-out %zu (ms per address)\n\n",
                o.exposure.hops, o.exposure.fanout);
    std::printf(
        "| pass | addresses | p50 | p90 | p99 | max | mean | flows read | addresses expanded "
        "|\n");
    std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    Pass cold = Run(scorer, st, warm, o, nullptr);
    Print("first pass (cold pages)", cold, warm.size());
    std::vector<int> batched_scores, naive_scores;
    Pass hot = Run(scorer, st, timed, o, &batched_scores);
    Print("**batched, warm**", hot, timed.size());
    PerAddressStore naive_store(st);
    RiskScorer naive(&naive_store, index->get(), w);
    Pass base = Run(naive, naive_store, timed, o, &naive_scores);
    base.store_calls = naive_store.calls();
    Print("baseline: one call per address, warm", base, timed.size());
    // What the hub cap buys: the same search without max_degree / hop_budget, on 50 addresses.
    RiskOptions uncapped = o;
    uncapped.exposure.max_degree = UINT64_MAX;
    uncapped.exposure.hop_budget = UINT64_MAX;
    std::vector<AddressId> few(
        timed.begin(), timed.begin() + static_cast<long>(std::min<size_t>(50, timed.size())));
    Pass capped_few = Run(scorer, st, few, o, nullptr);
    Pass uncapped_few = Run(scorer, st, few, uncapped, nullptr);
    Print("same 50, hub cap on", capped_few, few.size());
    Print("baseline: same 50, no hub cap (max_degree, hop_budget off)", uncapped_few, few.size());
    bool same = batched_scores == naive_scores;
    double p50 = bench::Percentile(hot.ms, 0.5), p99 = bench::Percentile(hot.ms, 0.99);
    std::printf(
        "\np50 %.3f ms (target <= 2), p99 %.3f ms (target <= 20); baseline/batched mean time "
        "%.2fx; "
        "no hub cap / hub cap on 50: %.1fx; store calls per score: batched <= %d, baseline %.1f; "
        "same scores: %s\n",
        p50, p99, base.wall / hot.wall, uncapped_few.wall / capped_few.wall, 4 * o.exposure.hops,
        double(base.store_calls) / double(timed.size()), same ? "yes" : "NO");
    double tot =
        double(hot.times.fetch + hot.times.aggregate + hot.times.labels + hot.times.select);
    double wall_ns = hot.wall * 1e9;
    std::printf(
        "\nWhere the time goes (warm pass): store reads %.1f%%, aggregation %.1f%%, label "
        "look-ups and keys %.1f%%, selection/paths %.1f%%, other (own labels, details, score) "
        "%.1f%%\n",
        100 * hot.times.fetch / wall_ns, 100 * hot.times.aggregate / wall_ns,
        100 * hot.times.labels / wall_ns, 100 * hot.times.select / wall_ns,
        100 * (wall_ns - tot) / wall_ns);
    std::printf("Addresses with a risk detail: %llu of %zu; Severe: %llu\n",
                (unsigned long long)hot.hits, timed.size(), (unsigned long long)hot.severe);
  }
  // Batch throughput.
  std::atomic<size_t> next{0};
  std::atomic<uint64_t> risky{0};
  auto batch_run = [&](bool use_cache, const char* name) {
    next = 0;
    risky = 0;
    rusage ru0{}, ru1{};
    getrusage(RUSAGE_SELF, &ru0);
    auto work = [&] {
      ExposureCache cache;
      for (size_t i; (i = next.fetch_add(1)) < big.size();) {
        auto r =
            scorer.ScoreAddress(st.AddressKey(big[i]), o, nullptr, use_cache ? &cache : nullptr);
        if (r.ok() && !r->details.empty()) risky.fetch_add(1);
      }
    };
    auto b0 = Clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(work);
    for (auto& t : pool) t.join();
    double bs = bench::Seconds(b0, Clock::now());
    getrusage(RUSAGE_SELF, &ru1);
    std::printf("| %s | %zu | %d | %.2f | %.0f | %.1f | %llu |\n", name, big.size(), threads, bs,
                double(big.size()) / bs, double(ru1.ru_minflt - ru0.ru_minflt) / double(big.size()),
                (unsigned long long)risky.load());
  };
  std::printf("\nBatch (target >= 20,000 addresses/s on 2 cores)\n\n");
  std::printf(
      "| run | addresses | threads | seconds | addresses/s | page faults per address | with a "
      "risk detail |\n|---|---:|---:|---:|---:|---:|---:|\n");
  if (!big.empty()) {
    batch_run(false, "first touch (a fresh process), no cache");
    batch_run(false, "same addresses again (pages mapped), no cache");
    batch_run(true, "same again, per-thread expansion cache (as `risk --batch`)");
  }
  return 0;
}
