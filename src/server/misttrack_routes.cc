// MistTrack-shaped endpoints: the paths, parameters (coin, address, txid, api_key) and answers of
// MistTrack's OpenAPI (docs.misttrack.io), so a client written for it works by changing its base
// URL. Answers come from the risk and analysis modules (risk_json.h, analysis_json.h), which
// already speak MistTrack's field names. Docs: docs/api.md.
#include <algorithm>
#include <array>
#include <map>
#include <mutex>
#include <unordered_map>

#include "analysis/analysis_json.h"
#include "chain/address.h"
#include "cli/format.h"
#include "labels/screener.h"
#include "risk/risk_json.h"
#include "server/api_server.h"

namespace fundtrace {
namespace {

using Json = nlohmann::json;

constexpr size_t kTxsPerPage = 1000;  // MistTrack: transactions_on_page is at most 1000
constexpr size_t kCounterpartyTop = 50;

// The subject of a MistTrack call: its chain snapshot and the parsed address (or tx).
struct Subject {
  Coin coin{Chain::kEthereum, ""};
  std::shared_ptr<const ChainView> view;
  std::string key;  // binary address key ("" for a tx)
  std::optional<TxId> tx;
  std::string text;  // canonical address or tx hash text
};

// Reads coin and address (and txid when `allow_tx`). On failure answers the call.
std::optional<Subject> ReadSubject(ApiServer& s, ApiCall& call, bool allow_tx) {
  Subject sub;
  auto coin = ParseCoin(call.ParamOr("coin", ""));
  if (!coin) {
    call.Fail(400, kUnsupportedToken,
              "coin '" + call.ParamOr("coin", "") + "' is not supported: see v1/status");
    return std::nullopt;
  }
  sub.coin = *coin;
  auto view = s.data().View(coin->chain);
  if (!view.ok()) {
    call.Fail(500, kInternalError, view.status().message());
    return std::nullopt;
  }
  sub.view = *view;
  const std::string address = call.ParamOr("address", "");
  const std::string txid = allow_tx ? call.ParamOr("txid", "") : "";
  if (!address.empty() && !txid.empty()) {
    call.Fail(400, kInvalidParameter, "pass either address or txid, not both");
    return std::nullopt;
  }
  if (!txid.empty()) {
    Hash32 h{};
    std::string_view bare = txid;
    if (bare.size() == 66 && bare[0] == '0' && (bare[1] == 'x' || bare[1] == 'X')) {
      bare.remove_prefix(2);
    }
    if (bare.size() != 64 || !ParseTxHashText(coin->chain, bare, &h)) {
      call.Fail(400, kInvalidParameter, "txid is not a transaction hash");
      return std::nullopt;
    }
    if (!sub.view->store || !(sub.tx = sub.view->store->FindTx(h))) {
      call.Fail(404, kNotFound, "transaction " + txid + " is not in the data of this server");
      return std::nullopt;
    }
    sub.text = TxHashText(coin->chain, h);
    return sub;
  }
  auto key = ParseAddress(coin->chain, address);
  if (!key.ok()) {
    call.Fail(400, kInvalidAddress, key.status().message());
    return std::nullopt;
  }
  sub.key = std::move(key).value();
  sub.text = FormatAddress(sub.key);
  return sub;
}

// Subjects of analysis endpoints need the chain's store.
bool NeedStore(ApiCall& call, const Subject& sub) {
  if (sub.view->store) return true;
  call.Fail(400, kUnsupportedToken,
            "this server has no " + std::string(ChainName(sub.coin.chain)) +
                " chain data (fundtrace ingest)");
  return false;
}

// The names other sources give an address with more than one tag, from the label store, kept
// in a cache shared by the server's threads (16 locked shards). An entry remembers the index
// (and its generation) it was read under: after a new index (an import, a user label) it is read
// again. A shard is emptied when it holds kShardEntries.
class TagNamesCache {
 public:
  static constexpr size_t kShards = 16;
  static constexpr size_t kShardEntries = 1 << 13;
  // The distinct entity and label names of every tag of `key`, winner first.
  static Result<std::vector<std::string>> Get(ApiServer& s, const ScreenIndex* index, Chain chain,
                                              const std::string& key) {
    static TagNamesCache cache;
    std::string k = s.data().data_dir() + '\0' + static_cast<char>(chain) + key;
    Shard& shard = cache.shards_[std::hash<std::string>()(k) % kShards];
    {
      std::lock_guard<std::mutex> lock(shard.mu);
      auto it = shard.map.find(k);
      if (it != shard.map.end() && it->second.index == index &&
          it->second.generation == index->generation()) {
        return it->second.names;
      }
    }
    FT_ASSIGN_OR_RETURN(LabelStore * store, s.data().ThreadLabelStore());
    FT_ASSIGN_OR_RETURN(auto tags, store->TagsOf(chain, key));
    Entry e{index, index->generation(), {}};
    auto add = [&](const std::string& v) {
      if (!v.empty() && std::find(e.names.begin(), e.names.end(), v) == e.names.end()) {
        e.names.push_back(v);
      }
    };
    for (const Tag& t : tags) {
      add(t.entity);
      add(t.label);
    }
    std::lock_guard<std::mutex> lock(shard.mu);
    if (shard.map.size() >= kShardEntries) shard.map.clear();
    shard.map[k] = e;
    return e.names;
  }

 private:
  struct Entry {
    const ScreenIndex* index;
    uint64_t generation;
    std::vector<std::string> names;
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Entry> map;
  };
  std::array<Shard, kShards> shards_;
};

// label_list: the winning tag's entity and label, then the other tags' names; label_type: the
// winning tag's category.
Json LabelsData(ApiServer& s, const Subject& sub, ApiCall& call) {
  Json list = Json::array();
  const ScreenIndex* idx = sub.view->labels.get();
  const ScreenEntry* e = idx ? idx->Find(sub.key) : nullptr;
  if (!e) return {{"label_list", list}, {"label_type", ""}};
  std::vector<std::string> names;
  auto add = [&](std::string_view v) {
    if (!v.empty() && std::find(names.begin(), names.end(), v) == names.end()) {
      names.emplace_back(v);
    }
  };
  add(idx->String(e->entity));
  add(idx->String(e->label));
  if (e->tags > 1) {
    auto more = TagNamesCache::Get(s, idx, sub.coin.chain, sub.key);
    if (!more.ok()) {
      call.Fail(500, kInternalError, more.status().message());
      return nullptr;
    }
    for (const std::string& n : *more) add(n);
  }
  for (auto& n : names) list.push_back(std::move(n));
  return {{"label_list", list}, {"label_type", std::string(idx->TermName(e->category))}};
}

void Risk(ApiServer& s, ApiCall& call) {
  auto sub = ReadSubject(s, call, true);
  if (!sub) return;
  const ChainView& v = *sub->view;
  if (!sub->tx && sub->key.empty()) {
    call.Fail(400, kInvalidAddress, "pass address or txid");
    return;
  }
  auto r = sub->tx ? v.scorer->ScoreTx(*sub->tx, v.risk_options)
                   : v.scorer->ScoreAddress(sub->key, v.risk_options);
  if (!r.ok()) {
    if (r.status().IsDeadlineExceeded()) {
      return call.TimedOut(
          "score it as a task: POST v2/risk_score_create_task, then GET "
          "v2/risk_score_query_task");
    }
    call.Fail(500, kInternalError, r.status().message());
    return;
  }
  call.Ok(RiskReportJson(*r, v.store.get()));
}

// Answers a failed analysis read: 504 when the budget ran out, else 500.
void FailAnalysis(ApiCall& call, const Status& st) {
  if (st.IsDeadlineExceeded()) {
    return call.TimedOut(
        "the address's history is too large to analyse within it; a risk score can run as a "
        "task (v2/risk_score_create_task)");
  }
  call.Fail(500, kInternalError, st.message());
}

// The risk of a subject as a task outcome (for the async API).
TaskOutcome RiskOutcome(std::shared_ptr<const ChainView> view, std::string key,
                        std::optional<TxId> tx) {
  TaskOutcome out;
  auto r = tx ? view->scorer->ScoreTx(*tx, view->risk_options)
              : view->scorer->ScoreAddress(key, view->risk_options);
  if (!r.ok()) {
    out.ok = false;
    out.msg = kInternalError;
    out.detail = r.status().message();
    out.http = 500;
    return out;
  }
  out.data = RiskReportJson(*r, view->store.get());
  return out;
}

std::string RiskTaskKey(const Subject& sub) {
  return "risk:" + std::string(ChainName(sub.coin.chain)) + ":" + sub.text;
}

// v1/transactions_investigation: the address's transfers of the coin's asset in the time window,
// one page of 1000 at a time (chain order), summed per counterparty and direction.
void Investigate(ApiServer& s, ApiCall& call) {
  auto sub = ReadSubject(s, call, false);
  if (!sub || !NeedStore(call, *sub)) return;
  auto start = call.IntParam("start_timestamp", 0, 0, INT64_MAX);
  if (!start) return;
  auto end = call.IntParam("end_timestamp", INT64_MAX, 0, INT64_MAX);
  if (!end) return;
  auto page = call.IntParam("page", 1, 1, 1000000);
  if (!page) return;
  const std::string type = call.ParamOr("type", "all");
  if (type != "all" && type != "in" && type != "out") {
    call.Fail(400, kInvalidParameter, "type must be in, out or all");
    return;
  }
  const EmbeddedChainStore& st = *sub->view->store;
  AssetId asset = kNativeAsset;
  bool have_asset = true;  // a token the store does not know has no transfers
  if (!sub->coin.token.empty()) {
    have_asset = false;
    for (size_t a = 0; a < st.AssetCount() && !have_asset; ++a) {
      if (AssetSymbol(st, static_cast<AssetId>(a)) == sub->coin.token) {
        asset = static_cast<AssetId>(a);
        have_asset = true;
      }
    }
  }
  Json in = Json::array(), out = Json::array();
  size_t total = 0;
  auto id = st.FindAddress(sub->key);
  if (id && have_asset) {
    const AddressId one[1] = {*id};
    Direction dir = type == "in"    ? Direction::kIn
                    : type == "out" ? Direction::kOut
                                    : Direction::kBoth;
    std::vector<Transfer> rows;
    Status got = st.TransfersOf(one, dir, BlockRange{}, &rows);
    if (!got.ok()) {
      call.Fail(500, kInternalError, got.message());
      return;
    }
    std::vector<const Transfer*> picked;
    for (const Transfer& t : rows) {
      if (t.asset != asset || t.unresolved()) continue;
      const uint64_t time = st.Tx(t.tx).time;
      if (static_cast<int64_t>(time) < *start || static_cast<int64_t>(time) > *end) continue;
      if (t.from == *id && t.to == *id) continue;
      picked.push_back(&t);
    }
    total = picked.size();
    const size_t first = (static_cast<size_t>(*page) - 1) * kTxsPerPage;
    struct Sum {
      U256 amount = 0;
      uint64_t count = 0;
    };
    std::map<AddressId, Sum> sums[2];  // [0] in, [1] out
    for (size_t i = first; i < picked.size() && i < first + kTxsPerPage; ++i) {
      const Transfer& t = *picked[i];
      const bool incoming = t.to == *id;
      AddressId other = incoming ? t.from : t.to;
      if (other == kNoAddress) continue;
      Sum& sum = sums[incoming ? 0 : 1][other];
      sum.amount = sum.amount + t.amount;
      ++sum.count;
    }
    const ScreenIndex* idx = sub->view->labels.get();
    for (int side = 0; side < 2; ++side) {
      std::vector<std::pair<AddressId, Sum>> v(sums[side].begin(), sums[side].end());
      std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
        return a.second.amount > b.second.amount;
      });
      for (const auto& [a, sum] : v) {
        std::string key = st.AddressKey(a);
        const ScreenEntry* e = idx ? idx->Find(key) : nullptr;
        std::string label = e ? std::string(idx->String(e->entity).empty() ? idx->String(e->label)
                                                                           : idx->String(e->entity))
                              : "";
        (side == 0 ? in : out)
            .push_back({{"address", FormatAddress(key)},
                        {"amount", FormatAssetAmount(st, asset, sum.amount)},
                        {"label", label},
                        {"type", e ? std::string(idx->TermName(e->category)) : ""},
                        {"tx_count", sum.count}});
      }
    }
  }
  const size_t pages = std::max<size_t>(1, (total + kTxsPerPage - 1) / kTxsPerPage);
  const size_t first = (static_cast<size_t>(*page) - 1) * kTxsPerPage;
  call.Ok({{"in", in},
           {"out", out},
           {"page", *page},
           {"total_pages", pages},
           {"transactions_on_page", first >= total ? 0 : std::min(kTxsPerPage, total - first)}});
}

}  // namespace

void AddMisttrackRoutes(ApiServer& s) {
  s.Api("GET", "/v1/status", true, true, [](ApiCall& call) {
    call.Ok({{"support_coin", SupportedCoins()}});
  });
  s.Api("GET", "/v1/address_labels", true, true, [&s](ApiCall& call) {
    auto sub = ReadSubject(s, call, false);
    if (!sub) return;
    Json data = LabelsData(s, *sub, call);
    if (!call.done()) call.Ok(std::move(data));
  });
  s.Api("GET", "/v1/address_overview", true, true, [&s](ApiCall& call) {
    auto sub = ReadSubject(s, call, false);
    if (!sub || !NeedStore(call, *sub)) return;
    const ChainStore& st = *sub->view->store;
    AddressOverview o;
    if (auto id = st.FindAddress(sub->key)) {
      auto r = OverviewOf(*sub->view->bounded, *id);
      if (!r.ok()) return FailAnalysis(call, r.status());
      o = *r;
    }
    call.Ok(OverviewJson(o, st));
  });
  s.Api("GET", "/v2/risk_score", true, true, [&s](ApiCall& call) { Risk(s, call); });
  s.Api("GET", "/v3/risk_score", true, true, [&s](ApiCall& call) { Risk(s, call); });
  s.Api("GET", "/v1/transactions_investigation", true, true,
        [&s](ApiCall& call) { Investigate(s, call); });
  s.Api("GET", "/v1/address_action", true, true, [&s](ApiCall& call) {
    auto sub = ReadSubject(s, call, false);
    if (!sub || !NeedStore(call, *sub)) return;
    const ChainStore& st = *sub->view->store;
    AddressActivity a;
    if (auto id = st.FindAddress(sub->key)) {
      auto r = ActivityOf(*sub->view->bounded, sub->view->labels.get(), *id);
      if (!r.ok()) return FailAnalysis(call, r.status());
      a = *r;
    }
    // MistTrack's sample answer has action_dic beside data, not in it: give both.
    Json data = ActivityJson(a);
    Json env = {{"success", true}, {"msg", ""}, {"data", data}, {"action_dic", data["action_dic"]}};
    call.Raw(200, env.dump(-1, ' ', false, Json::error_handler_t::replace), "application/json");
  });
  s.Api("GET", "/v1/address_trace", true, true, [&s](ApiCall& call) {
    auto sub = ReadSubject(s, call, false);
    if (!sub || !NeedStore(call, *sub)) return;
    const ChainStore& st = *sub->view->store;
    AddressProfile p;
    if (auto id = st.FindAddress(sub->key)) {
      auto r = ProfileOf(*sub->view->bounded, sub->view->labels.get(), *id);
      if (!r.ok()) return FailAnalysis(call, r.status());
      p = *r;
    }
    call.Ok(ProfileJson(p, st));
  });
  s.Api("GET", "/v1/address_counterparty", true, true, [&s](ApiCall& call) {
    auto sub = ReadSubject(s, call, false);
    if (!sub || !NeedStore(call, *sub)) return;
    const ChainStore& st = *sub->view->store;
    std::vector<CounterpartyShare> list;
    if (auto id = st.FindAddress(sub->key)) {
      auto r =
          CounterpartiesOf(*sub->view->bounded, sub->view->labels.get(), *id, kCounterpartyTop);
      if (!r.ok()) return FailAnalysis(call, r.status());
      list = std::move(*r);
    }
    call.Ok(CounterpartiesJson(list, st));
  });
  s.Api("POST", "/v2/risk_score_create_task", true, true, [&s](ApiCall& call) {
    auto sub = ReadSubject(s, call, true);
    if (!sub) return;
    if (!sub->tx && sub->key.empty()) {
      return call.Fail(400, kInvalidAddress, "pass address or txid");
    }
    const std::string key = RiskTaskKey(*sub);
    auto known = s.tasks().FindByKey(key);
    if (known && known->state == TaskState::kDone && known->outcome->ok) {
      return call.Ok(
          {{"scanned_ts", known->finished}, {"has_result", true}, {"task_id", known->id}});
    }
    auto id = s.tasks().Submit("risk", key, [view = sub->view, k = sub->key, tx = sub->tx] {
      return RiskOutcome(view, k, tx);
    });
    if (!id) return call.Fail(503, kBusy, "too many tasks are waiting: retry in a few seconds");
    call.Ok({{"scanned_ts", 0}, {"has_result", false}, {"task_id", *id}});
  });
  // MistTrack: "This API has NO rate limit."
  s.Api("GET", "/v2/risk_score_query_task", true, false, [&s](ApiCall& call) {
    auto sub = ReadSubject(s, call, true);
    if (!sub) return;
    auto task = s.tasks().FindByKey(RiskTaskKey(*sub));
    if (!task) {
      return call.Fail(404, kTaskNotFound,
                       "no task for this target: create it with v2/risk_score_create_task");
    }
    if (task->state != TaskState::kDone) {
      return call.Ok(nullptr, "TaskUnderRunning");
    }
    if (!task->outcome->ok) {
      return call.Fail(task->outcome->http, task->outcome->msg, task->outcome->detail);
    }
    Json data = task->outcome->data;
    data["scanned_ts"] = task->finished;
    call.Ok(std::move(data));
  });
}

}  // namespace fundtrace
