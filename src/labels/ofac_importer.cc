#include "labels/ofac_importer.h"

#include <nlohmann/json.hpp>

#include "labels/source_file.h"
#include "util/file_util.h"

namespace fundtrace {
namespace {

constexpr std::string_view kPrefix = "sanctioned_addresses_";

// "sanctioned_addresses_ETH.txt" -> "ETH"; "" when the name is not an OFAC list's.
std::string AssetOf(const std::string& path) {
  std::string name = BaseName(path);
  if (name.compare(0, kPrefix.size(), kPrefix) != 0) return "";
  if (!EndsWith(name, ".txt") && !EndsWith(name, ".json")) return "";
  std::string asset = FileStem(name).substr(kPrefix.size());
  for (char c : asset) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return "";
  }
  return asset;
}

}  // namespace

bool OfacImporter::Accepts(const std::string& path) const { return !AssetOf(path).empty(); }

Status OfacImporter::ImportFile(const std::string& path, ImportContext* ctx) {
  std::string asset = AssetOf(path);
  if (asset.empty()) {
    return Status::InvalidArgument(path +
                                   ": not an OFAC list (expected a name like "
                                   "sanctioned_addresses_ETH.txt or .json)");
  }
  FT_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  ctx->SetDataset("ofac", "sdn");
  auto emit = [&](std::string_view address, size_t line) -> Status {
    ctx->CountRecord();
    std::string origin = Origin(path, line);
    Tag tag;
    if (!ctx->ResolveAddress(asset, address, origin, &tag.chain, &tag.address)) return Status::OK();
    tag.label = "OFAC SDN list (" + asset + ")";
    tag.network = asset;
    tag.origin = origin;
    tag.context = nlohmann::json({{"asset", asset}}).dump();
    ctx->MapLabel("sdn", &tag);
    return ctx->Emit(std::move(tag));
  };
  if (EndsWith(path, ".txt")) {
    size_t line = 0, start = 0;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      ++line;
      std::string_view l(text.data() + start, end - start);
      if (line == 1 && l.substr(0, 3) == "\xEF\xBB\xBF") l.remove_prefix(3);
      bool blank = l.find_first_not_of(" \t\r") == std::string_view::npos;
      if (!blank) FT_RETURN_IF_ERROR(emit(l, line));
      start = end + 1;
    }
    return Status::OK();
  }
  FT_ASSIGN_OR_RETURN(auto json, ParseJson(path, text));
  if (!json.is_array()) {
    return Status::InvalidArgument(path + ":1: expected a JSON array of address strings");
  }
  LineFinder lines(text);
  for (const auto& item : json) {
    if (!item.is_string()) {
      ctx->CountRecord();
      ctx->Skip(path, item.dump(), "not a string");
      continue;
    }
    const std::string& a = item.get_ref<const std::string&>();
    FT_RETURN_IF_ERROR(emit(a, lines.LineOf("\"" + a + "\"")));
  }
  return Status::OK();
}

}  // namespace fundtrace
