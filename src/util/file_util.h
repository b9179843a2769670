// The file-system operations the store relies on, in one place: read-only memory maps, durable
// atomic writes (temp file, fsync, rename, fsync of the directory) and an exclusive lock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "util/status.h"

namespace fundtrace {

// A read-only mapping of a whole file. Not copyable; unmaps on destruction. Thread-safe to read.
class MappedFile {
 public:
  static Result<std::unique_ptr<MappedFile>> Open(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  MappedFile(std::string path, const uint8_t* data, size_t size)
      : path_(std::move(path)), data_(data), size_(size) {}
  std::string path_;
  const uint8_t* data_;
  size_t size_;
};

// Writes a file durably: the pieces go to "<path>.tmp", which is fsynced and renamed over
// `path`, then the directory is fsynced. On failure `path` is untouched and the temp removed.
Status WriteFileAtomic(const std::string& path, std::span<const std::span<const uint8_t>> pieces);
Status WriteFileAtomic(const std::string& path, std::string_view contents);

// Collects the parts of a file (caller-owned spans and small owned buffers) so that a large
// file is written without first being copied into one string. The spans must stay valid
// until Write returns.
class FileAssembler {
 public:
  // Appends caller-owned bytes.
  void Add(std::span<const uint8_t> bytes);
  // Appends the elements of a contiguous container (std::vector with any allocator).
  template <typename V>
  void AddArray(const V& v) {
    Add({reinterpret_cast<const uint8_t*>(v.data()), v.size() * sizeof(v[0])});
  }
  // Appends a copy of small bytes (headers, counts).
  void AddCopy(std::string_view bytes);
  void AddU64(uint64_t v) { AddCopy({reinterpret_cast<const char*>(&v), 8}); }
  // Zero bytes up to the next multiple of 8.
  void Pad8();
  uint64_t size() const { return size_; }
  // WriteFileAtomic of the parts.
  Status Write(const std::string& path) const;

 private:
  struct Part {
    std::span<const uint8_t> bytes;
    size_t owned = SIZE_MAX;  // index into owned_, or SIZE_MAX for caller-owned
  };
  std::vector<Part> parts_;
  std::vector<std::string> owned_;
  uint64_t size_ = 0;
};

Result<std::string> ReadFileToString(const std::string& path);
Status CreateDirs(const std::string& path);
bool FileExists(const std::string& path);
Result<uint64_t> FileSize(const std::string& path);
// What tells one version of a file from the next: its mtime alone does not when two writes
// fall in the same timestamp tick, but every WriteFileAtomic renames a new file into place, so
// the inode changes too. A missing file has exists() false.
struct FileVersion {
  int64_t mtime_ns = -1;
  uint64_t inode = 0;
  int64_t size = -1;
  bool exists() const { return mtime_ns >= 0; }
  bool operator==(const FileVersion&) const = default;
};
FileVersion VersionOf(const std::string& path);
Result<std::vector<std::string>> ListDir(const std::string& path);
Status RemoveFile(const std::string& path);

// An exclusive advisory lock (flock) on "<dir>/LOCK", held until destruction. Fails at once
// with a message naming the directory when another process holds it.
class FileLock {
 public:
  static Result<std::unique_ptr<FileLock>> Acquire(const std::string& dir);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace fundtrace
