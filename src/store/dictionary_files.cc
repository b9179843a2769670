#include "store/dictionary_files.h"

#include <algorithm>
#include <cstring>

#include "store/file_header.h"

namespace fundtrace {
namespace {

constexpr char kAddrMagic[9] = "FTADDRS1";
constexpr char kTxMagic[9] = "FTTXDICT";
constexpr char kBlockMagic[9] = "FTBLOCKS";

size_t Pad8(size_t n) { return (n + 7) & ~size_t{7}; }

void PutU64(std::string* out, uint64_t v) { out->append(reinterpret_cast<const char*>(&v), 8); }

template <typename T>
void AppendArray(std::string* out, const T* data, size_t count) {
  out->append(reinterpret_cast<const char*>(data), count * sizeof(T));
  out->resize(Pad8(out->size()), '\0');
}

Status CheckEnd(size_t pos, size_t size, const std::string& path) {
  if (pos != size) return Status::Corruption(path + ": file size does not match its contents");
  return Status::OK();
}

// Maps a dictionary file and reads what address and tx dictionaries share: the header, the
// base id and the key index. *end is the offset just past the key index.
template <const char (&kMagic)[9]>
Status OpenKeyedFile(const std::string& path, std::unique_ptr<MappedFile>* file, uint32_t* base,
                     KeyIndexView* index, size_t* end) {
  uint64_t b;
  FT_ASSIGN_OR_RETURN(*file, MapStoreFile(path, kMagic, &b, 1));
  const uint8_t* p = (*file)->data();
  size_t size = (*file)->size();
  if (b > UINT32_MAX) return Status::Corruption(path + ": impossible base id");
  *base = static_cast<uint32_t>(b);
  size_t pos = kFileHeaderSize + 8, used = 0;
  FT_ASSIGN_OR_RETURN(*index, KeyIndexView::Parse(p + pos, size - pos, path, &used));
  *end = pos + used;
  return Status::OK();
}

}  // namespace

Status WriteAddressDict(const std::string& path, uint32_t base, const KeyIndexBuilder& keys) {
  FileAssembler out;
  out.AddCopy(FileHeader(kAddrMagic));
  out.AddU64(base);
  keys.AppendTo(&out);
  return out.Write(path);
}

Result<std::unique_ptr<AddressDictReader>> AddressDictReader::Open(const std::string& path) {
  std::unique_ptr<AddressDictReader> r(new AddressDictReader());
  size_t end = 0;
  FT_RETURN_IF_ERROR(OpenKeyedFile<kAddrMagic>(path, &r->file_, &r->base_, &r->index_, &end));
  FT_RETURN_IF_ERROR(CheckEnd(end, r->file_->size(), path));
  return r;
}

Status WriteTxDict(const std::string& path, uint32_t base, const KeyIndexBuilder& hashes,
                   const BigVector<TxInfo>& infos) {
  FileAssembler out;
  out.AddCopy(FileHeader(kTxMagic));
  out.AddU64(base);
  hashes.AppendTo(&out);
  const size_t m = infos.size();
  std::vector<uint32_t> blocks(m), positions(m);
  std::vector<uint64_t> times(m);
  std::vector<uint8_t> status(m);
  for (size_t i = 0; i < m; ++i) {
    blocks[i] = infos[i].block;
    positions[i] = infos[i].pos;
    times[i] = infos[i].time;
    status[i] = static_cast<uint8_t>(infos[i].status);
  }
  out.AddArray(blocks);
  out.Pad8();
  out.AddArray(positions);
  out.Pad8();
  out.AddArray(times);
  out.AddArray(status);
  out.Pad8();
  return out.Write(path);
}

Result<std::unique_ptr<TxDictReader>> TxDictReader::Open(const std::string& path) {
  std::unique_ptr<TxDictReader> r(new TxDictReader());
  size_t pos = 0;
  FT_RETURN_IF_ERROR(OpenKeyedFile<kTxMagic>(path, &r->file_, &r->base_, &r->index_, &pos));
  const uint8_t* p = r->file_->data();
  size_t size = r->file_->size();
  size_t m = r->index_.size();
  size_t need = pos + Pad8(m * 4) * 2 + m * 8 + Pad8(m);
  FT_RETURN_IF_ERROR(CheckEnd(need, size, path));
  r->block_ = reinterpret_cast<const uint32_t*>(p + pos);
  pos += Pad8(m * 4);
  r->pos_ = reinterpret_cast<const uint32_t*>(p + pos);
  pos += Pad8(m * 4);
  r->time_ = reinterpret_cast<const uint64_t*>(p + pos);
  pos += m * 8;
  r->status_ = p + pos;
  return r;
}

std::optional<TxId> TxDictReader::Find(const Hash32& hash) const {
  return Find(hash, KeyHash({reinterpret_cast<const char*>(hash.data()), hash.size()}));
}

std::optional<TxId> TxDictReader::Find(const Hash32& hash, uint64_t key_hash) const {
  int64_t i = index_.Find({reinterpret_cast<const char*>(hash.data()), hash.size()}, key_hash);
  if (i < 0) return std::nullopt;
  return base_ + static_cast<uint32_t>(i);
}

TxInfo TxDictReader::Info(TxId id) const {
  size_t i = id - base_;
  TxInfo info;
  std::string_view key = index_.Key(static_cast<uint32_t>(i));
  std::memcpy(info.hash.data(), key.data(), 32);
  info.block = block_[i];
  info.pos = pos_[i];
  info.time = time_[i];
  info.status = status_[i] <= 2 ? static_cast<TxStatus>(status_[i]) : TxStatus::kUnknown;
  return info;
}

Status WriteBlockFile(const std::string& path, const std::vector<BlockInfo>& blocks) {
  std::string out = FileHeader(kBlockMagic);
  const size_t k = blocks.size();
  PutU64(&out, k);
  std::vector<uint32_t> heights(k);
  std::vector<uint64_t> times(k);
  for (size_t i = 0; i < k; ++i) {
    heights[i] = blocks[i].height;
    times[i] = blocks[i].time;
  }
  AppendArray(&out, heights.data(), k);
  AppendArray(&out, times.data(), k);
  for (const auto& b : blocks) out.append(reinterpret_cast<const char*>(b.hash.data()), 32);
  return WriteFileAtomic(path, out);
}

Result<std::unique_ptr<BlockFileReader>> BlockFileReader::Open(const std::string& path) {
  std::unique_ptr<BlockFileReader> r(new BlockFileReader());
  uint64_t k;
  FT_ASSIGN_OR_RETURN(r->file_, MapStoreFile(path, kBlockMagic, &k, 1));
  const uint8_t* p = r->file_->data();
  size_t size = r->file_->size();
  if (k > UINT32_MAX) return Status::Corruption(path + ": impossible block count");
  size_t pos = kFileHeaderSize + 8;
  FT_RETURN_IF_ERROR(CheckEnd(pos + Pad8(k * 4) + k * 8 + k * 32, size, path));
  r->count_ = k;
  r->height_ = reinterpret_cast<const uint32_t*>(p + pos);
  pos += Pad8(k * 4);
  r->time_ = reinterpret_cast<const uint64_t*>(p + pos);
  pos += k * 8;
  r->hash_ = p + pos;
  return r;
}

BlockInfo BlockFileReader::At(size_t i) const {
  BlockInfo b;
  b.height = height_[i];
  b.time = time_[i];
  std::memcpy(b.hash.data(), hash_ + i * 32, 32);
  return b;
}

std::optional<BlockInfo> BlockFileReader::Find(uint32_t height) const {
  const uint32_t* it = std::lower_bound(height_, height_ + count_, height);
  if (it == height_ + count_ || *it != height) return std::nullopt;
  return At(static_cast<size_t>(it - height_));
}

}  // namespace fundtrace
