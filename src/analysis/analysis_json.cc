#include "analysis/analysis_json.h"

#include <cmath>

#include "chain/address.h"

namespace fundtrace {
namespace {

using Json = nlohmann::json;

double Round2(double v) { return std::round(v * 100) / 100; }

std::string TxText(const ChainStore& store, TxId tx) {
  static const char* kHex = "0123456789abcdef";
  const Hash32 h = store.Tx(tx).hash;
  std::string s = store.chain() == Chain::kEthereum ? "0x" : "";
  for (size_t k = 0; k < h.size(); ++k) {
    uint8_t b = store.chain() == Chain::kBitcoin ? h[h.size() - 1 - k] : h[k];
    s += kHex[b >> 4];
    s += kHex[b & 15];
  }
  return s;
}

}  // namespace

std::string NativeAmountText(const ChainStore& store, const U256& amount) {
  std::string digits = ToDecimalString(amount);
  int decimals = std::max(0, store.Asset(kNativeAsset).decimals);
  if (decimals == 0) return digits;
  if (digits.size() <= static_cast<size_t>(decimals)) {
    digits.insert(0, static_cast<size_t>(decimals) + 1 - digits.size(), '0');
  }
  std::string out =
      digits.substr(0, digits.size() - decimals) + "." + digits.substr(digits.size() - decimals);
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  return out;
}

Json OverviewJson(const AddressOverview& o, const ChainStore& store) {
  std::string bal = NativeAmountText(store, o.balance);
  const bool negative = o.negative && bal != "0";
  const std::string symbol(NativeSymbol(store.chain()));
  const std::string net = negative ? "-" + bal : bal;
  // MistTrack's fields keep their meaning when the history is whole; when it is not (a negative
  // net flow), `balance` stays the window's net flow for old clients and the added fields say so.
  std::string note;
  if (negative) {
    note = "history before block " + std::to_string(o.data_first_block) +
           " (or outside the ingested histories) is not ingested; net flow in window " + net + " " +
           symbol;
  }
  return {{"asset", symbol},
          {"balance", net},
          {"history_incomplete", negative},
          {"net_flow", net},
          {"data_from_block", o.data_first_block},
          {"balance_note", note},
          {"txs_count", o.txs_count},
          {"first_seen", o.first_seen},
          {"last_seen", o.last_seen},
          {"first_tx", o.txs_count ? Json(TxText(store, o.first_tx)) : Json(nullptr)},
          {"last_tx", o.txs_count ? Json(TxText(store, o.last_tx)) : Json(nullptr)},
          {"total_received", NativeAmountText(store, o.total_received)},
          {"total_spent", NativeAmountText(store, o.total_spent)},
          {"fees", NativeAmountText(store, o.fees)},
          {"received_count", o.received_count},
          {"spent_count", o.spent_count}};
}

Json CounterpartiesJson(const std::vector<CounterpartyShare>& list, const ChainStore& store) {
  Json rows = Json::array();
  for (const auto& c : list) {
    std::string address = FormatAddress(c.address_key);
    rows.push_back({{"name", c.name.empty() ? address : c.name},
                    {"amount", NativeAmountText(store, c.amount)},
                    {"percent", Round2(c.percent)},
                    {"category", c.category.empty() ? Json(nullptr) : Json(c.category)},
                    {"address", address},
                    {"addresses", c.addresses},
                    {"received_from", NativeAmountText(store, c.received_from)},
                    {"sent_to", NativeAmountText(store, c.sent_to)},
                    {"transfers", c.transfers}});
  }
  return {{"address_counterparty_list", rows}, {"asset", std::string(NativeSymbol(store.chain()))}};
}

Json ActivityJson(const AddressActivity& a) {
  auto list = [](const std::vector<ActionCount>& v) {
    Json out = Json::array();
    for (const auto& c : v) {
      out.push_back(
          {{"action", c.action}, {"count", c.count}, {"proportion", Round2(c.proportion)}});
    }
    return out;
  };
  return {
      {"action_dic", {{"received_txs", list(a.received_txs)}, {"spent_txs", list(a.spent_txs)}}}};
}

Json ProfileJson(const AddressProfile& p, const ChainStore& store) {
  // MistTrack's names for the groups.
  auto key = [](const std::string& kind) -> std::string {
    if (kind == "nft_market") return "nft";
    if (kind == "ransomware") return "ransom";
    if (kind == "theft") return "stealing";
    if (kind == "money_laundering") return "laundering";
    return kind;
  };
  auto groups = [&](const std::vector<NamedGroup>& v) {
    Json out = Json::object();
    for (const auto& g : v) {
      out[key(g.kind)] = {{"count", g.names.size()}, {key(g.kind) + "_list", g.names}};
    }
    return out;
  };
  Json first = nullptr;
  if (p.first_funder != kNoAddress) {
    first = {{"address", FormatAddress(store.AddressKey(p.first_funder))},
             {"tx", TxText(store, p.first_funding_tx)},
             {"label", p.first_funder_label.empty() ? Json(nullptr) : Json(p.first_funder_label)}};
  }
  return {{"first_address", first},
          {"use_platform", groups(p.platforms)},
          {"malicious_event", groups(p.malicious)}};
}

}  // namespace fundtrace
