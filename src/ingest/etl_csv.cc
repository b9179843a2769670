#include "ingest/etl_csv.h"

#include <algorithm>
#include <map>
#include <memory>

#include "chain/address.h"
#include "chain/amount.h"
#include "ingest/csv_reader.h"
#include "util/file_util.h"

namespace fundtrace {
namespace {

enum class EtlKind { kBlocks = 0, kTokens = 1, kTransactions = 2, kTraces = 3, kTokenTransfers = 4 };

const char* KindName(EtlKind k) {
  switch (k) {
    case EtlKind::kBlocks: return "blocks";
    case EtlKind::kTokens: return "tokens";
    case EtlKind::kTransactions: return "transactions";
    case EtlKind::kTraces: return "traces";
    case EtlKind::kTokenTransfers: return "token_transfers";
  }
  return "?";
}

Result<EtlKind> DetectKind(const CsvReader& csv) {
  auto has = [&](std::initializer_list<const char*> cols) {
    for (const char* c : cols) {
      if (csv.Column(c) < 0) return false;
    }
    return true;
  };
  if (has({"token_address", "transaction_hash", "log_index", "value"})) return EtlKind::kTokenTransfers;
  if (has({"transaction_hash", "trace_address", "trace_type", "value"})) return EtlKind::kTraces;
  if (has({"hash", "transaction_index", "from_address", "to_address", "value"})) return EtlKind::kTransactions;
  if (has({"number", "hash", "timestamp"})) return EtlKind::kBlocks;
  if (has({"address", "symbol", "decimals"})) return EtlKind::kTokens;
  return Status::InvalidArgument(
      csv.path() + ":1: not an ethereum-etl export this version reads (transactions, "
      "token_transfers, traces, blocks or tokens): its header is not one of theirs");
}

// Column access by name, with a clear error for required columns.
class Row {
 public:
  Row(const CsvReader& csv, const Where& where) : csv_(csv), where_(where) {}
  std::string_view Opt(const char* name) const {
    int c = csv_.Column(name);
    return c < 0 ? std::string_view() : csv_.fields()[c];
  }
  const Where& where() const { return where_; }

 private:
  const CsvReader& csv_;
  const Where& where_;
};

Result<uint32_t> Block(const Row& r, const char* col) {
  FT_ASSIGN_OR_RETURN(uint64_t b, ParseUint(r.Opt(col), r.where(), col));
  if (b > UINT32_MAX) return Status::InvalidArgument(r.where() + ": " + col + " too large");
  return static_cast<uint32_t>(b);
}

// Base units as an integer; spreadsheet-mangled exports write "4.7E+18", accepted when exact.
Result<U256> Amount(const Row& r, const char* col) {
  auto v = ParseBaseUnits(r.Opt(col));
  if (!v.ok()) {
    auto sci = ParseDecimalAmount(r.Opt(col), 0);
    if (sci.ok()) return *sci;
  }
  if (!v.ok()) return Status::InvalidArgument(r.where() + ": " + col + ": " + v.status().message());
  return *v;
}

// Time of a row: its block_timestamp, or 0 when the export has none.
Result<uint64_t> RowTime(const Row& r) {
  std::string_view t = r.Opt("block_timestamp");
  if (!t.empty()) return ParseTimestamp(t, r.where());
  return uint64_t{0};
}

class EtlIngester {
 public:
  EtlIngester(IngestBatch* batch, IngestReport* report) : batch_(batch), report_(report) {}

  Status Blocks(const Row& r) {
    BlockInfo b;
    FT_ASSIGN_OR_RETURN(b.height, Block(r, "number"));
    FT_ASSIGN_OR_RETURN(b.hash, ParseHash32(r.Opt("hash"), r.where(), "hash"));
    FT_ASSIGN_OR_RETURN(b.time, ParseTimestamp(r.Opt("timestamp"), r.where()));
    batch_->AddBlock(b);
    return Status::OK();
  }

  Status Tokens(const Row& r) {
    std::string key;
    if (!ParseEvmKey(r.Opt("address"), &key)) {
      return Status::InvalidArgument(r.where() + ": address '" + std::string(r.Opt("address")) +
                                     "' is not an EVM address");
    }
    AssetId asset = batch_->Asset(key);
    int decimals = -1;
    std::string_view d = r.Opt("decimals");
    if (!d.empty()) {
      FT_ASSIGN_OR_RETURN(uint64_t v, ParseUint(d, r.where(), "decimals"));
      if (v > 77) return Status::InvalidArgument(r.where() + ": decimals " + std::string(d) + " > 77");
      decimals = static_cast<int>(v);
    }
    batch_->SetAssetMeta(asset, std::string(r.Opt("symbol")), decimals);
    return Status::OK();
  }

  Status Transactions(const Row& r) {
    TxInfo info;
    FT_ASSIGN_OR_RETURN(info.hash, ParseHash32(r.Opt("hash"), r.where(), "hash"));
    FT_ASSIGN_OR_RETURN(info.block, Block(r, "block_number"));
    FT_ASSIGN_OR_RETURN(uint64_t pos, ParseUint(r.Opt("transaction_index"), r.where(), "transaction_index"));
    if (pos >= 0x80000000u) return Status::InvalidArgument(r.where() + ": transaction_index too large");
    info.pos = static_cast<uint32_t>(pos);
    FT_ASSIGN_OR_RETURN(info.time, RowTime(r));
    std::string_view st = r.Opt("receipt_status");
    if (st == "1") info.status = TxStatus::kSuccess;
    else if (st == "0") info.status = TxStatus::kFailed;
    else if (!st.empty()) return Status::InvalidArgument(r.where() + ": receipt_status '" + std::string(st) + "' is not 0 or 1");
    FT_ASSIGN_OR_RETURN(U256 value, Amount(r, "value"));
    FT_ASSIGN_OR_RETURN(AddressId from, ParseEvmAddressField(r.Opt("from_address"), batch_, r.where(), "from_address"));
    FT_ASSIGN_OR_RETURN(AddressId to, ParseEvmAddressField(r.Opt("to_address"), batch_, r.where(), "to_address"));
    if (to == kNoAddress) {
      FT_ASSIGN_OR_RETURN(to, ParseEvmAddressField(r.Opt("receipt_contract_address"), batch_, r.where(), "receipt_contract_address"));
    }
    if (from == kNoAddress) return Status::InvalidArgument(r.where() + ": from_address is empty");
    bool is_new;
    TxId tx = batch_->Tx(info, &is_new);
    batch_->AddBlock(BlockInfo{info.block, info.time, {}});
    batch_->Add(tx, TransferKind::kNative, 0, from, to, kNativeAsset,
                info.status == TxStatus::kFailed ? U256(0) : value);
    std::string_view gas_used = r.Opt("receipt_gas_used");
    std::string_view price = r.Opt("receipt_effective_gas_price");
    if (price.empty()) price = r.Opt("gas_price");
    if (!gas_used.empty() && !price.empty()) {
      auto used = ParseBaseUnits(gas_used);
      auto p = ParseBaseUnits(price);
      if (!used.ok() || !p.ok()) return Status::InvalidArgument(r.where() + ": bad receipt_gas_used or gas price");
      U256 fee;
      try {
        fee = *used * *p;
      } catch (const std::overflow_error&) {
        return Status::InvalidArgument(r.where() + ": gas fee overflows 256 bits");
      }
      if (fee != 0) batch_->Add(tx, TransferKind::kFee, 0, from, kNoAddress, kNativeAsset, fee);
    } else {
      ++no_fee_;
    }
    return Status::OK();
  }

  Status TokenTransfers(const Row& r) {
    TxInfo info;
    FT_ASSIGN_OR_RETURN(info.hash, ParseHash32(r.Opt("transaction_hash"), r.where(), "transaction_hash"));
    FT_ASSIGN_OR_RETURN(info.block, Block(r, "block_number"));
    FT_ASSIGN_OR_RETURN(info.time, RowTime(r));
    info.pos = PositionFromHash(info.hash);
    FT_ASSIGN_OR_RETURN(uint64_t log_index, ParseUint(r.Opt("log_index"), r.where(), "log_index"));
    if (log_index > kMaxSeq) return Status::InvalidArgument(r.where() + ": log_index too large");
    FT_ASSIGN_OR_RETURN(U256 value, Amount(r, "value"));
    std::string token;
    if (!ParseEvmKey(r.Opt("token_address"), &token)) {
      return Status::InvalidArgument(r.where() + ": token_address '" + std::string(r.Opt("token_address")) + "' is not an address");
    }
    FT_ASSIGN_OR_RETURN(AddressId from, ParseEvmAddressField(r.Opt("from_address"), batch_, r.where(), "from_address"));
    FT_ASSIGN_OR_RETURN(AddressId to, ParseEvmAddressField(r.Opt("to_address"), batch_, r.where(), "to_address"));
    bool is_new;
    TxId tx = batch_->Tx(info, &is_new);
    if (is_new) ++txs_from_tokens_;
    batch_->AddBlock(BlockInfo{info.block, info.time, {}});
    batch_->Add(tx, TransferKind::kToken, static_cast<uint32_t>(log_index), from, to,
                batch_->Asset(token), value);
    return Status::OK();
  }

  // Traces are collected per tx and numbered in depth-first order when the file ends.
  Status Traces(const Row& r) {
    Trace t;
    FT_ASSIGN_OR_RETURN(t.info.hash, ParseHash32(r.Opt("transaction_hash"), r.where(), "transaction_hash"));
    FT_ASSIGN_OR_RETURN(t.info.block, Block(r, "block_number"));
    FT_ASSIGN_OR_RETURN(t.info.time, RowTime(r));
    std::string_view pos = r.Opt("transaction_index");
    if (pos.empty()) {
      t.info.pos = PositionFromHash(t.info.hash);
    } else {
      FT_ASSIGN_OR_RETURN(uint64_t p, ParseUint(pos, r.where(), "transaction_index"));
      if (p >= 0x80000000u) return Status::InvalidArgument(r.where() + ": transaction_index too large");
      t.info.pos = static_cast<uint32_t>(p);
    }
    std::string_view addr = r.Opt("trace_address");
    size_t start = 0;
    while (start < addr.size()) {
      size_t comma = addr.find(',', start);
      if (comma == std::string_view::npos) comma = addr.size();
      FT_ASSIGN_OR_RETURN(uint64_t v, ParseUint(addr.substr(start, comma - start), r.where(), "trace_address"));
      t.path.push_back(static_cast<uint32_t>(std::min<uint64_t>(v, UINT32_MAX)));
      start = comma + 1;
    }
    std::string_view type = r.Opt("trace_type"), call_type = r.Opt("call_type");
    bool failed = r.Opt("status") == "0" || !r.Opt("error").empty();
    bool moves = (type == "call" && (call_type == "call" || call_type.empty())) ||
                 type == "create" || type == "create2" || type == "suicide";
    FT_ASSIGN_OR_RETURN(t.value, Amount(r, "value"));
    FT_ASSIGN_OR_RETURN(t.from, ParseEvmAddressField(r.Opt("from_address"), batch_, r.where(), "from_address"));
    FT_ASSIGN_OR_RETURN(t.to, ParseEvmAddressField(r.Opt("to_address"), batch_, r.where(), "to_address"));
    if (type == "reward" || type == "genesis" || type == "daofork" || r.Opt("transaction_hash").empty()) {
      ++traces_without_tx_;
      return Status::OK();
    }
    t.keep = !failed && moves && (t.path.empty() || t.value != 0);
    if (failed) ++failed_traces_;
    else if (!t.keep) ++valueless_traces_;
    pending_[std::string(reinterpret_cast<const char*>(t.info.hash.data()), 32)].push_back(std::move(t));
    return Status::OK();
  }

  void FlushTraces() {
    for (auto& [hash, traces] : pending_) {
      std::sort(traces.begin(), traces.end(), [](const Trace& a, const Trace& b) { return a.path < b.path; });
      bool is_new;
      TxId tx = batch_->Tx(traces.front().info, &is_new);
      batch_->AddBlock(BlockInfo{traces.front().info.block, traces.front().info.time, {}});
      uint32_t ordinal = 0;
      for (const auto& t : traces) {
        uint32_t seq = t.path.empty() ? 0 : std::min(++ordinal, kMaxSeq);
        if (!t.keep) continue;
        TransferKind kind = t.path.empty() ? TransferKind::kNative : TransferKind::kInternal;
        batch_->Add(tx, kind, seq, t.from, t.to, kNativeAsset, t.value);
      }
    }
    pending_.clear();
  }

  void Notes() {
    auto note = [&](uint64_t n, const std::string& text) {
      if (n == 0) return;
      report_->skipped_other += n;
      report_->notes.push_back(std::to_string(n) + " " + text);
    };
    note(failed_traces_, "failed traces skipped (they moved no value)");
    note(valueless_traces_, "traces moving no value skipped (zero value, delegatecall, staticcall)");
    note(traces_without_tx_, "block/uncle reward traces skipped (no tx to attach them to)");
    if (no_fee_ > 0) {
      report_->notes.push_back(std::to_string(no_fee_) +
                               " transactions without receipt_gas_used/gas price: no fee transfer");
    }
    if (txs_from_tokens_ > 0) {
      report_->notes.push_back(std::to_string(txs_from_tokens_) +
                               " txs known only from token_transfers: ordered by hash within their "
                               "block (ingest their transactions file in the same call to fix)");
    }
  }

 private:
  struct Trace {
    TxInfo info;
    std::vector<uint32_t> path;
    AddressId from = kNoAddress, to = kNoAddress;
    U256 value = 0;
    bool keep = false;
  };
  IngestBatch* batch_;
  IngestReport* report_;
  std::map<std::string, std::vector<Trace>> pending_;
  uint64_t failed_traces_ = 0, valueless_traces_ = 0, traces_without_tx_ = 0, no_fee_ = 0,
           txs_from_tokens_ = 0;
};

}  // namespace

Status IngestEtlCsv(const std::vector<std::string>& paths, IngestBatch* batch,
                    const IngestOptions& options, IngestReport* report) {
  struct Input {
    EtlKind kind;
    std::string path;
    std::unique_ptr<CsvReader> csv;
  };
  std::vector<Input> inputs;
  uint64_t total_bytes = 0, done_bytes = 0;
  for (const auto& path : paths) {
    FT_ASSIGN_OR_RETURN(auto csv, CsvReader::Open(path));
    FT_ASSIGN_OR_RETURN(EtlKind kind, DetectKind(*csv));
    total_bytes += csv->file_size();
    inputs.push_back({kind, path, std::move(csv)});
  }
  std::stable_sort(inputs.begin(), inputs.end(),
                   [](const Input& a, const Input& b) { return a.kind < b.kind; });
  EtlIngester ingester(batch, report);
  Progress progress("ingest etl", total_bytes, options.progress);
  constexpr uint64_t kTypicalRowBytes = 300;
  ReserveForInput(batch, total_bytes, kTypicalRowBytes);
  for (auto& in : inputs) {
    ++report->files;
    CsvReader& csv = *in.csv;
    for (;;) {
      auto next = csv.Next();
      if (!next.ok()) {
        FT_RETURN_IF_ERROR(HandleBadRecord(next.status(), options, report));
        if (csv.failed()) break;  // the record structure is lost: the rest cannot be read
        continue;
      }
      if (!*next) break;
      ++report->records;
      Where where{in.path, csv.line()};
      Row row(csv, where);
      Status s;
      switch (in.kind) {
        case EtlKind::kBlocks: s = ingester.Blocks(row); break;
        case EtlKind::kTokens: s = ingester.Tokens(row); break;
        case EtlKind::kTransactions: s = ingester.Transactions(row); break;
        case EtlKind::kTraces: s = ingester.Traces(row); break;
        case EtlKind::kTokenTransfers: s = ingester.TokenTransfers(row); break;
      }
      if (!s.ok()) FT_RETURN_IF_ERROR(HandleBadRecord(s, options, report));
      if ((report->records & 0x3fff) == 0) {
        progress.Update(done_bytes + csv.bytes_consumed(), report->records);
      }
    }
    if (in.kind == EtlKind::kTraces) ingester.FlushTraces();
    done_bytes += csv.file_size();
    report->inputs.push_back(in.path + ": " + KindName(in.kind));
  }
  ingester.Notes();
  return Status::OK();
}

}  // namespace fundtrace
