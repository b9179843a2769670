#include "risk/risk_json.h"

#include <cmath>
#include <cstdio>

#include "chain/address.h"

namespace fundtrace {
namespace {

using Json = nlohmann::json;

std::string HexHash(const Hash32& h, Chain chain) {
  static const char* kHex = "0123456789abcdef";
  std::string s = chain == Chain::kEthereum ? "0x" : "";
  if (chain == Chain::kBitcoin) {
    for (size_t i = h.size(); i-- > 0;) {
      s += kHex[h[i] >> 4];
      s += kHex[h[i] & 15];
    }
  } else {
    for (uint8_t b : h) {
      s += kHex[b >> 4];
      s += kHex[b & 15];
    }
  }
  return s;
}

// Rounded for people and stable across platforms: 6 significant decimals.
double Round(double v, int digits) {
  double f = std::pow(10.0, digits);
  return std::round(v * f) / f;
}

}  // namespace

Json PathJson(const std::vector<PathStep>& path, const ChainStore& store) {
  Json out = Json::array();
  for (size_t i = 0; i < path.size(); ++i) {
    out.push_back({{"hop", i + 1},
                   {"address", FormatAddress(store.AddressKey(path[i].address))},
                   {"tx", HexHash(store.Tx(path[i].tx).hash, store.chain())}});
  }
  return out;
}

Json RiskReportJson(const RiskReport& r, const ChainStore* store) {
  Json details = Json::array();
  for (const RiskDetail& d : r.details) {
    Json hop_dic = Json::object();
    Json path = Json::array();
    if (store) {
      path = PathJson(d.path, *store);
      for (const auto& step : path) {
        hop_dic[std::to_string(step["hop"].get<int>())] = Json::array({step["address"]});
      }
    }
    details.push_back({{"entity", d.entity},
                       {"risk_type", d.weight->risk_type},
                       {"exposure_type", d.hop == 1 ? "direct" : "indirect"},
                       {"hop_num", d.hop},
                       {"hop_dic", hop_dic},
                       {"volume", Round(d.volume, 6)},
                       {"percent", Round(d.share * 100, 3)},
                       {"category", d.weight->id},
                       {"direction", d.incoming ? "incoming" : "outgoing"},
                       // Outgoing exposure to what victims pay (theft, phishing, ...) is evidence
                       // only: its weight is 0 (docs/risk.md).
                       {"scored", d.scored},
                       {"address", FormatAddress(d.address_key)},
                       {"label", d.label},
                       {"source", d.source},
                       {"addresses", d.addresses},
                       {"path", path}});
  }
  Json own = Json::array();
  for (const OwnRisk& o : r.own) {
    own.push_back({{"category", o.weight->id},
                   {"risk_type", o.weight->risk_type},
                   {"score", o.weight->own},
                   {"label", o.label},
                   {"entity", o.entity.empty() ? Json(nullptr) : Json(o.entity)},
                   {"source", o.source.empty() ? Json(nullptr) : Json(o.source)},
                   {"confidence", o.confidence}});
  }
  Json cut = Json::array();
  for (const HopStats& h : r.exposure.hops) {
    cut.push_back({{"direction", h.incoming ? "incoming" : "outgoing"},
                   {"hop", h.hop},
                   {"expanded", h.expanded},
                   {"flows", h.flows},
                   {"counterparties", h.counterparties},
                   {"labelled", h.labelled},
                   {"cut", h.cut},
                   {"hubs", h.hubs},
                   {"cut_percent", Round(h.cut_share * 100, 3)}});
  }
  std::string asset = store ? std::string(NativeSymbol(store->chain())) : "";
  return {{"score", r.score},
          {"risk_level", r.level},
          {"hacking_event", r.hacking_event},
          {"detail_list", r.detail_list},
          {"risk_detail", details},
          {"address_label", r.label},
          {"risk_report_url", nullptr},
          {"own_risks", own},
          {"in_store", r.in_store},
          {"exposure",
           {{"asset", asset},
            {"received", Round(r.exposure.received, 9)},
            {"sent", Round(r.exposure.sent, 9)},
            {"hops", cut}}}};
}

}  // namespace fundtrace
