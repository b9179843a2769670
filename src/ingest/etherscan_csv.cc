#include "ingest/etherscan_csv.h"

#include "chain/amount.h"
#include "ingest/csv_reader.h"
#include "util/file_util.h"

namespace fundtrace {
namespace {

constexpr const char* kColumns[] = {"TxHash", "BlockHeight", "TimeStamp", "From",
                                    "To",     "Value",       "ContractAddress", "isError"};
enum Col { kHash, kBlock, kTime, kFrom, kTo, kValue, kContract, kIsError, kNumCols };

Status IngestRow(const std::vector<std::string_view>& f, const int (&col)[kNumCols],
                 const Where& where, IngestBatch* batch) {
  TxInfo info;
  FT_ASSIGN_OR_RETURN(info.hash, ParseHash32(f[col[kHash]], where, "TxHash"));
  FT_ASSIGN_OR_RETURN(uint64_t block, ParseUint(f[col[kBlock]], where, "BlockHeight"));
  if (block > UINT32_MAX) return Status::InvalidArgument(where + ": BlockHeight too large");
  info.block = static_cast<uint32_t>(block);
  info.pos = PositionFromHash(info.hash);
  FT_ASSIGN_OR_RETURN(info.time, ParseTimestamp(f[col[kTime]], where));
  std::string_view err = f[col[kIsError]];
  if (err != "0" && err != "1") {
    return Status::InvalidArgument(where + ": isError '" + std::string(err) + "' is not 0 or 1");
  }
  info.status = err == "1" ? TxStatus::kFailed : TxStatus::kSuccess;
  auto value = ParseDecimalAmount(f[col[kValue]], NativeDecimals(Chain::kEthereum));
  if (!value.ok()) return Status::InvalidArgument(where + ": Value: " + value.status().message());
  FT_ASSIGN_OR_RETURN(AddressId from, ParseEvmAddressField(f[col[kFrom]], batch, where, "From"));
  FT_ASSIGN_OR_RETURN(AddressId to, ParseEvmAddressField(f[col[kTo]], batch, where, "To"));
  if (to == kNoAddress) {
    FT_ASSIGN_OR_RETURN(to, ParseEvmAddressField(f[col[kContract]], batch, where,
                                                 "ContractAddress"));
  }
  if (from == kNoAddress) return Status::InvalidArgument(where + ": From is empty");
  bool is_new;
  TxId tx = batch->Tx(info, &is_new);
  batch->AddBlock(BlockInfo{info.block, info.time, {}});
  U256 amount = info.status == TxStatus::kFailed ? U256(0) : *value;
  batch->Add(tx, TransferKind::kNative, 0, from, to, kNativeAsset, amount);
  return Status::OK();
}

}  // namespace

Status IngestEtherscanCsv(const std::vector<std::string>& paths, IngestBatch* batch,
                          const IngestOptions& options, IngestReport* report) {
  uint64_t total_bytes = 0, done_bytes = 0;
  for (const auto& p : paths) {
    auto size = FileSize(p);
    if (size.ok()) total_bytes += *size;
  }
  Progress progress("ingest etherscan", total_bytes, options.progress);
  constexpr uint64_t kTypicalRowBytes = 250;
  ReserveForInput(batch, total_bytes, kTypicalRowBytes);
  for (const auto& path : paths) {
    FT_ASSIGN_OR_RETURN(auto csv, CsvReader::Open(path));
    int col[kNumCols];
    for (int c = 0; c < kNumCols; ++c) {
      col[c] = csv->Column(kColumns[c]);
      if (col[c] < 0) {
        return Status::InvalidArgument(path + ":1: not an Etherscan account export: no column '" +
                                       kColumns[c] + "'");
      }
    }
    ++report->files;
    for (;;) {
      auto next = csv->Next();
      if (!next.ok()) {
        FT_RETURN_IF_ERROR(HandleBadRecord(next.status(), options, report));
        if (csv->failed()) break;  // the record structure is lost: the rest cannot be read
        continue;
      }
      if (!*next) break;
      ++report->records;
      Status s = IngestRow(csv->fields(), col, Where{path, csv->line()}, batch);
      if (!s.ok()) FT_RETURN_IF_ERROR(HandleBadRecord(s, options, report));
      if ((report->records & 0x3fff) == 0) {
        progress.Update(done_bytes + csv->bytes_consumed(), report->records);
      }
    }
    done_bytes += csv->file_size();
  }
  return Status::OK();
}

}  // namespace fundtrace
