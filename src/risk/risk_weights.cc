#include "risk/risk_weights.h"

#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <cstdlib>

namespace fundtrace {
namespace {

constexpr std::string_view kDefaultYaml =
#include "risk/risk_weights_yaml.inc"
    ;

Status Bad(const std::string& name, const std::string& what) {
  return Status::InvalidArgument(name + ": " + what);
}

// Reads a number field of `node`, checking lo <= value <= hi.
template <typename T>
Status ReadNumber(const YAML::Node& node, const char* field, T lo, T hi, const std::string& name,
                  const std::string& where, T* out) {
  YAML::Node v = node[field];
  if (!v) return Bad(name, where + ": missing field '" + field + "'");
  try {
    *out = v.as<T>();
  } catch (const YAML::Exception&) {
    return Bad(name, where + ": field '" + field + "' is not a number");
  }
  if (*out < lo || *out > hi) {
    return Bad(name, where + ": field '" + field + "' = " + v.as<std::string>() +
                         " is out of range [" + std::to_string(lo) + ", " + std::to_string(hi) +
                         "]");
  }
  return Status::OK();
}

Status ReadString(const YAML::Node& node, const char* field, const std::string& name,
                  const std::string& where, std::string* out) {
  YAML::Node v = node[field];
  if (!v || !v.IsScalar() || v.as<std::string>().empty()) {
    return Bad(name, where + ": missing field '" + field + "'");
  }
  *out = v.as<std::string>();
  return Status::OK();
}

Status ParseInto(const YAML::Node& root, const std::string& name, const Taxonomy& taxonomy,
                 std::map<std::string, RiskWeight, std::less<>>* risks, std::set<std::string>* stop,
                 ExposureDefaults* e, int* bands) {
  if (!root.IsMap()) return Bad(name, "expected a YAML mapping at the top");
  YAML::Node levels = root["levels"];
  if (!levels || !levels.IsMap()) return Bad(name, "missing 'levels'");
  FT_RETURN_IF_ERROR(ReadNumber(levels, "low", 0, 100, name, "levels", &bands[0]));
  FT_RETURN_IF_ERROR(ReadNumber(levels, "moderate", 0, 100, name, "levels", &bands[1]));
  FT_RETURN_IF_ERROR(ReadNumber(levels, "high", 0, 100, name, "levels", &bands[2]));
  if (!(bands[0] < bands[1] && bands[1] < bands[2])) {
    return Bad(name, "levels: expected low < moderate < high");
  }
  FT_RETURN_IF_ERROR(ReadNumber(root, "minimum", 0, 100, name, "top level", &bands[3]));

  YAML::Node ex = root["exposure"];
  if (!ex || !ex.IsMap()) return Bad(name, "missing 'exposure'");
  FT_RETURN_IF_ERROR(ReadNumber(ex, "hops", 1, 10, name, "exposure", &e->hops));
  FT_RETURN_IF_ERROR(ReadNumber(ex, "decay", 0.0, 1.0, name, "exposure", &e->decay));
  int fanout = 0;
  FT_RETURN_IF_ERROR(ReadNumber(ex, "fanout", 1, 1 << 20, name, "exposure", &fanout));
  e->fanout = static_cast<size_t>(fanout);
  FT_RETURN_IF_ERROR(ReadNumber(ex, "min_share", 0.0, 1.0, name, "exposure", &e->min_share));
  int64_t degree = 0, budget = 0;
  FT_RETURN_IF_ERROR(
      ReadNumber<int64_t>(ex, "max_degree", 1, int64_t{1} << 40, name, "exposure", &degree));
  FT_RETURN_IF_ERROR(
      ReadNumber<int64_t>(ex, "hop_budget", 1, int64_t{1} << 40, name, "exposure", &budget));
  e->max_degree = static_cast<uint64_t>(degree);
  e->hop_budget = static_cast<uint64_t>(budget);
  FT_RETURN_IF_ERROR(ReadNumber(ex, "incoming", 0.0, 1.0, name, "exposure", &e->incoming));
  FT_RETURN_IF_ERROR(ReadNumber(ex, "outgoing", 0.0, 1.0, name, "exposure", &e->outgoing));
  FT_RETURN_IF_ERROR(ReadNumber(ex, "others", 0.0, 1.0, name, "exposure", &e->others));

  YAML::Node st = root["stop_categories"];
  if (!st || !st.IsSequence()) return Bad(name, "missing 'stop_categories' (a list)");
  for (const auto& s : st) {
    std::string id = s.as<std::string>();
    if (!taxonomy.Term(id)) {
      return Bad(name, "stop_categories: unknown id '" + id +
                           "' (not a category or abuse type of the label taxonomy)");
    }
    stop->insert(id);
  }

  YAML::Node rs = root["risks"];
  if (!rs || !rs.IsMap()) return Bad(name, "missing 'risks'");
  for (const auto& kv : rs) {
    RiskWeight r;
    r.id = kv.first.as<std::string>();
    if (!taxonomy.Term(r.id)) {
      return Bad(name, "risks: unknown id '" + r.id +
                           "' (not a category or abuse type of the label taxonomy)");
    }
    const YAML::Node& v = kv.second;
    std::string where = "risks." + r.id;
    if (!v.IsMap()) return Bad(name, where + ": expected a mapping");
    FT_RETURN_IF_ERROR(ReadString(v, "risk_type", name, where, &r.risk_type));
    FT_RETURN_IF_ERROR(ReadString(v, "detail", name, where, &r.detail));
    FT_RETURN_IF_ERROR(ReadNumber(v, "own", 0, 100, name, where, &r.own));
    FT_RETURN_IF_ERROR(ReadNumber(v, "direct", 0, 100, name, where, &r.direct));
    FT_RETURN_IF_ERROR(ReadNumber(v, "max", 0, 100, name, where, &r.max));
    FT_RETURN_IF_ERROR(ReadNumber(v, "full", 1e-9, 1.0, name, where, &r.full));
    r.outgoing = e->outgoing;
    if (v["outgoing"]) {
      FT_RETURN_IF_ERROR(ReadNumber(v, "outgoing", 0.0, 1.0, name, where, &r.outgoing));
    }
    (*risks)[r.id] = r;
  }
  return Status::OK();
}

}  // namespace

Result<RiskWeights> RiskWeights::Parse(std::string_view yaml_text, const std::string& name,
                                       const Taxonomy& taxonomy) {
  RiskWeights w;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    return Bad(name, "line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  int bands[4] = {};
  Status s;
  try {
    s = ParseInto(root, name, taxonomy, &w.risks_, &w.stop_, &w.exposure_, bands);
  } catch (const YAML::Exception& e) {
    return Bad(name, "line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  if (!s.ok()) return s;
  w.low_ = bands[0];
  w.moderate_ = bands[1];
  w.high_ = bands[2];
  w.minimum_ = bands[3];
  return w;
}

const RiskWeights& RiskWeights::Default() {
  static const RiskWeights* w = [] {
    auto r = Parse(kDefaultYaml, "risk_weights_yaml.inc", Taxonomy::Default());
    if (!r.ok()) {
      // The compiled-in file is checked by a unit test; reaching this is a build defect.
      std::fprintf(stderr, "fundtrace: built-in risk weights: %s\n", r.status().message().c_str());
      std::abort();
    }
    return new RiskWeights(std::move(*r));
  }();
  return *w;
}

std::string_view RiskWeights::DefaultYaml() { return kDefaultYaml; }

const RiskWeight* RiskWeights::Find(std::string_view id) const {
  auto it = risks_.find(id);
  return it == risks_.end() ? nullptr : &it->second;
}

const char* RiskWeights::Level(int score) const {
  if (score <= low_) return "Low";
  if (score <= moderate_) return "Moderate";
  if (score <= high_) return "High";
  return "Severe";
}

}  // namespace fundtrace
