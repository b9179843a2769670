// Native endpoints under /api/v1 for what MistTrack's API lacks: search, one-call address pages
// for the UI, graph expansion (neighbours), traces (sync or as tasks) with their flow graph and
// exports, label CRUD (user labels) and list screening. Docs: docs/api.md.
#include <algorithm>
#include <map>

#include "analysis/analysis_json.h"
#include "chain/address.h"
#include "cli/format.h"
#include "labels/screener.h"
#include "risk/risk_json.h"
#include "server/api_server.h"
#include "server/label_editor.h"
#include "server/trace_service.h"

namespace fundtrace {
namespace {

using Json = nlohmann::json;

constexpr size_t kMaxNeighbourTransfers = 500000;
constexpr size_t kCounterpartyRows = 10;
constexpr size_t kSearchRows = 20;

// The chain named by the `chain` parameter, else guessed from the address's form.
std::optional<Chain> ChainOf(ApiCall& call, std::string_view address) {
  const std::string name = call.ParamOr("chain", "");
  if (name.empty()) return GuessChain(address);
  auto c = ChainFromName(name);
  if (!c) call.Fail(400, kInvalidParameter, "chain must be eth, btc or trx");
  return c;
}

struct Target {
  std::shared_ptr<const ChainView> view;
  std::string key;
  std::optional<AddressId> id;
};

// Reads `address` (and `chain`). On failure answers the call.
std::optional<Target> ReadAddress(ApiServer& s, ApiCall& call) {
  const std::string text = call.ParamOr("address", "");
  if (text.empty()) {
    call.Fail(400, kInvalidAddress, "address is required");
    return std::nullopt;
  }
  auto chain = ChainOf(call, text);
  if (!chain) return std::nullopt;
  auto key = ParseAddress(*chain, text);
  if (!key.ok()) {
    call.Fail(400, kInvalidAddress, key.status().message());
    return std::nullopt;
  }
  auto view = s.data().View(*chain);
  if (!view.ok()) {
    call.Fail(500, kInternalError, view.status().message());
    return std::nullopt;
  }
  Target t{*view, std::move(key).value(), std::nullopt};
  if (t.view->store) t.id = t.view->store->FindAddress(t.key);
  return t;
}

Json NodeJson(const ScreenIndex* idx, std::string_view key) {
  const ScreenEntry* e = idx ? idx->Find(key) : nullptr;
  std::string label;
  if (e)
    label = std::string(idx->String(e->entity).empty() ? idx->String(e->label)
                                                       : idx->String(e->entity));
  return {{"id", FormatAddress(key)},
          {"label", label},
          {"category", e ? std::string(idx->TermName(e->category)) : ""},
          {"abuse", e && e->abuse != kNoTerm ? std::string(idx->TermName(e->abuse)) : ""}};
}

void AddressPage(ApiServer& s, ApiCall& call) {
  auto t = ReadAddress(s, call);
  if (!t) return;
  const ChainView& v = *t->view;
  Json out;
  out["address"] = FormatAddress(t->key);
  out["chain"] = std::string(ChainName(v.chain));
  out["in_store"] = t->id.has_value();
  auto tags = TagsJson(s.data(), v.chain, t->key);
  if (!tags.ok()) return call.Fail(500, kInternalError, tags.status().message());
  out["labels"] = *tags;
  auto fail = [&call](const Status& st) {
    if (st.IsDeadlineExceeded()) {
      return call.TimedOut(
          "the address's history is too large for a page within it; score it as a task "
          "(POST /v2/risk_score_create_task) or trace it (POST /api/v1/trace with async)");
    }
    call.Fail(500, kInternalError, st.message());
  };
  auto risk = v.scorer->ScoreAddress(t->key, v.risk_options);
  if (!risk.ok()) return fail(risk.status());
  out["risk"] = RiskReportJson(*risk, v.store.get());
  out["overview"] = nullptr;
  out["counterparties"] = nullptr;
  out["activity"] = nullptr;
  if (t->id) {
    const ChainStore& st = *v.store;
    const ChainStore& read = *v.bounded;
    auto o = OverviewOf(read, *t->id);
    if (!o.ok()) return fail(o.status());
    out["overview"] = OverviewJson(*o, st);
    auto c = CounterpartiesOf(read, v.labels.get(), *t->id, kCounterpartyRows);
    if (!c.ok()) return fail(c.status());
    out["counterparties"] = CounterpartiesJson(*c, st);
    auto a = ActivityOf(read, v.labels.get(), *t->id);
    if (!a.ok()) return fail(a.status());
    out["activity"] = ActivityJson(*a);
  }
  call.Ok(std::move(out));
}

// Counterparties of an address for graph expansion: per (counterparty, asset, direction) the sum
// and count of transfers; the `limit` counterparties with the most transfers.
void Neighbours(ApiServer& s, ApiCall& call) {
  auto t = ReadAddress(s, call);
  if (!t) return;
  auto limit = call.IntParam("limit", 25, 1, 500);
  if (!limit) return;
  const ChainView& v = *t->view;
  Json nodes = Json::array(), edges = Json::array();
  nodes.push_back(NodeJson(v.labels.get(), t->key));
  if (!t->id) return call.Ok({{"nodes", nodes}, {"edges", edges}, {"more", 0}});
  const EmbeddedChainStore& st = *v.store;
  const ChainStore& read = *v.bounded;
  const std::string too_slow =
      "the address has too much history to expand within it; trace it instead (POST "
      "/api/v1/trace with \"async\": true)";
  const AddressId one[1] = {*t->id};
  std::vector<uint64_t> counts;
  Status cs = read.TransferCounts(one, Direction::kBoth, &counts);
  if (cs.IsDeadlineExceeded()) return call.TimedOut(too_slow);
  if (!cs.ok()) return call.Fail(500, kInternalError, cs.message());
  if (!counts.empty() && counts[0] > kMaxNeighbourTransfers) {
    return call.Fail(413, kInvalidParameter,
                     "the address has " + std::to_string(counts[0]) +
                         " transfers: too many to expand (it is a service; trace instead)");
  }
  std::vector<Transfer> rows;
  Status got = read.TransfersOfAnyOrder(one, Direction::kBoth, BlockRange{}, &rows);
  if (got.IsDeadlineExceeded() || call.deadline().Expired()) return call.TimedOut(too_slow);
  if (!got.ok()) return call.Fail(500, kInternalError, got.message());
  struct Agg {
    U256 amount = 0;
    uint64_t count = 0;
  };
  // (other, asset, outgoing) -> sums; other -> transfers in all
  std::map<std::tuple<AddressId, AssetId, bool>, Agg> aggs;
  std::map<AddressId, uint64_t> per_other;
  for (const Transfer& tr : rows) {
    if (tr.unresolved() || tr.from == tr.to) continue;
    const bool outgoing = tr.from == *t->id;
    const AddressId other = outgoing ? tr.to : tr.from;
    if (other == kNoAddress) continue;
    Agg& a = aggs[{other, tr.asset, outgoing}];
    a.amount = a.amount + tr.amount;
    ++a.count;
    ++per_other[other];
  }
  std::vector<std::pair<AddressId, uint64_t>> order(per_other.begin(), per_other.end());
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  const size_t n = std::min(order.size(), static_cast<size_t>(*limit));
  std::map<AddressId, bool> chosen;
  for (size_t i = 0; i < n; ++i) chosen[order[i].first] = true;
  const std::string self = FormatAddress(t->key);
  for (const auto& [other, unused] : chosen) {
    nodes.push_back(NodeJson(v.labels.get(), st.AddressKey(other)));
  }
  for (const auto& [k, a] : aggs) {
    const auto& [other, asset, outgoing] = k;
    if (!chosen.count(other)) continue;
    const std::string o = FormatAddress(st.AddressKey(other));
    edges.push_back({{"source", outgoing ? self : o},
                     {"target", outgoing ? o : self},
                     {"asset", AssetSymbol(st, asset)},
                     {"amount", FormatAssetAmount(st, asset, a.amount)},
                     {"transfers", a.count}});
  }
  call.Ok({{"nodes", nodes}, {"edges", edges}, {"more", order.size() - n}});
}

void Search(ApiServer& s, ApiCall& call) {
  std::string q = call.ParamOr("q", "");
  while (!q.empty() && std::isspace(static_cast<unsigned char>(q.back()))) q.pop_back();
  while (!q.empty() && std::isspace(static_cast<unsigned char>(q.front()))) q.erase(0, 1);
  if (q.empty() || q.size() > 200) {
    return call.Fail(400, kInvalidParameter, "q must be 1 to 200 characters");
  }
  std::string_view bare = q;
  if (bare.size() == 66 && bare[0] == '0' && (bare[1] == 'x' || bare[1] == 'X')) {
    bare.remove_prefix(2);
  }
  if (bare.size() == 64 && std::all_of(bare.begin(), bare.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c)) != 0;
      })) {
    for (Chain c : {Chain::kEthereum, Chain::kBitcoin, Chain::kTron}) {
      auto v = s.data().View(c);
      if (!v.ok()) return call.Fail(500, kInternalError, v.status().message());
      Hash32 h{};
      if (!(*v)->store || !ParseTxHashText(c, bare, &h)) continue;
      if ((*v)->store->FindTx(h)) {
        return call.Ok(
            {{"kind", "tx"}, {"chain", std::string(ChainName(c))}, {"hash", TxHashText(c, h)}});
      }
    }
    return call.Fail(404, kNotFound, "no transaction " + q + " in the data of this server");
  }
  Chain c = GuessChain(q);
  if (auto key = ParseAddress(c, q); key.ok()) {
    return call.Ok({{"kind", "address"},
                    {"chain", std::string(ChainName(c))},
                    {"address", FormatAddress(*key)}});
  }
  auto store = s.data().ThreadLabelStore();
  Json rows = Json::array();
  uint64_t total = 0;
  if (store.ok()) {
    auto found = (*store)->Search(q, kSearchRows, &total);
    if (!found.ok()) return call.Fail(500, kInternalError, found.status().message());
    for (const Tag& t : *found) {
      rows.push_back({{"address", FormatAddress(t.address)},
                      {"chain", std::string(ChainName(t.chain))},
                      {"label", t.label},
                      {"entity", t.entity},
                      {"category", t.category},
                      {"source", t.source}});
    }
  }
  call.Ok({{"kind", "labels"}, {"total", total}, {"results", rows}});
}

void TxPage(ApiServer& s, ApiCall& call) {
  const std::string hash = call.ParamOr("hash", "");
  std::string_view bare = hash;
  if (bare.size() == 66 && bare[0] == '0' && (bare[1] == 'x' || bare[1] == 'X')) {
    bare.remove_prefix(2);
  }
  for (Chain c : {Chain::kEthereum, Chain::kBitcoin, Chain::kTron}) {
    if (call.Param("chain") && call.ParamOr("chain", "") != ChainName(c)) continue;
    auto v = s.data().View(c);
    if (!v.ok()) return call.Fail(500, kInternalError, v.status().message());
    Hash32 h{};
    if (!(*v)->store || bare.size() != 64 || !ParseTxHashText(c, bare, &h)) continue;
    auto id = (*v)->store->FindTx(h);
    if (!id) continue;
    const EmbeddedChainStore& st = *(*v)->store;
    std::vector<Transfer> rows;
    const TxId one[1] = {*id};
    Status got = st.TransfersOfTxs(one, &rows);
    if (!got.ok()) return call.Fail(500, kInternalError, got.message());
    Json transfers = Json::array();
    for (const Transfer& t : rows) {
      if (t.unresolved()) continue;
      transfers.push_back(
          {{"from", t.from == kNoAddress ? Json(nullptr)
                                         : NodeJson((*v)->labels.get(), st.AddressKey(t.from))},
           {"to",
            t.to == kNoAddress ? Json(nullptr) : NodeJson((*v)->labels.get(), st.AddressKey(t.to))},
           {"asset", AssetSymbol(st, t.asset)},
           {"amount", FormatAssetAmount(st, t.asset, t.amount)}});
    }
    const TxInfo info = st.Tx(*id);
    return call.Ok({{"hash", TxHashText(c, h)},
                    {"chain", std::string(ChainName(c))},
                    {"block", info.block},
                    {"time", info.time},
                    {"transfers", transfers}});
  }
  call.Fail(404, kNotFound, "no transaction " + hash + " in the data of this server");
}

Json TaskJson(const TaskSnapshot& t) {
  Json j = {{"id", t.id}, {"status", TaskStateName(t.state)}, {"created", t.created}};
  if (t.state == TaskState::kDone) {
    j["finished"] = t.finished;
    if (t.outcome->ok) {
      j["status"] = "done";
      j["result"] = t.outcome->trace ? TraceSummaryJson(*t.outcome->trace) : t.outcome->data;
    } else {
      j["status"] = "failed";
      j["error"] = {{"msg", t.outcome->msg}, {"detail", t.outcome->detail}};
    }
  }
  return j;
}

TaskOutcome TraceOutcome(std::shared_ptr<const ChainView> view, const TraceRequest& req) {
  TaskOutcome out;
  auto r = RunStoredTrace(std::move(view), req);
  if (!r.ok()) {
    out.ok = false;
    const Status& st = r.status();
    out.msg = st.IsNotFound()           ? kNotFound
              : st.IsDeadlineExceeded() ? kRequestTimeout
                                        : kInvalidParameter;
    out.detail = st.message();
    out.http = st.IsNotFound() ? 404 : st.IsDeadlineExceeded() ? 504 : 400;
    return out;
  }
  out.trace = *r;
  return out;
}

void StartTrace(ApiServer& s, ApiCall& call) {
  auto req = ParseTraceRequest(call.body());
  if (!req.ok()) return call.Fail(400, kInvalidParameter, req.status().message());
  auto view = s.data().View(req->chain);
  if (!view.ok()) return call.Fail(500, kInternalError, view.status().message());
  Status resolved = ResolveTraceRequest(**view, &*req);
  if (!resolved.ok()) {
    const bool bad_seed = resolved.message().rfind("seed", 0) == 0;
    return call.Fail(resolved.IsNotFound() ? 404 : 400,
                     resolved.IsNotFound() ? kNotFound
                     : bad_seed            ? kInvalidAddress
                                           : kInvalidParameter,
                     resolved.message());
  }
  const bool want_async = call.body().is_object() && call.body().value("async", false);
  if (!want_async && IsSmallTrace(*req, s.options().sync_trace_max_addresses)) {
    req->options.deadline = call.deadline();
    TaskOutcome out = TraceOutcome(*view, *req);
    if (out.msg == kRequestTimeout) {
      return call.TimedOut(
          "run it as a task: POST /api/v1/trace with \"async\": true, then GET "
          "/api/v1/trace/{id} until its status is done");
    }
    if (!out.ok) return call.Fail(out.http, out.msg, out.detail);
    std::string id = s.tasks().AddFinished("trace", "", out);
    auto snap = s.tasks().Find(id);
    if (!snap) return call.Fail(500, kInternalError, "the trace vanished");
    return call.Ok(TaskJson(*snap));
  }
  auto id = s.tasks().Submit("trace", "", [v = *view, r = *req] { return TraceOutcome(v, r); });
  if (!id) return call.Fail(503, kBusy, "too many traces are waiting: retry in a minute");
  call.Ok({{"id", *id}, {"status", "queued"}});
  call.res().status = 202;
}

// The finished trace of path parameter 1, or answers the call.
std::shared_ptr<const StoredTrace> FinishedTrace(ApiServer& s, ApiCall& call) {
  const std::string id = call.req().matches.size() > 1 ? std::string(call.req().matches[1]) : "";
  auto t = s.tasks().Find(id);
  if (!t || t->kind != "trace") {
    call.Fail(404, kTaskNotFound, "no trace " + id + " (traces are kept for an hour)");
    return nullptr;
  }
  if (t->state != TaskState::kDone) {
    call.Fail(409, "TaskUnderRunning", "the trace is still running");
    return nullptr;
  }
  if (!t->outcome->ok || !t->outcome->trace) {
    call.Fail(t->outcome->http, t->outcome->msg, t->outcome->detail);
    return nullptr;
  }
  return t->outcome->trace;
}

void Screen(ApiServer& s, ApiCall& call) {
  const Json& body = call.body();
  if (!body.is_object() || !body.contains("addresses") || !body["addresses"].is_array()) {
    return call.Fail(400, kInvalidParameter, "body must be {\"addresses\": [...]}");
  }
  const Json& list = body["addresses"];
  if (list.size() > s.options().max_screen) {
    return call.Fail(
        413, kInvalidParameter,
        "at most " + std::to_string(s.options().max_screen) + " addresses per request");
  }
  std::optional<Chain> chain;
  if (body.contains("chain") && body["chain"].is_string()) {
    chain = ChainFromName(body["chain"].get<std::string>());
    if (!chain) return call.Fail(400, kInvalidParameter, "chain must be eth, btc or trx");
  }
  auto idx = s.data().Labels();
  if (!idx.ok()) return call.Fail(500, kInternalError, idx.status().message());
  Json rows = Json::array();
  uint64_t hits = 0, invalid = 0;
  for (const Json& a : list) {
    if (!a.is_string()) {
      rows.push_back({{"input", a.dump()}, {"valid", false}, {"error", "not a string"}});
      ++invalid;
      continue;
    }
    const std::string text = a.get<std::string>();
    Chain c = chain ? *chain : GuessChain(text);
    auto key = ParseAddress(c, text);
    if (!key.ok()) {
      rows.push_back({{"input", text}, {"valid", false}, {"error", key.status().message()}});
      ++invalid;
      continue;
    }
    const ScreenIndex* ix = idx->get();
    const ScreenEntry* e = ix ? ix->Find(*key) : nullptr;
    Json row = {{"input", text},
                {"valid", true},
                {"address", FormatAddress(*key)},
                {"chain", std::string(ChainName(c))},
                {"hit", e != nullptr}};
    if (e) {
      ++hits;
      row["label"] = std::string(ix->String(e->label));
      row["entity"] = std::string(ix->String(e->entity));
      row["category"] = std::string(ix->TermName(e->category));
      row["abuse"] = e->abuse == kNoTerm ? "" : std::string(ix->TermName(e->abuse));
      row["source"] = std::string(ix->String(e->source));
      row["tags"] = e->tags;
      Json risks = Json::array();
      for (auto r : ix->Risks(*e, 1)) risks.push_back(std::string(r));
      row["risks"] = risks;
    }
    rows.push_back(std::move(row));
  }
  call.Ok({{"results", rows}, {"screened", list.size()}, {"hits", hits}, {"invalid", invalid}});
}

std::optional<int64_t> LabelId(ApiCall& call) {
  const std::string id = call.req().matches.size() > 1 ? std::string(call.req().matches[1]) : "";
  if (id.empty() || id.size() > 18 ||
      !std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    call.Fail(400, kInvalidParameter, "label id must be a number");
    return std::nullopt;
  }
  return std::stoll(id);
}

void FailStatus(ApiCall& call, const Status& st) {
  if (st.IsNotFound()) return call.Fail(404, kNotFound, st.message());
  if (st.code() == Status::Code::kInvalidArgument) {
    const bool address = st.message().find("invalid address") != std::string::npos;
    return call.Fail(400, address ? kInvalidAddress : kInvalidParameter, st.message());
  }
  call.Fail(500, kInternalError, st.message());
}

}  // namespace

void AddNativeRoutes(ApiServer& s) {
  s.Api("GET", "/api/v1/search", false, true, [&s](ApiCall& c) { Search(s, c); });
  s.Api("GET", "/api/v1/address", false, true, [&s](ApiCall& c) { AddressPage(s, c); });
  s.Api("GET", "/api/v1/tx", false, true, [&s](ApiCall& c) { TxPage(s, c); });
  s.Api("GET", "/api/v1/neighbors", false, true, [&s](ApiCall& c) { Neighbours(s, c); });
  s.Api("POST", "/api/v1/trace", false, true, [&s](ApiCall& c) { StartTrace(s, c); });
  s.Api("GET", "/api/v1/trace/{id}", false, false, [&s](ApiCall& call) {
    auto t = s.tasks().Find(std::string(call.req().matches[1]));
    if (!t || t->kind != "trace") {
      return call.Fail(404, kTaskNotFound, "no trace with this id (traces are kept for an hour)");
    }
    call.Ok(TaskJson(*t));
  });
  s.Api("GET", "/api/v1/trace/{id}/graph", false, false, [&s](ApiCall& call) {
    auto max_edges = call.IntParam("max_edges", 400, 1, 5000);
    if (!max_edges) return;
    auto t = FinishedTrace(s, call);
    if (!t) return;
    call.Ok(TraceGraphJson(*t, static_cast<size_t>(*max_edges)));
  });
  s.Api("GET", "/api/v1/trace/{id}/export", false, true, [&s](ApiCall& call) {
    auto t = FinishedTrace(s, call);
    if (!t) return;
    const std::string format = call.ParamOr("format", "json");
    const char* type = "application/json";
    auto body = TraceExport(*t, format, &type);
    if (!body.ok()) {
      return call.Fail(body.status().code() == Status::Code::kInvalidArgument ? 400 : 500,
                       kInvalidParameter, body.status().message());
    }
    call.res().set_header(
        "Content-Disposition",
        "attachment; filename=\"trace-" + std::string(call.req().matches[1]) + "." + format + "\"");
    call.Raw(200, std::move(body).value(), type);
  });
  s.Api("GET", "/api/v1/labels", false, true, [&s](ApiCall& call) {
    auto t = ReadAddress(s, call);
    if (!t) return;
    auto tags = TagsJson(s.data(), t->view->chain, t->key);
    if (!tags.ok()) return FailStatus(call, tags.status());
    call.Ok({{"address", FormatAddress(t->key)},
             {"chain", std::string(ChainName(t->view->chain))},
             {"labels", *tags}});
  });
  s.Api("POST", "/api/v1/labels", false, true, [&s](ApiCall& call) {
    auto l = ParseUserLabel(call.body());
    if (!l.ok()) return FailStatus(call, l.status());
    auto id = CreateUserLabel(s.data(), *l);
    if (!id.ok()) return FailStatus(call, id.status());
    call.Ok({{"id", *id}});
    call.res().status = 201;
  });
  s.Api("PUT", "/api/v1/labels/{id}", false, true, [&s](ApiCall& call) {
    auto id = LabelId(call);
    if (!id) return;
    auto l = ParseUserLabel(call.body());
    if (!l.ok()) return FailStatus(call, l.status());
    auto replaced = ReplaceUserLabel(s.data(), *id, *l);
    if (!replaced.ok()) return FailStatus(call, replaced.status());
    call.Ok({{"id", *replaced}});
  });
  s.Api("DELETE", "/api/v1/labels/{id}", false, true, [&s](ApiCall& call) {
    auto id = LabelId(call);
    if (!id) return;
    Status del = DeleteUserLabel(s.data(), *id);
    if (!del.ok()) return FailStatus(call, del);
    call.Ok({{"deleted", *id}});
  });
  s.Api("POST", "/api/v1/screen", false, true, [&s](ApiCall& c) { Screen(s, c); });
}

}  // namespace fundtrace
