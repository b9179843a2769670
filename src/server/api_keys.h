// API keys of `fundtrace serve`, kept in <data>/api_keys.json. Only the SHA-256 of a key is
// stored: the key itself ("ft_" + 40 hex digits) is shown once, when it is created. Each key has
// a name, a rate limit (requests per second, token bucket) and may be revoked.
//
// The file is rewritten atomically on every change (WriteFileAtomic); a server notices changes
// made by `fundtrace apikey` while it runs (Refresh() compares the file's modification time).
// Thread-safety: an ApiKeyStore is not thread-safe; the server guards it with a mutex.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/file_util.h"
#include "util/status.h"

namespace fundtrace {

struct ApiKeyInfo {
  std::string name;
  std::string hash;  // lower-case hex SHA-256 of the key
  double rate = 10;  // requests per second (burst: the same number, at least 1)
  int64_t created = 0;
  int64_t revoked = 0;  // unix seconds; 0 while valid
};

class ApiKeyStore {
 public:
  // Reads <data_dir>/api_keys.json (absent: no keys). Errors: Corruption naming the file.
  static Result<ApiKeyStore> Open(const std::string& data_dir);

  // Creates a key named `name` (unique among valid keys) and returns the key text.
  // Errors: InvalidArgument for an empty or duplicate name or rate <= 0; IOError on write.
  Result<std::string> Create(const std::string& name, double rate);
  // Revokes the valid key named `name`. NotFound when there is none.
  Status Revoke(const std::string& name);
  const std::vector<ApiKeyInfo>& keys() const { return keys_; }

  // The valid key whose hash is SHA-256(key), or nullopt.
  std::optional<ApiKeyInfo> Find(std::string_view key) const;
  // The valid key whose hash (HashKey) is `hash`, or nullopt.
  std::optional<ApiKeyInfo> FindHash(const std::string& hash) const;
  // Re-reads the file when it changed on disk since it was read. Returns whether it did.
  Result<bool> Refresh();

  static std::string HashKey(std::string_view key);


 private:
  explicit ApiKeyStore(std::string path) : path_(std::move(path)) {}
  Status Load();
  Status Save();
  std::string path_;
  std::vector<ApiKeyInfo> keys_;
  std::map<std::string, size_t> by_hash_;  // valid keys only
  FileVersion version_;
};

}  // namespace fundtrace
