#include "risk/risk_score.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "chain/address.h"

namespace fundtrace {
namespace {

// MistTrack's detail_list text for exposure to a risk type.
std::string InteractText(const RiskWeight& w, bool direct) {
  if (w.risk_type == "sanctioned_entity" || w.risk_type == "illicit_activity") {
    return direct ? "Interact With Malicious Address" : "Interact With Suspected Malicious Address";
  }
  if (w.risk_type == "mixer") return "Interact With High-risk Tag Address";
  return "Interact With Medium-risk Tag Addresses";
}

}  // namespace

RiskOptions RiskOptions::From(const RiskWeights& w) {
  RiskOptions o;
  const ExposureDefaults& d = w.exposure();
  o.exposure.hops = d.hops;
  o.exposure.fanout = d.fanout;
  o.exposure.min_share = d.min_share;
  o.exposure.max_degree = d.max_degree;
  o.exposure.hop_budget = d.hop_budget;
  o.exposure.decay = d.decay;
  return o;
}

RiskScorer::RiskScorer(const ChainStore* store, const ScreenIndex* labels,
                       const RiskWeights& weights)
    : store_(store), labels_(labels), weights_(weights) {
  if (store_) finder_ = std::make_unique<ExposureFinder>(*store_, labels_, weights_);
}

Result<RiskReport> RiskScorer::ScoreAddress(std::string_view key, const RiskOptions& options,
                                            const std::vector<Tag>* own_tags,
                                            ExposureCache* cache) const {
  RiskReport r;
  const ScreenEntry* e = labels_ ? labels_->Find(key) : nullptr;
  if (e) {
    r.label = std::string(labels_->String(e->label));
    if (r.label.empty()) r.label = std::string(labels_->String(e->entity));
    std::string_view cat = labels_->TermName(e->category);
    std::string_view abuse = e->abuse == kNoTerm ? "" : labels_->TermName(e->abuse);
    for (uint16_t i = 0; i < kMaxRiskTerms && !labels_->TermName(i).empty(); ++i) {
      if (!((e->risk_mask >> i) & 1)) continue;
      const RiskWeight* w = weights_.Find(labels_->TermName(i));
      if (!w) continue;
      OwnRisk o;
      o.weight = w;
      o.label = r.label;
      o.entity = std::string(labels_->String(e->entity));
      o.confidence = e->confidence;
      if (cat == w->id || abuse == w->id) o.source = std::string(labels_->String(e->source));
      if (own_tags) {
        for (const Tag& t : *own_tags) {
          if (t.category == w->id || t.abuse == w->id) {
            o.label = t.label;
            o.entity = t.entity;
            o.source =
                t.source + (t.dataset.empty() || t.dataset == t.source ? "" : "/" + t.dataset);
            o.confidence = t.confidence;
            break;
          }
        }
      }
      r.own.push_back(std::move(o));
    }
    // Most severe first (own score), then id.
    std::sort(r.own.begin(), r.own.end(), [](const OwnRisk& a, const OwnRisk& b) {
      return std::tie(b.weight->own, a.weight->id) < std::tie(a.weight->own, b.weight->id);
    });
  }
  if (store_) {
    if (auto id = store_->FindAddress(key)) {
      r.in_store = true;
      FT_ASSIGN_OR_RETURN(r.exposure, finder_->OfAddress(*id, options.exposure, cache));
    }
  }
  Finish(&r);
  return r;
}

Result<RiskReport> RiskScorer::ScoreTx(TxId tx, const RiskOptions& options) const {
  RiskReport r;
  r.in_store = true;
  ExposureOptions o = options.exposure;
  o.incoming = true;
  o.outgoing = false;
  FT_ASSIGN_OR_RETURN(r.exposure, finder_->OfTx(tx, o));
  Finish(&r);
  return r;
}

void RiskScorer::Finish(RiskReport* r) const {
  // Risk details: one per (term, entity, direction), its nearest hop and best path.
  std::map<std::tuple<std::string, std::string, bool>, size_t> slot;
  std::map<std::string, std::set<std::string>> term_addresses;  // risky term -> hit keys
  for (const ExposureHit& h : r->exposure.hits) {
    std::string entity = std::string(labels_->String(h.entry->entity));
    std::string label = std::string(labels_->String(h.entry->label));
    std::string source = std::string(labels_->String(h.entry->source));
    if (entity.empty()) entity = label.empty() ? FormatAddress(h.key) : label;
    for (const RiskWeight* w : finder_->RiskyTerms(*h.entry)) {
      term_addresses[w->id].insert(h.key);
      auto key = std::make_tuple(w->id, entity, h.incoming);
      auto [it, fresh] = slot.try_emplace(key, r->details.size());
      if (fresh) {
        RiskDetail d;
        d.weight = w;
        d.entity = entity;
        d.incoming = h.incoming;
        d.hop = h.hop;
        d.addresses = 0;
        r->details.push_back(std::move(d));
      }
      RiskDetail& d = r->details[it->second];
      double base = h.incoming ? r->exposure.received : r->exposure.sent;
      // The best path of the entity: its nearest hop, then the largest share.
      if (d.path.empty() || h.hop < d.hop || (h.hop == d.hop && h.best > d.path_share)) {
        d.path_share = h.best;
        d.address = h.address;
        d.address_key = h.key;
        d.label = label;
        d.source = source;
        d.path = h.path;
      }
      d.hop = std::min(d.hop, h.hop);
      d.share += h.share;
      d.decayed += h.decayed;
      d.volume = d.share * base;
      ++d.addresses;
    }
  }
  // Per risky term: the exposure score.
  const ExposureDefaults& ed = weights_.exposure();
  struct TermScore {
    double in = 0, out = 0;
    bool direct = false;
  };
  std::map<std::string, TermScore> terms;
  for (RiskDetail& d : r->details) {
    TermScore& t = terms[d.weight->id];
    (d.incoming ? t.in : t.out) += d.decayed;
    double dir_weight = d.incoming ? ed.incoming : d.weight->outgoing;
    d.scored = dir_weight > 0;
    if (d.hop == 1 && d.scored) t.direct = true;
  }
  struct Reason {
    int score;
    std::string text;
    std::string id;
    std::set<std::string> addresses;  // whose labels it rests on ("" = the subject itself)
  };
  std::vector<Reason> reasons;
  for (const OwnRisk& o : r->own) {
    reasons.push_back({o.weight->own, o.weight->detail, o.weight->id, {std::string()}});
  }
  for (const auto& [id, t] : terms) {
    const RiskWeight* w = weights_.Find(id);
    double e = std::min(1.0, ed.incoming * t.in + w->outgoing * t.out);
    int s = static_cast<int>(std::lround(w->max * std::min(1.0, e / w->full)));
    if (t.direct) s = std::max(s, w->direct);
    if (s > 0) reasons.push_back({s, InteractText(*w, t.direct), id, term_addresses[id]});
  }
  std::stable_sort(reasons.begin(), reasons.end(), [](const Reason& a, const Reason& b) {
    return a.score != b.score ? a.score > b.score : a.id < b.id;
  });
  // The strongest reason counts whole; another adds `others` of its score only when it rests on
  // an address not counted yet (one address labelled phishing and scam is one reason, not two).
  double score = 0;
  std::set<std::string> counted;
  for (size_t i = 0; i < reasons.size(); ++i) {
    bool fresh = false;
    for (const auto& a : reasons[i].addresses) fresh |= counted.insert(a).second;
    if (i == 0 || fresh) score += i == 0 ? reasons[i].score : ed.others * reasons[i].score;
    if (std::find(r->detail_list.begin(), r->detail_list.end(), reasons[i].text) ==
        r->detail_list.end()) {
      r->detail_list.push_back(reasons[i].text);
    }
  }
  r->score = std::clamp(static_cast<int>(std::lround(score)), weights_.minimum(), 100);
  r->level = weights_.Level(r->score);
  // Details strongest first: decayed share, then nearest hop, then entity.
  std::sort(r->details.begin(), r->details.end(), [](const RiskDetail& a, const RiskDetail& b) {
    if (a.decayed != b.decayed) return a.decayed > b.decayed;
    if (a.hop != b.hop) return a.hop < b.hop;
    return std::tie(a.weight->id, a.entity, b.incoming) <
           std::tie(b.weight->id, b.entity, a.incoming);
  });
  for (const OwnRisk& o : r->own) {
    if (o.weight->id == "theft" && r->hacking_event.empty()) r->hacking_event = o.label;
  }
  for (const RiskDetail& d : r->details) {
    if (d.weight->id == "theft" && r->hacking_event.empty()) r->hacking_event = d.entity;
  }
}

}  // namespace fundtrace
