// The risk weights: which categories and abuse types of the label taxonomy are risky, what an
// address's own label scores, how exposure to each becomes a score, and the exposure search's
// defaults. The data lives in one reviewable YAML file (risk_weights_yaml.inc) compiled into the
// binary; Parse() reads an edited copy. The formula is documented in docs/risk.md.
// A RiskWeights is immutable after Parse and safe to share between threads.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "labels/taxonomy.h"
#include "util/status.h"

namespace fundtrace {

struct RiskWeight {
  std::string id;         // taxonomy category or abuse id ("theft")
  std::string risk_type;  // MistTrack's risk_type ("illicit_activity")
  std::string detail;     // MistTrack's detail_list text for the address itself
  int own = 0;            // score of an address whose own tags state `id`
  int direct = 0;         // least score of direct (hop 1) exposure
  int max = 0;            // score at full exposure
  double full = 1;        // effective share at which exposure reaches `max`
  double outgoing = 0.5;  // weight of sent-to exposure (default: exposure.outgoing)
};

struct ExposureDefaults {
  int hops = 3;
  double decay = 0.5;
  size_t fanout = 48;
  double min_share = 1e-4;
  uint64_t max_degree = 5000;
  uint64_t hop_budget = 20000;
  double incoming = 1.0;
  double outgoing = 0.5;
  double others = 0.1;
};

class RiskWeights {
 public:
  // Parses weights YAML against `taxonomy`. Errors: InvalidArgument "<name>: ..." for YAML
  // syntax, an id that is not a category or abuse type of the taxonomy (named), a missing or
  // out-of-range field (named with its id).
  static Result<RiskWeights> Parse(std::string_view yaml_text, const std::string& name,
                                   const Taxonomy& taxonomy);
  // The compiled-in weights against Taxonomy::Default() (parsed once; validity is a unit test).
  static const RiskWeights& Default();
  static std::string_view DefaultYaml();

  // The weight of a risky id, nullptr when the id is not risky.
  const RiskWeight* Find(std::string_view id) const;
  bool IsStop(std::string_view category) const { return stop_.count(std::string(category)) > 0; }
  const std::map<std::string, RiskWeight, std::less<>>& risks() const { return risks_; }
  const ExposureDefaults& exposure() const { return exposure_; }
  int low() const { return low_; }
  int moderate() const { return moderate_; }
  int high() const { return high_; }
  int minimum() const { return minimum_; }
  // "Low", "Moderate", "High" or "Severe" for a score.
  const char* Level(int score) const;

 private:
  std::map<std::string, RiskWeight, std::less<>> risks_;
  std::set<std::string> stop_;
  ExposureDefaults exposure_;
  int low_ = 30, moderate_ = 70, high_ = 90, minimum_ = 3;
};

}  // namespace fundtrace
