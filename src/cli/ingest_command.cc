#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "chain/hash.h"
#include "cli/commands.h"
#include "cli/format.h"
#include "ingest/btc_blocks.h"
#include "ingest/etherscan_csv.h"
#include "ingest/etl_csv.h"
#include "store/embedded_store.h"

namespace fundtrace {
namespace {

// Expands directories (recursively) to the files of the format, sorted for a stable order.
Result<std::vector<std::string>> ExpandPaths(const std::vector<std::string>& paths,
                                             const std::string& format) {
  namespace fs = std::filesystem;
  auto wanted = [&](const fs::path& p) {
    std::string name = p.filename().string();
    if (format == "btc") {
      return (name.rfind("blk", 0) == 0 && p.extension() == ".dat") || p.extension() == ".raw";
    }
    return p.extension() == ".csv" || (name.size() > 7 && name.substr(name.size() - 7) == ".csv.gz");
  };
  std::vector<std::string> out;
  for (const auto& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(path, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file() && wanted(it->path())) found.push_back(it->path().string());
      }
      if (ec) return Status::IOError("cannot list " + path + ": " + ec.message());
      std::sort(found.begin(), found.end());
      if (found.empty()) {
        return Status::NotFound("no " + std::string(format == "btc" ? "blk*.dat / *.raw" : "*.csv / *.csv.gz") +
                                " files under " + path);
      }
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::exists(path, ec)) {
      out.push_back(path);
    } else {
      return Status::NotFound(path + ": no such file or directory");
    }
  }
  return out;
}

}  // namespace

int RunIngest(const GlobalOptions& g, const std::string& format,
              const std::vector<std::string>& paths, bool skip_bad, const std::string& xor_key,
              bool verify_merkle_root) {
  Chain chain = format == "btc" ? Chain::kBitcoin : Chain::kEthereum;
  auto files = ExpandPaths(paths, format);
  if (!files.ok()) return ReportError(files.status());
  BtcReaderOptions reader_options;
  reader_options.verify_merkle_root = verify_merkle_root;
  if (!xor_key.empty()) {
    std::string bytes;
    if (!FromHex(xor_key, &bytes) || bytes.size() != 8) {
      return ReportError(Status::InvalidArgument("--xor-key must be 16 hex digits (8 bytes), got '" + xor_key + "'"));
    }
    BtcXorKey key;
    std::copy(bytes.begin(), bytes.end(), key.begin());
    reader_options.xor_key = key;
  }
  auto store = EmbeddedChainStore::Open(g.data_dir, chain, /*create=*/true);
  if (!store.ok()) return ReportError(store.status());
  auto started = std::chrono::steady_clock::now();
  ChainStats before = (*store)->Stats();
  auto batch = (*store)->NewBatch();
  IngestOptions options;
  options.skip_bad = skip_bad;
  options.progress = g.progress && !g.json;
  IngestReport report;
  Status s;
  if (format == "etherscan") s = IngestEtherscanCsv(*files, batch.get(), options, &report);
  else if (format == "etl") s = IngestEtlCsv(*files, batch.get(), options, &report);
  else s = IngestBtcBlocks(*files, store->get(), batch.get(), reader_options, options, &report);
  if (!s.ok()) return ReportError(s);
  s = batch->Commit(&report.committed);
  if (!s.ok()) return ReportError(s.WithContext("could not store the batch (the store is unchanged)"));
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ChainStats after = (*store)->Stats();
  const CommitStats& c = report.committed;
  if (g.json) {
    nlohmann::json j = {
        {"chain", std::string(ChainName(chain))}, {"format", format},
        {"files", report.files}, {"records", report.records},
        {"skipped_bad", report.skipped_bad}, {"skipped_other", report.skipped_other},
        {"errors", report.errors}, {"notes", report.notes}, {"inputs", report.inputs}, {"seconds", secs},
        {"added", {{"transfers", c.transfers}, {"txs", c.txs}, {"addresses", c.addresses},
                   {"blocks", c.blocks}, {"assets", c.assets},
                   {"unresolved_inputs", c.unresolved_inputs},
                   {"duplicate_transfers", c.duplicate_transfers}}},
        {"store", {{"transfers", after.transfers}, {"txs", after.txs},
                   {"addresses", after.addresses}, {"blocks", after.blocks}}}};
    std::printf("%s\n", j.dump(2).c_str());
    return kExitOk;
  }
  std::printf("Read %s %s from %s file%s in %.2f s.\n", FormatCount(report.records).c_str(),
              format == "btc" ? "blocks" : "rows", FormatCount(report.files).c_str(),
              report.files == 1 ? "" : "s", secs);
  std::printf("Added %s transfers, %s txs, %s addresses, %s blocks (%s duplicates already stored or repeated).\n",
              FormatCount(c.transfers).c_str(), FormatCount(c.txs).c_str(),
              FormatCount(c.addresses).c_str(), FormatCount(c.blocks).c_str(),
              FormatCount(c.duplicate_transfers).c_str());
  if (c.unresolved_inputs) {
    std::printf("%s inputs spend outputs not in the store: stored as unresolved.\n",
                FormatCount(c.unresolved_inputs).c_str());
  }
  if (report.skipped_bad) {
    std::printf("Skipped %s bad records (--skip-bad). First ones:\n", FormatCount(report.skipped_bad).c_str());
    for (const auto& e : report.errors) std::printf("  %s\n", e.c_str());
  }
  for (const auto& n : report.notes) std::printf("Note: %s\n", n.c_str());
  std::printf("Store %s (%s): %s transfers, %s txs, %s addresses (was %s transfers).\n",
              g.data_dir.c_str(), std::string(ChainName(chain)).c_str(),
              FormatCount(after.transfers).c_str(), FormatCount(after.txs).c_str(),
              FormatCount(after.addresses).c_str(), FormatCount(before.transfers).c_str());
  return kExitOk;
}

}  // namespace fundtrace
