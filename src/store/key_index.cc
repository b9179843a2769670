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

// A table slot: the key's local index + 1 in the low 32 bits (0 = empty) and the high 32 bits
// of its hash as a tag, so that a probe reads a key's bytes only when the tags agree.
uint64_t Slot(uint32_t index, uint64_t hash) { return (hash & 0xffffffff00000000ULL) | (index + 1); }
uint32_t SlotIndex(uint64_t slot) { return static_cast<uint32_t>(slot) - 1; }
bool SlotEmpty(uint64_t slot) { return static_cast<uint32_t>(slot) == 0; }
bool TagMatches(uint64_t slot, uint64_t hash) { return ((slot ^ hash) >> 32) == 0; }

// Bounded by the capacity and by `count`, so a damaged table can return a wrong miss but never
// loop or read outside the index. Returns the local index, or -1 with *free = the empty slot
// where the key would go.
template <typename KeyAt>
int64_t Probe(const uint64_t* table, uint64_t mask, size_t count, std::string_view key,
              uint64_t hash, KeyAt key_at, uint64_t* free = nullptr) {
  uint64_t i = hash & mask;
  for (uint64_t n = 0; n <= mask; ++n, i = (i + 1) & mask) {
    uint64_t slot = table[i];
    if (SlotEmpty(slot)) {
      if (free != nullptr) *free = i;
      return -1;
    }
    if (SlotIndex(slot) >= count) return -1;
    if (TagMatches(slot, hash) && key_at(SlotIndex(slot)) == key) return SlotIndex(slot);
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
  BigVector<uint64_t> old;
  old.swap(table_);
  table_.assign(capacity, 0);
  uint64_t mask = capacity - 1;
  for (uint64_t slot : old) {
    if (SlotEmpty(slot)) continue;
    // The tag holds only the hash's high bits: rehash the key for its position.
    uint64_t i = KeyHash(Key(SlotIndex(slot))) & mask;
    while (!SlotEmpty(table_[i])) i = (i + 1) & mask;
    table_[i] = slot;
  }
}

uint32_t KeyIndexBuilder::Insert(std::string_view key, uint64_t hash, bool* inserted) {
  uint64_t free = 0;
  int64_t found = Probe(table_.data(), table_.size() - 1, count_, key, hash,
                        [this](uint32_t i) { return Key(i); }, &free);
  if (found >= 0) {
    *inserted = false;
    return static_cast<uint32_t>(found);
  }
  uint32_t index = static_cast<uint32_t>(count_++);
  if (index == 0) uniform_width_ = key.size();
  else if (key.size() != uniform_width_) uniform_width_ = 0;
  blob_.insert(blob_.end(), key.begin(), key.end());
  if (key_width_ == 0) offsets_.push_back(blob_.size());
  table_[free] = Slot(index, hash);
  if (count_ * 2 > table_.size()) Grow();
  *inserted = true;
  return index;
}

void KeyIndexBuilder::Grow() { Reserve(table_.size(), 0); }

size_t KeyIndexBuilder::MemoryBytes() const {
  return blob_.capacity() + offsets_.capacity() * 8 + table_.capacity() * 8;
}

void KeyIndexBuilder::AppendTo(FileAssembler* out) const {
  const size_t width = key_width_ != 0 ? key_width_ : uniform_width_;
  out->AddU64(count_);
  out->AddU64(width);
  out->AddU64(blob_.size());
  out->AddU64(table_.size());
  if (width == 0) out->AddArray(offsets_);
  out->Add({reinterpret_cast<const uint8_t*>(blob_.data()), blob_.size()});
  out->Pad8();
  out->AddArray(table_);
  out->Pad8();
}

void KeyIndexBuilder::AppendTo(std::string* out) const {
  auto put = [&](const void* p, size_t n) { out->append(static_cast<const char*>(p), n); };
  auto pad = [&] { out->resize(Pad8(out->size()), '\0'); };
  const size_t width = key_width_ != 0 ? key_width_ : uniform_width_;
  const uint64_t header[] = {count_, width, blob_.size(), table_.size()};
  put(header, sizeof header);
  if (width == 0) put(offsets_.data(), offsets_.size() * 8);
  put(blob_.data(), blob_.size());
  pad();
  put(table_.data(), table_.size() * 8);
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
  size_t need = pos + offsets_bytes + Pad8(blob_size) + capacity * 8;
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
  v.table_ = reinterpret_cast<const uint64_t*>(data + pos);
  v.mask_ = capacity - 1;
  pos += capacity * 8;
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
