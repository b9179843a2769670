#include "labels/taxonomy.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace fundtrace {
namespace {

constexpr char kDefaultYaml[] =
#include "labels/taxonomy_yaml.inc"
    ;

// Line of the embedded YAML that `mark` names, for messages.
std::string At(const std::string& name, const YAML::Mark& mark) {
  return name + ":" + std::to_string(mark.line + 1);
}

Status Bad(const std::string& name, const YAML::Node& node, const std::string& what) {
  return Status::InvalidArgument(At(name, node.Mark()) + ": " + what);
}

std::string Scalar(const YAML::Node& node) { return node && node.IsScalar() ? node.Scalar() : ""; }

std::optional<Chain> ChainByName(const std::string& name) { return ChainFromName(name); }

}  // namespace

std::string NormalizeLabel(std::string_view label) {
  std::string out;
  out.reserve(label.size());
  bool dash = false;
  for (char c : label) {
    unsigned char u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= '0' && u <= '9')) {
      if (dash && !out.empty()) out.push_back('-');
      dash = false;
      out.push_back(c);
    } else if (u >= 'A' && u <= 'Z') {
      if (dash && !out.empty()) out.push_back('-');
      dash = false;
      out.push_back(static_cast<char>(u - 'A' + 'a'));
    } else {
      dash = true;
    }
  }
  return out;
}

std::string_view Taxonomy::DefaultYaml() {
  std::string_view s(kDefaultYaml);
  if (!s.empty() && s.front() == '\n') s.remove_prefix(1);
  return s;
}

const Taxonomy& Taxonomy::Default() {
  static const Taxonomy* taxonomy = [] {
    auto t = Parse(DefaultYaml(), "taxonomy_yaml.inc");
    if (!t.ok()) {
      // A broken compiled-in file is a programmer error caught by taxonomy_test.
      std::fprintf(stderr, "fundtrace: built-in taxonomy: %s\n", t.status().message().c_str());
      std::abort();
    }
    return new Taxonomy(std::move(t).value());  // NOLINT: lives for the process
  }();
  return *taxonomy;
}

Result<Taxonomy> Taxonomy::Parse(std::string_view yaml_text, const std::string& name) {
  Taxonomy t;
  try {
    YAML::Node root = YAML::Load(std::string(yaml_text));
    if (!root.IsMap()) return Status::InvalidArgument(name + ": not a YAML mapping");

    YAML::Node conf = root["confidence"];
    if (!conf.IsMap()) return Bad(name, root, "missing 'confidence' levels");
    for (const auto& kv : conf) {
      char* end = nullptr;
      std::string v = Scalar(kv.second);
      long level = std::strtol(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || level < 0 || level > 100) {
        return Bad(name, kv.second, "confidence level must be 0-100");
      }
      t.confidence_.emplace_back(kv.first.Scalar(), static_cast<int>(level));
    }
    std::stable_sort(t.confidence_.begin(), t.confidence_.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });

    auto read_terms = [&](const char* key, bool is_abuse, std::vector<TaxonomyTerm>* out,
                          std::unordered_map<std::string, size_t>* index) -> Status {
      YAML::Node terms = root[key];
      if (!terms.IsMap()) return Bad(name, root, std::string("missing '") + key + "'");
      for (const auto& kv : terms) {
        TaxonomyTerm term;
        term.id = kv.first.Scalar();
        term.is_abuse = is_abuse;
        if (!kv.second.IsMap()) return Bad(name, kv.second, "term '" + term.id + "' needs fields");
        std::string sev = Scalar(kv.second["severity"]);
        char* end = nullptr;
        long s = std::strtol(sev.c_str(), &end, 10);
        if (sev.empty() || *end != '\0' || s < 0 || s > 100) {
          return Bad(name, kv.second, "severity of '" + term.id + "' must be 0-100");
        }
        term.severity = static_cast<int>(s);
        term.graphsense = Scalar(kv.second["graphsense"]);
        if (term.graphsense == "none") term.graphsense.clear();
        term.description = Scalar(kv.second["description"]);
        if (t.category_index_.count(term.id) || t.abuse_index_.count(term.id)) {
          return Bad(name, kv.first, "'" + term.id + "' defined twice");
        }
        (*index)[term.id] = out->size();
        out->push_back(std::move(term));
      }
      return Status::OK();
    };
    FT_RETURN_IF_ERROR(read_terms("categories", false, &t.categories_, &t.category_index_));
    FT_RETURN_IF_ERROR(read_terms("abuse", true, &t.abuses_, &t.abuse_index_));
    if (!t.Category("unknown")) return Bad(name, root, "category 'unknown' is required");

    for (const auto& kv : root["networks"]) {
      auto chain = ChainByName(Scalar(kv.second));
      if (!chain) return Bad(name, kv.second, "unknown chain '" + Scalar(kv.second) + "'");
      t.networks_[kv.first.Scalar()] = *chain;
    }
    for (const auto& kv : root["tokens"]) {
      std::vector<Chain> chains;
      for (const auto& c : kv.second) {
        auto chain = ChainByName(Scalar(c));
        if (!chain) return Bad(name, c, "unknown chain '" + Scalar(c) + "'");
        chains.push_back(*chain);
      }
      t.tokens_[kv.first.Scalar()] = chains;
    }

    // A grouped map {target: [labels]} into `out`; a label may appear once per field.
    auto read_map = [&](const YAML::Node& groups, const std::string& where,
                        std::unordered_map<std::string, LabelMapping>* out,
                        bool override_existing) -> Status {
      std::unordered_map<std::string, LabelMapping> mine;
      for (const auto& g : groups) {
        std::string target = g.first.Scalar();
        const TaxonomyTerm* term = t.Term(target);
        if (!term) {
          return Bad(name, g.first,
                     where + ": '" + target + "' is neither a category nor an abuse type");
        }
        if (!g.second.IsSequence())
          return Bad(name, g.second, where + ": expected a list of labels");
        for (const auto& l : g.second) {
          std::string label = NormalizeLabel(Scalar(l));
          if (label != Scalar(l)) {
            return Bad(name, l,
                       where + ": write '" + Scalar(l) + "' normalised, as '" + label + "'");
          }
          LabelMapping& m = mine[label];
          std::string& field = term->is_abuse ? m.abuse : m.category;
          if (!field.empty()) {
            return Bad(name, l,
                       where + ": '" + label + "' is listed under both '" + field + "' and '" +
                           target + "'");
          }
          field = target;
        }
      }
      for (auto& [label, m] : mine) {
        auto [it, inserted] = out->emplace(label, m);
        if (!inserted && override_existing) {
          if (!m.category.empty()) it->second.category = m.category;
          if (!m.abuse.empty()) it->second.abuse = m.abuse;
        }
      }
      return Status::OK();
    };

    std::map<std::string, std::unordered_map<std::string, LabelMapping>> vocabularies;
    for (const auto& v : root["vocabularies"]) {
      FT_RETURN_IF_ERROR(read_map(v.second, "vocabulary " + v.first.Scalar(),
                                  &vocabularies[v.first.Scalar()], false));
    }

    YAML::Node sources = root["sources"];
    if (!sources.IsMap()) return Bad(name, root, "missing 'sources'");
    for (const auto& s : sources) {
      SourceInfo info;
      info.id = s.first.Scalar();
      const YAML::Node& n = s.second;
      info.name = Scalar(n["name"]);
      info.reference = Scalar(n["reference"]);
      info.confidence_id = Scalar(n["confidence"]);
      auto level = t.ConfidenceLevel(info.confidence_id);
      if (!level)
        return Bad(name, n,
                   "source " + info.id + ": unknown confidence '" + info.confidence_id + "'");
      info.confidence = *level;
      if (n["map"]) FT_RETURN_IF_ERROR(read_map(n["map"], "source " + info.id, &info.map, true));
      if (n["vocabulary"]) {
        auto it = vocabularies.find(Scalar(n["vocabulary"]));
        if (it == vocabularies.end()) {
          return Bad(name, n["vocabulary"],
                     "source " + info.id + ": no vocabulary '" + Scalar(n["vocabulary"]) + "'");
        }
        for (const auto& [label, m] : it->second) info.map.emplace(label, m);  // own map wins
      }
      for (const auto& p : n["packs"]) {
        PackOverride po;
        for (const auto& a : p.second["add"]) {
          const TaxonomyTerm* term = t.Term(Scalar(a));
          if (!term)
            return Bad(name, a, "pack override: unknown category or abuse '" + Scalar(a) + "'");
          (term->is_abuse ? po.add.abuse : po.add.category) = term->id;
        }
        po.confidence_id = Scalar(p.second["confidence"]);
        if (!po.confidence_id.empty() && !t.ConfidenceLevel(po.confidence_id)) {
          return Bad(name, p.second,
                     "pack override: unknown confidence '" + po.confidence_id + "'");
        }
        po.why = Scalar(p.second["why"]);
        info.packs[p.first.Scalar()] = po;
      }
      for (const auto& site : n["sites"]) info.sites[site.first.Scalar()] = Scalar(site.second);
      for (const auto& d : n["datasets"]) {
        if (!t.ConfidenceLevel(Scalar(d.second))) {
          return Bad(name, d.second, "dataset confidence: unknown id '" + Scalar(d.second) + "'");
        }
        info.dataset_confidence[d.first.Scalar()] = Scalar(d.second);
      }
      t.sources_[info.id] = std::move(info);
    }
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(At(name, e.mark) + ": " + e.msg);
  }
  return t;
}

const TaxonomyTerm* Taxonomy::Category(std::string_view id) const {
  auto it = category_index_.find(std::string(id));
  return it == category_index_.end() ? nullptr : &categories_[it->second];
}

const TaxonomyTerm* Taxonomy::Abuse(std::string_view id) const {
  auto it = abuse_index_.find(std::string(id));
  return it == abuse_index_.end() ? nullptr : &abuses_[it->second];
}

const TaxonomyTerm* Taxonomy::Term(std::string_view id) const {
  const TaxonomyTerm* t = Category(id);
  return t ? t : Abuse(id);
}

int Taxonomy::Severity(std::string_view category, std::string_view abuse) const {
  int s = 0;
  if (const TaxonomyTerm* c = Category(category)) s = c->severity;
  if (const TaxonomyTerm* a = Abuse(abuse)) s = std::max(s, a->severity);
  return s;
}

std::optional<int> Taxonomy::ConfidenceLevel(std::string_view id) const {
  for (const auto& [cid, level] : confidence_) {
    if (cid == id) return level;
  }
  return std::nullopt;
}

std::string Taxonomy::ConfidenceIdFor(int level) const {
  for (const auto& [cid, l] : confidence_) {
    if (l <= level) return cid;
  }
  return confidence_.empty() ? "unknown" : confidence_.back().first;
}

std::optional<Chain> Taxonomy::ChainFor(std::string_view network_code,
                                        std::string_view address) const {
  std::string code(network_code);
  auto it = networks_.find(code);
  if (it != networks_.end()) return it->second;
  auto tok = tokens_.find(code);
  if (tok == tokens_.end()) return std::nullopt;
  bool evm = address.size() >= 2 && address[0] == '0' && (address[1] == 'x' || address[1] == 'X');
  bool tron = !address.empty() && address[0] == 'T';
  for (Chain c : tok->second) {
    if ((c == Chain::kEthereum && evm) || (c == Chain::kTron && tron) ||
        (c == Chain::kBitcoin && !evm && !tron && !address.empty())) {
      return c;
    }
  }
  return std::nullopt;
}

const SourceInfo* Taxonomy::Source(std::string_view id) const {
  auto it = sources_.find(std::string(id));
  return it == sources_.end() ? nullptr : &it->second;
}

const LabelMapping* Taxonomy::Map(std::string_view source, std::string_view raw_label) const {
  const SourceInfo* s = Source(source);
  if (!s) return nullptr;
  auto it = s->map.find(NormalizeLabel(raw_label));
  return it == s->map.end() ? nullptr : &it->second;
}

void ApplyMapping(const Taxonomy& taxonomy, const LabelMapping& m, std::string* category,
                  std::string* abuse) {
  auto severity = [&](const std::string& id) {
    const TaxonomyTerm* t = taxonomy.Term(id);
    return t ? t->severity : -1;
  };
  if (!m.category.empty() &&
      (category->empty() || *category == "unknown" || severity(m.category) > severity(*category))) {
    *category = m.category;
  }
  if (!m.abuse.empty() && (abuse->empty() || severity(m.abuse) > severity(*abuse))) {
    *abuse = m.abuse;
  }
}

}  // namespace fundtrace
