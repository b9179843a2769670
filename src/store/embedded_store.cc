#include "store/embedded_store.h"

#include <cassert>

#include <algorithm>
#include <cinttypes>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_set>

#include "chain/hash.h"
#include "store/fault_injection.h"

namespace fundtrace {
namespace {

constexpr int kManifestFormat = 1;
constexpr char kManifestName[] = "MANIFEST";

// The MANIFEST naming the live files, at the generation after `generation` (a writer adds its
// new files, and replaces `assets` when it wrote a new table).
nlohmann::json NextManifest(Chain chain, uint64_t generation,
                            const std::map<std::string, std::vector<std::string>>& file_names,
                            const std::string& assets_file) {
  nlohmann::json m;
  m["format"] = kManifestFormat;
  m["chain"] = std::string(ChainName(chain));
  m["generation"] = generation + 1;
  for (const auto& [field, names] : file_names) m[field] = names;
  if (!assets_file.empty()) m["assets"] = assets_file;
  return m;
}

std::string FileName(const char* prefix, uint64_t generation, const char* ext) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s-%06" PRIu64 ".%s", prefix, generation, ext);
  return buf;
}

std::string_view HashView(const Hash32& h) {
  return {reinterpret_cast<const char*>(h.data()), h.size()};
}

}  // namespace

// ---------------------------------------------------------------- opening

Result<std::unique_ptr<EmbeddedChainStore>> EmbeddedChainStore::Open(const std::string& dir,
                                                                      Chain chain, bool create) {
  std::string chain_dir = dir + "/" + std::string(ChainName(chain));
  if (!FileExists(chain_dir)) {
    if (!create) {
      return Status::NotFound("no " + std::string(ChainName(chain)) + " data in " + dir +
                              " (run `fundtrace ingest` first)");
    }
    FT_RETURN_IF_ERROR(CreateDirs(chain_dir));
  }
  std::unique_ptr<EmbeddedChainStore> store(new EmbeddedChainStore(chain_dir, chain));
  FT_ASSIGN_OR_RETURN(store->lock_, FileLock::Acquire(chain_dir));
  return Loaded(std::move(store));
}

Result<std::unique_ptr<EmbeddedChainStore>> EmbeddedChainStore::OpenReadOnly(
    const std::string& dir, Chain chain) {
  std::string chain_dir = dir + "/" + std::string(ChainName(chain));
  if (!FileExists(chain_dir + "/" + kManifestName)) {
    return Status::NotFound("no " + std::string(ChainName(chain)) + " data in " + dir +
                            " (run `fundtrace ingest` first)");
  }
  return Loaded(std::unique_ptr<EmbeddedChainStore>(new EmbeddedChainStore(chain_dir, chain)));
}

Result<std::unique_ptr<EmbeddedChainStore>> EmbeddedChainStore::Loaded(
    std::unique_ptr<EmbeddedChainStore> store) {
  const std::string& chain_dir = store->dir_;
  try {
    FT_RETURN_IF_ERROR(store->Load());
  } catch (const nlohmann::json::exception& e) {  // a manifest field of the wrong type
    return Status::Corruption(chain_dir + "/" + kManifestName + ": " + e.what());
  }
  return store;
}

EmbeddedChainStore::~EmbeddedChainStore() = default;

Status EmbeddedChainStore::Load() {
  assets_ = {AssetInfo{"", std::string(NativeSymbol(chain_)), NativeDecimals(chain_)}};
  file_names_ = {
      {"segments", {}}, {"flows", {}}, {"addresses", {}}, {"txs", {}}, {"blocks", {}}};
  asset_by_contract_.clear();
  std::string manifest_path = dir_ + "/" + kManifestName;
  std::set<std::string> live = {kManifestName, "LOCK"};
  if (FileExists(manifest_path)) {
    FT_ASSIGN_OR_RETURN(std::string text, ReadFileToString(manifest_path));
    nlohmann::json m = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (m.is_discarded() || !m.is_object() || !m.contains("generation")) {
      return Status::Corruption(manifest_path + ": not a valid manifest");
    }
    if (m.value("format", 0) != kManifestFormat) {
      return Status::Unsupported(manifest_path + ": manifest format " +
                                 std::to_string(m.value("format", 0)) + " is not supported");
    }
    if (m.value("chain", "") != ChainName(chain_)) {
      return Status::Corruption(manifest_path + ": manifest is for chain " +
                                m.value("chain", std::string("?")));
    }
    if (!m["generation"].is_number_unsigned()) {
      return Status::Corruption(manifest_path + ": bad generation");
    }
    generation_ = m["generation"].get<uint64_t>();
    auto names = [&](const char* field) {
      std::vector<std::string>& v = file_names_[field];
      if (m.contains(field) && m[field].is_array()) {
        for (const auto& n : m[field]) {
          if (!n.is_string()) break;
          v.push_back(n.get<std::string>());
        }
      }
      return v;
    };
    for (const auto& n : names("segments")) {
      live.insert(n);
      FT_ASSIGN_OR_RETURN(auto r, SegmentReader::Open(dir_ + "/" + n));
      segments_.push_back(std::move(r));
    }
    const auto& flow_names = names("flows");
    std::set<std::string> listed(flow_names.begin(), flow_names.end());
    for (size_t i = 0; i < segments_.size(); ++i) {
      std::string n = FlowFileNameFor(file_names_["segments"][i]);
      flows_.emplace_back();
      if (!listed.count(n)) continue;
      live.insert(n);
      FT_ASSIGN_OR_RETURN(flows_.back(), FlowFileReader::Open(dir_ + "/" + n, *segments_[i]));
    }
    for (const auto& n : names("addresses")) {
      live.insert(n);
      FT_ASSIGN_OR_RETURN(auto r, AddressDictReader::Open(dir_ + "/" + n));
      address_dicts_.push_back(std::move(r));
    }
    for (const auto& n : names("txs")) {
      live.insert(n);
      FT_ASSIGN_OR_RETURN(auto r, TxDictReader::Open(dir_ + "/" + n));
      tx_dicts_.push_back(std::move(r));
    }
    for (const auto& n : names("blocks")) {
      live.insert(n);
      FT_ASSIGN_OR_RETURN(auto r, BlockFileReader::Open(dir_ + "/" + n));
      block_files_.push_back(std::move(r));
    }
    if (m.contains("assets") && m["assets"].is_string()) {
      assets_file_ = m["assets"].get<std::string>();
      live.insert(assets_file_);
      FT_RETURN_IF_ERROR(LoadAssets(assets_file_));
    }
  }
  // Files not named by the manifest are left over from an ingest that did not commit (or
  // belong to one in progress, which only a writer, holding the lock, can rule out).
  if (!lock_) return Status::OK();
  FT_ASSIGN_OR_RETURN(auto entries, ListDir(dir_));
  for (const auto& name : entries) {
    if (!live.count(name)) FT_RETURN_IF_ERROR(RemoveFile(dir_ + "/" + name));
  }
  return Status::OK();
}

Status EmbeddedChainStore::LoadAssets(const std::string& name) {
  std::string path = dir_ + "/" + name;
  FT_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_array() || j.empty()) {
    return Status::Corruption(path + ": not a valid asset table");
  }
  assets_.clear();
  for (const auto& a : j) {
    AssetInfo info;
    std::string hex = a.value("contract", "");
    if (!hex.empty() && !FromHex(hex, &info.contract)) {
      return Status::Corruption(path + ": bad contract key " + hex);
    }
    info.symbol = a.value("symbol", "");
    info.decimals = a.value("decimals", -1);
    if (!info.contract.empty()) {
      asset_by_contract_[info.contract] = static_cast<AssetId>(assets_.size());
    }
    assets_.push_back(std::move(info));
  }
  return Status::OK();
}

// ---------------------------------------------------------------- reading

std::optional<AddressId> EmbeddedChainStore::FindAddress(std::string_view key) const {
  for (const auto& d : address_dicts_) {
    if (auto id = d->Find(key)) return id;
  }
  return std::nullopt;
}

std::string EmbeddedChainStore::AddressKey(AddressId id) const {
  auto it = std::upper_bound(address_dicts_.begin(), address_dicts_.end(), id,
                             [](AddressId v, const auto& d) { return v < d->base(); });
  if (it == address_dicts_.begin()) return {};
  const auto& d = *std::prev(it);
  if (id >= d->base() + d->size()) return {};
  return std::string(d->Key(id));
}

std::optional<TxId> EmbeddedChainStore::FindTx(const Hash32& hash) const {
  for (const auto& d : tx_dicts_) {
    if (auto id = d->Find(hash)) return id;
  }
  return std::nullopt;
}

const TxDictReader& EmbeddedChainStore::TxDictFor(TxId id) const {
  auto it = std::upper_bound(tx_dicts_.begin(), tx_dicts_.end(), id,
                             [](TxId v, const auto& d) { return v < d->base(); });
  return **std::prev(it);
}

TxInfo EmbeddedChainStore::Tx(TxId id) const { return TxDictFor(id).Info(id); }

uint64_t EmbeddedChainStore::TxOrder(TxId id) const {
  const auto& d = TxDictFor(id);
  return (uint64_t{d.Block(id)} << 32) | d.Pos(id);
}

std::optional<BlockInfo> EmbeddedChainStore::Block(uint32_t height) const {
  for (const auto& f : block_files_) {
    if (auto b = f->Find(height)) return b;
  }
  return std::nullopt;
}

std::optional<AssetId> EmbeddedChainStore::FindAsset(std::string_view contract_key) const {
  auto it = asset_by_contract_.find(std::string(contract_key));
  if (it == asset_by_contract_.end()) return std::nullopt;
  return it->second;
}

void EmbeddedChainStore::SortChainOrder(std::vector<Transfer>* v, size_t from) const {
  std::vector<std::pair<std::pair<uint64_t, uint64_t>, size_t>> keys;
  keys.reserve(v->size() - from);
  for (size_t i = from; i < v->size(); ++i) {
    const Transfer& t = (*v)[i];
    keys.push_back({{TxOrder(t.tx), (uint64_t{t.tx} << 32) | t.seq_kind}, i});
  }
  if (std::is_sorted(keys.begin(), keys.end())) return;
  std::sort(keys.begin(), keys.end());
  std::vector<Transfer> sorted;
  sorted.reserve(keys.size());
  for (const auto& k : keys) sorted.push_back(std::move((*v)[k.second]));
  std::move(sorted.begin(), sorted.end(), v->begin() + static_cast<ptrdiff_t>(from));
}

Status EmbeddedChainStore::TransfersOf(std::span<const AddressId> addresses, Direction dir,
                                       BlockRange range, std::vector<Transfer>* out) const {
  const size_t start = out->size();
  FT_RETURN_IF_ERROR(TransfersOfAnyOrder(addresses, dir, range, out));
  if (segments_.size() > 1) SortChainOrder(out, start);
  return Status::OK();
}

Status EmbeddedChainStore::TransfersOfAnyOrder(std::span<const AddressId> addresses,
                                               Direction dir, BlockRange range,
                                               std::vector<Transfer>* out) const {
  for (const auto& seg : segments_) {
    if (seg->size() == 0 || seg->max_block() < range.first || seg->min_block() > range.last) {
      continue;
    }
    std::vector<uint32_t> rows;
    for (AddressId a : addresses) {
      if (dir != Direction::kIn) {
        auto r = seg->OutRows(a);
        rows.insert(rows.end(), r.begin(), r.end());
      }
      if (dir != Direction::kOut) {
        auto r = seg->InRows(a);
        rows.insert(rows.end(), r.begin(), r.end());
      }
    }
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    constexpr size_t kAhead = 16;
    for (size_t k = 0; k < rows.size() && k < kAhead; ++k) seg->Prefetch(rows[k]);
    out->reserve(out->size() + rows.size());
    for (size_t k = 0; k < rows.size(); ++k) {
      if (k + kAhead < rows.size()) seg->Prefetch(rows[k + kAhead]);
      if (range.Contains(seg->block(rows[k]))) out->push_back(seg->Get(rows[k]));
    }
  }
  return Status::OK();
}

Status EmbeddedChainStore::NativeFlows(std::span<const AddressId> addresses, Direction dir,
                                       std::vector<NativeFlow>* out) const {
  const std::vector<AddressId> asked = SortedIds(addresses);
  const size_t start = out->size();
  const TxHashLess hash_less = TxHashLessOf();
  std::vector<Transfer> rows;
  for (size_t i = 0; i < segments_.size(); ++i) {
    const SegmentReader& seg = *segments_[i];
    if (flows_[i]) {
      flows_[i]->Append(asked, dir, out);
      continue;
    }
    rows.clear();
    for (AddressId a : asked) {
      for (uint32_t r : dir == Direction::kIn ? seg.InRows(a) : seg.OutRows(a)) {
        rows.push_back(seg.Get(r));
      }
    }
    AggregateNativeFlows(rows, asked, dir, hash_less, out);
  }
  // Each segment's part is sorted; several segments are merged (a pair may occur in each).
  if (segments_.size() > 1) MergeNativeFlows(out, start, hash_less);
  return Status::OK();
}

Status EmbeddedChainStore::Reload() {
  segments_.clear();
  flows_.clear();
  address_dicts_.clear();
  tx_dicts_.clear();
  block_files_.clear();
  return Load();
}

Status EmbeddedChainStore::FinishWithFlows() {
  return BuildMissingFlows(nullptr).WithContext(
      "the data is stored, but its flow index was not written (risk scores read the rows "
      "instead; the next ingest or `fundtrace reindex` retries)");
}

Status EmbeddedChainStore::BuildMissingFlows(uint64_t* built) {
  if (built) *built = 0;
  if (!lock_) return Status::InvalidArgument(dir_ + ": the flow index needs the writer's lock");
  if (chain_ == Chain::kBitcoin) return Status::OK();
  std::vector<std::string> added;
  for (size_t i = 0; i < segments_.size(); ++i) {
    if (flows_[i]) continue;
    std::string name = FlowFileNameFor(file_names_["segments"][i]);
    FT_RETURN_IF_ERROR(WriteFlowFile(dir_ + "/" + name, *segments_[i], TxHashLessOf()));
    added.push_back(name);
  }
  if (added.empty()) return Status::OK();
  nlohmann::json m = NextManifest(chain_, generation_, file_names_, assets_file_);
  for (const auto& n : added) m["flows"].push_back(n);
  FT_RETURN_IF_ERROR(WriteFileAtomic(dir_ + "/" + kManifestName, m.dump(1)));
  FT_RETURN_IF_ERROR(Reload());
  if (built) *built = added.size();
  return Status::OK();
}

Status EmbeddedChainStore::TransferCounts(std::span<const AddressId> addresses, Direction dir,
                                          std::vector<uint64_t>* out) const {
  for (AddressId a : addresses) {
    uint64_t n = 0;
    for (const auto& seg : segments_) {
      if (dir != Direction::kIn) n += seg->OutRows(a).size();
      if (dir != Direction::kOut) n += seg->InRows(a).size();
    }
    out->push_back(n);
  }
  return Status::OK();
}

Status EmbeddedChainStore::TransfersOfTxs(std::span<const TxId> txs,
                                          std::vector<Transfer>* out) const {
  const size_t start = out->size();
  std::vector<TxId> sorted(txs.begin(), txs.end());
  std::sort(sorted.begin(), sorted.end(),
            [&](TxId a, TxId b) { return std::pair(TxOrder(a), a) < std::pair(TxOrder(b), b); });
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  for (const auto& seg : segments_) {
    for (TxId tx : sorted) {
      // Rows are sorted by (tx order, tx id, seq_kind): binary search the tx's run.
      const uint64_t key = TxOrder(tx);
      const uint32_t block = static_cast<uint32_t>(key >> 32);
      if (block < seg->min_block() || block > seg->max_block()) continue;
      auto before = [&](size_t row) {
        uint64_t k = TxOrder(seg->tx(row));
        return std::pair(k, seg->tx(row)) < std::pair(key, tx);
      };
      size_t lo = 0, hi = seg->size();
      while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (before(mid)) lo = mid + 1; else hi = mid;
      }
      for (size_t r = lo; r < seg->size() && seg->tx(r) == tx; ++r) out->push_back(seg->Get(r));
    }
  }
  if (segments_.size() > 1) SortChainOrder(out, start);
  return Status::OK();
}

uint32_t EmbeddedChainStore::NextAddressId() const {
  if (address_dicts_.empty()) return 1;  // id 0 is kNoAddress
  const auto& d = address_dicts_.back();
  return d->base() + static_cast<uint32_t>(d->size());
}

uint32_t EmbeddedChainStore::NextTxId() const {
  if (tx_dicts_.empty()) return 0;
  const auto& d = tx_dicts_.back();
  return d->base() + static_cast<uint32_t>(d->size());
}

ChainStats EmbeddedChainStore::Stats() const {
  ChainStats s;
  s.addresses = NextAddressId() - 1;
  s.txs = NextTxId();
  s.assets = assets_.size();
  s.segments = segments_.size();
  for (const auto& f : flows_) s.flow_files += f != nullptr;
  bool first = true;
  for (const auto& seg : segments_) {
    s.transfers += seg->size();
    s.unresolved_inputs += seg->unresolved_count();
    s.bytes_on_disk += seg->file_bytes();
    if (seg->size() == 0) continue;
    s.min_block = first ? seg->min_block() : std::min(s.min_block, seg->min_block());
    s.max_block = first ? seg->max_block() : std::max(s.max_block, seg->max_block());
    first = false;
  }
  for (const auto& d : address_dicts_) s.bytes_on_disk += d->file_bytes();
  for (const auto& d : tx_dicts_) s.bytes_on_disk += d->file_bytes();
  for (const auto& f : block_files_) {
    s.blocks += f->size();
    s.bytes_on_disk += f->file_bytes();
  }
  return s;
}

std::unique_ptr<IngestBatch> EmbeddedChainStore::NewBatch() {
  assert(lock_ && "NewBatch on a store opened read-only");
  return std::make_unique<IngestBatch>(this);
}

// ---------------------------------------------------------------- ingest batch

IngestBatch::IngestBatch(EmbeddedChainStore* store)
    : store_(store),
      address_base_(store->NextAddressId()),
      tx_base_(store->NextTxId()),
      assets_(store->assets_),
      asset_by_contract_(store->asset_by_contract_) {}

// Hashes the key once for all the indexes it is looked up in: the store's dictionaries, then
// the batch's (an insert when it is in neither).
AddressId IngestBatch::Address(std::string_view key) {
  const uint64_t h = KeyHash(key);
  bool inserted;
  if (store_->address_dicts_.empty()) return address_base_ + new_addresses_.Insert(key, h, &inserted);
  int64_t local = new_addresses_.Find(key, h);
  if (local >= 0) return address_base_ + static_cast<uint32_t>(local);
  for (const auto& d : store_->address_dicts_) {
    if (auto id = d->Find(key, h)) return *id;
  }
  return address_base_ + new_addresses_.Insert(key, h, &inserted);
}

std::optional<TxId> IngestBatch::FindTx(const Hash32& hash) const {
  const uint64_t h = KeyHash(HashView(hash));
  int64_t local = new_txs_.Find(HashView(hash), h);
  if (local >= 0) return tx_base_ + static_cast<uint32_t>(local);
  for (const auto& d : store_->tx_dicts_) {
    if (auto id = d->Find(hash, h)) return id;
  }
  return std::nullopt;
}

TxId IngestBatch::Tx(const TxInfo& info, bool* is_new) {
  const uint64_t h = KeyHash(HashView(info.hash));
  for (const auto& d : store_->tx_dicts_) {
    if (auto id = d->Find(info.hash, h)) {
      *is_new = false;
      return *id;
    }
  }
  TxId id = tx_base_ + new_txs_.Insert(HashView(info.hash), h, is_new);
  if (*is_new) new_tx_infos_.push_back(info);
  return id;
}

void IngestBatch::Reserve(size_t transfers, size_t txs, size_t addresses) {
  rows_.reserve(transfers);
  new_tx_infos_.reserve(txs);
  new_txs_.Reserve(txs, 32);
  new_addresses_.Reserve(addresses, 21);
}

const TxInfo* IngestBatch::NewTxInfo(TxId id) const {
  return id >= tx_base_ ? &new_tx_infos_[id - tx_base_] : nullptr;
}

uint32_t IngestBatch::TxBlock(TxId id) const {
  return id >= tx_base_ ? new_tx_infos_[id - tx_base_].block : store_->TxDictFor(id).Block(id);
}

AssetId IngestBatch::Asset(std::string_view contract_key) {
  std::string key(contract_key);
  auto it = asset_by_contract_.find(key);
  if (it != asset_by_contract_.end()) return it->second;
  AssetId id = static_cast<AssetId>(assets_.size());
  assets_.push_back(AssetInfo{key, "", -1});
  asset_by_contract_.emplace(std::move(key), id);
  assets_changed_ = true;
  return id;
}

void IngestBatch::SetAssetMeta(AssetId id, const std::string& symbol, int decimals) {
  AssetInfo& a = assets_[id];
  if (!symbol.empty() && a.symbol != symbol) {
    a.symbol = symbol;
    assets_changed_ = true;
  }
  if (decimals >= 0 && a.decimals != decimals) {
    a.decimals = decimals;
    assets_changed_ = true;
  }
}

void IngestBatch::AddBlock(const BlockInfo& block) {
  // Rows come mostly grouped by block: skip the map for a repeat of the last block.
  if (!blocks_.empty() && last_block_ == block.height) return;
  last_block_ = block.height;
  blocks_.emplace(block.height, block);
}

void IngestBatch::Add(TxId tx, TransferKind kind, uint32_t seq, AddressId from, AddressId to,
                      AssetId asset, const U256& amount, uint64_t prevout) {
  uint64_t code;
  if (auto packed = PackAmount(amount)) {
    code = *packed;
  } else {
    code = kWideAmountFlag | wide_.size();
    wide_.push_back(amount);
  }
  if (prevout != kNoPrevout && prevouts_.size() < rows_.size()) {
    prevouts_.resize(rows_.size(), kNoPrevout);
  }
  rows_.push_back(PackedRow{TxBlock(tx), tx, from, to, asset, PackSeqKind(kind, seq), code});
  if (prevout != kNoPrevout || !prevouts_.empty()) prevouts_.push_back(prevout);
}

void IngestBatch::AddUnresolvedInput(TxId tx, uint32_t vin, const Hash32& prev_txid,
                                     uint32_t prev_vout) {
  uint64_t prevout = (uint64_t{kUnresolvedTx} << 32) | prev_vout;
  unresolved_.push_back({static_cast<uint32_t>(rows_.size()), {0, prev_vout, prev_txid}});
  Add(tx, TransferKind::kUtxoIn, vin, kNoAddress, kNoAddress, kNativeAsset, 0, prevout);
}

size_t IngestBatch::MemoryBytes() const {
  return rows_.capacity() * sizeof(PackedRow) + prevouts_.capacity() * 8 +
         new_addresses_.MemoryBytes() + new_txs_.MemoryBytes() +
         new_tx_infos_.capacity() * sizeof(TxInfo) + wide_.capacity() * sizeof(U256);
}

Status IngestBatch::Commit(CommitStats* stats) {
  *stats = CommitStats{};
  const size_t n = rows_.size();
  if (!prevouts_.empty()) prevouts_.resize(n, kNoPrevout);
  auto tx_order = [&](TxId id) -> uint64_t {
    if (id >= tx_base_) {
      const TxInfo& t = new_tx_infos_[id - tx_base_];
      return (uint64_t{t.block} << 32) | t.pos;
    }
    return store_->TxOrder(id);
  };

  // 1. Chain order: (block, position, tx id, kind, seq).
  struct Key {
    uint64_t order;
    uint64_t tx_seq;
    uint32_t index;
    bool operator<(const Key& o) const {
      return order != o.order ? order < o.order
                              : tx_seq != o.tx_seq ? tx_seq < o.tx_seq : index < o.index;
    }
  };
  BigVector<Key> keys(n);
  for (uint32_t i = 0; i < n; ++i) {
    keys[i] = {tx_order(rows_[i].tx), (uint64_t{rows_[i].tx} << 32) | rows_[i].seq_kind, i};
  }
  if (!std::is_sorted(keys.begin(), keys.end())) std::sort(keys.begin(), keys.end());

  // 2. Transfers the store already has, for txs it knew before this batch.
  std::vector<TxId> old_txs;
  for (const auto& r : rows_) {
    if (r.tx < tx_base_) old_txs.push_back(r.tx);
  }
  std::unordered_set<uint64_t> existing;
  if (!old_txs.empty()) {
    std::sort(old_txs.begin(), old_txs.end());
    old_txs.erase(std::unique(old_txs.begin(), old_txs.end()), old_txs.end());
    std::vector<Transfer> have;
    FT_RETURN_IF_ERROR(store_->TransfersOfTxs(old_txs, &have));
    for (const auto& t : have) existing.insert((uint64_t{t.tx} << 32) | t.seq_kind);
  }

  // 3. Keep the first of each (tx, kind, seq) that the store does not have.
  SegmentContents seg;
  seg.rows.reserve(n);
  if (!prevouts_.empty()) seg.prevouts.reserve(n);
  std::vector<int64_t> unresolved_row(unresolved_.size());
  std::unordered_map<uint32_t, size_t> unresolved_by_row;
  for (size_t u = 0; u < unresolved_.size(); ++u) unresolved_by_row[unresolved_[u].first] = u;
  for (size_t k = 0; k < n; ++k) {
    if (k > 0 && keys[k].tx_seq == keys[k - 1].tx_seq) {
      ++stats->duplicate_transfers;
      continue;
    }
    if (existing.count(keys[k].tx_seq)) {
      ++stats->duplicate_transfers;
      continue;
    }
    PackedRow row = rows_[keys[k].index];
    if (row.amount & kWideAmountFlag) {
      row.amount = kWideAmountFlag | seg.wide_amounts.size();
      seg.wide_amounts.push_back(wide_[rows_[keys[k].index].amount & ~kWideAmountFlag]);
    }
    if (!prevouts_.empty()) seg.prevouts.push_back(prevouts_[keys[k].index]);
    auto u = unresolved_by_row.find(keys[k].index);
    if (u != unresolved_by_row.end()) {
      UnresolvedPrevout p = unresolved_[u->second].second;
      p.row = static_cast<uint32_t>(seg.rows.size());
      seg.unresolved.push_back(p);
    }
    seg.rows.push_back(row);
  }
  seg.address_span = address_base_ + static_cast<uint32_t>(new_addresses_.size());
  stats->transfers = seg.rows.size();
  stats->unresolved_inputs = seg.unresolved.size();
  stats->addresses = new_addresses_.size();
  stats->txs = new_txs_.size();

  std::vector<BlockInfo> new_blocks;
  for (const auto& [height, b] : blocks_) {
    if (!store_->Block(height)) new_blocks.push_back(b);
  }
  stats->blocks = new_blocks.size();
  stats->assets = assets_.size() - store_->assets_.size();

  const bool nothing_new = seg.rows.empty() && new_addresses_.size() == 0 &&
                           new_txs_.size() == 0 && new_blocks.empty() && !assets_changed_;
  if (nothing_new) return store_->FinishWithFlows();

  // 4. Write the new files, then the manifest that names them.
  const uint64_t gen = store_->generation_ + 1;
  const std::string& dir = store_->dir_;
  nlohmann::json m = NextManifest(store_->chain_, store_->generation_, store_->file_names_,
                                  store_->assets_file_);
  if (!seg.rows.empty()) {
    std::string name = FileName("seg", gen, "ft");
    FT_RETURN_IF_ERROR(WriteSegment(dir + "/" + name, seg));
    m["segments"].push_back(name);
  }
  MaybeInjectCrash("after-segment");
  if (new_addresses_.size() > 0) {
    std::string name = FileName("addr", gen, "ft");
    FT_RETURN_IF_ERROR(WriteAddressDict(dir + "/" + name, address_base_, new_addresses_));
    m["addresses"].push_back(name);
  }
  if (new_txs_.size() > 0) {
    std::string name = FileName("txs", gen, "ft");
    FT_RETURN_IF_ERROR(WriteTxDict(dir + "/" + name, tx_base_, new_txs_, new_tx_infos_));
    m["txs"].push_back(name);
  }
  if (!new_blocks.empty()) {
    std::string name = FileName("blocks", gen, "ft");
    FT_RETURN_IF_ERROR(WriteBlockFile(dir + "/" + name, new_blocks));
    m["blocks"].push_back(name);
  }
  std::string assets_name = store_->assets_file_;
  if (assets_changed_) {
    assets_name = FileName("assets", gen, "json");
    nlohmann::json a = nlohmann::json::array();
    for (const auto& info : assets_) {
      a.push_back({{"contract", ToHex(AsBytes(info.contract))},
                   {"symbol", info.symbol},
                   {"decimals", info.decimals}});
    }
    FT_RETURN_IF_ERROR(WriteFileAtomic(dir + "/" + assets_name, a.dump(1)));
  }
  if (!assets_name.empty()) m["assets"] = assets_name;
  MaybeInjectCrash("before-manifest");
  FT_RETURN_IF_ERROR(WriteFileAtomic(dir + "/" + kManifestName, m.dump(1)));
  MaybeInjectCrash("after-manifest");

  // 5. Make the new state visible to this process.
  FT_RETURN_IF_ERROR(store_->Reload());
  return store_->FinishWithFlows();
}

}  // namespace fundtrace
