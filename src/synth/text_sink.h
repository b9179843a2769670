// A buffered output file for the generator's CSV and JSON files, with the integer and hex
// formatting they need (no iostreams, no printf per field).
//
// The data goes to "<path>.partial"; Finish() flushes, closes and renames it to `path`, so an
// interrupted run never leaves a complete-looking file. A sink destroyed without Finish()
// removes its partial file. Write errors are sticky: the append functions never fail, and the
// first error is returned by Finish().
//
// Not thread-safe.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "synth/rng.h"
#include "util/status.h"

namespace fundtrace::synth {

class TextSink {
 public:
  // Creates (truncating) "<path>.partial". Fails with IOError naming the path.
  static Result<std::unique_ptr<TextSink>> Create(const std::string& path);
  ~TextSink();
  TextSink(const TextSink&) = delete;
  TextSink& operator=(const TextSink&) = delete;

  // Room for `n` more bytes at the returned pointer; Commit(n) keeps what was written there.
  // REQUIRES: n <= kMaxReserve.
  static constexpr size_t kMaxReserve = 4096;
  char* Reserve(size_t n) {
    if (end_ - pos_ < static_cast<ptrdiff_t>(n)) Flush();
    return pos_;
  }
  void Commit(size_t n) { pos_ += n; }

  void Put(char c) {
    *Reserve(1) = c;
    ++pos_;
  }
  void Put(std::string_view s);
  void Uint(uint64_t v);
  void Uint(Uint128 v);
  // "0x" + the hex digits of v without leading zeros ("0x0" for zero).
  void HexUint(uint64_t v);

  uint64_t bytes() const { return written_ + static_cast<uint64_t>(pos_ - buf_.data()); }
  const std::string& path() const { return path_; }

  // Writes what is buffered, closes the file and renames it into place.
  Status Finish();

 private:
  TextSink(std::string path, int fd);
  void Flush();

  std::string path_;
  int fd_;
  std::vector<char> buf_;
  char* pos_;
  char* end_;
  uint64_t written_ = 0;
  Status error_;
  bool finished_ = false;
};

// Decimal digits of v at `out` (at most 39 bytes); returns how many.
int FormatUint(Uint128 v, char* out);
int FormatUint(uint64_t v, char* out);

}  // namespace fundtrace::synth
