#include "labels/scamsniffer_importer.h"

#include <unordered_set>

#include "chain/address.h"
#include "labels/source_file.h"
#include "util/file_util.h"

namespace fundtrace {
namespace {

bool InScamSnifferFolder(const std::string& path) {
  for (const auto& part : PathParts(path)) {
    std::string lower;
    for (char c : part)
      lower.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
    if (lower.find("scamsniffer") != std::string::npos ||
        lower.find("scam-database") != std::string::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool ScamSnifferImporter::Accepts(const std::string& path) const {
  std::string name = BaseName(path);
  return (name == "address.json" || name == "combined.json") && InScamSnifferFolder(path);
}

Status ScamSnifferImporter::ImportFile(const std::string& path, ImportContext* ctx) {
  std::string name = BaseName(path);
  if (name != "address.json" && name != "combined.json") {
    return Status::InvalidArgument(
        path + ": not a ScamSniffer file (expected address.json or combined.json)");
  }
  ctx->SetDataset("scamsniffer", FileStem(path));
  FT_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  FT_ASSIGN_OR_RETURN(auto json, ParseJson(path, text));
  LineFinder lines(text);
  auto emit = [&](const std::string& address, const std::string& label,
                  const std::string& origin) -> Status {
    ctx->CountRecord();
    Tag tag;
    if (!ctx->ResolveAddress("ETH", address, origin, &tag.chain, &tag.address)) return Status::OK();
    tag.label = label;
    tag.network = "ETH";
    tag.origin = origin;
    ctx->MapLabel("phishing-address", &tag);
    return ctx->Emit(std::move(tag));
  };

  if (name == "address.json") {
    if (!json.is_array())
      return Status::InvalidArgument(path + ":1: expected a JSON array of addresses");
    for (const auto& a : json) {
      if (!a.is_string()) {
        ctx->CountRecord();
        ctx->Skip(path, a.dump(), "not a string");
        continue;
      }
      const std::string& s = a.get_ref<const std::string&>();
      FT_RETURN_IF_ERROR(
          emit(s, "ScamSniffer phishing address", Origin(path, lines.LineOf("\"" + s + "\""))));
    }
    return Status::OK();
  }

  if (!json.is_object())
    return Status::InvalidArgument(path + ":1: expected a JSON object {domain: [addresses]}");
  // The listed phishing addresses, from address.json beside this file.
  std::string dir = path.substr(0, path.size() - name.size());
  std::unordered_set<std::string> listed;
  bool have_list = false;
  if (FileExists(dir + "address.json")) {
    FT_ASSIGN_OR_RETURN(std::string list_text, ReadFileToString(dir + "address.json"));
    FT_ASSIGN_OR_RETURN(auto list, ParseJson(dir + "address.json", list_text));
    have_list = list.is_array();
    for (const auto& a : list) {
      if (!a.is_string()) continue;
      auto key = ParseAddress(Chain::kEthereum, a.get<std::string>());
      if (key.ok()) listed.insert(*key);
    }
  }
  auto key_lines = TopLevelKeyLines(text);
  for (const auto& [domain, addresses] : json.items()) {
    auto line = key_lines.find(domain);
    std::string origin = Origin(path, line == key_lines.end() ? 0 : line->second);
    if (!addresses.is_array()) {
      ctx->CountRecord();
      ctx->Skip(origin, "", "domain '" + domain + "' does not map to a list");
      continue;
    }
    for (const auto& a : addresses) {
      if (!a.is_string()) {
        ctx->CountRecord();
        ctx->Skip(origin, a.dump(), "not a string");
        continue;
      }
      const std::string& s = a.get_ref<const std::string&>();
      auto key = ParseAddress(Chain::kEthereum, s);
      if (key.ok() && !listed.count(*key)) {
        ctx->CountRecord();
        ctx->Skip(origin, s,
                  have_list ? "named by phishing site '" + domain +
                                  "' but not in address.json (sites also name the token "
                                  "contracts they drain): not tagged"
                            : "address.json is not beside combined.json: cannot tell "
                              "drainer addresses from token contracts the site names");
        continue;
      }
      std::string label =
          domain.empty() ? "ScamSniffer phishing address" : "Phishing site " + domain;
      FT_RETURN_IF_ERROR(emit(s, label, origin));
    }
  }
  return Status::OK();
}

}  // namespace fundtrace
