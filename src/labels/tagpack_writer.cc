#include "labels/tagpack_writer.h"

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

#include "chain/address.h"

namespace fundtrace {
namespace {

bool IsEvmNetwork(std::string_view n) {
  for (std::string_view k : {"ETH", "BSC", "ARB", "ETC", "MATIC", "OP", "AVAX", "FTM"}) {
    if (n == k) return true;
  }
  return false;
}

}  // namespace

void TagPackCurrency(const Tag& tag, std::string* currency, std::string* network) {
  std::string code = tag.network == "XBT" ? "BTC" : tag.network == "BEP20" ? "BSC" : tag.network;
  switch (tag.chain) {
    case Chain::kBitcoin:
      *network = "BTC";
      *currency = code.empty() ? "BTC" : code;
      break;
    case Chain::kTron:
      *network = "TRX";
      *currency = code.empty() ? "TRX" : code;
      break;
    case Chain::kEthereum:
      *network = IsEvmNetwork(code) ? code : "ETH";
      *currency = code.empty() ? "ETH" : code;
      break;
  }
}

Status WriteTagPack(const LabelStore& store, const Taxonomy& taxonomy,
                    const TagPackOptions& options, std::string* out, uint64_t* tags) {
  YAML::Emitter y;
  y << YAML::BeginMap;
  y << YAML::Key << "title" << YAML::Value << YAML::DoubleQuoted << options.title;
  y << YAML::Key << "creator" << YAML::Value << YAML::DoubleQuoted << options.creator;
  y << YAML::Key << "description" << YAML::Value << YAML::DoubleQuoted
    << (options.source.empty() ? std::string("All tags of a fundtrace label store")
                               : "Tags of source '" + options.source + "' exported by fundtrace");
  if (options.lastmod) y << YAML::Key << "lastmod" << YAML::Value << FormatDate(options.lastmod);
  y << YAML::Key << "tags" << YAML::Value << YAML::BeginSeq;
  uint64_t n = 0;
  FT_RETURN_IF_ERROR(store.ForEachTag(options.source, [&](const Tag& t) -> Status {
    std::string currency, network;
    TagPackCurrency(t, &currency, &network);
    std::string category, abuse;
    auto concept_of = [&](std::string_view id) {
      const TaxonomyTerm* term = taxonomy.Term(id);
      if (!term || term->graphsense.empty()) return;
      if (term->graphsense.rfind("abuse:", 0) == 0) {
        if (abuse.empty()) abuse = term->graphsense.substr(6);
      } else if (term->is_abuse) {
        abuse = term->graphsense;
      } else {
        category = term->graphsense;
      }
    };
    if (!t.abuse.empty()) concept_of(t.abuse);
    concept_of(t.category);
    std::string confidence = taxonomy.ConfidenceLevel(t.confidence_id)
                                 ? t.confidence_id
                                 : taxonomy.ConfidenceIdFor(t.confidence);
    nlohmann::json context = nlohmann::json::object();
    if (!t.context.empty()) {
      auto j = nlohmann::json::parse(t.context, nullptr, false);
      if (!j.is_discarded() && j.is_object()) context = j;
    }
    context["fundtrace"] = {{"category", t.category}, {"source", t.source}, {"dataset", t.dataset}};
    if (!t.abuse.empty()) context["fundtrace"]["abuse"] = t.abuse;
    if (!t.entity.empty()) context["fundtrace"]["entity"] = t.entity;
    std::string reference =
        t.reference.empty() ? "fundtrace:" + t.source + "/" + t.dataset : t.reference;

    y << YAML::BeginMap;
    y << YAML::Key << "address" << YAML::Value << YAML::DoubleQuoted << FormatAddress(t.address);
    y << YAML::Key << "label" << YAML::Value << YAML::DoubleQuoted << t.label;
    y << YAML::Key << "source" << YAML::Value << YAML::DoubleQuoted << reference;
    y << YAML::Key << "currency" << YAML::Value << YAML::DoubleQuoted << currency;
    y << YAML::Key << "network" << YAML::Value << YAML::DoubleQuoted << network;
    y << YAML::Key << "confidence" << YAML::Value << YAML::DoubleQuoted << confidence;
    if (!category.empty())
      y << YAML::Key << "category" << YAML::Value << YAML::DoubleQuoted << category;
    if (!abuse.empty()) y << YAML::Key << "abuse" << YAML::Value << YAML::DoubleQuoted << abuse;
    if (!t.actor.empty()) y << YAML::Key << "actor" << YAML::Value << YAML::DoubleQuoted << t.actor;
    if (t.last_seen) y << YAML::Key << "lastmod" << YAML::Value << FormatDate(t.last_seen);
    y << YAML::Key << "tag_type" << YAML::Value << YAML::DoubleQuoted
      << std::string(TagTypeName(t.tag_type));
    y << YAML::Key << "context" << YAML::Value << YAML::DoubleQuoted << context.dump();
    y << YAML::EndMap;
    ++n;
    return Status::OK();
  }));
  y << YAML::EndSeq << YAML::EndMap;
  if (!y.good()) return Status::InvalidArgument("TagPack export: " + y.GetLastError());
  out->append(y.c_str(), y.size());
  out->push_back('\n');
  *tags = n;
  return Status::OK();
}

}  // namespace fundtrace
