#include "store/key_index.h"

#include <cstring>

namespace fundtrace {
namespace {

constexpr uint64_t kMul = 0x9E3779B97F4A7C15ULL;
constexpr size_t kMinCapacity = 16;
constexpr size_t kHeaderWords = 4;

uint64_t Mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

size_t Pad8(size_t n) { return (n + 7) & ~size_t{7}; }

// Bounded by the capacity and by `count`, so a damaged table can return a wrong miss but never
// loop or read outside the index.
template <typename KeyAt>
int64_t Probe(const uint32_t* table, uint64_t mask, size_t count, std::string_view key,
              uint64_t hash, KeyAt key_at) {
  uint64_t i = hash & mask;
  for (uint64_t n = 0; n <= mask; ++n, i = (i + 1) & mask) {
    uint32_t slot = table[i];
    if (slot == 0 || slot > count) return -1;
    if (key_at(slot - 1) == key) return slot - 1;
  }
  return -1;
}

}  // namespace

uint64_t KeyHash(std::string_view key) {
  uint64_t h = key.size() * kMul;
  size_t i = 0;
  for (; i + 8 <= key.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, key.data() + i, 8);
    h = (h ^ w) * kMul;
    h = (h << 29) | (h >> 35);
  }
  uint64_t tail = 0;
  std::memcpy(&tail, key.data() + i, key.size() - i);
  h = (h ^ tail) * kMul;
  return Mix(h);
}

KeyIndexBuilder::KeyIndexBuilder(size_t key_width) : key_width_(key_width) {
  table_.assign(kMinCapacity, 0);
  if (key_width_ == 0) offsets_.push_back(0);
}

std::string_view KeyIndexBuilder::Key(uint32_t index) const {
  if (key_width_ != 0) return {blob_.data() + size_t{index} * key_width_, key_width_};
  return {blob_.data() + offsets_[index], offsets_[index + 1] - offsets_[index]};
}

int64_t KeyIndexBuilder::Find(std::string_view key, uint64_t hash) const {
  return Probe(table_.data(), table_.size() - 1, count_, key, hash,
               [this](uint32_t i) { return Key(i); });
}

void KeyIndexBuilder::Reserve(size_t n, size_t key_bytes) {
  blob_.reserve(n * key_bytes);
  if (key_width_ == 0) offsets_.reserve(n + 1);
  size_t capacity = table_.size();
  while (capacity < 2 * n) capacity *= 2;
  if (capacity == table_.size()) return;
  std::vector<uint32_t> old;
  old.swap(table_);
  table_.assign(capacity, 0);
  uint64_t mask = capacity - 1;
  for (uint32_t slot : old) {
    if (slot == 0) continue;
    uint64_t i = KeyHash(Key(slot - 1)) & mask;
    while (table_[i] != 0) i = (i + 1) & mask;
    table_[i] = slot;
  }
}

uint32_t KeyIndexBuilder::Insert(std::string_view key, uint64_t hash, bool* inserted) {
  uint64_t mask = table_.size() - 1;
  uint64_t i = hash & mask;
  for (;; i = (i + 1) & mask) {
    uint32_t slot = table_[i];
    if (slot == 0) break;
    if (Key(slot - 1) == key) {
      *inserted = false;
      return slot - 1;
    }
  }
  uint32_t index = static_cast<uint32_t>(count_++);
  blob_.append(key);
  if (key_width_ == 0) offsets_.push_back(blob_.size());
  table_[i] = index + 1;
  if (count_ * 2 > table_.size()) Grow();
  *inserted = true;
  return index;
}

void KeyIndexBuilder::Grow() { Reserve(table_.size(), 0); }

size_t KeyIndexBuilder::MemoryBytes() const {
  return blob_.capacity() + offsets_.capacity() * 8 + table_.capacity() * 4;
}

void KeyIndexBuilder::AppendTo(FileAssembler* out) const {
  out->AddU64(count_);
  out->AddU64(key_width_);
  out->AddU64(blob_.size());
  out->AddU64(table_.size());
  if (key_width_ == 0) out->AddArray(offsets_);
  out->Add({reinterpret_cast<const uint8_t*>(blob_.data()), blob_.size()});
  out->Pad8();
  out->AddArray(table_);
  out->Pad8();
}

Result<KeyIndexView> KeyIndexView::Parse(const uint8_t* data, size_t size,
                                         const std::string& what, size_t* consumed) {
  auto corrupt = [&](const std::string& why) {
    return Status::Corruption(what + ": key index " + why);
  };
  if (size < kHeaderWords * 8) return corrupt("header truncated");
  uint64_t h[kHeaderWords];
  std::memcpy(h, data, sizeof h);
  KeyIndexView v;
  v.count_ = h[0];
  v.key_width_ = h[1];
  uint64_t blob_size = h[2], capacity = h[3];
  if (capacity < kMinCapacity || (capacity & (capacity - 1)) != 0 || v.count_ * 2 > capacity ||
      capacity > (uint64_t{1} << 40) || v.count_ > UINT32_MAX) {
    return corrupt("has an impossible table size");
  }
  if (v.key_width_ != 0 && blob_size != v.count_ * v.key_width_) {
    return corrupt("blob size does not match its key count");
  }
  size_t pos = kHeaderWords * 8;
  size_t offsets_bytes = v.key_width_ == 0 ? (v.count_ + 1) * 8 : 0;
  size_t need = pos + offsets_bytes + Pad8(blob_size) + Pad8(capacity * 4);
  if (blob_size > size || need > size) return corrupt("truncated");
  if (v.key_width_ == 0) {
    v.offsets_ = reinterpret_cast<const uint64_t*>(data + pos);
    if (v.offsets_[0] != 0 || v.offsets_[v.count_] != blob_size) {
      return corrupt("offsets do not match the blob");
    }
    pos += offsets_bytes;
  }
  v.blob_ = reinterpret_cast<const char*>(data + pos);
  pos += Pad8(blob_size);
  v.table_ = reinterpret_cast<const uint32_t*>(data + pos);
  v.mask_ = capacity - 1;
  pos += Pad8(capacity * 4);
  *consumed = pos;
  return v;
}

std::string_view KeyIndexView::Key(uint32_t index) const {
  if (key_width_ != 0) return {blob_ + size_t{index} * key_width_, key_width_};
  return {blob_ + offsets_[index], offsets_[index + 1] - offsets_[index]};
}

int64_t KeyIndexView::Find(std::string_view key, uint64_t hash) const {
  if (count_ == 0) return -1;
  return Probe(table_, mask_, count_, key, hash, [this](uint32_t i) { return Key(i); });
}

}  // namespace fundtrace
