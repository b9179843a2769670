#include "ingest/btc_blocks.h"

#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include "chain/hash.h"
#include "chain/script.h"
#include "util/file_util.h"

namespace fundtrace {
namespace {

std::string HashKey(const Hash32& h) { return std::string(reinterpret_cast<const char*>(h.data()), 32); }

std::string OutpointKey(const Hash32& txid, uint32_t vout) {
  std::string k = HashKey(txid);
  k.append(reinterpret_cast<const char*>(&vout), 4);
  return k;
}

// BIP 34: from height 227,931 on, every block's coinbase starts with a push of its height.
// Lets a block whose parent is not at hand (a single raw block) still find its height.
constexpr uint32_t kBip34Height = 227931;
std::optional<uint32_t> Bip34Height(const BtcBlock& block) {
  if (block.version < 2 || block.txs.empty()) return std::nullopt;
  const std::string& s = block.txs[0].coinbase_script;
  if (s.empty() || s[0] < 1 || s[0] > 4 || s.size() < 1 + static_cast<size_t>(s[0])) {
    return std::nullopt;
  }
  uint32_t h = 0;
  for (int i = s[0]; i >= 1; --i) h = (h << 8) | static_cast<uint8_t>(s[i]);
  if (h < kBip34Height) return std::nullopt;
  return h;
}

struct Output {
  AddressId address;
  int64_t value;
};

class BtcIngester {
 public:
  BtcIngester(EmbeddedChainStore* store, IngestBatch* batch, IngestReport* report)
      : store_(store), batch_(batch), report_(report) {}

  // Learns the heights of the blocks already stored.
  void LoadKnownBlocks() {
    ChainStats s = store_->Stats();
    if (s.blocks == 0) return;
    for (uint32_t h = 0; h <= s.max_block; ++h) {
      if (auto b = store_->Block(h)) {
        height_of_[HashKey(b->hash)] = h;
        taken_heights_.insert({h, HashKey(b->hash)});
      }
    }
  }

  // Places a block at its height, or parks it until its parent arrives.
  void Offer(BtcBlock&& block) {
    std::string key = HashKey(block.hash);
    if (height_of_.count(key) || parked_by_hash_.count(key)) {
      ++already_known_;
      return;
    }
    static const Hash32 kZero{};
    std::optional<uint32_t> height;
    if (block.prev_hash == kZero) {
      height = 0;
    } else if (auto it = height_of_.find(HashKey(block.prev_hash)); it != height_of_.end()) {
      height = it->second + 1;
    } else {
      height = Bip34Height(block);
    }
    if (!height) {
      parked_by_hash_.insert(key);
      parked_[HashKey(block.prev_hash)].push_back(std::move(block));
      return;
    }
    Place(std::move(block), *height);
  }

  void Place(BtcBlock&& block, uint32_t height) {
    std::string key = HashKey(block.hash);
    if (auto t = taken_heights_.find(height); t != taken_heights_.end() && t->second != key) {
      ++stale_;
      return;
    }
    taken_heights_[height] = key;
    height_of_[key] = height;
    Store(block, height);
    auto waiting = parked_.find(key);
    if (waiting == parked_.end()) return;
    std::vector<BtcBlock> children = std::move(waiting->second);
    parked_.erase(waiting);
    for (auto& child : children) {
      parked_by_hash_.erase(HashKey(child.hash));
      Place(std::move(child), height + 1);
    }
  }

  void Notes() {
    uint64_t orphans = 0;
    for (const auto& [prev, blocks] : parked_) orphans += blocks.size();
    if (orphans) {
      report_->skipped_other += orphans;
      report_->notes.push_back(std::to_string(orphans) +
                               " blocks not stored: their parent block is in neither the store "
                               "nor these files (ingest the earlier blk files first)");
    }
    if (stale_) {
      report_->skipped_other += stale_;
      report_->notes.push_back(std::to_string(stale_) + " stale blocks skipped (another block "
                               "already holds their height)");
    }
    if (already_known_) {
      report_->notes.push_back(std::to_string(already_known_) + " blocks were already stored");
    }
    if (duplicate_txids_) {
      report_->notes.push_back(std::to_string(duplicate_txids_) +
                               " txs repeat the txid of an earlier tx (BIP 30): kept once");
    }
  }

 private:
  std::optional<Output> Resolve(const BtcTxIn& in) {
    auto it = outputs_.find(OutpointKey(in.prev_txid, in.prev_vout));
    if (it != outputs_.end()) return it->second;
    auto tx = store_->FindTx(in.prev_txid);
    if (!tx) return std::nullopt;
    std::vector<Transfer> rows;
    TxId id = *tx;
    if (!store_->TransfersOfTxs({&id, 1}, &rows).ok()) return std::nullopt;
    for (const auto& t : rows) {
      if (t.kind() == TransferKind::kUtxoOut && t.seq() == in.prev_vout) {
        return Output{t.to, static_cast<int64_t>(t.amount)};
      }
    }
    return std::nullopt;
  }

  void Store(const BtcBlock& block, uint32_t height) {
    batch_->AddBlock(BlockInfo{height, block.time, block.hash});
    for (uint32_t pos = 0; pos < block.txs.size(); ++pos) {
      const BtcTx& btx = block.txs[pos];
      TxInfo info{btx.txid, height, pos, block.time, TxStatus::kSuccess};
      bool is_new;
      TxId tx = batch_->Tx(info, &is_new);
      if (!is_new) {
        ++duplicate_txids_;
        continue;
      }
      int64_t in_sum = 0, out_sum = 0;
      bool all_resolved = true, coinbase = false;
      for (uint32_t vin = 0; vin < btx.inputs.size(); ++vin) {
        const BtcTxIn& in = btx.inputs[vin];
        if (in.coinbase) {
          coinbase = true;
          continue;
        }
        auto spent = Resolve(in);
        auto prev_tx = batch_->FindTx(in.prev_txid);
        if (!spent || !prev_tx) {
          all_resolved = false;
          batch_->AddUnresolvedInput(tx, vin, in.prev_txid, in.prev_vout);
          continue;
        }
        in_sum += spent->value;
        batch_->Add(tx, TransferKind::kUtxoIn, vin, spent->address, kNoAddress, kNativeAsset,
                    U256(spent->value), (uint64_t{*prev_tx} << 32) | in.prev_vout);
      }
      for (uint32_t vout = 0; vout < btx.outputs.size(); ++vout) {
        const BtcTxOut& out = btx.outputs[vout];
        auto key = AddressKeyFromScript(AsBytes(out.script));
        AddressId to = key ? batch_->Address(*key) : kNoAddress;
        out_sum += out.value;
        batch_->Add(tx, TransferKind::kUtxoOut, vout, kNoAddress, to, kNativeAsset, U256(out.value));
        outputs_[OutpointKey(btx.txid, vout)] = Output{to, out.value};
      }
      if (!coinbase && all_resolved && in_sum > out_sum) {
        batch_->Add(tx, TransferKind::kFee, 0, kNoAddress, kNoAddress, kNativeAsset,
                    U256(in_sum - out_sum));
      }
    }
  }

  EmbeddedChainStore* store_;
  IngestBatch* batch_;
  IngestReport* report_;
  std::unordered_map<std::string, uint32_t> height_of_;
  std::unordered_map<uint32_t, std::string> taken_heights_;
  std::unordered_map<std::string, std::vector<BtcBlock>> parked_;  // by the missing parent
  std::unordered_set<std::string> parked_by_hash_;
  std::unordered_map<std::string, Output> outputs_;  // outputs created by this batch
  uint64_t stale_ = 0, already_known_ = 0, duplicate_txids_ = 0;
};

}  // namespace

Status IngestBtcBlocks(const std::vector<std::string>& paths, EmbeddedChainStore* store,
                       IngestBatch* batch, const BtcReaderOptions& reader_options,
                       const IngestOptions& options, IngestReport* report) {
  uint64_t total_bytes = 0, done_bytes = 0;
  for (const auto& p : paths) {
    auto size = FileSize(p);
    if (size.ok()) total_bytes += *size;
  }
  BtcIngester ingester(store, batch, report);
  ingester.LoadKnownBlocks();
  Progress progress("ingest btc", total_bytes, options.progress);
  for (const auto& path : paths) {
    FT_ASSIGN_OR_RETURN(auto reader, BtcBlockReader::Open(path, reader_options));
    ++report->files;
    for (;;) {
      BtcBlock block;
      auto next = reader->Next(&block);
      if (!next.ok()) {
        // The framing is lost after a bad record: the rest of the file cannot be read.
        Status bad = next.status();
        if (bad.message().find("merkle root mismatch") != std::string::npos) {
          bad = Status::InvalidArgument(bad.message() + "; the block's bytes were altered or "
                                        "damaged (--no-merkle-check reads such files anyway)");
        }
        FT_RETURN_IF_ERROR(HandleBadRecord(bad, options, report));
        break;
      }
      if (!*next) break;
      ++report->records;
      ingester.Offer(std::move(block));
      if ((report->records & 0xff) == 0) {
        progress.Update(done_bytes + reader->bytes_read(), report->records);
      }
    }
    done_bytes += reader->file_size();
  }
  ingester.Notes();
  return Status::OK();
}

}  // namespace fundtrace
