#include "cli/risk_commands.h"

#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "chain/address.h"
#include "cli/chain_flag.h"
#include "cli/format.h"
#include "labels/label_store.h"
#include "labels/screener.h"
#include "risk/risk_json.h"
#include "risk/risk_score.h"
#include "store/embedded_store.h"
#include "util/file_util.h"

namespace fundtrace {
namespace {

using Json = nlohmann::json;

struct RiskArgs {
  std::string target, chain, direction = "both", batch, weights_file;
  int hops = 0;  // 0: the weights file's default
  size_t fanout = 0;
  int threads = 2;
  bool print_weights = false;
};

// What a risk run needs: the weights, the labels (optional) and the chain's store (optional).
struct RiskContext {
  std::unique_ptr<RiskWeights> own_weights;
  const RiskWeights* weights = nullptr;
  std::unique_ptr<LabelStore> labels;
  const ScreenIndex* index = nullptr;
  std::unique_ptr<EmbeddedChainStore> store;
  std::unique_ptr<RiskScorer> scorer;
  RiskOptions options;
};

Status OpenContext(const GlobalOptions& g, const RiskArgs& a, Chain chain, RiskContext* c) {
  if (!a.weights_file.empty()) {
    FT_ASSIGN_OR_RETURN(std::string text, ReadFileToString(a.weights_file));
    FT_ASSIGN_OR_RETURN(RiskWeights w,
                        RiskWeights::Parse(text, a.weights_file, Taxonomy::Default()));
    c->own_weights = std::make_unique<RiskWeights>(std::move(w));
    c->weights = c->own_weights.get();
  } else {
    c->weights = &RiskWeights::Default();
  }
  auto labels = LabelStore::Open(g.data_dir);
  if (labels.ok()) {
    c->labels = std::move(*labels);
    FT_ASSIGN_OR_RETURN(c->index, c->labels->Index());
  } else if (!labels.status().IsNotFound()) {
    return labels.status();
  } else if (!g.json) {
    std::fprintf(stderr,
                 "fundtrace: note: no labels in %s: risk sees no labelled address (import some "
                 "with `fundtrace labels import`)\n",
                 g.data_dir.c_str());
  }
  auto store = EmbeddedChainStore::OpenReadOnly(g.data_dir, chain);
  if (store.ok()) {
    c->store = std::move(*store);
  } else if (!store.status().IsNotFound()) {
    return store.status();
  }
  c->scorer = std::make_unique<RiskScorer>(c->store.get(), c->index, *c->weights);
  c->options = RiskOptions::From(*c->weights);
  if (a.hops > 0) c->options.exposure.hops = a.hops;
  if (a.fanout > 0) c->options.exposure.fanout = a.fanout;
  c->options.exposure.incoming = a.direction != "out";
  c->options.exposure.outgoing = a.direction != "in";
  return Status::OK();
}

bool LooksLikeTxHash(const std::string& s) {
  std::string_view v = s;
  if (v.size() == 66 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) v.remove_prefix(2);
  if (v.size() != 64) return false;
  for (char ch : v) {
    if (!std::isxdigit(static_cast<unsigned char>(ch))) return false;
  }
  return true;
}

std::string Percent(double share) {
  char buf[32];
  double p = share * 100;
  std::snprintf(buf, sizeof buf, p >= 10 ? "%.1f%%" : p >= 0.01 ? "%.2f%%" : "%.4f%%", p);
  return buf;
}

std::string Native(double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

void PrintReport(const RiskReport& r, const ChainStore* store, const std::string& subject,
                 Chain chain, const RiskOptions& o) {
  std::printf("%-9s %s (%s)\n", subject.rfind("Tx ", 0) == 0 ? "Tx" : "Address",
              subject.substr(subject.rfind("Tx ", 0) == 0 ? 3 : 0).c_str(),
              std::string(ChainName(chain)).c_str());
  if (!r.label.empty()) std::printf("Label     %s\n", r.label.c_str());
  std::printf("Score     %d (%s)\n", r.score, r.level);
  std::string reasons;
  for (const auto& d : r.detail_list) reasons += (reasons.empty() ? "" : "; ") + d;
  if (reasons.empty()) {
    reasons = r.details.empty() ? "none found"
                                : "none scored (what it paid to risky addresses is evidence only: "
                                  "see below)";
  }
  std::printf("Reasons   %s\n", reasons.c_str());
  if (!r.hacking_event.empty()) std::printf("Event     %s\n", r.hacking_event.c_str());
  std::string sym = store ? std::string(NativeSymbol(store->chain())) : "";
  if (!r.in_store) {
    std::printf("Exposure  none: the address has no transfers in this store\n");
  } else {
    uint64_t cut = 0;
    double cut_share = 0;
    for (const auto& h : r.exposure.hops) {
      cut += h.cut;
      cut_share += h.cut_share;
    }
    std::printf("Exposure  %d hops, %s; received %s %s, sent %s %s (native value only)\n",
                o.exposure.hops,
                o.exposure.incoming && o.exposure.outgoing ? "incoming and outgoing"
                : o.exposure.incoming                      ? "incoming"
                                                           : "outgoing",
                Native(r.exposure.received).c_str(), sym.c_str(), Native(r.exposure.sent).c_str(),
                sym.c_str());
    if (cut) {
      std::printf(
          "          not followed: %s addresses carrying %s (fan-out %zu per hop, min share %g)\n",
          FormatCount(cut).c_str(), Percent(cut_share).c_str(), o.exposure.fanout,
          o.exposure.min_share);
    }
  }
  if (!r.own.empty()) {
    Table t({"own risk", "risk type", "score", "label", "entity", "source", "conf"}, {2, 6});
    for (const auto& own : r.own) {
      t.Add({own.weight->id, own.weight->risk_type, std::to_string(own.weight->own), own.label,
             own.entity.empty() ? "-" : own.entity, own.source.empty() ? "-" : own.source,
             std::to_string(own.confidence)});
    }
    std::printf("\n%s", t.ToString().c_str());
  }
  if (!r.details.empty()) {
    Table t({"#", "risk type", "category", "entity", "exposure", "hop", "direction", "percent",
             "volume " + sym, "source"},
            {0, 5, 7, 8});
    for (size_t i = 0; i < r.details.size(); ++i) {
      const RiskDetail& d = r.details[i];
      t.Add({std::to_string(i + 1), d.weight->risk_type, d.weight->id, d.entity,
             d.hop == 1 ? "direct" : "indirect", std::to_string(d.hop),
             !d.incoming ? (d.scored ? "outgoing" : "outgoing (paid it: not scored)")
             : d.scored  ? "incoming"
                         : "incoming (not scored)",
             Percent(d.share), Native(d.volume), d.source});
    }
    std::printf("\nRisk details\n%s", t.ToString().c_str());
    std::printf("\nPaths (evidence: the path carrying the largest share, hop 1 next to the %s)\n",
                subject.rfind("Tx ", 0) == 0 ? "tx" : "address");
    for (size_t i = 0; i < r.details.size() && store; ++i) {
      const RiskDetail& d = r.details[i];
      for (size_t h = 0; h < d.path.size(); ++h) {
        std::printf("%3s  hop %zu  %s  tx %s\n", h == 0 ? std::to_string(i + 1).c_str() : "", h + 1,
                    AddressText(*store, d.path[h].address).c_str(),
                    TxHashText(store->chain(), store->Tx(d.path[h].tx).hash).c_str());
      }
    }
  }
}

int RunRiskOne(const GlobalOptions& g, const RiskArgs& a) {
  bool is_tx = LooksLikeTxHash(a.target);
  auto flag = ChainFlag(a.chain);
  if (!flag.ok()) return ReportError(flag.status());
  const std::optional<Chain> chain = *flag;
  if (is_tx) {
    std::vector<Chain> chains =
        chain ? std::vector<Chain>{*chain}
              : std::vector<Chain>{Chain::kEthereum, Chain::kBitcoin, Chain::kTron};
    for (Chain c : chains) {
      RiskContext ctx;
      Status s = OpenContext(g, a, c, &ctx);
      if (!s.ok()) return ReportError(s);
      if (!ctx.store) continue;
      Hash32 hash;
      if (!ParseTxHashText(c, a.target, &hash)) continue;
      auto id = ctx.store->FindTx(hash);
      if (!id) continue;
      auto r = ctx.scorer->ScoreTx(*id, ctx.options);
      if (!r.ok()) return ReportError(r.status());
      std::string text = TxHashText(c, hash);
      if (g.json) {
        Json j = RiskReportJson(*r, ctx.store.get());
        j["tx"] = text;
        j["chain"] = std::string(ChainName(c));
        std::printf("%s\n", j.dump(2).c_str());
      } else {
        PrintReport(*r, ctx.store.get(), "Tx " + text, c, ctx.options);
      }
      return kExitOk;
    }
    return ReportError(Status::NotFound("tx " + a.target + " is not in " + g.data_dir +
                                        " (check the hash, or ingest its block)"));
  }
  Chain c = chain ? *chain : GuessChain(a.target);
  auto key = ParseAddress(c, a.target);
  if (!key.ok()) return ReportError(key.status());
  RiskContext ctx;
  Status s = OpenContext(g, a, c, &ctx);
  if (!s.ok()) return ReportError(s);
  std::vector<Tag> tags;
  if (ctx.labels) {
    auto t = ctx.labels->TagsOf(c, *key);
    if (!t.ok()) return ReportError(t.status());
    tags = std::move(*t);
  }
  auto r = ctx.scorer->ScoreAddress(*key, ctx.options, &tags);
  if (!r.ok()) return ReportError(r.status());
  std::string text = FormatAddress(*key);
  if (!r->in_store && tags.empty()) {
    return ReportError(Status::NotFound(text + " has no transfers in the " +
                                        std::string(ChainName(c)) + " data of " + g.data_dir +
                                        " and no labels: nothing to score (check the address, or "
                                        "ingest its history)"));
  }
  if (g.json) {
    Json j = RiskReportJson(*r, ctx.store.get());
    j["address"] = text;
    j["chain"] = std::string(ChainName(c));
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    PrintReport(*r, ctx.store.get(), text, c, ctx.options);
  }
  return kExitOk;
}

// ---------------------------------------------------------------------------------------------
// batch

struct BatchItem {
  uint64_t line = 0;
  std::string input;  // the address as written
  std::string key;    // parsed key ("" when the line is not scored)
  std::string error;  // why the line is not scored
  bool skip = false;  // comment / header
  Result<RiskReport> report = Status::NotFound("not scored");
  std::string out;  // the output line, formatted by the scoring thread
};

// The output line of a scored address: JSON (one object) or tab-separated text.
std::string BatchLine(const GlobalOptions& g, const BatchItem& it, const ChainStore* store) {
  const RiskReport& r = *it.report;
  std::string text = FormatAddress(it.key);
  if (g.json) {
    Json j = RiskReportJson(r, store);
    j["line"] = it.line;
    j["address"] = text;
    return j.dump() + "\n";
  }
  std::string reasons;
  for (size_t k = 0; k < r.detail_list.size() && k < 3; ++k) {
    reasons += (k ? "; " : "") + r.detail_list[k];
  }
  if (!r.details.empty()) {
    const RiskDetail& d = r.details[0];
    reasons += std::string(reasons.empty() ? "-" : "") + " (" +
               (d.scored ? "" : "paid, not scored: ") +
               d.weight->id + ": " + d.entity + ", hop " + std::to_string(d.hop) + ", " +
               Percent(d.share) + ")";
  }
  return text + "\t" + std::to_string(r.score) + "\t" + r.level + "\t" +
         (reasons.empty() ? "-" : reasons) + "\n";
}

// Parses one batch line: its first field (up to ',', tab or space) after leading whitespace.
void ParseBatchLine(std::string_view line, std::optional<Chain> chain, BatchItem* it) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  size_t b = 0;
  while (b < line.size() && (line[b] == ' ' || line[b] == '\t')) ++b;
  line.remove_prefix(b);
  if (line.empty()) {
    it->error = "empty line (one address per line)";
    return;
  }
  if (line[0] == '#') {
    it->skip = true;
    return;
  }
  size_t e = line.find_first_of(",\t ");
  std::string_view field = line.substr(0, e);
  it->input = std::string(field);
  if (it->line == 1 && (field == "address" || field == "Address")) {
    it->skip = true;
    return;
  }
  if (LooksLikeTxHash(it->input)) {
    it->error = "'" + it->input +
                "' is a tx hash: --batch takes addresses (score a tx with `fundtrace risk TX`)";
    return;
  }
  auto key = ParseAddress(chain ? *chain : GuessChain(field), field);
  if (!key.ok()) {
    it->error = key.status().message();
    return;
  }
  it->key = std::move(*key);
}

int RunRiskBatch(const GlobalOptions& g, const RiskArgs& a) {
  auto flag = ChainFlag(a.chain);
  if (!flag.ok()) return ReportError(flag.status());
  const std::optional<Chain> chain = *flag;
  FILE* in = stdin;
  if (a.batch != "-") {
    in = std::fopen(a.batch.c_str(), "rb");
    if (!in)
      return ReportError(Status::NotFound(a.batch + ": cannot open: " + std::strerror(errno)));
  }
  std::unique_ptr<FILE, int (*)(FILE*)> closer(in == stdin ? nullptr : in, &std::fclose);
  const std::string name = a.batch == "-" ? "stdin" : a.batch;
  // One context per chain met, opened on first use.
  std::map<Chain, std::unique_ptr<RiskContext>> contexts;
  auto context_of = [&](Chain c) -> Result<RiskContext*> {
    auto& slot = contexts[c];
    if (!slot) {
      slot = std::make_unique<RiskContext>();
      FT_RETURN_IF_ERROR(OpenContext(g, a, c, slot.get()));
    }
    return slot.get();
  };
  const bool progress = g.progress && ::isatty(2);
  const int threads = std::max(1, a.threads);
  // Each thread keeps the expansions it made (per chain): neighbours shared by many addresses
  // of a batch are read once per thread. The answers are the same as without it.
  std::vector<std::map<Chain, ExposureCache>> caches(static_cast<size_t>(threads));
  constexpr size_t kChunk = 2048;
  std::vector<BatchItem> items;
  std::vector<Chain> item_chain;
  uint64_t line_no = 0, scored = 0, bad = 0, unknown = 0;
  std::map<std::string, uint64_t> by_level;
  auto t0 = std::chrono::steady_clock::now();
  char* buf = nullptr;
  size_t cap = 0;
  bool eof = false;
  static char out_buf[1 << 16];
  std::setvbuf(stdout, out_buf, _IOFBF, sizeof out_buf);
  while (!eof) {
    items.assign(kChunk, BatchItem{});
    item_chain.assign(kChunk, Chain::kEthereum);
    size_t n = 0;
    while (n < kChunk) {
      ssize_t got = ::getline(&buf, &cap, in);
      if (got < 0) {
        eof = true;
        break;
      }
      items[n].line = ++line_no;
      ParseBatchLine(std::string_view(buf, static_cast<size_t>(got)), chain, &items[n]);
      if (!items[n].key.empty()) item_chain[n] = chain ? *chain : GuessChain(items[n].input);
      ++n;
    }
    for (size_t i = 0; i < n; ++i) {
      if (items[i].key.empty()) continue;
      auto ctx = context_of(item_chain[i]);
      if (!ctx.ok()) return ReportError(ctx.status());
    }
    // Score the chunk on `threads` threads; print in input order.
    std::atomic<size_t> next{0};
    auto work = [&](int t) {
      for (size_t i; (i = next.fetch_add(1)) < n;) {
        BatchItem& it = items[i];
        if (it.key.empty()) continue;
        RiskContext* ctx = contexts[item_chain[i]].get();
        ExposureCache* cache = &caches[static_cast<size_t>(t)][item_chain[i]];
        it.report = ctx->scorer->ScoreAddress(it.key, ctx->options, nullptr, cache);
        if (it.report.ok() && (it.report->in_store || !it.report->label.empty())) {
          it.out = BatchLine(g, it, ctx->store.get());
        }
      }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(work, t);
    work(0);
    for (auto& t : pool) t.join();
    for (size_t i = 0; i < n; ++i) {
      BatchItem& it = items[i];
      if (it.skip) continue;
      if (it.key.empty()) {
        ++bad;
        std::fprintf(stderr, "%s:%llu: %s\n", name.c_str(),
                     static_cast<unsigned long long>(it.line), it.error.c_str());
        continue;
      }
      if (!it.report.ok())
        return ReportError(it.report.status().WithContext(name + ":" + std::to_string(it.line)));
      const RiskReport& r = *it.report;
      if (!r.in_store && r.label.empty()) {
        ++unknown;
        std::fprintf(stderr, "%s:%llu: %s has no transfers in %s and no labels: not scored\n",
                     name.c_str(), static_cast<unsigned long long>(it.line),
                     FormatAddress(it.key).c_str(), g.data_dir.c_str());
        continue;
      }
      ++scored;
      ++by_level[r.level];
      std::fwrite(it.out.data(), 1, it.out.size(), stdout);
    }
    std::fflush(stdout);
    if (progress) {
      double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::fprintf(stderr, "\r\033[KScored %s addresses (%s/s)", FormatCount(scored).c_str(),
                   FormatCount(static_cast<uint64_t>(s > 0 ? double(scored) / s : 0)).c_str());
    }
  }
  bool read_error = std::ferror(in);
  std::free(buf);
  if (progress) std::fprintf(stderr, "\r\033[K");
  if (read_error) return ReportError(Status::IOError(name + ": read error"));
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::string levels;
  for (const char* l : {"Severe", "High", "Moderate", "Low"}) {
    if (by_level.count(l))
      levels += (levels.empty() ? "" : ", ") + std::string(l) + " " + FormatCount(by_level[l]);
  }
  std::fprintf(
      stderr, "Scored %s addresses in %.2f s (%s/s, %d threads)%s%s%s.\n",
      FormatCount(scored).c_str(), s,
      FormatCount(static_cast<uint64_t>(s > 0 ? double(scored) / s : 0)).c_str(), threads,
      levels.empty() ? "" : (": " + levels).c_str(),
      bad ? (", " + FormatCount(bad) + " bad lines (listed above)").c_str() : "",
      unknown ? (", " + FormatCount(unknown) + " unknown addresses (listed above)").c_str() : "");
  if (bad) return kExitBadInput;
  if (unknown) return kExitNotFound;
  return kExitOk;
}

int RunRisk(const GlobalOptions& g, const RiskArgs& a) {
  if (a.print_weights) {
    std::printf("%s", std::string(RiskWeights::DefaultYaml()).c_str());
    return kExitOk;
  }
  if (!a.batch.empty() && !a.target.empty()) {
    std::fprintf(stderr, "fundtrace: give either an ADDRESS|TX or --batch FILE, not both\n");
    return kExitUsage;
  }
  if (!a.batch.empty()) return RunRiskBatch(g, a);
  if (a.target.empty()) {
    std::fprintf(stderr,
                 "fundtrace: risk needs an ADDRESS, a TX hash or --batch FILE (see --help)\n");
    return kExitUsage;
  }
  return RunRiskOne(g, a);
}

}  // namespace

void AddRiskCommands(CLI::App& app, GlobalOptions& g, std::function<int()>* run) {
  auto a = std::make_shared<RiskArgs>();
  auto* risk = app.add_subcommand("risk",
                                  "Risk score of an address or a tx (MistTrack's 3-100 and "
                                  "levels), with the reasons and the path behind each");
  risk->add_option("target", a->target,
                   "An address (0x…, 1…/3…/bc1…, T…) or a tx hash; a tx is screened as a deposit:\n"
                   "its senders' funds are hop 1");
  risk->add_option("--chain", a->chain, "eth, btc or trx (default: from the address's form)");
  risk->add_option("--hops", a->hops, "How many hops exposure looks (default 3; 1 = direct only)")
      ->check(CLI::Range(1, 10));
  risk->add_option("--direction", a->direction,
                   "in: where the funds came from; out: where they went; both (default)")
      ->check(CLI::IsMember({"in", "out", "both"}));
  risk->add_option("--fanout", a->fanout,
                   "Unlabelled addresses followed per hop, the largest shares first (default 48)");
  risk->add_option("--batch", a->batch,
                   "Score every address of FILE (one per line; - for stdin): one line per address\n"
                   "(address, score, level, top reasons), or JSON lines with --json");
  risk->add_option("--threads", a->threads, "Threads for --batch (default 2)")
      ->check(CLI::Range(1, 64));
  risk->add_option("--weights-file", a->weights_file,
                   "Use this weights YAML instead of the built-in one (see --weights)");
  risk->add_flag("--weights", a->print_weights,
                 "Print the built-in categories and weights (YAML) and exit");
  risk->footer(
      "Score: own labels first (a sanctioned or theft-labelled address is Severe, with the source\n"
      "named); then exposure: the share of the value an address received (sent) that came from\n"
      "(went to) each risky category, directly or through unlabelled addresses, by haircut and\n"
      "decayed per hop. Bands: Low 0-30, Moderate 31-70, High 71-90, Severe 91-100. Values are\n"
      "the native asset (ETH/BTC/TRX); tokens are not priced. Formula and a worked example:\n"
      "docs/risk.md.\n"
      "Examples:\n"
      "  fundtrace risk 0x098b716b8aaf21512996dc57eb0615e2383e2f96\n"
      "  fundtrace risk 0x002f0c8119c16d310342d869ca8bf6ace34d9c39 --hops 2 --direction in --json\n"
      "  fundtrace risk 0xaca3850ba0080cf47b47f80e46da452f61bcbb5470d3ca6da28cf0a46aee866c\n"
      "  fundtrace risk --batch deposits.txt > scores.tsv\n"
      "Batch lines that are empty or not an address are listed on stderr with their line number\n"
      "(exit 3); valid addresses with no transfers and no labels too (exit 4); the rest are "
      "scored.");
  risk->callback([run, &g, a] { *run = [&g, a] { return RunRisk(g, *a); }; });
}

}  // namespace fundtrace
