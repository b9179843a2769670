// `fundtrace profile ADDR`: MistTrack's address analysis in one place: overview, counterparties,
// activity mix and profile (first funder, platforms used, malicious events touched).
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "analysis/analysis_json.h"
#include "chain/address.h"
#include "cli/chain_flag.h"
#include "cli/format.h"
#include "cli/risk_commands.h"
#include "labels/label_store.h"
#include "labels/screener.h"
#include "store/embedded_store.h"

namespace fundtrace {
namespace {

using Json = nlohmann::json;

struct ProfileArgs {
  std::string address, chain;
  std::vector<std::string> sections;
  size_t top = 10;
};

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? "-" : out;
}

int RunProfile(const GlobalOptions& g, const ProfileArgs& a) {
  auto chain_or = ChainOption(a.chain, a.address);
  if (!chain_or.ok()) return ReportError(chain_or.status());
  const Chain chain = *chain_or;
  auto key = ParseAddress(chain, a.address);
  if (!key.ok()) return ReportError(key.status());
  auto store = EmbeddedChainStore::OpenReadOnly(g.data_dir, chain);
  if (!store.ok()) return ReportError(store.status());
  const ChainStore& st = **store;
  std::string text = FormatAddress(*key);
  auto id = st.FindAddress(*key);
  if (!id) {
    return ReportError(Status::NotFound(text + " has no transfers in the " +
                                        std::string(ChainName(chain)) + " data of " + g.data_dir +
                                        " (check the address, or ingest its history)"));
  }
  std::unique_ptr<LabelStore> labels;
  const ScreenIndex* index = nullptr;
  if (auto l = LabelStore::Open(g.data_dir); l.ok()) {
    labels = std::move(*l);
    auto idx = labels->Index();
    if (!idx.ok()) return ReportError(idx.status());
    index = *idx;
  } else if (!l.status().IsNotFound()) {
    return ReportError(l.status());
  }
  auto want = [&](const char* s) {
    if (a.sections.empty()) return true;
    for (const auto& x : a.sections) {
      if (x == s) return true;
    }
    return false;
  };
  Json j = {{"address", text}, {"chain", std::string(ChainName(chain))}};
  std::string sym(NativeSymbol(chain));
  if (!g.json)
    std::printf("Address   %s (%s)\n", text.c_str(), std::string(ChainName(chain)).c_str());
  if (want("overview")) {
    auto o = OverviewOf(st, *id);
    if (!o.ok()) return ReportError(o.status());
    j["overview"] = OverviewJson(*o, st);
    if (!g.json) {
      const Json& v = j["overview"];
      std::printf("\nOverview (%s)\n", sym.c_str());
      std::printf(
          "  balance %s, received %s in %s transfers, spent %s in %s, fees %s\n",
          v["balance"].get<std::string>().c_str(), v["total_received"].get<std::string>().c_str(),
          FormatCount(o->received_count).c_str(), v["total_spent"].get<std::string>().c_str(),
          FormatCount(o->spent_count).c_str(), v["fees"].get<std::string>().c_str());
      std::printf("  %s txs, first seen %s, last seen %s\n", FormatCount(o->txs_count).c_str(),
                  FormatTime(o->first_seen).c_str(), FormatTime(o->last_seen).c_str());
    }
  }
  if (want("counterparties")) {
    auto c = CounterpartiesOf(st, index, *id, a.top);
    if (!c.ok()) return ReportError(c.status());
    j["counterparty"] = CounterpartiesJson(*c, st);
    if (!g.json) {
      Table t({"counterparty", "category", "addresses", "amount " + sym, "percent", "received from",
               "sent to", "transfers"},
              {2, 3, 4, 5, 6, 7});
      for (const auto& row : j["counterparty"]["address_counterparty_list"]) {
        char pct[16];
        std::snprintf(pct, sizeof pct, "%.2f%%", row["percent"].get<double>());
        t.Add({row["name"].get<std::string>(),
               row["category"].is_null() ? "-" : row["category"].get<std::string>(),
               std::to_string(row["addresses"].get<uint64_t>()), row["amount"].get<std::string>(),
               pct, row["received_from"].get<std::string>(), row["sent_to"].get<std::string>(),
               FormatCount(row["transfers"].get<uint64_t>())});
      }
      std::printf("\nCounterparties by %s moved (top %zu)\n%s", sym.c_str(), a.top,
                  t.ToString().c_str());
    }
  }
  if (want("activity")) {
    auto act = ActivityOf(st, index, *id);
    if (!act.ok()) return ReportError(act.status());
    j["action"] = ActivityJson(*act);
    if (!g.json) {
      auto line = [](const std::vector<ActionCount>& v) {
        std::string s;
        for (const auto& c : v) {
          char buf[96];
          std::snprintf(buf, sizeof buf, "%s %llu (%.1f%%)", c.action.c_str(),
                        static_cast<unsigned long long>(c.count), c.proportion);
          s += (s.empty() ? "" : ", ") + std::string(buf);
        }
        return s.empty() ? std::string("-") : s;
      };
      std::printf("\nActivity (txs)\n  received: %s\n  spent:    %s\n",
                  line(act->received_txs).c_str(), line(act->spent_txs).c_str());
    }
  }
  if (want("profile")) {
    auto p = ProfileOf(st, index, *id);
    if (!p.ok()) return ReportError(p.status());
    j["trace"] = ProfileJson(*p, st);
    if (!g.json) {
      std::printf("\nProfile\n");
      if (p->first_funder != kNoAddress) {
        std::printf(
            "  first funded by %s%s in tx %s\n", AddressText(st, p->first_funder).c_str(),
            p->first_funder_label.empty() ? "" : (" (" + p->first_funder_label + ")").c_str(),
            TxHashText(chain, st.Tx(p->first_funding_tx).hash).c_str());
      } else {
        std::printf("  first funder: none in the store\n");
      }
      for (const auto& grp : p->platforms) {
        std::printf("  platform  %-17s %s\n", grp.kind.c_str(), Join(grp.names).c_str());
      }
      for (const auto& grp : p->malicious) {
        std::printf("  malicious %-17s %s\n", grp.kind.c_str(), Join(grp.names).c_str());
      }
    }
  }
  if (g.json) std::printf("%s\n", j.dump(2).c_str());
  return kExitOk;
}

}  // namespace

void AddProfileCommand(CLI::App& app, GlobalOptions& g, std::function<int()>* run) {
  auto a = std::make_shared<ProfileArgs>();
  auto* p = app.add_subcommand("profile",
                               "Address analysis: overview, counterparties with shares, activity "
                               "mix, first funder, platforms and malicious events");
  p->add_option("address", a->address, "0x… (Ethereum), 1…/3…/bc1… (Bitcoin), T… (TRON)")
      ->required();
  p->add_option("--chain", a->chain, "eth, btc or trx (default: from the address's form)");
  p->add_option("--section", a->sections,
                "Only these parts (repeatable): overview, counterparties, activity, profile")
      ->check(CLI::IsMember({"overview", "counterparties", "activity", "profile"}));
  p->add_option("--top", a->top, "Counterparties to list (default 10)");
  p->footer(
      "The answers of MistTrack's address_overview, address_counterparty, address_action and\n"
      "address_trace (--json uses their field names) over the native asset. Counterparties are\n"
      "grouped by entity when labelled; activity counts txs by what the counterparty is "
      "(Exchange,\n"
      "DEX, Mixer, Bridge, NFT, Gambling), Swap when another asset came back, else Transfer.\n"
      "Example:\n"
      "  fundtrace profile 0x002f0c8119c16d310342d869ca8bf6ace34d9c39 --section counterparties");
  p->callback([run, &g, a] { *run = [&g, a] { return RunProfile(g, *a); }; });
}

}  // namespace fundtrace
