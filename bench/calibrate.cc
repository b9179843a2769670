// Calibration of the synthetic chain (fundtrace synth) against real data: degree and value
// distributions side by side, printed as Markdown (docs/synth-calibration.md is its output plus
// commentary).
//
//   calibrate --real DIR --synth ETL_DIR [--etl FILE] [--centers N] [--seed S]
//
// --real:  Etherscan account histories, one CSV per account (../shared/data/eth/
//          phishing-accounts): an ego sample, i.e. every tx of a few thousand chosen accounts.
// --synth: a synthetic chain's etl/ directory (its transactions.csv is read).
// --etl:   optional real ethereum-etl transactions export (a slice of consecutive blocks).
//
// The real account data is not a slice of the chain but the complete histories of chosen
// accounts, so most of its addresses appear only as a counterparty of a chosen one. To compare
// like with like, the synthetic chain is also sampled that way: N centers (default: as many as
// the real data has accounts) drawn uniformly from the addresses that sent at least one tx, and
// all of their txs. Whole-chain figures of the synthetic chain are shown next to the real etl
// slice. Only top-level txs are compared (Etherscan's "normal transactions"). Floating point is
// used for reporting only.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "ingest/csv_reader.h"

namespace {

using fundtrace::CsvReader;

struct Tx {
  uint32_t from = 0, to = 0;  // interned; 0 = none
  double value = 0;           // ETH
  int failed = -1;            // 1, 0, or -1 when the source does not say
  bool input = false;
  bool create = false;
};

struct Dataset {
  std::string name;
  std::vector<Tx> txs;
  uint32_t addresses = 0;
  std::vector<double> history;  // per chosen account: number of txs in its history
};

class Interner {
 public:
  uint32_t Id(std::string_view s) {
    if (s.empty() || s == "NULL") return 0;
    std::string key(s);
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto [it, added] = ids_.emplace(std::move(key), static_cast<uint32_t>(ids_.size() + 1));
    return it->second;
  }
  size_t size() const { return ids_.size(); }

 private:
  std::unordered_map<std::string, uint32_t> ids_;
};

[[noreturn]] void Die(const std::string& msg) {
  std::fprintf(stderr, "calibrate: %s\n", msg.c_str());
  std::exit(1);
}

std::unique_ptr<CsvReader> Open(const std::string& path) {
  auto r = CsvReader::Open(path);
  if (!r.ok()) Die(r.status().message());
  return std::move(r).value();
}

bool Next(CsvReader& csv) {
  auto n = csv.Next();
  if (!n.ok()) Die(n.status().message());
  return *n;
}

std::string_view Field(const CsvReader& csv, const char* name) {
  const int c = csv.Column(name);
  return c < 0 ? std::string_view() : csv.fields()[static_cast<size_t>(c)];
}

double Wei(std::string_view digits) {
  return std::strtod(std::string(digits).c_str(), nullptr) / 1e18;
}

bool HasInput(std::string_view input) { return !input.empty() && input != "0x" && input != "NULL"; }

// Etherscan account histories: one file per account; txs deduplicated by hash.
Dataset ReadReal(const std::string& dir) {
  Dataset d;
  d.name = "real phishing accounts";
  Interner ids;
  std::unordered_set<std::string> seen;
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ".csv") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    auto csv = Open(f);
    double n = 0;
    while (Next(*csv)) {
      ++n;
      if (!seen.insert(std::string(Field(*csv, "TxHash"))).second) continue;
      Tx t;
      t.from = ids.Id(Field(*csv, "From"));
      t.to = ids.Id(Field(*csv, "To"));
      if (t.to == 0) {
        t.to = ids.Id(Field(*csv, "ContractAddress"));
        t.create = true;
      }
      t.value = std::strtod(std::string(Field(*csv, "Value")).c_str(), nullptr);
      t.failed = Field(*csv, "isError") == "1" ? 1 : 0;
      t.input = HasInput(Field(*csv, "Input"));
      d.txs.push_back(t);
    }
    d.history.push_back(n);
  }
  d.addresses = static_cast<uint32_t>(ids.size());
  return d;
}

// An ethereum-etl transactions export.
Dataset ReadEtl(const std::string& path, const std::string& name, Interner* ids) {
  Dataset d;
  d.name = name;
  auto csv = Open(path);
  while (Next(*csv)) {
    Tx t;
    t.from = ids->Id(Field(*csv, "from_address"));
    t.to = ids->Id(Field(*csv, "to_address"));
    if (t.to == 0) {
      t.to = ids->Id(Field(*csv, "receipt_contract_address"));
      t.create = true;
    }
    t.value = Wei(Field(*csv, "value"));
    const std::string_view st = Field(*csv, "receipt_status");
    t.failed = st == "0" ? 1 : st == "1" ? 0 : -1;
    t.input = HasInput(Field(*csv, "input"));
    d.txs.push_back(t);
  }
  d.addresses = static_cast<uint32_t>(ids->size());
  return d;
}

// Histories of chosen synthetic accounts (senders of at least one tx). With `match` empty,
// `centers` accounts drawn uniformly; otherwise one account per entry of `match` (a real
// account's history length), drawn among the synthetic senders whose history length falls in
// the same power-of-two bucket (or the nearest non-empty bucket above), so the two samples'
// centers are equally busy and their counterparties can be compared.
Dataset EgoSample(const Dataset& chain, size_t centers, const std::vector<double>& match,
                  uint64_t seed, const std::string& name) {
  Dataset d;
  d.name = name;
  std::vector<uint32_t> degree(chain.addresses + 1, 0);
  std::vector<char> sent(chain.addresses + 1, 0);
  for (const Tx& t : chain.txs) {
    ++degree[t.from];
    if (t.to != t.from) ++degree[t.to];
    sent[t.from] = 1;
  }
  std::vector<uint32_t> senders;
  for (uint32_t a = 1; a <= chain.addresses; ++a) {
    if (sent[a]) senders.push_back(a);
  }
  std::mt19937_64 rng(seed);
  std::vector<uint32_t> picked;
  if (match.empty()) {
    std::shuffle(senders.begin(), senders.end(), rng);
    senders.resize(std::min(centers, senders.size()));
    picked = senders;
  } else {
    auto bucket = [](double h) { return h < 1 ? 0 : 1 + static_cast<int>(std::log2(h)); };
    std::vector<std::vector<uint32_t>> by_bucket(64);
    for (uint32_t a : senders) by_bucket[static_cast<size_t>(bucket(degree[a]))].push_back(a);
    for (double h : match) {
      if (h < 1) continue;
      for (int b = bucket(h); b < 64; ++b) {
        auto& v = by_bucket[static_cast<size_t>(b)];
        if (v.empty()) continue;
        const size_t i = rng() % v.size();
        picked.push_back(v[i]);
        v[i] = v.back();  // without replacement
        v.pop_back();
        break;
      }
    }
  }
  std::vector<char> chosen(chain.addresses + 1, 0);
  for (uint32_t a : picked) {
    chosen[a] = 1;
    d.history.push_back(degree[a]);
  }
  std::unordered_set<uint32_t> addrs;
  for (const Tx& t : chain.txs) {
    if (chosen[t.from] || chosen[t.to]) {
      d.txs.push_back(t);
      addrs.insert(t.from);
      if (t.to) addrs.insert(t.to);
    }
  }
  d.addresses = static_cast<uint32_t>(addrs.size());
  return d;
}

// `n` consecutive txs from the middle of the chain.
Dataset Window(const Dataset& chain, size_t n, const std::string& name) {
  Dataset d;
  d.name = name;
  const size_t start = chain.txs.size() > n ? (chain.txs.size() - n) / 2 : 0;
  std::unordered_set<uint32_t> addrs;
  for (size_t i = start; i < chain.txs.size() && i < start + n; ++i) {
    d.txs.push_back(chain.txs[i]);
    addrs.insert(chain.txs[i].from);
    if (chain.txs[i].to) addrs.insert(chain.txs[i].to);
  }
  d.addresses = static_cast<uint32_t>(addrs.size());
  return d;
}

double Quantile(std::vector<double> v, double q) {
  if (v.empty()) return NAN;
  const size_t i = static_cast<size_t>(q * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<ptrdiff_t>(i), v.end());
  return v[i];
}

struct Metrics {
  std::vector<std::pair<std::string, std::string>> rows;
  void Add(const std::string& k, const char* fmt, double v) {
    char buf[64];
    if (std::isnan(v)) {
      std::snprintf(buf, sizeof buf, "–");
    } else {
      std::snprintf(buf, sizeof buf, fmt, v);
    }
    rows.push_back({k, buf});
  }
};

Metrics Measure(const Dataset& d) {
  Metrics m;
  const double n = static_cast<double>(d.txs.size());
  std::unordered_map<uint32_t, uint32_t> degree, out_deg, in_deg;
  std::vector<double> values;
  double zero = 0, failed = 0, failed_known = 0, input = 0, create = 0, round = 0;
  for (const Tx& t : d.txs) {
    ++degree[t.from];
    ++out_deg[t.from];
    if (t.to) {
      if (t.to != t.from) ++degree[t.to];
      ++in_deg[t.to];
    }
    if (t.value == 0) {
      ++zero;
    } else {
      values.push_back(t.value);
      const double milli = t.value * 1000;
      if (std::fabs(milli - std::round(milli)) < 1e-6 * std::max(1.0, milli)) ++round;
    }
    if (t.failed >= 0) {
      ++failed_known;
      failed += t.failed;
    }
    input += t.input;
    create += t.create;
  }
  std::vector<double> deg;
  deg.reserve(degree.size());
  double top = 0, only_in = 0, only_out = 0, both = 0;
  double d1 = 0, d2 = 0, d3_9 = 0, d10_99 = 0, d100 = 0;
  for (const auto& [a, k] : degree) {
    deg.push_back(k);
    top = std::max(top, static_cast<double>(k));
    const bool i = in_deg.count(a) > 0, o = out_deg.count(a) > 0;
    if (i && o)
      ++both;
    else if (i)
      ++only_in;
    else
      ++only_out;
    if (k == 1)
      ++d1;
    else if (k == 2)
      ++d2;
    else if (k < 10)
      ++d3_9;
    else if (k < 100)
      ++d10_99;
    else
      ++d100;
  }
  const double a = static_cast<double>(degree.size());
  double slots = 0;
  for (double k : deg) slots += k;
  m.Add("txs", "%.0f", n);
  m.Add("addresses", "%.0f", a);
  m.Add("addresses per tx", "%.3f", a / n);
  m.Add("degree = 1 (share of addresses)", "%.3f", d1 / a);
  m.Add("degree = 2", "%.3f", d2 / a);
  m.Add("degree 3-9", "%.3f", d3_9 / a);
  m.Add("degree 10-99", "%.3f", d10_99 / a);
  m.Add("degree >= 100", "%.4f", d100 / a);
  m.Add("degree p50", "%.0f", Quantile(deg, 0.5));
  m.Add("degree p90", "%.0f", Quantile(deg, 0.9));
  m.Add("degree p99", "%.0f", Quantile(deg, 0.99));
  m.Add("degree p99.9", "%.0f", Quantile(deg, 0.999));
  m.Add("busiest address: share of tx endpoints", "%.4f", top / slots);
  m.Add("addresses that only receive", "%.3f", only_in / a);
  m.Add("addresses that only send", "%.3f", only_out / a);
  m.Add("addresses that send and receive", "%.3f", both / a);
  m.Add("zero-value txs (share)", "%.3f", zero / n);
  m.Add("value p1 (ETH, non-zero)", "%.3g", Quantile(values, 0.01));
  m.Add("value p10", "%.3g", Quantile(values, 0.10));
  m.Add("value p25", "%.3g", Quantile(values, 0.25));
  m.Add("value p50", "%.3g", Quantile(values, 0.50));
  m.Add("value p75", "%.3g", Quantile(values, 0.75));
  m.Add("value p90", "%.3g", Quantile(values, 0.90));
  m.Add("value p99", "%.3g", Quantile(values, 0.99));
  m.Add("value p99.9", "%.3g", Quantile(values, 0.999));
  m.Add("non-zero values that are whole milli-ETH", "%.3f", round / std::max(1.0, n - zero));
  m.Add("failed txs (share)", "%.3f", failed_known > 0 ? failed / failed_known : NAN);
  m.Add("txs with calldata (share)", "%.3f", input / n);
  m.Add("contract creations (share)", "%.4f", create / n);
  if (!d.history.empty()) {
    double empty = 0;
    for (double h : d.history) empty += h == 0;
    m.Add("chosen accounts", "%.0f", static_cast<double>(d.history.size()));
    m.Add("history length p10 (txs per account)", "%.0f", Quantile(d.history, 0.1));
    m.Add("history length p25", "%.0f", Quantile(d.history, 0.25));
    m.Add("history length p50", "%.0f", Quantile(d.history, 0.5));
    m.Add("history length p75", "%.0f", Quantile(d.history, 0.75));
    m.Add("history length p90", "%.0f", Quantile(d.history, 0.9));
    m.Add("history length p99", "%.0f", Quantile(d.history, 0.99));
    m.Add("history length max", "%.0f", Quantile(d.history, 1.0));
    m.Add("accounts with an empty history", "%.3f", empty / static_cast<double>(d.history.size()));
  }
  return m;
}

void PrintTable(const std::vector<std::pair<std::string, Metrics>>& cols) {
  std::printf("| metric |");
  for (const auto& [name, m] : cols) std::printf(" %s |", name.c_str());
  std::printf("\n|---|");
  for (size_t i = 0; i < cols.size(); ++i) std::printf("---:|");
  std::printf("\n");
  std::vector<std::string> keys;
  for (const auto& [name, m] : cols) {
    for (const auto& [k, v] : m.rows) {
      if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
    }
  }
  for (const auto& k : keys) {
    std::printf("| %s |", k.c_str());
    for (const auto& [name, m] : cols) {
      std::string v = "–";
      for (const auto& [kk, vv] : m.rows) {
        if (kk == k) v = vv;
      }
      std::printf(" %s |", v.c_str());
    }
    std::printf("\n");
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string real, synth, etl;
  size_t centers = 0;
  uint64_t seed = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Die(a + " needs a value");
      return argv[++i];
    };
    if (a == "--real")
      real = value();
    else if (a == "--synth")
      synth = value();
    else if (a == "--etl")
      etl = value();
    else if (a == "--centers")
      centers = std::strtoull(value().c_str(), nullptr, 10);
    else if (a == "--seed")
      seed = std::strtoull(value().c_str(), nullptr, 10);
    else
      Die("usage: calibrate --real DIR --synth ETL_DIR [--etl FILE] [--centers N] [--seed S]");
  }
  if (real.empty() || synth.empty()) Die("--real and --synth are required");
  const Dataset r = ReadReal(real);
  Interner synth_ids;
  const Dataset s = ReadEtl(synth + "/transactions.csv", "synthetic whole chain", &synth_ids);
  const Dataset ego =
      EgoSample(s, centers ? centers : r.history.size(), {}, seed, "synthetic, uniform centers");
  const Dataset matched = EgoSample(s, 0, r.history, seed, "synthetic, activity-matched centers");
  std::printf("## Ego samples (complete histories of chosen accounts)\n\n");
  PrintTable({{r.name, Measure(r)}, {matched.name, Measure(matched)}, {ego.name, Measure(ego)}});
  std::printf("\n## Chain slices\n\n");
  std::vector<std::pair<std::string, Metrics>> whole;
  if (!etl.empty()) {
    Interner etl_ids;
    const Dataset e = ReadEtl(etl, "real etl slice", &etl_ids);
    const Dataset w = Window(s, e.txs.size(), "synthetic slice of as many txs");
    whole.push_back({e.name, Measure(e)});
    whole.push_back({w.name, Measure(w)});
  }
  whole.push_back({s.name, Measure(s)});
  PrintTable(whole);
  return 0;
}
