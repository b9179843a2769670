#include <cstdio>
#include <nlohmann/json.hpp>

#include "analysis/address_summary.h"
#include "labels/label_store.h"
#include "labels/screener.h"
#include "chain/address.h"
#include "chain/hash.h"
#include "cli/chain_flag.h"
#include "cli/commands.h"
#include "cli/format.h"
#include "store/embedded_store.h"

namespace fundtrace {
namespace {

using Json = nlohmann::json;

std::vector<Chain> AllChains() { return {Chain::kEthereum, Chain::kBitcoin, Chain::kTron}; }

// The chains with data in the directory, opened read-only in spirit (no batch is started).
std::vector<std::unique_ptr<EmbeddedChainStore>> OpenPresent(const GlobalOptions& g, Status* error) {
  std::vector<std::unique_ptr<EmbeddedChainStore>> out;
  for (Chain c : AllChains()) {
    auto s = EmbeddedChainStore::OpenReadOnly(g.data_dir, c);
    if (s.ok()) {
      ChainStats st = (*s)->Stats();
      if (st.txs == 0 && st.transfers == 0 && st.addresses == 0) continue;  // nothing ingested yet
      out.push_back(std::move(*s));
    } else if (!s.status().IsNotFound()) {
      *error = s.status();
      return {};
    }
  }
  return out;
}

Json TransferJson(const ChainStore& store, const Transfer& t) {
  Json j = {{"block", t.block},
            {"tx", TxHashText(store.chain(), store.Tx(t.tx).hash)},
            {"kind", TransferKindName(t.kind())},
            {"seq", t.seq()},
            {"from", t.from == kNoAddress ? Json(nullptr) : Json(AddressText(store, t.from))},
            {"to", t.to == kNoAddress ? Json(nullptr) : Json(AddressText(store, t.to))},
            {"asset", AssetSymbol(store, t.asset)},
            {"amount", ToDecimalString(t.amount)},
            {"amount_text", FormatAssetAmount(store, t.asset, t.amount)}};
  if (t.kind() == TransferKind::kUtxoIn) {
    j["unresolved"] = t.unresolved();
    if (!t.unresolved()) {
      j["spends"] = TxHashText(store.chain(), store.Tx(static_cast<TxId>(t.prevout >> 32)).hash) +
                    ":" + std::to_string(static_cast<uint32_t>(t.prevout));
    }
  }
  return j;
}

// The winning tag's "label (category[/abuse], source)" of each key, "" when it has none or
// when the data directory has no labels yet (labels are optional for every query).
std::vector<std::string> LabelTexts(const GlobalOptions& g, Chain chain,
                                    const std::vector<std::string>& keys,
                                    std::vector<nlohmann::json>* json) {
  std::vector<std::string> out(keys.size());
  json->assign(keys.size(), Json::array());
  auto store = LabelStore::Open(g.data_dir);
  if (!store.ok()) return out;
  auto tags = (*store)->TagsOfMany(chain, keys);
  if (!tags.ok()) return out;
  for (size_t i = 0; i < keys.size(); ++i) {
    const auto& list = (*tags)[i];
    for (const Tag& t : list) {
      (*json)[i].push_back({{"label", t.label}, {"entity", t.entity}, {"category", t.category},
                            {"abuse", t.abuse}, {"source", t.source},
                            {"confidence", t.confidence}});
    }
    if (list.empty()) continue;
    const Tag& w = list.front();
    std::string cat = w.category + (w.abuse.empty() ? "" : "/" + w.abuse);
    out[i] = (w.label.empty() ? w.entity : w.label) + " (" + cat + ", " + w.source + ")";
    if (list.size() > 1) out[i] += " +" + std::to_string(list.size() - 1) + " more";
  }
  return out;
}

}  // namespace

int ReportError(const Status& status) {
  std::fprintf(stderr, "fundtrace: %s\n", status.message().c_str());
  switch (status.code()) {
    case Status::Code::kOk: return kExitOk;
    case Status::Code::kInvalidArgument: return kExitBadInput;
    case Status::Code::kNotFound: return kExitNotFound;
    default: return kExitFailure;
  }
}

int RunStats(const GlobalOptions& g) {
  Status error;
  auto stores = OpenPresent(g, &error);
  if (!error.ok()) return ReportError(error);
  if (stores.empty()) {
    return ReportError(Status::NotFound("no data in " + g.data_dir +
                                        " yet: load some with `fundtrace ingest` (see --help)"));
  }
  Json chains = Json::array();
  Table table({"chain", "blocks", "block range", "txs", "transfers", "addresses", "assets",
               "unresolved inputs", "on disk"},
              {1, 3, 4, 5, 6, 7, 8});
  uint64_t total_bytes = 0;
  std::string missing_flows;
  for (const auto& s : stores) {
    ChainStats st = s->Stats();
    total_bytes += st.bytes_on_disk;
    chains.push_back({{"chain", std::string(ChainName(s->chain()))}, {"blocks", st.blocks},
                      {"min_block", st.min_block}, {"max_block", st.max_block},
                      {"txs", st.txs}, {"transfers", st.transfers},
                      {"addresses", st.addresses}, {"assets", st.assets},
                      {"unresolved_inputs", st.unresolved_inputs}, {"segments", st.segments},
                      {"flow_files", st.flow_files}, {"bytes_on_disk", st.bytes_on_disk}});
    if (s->chain() != Chain::kBitcoin && st.flow_files < st.segments) {
      missing_flows += std::string(ChainName(s->chain())) + ": " +
                       std::to_string(st.segments - st.flow_files) + " of " +
                       std::to_string(st.segments) + " segments have no flow index; run "
                       "`fundtrace reindex` (risk scores read every transfer until then)\n";
    }
    table.Add({std::string(ChainName(s->chain())), FormatCount(st.blocks),
               std::to_string(st.min_block) + "–" + std::to_string(st.max_block),
               FormatCount(st.txs), FormatCount(st.transfers), FormatCount(st.addresses),
               FormatCount(st.assets), FormatCount(st.unresolved_inputs),
               FormatBytes(st.bytes_on_disk)});
  }
  if (g.json) {
    std::printf("%s\n", Json({{"data_dir", g.data_dir}, {"bytes_on_disk", total_bytes},
                              {"chains", chains}}).dump(2).c_str());
    return kExitOk;
  }
  std::printf("Store %s, %s on disk\n\n%s", g.data_dir.c_str(), FormatBytes(total_bytes).c_str(),
              table.ToString().c_str());
  if (!missing_flows.empty()) std::printf("\n%s", missing_flows.c_str());
  return kExitOk;
}

int RunReindex(const GlobalOptions& g) {
  Status error;
  auto present = OpenPresent(g, &error);
  if (!error.ok()) return ReportError(error);
  if (present.empty()) {
    return ReportError(Status::NotFound("no data in " + g.data_dir +
                                        " yet: load some with `fundtrace ingest` (see --help)"));
  }
  Json chains = Json::array();
  for (const auto& r : present) {
    Chain c = r->chain();
    auto s = EmbeddedChainStore::Open(g.data_dir, c, /*create=*/false);
    if (!s.ok()) return ReportError(s.status());
    if (g.progress && !g.json) {
      std::fprintf(stderr, "%s: indexing flows of %llu segments…\n", ChainName(c).data(),
                   static_cast<unsigned long long>((*s)->Stats().segments));
    }
    uint64_t built = 0;
    Status st = (*s)->BuildMissingFlows(&built);
    if (!st.ok()) return ReportError(st);
    chains.push_back({{"chain", std::string(ChainName(c))}, {"flow_files_written", built}});
    if (!g.json) {
      std::printf("%s: %llu flow files written%s\n", ChainName(c).data(),
                  static_cast<unsigned long long>(built),
                  c == Chain::kBitcoin ? " (a UTXO chain has no flow index)"
                  : built == 0         ? " (already complete)"
                                       : "");
    }
  }
  if (g.json) std::printf("%s\n", Json({{"chains", chains}}).dump(2).c_str());
  return kExitOk;
}

int RunAddress(const GlobalOptions& g, const std::string& address, const std::string& chain_name,
               size_t top) {
  auto chain = ChainOption(chain_name, address);
  if (!chain.ok()) return ReportError(chain.status());
  auto key = ParseAddress(*chain, address);
  if (!key.ok()) return ReportError(key.status());
  auto store = EmbeddedChainStore::OpenReadOnly(g.data_dir, *chain);
  if (!store.ok()) return ReportError(store.status());
  const ChainStore& st = **store;
  auto id = st.FindAddress(*key);
  std::string text = FormatAddress(*key);
  if (!id) {
    return ReportError(Status::NotFound(text + " has no transfers in the " +
                                        std::string(ChainName(*chain)) + " data of " +
                                        g.data_dir + " (check the address, or ingest its history)"));
  }
  auto sum = SummarizeAddress(st, *id, top);
  if (!sum.ok()) return ReportError(sum.status());
  // Labels of the address (index 0) and of its counterparties, in one look-up.
  std::vector<std::string> label_keys = {*key};
  for (const auto& c : sum->top_counterparties) label_keys.push_back(st.AddressKey(c.address));
  std::vector<Json> label_json;
  std::vector<std::string> labels = LabelTexts(g, *chain, label_keys, &label_json);
  const TxInfo first = st.Tx(sum->first_tx), last = st.Tx(sum->last_tx);
  if (g.json) {
    Json assets = Json::array();
    for (const auto& [asset, f] : sum->assets) {
      std::string bal = ToDecimalString(f.balance);
      assets.push_back({{"asset", AssetSymbol(st, asset)},
                        {"contract", st.Asset(asset).contract.empty() ? Json(nullptr) : Json(FormatAddress(st.Asset(asset).contract))},
                        {"decimals", st.Asset(asset).decimals},
                        {"received", ToDecimalString(f.received)}, {"sent", ToDecimalString(f.sent)},
                        {"fees", ToDecimalString(f.fees)},
                        {"balance", f.negative ? "-" + bal : bal},
                        {"transfers_in", f.transfers_in}, {"transfers_out", f.transfers_out}});
    }
    Json cps = Json::array();
    for (size_t i = 0; i < sum->top_counterparties.size(); ++i) {
      const Counterparty& c = sum->top_counterparties[i];
      cps.push_back({{"address", AddressText(st, c.address)}, {"labels", label_json[i + 1]},
                     {"asset", AssetSymbol(st, c.asset)},
                     {"received_from", ToDecimalString(c.received_from)},
                     {"sent_to", ToDecimalString(c.sent_to)}, {"transfers", c.transfers}});
    }
    Json j = {{"chain", std::string(ChainName(*chain))}, {"address", text},
              {"labels", label_json[0]},
              {"txs", sum->txs}, {"failed_txs", sum->failed_txs},
              {"first_seen", {{"block", first.block}, {"time", first.time}, {"tx", TxHashText(*chain, first.hash)}}},
              {"last_seen", {{"block", last.block}, {"time", last.time}, {"tx", TxHashText(*chain, last.hash)}}},
              {"assets", assets}, {"top_counterparties", cps}};
    if (*chain == Chain::kBitcoin) j["unresolved_inputs_in_its_txs"] = sum->unresolved_inputs;
    std::printf("%s\n", j.dump(2).c_str());
    return kExitOk;
  }
  std::printf("Address     %s (%s)\n", text.c_str(), std::string(ChainName(*chain)).c_str());
  if (!labels[0].empty()) std::printf("Label       %s\n", labels[0].c_str());
  std::printf("Activity    %s txs", FormatCount(sum->txs).c_str());
  if (sum->failed_txs) std::printf(", %s failed", FormatCount(sum->failed_txs).c_str());
  std::printf("\nFirst seen  block %s, %s\n            tx %s\n", FormatCount(first.block).c_str(),
              FormatTime(first.time).c_str(), TxHashText(*chain, first.hash).c_str());
  std::printf("Last seen   block %s, %s\n            tx %s\n\n", FormatCount(last.block).c_str(),
              FormatTime(last.time).c_str(), TxHashText(*chain, last.hash).c_str());
  Table flows({"asset", "received", "sent", "fees", "balance", "in", "out"}, {1, 2, 3, 4, 5, 6});
  for (const auto& [asset, f] : sum->assets) {
    flows.Add({AssetSymbol(st, asset), FormatAssetAmount(st, asset, f.received),
               FormatAssetAmount(st, asset, f.sent), FormatAssetAmount(st, asset, f.fees),
               (f.negative ? "-" : "") + FormatAssetAmount(st, asset, f.balance),
               FormatCount(f.transfers_in), FormatCount(f.transfers_out)});
  }
  std::printf("%s", flows.ToString().c_str());
  bool any_negative = false;
  for (const auto& [asset, f] : sum->assets) any_negative |= f.negative;
  if (any_negative) {
    std::printf("(a negative balance means the store holds only part of this address's history)\n");
  }
  if (*chain == Chain::kBitcoin && sum->unresolved_inputs) {
    std::printf("(%s inputs in its txs spend outputs not in the store: their amounts are unknown)\n",
                FormatCount(sum->unresolved_inputs).c_str());
  }
  if (!sum->top_counterparties.empty()) {
    Table cp({"counterparty", "label", "asset", "received from", "sent to", "transfers"}, {3, 4, 5});
    for (size_t i = 0; i < sum->top_counterparties.size(); ++i) {
      const Counterparty& c = sum->top_counterparties[i];
      cp.Add({AddressText(st, c.address), labels[i + 1].empty() ? "-" : labels[i + 1],
              AssetSymbol(st, c.asset),
              FormatAssetAmount(st, c.asset, c.received_from),
              FormatAssetAmount(st, c.asset, c.sent_to), FormatCount(c.transfers)});
    }
    std::printf("\nTop counterparties by value\n%s", cp.ToString().c_str());
  }
  return kExitOk;
}

int RunTx(const GlobalOptions& g, const std::string& hash_text, const std::string& chain_name) {
  auto flag = ChainFlag(chain_name);
  if (!flag.ok()) return ReportError(flag.status());
  std::vector<Chain> chains = *flag ? std::vector<Chain>{**flag} : AllChains();
  Hash32 probe;
  if (!ParseTxHashText(Chain::kEthereum, hash_text, &probe)) {
    return ReportError(Status::InvalidArgument("'" + hash_text + "' is not a tx hash (64 hex digits, 0x optional)"));
  }
  for (Chain chain : chains) {
    auto store = EmbeddedChainStore::OpenReadOnly(g.data_dir, chain);
    if (!store.ok()) {
      if (store.status().IsNotFound()) continue;
      return ReportError(store.status());
    }
    const ChainStore& st = **store;
    Hash32 hash;
    ParseTxHashText(chain, hash_text, &hash);
    auto id = st.FindTx(hash);
    if (!id) continue;
    TxInfo info = st.Tx(*id);
    std::vector<Transfer> rows;
    const TxId ids[1] = {*id};
    Status s = st.TransfersOfTxs(ids, &rows);
    if (!s.ok()) return ReportError(s);
    if (g.json) {
      Json list = Json::array();
      for (const auto& t : rows) list.push_back(TransferJson(st, t));
      Json j = {{"chain", std::string(ChainName(chain))}, {"tx", TxHashText(chain, info.hash)},
                {"block", info.block}, {"time", info.time}, {"status", TxStatusName(info.status)},
                {"position", info.pos < 0x80000000u ? Json(info.pos) : Json(nullptr)},
                {"transfers", list}};
      std::printf("%s\n", j.dump(2).c_str());
      return kExitOk;
    }
    std::printf("Tx      %s (%s)\nBlock   %s, %s\nStatus  %s\n\n", TxHashText(chain, info.hash).c_str(),
                std::string(ChainName(chain)).c_str(), FormatCount(info.block).c_str(),
                FormatTime(info.time).c_str(), TxStatusName(info.status));
    Table t({"#", "kind", "from", "to", "amount", "asset"}, {0, 4});
    for (const auto& r : rows) {
      std::string from = AddressText(st, r.from);
      if (r.unresolved()) from = "(unresolved input)";
      t.Add({std::to_string(r.seq()), TransferKindName(r.kind()), from, AddressText(st, r.to),
             r.unresolved() ? "?" : FormatAssetAmount(st, r.asset, r.amount), AssetSymbol(st, r.asset)});
    }
    std::printf("%s", t.ToString().c_str());
    return kExitOk;
  }
  return ReportError(Status::NotFound("tx " + hash_text + " is not in " + g.data_dir));
}

}  // namespace fundtrace
