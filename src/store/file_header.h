// The 16-byte header every store file starts with: an 8-byte magic naming the file kind and a
// format version. Opening refuses an unknown magic or a version it does not know.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include "util/file_util.h"
#include "util/status.h"

namespace fundtrace {

inline constexpr uint32_t kStoreFormatVersion = 2;  // 2: u64 key-index slots with hash tags
inline constexpr size_t kFileHeaderSize = 16;

inline std::string FileHeader(const char (&magic)[9]) {
  std::string h(magic, 8);
  uint32_t version = kStoreFormatVersion, reserved = 0;
  h.append(reinterpret_cast<const char*>(&version), 4);
  h.append(reinterpret_cast<const char*>(&reserved), 4);
  return h;
}

inline Status CheckFileHeader(const uint8_t* data, size_t size, const char (&magic)[9],
                              const std::string& path) {
  if (size < kFileHeaderSize || std::memcmp(data, magic, 8) != 0) {
    return Status::Corruption(path + ": not a fundtrace " + std::string(magic + 2, 6) +
                              " file (bad magic)");
  }
  uint32_t version;
  std::memcpy(&version, data + 8, 4);
  if (version != kStoreFormatVersion) {
    return Status::Unsupported(path + ": store format version " + std::to_string(version) +
                               ", this fundtrace reads version " +
                               std::to_string(kStoreFormatVersion) +
                               " (ingest the data again into a new --data directory)");
  }
  return Status::OK();
}

// Maps a store file, checks its header and reads the `words` u64 after it into meta[]: the
// opening every reader of a store file shares.
inline Result<std::unique_ptr<MappedFile>> MapStoreFile(const std::string& path,
                                                        const char (&magic)[9], uint64_t* meta,
                                                        size_t words) {
  FT_ASSIGN_OR_RETURN(auto file, MappedFile::Open(path));
  FT_RETURN_IF_ERROR(CheckFileHeader(file->data(), file->size(), magic, path));
  if (file->size() < kFileHeaderSize + words * 8) {
    return Status::Corruption(path + ": truncated header");
  }
  std::memcpy(meta, file->data() + kFileHeaderSize, words * 8);
  return file;
}

}  // namespace fundtrace
