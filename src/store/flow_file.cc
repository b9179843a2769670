#include "store/flow_file.h"

#include <cstring>

#include "store/file_header.h"

namespace fundtrace {
namespace {

constexpr char kMagic[9] = "FTFLOWS1";
constexpr size_t kEntryBytes = 40;  // u32 other, u32 tx, u64 amount lo/hi, u64 largest lo/hi
constexpr size_t kMetaWords = 3;    // span, out entries, in entries

void PutWide(uint8_t* p, Wide v) {
  uint64_t lo = static_cast<uint64_t>(v), hi = static_cast<uint64_t>(v >> 64);
  std::memcpy(p, &lo, 8);
  std::memcpy(p + 8, &hi, 8);
}

Wide GetWide(const uint8_t* p) {
  uint64_t lo, hi;
  std::memcpy(&lo, p, 8);
  std::memcpy(&hi, p + 8, 8);
  return (Wide{hi} << 64) | lo;
}

// One direction's offsets and entries.
struct Side {
  BigVector<uint32_t> offsets;
  BigVector<uint8_t> entries;
};

void BuildSide(const SegmentReader& seg, Direction dir, const TxHashLess& hash_less, Side* s) {
  const uint32_t span = seg.address_span();
  s->offsets.assign(size_t{span} + 1, 0);
  std::vector<Transfer> rows;
  std::vector<NativeFlow> flows;
  uint32_t n = 0;
  for (AddressId a = 0; a < span; ++a) {
    s->offsets[a] = n;
    auto ids = dir == Direction::kIn ? seg.InRows(a) : seg.OutRows(a);
    if (ids.empty() || a == kNoAddress) continue;
    rows.clear();
    for (uint32_t r : ids) rows.push_back(seg.Get(r));
    flows.clear();
    const AddressId asked[1] = {a};
    AggregateNativeFlows(rows, asked, dir, hash_less, &flows);
    size_t at = s->entries.size();
    s->entries.resize(at + flows.size() * kEntryBytes);
    for (const NativeFlow& f : flows) {
      uint8_t* p = s->entries.data() + at;
      std::memcpy(p, &f.other, 4);
      std::memcpy(p + 4, &f.largest_tx, 4);
      PutWide(p + 8, f.amount);
      PutWide(p + 24, f.largest);
      at += kEntryBytes;
    }
    n += static_cast<uint32_t>(flows.size());
  }
  s->offsets[span] = n;
}

}  // namespace

std::string FlowFileNameFor(const std::string& segment_name) {
  return "flow-" + (segment_name.rfind("seg-", 0) == 0 ? segment_name.substr(4) : segment_name);
}

Status WriteFlowFile(const std::string& path, const SegmentReader& seg,
                     const TxHashLess& hash_less) {
  Side out, in;
  BuildSide(seg, Direction::kOut, hash_less, &out);
  BuildSide(seg, Direction::kIn, hash_less, &in);
  FileAssembler f;
  f.AddCopy(FileHeader(kMagic));
  f.AddU64(seg.address_span());
  f.AddU64(out.offsets.back());
  f.AddU64(in.offsets.back());
  for (Side* s : {&out, &in}) {
    f.AddArray(s->offsets);
    f.Pad8();
    f.AddArray(s->entries);
  }
  return f.Write(path);
}

Result<std::unique_ptr<FlowFileReader>> FlowFileReader::Open(const std::string& path,
                                                             const SegmentReader& seg) {
  uint64_t meta[kMetaWords];
  FT_ASSIGN_OR_RETURN(auto file, MapStoreFile(path, kMagic, meta, kMetaWords));
  const uint8_t* base = file->data();
  const size_t size = file->size();
  const uint64_t span = meta[0], n_out = meta[1], n_in = meta[2];
  if (span != seg.address_span() || n_out > seg.size() || n_in > seg.size()) {
    return Status::Corruption(path + ": does not match its segment " + seg.path());
  }
  auto pad8 = [](uint64_t n) { return (n + 7) & ~uint64_t{7}; };
  const uint64_t off_bytes = pad8((span + 1) * 4);
  const uint64_t expect = kFileHeaderSize + kMetaWords * 8 + 2 * off_bytes +
                          (n_out + n_in) * kEntryBytes;
  if (size != expect) {
    return Status::Corruption(path + ": size " + std::to_string(size) + ", expected " +
                              std::to_string(expect));
  }
  std::unique_ptr<FlowFileReader> r(new FlowFileReader());
  size_t pos = kFileHeaderSize + kMetaWords * 8;
  r->span_ = static_cast<uint32_t>(span);
  r->n_out_ = n_out;
  r->n_in_ = n_in;
  r->out_off_ = reinterpret_cast<const uint32_t*>(base + pos);
  pos += off_bytes;
  r->out_ = base + pos;
  pos += n_out * kEntryBytes;
  r->in_off_ = reinterpret_cast<const uint32_t*>(base + pos);
  pos += off_bytes;
  r->in_ = base + pos;
  if (r->out_off_[span] != n_out || r->in_off_[span] != n_in) {
    return Status::Corruption(path + ": offsets do not cover its entries");
  }
  r->file_ = std::move(file);
  return r;
}

void FlowFileReader::Append(std::span<const AddressId> addresses, Direction dir,
                            std::vector<NativeFlow>* out) const {
  const uint32_t* off = dir == Direction::kIn ? in_off_ : out_off_;
  const uint8_t* entries = dir == Direction::kIn ? in_ : out_;
  const uint64_t n = dir == Direction::kIn ? n_in_ : n_out_;
  for (AddressId a : addresses) {
    if (a < span_) __builtin_prefetch(off + a);
  }
  for (AddressId a : addresses) {
    if (a < span_ && off[a] < n) __builtin_prefetch(entries + size_t{off[a]} * kEntryBytes);
  }
  for (AddressId a : addresses) {
    if (a >= span_) continue;
    uint32_t b = off[a], e = off[a + 1];
    if (b > e || e > n) continue;  // corrupt offsets: answer nothing rather than read out of bounds
    for (uint32_t i = b; i < e; ++i) {
      const uint8_t* p = entries + size_t{i} * kEntryBytes;
      NativeFlow f;
      f.address = a;
      std::memcpy(&f.other, p, 4);
      std::memcpy(&f.largest_tx, p + 4, 4);
      f.amount = GetWide(p + 8);
      f.largest = GetWide(p + 24);
      out->push_back(f);
    }
  }
}

}  // namespace fundtrace
