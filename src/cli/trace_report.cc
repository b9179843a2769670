#include "cli/trace_report.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>

#include "chain/address.h"
#include "cli/format.h"
#include "trace/holding.h"
#include "util/file_util.h"

namespace fundtrace {

namespace {
using Json = nlohmann::json;

std::string Hash(const ChainStore& store, TxId tx) {
  return TxHashText(store.chain(), store.Tx(tx).hash);
}

Json Amounts(const ChainStore& store, const TraceAmounts& a) {
  Json j = Json::object();
  for (const auto& [asset, v] : a.by_asset) j[AssetKeyText(store, asset)] = ToDecimalString(v);
  return j;
}

Json Txs(const ChainStore& store, const std::vector<TxId>& txs) {
  Json j = Json::array();
  for (TxId t : txs) j.push_back(Hash(store, t));
  return j;
}

std::string Name(const TraceNode& n) {
  if (!n.label.empty()) return n.label;
  return n.entity;
}

// Share of a in b as "12.34%".
std::string Percent(const U256& a, const U256& b) {
  if (b == 0) return "-";
  U256 bp = MulDiv(a, U256(1000000), b);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%",
                static_cast<double>(bp.convert_to<uint64_t>()) / 10000.0);
  return buf;
}
}  // namespace

std::string AssetKeyText(const ChainStore& store, AssetId asset) {
  const AssetInfo& info = store.Asset(asset);
  if (info.contract.empty()) return AssetSymbol(store, asset);
  return FormatAddress(info.contract);
}

Json TraceToJson(const ChainStore& store, const TraceResult& r) {
  const TraceOptions& o = r.options;
  Json j;
  j["chain"] = std::string(ChainName(store.chain()));
  j["direction"] = o.backward ? "backward" : "forward";
  j["policy"] = TracePolicyName(o.policy);
  Json seeds;
  seeds["addresses"] = Json::array();
  for (AddressId a : o.seeds.addresses) seeds["addresses"].push_back(AddressText(store, a));
  seeds["txs"] = Txs(store, o.seeds.txs);
  seeds["outputs"] = Json::array();
  for (uint64_t op : o.seeds.outputs) {
    seeds["outputs"].push_back(Hash(store, static_cast<TxId>(op >> 32)) + ":" +
                               std::to_string(op & 0xFFFFFFFFu));
  }
  j["seeds"] = seeds;
  j["window"] = {{"first_block", o.blocks.first}, {"last_block", o.blocks.last}};
  j["limits"] = {{"hops", o.max_hops},
                 {"dust_ratio", o.dust_ratio},
                 {"max_addresses", o.max_addresses},
                 {"max_history", o.max_history},
                 {"stop_categories", o.stop_categories},
                 {"infer_deposit_addresses", o.infer_deposit_addresses}};
  Json cons = Json::array();
  for (const auto& [asset, c] : r.conservation) {
    const AssetInfo& info = store.Asset(asset);
    cons.push_back({{"asset", AssetKeyText(store, asset)},
                    {"symbol", AssetSymbol(store, asset)},
                    {"decimals", info.decimals},
                    {"seeded", ToDecimalString(c.seeded)},
                    {"absorbed", ToDecimalString(c.absorbed)},
                    {"swapped_in", ToDecimalString(c.swapped_in)},
                    {"held", ToDecimalString(c.held)},
                    {"endpoints", ToDecimalString(c.endpoints)},
                    {"dust", ToDecimalString(c.dust)},
                    {"fees", ToDecimalString(c.fees)},
                    {"cut", ToDecimalString(c.cut)},
                    {"swapped_out", ToDecimalString(c.swapped_out)},
                    {"balanced", c.balanced()}});
  }
  j["conservation"] = cons;
  j["balanced"] = r.balanced();
  Json eps = Json::array();
  for (const TraceEndpoint& e : r.endpoints) {
    eps.push_back({{"address", AddressText(store, e.address)},
                   {"entity", e.entity},
                   {"category", e.category},
                   {"label", e.label},
                   {"inferred_deposit", e.inferred_deposit},
                   {"asset", AssetKeyText(store, e.asset)},
                   {"symbol", AssetSymbol(store, e.asset)},
                   {"amount", ToDecimalString(e.amount)},
                   {"transfers", e.transfers},
                   {"first_time", e.first_time},
                   {"last_time", e.last_time},
                   {"first_tx", Hash(store, e.first_tx)},
                   {"last_tx", Hash(store, e.last_tx)},
                   {"txs", Txs(store, e.txs)}});
  }
  j["endpoints"] = eps;
  Json nodes = Json::array();
  for (const TraceNode& n : r.nodes) {
    Json jn = {{"address", AddressText(store, n.address)},
               {"hop", n.hop},
               {"role", NodeRoleName(n.role)},
               {"label", n.label},
               {"entity", n.entity},
               {"category", n.category},
               {"received", Amounts(store, n.received)},
               {"sent", Amounts(store, n.sent)},
               {"held", Amounts(store, n.held)}};
    if (!n.cut_reason.empty()) jn["cut_reason"] = n.cut_reason;
    if (n.inferred_deposit) jn["inferred_deposit"] = true;
    nodes.push_back(std::move(jn));
  }
  j["nodes"] = nodes;
  Json edges = Json::array();
  for (const TraceEdge& e : r.edges) {
    edges.push_back({{"from", AddressText(store, e.from)},
                     {"to", AddressText(store, e.to)},
                     {"asset", AssetKeyText(store, e.asset)},
                     {"amount", ToDecimalString(e.amount)},
                     {"transfers", e.transfers},
                     {"txs", Txs(store, e.txs)}});
  }
  j["edges"] = edges;
  const TraceStats& s = r.stats;
  j["stats"] = {{"txs_processed", s.txs_processed},
                {"events_processed", s.events_processed},
                {"addresses_fetched", s.addresses_fetched},
                {"transfers_fetched", s.transfers_fetched},
                {"swaps", s.swaps},
                {"unknown_origin_topups", s.unknown_origin_topups},
                {"cut_hops", s.cut_hops},
                {"cut_addresses", s.cut_addresses},
                {"cut_history", s.cut_history},
                {"cut_unresolved", s.cut_unresolved},
                {"first_block", s.first_block},
                {"last_block", s.last_block},
                {"seconds", s.seconds}};
  return j;
}

std::string TraceToTable(const ChainStore& store, const TraceResult& r, size_t max_rows) {
  const TraceOptions& o = r.options;
  std::string out;
  char buf[512];
  size_t seeds = o.seeds.addresses.size() + o.seeds.txs.size() + o.seeds.outputs.size();
  std::snprintf(buf, sizeof buf, "Trace %s on %s, policy %s, from %s seed%s",
                o.backward ? "backward" : "forward", std::string(ChainName(store.chain())).c_str(),
                TracePolicyName(o.policy), FormatCount(seeds).c_str(), seeds == 1 ? "" : "s");
  out += buf;
  if (r.stats.txs_processed > 0) {
    std::snprintf(buf, sizeof buf, " (blocks %s .. %s)",
                  FormatCount(std::min(r.stats.first_block, r.stats.last_block)).c_str(),
                  FormatCount(std::max(r.stats.first_block, r.stats.last_block)).c_str());
    out += buf;
  }
  std::snprintf(buf, sizeof buf,
                "\n%s txs, %s transfers, %s addresses read in %.3f s; stops: %s; hops <= %d\n",
                FormatCount(r.stats.txs_processed).c_str(),
                FormatCount(r.stats.events_processed).c_str(),
                FormatCount(r.stats.addresses_fetched).c_str(), r.stats.seconds,
                o.stop_categories.empty() ? "none" : [&] {
                  std::string s;
                  for (const auto& c : o.stop_categories) s += (s.empty() ? "" : ", ") + c;
                  return s;
                }().c_str(),
                o.max_hops);
  out += buf;

  out += "\nWhere the taint is (" + std::string(o.backward ? "origins" : "seeded") +
         " = held + endpoints + dust + fees + cut, with swaps and poison absorption):\n";
  Table cons({"asset", "seeded", "+absorbed", "+swapped in", "held", "endpoints", "dust", "fees",
              "cut", "swapped out", "balanced"},
             {1, 2, 3, 4, 5, 6, 7, 8, 9});
  for (const auto& [asset, c] : r.conservation) {
    auto f = [&](const U256& v) {
      return v == 0 ? std::string("0") : FormatAssetAmount(store, asset, v);
    };
    auto strip = [&](std::string s) {
      size_t sp = s.rfind(' ');
      return sp == std::string::npos ? s : s.substr(0, sp);
    };
    cons.Add({AssetSymbol(store, asset), strip(f(c.seeded)), strip(f(c.absorbed)),
              strip(f(c.swapped_in)), strip(f(c.held)), strip(f(c.endpoints)), strip(f(c.dust)),
              strip(f(c.fees)), strip(f(c.cut)), strip(f(c.swapped_out)),
              c.balanced() ? "yes" : "NO"});
  }
  out += cons.ToString();

  if (!r.endpoints.empty()) {
    // Per entity and asset first: what a responder asks ("how much reached Binance").
    std::map<std::pair<AssetId, std::string>, std::pair<U256, std::set<AddressId>>> by_entity;
    for (const TraceEndpoint& e : r.endpoints) {
      std::string who =
          e.entity.empty() ? (e.label.empty() ? AddressText(store, e.address) : e.label) : e.entity;
      auto& slot = by_entity[{e.asset, who + "\t" + e.category}];
      slot.first += e.amount;
      slot.second.insert(e.address);
    }
    std::vector<std::tuple<AssetId, U256, std::string, size_t>> rows;
    for (const auto& [k, v] : by_entity)
      rows.push_back({k.first, v.first, k.second, v.second.size()});
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
      if (std::get<0>(a) != std::get<0>(b)) return std::get<0>(a) < std::get<0>(b);
      return std::get<1>(a) > std::get<1>(b);
    });
    out += "\nEndpoints by entity:\n";
    Table t({"entity", "category", "asset", "amount", "share of seeded", "addresses"}, {3, 4, 5});
    size_t n = 0;
    for (const auto& [asset, amount, key, addrs] : rows) {
      if (++n > max_rows) break;
      size_t tab = key.find('\t');
      auto c = r.conservation.find(asset);
      U256 basis = c == r.conservation.end()
                       ? U256(0)
                       : c->second.seeded + c->second.swapped_in + c->second.absorbed;
      t.Add({key.substr(0, tab), key.substr(tab + 1), AssetSymbol(store, asset),
             FormatAssetAmount(store, asset, amount), Percent(amount, basis), FormatCount(addrs)});
    }
    out += t.ToString();
    if (rows.size() > max_rows)
      out += "(" + FormatCount(rows.size() - max_rows) + " more rows: use --json or --csv)\n";

    out += "\nEndpoint addresses:\n";
    Table e({"address", "entity", "category", "asset", "amount", "first arrival", "last arrival",
             "txs"},
            {4, 7});
    n = 0;
    for (const TraceEndpoint& ep : r.endpoints) {
      if (++n > max_rows) break;
      e.Add({AddressText(store, ep.address) + (ep.inferred_deposit ? " (deposit)" : ""), ep.entity,
             ep.category, AssetSymbol(store, ep.asset),
             FormatAssetAmount(store, ep.asset, ep.amount), FormatTime(ep.first_time),
             FormatTime(ep.last_time), FormatCount(ep.transfers)});
    }
    out += e.ToString();
    if (r.endpoints.size() > max_rows) {
      out += "(" + FormatCount(r.endpoints.size() - max_rows) + " more: use --json or --csv)\n";
    }
  } else {
    out += "\nNo endpoint reached.\n";
  }

  // Where taint still rests, and what limits cut.
  std::vector<const TraceNode*> holders, cuts;
  for (const TraceNode& nd : r.nodes) {
    if (nd.role == NodeRole::kCut) {
      cuts.push_back(&nd);
    } else if (!nd.held.empty()) {
      holders.push_back(&nd);
    }
  }
  auto first_amount = [](const TraceNode* nd) {
    return nd->held.by_asset.empty() ? U256(0) : nd->held.by_asset.begin()->second;
  };
  auto show = [&](const char* title, std::vector<const TraceNode*>& v, bool cut) {
    if (v.empty()) return;
    std::sort(v.begin(), v.end(), [&](const TraceNode* a, const TraceNode* b) {
      return first_amount(a) > first_amount(b);
    });
    out += std::string("\n") + title + " (" + FormatCount(v.size()) + "):\n";
    Table t({"address", "hop", cut ? "cut by" : "label", "amount"}, {1, 3});
    size_t n = 0;
    for (const TraceNode* nd : v) {
      if (++n > max_rows) break;
      std::string amounts;
      for (const auto& [asset, a] : nd->held.by_asset) {
        amounts += (amounts.empty() ? "" : ", ") + FormatAssetAmount(store, asset, a);
      }
      t.Add({AddressText(store, nd->address), std::to_string(nd->hop),
             cut ? nd->cut_reason : Name(*nd), amounts});
    }
    out += t.ToString();
    if (v.size() > max_rows) out += "(" + FormatCount(v.size() - max_rows) + " more: use --json)\n";
  };
  show(o.backward ? "Still unattributed at" : "Still held at", holders, false);
  show("Cut by limits at", cuts, true);
  if (r.stats.cut_unresolved > 0) {
    out += "\nNote: " + FormatCount(r.stats.cut_unresolved) +
           " inputs spend outputs that are not in the store (blocks before the data); the taint "
           "behind them is counted as cut: ingest the earlier blocks to follow it.\n";
  }
  if (r.stats.unknown_origin_topups > 0) {
    out += "\nNote: " + FormatCount(r.stats.unknown_origin_topups) +
           " outflows exceeded the balance the store knows (history before the data window); "
           "the difference was taken as clean value of unknown origin (docs/trace.md).\n";
  }
  return out;
}

Result<std::string> TraceToSvg(const ChainStore& store, const TraceResult& r) {
  char tmpl[] = "/tmp/fundtrace-trace-XXXXXX";
  int fd = ::mkstemp(tmpl);
  if (fd < 0) return Status::IOError("cannot create a temporary file for the SVG");
  ::close(fd);
  const std::string dot_path = tmpl;
  Status w = WriteFileAtomic(dot_path, TraceToDot(store, r));
  if (!w.ok()) {
    std::remove(dot_path.c_str());
    return w;
  }
  std::string cmd = "dot -Tsvg '" + dot_path + "' 2>/dev/null";
  FILE* p = ::popen(cmd.c_str(), "r");
  std::string svg;
  if (p) {
    char buf[8192];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) svg.append(buf, n);
  }
  int rc = p ? ::pclose(p) : -1;
  std::remove(dot_path.c_str());
  if (rc != 0 || svg.empty()) {
    return Status::Unsupported("Graphviz `dot` could not render the SVG (install graphviz)");
  }
  return svg;
}

std::string TraceEndpointsCsv(const ChainStore& store, const TraceResult& r) {
  auto q = [](const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string o = "\"";
    for (char c : s) {
      if (c == '"') o += '"';
      o += c;
    }
    return o + "\"";
  };
  std::string out =
      "address,entity,category,label,inferred_deposit,asset,symbol,amount,amount_units,transfers,"
      "first_time,last_time,first_tx,last_tx\n";
  for (const TraceEndpoint& e : r.endpoints) {
    const AssetInfo& info = store.Asset(e.asset);
    out +=
        AddressText(store, e.address) + "," + q(e.entity) + "," + q(e.category) + "," + q(e.label) +
        "," + (e.inferred_deposit ? "true" : "false") + "," + AssetKeyText(store, e.asset) + "," +
        q(AssetSymbol(store, e.asset)) + "," + ToDecimalString(e.amount) + "," +
        (info.decimals >= 0 ? FormatAmount(e.amount, info.decimals) : ToDecimalString(e.amount)) +
        "," + std::to_string(e.transfers) + "," + std::to_string(e.first_time) + "," +
        std::to_string(e.last_time) + "," + Hash(store, e.first_tx) + "," + Hash(store, e.last_tx) +
        "\n";
  }
  return out;
}

std::string TraceToDot(const ChainStore& store, const TraceResult& r) {
  auto esc = [](const std::string& s) {
    std::string o;
    for (char c : s) {
      if (c == '"' || c == '\\') o += '\\';
      o += c;
    }
    return o;
  };
  auto colour = [](const TraceNode& n) -> const char* {
    if (n.role == NodeRole::kSeed) return "#f4cccc";
    if (n.role == NodeRole::kCut) return "#eeeeee";
    if (n.category == "exchange") return "#cfe2f3";
    if (n.category == "mixer" || n.category == "sanctioned") return "#d9d2e9";
    if (n.category == "bridge") return "#fff2cc";
    if (n.role == NodeRole::kEndpoint) return "#d9ead3";
    return "#ffffff";
  };
  std::string out =
      "digraph trace {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", "
      "fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n";
  std::set<AddressId> known;
  for (const TraceNode& n : r.nodes) {
    known.insert(n.address);
    std::string addr = AddressText(store, n.address);
    std::string shortaddr =
        addr.size() > 14 ? addr.substr(0, 8) + "…" + addr.substr(addr.size() - 4) : addr;
    std::string label = shortaddr + "\\nhop " + std::to_string(n.hop);
    if (!n.entity.empty() || !n.label.empty()) label += "\\n" + esc(Name(n));
    if (!n.category.empty()) label += " (" + esc(n.category) + ")";
    for (const auto& [asset, a] : n.held.by_asset)
      label += "\\nholds " + esc(FormatAssetAmount(store, asset, a));
    out += "  \"" + addr + "\" [label=\"" + label + "\", fillcolor=\"" + colour(n) + "\"];\n";
  }
  for (const TraceEdge& e : r.edges) {
    std::string from = e.from == kNoAddress ? "(none)" : AddressText(store, e.from);
    if (!known.count(e.from)) out += "  \"" + from + "\" [style=dashed];\n", known.insert(e.from);
    out += "  \"" + from + "\" -> \"" + AddressText(store, e.to) + "\" [label=\"" +
           esc(FormatAssetAmount(store, e.asset, e.amount)) + "\\n" + std::to_string(e.transfers) +
           " transfer" + (e.transfers == 1 ? "" : "s") + "\"];\n";
  }
  out += "}\n";
  return out;
}

}  // namespace fundtrace
