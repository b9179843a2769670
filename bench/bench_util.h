// Small helpers shared by the benchmark programs (header-only: every bench/*.cc is its own
// executable).
#pragma once

#include <x86intrin.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace fundtrace::bench {

// Fields of /proc/self/status in KiB (VmRSS, RssAnon, RssFile, VmHWM), -1 when absent.
inline long StatusKb(const char* field) {
  FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return -1;
  char line[256];
  long kb = -1;
  const size_t n = std::strlen(field);
  while (std::fgets(line, sizeof line, f)) {
    if (std::strncmp(line, field, n) == 0 && line[n] == ':') {
      kb = std::strtol(line + n + 1, nullptr, 10);
      break;
    }
  }
  std::fclose(f);
  return kb;
}

struct Rss {
  long total_kb, anon_kb, file_kb;
  static Rss Now() { return {StatusKb("VmRSS"), StatusKb("RssAnon"), StatusKb("RssFile")}; }
};

// Per-operation timing with the TSC (constant and invariant on the machines we bench on),
// calibrated against steady_clock; lfence keeps the timed work inside the two reads.
class TscTimer {
 public:
  TscTimer() {
    auto t0 = std::chrono::steady_clock::now();
    uint64_t c0 = __rdtsc();
    while (std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(200)) {
    }
    uint64_t c1 = __rdtsc();
    double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
    ns_per_tick_ = ns / double(c1 - c0);
    std::vector<uint64_t> empty(20001);
    for (auto& e : empty) {
      uint64_t a = Start();
      e = Stop() - a;
    }
    std::nth_element(empty.begin(), empty.begin() + empty.size() / 2, empty.end());
    overhead_ticks_ = empty[empty.size() / 2];
  }
  static uint64_t Start() {
    _mm_lfence();
    uint64_t t = __rdtsc();
    _mm_lfence();
    return t;
  }
  static uint64_t Stop() {
    _mm_lfence();
    uint64_t t = __rdtsc();
    _mm_lfence();
    return t;
  }
  // Ticks of one timed region minus the timer's own median cost, in ns (never below 0).
  double Ns(uint64_t ticks) const {
    return ticks > overhead_ticks_ ? double(ticks - overhead_ticks_) * ns_per_tick_ : 0.0;
  }
  double overhead_ns() const { return double(overhead_ticks_) * ns_per_tick_; }
  double ns_per_tick() const { return ns_per_tick_; }

 private:
  double ns_per_tick_ = 1;
  uint64_t overhead_ticks_ = 0;
};

inline double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  size_t k = std::min(v.size() - 1, static_cast<size_t>(p * double(v.size())));
  std::nth_element(v.begin(), v.begin() + k, v.end());
  return v[k];
}

inline double Seconds(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

}  // namespace fundtrace::bench
