#include "synth/text_sink.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

namespace fundtrace::synth {
namespace {

constexpr size_t kBufferBytes = size_t{4} << 20;

struct DigitPairs {
  char d[200];
  constexpr DigitPairs() : d() {
    for (int i = 0; i < 100; ++i) {
      d[2 * i] = static_cast<char>('0' + i / 10);
      d[2 * i + 1] = static_cast<char>('0' + i % 10);
    }
  }
};
constexpr DigitPairs kPairs;

std::string Errno() { return std::strerror(errno); }

}  // namespace

int FormatUint(uint64_t v, char* out) {
  char tmp[20];
  char* p = tmp + 20;
  while (v >= 100) {
    const unsigned r = static_cast<unsigned>(v % 100);
    v /= 100;
    p -= 2;
    std::memcpy(p, kPairs.d + 2 * r, 2);
  }
  if (v >= 10) {
    p -= 2;
    std::memcpy(p, kPairs.d + 2 * v, 2);
  } else {
    *--p = static_cast<char>('0' + v);
  }
  const int n = static_cast<int>(tmp + 20 - p);
  std::memcpy(out, p, static_cast<size_t>(n));
  return n;
}

int FormatUint(Uint128 v, char* out) {
  if (v <= UINT64_MAX) return FormatUint(static_cast<uint64_t>(v), out);
  constexpr uint64_t kTen19 = 10000000000000000000ull;
  // v = high * 10^19 + low, high < 2^128 / 10^19 < 10^20: at most two chunks below 10^19.
  const uint64_t low = static_cast<uint64_t>(v % kTen19);
  const Uint128 high = v / kTen19;
  int n = FormatUint(high, out);
  char digits[20];
  const int m = FormatUint(low, digits);
  std::memset(out + n, '0', static_cast<size_t>(19 - m));
  std::memcpy(out + n + 19 - m, digits, static_cast<size_t>(m));
  return n + 19;
}

Result<std::unique_ptr<TextSink>> TextSink::Create(const std::string& path) {
  const std::string partial = path + ".partial";
  int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError(partial + ": cannot create: " + Errno());
  return std::unique_ptr<TextSink>(new TextSink(path, fd));
}

TextSink::TextSink(std::string path, int fd) : path_(std::move(path)), fd_(fd), buf_(kBufferBytes) {
  pos_ = buf_.data();
  end_ = buf_.data() + buf_.size();
}

TextSink::~TextSink() {
  if (!finished_) {
    ::close(fd_);
    ::unlink((path_ + ".partial").c_str());
  }
}

void TextSink::Flush() {
  const char* p = buf_.data();
  size_t left = static_cast<size_t>(pos_ - p);
  while (left > 0 && error_.ok()) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      error_ = Status::IOError(path_ + ".partial: write failed: " + Errno());
      break;
    }
    p += n;
    left -= static_cast<size_t>(n);
    written_ += static_cast<uint64_t>(n);
  }
  pos_ = buf_.data();
}

void TextSink::Put(std::string_view s) {
  while (!s.empty()) {
    const size_t n = std::min(s.size(), kMaxReserve);
    std::memcpy(Reserve(n), s.data(), n);
    Commit(n);
    s.remove_prefix(n);
  }
}

void TextSink::Uint(uint64_t v) { Commit(static_cast<size_t>(FormatUint(v, Reserve(20)))); }
void TextSink::Uint(Uint128 v) { Commit(static_cast<size_t>(FormatUint(v, Reserve(40)))); }

void TextSink::HexUint(uint64_t v) {
  char* out = Reserve(18);
  out[0] = '0';
  out[1] = 'x';
  int n = 0;
  int shift = 60;
  while (shift > 0 && ((v >> shift) & 15) == 0) shift -= 4;
  for (; shift >= 0; shift -= 4) out[2 + n++] = "0123456789abcdef"[(v >> shift) & 15];
  Commit(static_cast<size_t>(2 + n));
}

Status TextSink::Finish() {
  if (finished_) return error_;
  Flush();
  finished_ = true;
  if (::close(fd_) != 0 && error_.ok()) {
    error_ = Status::IOError(path_ + ".partial: close failed: " + Errno());
  }
  const std::string partial = path_ + ".partial";
  if (!error_.ok()) {
    ::unlink(partial.c_str());
    return error_;
  }
  if (std::rename(partial.c_str(), path_.c_str()) != 0) {
    error_ = Status::IOError(partial + ": cannot rename to " + path_ + ": " + Errno());
    ::unlink(partial.c_str());
  }
  return error_;
}

}  // namespace fundtrace::synth
