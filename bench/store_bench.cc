// Store-level benchmarks that need a fresh process each:
//
//   store_bench open DIR   time of EmbeddedChainStore::Open + Stats (one run; run.sh repeats it
//                          in new processes and takes the median)
//   store_bench mem DIR    RSS of a process that opens the store and then touches every column
//                          of every file: segment columns and both CSR indexes, the address
//                          dictionary, the tx dictionary, the block file. Prints the RSS growth
//                          of Open alone, then (with the store closed again and the files mapped
//                          by their readers) after each step, per stored transfer.
//
// Output is "key value" lines for bench/run.sh.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "bench_util.h"
#include "store/dictionary_files.h"
#include "store/embedded_store.h"
#include "store/segment.h"
#include "util/file_util.h"

using namespace fundtrace;
using namespace fundtrace::bench;

namespace {

int Fail(const Status& s) {
  std::fprintf(stderr, "store_bench: %s\n", s.ToString().c_str());
  return 1;
}

int RunOpen(const std::string& dir) {
  auto t0 = std::chrono::steady_clock::now();
  auto store = EmbeddedChainStore::Open(dir, Chain::kEthereum, /*create=*/false);
  if (!store.ok()) return Fail(store.status());
  ChainStats st = (*store)->Stats();
  auto t1 = std::chrono::steady_clock::now();
  std::printf("open_seconds %.6f\n", Seconds(t0, t1));
  std::printf("transfers %llu\naddresses %llu\ntxs %llu\nsegments %llu\n",
              (unsigned long long)st.transfers, (unsigned long long)st.addresses,
              (unsigned long long)st.txs, (unsigned long long)st.segments);
  return 0;
}

// Live files of the chain directory by prefix (the store's Open has removed stale ones).
std::vector<std::string> FilesWithPrefix(const std::string& chain_dir, const std::string& prefix) {
  std::vector<std::string> out;
  auto names = ListDir(chain_dir);
  if (!names.ok()) return out;
  for (const auto& n : *names) {
    if (n.rfind(prefix, 0) == 0 && n.size() > 3 && n.substr(n.size() - 3) == ".ft") {
      out.push_back(chain_dir + "/" + n);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

int RunMem(const std::string& dir) {
  volatile uint64_t sink = 0;
  const Rss base = Rss::Now();
  auto store = EmbeddedChainStore::Open(dir, Chain::kEthereum, /*create=*/false);
  if (!store.ok()) return Fail(store.status());
  const ChainStats st = (*store)->Stats();
  const double n = double(std::max<uint64_t>(st.transfers, 1));
  const std::string chain_dir = (*store)->dir();
  auto report = [&](const char* what, const Rss& before) {
    Rss now = Rss::Now();
    std::printf("rss_%s_kb %ld\nrss_%s_anon_kb %ld\nrss_%s_file_kb %ld\nrss_%s_bytes_per_transfer %.2f\n",
                what, now.total_kb - before.total_kb, what, now.anon_kb - before.anon_kb, what,
                now.file_kb - before.file_kb, what, (now.total_kb - before.total_kb) * 1024.0 / n);
    return now;
  };
  std::printf("transfers %llu\naddresses %llu\ntxs %llu\nrss_baseline_kb %ld\n",
              (unsigned long long)st.transfers, (unsigned long long)st.addresses,
              (unsigned long long)st.txs, base.total_kb);
  report("open", base);
  // The readers below map the files themselves: close the store first so that its mappings
  // (the pages Open touched, and whatever fault-around mapped with them) are not counted twice.
  store->reset();
  const Rss touch_base = Rss::Now();
  Rss at = touch_base;

  // Segments: every fixed-width column, the amounts (wide table included), both CSR indexes.
  std::vector<std::unique_ptr<SegmentReader>> segs;
  for (const auto& path : FilesWithPrefix(chain_dir, "seg-")) {
    auto r = SegmentReader::Open(path);
    if (!r.ok()) return Fail(r.status());
    segs.push_back(std::move(*r));
  }
  uint64_t acc = 0;
  for (const auto& s : segs) {
    for (size_t i = 0; i < s->size(); ++i) {
      Transfer t = s->Get(i);
      acc += t.block + t.tx + t.from + t.to + t.asset + t.seq_kind + t.prevout +
             static_cast<uint64_t>(t.amount & 0xffff);
    }
    for (AddressId a = 0; a <= st.addresses + 1; ++a) {
      for (uint32_t r : s->OutRows(a)) acc += r;
      for (uint32_t r : s->InRows(a)) acc += r;
    }
  }
  sink = sink + acc;
  at = report("segments", at);

  std::vector<std::unique_ptr<AddressDictReader>> addrs;
  for (const auto& path : FilesWithPrefix(chain_dir, "addr-")) {
    auto r = AddressDictReader::Open(path);
    if (!r.ok()) return Fail(r.status());
    addrs.push_back(std::move(*r));
  }
  uint64_t bad = 0;
  for (const auto& d : addrs) {
    for (size_t i = 0; i < d->size(); ++i) {
      AddressId id = d->base() + static_cast<AddressId>(i);
      auto found = d->Find(d->Key(id));
      bad += !found || *found != id;
    }
  }
  at = report("addresses", at);

  std::vector<std::unique_ptr<TxDictReader>> txs;
  for (const auto& path : FilesWithPrefix(chain_dir, "txs-")) {
    auto r = TxDictReader::Open(path);
    if (!r.ok()) return Fail(r.status());
    txs.push_back(std::move(*r));
  }
  for (const auto& d : txs) {
    for (size_t i = 0; i < d->size(); ++i) {
      TxId id = d->base() + static_cast<TxId>(i);
      TxInfo info = d->Info(id);
      auto found = d->Find(info.hash);
      bad += !found || *found != id;
      acc += info.time + info.pos + static_cast<uint64_t>(info.status);
    }
  }
  at = report("txs", at);

  std::vector<std::unique_ptr<BlockFileReader>> blocks;
  for (const auto& path : FilesWithPrefix(chain_dir, "blocks-")) {
    auto r = BlockFileReader::Open(path);
    if (!r.ok()) return Fail(r.status());
    blocks.push_back(std::move(*r));
  }
  for (const auto& b : blocks) {
    for (size_t i = 0; i < b->size(); ++i) acc += b->At(i).time;
  }
  sink = sink + acc;
  at = report("blocks", at);
  report("total", touch_base);
  std::printf("lookup_mismatches %llu\n", (unsigned long long)bad);
  return bad == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 || (std::strcmp(argv[1], "open") != 0 && std::strcmp(argv[1], "mem") != 0)) {
    std::fprintf(stderr, "usage: %s open|mem DATA_DIR\n", argv[0]);
    return 2;
  }
  return std::strcmp(argv[1], "open") == 0 ? RunOpen(argv[2]) : RunMem(argv[2]);
}
