// The persisted dictionaries of a chain, one file of each kind per ingest batch that added
// entries: addresses (key <-> id), transactions (hash <-> id, with block, position, time and
// status) and blocks (height -> time, hash). Each file covers a contiguous id range
// [base, base + size) and is immutable once written.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/key_index.h"
#include "store/types.h"
#include "util/huge_page_allocator.h"
#include "util/file_util.h"
#include "util/status.h"

namespace fundtrace {

Status WriteAddressDict(const std::string& path, uint32_t base, const KeyIndexBuilder& keys);

class AddressDictReader {
 public:
  static Result<std::unique_ptr<AddressDictReader>> Open(const std::string& path);
  uint32_t base() const { return base_; }
  size_t size() const { return index_.size(); }
  std::optional<AddressId> Find(std::string_view key) const { return Find(key, KeyHash(key)); }
  // With the key's KeyHash already computed.
  std::optional<AddressId> Find(std::string_view key, uint64_t hash) const {
    int64_t i = index_.Find(key, hash);
    if (i < 0) return std::nullopt;
    return base_ + static_cast<uint32_t>(i);
  }
  // REQUIRES: base() <= id < base() + size()
  std::string_view Key(AddressId id) const { return index_.Key(id - base_); }
  uint64_t file_bytes() const { return file_->size(); }

 private:
  std::unique_ptr<MappedFile> file_;
  uint32_t base_ = 0;
  KeyIndexView index_;
};

// REQUIRES: infos.size() == hashes.size(); hashes have width 32.
Status WriteTxDict(const std::string& path, uint32_t base, const KeyIndexBuilder& hashes,
                   const BigVector<TxInfo>& infos);

class TxDictReader {
 public:
  static Result<std::unique_ptr<TxDictReader>> Open(const std::string& path);
  uint32_t base() const { return base_; }
  size_t size() const { return index_.size(); }
  std::optional<TxId> Find(const Hash32& hash) const;
  // With KeyHash of the 32 hash bytes already computed.
  std::optional<TxId> Find(const Hash32& hash, uint64_t key_hash) const;
  // REQUIRES: base() <= id < base() + size()
  TxInfo Info(TxId id) const;
  uint32_t Block(TxId id) const { return block_[id - base_]; }
  uint32_t Pos(TxId id) const { return pos_[id - base_]; }
  uint64_t file_bytes() const { return file_->size(); }

 private:
  std::unique_ptr<MappedFile> file_;
  uint32_t base_ = 0;
  KeyIndexView index_;
  const uint32_t* block_ = nullptr;
  const uint32_t* pos_ = nullptr;
  const uint64_t* time_ = nullptr;
  const uint8_t* status_ = nullptr;
};

// REQUIRES: blocks sorted by height, heights unique.
Status WriteBlockFile(const std::string& path, const std::vector<BlockInfo>& blocks);

class BlockFileReader {
 public:
  static Result<std::unique_ptr<BlockFileReader>> Open(const std::string& path);
  size_t size() const { return count_; }
  std::optional<BlockInfo> Find(uint32_t height) const;
  BlockInfo At(size_t i) const;
  uint64_t file_bytes() const { return file_->size(); }

 private:
  std::unique_ptr<MappedFile> file_;
  size_t count_ = 0;
  const uint32_t* height_ = nullptr;
  const uint64_t* time_ = nullptr;
  const uint8_t* hash_ = nullptr;
};

}  // namespace fundtrace
