#include "cli/trace_command.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <memory>

#include "chain/address.h"
#include "cli/format.h"
#include "cli/trace_report.h"
#include "cli/trace_seeds.h"
#include "labels/label_store.h"
#include "labels/screen_index.h"
#include "labels/screener.h"
#include "store/embedded_store.h"
#include "trace/trace.h"
#include "util/file_util.h"

namespace fundtrace {

namespace {

struct TraceArgs {
  std::vector<std::string> seeds;
  std::string seeds_file;
  std::string chain;
  std::string policy = "fifo";
  bool backward = false;
  int64_t from_block = -1, to_block = -1;
  std::string from_time, to_time;
  std::vector<std::string> assets;
  std::vector<std::string> stop_categories;
  bool no_stops = false;
  std::vector<std::string> stop_addresses;
  int hops = 6;
  double dust = 1e-6;
  size_t max_addresses = 20000;
  size_t max_history = 200000;
  bool no_infer = false;
  bool no_labels = false;
  std::string csv, dot, svg;
  size_t rows = 15;
};

Result<std::vector<std::string>> ReadSeedsFile(const std::string& path,
                                               std::vector<std::string>* where) {
  std::vector<std::string> out;
  size_t line_no = 0;
  std::FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "r");
  if (!f) return Status::IOError("cannot open seeds file " + path);
  char buf[4096];
  while (std::fgets(buf, sizeof buf, f)) {
    ++line_no;
    std::string line(buf);
    size_t hash = line.find('#');
    if (hash != std::string::npos) line.resize(hash);
    // First field of a CSV line, trimmed.
    size_t comma = line.find_first_of(",\t");
    if (comma != std::string::npos) line.resize(comma);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
    size_t b = 0;
    while (b < line.size() && std::isspace(static_cast<unsigned char>(line[b]))) ++b;
    line = line.substr(b);
    if (line.empty() || line == "address") continue;
    out.push_back(line);
    where->push_back((path == "-" ? std::string("stdin") : path) + ":" + std::to_string(line_no));
  }
  if (f != stdin) std::fclose(f);
  return out;
}

Status ResolveSeeds(const EmbeddedChainStore& store, const std::vector<std::string>& seeds,
                    const std::vector<std::string>& where, TraceSeeds* out) {
  for (size_t i = 0; i < seeds.size(); ++i) {
    Status st = ResolveTraceSeed(store, seeds[i], out);
    if (!st.ok()) return where[i].empty() ? st : st.WithContext(where[i]);
  }
  return Status::OK();
}

// "2023-06-05", "2023-06-05 21:20:00" or "2023-06-05T21:20:00Z" (UTC), or unix seconds.
Result<uint64_t> ParseTimeText(const std::string& text) {
  if (!text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      })) {
    return std::stoull(text);
  }
  std::tm tm{};
  int n = std::sscanf(text.c_str(), "%d-%d-%d%*[ T]%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                      &tm.tm_hour, &tm.tm_min, &tm.tm_sec);
  if (n != 3 && n != 6) {
    return Status::InvalidArgument(
        "'" + text +
        "' is not a time: use 2023-06-05, '2023-06-05 21:20:00' (UTC) or unix seconds");
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<uint64_t>(timegm(&tm));
}

// The first block at or after `t` (or, with `last`, the last block at or before it), by binary
// search over the stored blocks' times.
uint32_t BlockAtTime(const ChainStore& store, uint64_t t, bool last) {
  const ChainStats st = store.Stats();
  auto time_of = [&](uint32_t h) -> std::optional<uint64_t> {
    for (uint32_t k = h; k <= st.max_block && k < h + 1000; ++k) {
      if (auto b = store.Block(k)) return b->time;
    }
    return std::nullopt;
  };
  uint32_t lo = st.min_block, hi = st.max_block + 1;  // first block with time >= t (or > t)
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    auto bt = time_of(mid);
    bool before = bt && (last ? *bt <= t : *bt < t);
    if (before) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return last ? (lo == 0 ? 0 : lo - 1) : lo;
}

Status WriteOut(const std::string& path, const std::string& text) {
  if (path == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return Status::OK();
  }
  return WriteFileAtomic(path, text);
}

int RunTrace(const GlobalOptions& g, const TraceArgs& a) {
  std::vector<std::string> seeds = a.seeds;
  std::vector<std::string> where(seeds.size());
  if (!a.seeds_file.empty()) {
    auto more = ReadSeedsFile(a.seeds_file, &where);
    if (!more.ok()) return ReportError(more.status());
    seeds.insert(seeds.end(), more->begin(), more->end());
  }
  if (seeds.empty()) {
    std::fprintf(stderr,
                 "fundtrace: trace needs seeds: addresses, tx hashes or txid:vout, or "
                 "--seeds-file FILE (see fundtrace trace --help)\n");
    return kExitUsage;
  }
  Chain chain = GuessChain(seeds.front());
  if (!a.chain.empty()) {
    auto c = ChainFromName(a.chain);
    if (!c) {
      std::fprintf(stderr, "fundtrace: unknown chain '%s': use eth, btc or tron\n",
                   a.chain.c_str());
      return kExitUsage;
    }
    chain = *c;
  }
  auto policy = ParseTracePolicy(a.policy);
  if (!policy.ok()) {
    std::fprintf(stderr, "fundtrace: %s\n", policy.status().message().c_str());
    return kExitUsage;
  }
  auto store = EmbeddedChainStore::OpenReadOnly(g.data_dir, chain);
  if (!store.ok()) return ReportError(store.status());
  const EmbeddedChainStore& st = **store;

  TraceOptions o;
  o.policy = *policy;
  o.backward = a.backward;
  if (Status s = ResolveSeeds(st, seeds, where, &o.seeds); !s.ok()) return ReportError(s);
  if (Status s = ResolveTraceAssets(st, a.assets, &o.assets); !s.ok()) return ReportError(s);
  if (a.from_block >= 0) o.blocks.first = static_cast<uint32_t>(a.from_block);
  if (a.to_block >= 0) o.blocks.last = static_cast<uint32_t>(a.to_block);
  if (!a.from_time.empty()) {
    auto t = ParseTimeText(a.from_time);
    if (!t.ok()) return ReportError(t.status().WithContext("--from-time"));
    o.blocks.first = std::max(o.blocks.first, BlockAtTime(st, *t, false));
  }
  if (!a.to_time.empty()) {
    auto t = ParseTimeText(a.to_time);
    if (!t.ok()) return ReportError(t.status().WithContext("--to-time"));
    o.blocks.last = std::min(o.blocks.last, BlockAtTime(st, *t, true));
  }
  if (o.blocks.first > o.blocks.last) {
    std::fprintf(stderr, "fundtrace: --from-block is after --to-block\n");
    return kExitUsage;
  }
  if (a.no_stops) {
    o.stop_categories.clear();
  } else if (!a.stop_categories.empty()) {
    o.stop_categories = std::set<std::string>(a.stop_categories.begin(), a.stop_categories.end());
  }
  for (const std::string& s : a.stop_addresses) {
    auto key = ParseAddress(chain, s);
    if (!key.ok())
      return ReportError(Status::InvalidArgument("--stop " + s + ": " + key.status().message()));
    if (auto id = st.FindAddress(*key)) o.stop_addresses.insert(*id);
  }
  o.max_hops = a.hops;
  o.dust_ratio = a.dust;
  o.max_addresses = a.max_addresses;
  o.max_history = a.max_history;
  o.infer_deposit_addresses = !a.no_infer;

  std::unique_ptr<LabelStore> labels;
  bool labelled = false;
  if (!a.no_labels) {
    auto ls = LabelStore::Open(g.data_dir);
    if (ls.ok()) {
      labels = std::move(*ls);
      auto idx = labels->Index();
      if (!idx.ok()) return ReportError(idx.status());
      o.labels = *idx;
      labelled = true;
      // A stop category the taxonomy does not know is a typo: say so.
      std::set<std::string> terms;
      for (size_t i = 0; i < (*idx)->term_count(); ++i)
        terms.insert(std::string((*idx)->TermName(static_cast<uint16_t>(i))));
      for (const auto& c : o.stop_categories) {
        if (!terms.count(c)) {
          std::string all;
          for (const auto& t : terms) all += (all.empty() ? "" : ", ") + t;
          std::fprintf(stderr, "fundtrace: unknown stop category '%s': use one of %s\n", c.c_str(),
                       all.c_str());
          return kExitUsage;
        }
      }
    } else if (!ls.status().IsNotFound()) {
      return ReportError(ls.status());
    }
  }
  if (!labelled && !g.json && !o.stop_categories.empty()) {
    std::fprintf(stderr,
                 "fundtrace: note: no labels in %s, so no address stops the trace by category "
                 "(import some: fundtrace labels import)\n",
                 g.data_dir.c_str());
  }

  auto result = RunTrace(st, o);
  if (!result.ok()) return ReportError(result.status());
  const TraceResult& r = *result;
  // Nothing left the seeds: say what to do rather than print an empty trace.
  bool moved = false;
  for (const auto& [asset, c] : r.conservation) {
    moved |= c.endpoints > 0 || c.fees > 0 || c.dust > 0 || c.cut > 0 || c.swapped_out > 0;
  }
  for (const TraceNode& n : r.nodes) moved |= n.role != NodeRole::kSeed && !n.received.empty();
  if (!moved && o.seeds.txs.empty()) {
    std::fprintf(stderr,
                 "fundtrace: the seeds never %s in blocks %u..%u: nothing to follow (check the "
                 "seed, widen --from-block/--to-block, or trace %s)\n",
                 o.backward ? "received anything" : "sent anything", o.blocks.first, o.blocks.last,
                 o.backward ? "forward" : "--backward");
    return kExitNotFound;
  }
  if (!a.csv.empty()) {
    if (Status s = WriteOut(a.csv, TraceEndpointsCsv(st, r)); !s.ok()) return ReportError(s);
  }
  if (!a.dot.empty()) {
    if (Status s = WriteOut(a.dot, TraceToDot(st, r)); !s.ok()) return ReportError(s);
  }
  if (!a.svg.empty()) {
    auto svg = TraceToSvg(st, r);
    if (!svg.ok()) {
      std::fprintf(stderr,
                   "fundtrace: could not run Graphviz `dot` to write %s (install graphviz, or use "
                   "--dot FILE)\n",
                   a.svg.c_str());
      return kExitFailure;
    }
    if (Status s = WriteFileAtomic(a.svg, *svg); !s.ok()) return ReportError(s);
  }
  const bool other_stdout = a.csv == "-" || a.dot == "-";
  if (g.json) {
    std::printf("%s\n", TraceToJson(st, r).dump(1).c_str());
  } else if (!other_stdout) {
    std::fputs(TraceToTable(st, r, a.rows).c_str(), stdout);
  }
  return r.balanced() ? kExitOk : kExitFailure;
}

}  // namespace

CLI::App* AddTraceCommand(CLI::App& app, const GlobalOptions& g, std::function<int()>* run) {
  auto a = std::make_shared<TraceArgs>();
  auto* cmd = app.add_subcommand(
      "trace",
      "Follow funds hop by hop: forward (where did it go) or --backward (where did it come\n"
      "from), from seed addresses, tx hashes or Bitcoin outputs (txid:vout), under a taint\n"
      "policy, until exchanges, mixers and bridges (or a limit). Prints where every unit of\n"
      "taint is: held, at endpoints, dust, fees, cut by limits. Rules: docs/trace.md");
  cmd->add_option("seeds", a->seeds,
                  "Seeds: addresses (everything they hold and receive is tainted), tx hashes\n"
                  "(their transfers are the stolen funds) or txid:vout (Bitcoin)");
  cmd->add_option("--seeds-file", a->seeds_file,
                  "More seeds, one per line (first CSV field; # comments; - for stdin)");
  cmd->add_option("--chain", a->chain, "eth, btc or tron (default: guessed from the first seed)");
  cmd->add_option("--policy", a->policy,
                  "poison | haircut | fifo | lifo (default fifo; docs/trace.md has the rules)");
  cmd->add_flag("--backward", a->backward, "Trace where the seeds' funds came from");
  cmd->add_option("--from-block", a->from_block,
                  "First block of the window (default: the chain's first)");
  cmd->add_option("--to-block", a->to_block, "Last block of the window (default: the last)");
  cmd->add_option("--from-time", a->from_time,
                  "Start of the window as a UTC time (2023-06-05, '2023-06-05 21:20:00') or unix\n"
                  "seconds: the first block at or after it");
  cmd->add_option("--to-time", a->to_time,
                  "End of the window, like --from-time (the last block at or before it)");
  cmd->add_option("--asset", a->assets,
                  "Seed only these assets (symbol or token contract; repeatable; default all)");
  cmd->add_option("--stop-category", a->stop_categories,
                  "Categories where taint stops as an endpoint (repeatable; default exchange,\n"
                  "mixer, bridge; ids as in `fundtrace labels stats`)");
  cmd->add_flag("--no-stops", a->no_stops, "No category stops the trace");
  cmd->add_option("--stop", a->stop_addresses, "Also stop at these addresses (repeatable)");
  cmd->add_option("--hops", a->hops, "Follow at most this many hops from the seeds (default 6)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--dust", a->dust,
                  "Drop tainted amounts below this fraction of the asset's traced total as dust\n"
                  "(default 1e-6; 0 keeps everything)")
      ->check(CLI::Range(0.0, 0.5));
  cmd->add_option("--max-addresses", a->max_addresses,
                  "Address budget: at most this many addresses hold taint (default 20000)");
  cmd->add_option(
      "--max-history", a->max_history,
      "Do not follow addresses with more transfers than this (services; default 200000)");
  cmd->add_flag("--no-infer-deposits", a->no_infer,
                "Do not treat addresses that pay only to exchanges as exchange deposit addresses");
  cmd->add_flag("--no-labels", a->no_labels, "Ignore imported labels");
  cmd->add_option("--csv", a->csv, "Write the endpoint table as CSV to FILE (- for stdout)");
  cmd->add_option("--dot", a->dot, "Write the flow graph as Graphviz DOT to FILE (- for stdout)");
  cmd->add_option("--svg", a->svg, "Render the flow graph to an SVG FILE (needs Graphviz `dot`)");
  cmd->add_option("--rows", a->rows, "Rows per table in the text output (default 15)");
  cmd->footer(
      "\nExamples:\n"
      "  fundtrace trace 0xSEEDTX... --policy fifo              where did the stolen funds go\n"
      "  fundtrace trace --seeds-file attackers.txt --policy haircut --json\n"
      "  fundtrace trace 0xADDR --backward --policy haircut     where did its funds come from\n"
      "  fundtrace trace TXID:0 --chain btc --policy fifo --svg flow.svg\n"
      "Exit codes: 0 ok, 2 bad command line, 4 seed not found / nothing to trace, 5 error.");
  cmd->callback([a, &g, run] { *run = [a, &g] { return RunTrace(g, *a); }; });
  return cmd;
}

}  // namespace fundtrace
