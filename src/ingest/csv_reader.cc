#include "ingest/csv_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

namespace fundtrace {
namespace {

constexpr size_t kMinBufferBytes = 8;
constexpr size_t kGzInputBytes = size_t{1} << 20;  // compressed read size
constexpr size_t kPadding = 64;                    // readable bytes past the sentinel

// Bytes that end a scan through an unquoted field / a quoted field. NUL is included because
// the buffer's end is marked by a NUL sentinel.
constexpr std::array<bool, 256> MakeTable(std::string_view chars) {
  std::array<bool, 256> t{};
  for (char c : chars) t[static_cast<unsigned char>(c)] = true;
  return t;
}
constexpr std::array<bool, 256> kUnquotedStop = MakeTable(std::string_view(",\n\r\0", 4));
constexpr std::array<bool, 256> kQuotedStop = MakeTable(std::string_view("\"\n\0", 3));

inline bool Stops(const std::array<bool, 256>& table, char c) {
  return table[static_cast<unsigned char>(c)];
}

std::string ErrnoText(int err) { return std::strerror(err); }

}  // namespace

struct CsvReader::GzState {
  z_stream zs{};
  bool initialized = false;
  bool member_done = false;  // the last inflate() call reached the end of a gzip member
  bool raw_eof = false;
  std::unique_ptr<unsigned char[]> in;
  size_t in_cap = 0;

  ~GzState() {
    if (initialized) inflateEnd(&zs);
  }
};

CsvReader::CsvReader(std::string path) : path_(std::move(path)) {}

CsvReader::~CsvReader() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::unique_ptr<CsvReader>> CsvReader::Open(const std::string& path, size_t buffer_bytes) {
  std::unique_ptr<CsvReader> r(new CsvReader(path));
  r->fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (r->fd_ < 0) return Status::IOError(path + ": cannot open: " + ErrnoText(errno));
  struct stat st;
  if (::fstat(r->fd_, &st) != 0) {
    return Status::IOError(path + ": cannot open: " + ErrnoText(errno));
  }
  if (S_ISDIR(st.st_mode)) return Status::IOError(path + ": cannot open: is a directory");
  if (S_ISREG(st.st_mode)) {
    r->file_size_ = static_cast<uint64_t>(st.st_size);
    (void)::posix_fadvise(r->fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
  }

  r->cap_ = std::clamp(buffer_bytes, kMinBufferBytes, kMaxRecordBytes);
  r->buf_.reset(new char[r->cap_ + kPadding]);
  // Read the first block raw, then decide between plain and gzip on its first two bytes.
  size_t n = 0;
  while (n < 2) {
    FT_ASSIGN_OR_RETURN(size_t got, r->ReadRaw(r->buf_.get() + n, r->cap_ - n));
    if (got == 0) break;
    n += got;
  }
  if (n >= 2 && static_cast<unsigned char>(r->buf_[0]) == 0x1f &&
      static_cast<unsigned char>(r->buf_[1]) == 0x8b) {
    auto gz = std::make_unique<GzState>();
    gz->in_cap = std::max(std::min(kGzInputBytes, r->cap_), n);
    gz->in.reset(new unsigned char[gz->in_cap]);
    std::memcpy(gz->in.get(), r->buf_.get(), n);
    gz->zs.next_in = gz->in.get();
    gz->zs.avail_in = static_cast<uInt>(n);
    // 16 + MAX_WBITS: gzip wrapper only.
    if (inflateInit2(&gz->zs, 16 + MAX_WBITS) != Z_OK) {
      return Status::IOError(path + ": cannot initialize zlib");
    }
    gz->initialized = true;
    r->gz_ = std::move(gz);
    r->end_ = 0;
  } else {
    r->end_ = n;
    r->eof_ = n == 0;
  }
  r->buf_[r->end_] = '\0';

  // Skip a UTF-8 byte order mark.
  while (r->end_ - r->pos_ < 3 && !r->eof_) FT_RETURN_IF_ERROR(r->Refill());
  if (r->end_ - r->pos_ >= 3 && std::memcmp(r->buf_.get() + r->pos_, "\xEF\xBB\xBF", 3) == 0) {
    r->pos_ += 3;
  }

  FT_ASSIGN_OR_RETURN(bool has_header, r->ReadRecord());
  if (!has_header) return Status::InvalidArgument(path + ": empty file");
  r->header_.assign(r->fields_.begin(), r->fields_.end());
  r->fields_.clear();
  r->fields_.reserve(r->header_.size());
  return r;
}

int CsvReader::Column(std::string_view name) const {
  for (size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

Status CsvReader::RecordError(uint64_t line, const std::string& what) const {
  return Status::InvalidArgument(path_ + ":" + std::to_string(line) + ": " + what);
}

Result<bool> CsvReader::Next() {
  if (!final_error_.ok()) return final_error_;
  FT_ASSIGN_OR_RETURN(bool more, ReadRecord());
  if (more && fields_.size() != header_.size()) {
    return RecordError(line_, "expected " + std::to_string(header_.size()) + " fields, found " +
                                  std::to_string(fields_.size()));
  }
  return more;
}

Result<bool> CsvReader::ReadRecord() {
  for (;;) {
    switch (TryParse()) {
      case Parse::kRecord:
        return true;
      case Parse::kEnd:
        fields_.clear();
        return false;
      case Parse::kError:
        final_error_ = parse_error_;
        return final_error_;
      case Parse::kNeedMore: {
        Status s = Refill();
        if (!s.ok()) {
          final_error_ = s;
          return s;
        }
        break;
      }
    }
  }
}

CsvReader::Parse CsvReader::TryParse() {
  char* const buf = buf_.get();
  const char* const end = buf + end_;
  const char* p = buf + pos_;

  // Skip empty lines. These are committed at once, so a retry after kNeedMore won't count
  // them twice.
  for (;;) {
    if (*p == '\n') {
      ++p;
    } else if (*p == '\r' && p[1] == '\n') {
      p += 2;
    } else if (*p == '\r' && p + 1 == end) {  // CR at the end of the data: CRLF or blank
      if (!eof_) return Parse::kNeedMore;
      ++p;
    } else {
      break;
    }
    pos_ = static_cast<size_t>(p - buf);
    ++next_line_;
  }
  if (p == end) return eof_ ? Parse::kEnd : Parse::kNeedMore;

  fields_.clear();
  scratch_used_ = 0;
  uint64_t newlines = 0;
  for (;;) {  // one field per iteration
    if (*p != '"') {
      // Unquoted: runs to ',', a line ending or the end of the data.
      const char* q = p;
      for (;;) {
        while (!Stops(kUnquotedStop, *q)) ++q;
        if (*q == '\r' && q[1] != '\n') {
          if (q + 1 == end) {
            if (!eof_) return Parse::kNeedMore;
            break;  // a CR at the very end of the file ends the record
          }
          ++q;  // a lone CR is data
          continue;
        }
        break;
      }
      fields_.emplace_back(p, static_cast<size_t>(q - p));
      const char c = *q;
      if (c == ',') {
        p = q + 1;
        continue;
      }
      if (c == '\n') {
        p = q + 1;
      } else if (c == '\r') {
        p = q[1] == '\n' ? q + 2 : q + 1;
      } else if (q == end) {  // NUL sentinel
        if (!eof_) return Parse::kNeedMore;
        p = q;
      } else {
        parse_error_ = RecordError(next_line_, "NUL byte in record");
        return Parse::kError;
      }
      break;  // end of record
    }

    // Quoted: content up to the next '"' that is not part of a "" pair.
    const char* const content = p + 1;
    const char* q = content;
    const char* seg = content;  // start of the content not yet copied to scratch
    char* out_begin = nullptr;  // non-null once the field is being unescaped into scratch
    char* out = nullptr;
    for (;;) {
      while (!Stops(kQuotedStop, *q)) ++q;
      const char c = *q;
      if (c == '\n') {
        ++newlines;
        ++q;
        continue;
      }
      if (c == '\0') {
        if (q != end) {
          parse_error_ = RecordError(next_line_, "NUL byte in record");
          return Parse::kError;
        }
        if (!eof_) return Parse::kNeedMore;
        parse_error_ = RecordError(next_line_, "unterminated quoted field");
        return Parse::kError;
      }
      // c == '"'
      if (q + 1 == end && !eof_) return Parse::kNeedMore;  // can't tell "" from a closing '"'
      if (q[1] != '"') break;                              // closing quote
      if (out_begin == nullptr) {
        if (scratch_used_ == 0) EnsureScratch();
        out_begin = out = scratch_.get() + scratch_used_;
      }
      const size_t n = static_cast<size_t>(q + 1 - seg);  // segment plus one '"'
      std::memcpy(out, seg, n);
      out += n;
      q += 2;
      seg = q;
    }
    if (out_begin == nullptr) {
      fields_.emplace_back(content, static_cast<size_t>(q - content));
    } else {
      const size_t n = static_cast<size_t>(q - seg);
      std::memcpy(out, seg, n);
      out += n;
      fields_.emplace_back(out_begin, static_cast<size_t>(out - out_begin));
      scratch_used_ += static_cast<size_t>(out - out_begin);
    }
    const char* after = q + 1;
    const char c = *after;
    if (c == ',') {
      p = after + 1;
      continue;
    }
    if (c == '\n') {
      p = after + 1;
    } else if (c == '\r' && after[1] == '\n') {
      p = after + 2;
    } else if (c == '\r' && after + 1 == end) {
      if (!eof_) return Parse::kNeedMore;
      p = after + 1;
    } else if (c == '\0' && after == end) {
      if (!eof_) return Parse::kNeedMore;
      p = after;
    } else {
      parse_error_ =
          RecordError(next_line_, c == '\0' ? "NUL byte in record"
                                            : "unexpected character after closing quote");
      return Parse::kError;
    }
    break;  // end of record
  }

  line_ = next_line_;
  next_line_ += 1 + newlines;
  pos_ = static_cast<size_t>(p - buf);
  return Parse::kRecord;
}

void CsvReader::EnsureScratch() {
  // Unescaped content is never longer than the record, and the record fits in the buffer.
  if (scratch_cap_ < cap_) {
    scratch_.reset(new char[cap_]);
    scratch_cap_ = cap_;
  }
}

Status CsvReader::Refill() {
  char* buf = buf_.get();
  const size_t pending = end_ - pos_;
  if (pos_ > 0) {
    std::memmove(buf, buf + pos_, pending);
    pos_ = 0;
    end_ = pending;
  }
  if (end_ == kMaxRecordBytes) {
    return RecordError(next_line_, "record longer than " + std::to_string(kMaxRecordBytes >> 20) +
                                       " MiB (unterminated quote?)");
  }
  if ((end_ == cap_ || cap_ - end_ < cap_ / 2) && cap_ < kMaxRecordBytes) {
    const size_t new_cap = std::min(cap_ * 2, kMaxRecordBytes);
    std::unique_ptr<char[]> bigger(new char[new_cap + kPadding]);
    std::memcpy(bigger.get(), buf, end_);
    buf_ = std::move(bigger);
    cap_ = new_cap;
    buf = buf_.get();
  }
  FT_ASSIGN_OR_RETURN(size_t n, Fill(buf + end_, cap_ - end_));
  end_ += n;
  if (n == 0) eof_ = true;
  buf[end_] = '\0';
  return Status::OK();
}

Result<size_t> CsvReader::ReadRaw(char* dst, size_t room) {
  for (;;) {
    const ssize_t n = ::read(fd_, dst, room);
    if (n >= 0) {
      bytes_consumed_ += static_cast<uint64_t>(n);
      return static_cast<size_t>(n);
    }
    if (errno != EINTR) return Status::IOError(path_ + ": read error: " + ErrnoText(errno));
  }
}

Result<size_t> CsvReader::Fill(char* dst, size_t room) {
  if (gz_ == nullptr) return ReadRaw(dst, room);

  GzState& gz = *gz_;
  z_stream& zs = gz.zs;
  zs.next_out = reinterpret_cast<unsigned char*>(dst);
  zs.avail_out = static_cast<uInt>(room);
  while (zs.avail_out > 0) {
    if (zs.avail_in == 0) {
      if (gz.raw_eof) break;
      FT_ASSIGN_OR_RETURN(size_t n, ReadRaw(reinterpret_cast<char*>(gz.in.get()), gz.in_cap));
      if (n == 0) {
        gz.raw_eof = true;
        break;
      }
      zs.next_in = gz.in.get();
      zs.avail_in = static_cast<uInt>(n);
    }
    if (gz.member_done) {  // more input after a complete member: another concatenated member
      inflateReset(&zs);
      gz.member_done = false;
    }
    const int ret = inflate(&zs, Z_NO_FLUSH);
    if (ret == Z_STREAM_END) {
      gz.member_done = true;
    } else if (ret != Z_OK && !(ret == Z_BUF_ERROR && zs.avail_in == 0)) {
      // (Z_BUF_ERROR with input left would mean no progress; treat it as corrupt rather
      // than loop.)
      const uint64_t at = bytes_consumed_ - zs.avail_in;
      return Status::Corruption(path_ + ": corrupt gzip data near compressed byte " +
                                std::to_string(at) + ": " + (zs.msg != nullptr ? zs.msg : "error"));
    }
  }
  const size_t produced = room - zs.avail_out;
  if (produced == 0 && gz.raw_eof && zs.avail_in == 0 && !gz.member_done) {
    return Status::Corruption(path_ + ": truncated gzip stream: compressed data ends after " +
                              std::to_string(bytes_consumed_) + " bytes without the end marker");
  }
  return produced;
}

}  // namespace fundtrace
