#include "labels/screener.h"

#include "chain/address.h"

namespace fundtrace {

Chain GuessChain(std::string_view a) {
  if (a.size() >= 2 && a[0] == '0' && (a[1] == 'x' || a[1] == 'X')) return Chain::kEthereum;
  if (!a.empty() && a[0] == 'T') return Chain::kTron;
  return Chain::kBitcoin;
}

void Screener::Parse(std::string_view line, ScreenResult* r, std::string* key) {
  size_t b = 0;
  while (b < line.size() && (line[b] == ' ' || line[b] == '\t')) ++b;
  size_t e = b;
  while (e < line.size() && line[e] != ',' && line[e] != '\t' && line[e] != ' ' &&
         line[e] != '\r' && line[e] != '\n') {
    ++e;
  }
  r->input = line.substr(b, e - b);
  r->entry = nullptr;
  r->error.clear();
  key->clear();
  if (r->input.empty() || r->input[0] == '#' || r->input == "address" || r->input == "Address") {
    r->kind = ScreenResult::Kind::kSkip;
    return;
  }
  r->chain = chain_ ? *chain_ : GuessChain(r->input);
  if (r->chain == Chain::kEthereum) {
    if (!ParseEvmKey(r->input, key)) {
      r->kind = ScreenResult::Kind::kInvalid;
      auto k = ParseAddress(Chain::kEthereum, r->input);
      r->error = k.ok() ? "invalid address" : k.status().message();
      key->clear();
      return;
    }
  } else {
    auto k = ParseAddress(r->chain, r->input);
    if (!k.ok()) {
      r->kind = ScreenResult::Kind::kInvalid;
      r->error = k.status().message();
      return;
    }
    *key = std::move(k).value();
  }
  r->kind = ScreenResult::Kind::kMiss;
}

ScreenResult Screener::Screen(std::string_view line) {
  ScreenResult r;
  Parse(line, &r, &key_);
  if (r.kind == ScreenResult::Kind::kMiss) {
    r.entry = index_.Find(key_);
    if (r.entry) r.kind = ScreenResult::Kind::kHit;
  }
  return r;
}

void Screener::ScreenMany(std::span<const std::string_view> lines, ScreenResult* out) {
  size_t n = lines.size();
  if (batch_keys_.size() < n) batch_keys_.resize(n);
  batch_views_.resize(n);
  batch_found_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    Parse(lines[i], &out[i], &batch_keys_[i]);
    batch_views_[i] = batch_keys_[i];  // empty for skipped and invalid lines: never found
  }
  index_.FindMany(batch_views_, batch_found_.data());
  for (size_t i = 0; i < n; ++i) {
    if (out[i].kind == ScreenResult::Kind::kMiss && batch_found_[i]) {
      out[i].entry = batch_found_[i];
      out[i].kind = ScreenResult::Kind::kHit;
    }
  }
}

}  // namespace fundtrace
