// fundtrace: the command-line entry point. Parses arguments and dispatches to src/cli/*.cc.
#include <CLI/CLI.hpp>
#include <cstdlib>

#include "cli/commands.h"
#include "cli/labels_commands.h"
#include "cli/risk_commands.h"
#include "cli/serve_command.h"
#include "cli/synth_command.h"
#include "cli/trace_command.h"

int main(int argc, char** argv) {
  using fundtrace::GlobalOptions;
  CLI::App app{
      "fundtrace — open-source crypto fund tracing and AML engine.\n"
      "Loads chain data into a fast local store and answers questions about addresses and txs.",
      "fundtrace"};
  app.require_subcommand(1);
  app.footer(
      "Examples:\n"
      "  fundtrace ingest etherscan ../shared/data/eth/phishing-accounts\n"
      "  fundtrace ingest etl transactions.csv token_transfers.csv traces.csv.gz\n"
      "  fundtrace ingest btc ~/.bitcoin/blocks/blk00000.dat\n"
      "  fundtrace stats\n"
      "  fundtrace address 0x002f0c8119c16d310342d869ca8bf6ace34d9c39\n"
      "  fundtrace tx 0x286a326e66111236189a450357a215218d4164b859414603dc8b7b7111ca8452\n\n"
      "Exit codes: 0 ok, 2 bad command line, 3 bad input data (nothing stored), 4 not found,\n"
      "5 I/O error or damaged store.\n"
      "Run `fundtrace COMMAND --help` for a command's options.");
  GlobalOptions g;
  if (const char* env = std::getenv("FUNDTRACE_DATA")) g.data_dir = env;
  app.add_option("--data", g.data_dir, "Data directory (default ./fundtrace-data, or $FUNDTRACE_DATA)");
  app.add_flag("--json", g.json, "Print JSON for programs instead of tables");
  bool no_progress = false;
  app.add_flag("--no-progress", no_progress, "Do not draw progress lines on stderr");

  std::string format, xor_key, chain;
  std::vector<std::string> paths;
  bool skip_bad = false;
  auto* ingest = app.add_subcommand("ingest", "Load chain data files into the store (repeatable: data already stored is not added twice)");
  ingest->add_option("format", format,
                     "etherscan: Etherscan account-history CSVs (one per account)\n"
                     "etl: ethereum-etl CSV/CSV.gz (transactions, token_transfers, traces, blocks, tokens)\n"
                     "btc: Bitcoin Core blk*.dat files (also XOR-obfuscated, with xor.dat) or raw blocks")
      ->required()
      ->check(CLI::IsMember({"etherscan", "etl", "btc"}));
  ingest->add_option("paths", paths, "Files or directories (searched recursively)")->required();
  ingest->add_flag("--skip-bad", skip_bad, "Skip malformed records (counted and listed) instead of failing");
  bool no_merkle_check = false;
  ingest->add_flag("--no-merkle-check", no_merkle_check,
                   "btc: accept blocks whose transactions do not hash to the header's merkle root\n"
                   "(damaged or edited block files; by default such a block is an error)");
  ingest->add_option("--xor-key", xor_key, "btc: obfuscation key as 16 hex digits (default: read xor.dat beside the file)");

  auto* stats = app.add_subcommand("stats", "Show what the store holds per chain: blocks, txs, transfers, addresses, size");

  auto* reindex = app.add_subcommand(
      "reindex",
      "Write the derived indexes a store lacks (the flow index risk scores read: one entry per\n"
      "address and counterparty). Ingest writes them itself; this upgrades a store written by an\n"
      "older fundtrace. Takes the writer's lock; safe to interrupt.");

  std::string address;
  size_t top = 10;
  auto* addr = app.add_subcommand("address", "Balances, first/last activity, totals and top counterparties of an address");
  addr->add_option("address", address, "0x… (Ethereum), 1…/3…/bc1… (Bitcoin)")->required();
  addr->add_option("--chain", chain, "eth, btc or trx (default: from the address's form)");
  addr->add_option("--top", top, "Counterparties to show per asset (default 10)");

  std::string hash;
  auto* tx = app.add_subcommand("tx", "The transfers of a transaction");
  tx->add_option("hash", hash, "Tx hash (Ethereum 0x…, Bitcoin txid as explorers show it)")->required();
  tx->add_option("--chain", chain, "eth, btc or trx (default: search every chain)");

  // Command groups that register themselves set `run` when they are the chosen command.
  std::function<int()> run;
  fundtrace::AddSynthCommand(app, g, &run);
  fundtrace::AddTraceCommand(app, g, &run);
  fundtrace::AddLabelCommands(app, g, &run);
  fundtrace::AddRiskCommands(app, g, &run);
  fundtrace::AddProfileCommand(app, g, &run);
  fundtrace::AddServeCommand(app, g, &run);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : fundtrace::kExitUsage;
  }
  g.progress = !no_progress;
  if (run) return run();
  if (*ingest) return fundtrace::RunIngest(g, format, paths, skip_bad, xor_key, !no_merkle_check);
  if (*stats) return fundtrace::RunStats(g);
  if (*reindex) return fundtrace::RunReindex(g);
  if (*addr) return fundtrace::RunAddress(g, address, chain, top);
  if (*tx) return fundtrace::RunTx(g, hash, chain);
  return fundtrace::kExitUsage;
}
