#include "store/segment.h"

#include <algorithm>
#include <cstring>

#include "store/file_header.h"

namespace fundtrace {
namespace {

constexpr char kMagic[9] = "FTSEGMNT";
constexpr uint64_t kFlagPrevouts = 1;
constexpr size_t kMetaWords = 6;
constexpr size_t kWideBytes = 32;
constexpr size_t kUnresolvedBytes = 40;

size_t Pad8(size_t n) { return (n + 7) & ~size_t{7}; }

void PutU256(std::string* out, const U256& v) {
  uint8_t bytes[kWideBytes] = {};
  U256 x = v;
  for (size_t i = 0; i < kWideBytes; ++i) {
    bytes[i] = static_cast<uint8_t>(static_cast<unsigned>(x & 0xff));
    x >>= 8;
  }
  out->append(reinterpret_cast<const char*>(bytes), kWideBytes);
}

U256 GetU256(const uint8_t* p) {
  U256 v = 0;
  for (size_t i = kWideBytes; i-- > 0;) v = (v << 8) | p[i];
  return v;
}

// Builds one CSR index: offsets[a]..offsets[a+1] are the rows whose `side` is a, ascending.
void BuildCsr(const BigVector<PackedRow>& rows, uint32_t span, AddressId PackedRow::*side,
              BigVector<uint32_t>* offsets, BigVector<uint32_t>* list) {
  offsets->assign(size_t{span} + 1, 0);
  for (const auto& r : rows) ++(*offsets)[r.*side + 1];
  for (size_t a = 0; a < span; ++a) (*offsets)[a + 1] += (*offsets)[a];
  list->resize(rows.size());
  BigVector<uint32_t> next(offsets->begin(), offsets->end() - 1);
  for (uint32_t i = 0; i < rows.size(); ++i) (*list)[next[rows[i].*side]++] = i;
}

}  // namespace

Status WriteSegment(const std::string& path, const SegmentContents& c) {
  const size_t n = c.rows.size();
  FileAssembler out;
  out.AddCopy(FileHeader(kMagic));
  uint32_t min_block = n ? c.rows.front().block : 0, max_block = n ? c.rows.back().block : 0;
  uint64_t meta[kMetaWords] = {n, c.wide_amounts.size(), c.address_span,
                               c.prevouts.empty() ? 0 : kFlagPrevouts, c.unresolved.size(),
                               (uint64_t{max_block} << 32) | min_block};
  out.AddCopy({reinterpret_cast<const char*>(meta), sizeof meta});
  // Rows to columns: each column is its own array, referenced by the assembler until written.
  BigVector<uint32_t> block(n), tx(n), from(n), to(n), asset(n), seq_kind(n);
  BigVector<uint64_t> amount(n);
  for (size_t i = 0; i < n; ++i) {
    const PackedRow& r = c.rows[i];
    block[i] = r.block;
    tx[i] = r.tx;
    from[i] = r.from;
    to[i] = r.to;
    asset[i] = r.asset;
    seq_kind[i] = r.seq_kind;
    amount[i] = r.amount;
  }
  for (const auto* col : {&block, &tx, &from, &to, &asset, &seq_kind}) {
    out.AddArray(*col);
    out.Pad8();
  }
  out.AddArray(amount);
  if (!c.prevouts.empty()) out.AddArray(c.prevouts);
  std::string wide;
  for (const U256& w : c.wide_amounts) PutU256(&wide, w);
  out.Add({reinterpret_cast<const uint8_t*>(wide.data()), wide.size()});
  BigVector<uint32_t> out_off, out_list, in_off, in_list;
  BuildCsr(c.rows, c.address_span, &PackedRow::from, &out_off, &out_list);
  BuildCsr(c.rows, c.address_span, &PackedRow::to, &in_off, &in_list);
  for (const auto* v : {&out_off, &out_list, &in_off, &in_list}) {
    out.AddArray(*v);
    out.Pad8();
  }
  std::string unresolved;
  for (const auto& u : c.unresolved) {
    unresolved.append(reinterpret_cast<const char*>(&u.row), 4);
    unresolved.append(reinterpret_cast<const char*>(&u.vout), 4);
    unresolved.append(reinterpret_cast<const char*>(u.txid.data()), 32);
  }
  out.Add({reinterpret_cast<const uint8_t*>(unresolved.data()), unresolved.size()});
  return out.Write(path);
}

Result<std::unique_ptr<SegmentReader>> SegmentReader::Open(const std::string& path) {
  uint64_t meta[kMetaWords];
  FT_ASSIGN_OR_RETURN(auto file, MapStoreFile(path, kMagic, meta, kMetaWords));
  const uint8_t* base = file->data();
  const size_t size = file->size();
  std::unique_ptr<SegmentReader> r(new SegmentReader());
  const uint64_t n = meta[0], wide = meta[1], span = meta[2], flags = meta[3], unres = meta[4];
  if (n > UINT32_MAX || span > UINT32_MAX || wide > n || unres > n) {
    return Status::Corruption(path + ": impossible row or address counts");
  }
  r->n_ = n;
  r->span_ = static_cast<uint32_t>(span);
  r->min_block_ = static_cast<uint32_t>(meta[5]);
  r->max_block_ = static_cast<uint32_t>(meta[5] >> 32);
  r->wide_count_ = wide;
  r->unresolved_count_ = unres;
  // Lay out the columns and check that the last one ends exactly at the end of the file.
  size_t pos = kFileHeaderSize + kMetaWords * 8;
  auto take = [&](size_t bytes) {
    size_t at = pos;
    pos += Pad8(bytes);
    return at;
  };
  size_t at_block = take(n * 4), at_tx = take(n * 4), at_from = take(n * 4), at_to = take(n * 4),
         at_asset = take(n * 4), at_seq = take(n * 4), at_amount = take(n * 8);
  size_t at_prev = (flags & kFlagPrevouts) ? take(n * 8) : 0;
  size_t at_wide = take(wide * kWideBytes);
  size_t at_out_off = take((span + 1) * 4), at_out = take(n * 4);
  size_t at_in_off = take((span + 1) * 4), at_in = take(n * 4);
  size_t at_unres = pos;
  pos += unres * kUnresolvedBytes;
  if (pos != size) {
    return Status::Corruption(path + ": size " + std::to_string(size) + " does not match its " +
                              std::to_string(n) + " rows (expected " + std::to_string(pos) + ")");
  }
  auto u32 = [&](size_t at) { return reinterpret_cast<const uint32_t*>(base + at); };
  r->block_ = u32(at_block);
  r->tx_ = u32(at_tx);
  r->from_ = u32(at_from);
  r->to_ = u32(at_to);
  r->asset_ = u32(at_asset);
  r->seq_kind_ = u32(at_seq);
  r->amount_ = reinterpret_cast<const uint64_t*>(base + at_amount);
  if (flags & kFlagPrevouts) r->prevout_ = reinterpret_cast<const uint64_t*>(base + at_prev);
  r->wide_ = base + at_wide;
  r->out_off_ = u32(at_out_off);
  r->out_rows_ = u32(at_out);
  r->in_off_ = u32(at_in_off);
  r->in_rows_ = u32(at_in);
  r->unresolved_ = base + at_unres;
  if (r->out_off_[span] != n || r->in_off_[span] != n) {
    return Status::Corruption(path + ": address index does not cover its rows");
  }
  r->file_ = std::move(file);
  return r;
}

Transfer SegmentReader::Get(size_t i) const {
  Transfer t;
  t.block = block_[i];
  t.tx = tx_[i];
  t.from = from_[i];
  t.to = to_[i];
  t.asset = asset_[i];
  t.seq_kind = seq_kind_[i];
  if (prevout_ != nullptr) t.prevout = prevout_[i];
  uint64_t code = amount_[i];
  if (code & kWideAmountFlag) {
    uint64_t w = code & ~kWideAmountFlag;
    t.amount = w < wide_count_ ? GetU256(wide_ + w * kWideBytes) : U256(0);
  } else {
    t.amount = UnpackAmount(code);
  }
  return t;
}

const Hash32* SegmentReader::UnresolvedTxid(size_t row) const {
  // Entries are in row order: binary search.
  size_t lo = 0, hi = unresolved_count_;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    uint32_t r;
    std::memcpy(&r, unresolved_ + mid * kUnresolvedBytes, 4);
    if (r < row) lo = mid + 1; else hi = mid;
  }
  if (lo == unresolved_count_) return nullptr;
  uint32_t r;
  std::memcpy(&r, unresolved_ + lo * kUnresolvedBytes, 4);
  if (r != row) return nullptr;
  return reinterpret_cast<const Hash32*>(unresolved_ + lo * kUnresolvedBytes + 8);
}

}  // namespace fundtrace
