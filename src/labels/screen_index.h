// The screening index (<data>/labels.idx): for every labelled address, the winning tag's
// category, abuse type, entity, label, source, network and confidence, the number of tags, and
// a bit set of every category and abuse type any of its tags states. `screen` answers from this
// memory-mapped file alone, without SQLite: one hash probe per address.
//
// Layout (little-endian, 8-byte aligned; docs/labels.md):
//   header   magic "FTLABIX1", u32 version, u32 entry size (32), u64 generation (of
//            labels.sqlite it was built from), u64 tags, u64 offsets of the four sections
//   fixed    KeyIndex of the 21-byte keys (EVM, TRON, P2PKH, P2SH), then its entries
//   variable KeyIndex of the other keys (segwit, nonstandard), then its entries
//   strings  u64 count, u64 offsets[count + 1], bytes; string 0 is ""
//   terms    u64 count, then per term u32 string id, u32 severity (bit i of risk_mask = term i)
// Splitting by key width keeps the common case at two memory reads per probe (table, key).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "chain/chain.h"
#include "store/key_index.h"
#include "util/file_util.h"
#include "util/status.h"

namespace fundtrace {

inline constexpr uint16_t kNoTerm = 0xFFFF;
inline constexpr size_t kMaxRiskTerms = 64;

struct ScreenEntry {
  uint32_t label;  // string ids
  uint32_t entity;
  uint32_t source;
  uint32_t network;
  uint16_t category;  // term index
  uint16_t abuse;     // term index or kNoTerm
  uint8_t confidence;
  uint8_t chain;       // Chain
  uint16_t tags;       // tags of the address (saturates at 65535)
  uint64_t risk_mask;  // bit i: some tag states term i
};
static_assert(sizeof(ScreenEntry) == 32);

// What one address contributes when building.
struct ScreenEntryInput {
  std::string_view key;  // binary address key
  Chain chain = Chain::kEthereum;
  std::string_view label, entity, source, network;
  std::string_view category, abuse;  // term ids ("" abuse = none)
  int confidence = 0;
  size_t tags = 1;
  std::vector<std::string_view> terms;  // every category and abuse its tags state
};

class ScreenIndexWriter {
 public:
  // `terms`: (id, severity) of every category and abuse type; at most kMaxRiskTerms of them
  // get a bit in risk_mask (the rest are still names of winners).
  explicit ScreenIndexWriter(const std::vector<std::pair<std::string, int>>& terms);
  // Makes room for this many 21-byte and other keys without regrowing (optional).
  void Reserve(size_t fixed_keys, size_t other_keys);
  // REQUIRES: each key added once.
  void Add(const ScreenEntryInput& in);
  size_t size() const { return fixed_entries_.size() + var_entries_.size(); }
  // Writes the index durably (WriteFileAtomic): on failure `path` is unchanged.
  Status Write(const std::string& path, uint64_t generation, uint64_t tags) const;

 private:
  uint32_t Intern(std::string_view s);
  uint16_t TermIndex(std::string_view id) const;
  std::vector<std::pair<std::string, int>> terms_;
  std::unordered_map<std::string, uint16_t> term_index_;
  std::unordered_map<std::string, uint32_t> string_ids_;
  std::vector<std::string> strings_;
  KeyIndexBuilder fixed_{21}, var_{0};
  std::vector<ScreenEntry> fixed_entries_, var_entries_;
};

// A memory-mapped labels.idx. Immutable; Find is thread-safe.
class ScreenIndex {
 public:
  // Errors: NotFound when the file is absent; Corruption "<path>: ..." for a damaged or
  // unknown-version file.
  static Result<std::unique_ptr<ScreenIndex>> Open(const std::string& path);

  // The entry of a binary address key, or nullptr.
  const ScreenEntry* Find(std::string_view key) const {
    if (key.size() == 21) {
      int64_t i = fixed_.Find(key);
      return i < 0 ? nullptr : &fixed_entries_[i];
    }
    int64_t i = var_.Find(key);
    return i < 0 ? nullptr : &var_entries_[i];
  }
  // Find for many keys: out[i] = Find(keys[i]). Several times faster than a loop of Find on an
  // index larger than the CPU caches, because it prefetches the table slots of a group of keys,
  // then their key bytes and entries, before comparing any (the KeyIndex layout is documented in
  // docs/store-format.md; Open checks it and falls back to plain Find if it ever differs).
  void FindMany(std::span<const std::string_view> keys, const ScreenEntry** out) const;
  // Calls fn(key, entry) for every address of the index (fixed-width keys first).
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (uint32_t i = 0; i < fixed_.size(); ++i) fn(fixed_.Key(i), fixed_entries_[i]);
    for (uint32_t i = 0; i < var_.size(); ++i) fn(var_.Key(i), var_entries_[i]);
  }
  std::string_view String(uint32_t id) const;
  std::string_view TermName(uint16_t term) const;
  int TermSeverity(uint16_t term) const;
  size_t term_count() const { return terms_.size(); }
  // Names of the terms in entry.risk_mask with severity >= min_severity, most severe first.
  std::vector<std::string_view> Risks(const ScreenEntry& entry, int min_severity) const;

  uint64_t generation() const { return generation_; }
  uint64_t tags() const { return tags_; }
  size_t addresses() const { return fixed_.size() + var_.size(); }
  size_t file_bytes() const { return file_->size(); }

 private:
  // Where the fixed-width KeyIndex keeps its table and keys, for prefetching (null: no prefetch).
  struct Layout {
    const uint64_t* table = nullptr;
    uint64_t mask = 0;
    const char* blob = nullptr;
    size_t width = 0;
  };
  Layout fixed_layout_;
  std::unique_ptr<MappedFile> file_;
  uint64_t generation_ = 0, tags_ = 0;
  KeyIndexView fixed_, var_;
  const ScreenEntry* fixed_entries_ = nullptr;
  const ScreenEntry* var_entries_ = nullptr;
  uint64_t string_count_ = 0;
  const uint64_t* string_offsets_ = nullptr;
  const char* string_blob_ = nullptr;
  uint64_t blob_size_ = 0;
  std::vector<std::pair<uint32_t, uint32_t>> terms_;  // string id, severity
  std::vector<uint16_t> by_severity_;                 // risk-mask terms, most severe first
};

}  // namespace fundtrace
