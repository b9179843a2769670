// Streaming reader for the CSV exports of ethereum-etl and Etherscan: files of up to many GB,
// plain or gzip-compressed, read in large blocks with fields handed out as string_views into the
// reader's buffer (no allocation per record or field once the buffers have warmed up).
//
// Format (RFC 4180 plus what real exports contain):
//   - The first record is the header; every later record must have as many fields.
//   - Fields are separated by ','; records end with LF or CRLF, and the last record may lack
//     a line ending. A CR not followed by LF inside a field is data (except at end of file).
//   - A field that starts with '"' is quoted: it ends at the next lone '"', may contain ',',
//     CR and LF, and "" stands for one '"' (ethereum-etl traces quote trace_address "0,0,1").
//     After the closing quote the field must end. A '"' inside an unquoted field is data.
//   - A UTF-8 byte order mark at the start of the (decompressed) data is skipped.
//   - Empty lines (no bytes before the line ending) are skipped, so a one-column file can't
//     hold an empty value on a line of its own.
//   - A NUL byte anywhere is an error (a binary or corrupt file).
//   - Gzip is recognized by its magic bytes 1f 8b, not by the file name; concatenated gzip
//     members are read as one stream, and anything else after the last member is corrupt.
//     Pipes and FIFOs work too (file_size() is then 0).
//
// A CsvReader is not thread-safe; use one per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace fundtrace {

class CsvReader {
 public:
  // Records longer than this are rejected (it bounds memory when a stray quote makes the rest
  // of a big file look like one field).
  static constexpr size_t kMaxRecordBytes = size_t{64} << 20;
  // Initial size of the (decompressed) data buffer; it grows for records that don't fit.
  static constexpr size_t kDefaultBufferBytes = size_t{4} << 20;

  // Opens the file and reads the header row.
  // Errors: IOError "<path>: cannot open: <reason>" (also for a directory or a read error);
  // InvalidArgument "<path>: empty file" when there is no header; InvalidArgument
  // "<path>:<line>: ..." for a malformed header (see Next()); Corruption for bad gzip data.
  // `buffer_bytes` (at least 8 is used) only matters for speed; tests pass tiny sizes to split
  // records across refills at every offset. Plain files are read in blocks of about this size,
  // gzip files in compressed blocks of min(buffer_bytes, 1 MiB).
  static Result<std::unique_ptr<CsvReader>> Open(const std::string& path,
                                                 size_t buffer_bytes = kDefaultBufferBytes);

  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Column names, unquoted. Names may be empty (pandas writes an empty index column name) or
  // repeated.
  const std::vector<std::string>& header() const { return header_; }

  // Index of the first header column named exactly `name`, or -1.
  int Column(std::string_view name) const;

  // Reads the next record. Returns true with fields() valid until the next call to Next() (or
  // the reader's destruction), false at the end of the data.
  // Errors, where <line> is the 1-based physical line on which the record starts:
  //   InvalidArgument "<path>:<line>: expected 10 fields, found 7" — the record is consumed,
  //     so the caller may log it and call Next() again to go on with the following record;
  //   InvalidArgument "<path>:<line>: unterminated quoted field", "...: NUL byte in record",
  //     "...: unexpected character after closing quote", "...: record longer than 64 MiB";
  //   Corruption "<path>: truncated gzip stream ..." / "<path>: corrupt gzip data ...";
  //   IOError "<path>: read error: <reason>".
  // All but the field-count error are final: every later call returns the same error.
  Result<bool> Next();
  // True once Next() has returned a final error (any but the field-count error).
  bool failed() const { return !final_error_.ok(); }

  // Fields of the current record, one per header column (after a successful Next()).
  const std::vector<std::string_view>& fields() const { return fields_; }

  // Line on which the current record (or, before the first Next(), the header) starts.
  uint64_t line() const { return line_; }
  // Bytes of the underlying file read so far (compressed bytes for gzip); runs ahead of the
  // records returned by up to one buffer. For progress bars against file_size().
  uint64_t bytes_consumed() const { return bytes_consumed_; }
  // Size of the file on disk when opened (compressed size for gzip); 0 if not a regular file.
  uint64_t file_size() const { return file_size_; }
  const std::string& path() const { return path_; }
  // Whether the file is gzip-compressed.
  bool is_gzip() const { return gz_ != nullptr; }

 private:
  struct GzState;
  enum class Parse { kRecord, kEnd, kNeedMore, kError };

  explicit CsvReader(std::string path);

  // Reads the next record into fields_ (no field-count check).
  Result<bool> ReadRecord();
  // One attempt at parsing the record at pos_; kNeedMore when the buffer ends inside it.
  Parse TryParse();
  // Moves the unparsed tail to the front of the buffer, grows the buffer if that leaves less
  // than half of it free, and appends more data; sets eof_ when there is none.
  Status Refill();
  // Fills up to `room` bytes at `dst` with file data (decompressed for gzip); 0 at the end.
  Result<size_t> Fill(char* dst, size_t room);
  // read(2) with EINTR retry; counts bytes_consumed_.
  Result<size_t> ReadRaw(char* dst, size_t room);
  // Makes scratch_ at least cap_ bytes. Called only before the first unescape of a parse
  // attempt, so views into scratch_ from earlier fields stay valid.
  void EnsureScratch();
  Status RecordError(uint64_t line, const std::string& what) const;

  std::string path_;
  int fd_ = -1;
  uint64_t file_size_ = 0;
  uint64_t bytes_consumed_ = 0;
  std::unique_ptr<GzState> gz_;

  // Data buffer: unparsed bytes are [pos_, end_); buf_[end_] is a NUL sentinel and some
  // padding follows so scans may run a little past it.
  std::unique_ptr<char[]> buf_;
  size_t cap_ = 0;
  size_t pos_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  // Holds quoted fields that contained "" escapes; at least cap_ bytes, so it never needs to
  // grow while a record is being parsed.
  std::unique_ptr<char[]> scratch_;
  size_t scratch_cap_ = 0;
  size_t scratch_used_ = 0;

  std::vector<std::string> header_;
  std::vector<std::string_view> fields_;
  uint64_t line_ = 0;       // line of the current record
  uint64_t next_line_ = 1;  // line at pos_
  Status parse_error_;      // set by TryParse when it returns kError
  Status final_error_;      // sticky error returned by every later Next()
};

}  // namespace fundtrace
