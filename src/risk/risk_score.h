// The risk score of an address or a tx: own labels first, then exposure (exposure.h), turned
// into MistTrack's answer: a score 3-100, a level (Low / Moderate / High / Severe), the reasons
// (detail_list) and one risk detail per risky entity with its type, direct/indirect, hop,
// volume, percent and the hop-by-hop path. The formula is in docs/risk.md; its numbers come from
// RiskWeights.
//
// Thread-safety: a RiskScorer is immutable; Score* may run concurrently.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "labels/screen_index.h"
#include "labels/tag.h"
#include "risk/exposure.h"
#include "risk/risk_weights.h"
#include "store/chain_store.h"

namespace fundtrace {

// A risk the address's own tags state.
struct OwnRisk {
  const RiskWeight* weight = nullptr;
  std::string label, entity, source;  // of the tag that states it (source "" when unknown)
  int confidence = 0;
};

// One risky entity met by the exposure search, in one direction.
struct RiskDetail {
  const RiskWeight* weight = nullptr;  // the risky term (weight->id, weight->risk_type)
  std::string entity;                  // entity name, else the label, else the address
  std::string label, source;
  AddressId address = kNoAddress;  // the labelled address of the best path
  std::string address_key;
  bool incoming = true;
  bool scored = true;  // false: its direction weighs 0 (what victims pay): evidence only
  int hop = 1;         // nearest hop
  double share = 0;    // 0-1 of the subject's received (sent) value
  double decayed = 0;  // share with the per-hop decay applied
  double volume = 0;   // share * the subject's received (sent) value, native whole units
  std::vector<PathStep> path;
  double path_share = 0;  // share carried by `path`
  int addresses = 1;      // labelled addresses of this entity met
};

struct RiskReport {
  int score = 0;
  const char* level = "Low";
  std::vector<std::string> detail_list;
  std::string hacking_event;  // the theft event named by a label, "" if none
  std::vector<OwnRisk> own;
  std::vector<RiskDetail> details;  // strongest first
  bool in_store = false;            // the address has transfers in the store
  std::string label;                // the address's shown label, "" if none
  ExposureResult exposure;
};

struct RiskOptions {
  ExposureOptions exposure;  // set from RiskWeights::exposure() by default
  static RiskOptions From(const RiskWeights& w);
};

class RiskScorer {
 public:
  // `store` and `labels` may be null (no chain data / no labels).
  RiskScorer(const ChainStore* store, const ScreenIndex* labels, const RiskWeights& weights);

  // Scores an address by its binary key. `own_tags`, when given, are the address's tags (winner
  // first): they name the source of each own risk; otherwise the index's winner is used.
  // `cache`: the calling thread's expansion cache (batches), or null.
  Result<RiskReport> ScoreAddress(std::string_view key, const RiskOptions& options,
                                  const std::vector<Tag>* own_tags = nullptr,
                                  ExposureCache* cache = nullptr) const;
  // Scores a tx as a deposit (exposure of its senders' funds). REQUIRES: store given.
  Result<RiskReport> ScoreTx(TxId tx, const RiskOptions& options) const;

  const RiskWeights& weights() const { return weights_; }

 private:
  void Finish(RiskReport* r) const;
  const ChainStore* store_;
  const ScreenIndex* labels_;
  const RiskWeights& weights_;
  std::unique_ptr<ExposureFinder> finder_;
};

}  // namespace fundtrace
