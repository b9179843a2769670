#include "server/trace_service.h"

#include <strings.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <set>

#include "chain/address.h"
#include "cli/format.h"
#include "cli/trace_report.h"
#include "cli/trace_seeds.h"
#include "labels/screener.h"
#include "labels/taxonomy.h"
#include "util/file_util.h"

namespace fundtrace {
namespace {

using Json = nlohmann::json;

Result<std::vector<std::string>> StringList(const Json& body, const char* field, size_t max) {
  std::vector<std::string> out;
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return out;
  if (it->is_string()) {
    out.push_back(it->get<std::string>());
    return out;
  }
  if (!it->is_array()) {
    return Status::InvalidArgument(std::string(field) + " must be a list of strings");
  }
  if (it->size() > max) {
    return Status::InvalidArgument(std::string(field) + " has more than " + std::to_string(max) +
                                   " entries");
  }
  for (const auto& v : *it) {
    if (!v.is_string()) return Status::InvalidArgument(std::string(field) + " must hold strings");
    out.push_back(v.get<std::string>());
  }
  return out;
}

Result<int64_t> IntField(const Json& body, const char* field, int64_t fallback, int64_t lo,
                         int64_t hi) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return fallback;
  int64_t v = 0;
  if (it->is_number_integer()) {
    v = it->get<int64_t>();
  } else if (it->is_number_unsigned()) {
    if (it->get<uint64_t>() > static_cast<uint64_t>(hi))
      v = hi + 1;
    else
      v = static_cast<int64_t>(it->get<uint64_t>());
  } else {
    return Status::InvalidArgument(std::string(field) + " must be an integer");
  }
  if (v < lo || v > hi) {
    return Status::InvalidArgument(std::string(field) + " must be from " + std::to_string(lo) +
                                   " to " + std::to_string(hi));
  }
  return v;
}

// Rows of the `held` table: per asset, and in all (many-token traces).
constexpr size_t kHeldRowsPerAsset = 25;
constexpr size_t kHeldRows = 100;
// Endpoint rows in the summary (the largest, per asset in the result's order); the exports
// (JSON, CSV) have them all.
constexpr size_t kEndpointRows = 500;

std::string Hash(const ChainStore& store, TxId tx) {
  return TxHashText(store.chain(), store.Tx(tx).hash);
}

}  // namespace

Result<TraceRequest> ParseTraceRequest(const Json& body) {
  if (!body.is_object()) return Status::InvalidArgument("the body must be a JSON object");
  TraceRequest r;
  FT_ASSIGN_OR_RETURN(r.seeds, StringList(body, "seeds", kMaxTraceSeeds));
  for (auto& s : r.seeds) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
    size_t b = 0;
    while (b < s.size() && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    s.erase(0, b);
  }
  r.seeds.erase(std::remove(r.seeds.begin(), r.seeds.end(), ""), r.seeds.end());
  if (r.seeds.empty()) {
    return Status::InvalidArgument("seeds: give at least one address, tx hash or txid:vout");
  }
  r.chain = GuessChain(r.seeds.front());
  if (auto c = body.find("chain"); c != body.end() && !c->is_null()) {
    if (!c->is_string()) return Status::InvalidArgument("chain must be eth, btc or trx");
    auto ch = ChainFromName(c->get<std::string>());
    if (!ch) return Status::InvalidArgument("chain must be eth, btc or trx");
    r.chain = *ch;
  }
  TraceOptions& o = r.options;
  if (auto p = body.find("policy"); p != body.end() && !p->is_null()) {
    if (!p->is_string()) return Status::InvalidArgument("policy must be a string");
    FT_ASSIGN_OR_RETURN(o.policy, ParseTracePolicy(p->get<std::string>()));
  }
  if (auto d = body.find("direction"); d != body.end() && !d->is_null()) {
    if (!d->is_string() || (*d != "forward" && *d != "backward")) {
      return Status::InvalidArgument("direction must be forward or backward");
    }
    o.backward = *d == "backward";
  }
  FT_ASSIGN_OR_RETURN(int64_t hops, IntField(body, "hops", 6, 1, kMaxTraceHops));
  o.max_hops = static_cast<int>(hops);
  FT_ASSIGN_OR_RETURN(int64_t maxa, IntField(body, "max_addresses", 20000, 1,
                                             static_cast<int64_t>(kMaxTraceAddresses)));
  o.max_addresses = static_cast<size_t>(maxa);
  FT_ASSIGN_OR_RETURN(int64_t fb, IntField(body, "from_block", 0, 0, UINT32_MAX));
  FT_ASSIGN_OR_RETURN(int64_t tb, IntField(body, "to_block", UINT32_MAX, 0, UINT32_MAX));
  if (fb > tb) return Status::InvalidArgument("from_block is after to_block");
  o.blocks.first = static_cast<uint32_t>(fb);
  o.blocks.last = static_cast<uint32_t>(tb);
  if (auto d = body.find("dust"); d != body.end() && !d->is_null()) {
    if (!d->is_number() || !(d->get<double>() >= 0) || d->get<double>() > 0.5) {
      return Status::InvalidArgument("dust must be a number from 0 to 0.5");
    }
    o.dust_ratio = d->get<double>();
  }
  if (body.contains("stops") && !body["stops"].is_null()) {
    FT_ASSIGN_OR_RETURN(auto stops, StringList(body, "stops", 64));
    o.stop_categories = std::set<std::string>(stops.begin(), stops.end());
  }
  FT_ASSIGN_OR_RETURN(r.stop_addresses, StringList(body, "stop_addresses", 10000));
  FT_ASSIGN_OR_RETURN(r.assets, StringList(body, "assets", 64));
  if (auto i = body.find("infer_deposits"); i != body.end() && i->is_boolean()) {
    o.infer_deposit_addresses = i->get<bool>();
  }
  return r;
}

Status ResolveTraceRequest(const ChainView& view, TraceRequest* r) {
  if (!view.store) {
    return Status::NotFound("no " + std::string(ChainName(r->chain)) +
                            " data on this server (fundtrace ingest)");
  }
  const EmbeddedChainStore& st = *view.store;
  TraceOptions& o = r->options;
  o.seeds = TraceSeeds{};
  for (const std::string& s : r->seeds) FT_RETURN_IF_ERROR(ResolveTraceSeed(st, s, &o.seeds));
  o.assets.clear();
  FT_RETURN_IF_ERROR(ResolveTraceAssets(st, r->assets, &o.assets));
  const Taxonomy& tax = Taxonomy::Default();
  for (const std::string& c : o.stop_categories) {
    if (!tax.Category(c) && !tax.Abuse(c)) {
      return Status::InvalidArgument("stops: unknown category '" + c + "'");
    }
  }
  o.stop_addresses.clear();
  for (const std::string& s : r->stop_addresses) {
    auto key = ParseAddress(st.chain(), s);
    if (!key.ok()) return Status::InvalidArgument("stop_addresses: " + key.status().message());
    if (auto id = st.FindAddress(*key)) o.stop_addresses.insert(*id);
  }
  o.labels = view.labels.get();
  return Status::OK();
}

bool IsSmallTrace(const TraceRequest& r, size_t sync_max_addresses) {
  return r.seeds.size() <= 100 && r.options.max_addresses <= sync_max_addresses &&
         r.options.max_hops <= 20;
}

Result<std::shared_ptr<const StoredTrace>> RunStoredTrace(std::shared_ptr<const ChainView> view,
                                                          const TraceRequest& request) {
  auto result = RunTrace(*view->store, request.options);
  if (!result.ok()) return result.status();
  auto t = std::make_shared<StoredTrace>();
  t->view = std::move(view);
  t->result = std::move(result).value();
  t->result.options.labels = nullptr;  // the index is kept alive by `view`, not by the options
  return std::shared_ptr<const StoredTrace>(std::move(t));
}

Json TraceSummaryJson(const StoredTrace& t) {
  const ChainStore& st = *t.view->store;
  const TraceResult& r = t.result;
  Json j;
  j["chain"] = std::string(ChainName(st.chain()));
  j["policy"] = TracePolicyName(r.options.policy);
  j["direction"] = r.options.backward ? "backward" : "forward";
  j["balanced"] = r.balanced();
  j["nodes"] = r.nodes.size();
  j["edges"] = r.edges.size();
  Json cons = Json::array();
  for (const auto& [asset, c] : r.conservation) {
    auto f = [&](const U256& v) { return FormatAssetAmount(st, asset, v); };
    cons.push_back({{"asset", AssetSymbol(st, asset)},
                    {"seeded", f(c.seeded + c.absorbed + c.swapped_in)},
                    {"endpoints", f(c.endpoints)},
                    {"held", f(c.held)},
                    {"dust", f(c.dust)},
                    {"fees", f(c.fees)},
                    {"cut", f(c.cut)},
                    {"swapped_out", f(c.swapped_out)},
                    {"balanced", c.balanced()}});
  }
  j["conservation"] = cons;
  Json eps = Json::array();
  for (const TraceEndpoint& e : r.endpoints) {
    if (eps.size() >= kEndpointRows) break;
    eps.push_back({{"address", AddressText(st, e.address)},
                   {"entity", e.entity},
                   {"category", e.category},
                   {"label", e.label},
                   {"inferred_deposit", e.inferred_deposit},
                   {"asset", AssetSymbol(st, e.asset)},
                   {"amount", FormatAssetAmount(st, e.asset, e.amount)},
                   {"amount_base", ToDecimalString(e.amount)},
                   {"transfers", e.transfers},
                   {"first_time", e.first_time},
                   {"last_time", e.last_time},
                   {"first_tx", Hash(st, e.first_tx)},
                   {"last_tx", Hash(st, e.last_tx)}});
  }
  j["endpoints"] = eps;
  j["endpoints_count"] = r.endpoints.size();  // `endpoints` shows the first kEndpointRows
  // Where taint is still held (not at an endpoint): per asset (by asset id: the native asset
  // first) the addresses holding the most.
  struct Held {
    const TraceNode* node;
    AssetId asset;
    const U256* amount;
  };
  std::vector<Held> held;
  for (const TraceNode& n : r.nodes) {
    for (const auto& [asset, v] : n.held.by_asset) {
      if (v > 0) held.push_back({&n, asset, &v});
    }
  }
  std::stable_sort(held.begin(), held.end(), [](const Held& a, const Held& b) {
    if (a.asset != b.asset) return a.asset < b.asset;
    return *a.amount > *b.amount;
  });
  Json holders = Json::array();
  std::map<AssetId, size_t> shown;
  for (const Held& h : held) {
    if (holders.size() >= kHeldRows) break;
    if (shown[h.asset]++ >= kHeldRowsPerAsset) continue;
    const TraceNode& n = *h.node;
    holders.push_back({{"address", AddressText(st, n.address)},
                       {"hop", n.hop},
                       {"role", NodeRoleName(n.role)},
                       {"label", n.entity.empty() ? n.label : n.entity},
                       {"category", n.category},
                       {"asset", AssetSymbol(st, h.asset)},
                       {"amount", FormatAssetAmount(st, h.asset, *h.amount)}});
  }
  j["held"] = holders;
  j["held_count"] = held.size();  // (address, asset) holdings; `held` shows the largest
  j["stats"] = {
      {"txs_processed", r.stats.txs_processed}, {"transfers_fetched", r.stats.transfers_fetched},
      {"cut_hops", r.stats.cut_hops},           {"cut_addresses", r.stats.cut_addresses},
      {"cut_history", r.stats.cut_history},     {"cut_unresolved", r.stats.cut_unresolved},     {"seconds", r.stats.seconds}};
  return j;
}

Json TraceGraphJson(const StoredTrace& t, size_t max_edges) {
  const ChainStore& st = *t.view->store;
  const TraceResult& r = t.result;
  // The largest edges of each asset first (amounts of different assets do not compare), round
  // robin over assets so that no asset crowds out the others.
  std::map<AssetId, std::vector<const TraceEdge*>> by_asset;
  for (const TraceEdge& e : r.edges) by_asset[e.asset].push_back(&e);
  for (auto& [a, v] : by_asset) {
    std::stable_sort(v.begin(), v.end(),
                     [](const TraceEdge* x, const TraceEdge* y) { return x->amount > y->amount; });
  }
  std::vector<const TraceEdge*> chosen;
  for (size_t i = 0; chosen.size() < max_edges; ++i) {
    bool any = false;
    for (auto& [a, v] : by_asset) {
      if (i < v.size() && chosen.size() < max_edges) {
        chosen.push_back(v[i]);
        any = true;
      }
    }
    if (!any) break;
  }
  std::set<AddressId> used;
  for (const TraceEdge* e : chosen) {
    used.insert(e->from);
    used.insert(e->to);
  }
  Json nodes = Json::array();
  for (const TraceNode& n : r.nodes) {
    if (!used.count(n.address) && n.role != NodeRole::kSeed) continue;
    std::string held;
    for (const auto& [a, v] : n.held.by_asset) {
      held += (held.empty() ? "" : ", ") + FormatAssetAmount(st, a, v) + " " + AssetSymbol(st, a);
    }
    nodes.push_back({{"id", AddressText(st, n.address)},
                     {"label", n.entity.empty() ? n.label : n.entity},
                     {"category", n.category},
                     {"role", NodeRoleName(n.role)},
                     {"hop", n.hop},
                     {"held", held},
                     {"inferred_deposit", n.inferred_deposit}});
    used.erase(n.address);
  }
  for (AddressId a : used) {  // endpoints met only as receivers
    nodes.push_back({{"id", AddressText(st, a)},
                     {"label", ""},
                     {"category", ""},
                     {"role", "intermediate"},
                     {"hop", 0},
                     {"held", ""},
                     {"inferred_deposit", false}});
  }
  Json edges = Json::array();
  for (const TraceEdge* e : chosen) {
    edges.push_back({{"source", AddressText(st, e->from)},
                     {"target", AddressText(st, e->to)},
                     {"asset", AssetSymbol(st, e->asset)},
                     {"amount", FormatAssetAmount(st, e->asset, e->amount)},
                     {"transfers", e->transfers},
                     {"first_tx", e->txs.empty() ? "" : Hash(st, e->txs.front())}});
  }
  return {{"nodes", nodes},
          {"edges", edges},
          {"truncated", chosen.size() < r.edges.size()},
          {"total_edges", r.edges.size()}};
}

Result<std::string> TraceExport(const StoredTrace& t, const std::string& format,
                                const char** content_type) {
  const ChainStore& st = *t.view->store;
  if (format == "json") {
    *content_type = "application/json";
    return TraceToJson(st, t.result).dump(1);
  }
  if (format == "csv") {
    *content_type = "text/csv";
    return TraceEndpointsCsv(st, t.result);
  }
  if (format == "dot") {
    *content_type = "text/vnd.graphviz";
    return TraceToDot(st, t.result);
  }
  if (format != "svg") return Status::InvalidArgument("format must be json, csv, dot or svg");
  *content_type = "image/svg+xml";
  return TraceToSvg(st, t.result);
}

}  // namespace fundtrace
