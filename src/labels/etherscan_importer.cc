#include "labels/etherscan_importer.h"

#include <nlohmann/json.hpp>

#include "ingest/csv_reader.h"
#include "labels/source_file.h"
#include "util/file_util.h"

namespace fundtrace {
namespace {

constexpr std::string_view kAccountHeader = ",Address,Name Tag,Balance,Txn Count";
constexpr std::string_view kTokenHeader =
    ",#,Contract Address,Token Name,Market Cap,Holders,Website";
constexpr std::string_view kRaphtoryHeader =
    "address,name,family,type,website,token_market_cap,token_num_holders,tx_count,balance";

enum class Layout {
  kNone,
  kAccountsCsv,
  kTokensCsv,
  kLabelJson,
  kCombinedJson,
  kEmptyCsv,
  kRaphtory
};

// The folder in {accounts, tokens, combined} holding the file (its parent, or grandparent for
// the dumps' "empty" folders), and the site folder above it.
struct Place {
  std::string kind;  // accounts, tokens, combined, or ""
  std::string site;  // etherscan, bscscan, ... or ""
};

Place PlaceOf(const std::string& path) {
  Place p;
  std::vector<std::string> parts = PathParts(path);
  if (parts.size() < 2) return p;
  size_t i = parts.size() - 2;
  if (parts[i] == "empty" && i > 0) --i;
  if (parts[i] == "accounts" || parts[i] == "tokens" || parts[i] == "combined") {
    p.kind = parts[i];
    if (i > 0) p.site = parts[i - 1];
  }
  return p;
}

Layout LayoutOf(const std::string& path) {
  std::string head = ReadHead(path, 512);
  std::string_view first = FirstLine(head);
  if (first == kRaphtoryHeader) return Layout::kRaphtory;
  Place place = PlaceOf(path);
  if (place.kind.empty()) return Layout::kNone;
  // By content first: the dumps hold a few .json files that contain a CSV header.
  // (Some pages have extra pandas columns, "Unnamed: 4", after the usual ones.)
  if (first.substr(0, kAccountHeader.size()) == kAccountHeader) return Layout::kAccountsCsv;
  if (first.substr(0, kTokenHeader.size()) == kTokenHeader) return Layout::kTokensCsv;
  if (EndsWith(path, ".json"))
    return place.kind == "combined" ? Layout::kCombinedJson : Layout::kLabelJson;
  if (!EndsWith(path, ".csv")) return Layout::kNone;
  if (first == "\"\"" || first.empty()) return Layout::kEmptyCsv;
  return Layout::kNone;
}

}  // namespace

bool EtherscanImporter::Accepts(const std::string& path) const {
  return LayoutOf(path) != Layout::kNone;
}

Status EtherscanImporter::ImportFile(const std::string& path, ImportContext* ctx) {
  Layout layout = LayoutOf(path);
  if (layout == Layout::kNone) {
    return Status::InvalidArgument(
        path +
        ": not an explorer label dump (expected <site>/accounts|tokens|combined/"
        "*.csv|*.json as in brianleect/etherscan-labels, or Raphtory's etherscan_tags.csv)");
  }
  std::string network, dataset;
  if (layout == Layout::kRaphtory) {
    network = "ETH";
    dataset = "etherscan-2019";
  } else {
    // The nearest folder named after a known explorer site gives the network.
    const SourceInfo* info = ctx->taxonomy().Source("etherscan");
    std::vector<std::string> parts = PathParts(path);
    for (size_t i = parts.size(); i-- > 0 && info;) {
      auto it = info->sites.find(parts[i]);
      if (it != info->sites.end()) {
        network = it->second;
        dataset = parts[i];
        break;
      }
    }
    if (network.empty()) {
      if (ctx->options().network.empty()) {
        return Status::InvalidArgument(
            path +
            ": cannot tell which explorer this dump is from: keep it under a "
            "folder named etherscan, bscscan, polygonscan, ... or pass --network");
      }
      network = ctx->options().network;
      dataset = PlaceOf(path).site.empty() ? "explorer" : PlaceOf(path).site;
    }
  }
  ctx->SetDataset("etherscan", dataset);

  // One record: an address with a name and one label slug.
  auto emit = [&](std::string_view address, std::string_view name, std::string_view slug,
                  const std::string& origin, nlohmann::json context) -> Status {
    ctx->CountRecord();
    // The scraper saved an empty label page's message, or an empty row, as an entry.
    std::string_view a = address;
    while (!a.empty() && (a.front() == ' ' || a.front() == '\t')) a.remove_prefix(1);
    while (!a.empty() && (a.back() == ' ' || a.back() == '\t')) a.remove_suffix(1);
    if (a.empty() || a.find(' ') != std::string_view::npos) {
      ctx->Skip(origin, address,
                a.empty() ? "empty address (a blank row of the scrape)"
                          : "the scraped page's 'no entries' message, not an address");
      return Status::OK();
    }
    Tag tag;
    if (!ctx->ResolveAddress(network, address, origin, &tag.chain, &tag.address))
      return Status::OK();
    std::string label(name);
    while (!label.empty() && label.front() == ' ') label.erase(label.begin());
    while (!label.empty() && label.back() == ' ') label.pop_back();
    tag.label = label.empty() ? std::string(slug) : label;
    tag.network = network;
    tag.origin = origin;
    if (!context.empty()) tag.context = context.dump();
    ctx->MapLabel(slug, &tag);
    return ctx->Emit(std::move(tag));
  };

  if (layout == Layout::kAccountsCsv || layout == Layout::kTokensCsv ||
      layout == Layout::kEmptyCsv || layout == Layout::kRaphtory) {
    if (EndsWith(path, ".json"))
      ctx->report()->notes.push_back(path + ": holds CSV, not JSON; read as CSV");
    FT_ASSIGN_OR_RETURN(auto reader, CsvReader::Open(path));
    if (layout == Layout::kEmptyCsv) {
      FT_ASSIGN_OR_RETURN(bool any, reader->Next());
      if (any)
        return Status::InvalidArgument(path + ":" + std::to_string(reader->line()) +
                                       ": unexpected rows in an empty label file");
      return Status::OK();
    }
    std::string slug = FileStem(path);
    int addr_col = 1, name_col = 2, type_col = -1, website_col = -1;
    if (layout == Layout::kTokensCsv) {
      addr_col = 2;
      name_col = 3;
      website_col = 6;
    } else if (layout == Layout::kRaphtory) {
      addr_col = 0;
      name_col = 1;
      type_col = 3;
      website_col = 4;
    }
    for (;;) {
      FT_ASSIGN_OR_RETURN(bool more, reader->Next());
      if (!more) break;
      const auto& f = reader->fields();
      std::string origin = Origin(path, reader->line());
      std::string row_slug = layout == Layout::kRaphtory ? std::string(f[2]) : slug;
      nlohmann::json context = nlohmann::json::object();
      if (type_col >= 0 && !f[type_col].empty()) context["type"] = std::string(f[type_col]);
      if (website_col >= 0 && !f[website_col].empty())
        context["website"] = std::string(f[website_col]);
      FT_RETURN_IF_ERROR(emit(f[addr_col], f[name_col], row_slug, origin, context));
    }
    return Status::OK();
  }

  FT_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  FT_ASSIGN_OR_RETURN(auto json, ParseJson(path, text));
  // The dumps write "" for a label page that had no entries.
  if (json.is_string() && json.get_ref<const std::string&>().empty()) return Status::OK();
  if (!json.is_object()) {
    return Status::InvalidArgument(path + ":1: expected a JSON object keyed by address");
  }
  auto lines = TopLevelKeyLines(text);
  std::string slug = FileStem(path);
  for (const auto& [address, value] : json.items()) {
    auto line = lines.find(address);
    std::string origin = Origin(path, line == lines.end() ? 0 : line->second);
    if (layout == Layout::kLabelJson) {
      if (!value.is_string()) {
        ctx->CountRecord();
        ctx->Skip(origin, address, "name is not a string");
        continue;
      }
      FT_RETURN_IF_ERROR(
          emit(address, value.get<std::string>(), slug, origin, nlohmann::json::object()));
      continue;
    }
    const auto& labels =
        value.is_object() && value.contains("labels") ? value["labels"] : nlohmann::json();
    const auto& name =
        value.is_object() && value.contains("name") ? value["name"] : nlohmann::json();
    if (!labels.is_array() || (!name.is_null() && !name.is_string())) {
      ctx->CountRecord();
      ctx->Skip(origin, address, "expected {\"name\": string, \"labels\": [...]}");
      continue;
    }
    std::string n = name.is_string() ? name.get<std::string>() : "";
    for (const auto& l : labels) {
      if (!l.is_string()) {
        ctx->CountRecord();
        ctx->Skip(origin, address, "label is not a string");
        continue;
      }
      FT_RETURN_IF_ERROR(emit(address, n, l.get<std::string>(), origin, nlohmann::json::object()));
    }
  }
  return Status::OK();
}

}  // namespace fundtrace
