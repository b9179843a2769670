#include "labels/graphsense_importer.h"

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>
#include <unordered_map>
#include <vector>

#include "labels/entity_name.h"
#include "labels/source_file.h"

namespace fundtrace {
namespace {

bool IsYamlName(const std::string& path) {
  return EndsWith(path, ".yaml") || EndsWith(path, ".yml");
}

// Whether the text has a top-level key `key:` (at the start of a line).
bool HasTopLevelKey(const std::string& text, const std::string& key) {
  std::string k = key + ":";
  if (text.compare(0, k.size(), k) == 0) return true;
  return text.find("\n" + k) != std::string::npos;
}

std::string Scalar(const YAML::Node& n) { return n && n.IsScalar() ? n.Scalar() : ""; }

std::string Upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

Status YamlError(const std::string& path, const YAML::Exception& e) {
  std::string what = e.msg.empty() ? std::string(e.what()) : e.msg;
  if (e.mark.is_null()) return Status::InvalidArgument(path + ": YAML error: " + what);
  return Status::InvalidArgument(path + ":" + std::to_string(e.mark.line + 1) +
                                 ": YAML syntax error: " + what);
}

nlohmann::json ToJson(const YAML::Node& n) {
  if (!n || n.IsNull()) return nullptr;
  if (n.IsScalar()) return n.Scalar();
  if (n.IsSequence()) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& x : n) a.push_back(ToJson(x));
    return a;
  }
  nlohmann::json o = nlohmann::json::object();
  for (const auto& kv : n) o[Scalar(kv.first)] = ToJson(kv.second);
  return o;
}

// "…/packs/defi_updated/defi-protocols_aave.yaml" -> "defi_updated/defi-protocols_aave".
std::string PackName(const std::string& path) {
  size_t p = path.rfind("/packs/");
  std::string rel = p == std::string::npos ? BaseName(path) : path.substr(p + 7);
  size_t dot = rel.find_last_of('.');
  return dot == std::string::npos ? rel : rel.substr(0, dot);
}

}  // namespace

bool GraphSenseImporter::Accepts(const std::string& path) const {
  if (!IsYamlName(path) || EndsWith(path, "actorpack.yaml")) return false;
  std::string text = ReadHead(path, 1 << 20);
  return HasTopLevelKey(text, "tags") && !HasTopLevelKey(text, "actors");
}

Status GraphSenseImporter::ImportFile(const std::string& path, ImportContext* ctx) {
  std::string pack = PackName(path);
  ctx->SetDataset("graphsense", pack);
  const SourceInfo* info = ctx->taxonomy().Source("graphsense");
  const PackOverride* override_ = nullptr;
  if (info) {
    auto it = info->packs.find(pack);
    if (it != info->packs.end()) override_ = &it->second;
  }
  try {
    YAML::Node root = YAML::LoadFile(path);
    if (!root.IsMap()) {
      return Status::InvalidArgument(path +
                                     ":1: not a TagPack (expected a YAML mapping with 'tags')");
    }
    // Scalar fields of the header, then of each tag: one pass over each YAML map (yaml-cpp's
    // keyed lookup is a linear scan with node allocations, too slow for 150k tags).
    std::unordered_map<std::string, std::string> header;
    auto absorb = [](const YAML::Node& map, std::unordered_map<std::string, std::string>* out) {
      for (const auto& kv : map) {
        if (kv.second.IsScalar()) (*out)[Scalar(kv.first)] = kv.second.Scalar();
      }
    };
    for (const auto& kv : root) {
      std::string k = Scalar(kv.first);
      if (k == "header" && kv.second.IsMap())
        absorb(kv.second, &header);
      else if (k != "tags" && kv.second.IsScalar())
        header[k] = kv.second.Scalar();
    }
    YAML::Node tags = root["tags"];
    if (!tags || tags.IsNull()) return Status::OK();
    if (!tags.IsSequence()) {
      return Status::InvalidArgument(path + ":" + std::to_string(tags.Mark().line + 1) +
                                     ": 'tags' must be a list");
    }
    std::vector<std::pair<std::string, std::string>> own;
    for (const auto& t : tags) {
      std::string origin = Origin(path, t.Mark().line + 1);
      ctx->CountRecord();
      if (!t.IsMap()) {
        ctx->Skip(origin, "", "tag is not a mapping");
        continue;
      }
      own.clear();
      for (const auto& kv : t) {
        if (kv.second.IsScalar()) own.emplace_back(Scalar(kv.first), kv.second.Scalar());
      }
      auto field = [&](std::string_view key) -> std::string {
        for (const auto& [k, v] : own) {
          if (k == key) return v;
        }
        auto it = header.find(std::string(key));
        return it == header.end() ? std::string() : it->second;
      };
      std::string address = field("address");
      if (address.empty()) {
        std::string tx = field("tx_hash");
        ctx->Skip(
            origin, tx,
            !tx.empty() ? "a transaction tag (tx_hash), not an address tag" : "tag has no address");
        continue;
      }
      std::string network = Upper(field("network"));
      std::string currency = Upper(field("currency"));
      if (network.empty()) network = currency;
      Tag tag;
      if (!ctx->ResolveAddress(network, address, origin, &tag.chain, &tag.address)) continue;
      tag.label = field("label");
      if (tag.label.empty()) {
        ctx->Skip(origin, address, "tag has no label");
        continue;
      }
      tag.network = network;
      tag.origin = origin;
      tag.reference = field("source");
      std::string conf = field("confidence");
      if (conf.empty() && override_) conf = override_->confidence_id;
      if (!conf.empty()) {
        if (ctx->taxonomy().ConfidenceLevel(conf)) {
          tag.confidence_id = conf;
        } else {
          ++ctx->report()->unmapped[{"graphsense", "confidence:" + conf}];
        }
      }
      ctx->MapLabel(field("category"), &tag);
      ctx->MapLabel(field("abuse"), &tag);
      if (override_) ApplyMapping(ctx->taxonomy(), override_->add, &tag.category, &tag.abuse);
      std::string actor = field("actor");
      if (!actor.empty()) {
        tag.entity = actor;
        tag.entity_key = NormalizeEntityKey(actor);
      }
      int64_t date = 0;
      if (ParseDate(field("lastmod"), &date)) tag.last_seen = date;
      std::string type = field("tag_type");
      if (!type.empty() && !TagTypeFromName(type, &tag.tag_type)) {
        ++ctx->report()->unmapped[{"graphsense", "tag_type:" + type}];
      }
      std::string context = field("context");
      if (!context.empty()) {
        auto j = nlohmann::json::parse(context, nullptr, false);
        tag.context = (!j.is_discarded() && j.is_object())
                          ? j.dump()
                          : nlohmann::json({{"text", context}}).dump();
      }
      FT_RETURN_IF_ERROR(ctx->Emit(std::move(tag)));
    }
  } catch (const YAML::BadFile&) {
    return Status::IOError(path + ": cannot open");
  } catch (const YAML::Exception& e) {
    return YamlError(path, e);
  }
  return Status::OK();
}

bool GraphSenseActorImporter::Accepts(const std::string& path) const {
  if (!IsYamlName(path)) return false;
  if (EndsWith(path, "actorpack.yaml")) return true;
  return HasTopLevelKey(ReadHead(path, 1 << 20), "actors");
}

Status GraphSenseActorImporter::ImportFile(const std::string& path, ImportContext* ctx) {
  ctx->SetDataset("graphsense-actors", FileStem(path));
  const Taxonomy& tax = ctx->taxonomy();
  try {
    YAML::Node root = YAML::LoadFile(path);
    if (!root.IsMap() || !root["actors"] || !root["actors"].IsSequence()) {
      return Status::InvalidArgument(
          path + ":1: not an ActorPack (expected a mapping with an 'actors' list)");
    }
    for (const auto& a : root["actors"]) {
      std::string origin = Origin(path, a.Mark().line + 1);
      ctx->CountRecord();
      EntityRecord e;
      e.origin = origin;
      e.source = "graphsense-actors";
      if (!a.IsMap() || Scalar(a["id"]).empty()) {
        ctx->Skip(origin, "", "actor without an id");
        continue;
      }
      e.actor = Scalar(a["id"]);
      e.key = NormalizeEntityKey(e.actor);
      e.name = Scalar(a["label"]);
      if (e.name.empty()) e.name = Scalar(a["id"]);
      e.uri = Scalar(a["uri"]);
      // Our category: the most severe mapped one, ties to the one listed first in the taxonomy.
      int best_rank = -1;
      for (const auto& c : a["categories"]) {
        std::string raw = Scalar(c);
        if (!e.categories.empty()) e.categories += ",";
        e.categories += raw;
        const LabelMapping* m = tax.Map("graphsense", raw);
        if (!m) {
          ++ctx->report()->unmapped[{"graphsense-actors", NormalizeLabel(raw)}];
          continue;
        }
        if (m->category.empty()) continue;
        const TaxonomyTerm* term = tax.Category(m->category);
        int order = 0;
        for (size_t i = 0; i < tax.categories().size(); ++i) {
          if (tax.categories()[i].id == m->category) order = static_cast<int>(i);
        }
        int rank = (term ? term->severity : 0) * 1000 + (999 - order);
        if (rank > best_rank) {
          best_rank = rank;
          e.category = m->category;
        }
      }
      for (const auto& j : a["jurisdictions"]) {
        if (!e.jurisdictions.empty()) e.jurisdictions += ",";
        e.jurisdictions += Scalar(j);
      }
      e.aliases.push_back(Scalar(a["id"]));
      e.aliases.push_back(e.name);
      for (const auto& al : a["aliases"]) e.aliases.push_back(Scalar(al));
      if (a["context"] && a["context"].IsMap()) e.context = ToJson(a["context"]).dump();
      FT_RETURN_IF_ERROR(ctx->EmitEntity(e));
    }
  } catch (const YAML::BadFile&) {
    return Status::IOError(path + ": cannot open");
  } catch (const YAML::Exception& e) {
    return YamlError(path, e);
  }
  return Status::OK();
}

}  // namespace fundtrace
