#include "labels/csv_importer.h"

#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>

#include "ingest/csv_reader.h"
#include "labels/entity_name.h"
#include "labels/source_file.h"

namespace fundtrace {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

bool HasAddressColumn(std::string_view header_line) {
  std::string h = Lower(header_line);
  size_t start = 0;
  while (start <= h.size()) {
    size_t p = h.find(',', start);
    if (p == std::string::npos) p = h.size();
    std::string col = Trim(std::string_view(h).substr(start, p - start));
    if (col == "address" || col == "\"address\"") return true;
    start = p + 1;
  }
  return false;
}

}  // namespace

bool CsvLabelImporter::Accepts(const std::string& path) const {
  return EndsWith(path, ".csv") && HasAddressColumn(FirstLine(ReadHead(path, 4096)));
}

Status CsvLabelImporter::ImportFile(const std::string& path, ImportContext* ctx) {
  ctx->SetDataset("csv", ctx->options().dataset.empty() ? FileStem(path) : ctx->options().dataset);
  FT_ASSIGN_OR_RETURN(auto reader, CsvReader::Open(path));
  std::map<std::string, int> col;
  for (size_t i = 0; i < reader->header().size(); ++i) {
    col.emplace(Lower(Trim(reader->header()[i])), static_cast<int>(i));
  }
  if (!col.count("address")) {
    return Status::InvalidArgument(
        path +
        ":1: no 'address' column (a labels CSV has columns address, "
        "chain, label, entity, category, abuse, confidence, tag_type, "
        "first_seen, last_seen, reference, context; see docs/labels.md)");
  }
  const Taxonomy& tax = ctx->taxonomy();
  for (;;) {
    FT_ASSIGN_OR_RETURN(bool more, reader->Next());
    if (!more) break;
    const auto& f = reader->fields();
    auto get = [&](const char* name) -> std::string {
      auto it = col.find(name);
      return it == col.end() ? "" : Trim(f[it->second]);
    };
    std::string origin = Origin(path, reader->line());
    std::string address = std::string(f[col["address"]]);
    ctx->CountRecord();

    std::string network = Upper(get("network"));
    if (network.empty()) {
      std::string chain = get("chain");
      if (auto c = ChainFromName(Lower(chain))) {
        network = *c == Chain::kEthereum ? "ETH" : *c == Chain::kBitcoin ? "BTC" : "TRX";
      } else {
        network = Upper(chain);
      }
    }
    if (network.empty()) network = ctx->options().network;
    if (network.empty()) {
      std::string a = Trim(address);
      network = a.rfind("0x", 0) == 0 || a.rfind("0X", 0) == 0 ? "ETH"
                : a.rfind("T", 0) == 0                         ? "TRX"
                                                               : "BTC";
    }
    Tag tag;
    if (!ctx->ResolveAddress(network, address, origin, &tag.chain, &tag.address)) continue;
    tag.network = network;
    tag.origin = origin;

    // A user's own list must use the taxonomy: an unknown value rejects the row (listed) rather
    // than storing it as unmapped.
    std::string category = get("category"), abuse = get("abuse");
    if (!category.empty() && !tax.Map("csv", category)) {
      ctx->Skip(origin, Trim(address),
                "unknown category '" + category + "' (see `fundtrace labels taxonomy`)");
      continue;
    }
    if (!abuse.empty() && !tax.Map("csv", abuse)) {
      ctx->Skip(origin, Trim(address),
                "unknown abuse type '" + abuse + "' (see `fundtrace labels taxonomy`)");
      continue;
    }
    ctx->MapLabel(category, &tag);
    ctx->MapLabel(abuse, &tag);
    tag.label = get("label");
    if (tag.label.empty())
      tag.label = !tag.abuse.empty() ? tag.abuse : !tag.category.empty() ? tag.category : "listed";
    std::string entity = get("entity");
    if (!entity.empty()) {
      tag.entity = entity;
      tag.entity_key = NormalizeEntityKey(entity);
    }
    std::string conf = get("confidence");
    if (!conf.empty()) {
      char* end = nullptr;
      long level = std::strtol(conf.c_str(), &end, 10);
      if (*end == '\0' && level >= 0 && level <= 100) {
        tag.confidence_id = tax.ConfidenceIdFor(static_cast<int>(level));
      } else if (tax.ConfidenceLevel(conf)) {
        tag.confidence_id = conf;
      } else {
        ctx->Skip(
            origin, Trim(address),
            "bad confidence '" + conf + "': use 0-100 or a GraphSense id such as authority_data");
        continue;
      }
    }
    std::string type = get("tag_type");
    if (!type.empty() && !TagTypeFromName(Lower(type), &tag.tag_type)) {
      ctx->Skip(origin, Trim(address), "bad tag_type '" + type + "': use actor, event or mention");
      continue;
    }
    bool bad_date = false;
    for (auto [name, field] :
         {std::pair{"first_seen", &tag.first_seen}, std::pair{"last_seen", &tag.last_seen}}) {
      std::string d = get(name);
      if (!d.empty() && !ParseDate(d, field)) {
        ctx->Skip(origin, Trim(address),
                  std::string("bad ") + name + " '" + d + "': use YYYY-MM-DD");
        bad_date = true;
        break;
      }
    }
    if (bad_date) continue;
    tag.reference = get("reference");
    std::string context = get("context");
    if (!context.empty()) {
      auto j = nlohmann::json::parse(context, nullptr, false);
      if (j.is_discarded() || !j.is_object()) {
        ctx->Skip(origin, Trim(address), "context is not a JSON object");
        continue;
      }
      tag.context = j.dump();
    }
    FT_RETURN_IF_ERROR(ctx->Emit(std::move(tag)));
  }
  return Status::OK();
}

}  // namespace fundtrace
