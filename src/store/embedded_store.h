// The embedded backend of ChainStore: a directory of immutable memory-mapped files named by a
// MANIFEST (see docs/store-format.md). Ingest goes through IngestBatch; its Commit writes new
// files, syncs them, and then atomically replaces the MANIFEST, so a crash at any point leaves
// the previous state readable and the half-written files are removed on the next open.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/chain_store.h"
#include "store/dictionary_files.h"
#include "store/flow_file.h"
#include "store/key_index.h"
#include "store/segment.h"
#include "util/file_util.h"

namespace fundtrace {

class IngestBatch;

class EmbeddedChainStore final : public ChainStore {
 public:
  // Opens (creating when absent and `create` is set) the store of `chain` in `dir`. Takes the
  // directory's lock: a second writer fails at once with a clear message.
  static Result<std::unique_ptr<EmbeddedChainStore>> Open(const std::string& dir, Chain chain,
                                                          bool create);
  // Opens the store of `chain` for reading only: takes no lock (any number of readers may run
  // beside one writer: files are immutable and the manifest is replaced atomically) and leaves
  // files of an uncommitted ingest alone. NewBatch must not be called on such a store.
  static Result<std::unique_ptr<EmbeddedChainStore>> OpenReadOnly(const std::string& dir,
                                                                  Chain chain);
  ~EmbeddedChainStore() override;

  // Starts a batch of new data. Only one batch may be open at a time; until it commits, readers
  // see the state before it.
  std::unique_ptr<IngestBatch> NewBatch();

  Chain chain() const override { return chain_; }
  std::optional<AddressId> FindAddress(std::string_view key) const override;
  std::string AddressKey(AddressId id) const override;
  std::optional<TxId> FindTx(const Hash32& hash) const override;
  TxInfo Tx(TxId id) const override;
  std::optional<BlockInfo> Block(uint32_t height) const override;
  size_t AssetCount() const override { return assets_.size(); }
  const AssetInfo& Asset(AssetId id) const override { return assets_[id]; }
  std::optional<AssetId> FindAsset(std::string_view contract_key) const override;
  Status TransfersOf(std::span<const AddressId> addresses, Direction dir, BlockRange range,
                     std::vector<Transfer>* out) const override;
  Status TransfersOfTxs(std::span<const TxId> txs, std::vector<Transfer>* out) const override;
  Status TransferCounts(std::span<const AddressId> addresses, Direction dir,
                        std::vector<uint64_t>* out) const override;
  Status TransfersOfAnyOrder(std::span<const AddressId> addresses, Direction dir,
                             BlockRange range, std::vector<Transfer>* out) const override;
  // From each segment's flow file; segments without one from their rows (same answer).
  Status NativeFlows(std::span<const AddressId> addresses, Direction dir,
                     std::vector<NativeFlow>* out) const override;
  ChainStats Stats() const override;

  // Writer only: writes the flow file of every segment that has none (account chains; UTXO
  // chains have no native flows) and commits them to the MANIFEST. Commit calls it; it also
  // upgrades a store written before flow files existed. *built (optional) counts the files.
  Status BuildMissingFlows(uint64_t* built);

  const std::string& dir() const { return dir_; }
  // Chain-order key of a tx: (block << 32) | position.
  uint64_t TxOrder(TxId id) const;

 private:
  friend class IngestBatch;
  EmbeddedChainStore(std::string dir, Chain chain) : dir_(std::move(dir)), chain_(chain) {}
  static Result<std::unique_ptr<EmbeddedChainStore>> Loaded(
      std::unique_ptr<EmbeddedChainStore> store);
  Status Load();
  Status LoadAssets(const std::string& name);
  const TxDictReader& TxDictFor(TxId id) const;
  uint32_t NextAddressId() const;
  uint32_t NextTxId() const;
  void SortChainOrder(std::vector<Transfer>* v, size_t from) const;
  // The end of every Commit: BuildMissingFlows, its error saying that the data is stored.
  Status FinishWithFlows();
  // Drops the open files and loads what the MANIFEST names now.
  Status Reload();

  std::string dir_;
  Chain chain_;
  std::unique_ptr<FileLock> lock_;
  uint64_t generation_ = 0;
  std::vector<std::unique_ptr<SegmentReader>> segments_;
  std::vector<std::unique_ptr<FlowFileReader>> flows_;  // per segment; null: none written yet
  std::vector<std::unique_ptr<AddressDictReader>> address_dicts_;
  std::vector<std::unique_ptr<TxDictReader>> tx_dicts_;
  std::vector<std::unique_ptr<BlockFileReader>> block_files_;
  std::vector<AssetInfo> assets_;
  std::unordered_map<std::string, AssetId> asset_by_contract_;
  std::string assets_file_;
  // Live file names by manifest field ("segments", "addresses", "txs", "blocks").
  std::map<std::string, std::vector<std::string>> file_names_;
};

// What one Commit added (after removing what the store already had).
struct CommitStats {
  uint64_t transfers = 0;
  uint64_t duplicate_transfers = 0;  // dropped: already in the store or twice in the batch
  uint64_t txs = 0;
  uint64_t addresses = 0;
  uint64_t blocks = 0;
  uint64_t assets = 0;
  uint64_t unresolved_inputs = 0;
};

// New data for one chain. Ids handed out by a batch are final once it commits; a batch that is
// destroyed without Commit leaves the store exactly as it was.
class IngestBatch {
 public:
  explicit IngestBatch(EmbeddedChainStore* store);

  // The id of an address key, registering it when new.
  AddressId Address(std::string_view key);
  // The id of a tx by hash, registering it with `info` when new. *is_new is false when the store
  // or this batch already had it (then `info` is ignored).
  TxId Tx(const TxInfo& info, bool* is_new);
  std::optional<TxId> FindTx(const Hash32& hash) const;
  const TxInfo* NewTxInfo(TxId id) const;  // nullptr for txs the store had before
  // The id of a token by contract address key, registering it when new.
  AssetId Asset(std::string_view contract_key);
  // Sets symbol/decimals of a token (known or new); empty/-1 leave a field unchanged.
  void SetAssetMeta(AssetId id, const std::string& symbol, int decimals);
  void AddBlock(const BlockInfo& block);

  // Adds one transfer. `block` is taken from the tx. Amounts beyond the compact code go to the
  // segment's wide table.
  void Add(TxId tx, TransferKind kind, uint32_t seq, AddressId from, AddressId to, AssetId asset,
           const U256& amount, uint64_t prevout = kNoPrevout);
  // A Bitcoin input whose spent output is not known: recorded with no address and no amount.
  void AddUnresolvedInput(TxId tx, uint32_t vin, const Hash32& prev_txid, uint32_t prev_vout);

  // Sizes the batch's buffers for about this much new data (a hint; growth still works).
  void Reserve(size_t transfers, size_t txs, size_t addresses);
  size_t pending_transfers() const { return rows_.size(); }
  size_t MemoryBytes() const;

  // Removes duplicates, writes the files and switches the MANIFEST. On failure the store is as
  // before and the batch must be discarded.
  Status Commit(CommitStats* stats);

 private:
  uint32_t TxBlock(TxId id) const;
  EmbeddedChainStore* store_;
  uint32_t address_base_;
  uint32_t tx_base_;
  KeyIndexBuilder new_addresses_{0};
  KeyIndexBuilder new_txs_{32};
  BigVector<TxInfo> new_tx_infos_;
  BigVector<PackedRow> rows_;
  BigVector<uint64_t> prevouts_;  // parallel to rows_ once any row has a prevout
  std::vector<U256> wide_;
  std::vector<std::pair<uint32_t, UnresolvedPrevout>> unresolved_;  // (row index, prevout)
  std::map<uint32_t, BlockInfo> blocks_;
  uint32_t last_block_ = 0;
  std::vector<AssetInfo> assets_;  // the store's table plus this batch's changes
  std::unordered_map<std::string, AssetId> asset_by_contract_;
  bool assets_changed_ = false;
};

}  // namespace fundtrace
