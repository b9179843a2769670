#include "labels/forta_importer.h"

#include <nlohmann/json.hpp>

#include "ingest/csv_reader.h"
#include "labels/source_file.h"

namespace fundtrace {
namespace {

constexpr std::string_view kLabelsHeader = "banned_address,wallet_tag,data_source";
constexpr std::string_view kContractsHeader =
    "contract_address,contract_tag,contract_creator,contract_creation_tx,contract_creator_tag,"
    "source,notes,contract_creator_etherscan_label";
constexpr std::string_view kPhishingHeader = "address,etherscan_tag,etherscan_labels,is_contract";

enum class Kind { kNone, kLabels, kContracts, kPhishing };

Kind KindOf(const std::string& path) {
  if (!EndsWith(path, ".csv")) return Kind::kNone;
  std::string head = ReadHead(path, 1024);
  std::string_view first = FirstLine(head);
  if (first == kLabelsHeader) return Kind::kLabels;
  if (first == kContractsHeader) return Kind::kContracts;
  if (first == kPhishingHeader) return Kind::kPhishing;
  return Kind::kNone;
}

}  // namespace

bool FortaImporter::Accepts(const std::string& path) const { return KindOf(path) != Kind::kNone; }

Status FortaImporter::ImportFile(const std::string& path, ImportContext* ctx) {
  Kind kind = KindOf(path);
  if (kind == Kind::kNone) {
    return Status::InvalidArgument(path + ": not a Forta labelled-datasets CSV (unknown header)");
  }
  ctx->SetDataset("forta", FileStem(path));
  FT_ASSIGN_OR_RETURN(auto reader, CsvReader::Open(path));
  auto emit = [&](std::string_view address, std::string label, std::string_view source_label,
                  const std::string& origin, const nlohmann::json& context) -> Status {
    ctx->CountRecord();
    Tag tag;
    if (!ctx->ResolveAddress("ETH", address, origin, &tag.chain, &tag.address)) return Status::OK();
    tag.label = std::move(label);
    tag.network = "ETH";
    tag.origin = origin;
    if (!context.empty()) tag.context = context.dump();
    ctx->MapLabel(source_label, &tag);
    return ctx->Emit(std::move(tag));
  };
  for (;;) {
    FT_ASSIGN_OR_RETURN(bool more, reader->Next());
    if (!more) break;
    const auto& f = reader->fields();
    std::string origin = Origin(path, reader->line());
    switch (kind) {
      case Kind::kLabels: {
        std::string label(f[1].empty() ? f[2] : f[1]);
        FT_RETURN_IF_ERROR(emit(f[0], label, f[2], origin, nlohmann::json::object()));
        break;
      }
      case Kind::kPhishing: {
        std::string label(f[1].empty() ? f[2] : f[1]);
        FT_RETURN_IF_ERROR(emit(f[0], label, f[2], origin, {{"is_contract", f[3] == "True"}}));
        break;
      }
      case Kind::kContracts: {
        std::string_view creator_label =
            f[7].empty() ? std::string_view("malicious-contract") : f[7];
        nlohmann::json context = {{"creator", std::string(f[2])}};
        if (!f[3].empty()) context["creation_tx"] = std::string(f[3]);
        if (!f[5].empty()) context["reported_by"] = std::string(f[5]);
        if (!f[6].empty()) context["notes"] = std::string(f[6]);
        std::string contract_label = !f[1].empty()   ? std::string(f[1])
                                     : !f[4].empty() ? "Contract of " + std::string(f[4])
                                                     : "Malicious contract";
        FT_RETURN_IF_ERROR(emit(f[0], contract_label, creator_label, origin, context));
        std::string creator = !f[4].empty() ? std::string(f[4]) : "Malicious contract deployer";
        FT_RETURN_IF_ERROR(emit(f[2], creator, creator_label, origin, {{"role", "deployer"}}));
        break;
      }
      case Kind::kNone:
        break;
    }
  }
  return Status::OK();
}

}  // namespace fundtrace
