#include "trace/trace.h"

#include <chrono>

#include "trace/account_tracer.h"
#include "trace/trace_recorder.h"
#include "trace/utxo_tracer.h"

namespace fundtrace {

const char* TracePolicyName(TracePolicy p) {
  switch (p) {
    case TracePolicy::kPoison:
      return "poison";
    case TracePolicy::kHaircut:
      return "haircut";
    case TracePolicy::kFifo:
      return "fifo";
    case TracePolicy::kLifo:
      return "lifo";
  }
  return "?";
}

Result<TracePolicy> ParseTracePolicy(std::string_view name) {
  std::string n(name);
  for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (TracePolicy p :
       {TracePolicy::kPoison, TracePolicy::kHaircut, TracePolicy::kFifo, TracePolicy::kLifo}) {
    if (n == TracePolicyName(p)) return p;
  }
  return Status::InvalidArgument("unknown policy '" + std::string(name) +
                                 "': use poison, haircut, fifo or lifo (docs/trace.md)");
}

const char* NodeRoleName(NodeRole r) {
  switch (r) {
    case NodeRole::kSeed:
      return "seed";
    case NodeRole::kIntermediate:
      return "intermediate";
    case NodeRole::kEndpoint:
      return "endpoint";
    case NodeRole::kCut:
      return "cut";
  }
  return "?";
}

void TraceAmounts::Add(AssetId a, const U256& v) {
  if (v == 0) return;
  by_asset[a] += v;
}

bool TraceResult::balanced() const {
  for (const auto& [a, c] : conservation) {
    if (!c.balanced()) return false;
  }
  return true;
}

Result<TraceResult> RunTrace(const ChainStore& store, const TraceOptions& options) {
  const bool utxo = store.chain() == Chain::kBitcoin;
  if (!utxo && !options.seeds.outputs.empty()) {
    return Status::InvalidArgument("output seeds (txid:vout) exist on Bitcoin only");
  }
  if (options.seeds.addresses.empty() && options.seeds.txs.empty() &&
      options.seeds.outputs.empty()) {
    return Status::InvalidArgument("nothing to trace: give seed addresses or tx hashes");
  }
  if (options.max_hops < 1) return Status::InvalidArgument("--hops must be at least 1");
  if (options.dust_ratio < 0 || options.dust_ratio >= 1) {
    return Status::InvalidArgument("--dust must be in [0, 1): a fraction of the traced amount");
  }
  auto start = std::chrono::steady_clock::now();
  TraceRecorder rec(store, options);
  if (utxo) {
    FT_RETURN_IF_ERROR(TraceUtxo(store, &rec));
  } else {
    FT_RETURN_IF_ERROR(TraceAccounts(store, &rec));
  }
  TraceResult r = rec.Finish();
  r.stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  bool any = false;
  for (const auto& [a, c] : r.conservation) any |= c.seeded > 0;
  if (!any) {
    return Status::NotFound(
        options.backward
            ? "the seeds received nothing in the window: nothing to trace back"
            : "the seeds hold and receive nothing in the window: nothing to trace (check the "
              "address, the tx, --from-block/--to-block and --asset)");
  }
  return r;
}

}  // namespace fundtrace
