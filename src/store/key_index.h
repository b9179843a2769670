// A hash index from byte-string keys to dense local indexes 0..n-1, in two forms that share one
// layout and one probe sequence: KeyIndexBuilder grows in memory during an ingest batch, and
// KeyIndexView reads the same bytes from a memory-mapped dictionary file without parsing.
//
// Serialised layout (little-endian, 8-byte aligned; see docs/store-format.md):
//   u64 count, u64 key_width (0 = variable; a builder whose keys all have one length writes
//       that length), u64 blob_size, u64 table_capacity,
//   [u64 offsets[count + 1]]   only when key_width == 0
//   u8  blob[blob_size], padded to 8
//   u64 table[table_capacity]  (low 32 bits: 0 = empty, else local index + 1; high 32 bits:
//                               the key hash's high 32 bits as a tag; linear probing)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/file_util.h"
#include "util/huge_page_allocator.h"
#include "util/status.h"

namespace fundtrace {

// The persisted hash of a key. Part of the on-disk format: never change it.
uint64_t KeyHash(std::string_view key);

class KeyIndexBuilder {
 public:
  // key_width > 0: every key has exactly that many bytes (REQUIRES on Insert).
  explicit KeyIndexBuilder(size_t key_width = 0);

  // Returns the local index of `key`, inserting it when absent (*inserted says which).
  uint32_t Insert(std::string_view key, bool* inserted) { return Insert(key, KeyHash(key), inserted); }
  // The same with the key's KeyHash already computed (callers probing several indexes hash once).
  uint32_t Insert(std::string_view key, uint64_t hash, bool* inserted);
  // Local index of `key`, or -1.
  int64_t Find(std::string_view key) const { return Find(key, KeyHash(key)); }
  int64_t Find(std::string_view key, uint64_t hash) const;
  // Makes room for `n` keys of about `key_bytes` bytes each without regrowing.
  void Reserve(size_t n, size_t key_bytes);
  std::string_view Key(uint32_t index) const;
  size_t size() const { return count_; }
  size_t MemoryBytes() const;

  // Appends the serialised form to *out, whose size must be a multiple of 8. The builder must
  // outlive out->Write (its arrays are referenced, not copied).
  void AppendTo(FileAssembler* out) const;
  // The same bytes appended to a string (for small indexes embedded in other files).
  void AppendTo(std::string* out) const;

 private:
  void Grow();
  size_t key_width_;
  size_t count_ = 0;
  // For variable-width builders: the length all keys so far share, or 0 when they differ. A
  // builder whose keys turned out uniform is written as fixed-width (no offsets to read).
  size_t uniform_width_ = 0;
  BigVector<char> blob_;
  BigVector<uint64_t> offsets_;  // variable width only; offsets_[i] = start of key i
  BigVector<uint64_t> table_;
};

class KeyIndexView {
 public:
  KeyIndexView() = default;
  // Parses the header at `data` and checks that the whole index lies within `size` bytes. On
  // success *consumed is the number of bytes it occupies. Corruption names `what`.
  static Result<KeyIndexView> Parse(const uint8_t* data, size_t size, const std::string& what,
                                    size_t* consumed);

  int64_t Find(std::string_view key) const { return Find(key, KeyHash(key)); }
  int64_t Find(std::string_view key, uint64_t hash) const;
  std::string_view Key(uint32_t index) const;
  size_t size() const { return count_; }

 private:
  size_t key_width_ = 0;
  size_t count_ = 0;
  const uint64_t* offsets_ = nullptr;
  const char* blob_ = nullptr;
  const uint64_t* table_ = nullptr;
  uint64_t mask_ = 0;
};

}  // namespace fundtrace
