#include "cli/format.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "chain/address.h"
#include "chain/hash.h"

namespace fundtrace {

std::string FormatTime(uint64_t t) {
  if (t == 0) return "-";
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

std::string FormatCount(uint64_t n) {
  std::string s = std::to_string(n), out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return out;
}

std::string FormatBytes(uint64_t n) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  double v = static_cast<double>(n);
  int u = 0;
  while (v >= 1000 && u < 4) {
    v /= 1000;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
  return buf;
}

std::string AssetSymbol(const ChainStore& store, AssetId asset) {
  const AssetInfo& a = store.Asset(asset);
  if (!a.symbol.empty()) return a.symbol;
  if (a.contract.empty()) return std::string(NativeSymbol(store.chain()));
  std::string addr = FormatAddress(a.contract);
  return "token " + addr.substr(0, 10) + "…";
}

std::string FormatAssetAmount(const ChainStore& store, AssetId asset, const U256& amount) {
  int decimals = store.Asset(asset).decimals;
  if (decimals < 0) return FormatAmount(amount, 0, true) + " units";
  return FormatAmount(amount, decimals, true);
}

std::string TxHashText(Chain chain, const Hash32& hash) {
  if (chain == Chain::kBitcoin) {
    Hash32 r;
    std::reverse_copy(hash.begin(), hash.end(), r.begin());
    return ToHex(r);
  }
  return "0x" + ToHex(hash);
}

bool ParseTxHashText(Chain chain, std::string_view text, Hash32* hash) {
  std::string bytes;
  if (!FromHex(text, &bytes) || bytes.size() != 32) return false;
  if (chain == Chain::kBitcoin) std::reverse(bytes.begin(), bytes.end());
  std::copy(bytes.begin(), bytes.end(), hash->begin());
  return true;
}

std::string AddressText(const ChainStore& store, AddressId id) {
  if (id == kNoAddress) return "-";
  return FormatAddress(store.AddressKey(id));
}

Table::Table(std::vector<std::string> header, std::vector<size_t> right)
    : header_(std::move(header)), right_(header_.size(), false) {
  for (size_t c : right) {
    if (c < right_.size()) right_[c] = true;
  }
}

void Table::Add(std::vector<std::string> row) {
  row.resize(header_.size());
  rows_.push_back(std::move(row));
}

std::string Table::ToString() const {
  // Widths in code points, so "…" counts as one column.
  auto width = [](const std::string& s) {
    size_t w = 0;
    for (unsigned char c : s) w += (c & 0xC0) != 0x80;
    return w;
  };
  std::vector<size_t> w(header_.size());
  for (size_t c = 0; c < header_.size(); ++c) w[c] = width(header_[c]);
  for (const auto& r : rows_) {
    for (size_t c = 0; c < r.size(); ++c) w[c] = std::max(w[c], width(r[c]));
  }
  std::string out;
  auto line = [&](const std::vector<std::string>& r) {
    std::string l;
    for (size_t c = 0; c < r.size(); ++c) {
      std::string pad(w[c] - width(r[c]), ' ');
      l += right_[c] ? pad + r[c] : r[c] + (c + 1 < r.size() ? pad : "");
      if (c + 1 < r.size()) l += "  ";
    }
    while (!l.empty() && l.back() == ' ') l.pop_back();
    out += l + "\n";
  };
  line(header_);
  for (const auto& r : rows_) line(r);
  return out;
}

}  // namespace fundtrace
