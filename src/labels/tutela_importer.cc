#include "labels/tutela_importer.h"

#include <nlohmann/json.hpp>

#include "ingest/csv_reader.h"
#include "labels/source_file.h"

namespace fundtrace {
namespace {

enum class Kind { kNone, kKnown, kKaggle, kEtherscan, kEtherclust, kTornado, kPoolList };

Kind KindOf(const std::string& path) {
  if (!EndsWith(path, ".csv")) return Kind::kNone;
  std::string head = ReadHead(path, 1024);
  std::string_view first = FirstLine(head);
  if (first == "address,name,account_type,entity,legitimacy,tags") return Kind::kKnown;
  constexpr std::string_view kKaggle = "Address,Name,Account Type,Contract Type,Entity,Label,Tags";
  if (first.substr(0, kKaggle.size()) == kKaggle) return Kind::kKaggle;
  if (first == "address,name,account_type,entity,labels,tags") return Kind::kEtherscan;
  if (first == "address,name,account_type,type") return Kind::kEtherclust;
  if (first == "address,name,account_type,type,legitimacy,tags") return Kind::kTornado;
  // tornadocontracts.csv: 0x + 40 hex, asset, amount, id; no header.
  if (first.size() > 43 && first.substr(0, 2) == "0x" && first[42] == ',' &&
      FileStem(path).find("tornado") != std::string::npos) {
    return Kind::kPoolList;
  }
  return Kind::kNone;
}

std::string Trimmed(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

bool TutelaImporter::Accepts(const std::string& path) const { return KindOf(path) != Kind::kNone; }

Status TutelaImporter::ImportFile(const std::string& path, ImportContext* ctx) {
  Kind kind = KindOf(path);
  if (kind == Kind::kNone) {
    return Status::InvalidArgument(path + ": not a Tutela known-address CSV (unknown header)");
  }
  ctx->SetDataset("tutela", FileStem(path));
  FT_ASSIGN_OR_RETURN(auto reader, CsvReader::Open(path));

  // One row: address, name, the labels to map, context.
  auto emit = [&](std::string_view address, std::string label,
                  const std::vector<std::string_view>& labels, const std::string& origin,
                  const nlohmann::json& context) -> Status {
    ctx->CountRecord();
    Tag tag;
    if (!ctx->ResolveAddress("ETH", address, origin, &tag.chain, &tag.address)) return Status::OK();
    tag.network = "ETH";
    tag.origin = origin;
    for (auto l : labels) ctx->MapLabel(l, &tag);
    if (kind == Kind::kPoolList || kind == Kind::kTornado) {
      tag.entity = "Tornado Cash";  // every pool of the list belongs to it
      tag.entity_key = "tornadocash";
    }
    tag.label = label.empty()
                    ? (tag.source_label.empty() ? "Tutela known address" : tag.source_label)
                    : label;
    if (!context.empty()) tag.context = context.dump();
    return ctx->Emit(std::move(tag));
  };

  if (kind == Kind::kPoolList) {
    // The header row is the first pool.
    auto pool = [&](const std::vector<std::string>& f, size_t line) -> Status {
      if (f.size() < 4)
        return Status::InvalidArgument(Origin(path, line) +
                                       ": expected address,asset,denomination,id");
      std::string label = "Tornado Cash Pool " + f[2] + " " + f[1];
      return emit(f[0], label, {"tornado"}, Origin(path, line), {{"pool", f[3]}});
    };
    FT_RETURN_IF_ERROR(pool(reader->header(), 1));
    for (;;) {
      FT_ASSIGN_OR_RETURN(bool more, reader->Next());
      if (!more) break;
      std::vector<std::string> f(reader->fields().begin(), reader->fields().end());
      FT_RETURN_IF_ERROR(pool(f, reader->line()));
    }
    return Status::OK();
  }

  for (;;) {
    FT_ASSIGN_OR_RETURN(bool more, reader->Next());
    if (!more) break;
    const auto& f = reader->fields();
    std::string origin = Origin(path, reader->line());
    switch (kind) {
      case Kind::kKnown:
      case Kind::kTornado:
        FT_RETURN_IF_ERROR(
            emit(f[0], Trimmed(f[1]), {f[3], f[5]}, origin,
                 {{"account_type", std::string(f[2])}, {"legitimate", f[4] == "1"}}));
        break;
      case Kind::kEtherscan:
        FT_RETURN_IF_ERROR(
            emit(f[0], Trimmed(f[1]), {f[3], f[5]}, origin, {{"account_type", std::string(f[2])}}));
        break;
      case Kind::kEtherclust:
        FT_RETURN_IF_ERROR(
            emit(f[0], Trimmed(f[1]), {f[3]}, origin, {{"account_type", std::string(f[2])}}));
        break;
      case Kind::kKaggle: {
        if (f[0] == "Address") {  // the header repeated inside the file
          ctx->CountRecord();
          ctx->Skip(origin, f[0], "the header row repeated");
          break;
        }
        std::vector<std::string_view> labels = {f[4]};
        for (size_t i = 6; i < f.size(); ++i) labels.push_back(f[i]);
        FT_RETURN_IF_ERROR(
            emit(f[0], Trimmed(f[1]), labels, origin,
                 {{"account_type", std::string(f[2])}, {"legitimate", f[5] == "Legit"}}));
        break;
      }
      default:
        break;
    }
  }
  return Status::OK();
}

}  // namespace fundtrace
