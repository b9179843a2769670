#include "cli/synth_command.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>

#include "chain/amount.h"
#include "cli/format.h"
#include "util/file_util.h"

namespace fundtrace {
namespace {

using Clock = std::chrono::steady_clock;

// Progress on stderr: on a terminal a line redrawn twice a second; otherwise (with
// FUNDTRACE_PROGRESS=1, e.g. into a log) a new line every five seconds.
class SynthProgressLine {
 public:
  explicit SynthProgressLine(bool wanted) {
    const char* env = std::getenv("FUNDTRACE_PROGRESS");
    tty_ = ::isatty(STDERR_FILENO) != 0;
    enabled_ = wanted && (tty_ || (env != nullptr && env[0] == '1'));
    start_ = last_ = Clock::now();
  }
  ~SynthProgressLine() {
    if (enabled_ && tty_ && drawn_) std::fprintf(stderr, "\r\033[K");
  }
  void Update(uint64_t done, uint64_t total) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (now - last_ < (tty_ ? std::chrono::milliseconds(500) : std::chrono::seconds(5))) return;
    last_ = now;
    const double secs = std::chrono::duration<double>(now - start_).count();
    const double rate = secs > 0 ? static_cast<double>(done) / secs : 0;
    const double eta = rate > 0 ? static_cast<double>(total - done) / rate : 0;
    std::fprintf(stderr, "%ssynth: %5.1f%%  %s of %s transfers  %.2fM/s  %.0f s left%s",
                 tty_ ? "\r" : "", 100.0 * static_cast<double>(done) / static_cast<double>(total),
                 FormatCount(done).c_str(), FormatCount(total).c_str(), rate / 1e6, eta,
                 tty_ ? "   " : "\n");
    std::fflush(stderr);
    drawn_ = true;
  }

 private:
  bool enabled_ = false;
  bool tty_ = false;
  bool drawn_ = false;
  Clock::time_point start_, last_;
};

std::string Whole(const synth::StolenAmount& s) {
  auto v = ParseBaseUnits(s.amount);
  return v.ok() ? FormatAmount(*v, s.decimals, /*group=*/true) + " " + s.asset : s.amount;
}

}  // namespace

int RunSynth(const GlobalOptions& g, const synth::SynthOptions& options) {
  const auto started = Clock::now();
  synth::SynthReport report;
  Status s;
  {
    SynthProgressLine line(g.progress && !g.json);
    s = synth::GenerateChain(options, &report,
                             [&line](uint64_t done, uint64_t total) { line.Update(done, total); });
  }
  if (!s.ok()) return ReportError(s);
  const double secs = std::chrono::duration<double>(Clock::now() - started).count();
  const double rate = secs > 0 ? static_cast<double>(report.counts.total()) / secs : 0;
  const std::string& out = options.out_dir;

  if (g.json) {
    auto manifest = ReadFileToString(out + "/synth.json");
    if (!manifest.ok()) return ReportError(manifest.status());
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(*manifest, nullptr, false);
    if (j.is_discarded()) return ReportError(Status::Corruption(out + "/synth.json: not JSON"));
    j["out"] = out;
    j["etl_dir"] = out + "/etl";
    j["seconds"] = secs;
    j["transfers_per_second"] = rate;
    std::printf("%s\n", j.dump(2).c_str());
    return kExitOk;
  }

  const auto& c = report.counts;
  std::printf("Wrote %s transfers (seed %llu) to %s in %.2f s: %.2fM transfers/s, %s.\n",
              FormatCount(c.total()).c_str(), static_cast<unsigned long long>(options.seed),
              out.c_str(), secs, rate / 1e6, FormatBytes(report.bytes).c_str());
  std::printf("  transfers: %s native, %s fee, %s internal, %s token\n",
              FormatCount(c.native).c_str(), FormatCount(c.fee).c_str(),
              FormatCount(c.internal).c_str(), FormatCount(c.token).c_str());
  std::printf("  txs: %s (%s failed) in %s blocks %s..%s\n", FormatCount(report.txs).c_str(),
              FormatCount(report.failed_txs).c_str(), FormatCount(report.blocks).c_str(),
              FormatCount(report.first_block).c_str(), FormatCount(report.last_block).c_str());
  std::printf("  users: %s; labels: %s; bridge events: %s\n", FormatCount(report.users).c_str(),
              FormatCount(report.labels).c_str(), FormatCount(report.bridge_events).c_str());
  std::printf(
      "  hacks: %zu, ground truth in %s/hacks/%s\n", report.hacks.size(), out.c_str(),
      report.hacks_skipped > 0
          ? (" (" + std::to_string(report.hacks_skipped) + " did not fit the budget)").c_str()
          : "");
  for (const auto& h : report.hacks) {
    std::string stolen;
    for (const auto& st : h.stolen) stolen += (stolen.empty() ? "" : " + ") + Whole(st);
    std::printf("    %s: %s txs, stole %s\n", h.name.c_str(), FormatCount(h.txs).c_str(),
                stolen.c_str());
  }
  if (options.parts == 1) {
    std::printf("Load it with: fundtrace ingest etl %s/etl\n", out.c_str());
  } else {
    std::printf(
        "Load it with: fundtrace ingest etl %s/etl/part-000, then part-001, … in order "
        "(or all at once: fundtrace ingest etl %s/etl)\n",
        out.c_str(), out.c_str());
  }
  return kExitOk;
}

CLI::App* AddSynthCommand(CLI::App& app, const GlobalOptions& g, std::function<int()>* run) {
  auto options = std::make_shared<synth::SynthOptions>();
  auto* cmd = app.add_subcommand(
      "synth",
      "Write a synthetic Ethereum-like chain with laundering scenarios and exact ground truth\n"
      "(an ethereum-etl export in OUT/etl, labels, and one JSON file per hack)");
  cmd->add_option("--transfers", options->transfers,
                  "Transfers the store will hold after `ingest etl OUT/etl`, exactly "
                  "(native + fee + internal + token; default 1000000)")
      ->check(CLI::Range(synth::kMinTransfers, uint64_t{1} << 40));
  cmd->add_option("--seed", options->seed, "Seed: the same seed writes the same bytes (default 1)");
  cmd->add_option("--out", options->out_dir, "Output directory (created if missing)")->required();
  cmd->add_option("--hacks", options->hacks,
                  "Number of hacks (default 3, plus one per 10M transfers, at most 20)")
      ->check(CLI::Range(0, 1000));
  cmd->add_option("--parts", options->parts,
                  "Split the export into this many consecutive block ranges (OUT/etl/part-NNN),\n"
                  "each loadable by its own `ingest etl` call, for chains too big for one batch")
      ->check(CLI::Range(1, 10000));
  cmd->add_flag("--force", options->overwrite, "Replace a synthetic chain already in --out");
  cmd->callback([options, &g, run] { *run = [options, &g] { return RunSynth(g, *options); }; });
  return cmd;
}

}  // namespace fundtrace
