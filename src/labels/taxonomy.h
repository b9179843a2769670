// The taxonomy every tag is normalised to: categories and abuse types (each with a severity and
// its GraphSense concept), GraphSense confidence levels, the network codes we can match, and
// per source the mapping from the source's own labels. The data lives in one reviewable YAML
// file (taxonomy_yaml.inc) compiled into the binary; Parse() reads a replacement.
// A Taxonomy is immutable after Parse and safe to share between threads.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "chain/chain.h"
#include "util/status.h"

namespace fundtrace {

struct TaxonomyTerm {
  std::string id;          // "mixer", "theft"
  bool is_abuse = false;   // abuse type (true) or category (false)
  int severity = 0;        // 0-100
  std::string graphsense;  // GraphSense concept id for export; "" for none
  std::string description;
};

// What a source label maps to: a category, an abuse type, or both ("" = not set).
struct LabelMapping {
  std::string category;
  std::string abuse;
};

// Extra mapping for one GraphSense pack whose header leaves out what its title states.
struct PackOverride {
  LabelMapping add;
  std::string confidence_id;  // "" keeps the pack's own
  std::string why;
};

struct SourceInfo {
  std::string id;             // "ofac"
  std::string name;           // for people
  std::string reference;      // URL of the source
  std::string confidence_id;  // default confidence of its tags
  int confidence = 5;
  std::unordered_map<std::string, LabelMapping> map;    // normalised label -> mapping
  std::unordered_map<std::string, PackOverride> packs;  // graphsense: pack name -> extra
  std::unordered_map<std::string, std::string> sites;   // etherscan: folder -> network
  std::unordered_map<std::string, std::string> dataset_confidence;  // dataset -> confidence id
};

// "Phish / Hack" -> "phish-hack": lower case ASCII, every run of other characters one '-',
// no '-' at either end.
std::string NormalizeLabel(std::string_view label);

class Taxonomy {
 public:
  // Parses taxonomy YAML. Errors: InvalidArgument "<name>:<line>: ..." for YAML syntax, a
  // mapping to an id that is neither a category nor an abuse type, a label listed twice for the
  // same field, an unknown confidence id or chain name.
  static Result<Taxonomy> Parse(std::string_view yaml_text, const std::string& name);
  // The compiled-in taxonomy (parsed once; its validity is a unit test).
  static const Taxonomy& Default();
  static std::string_view DefaultYaml();

  const TaxonomyTerm* Category(std::string_view id) const;
  const TaxonomyTerm* Abuse(std::string_view id) const;
  // Category or abuse type with this id.
  const TaxonomyTerm* Term(std::string_view id) const;
  const std::vector<TaxonomyTerm>& categories() const { return categories_; }
  const std::vector<TaxonomyTerm>& abuses() const { return abuses_; }
  // max(severity of category, severity of abuse); unknown ids count 0.
  int Severity(std::string_view category, std::string_view abuse) const;

  std::optional<int> ConfidenceLevel(std::string_view id) const;
  // The id of the highest level <= `level` ("unknown" below every level), for export.
  std::string ConfidenceIdFor(int level) const;
  const std::vector<std::pair<std::string, int>>& confidence_levels() const { return confidence_; }

  // The chain whose addresses a source's currency/network code names, given the address text
  // (token codes such as USDT choose by the address's form). nullopt: not supported.
  std::optional<Chain> ChainFor(std::string_view network_code, std::string_view address) const;
  // Whether the code is a multi-chain token (USDT), whose chain is a guess from the form.
  bool IsToken(std::string_view network_code) const {
    return tokens_.count(std::string(network_code)) > 0;
  }

  const SourceInfo* Source(std::string_view id) const;
  const std::map<std::string, SourceInfo>& sources() const { return sources_; }
  // Mapping of one raw source label (normalised first); nullptr when unmapped.
  const LabelMapping* Map(std::string_view source, std::string_view raw_label) const;

 private:
  std::vector<TaxonomyTerm> categories_, abuses_;
  std::unordered_map<std::string, size_t> category_index_, abuse_index_;
  std::vector<std::pair<std::string, int>> confidence_;  // sorted by level, descending
  std::unordered_map<std::string, Chain> networks_;
  std::unordered_map<std::string, std::vector<Chain>> tokens_;
  std::map<std::string, SourceInfo> sources_;
};

// Applies `m` to (category, abuse): a field is replaced when it is empty, "unknown", or less
// severe than the mapping's value.
void ApplyMapping(const Taxonomy& taxonomy, const LabelMapping& m, std::string* category,
                  std::string* abuse);

}  // namespace fundtrace
