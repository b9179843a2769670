#include "server/api_keys.h"

#include <openssl/rand.h>
#include <openssl/sha.h>
#include <sys/stat.h>

#include <ctime>
#include <nlohmann/json.hpp>

#include "util/file_util.h"

namespace fundtrace {
namespace {

constexpr size_t kKeyBytes = 20;
constexpr char kHex[] = "0123456789abcdef";

std::string Hex(const unsigned char* p, size_t n) {
  std::string s;
  s.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) {
    s += kHex[p[i] >> 4];
    s += kHex[p[i] & 15];
  }
  return s;
}

}  // namespace

std::string ApiKeyStore::HashKey(std::string_view key) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), md);
  return Hex(md, sizeof md);
}

Result<ApiKeyStore> ApiKeyStore::Open(const std::string& data_dir) {
  ApiKeyStore s(data_dir + "/api_keys.json");
  FT_RETURN_IF_ERROR(s.Load());
  return s;
}

Status ApiKeyStore::Load() {
  keys_.clear();
  by_hash_.clear();
  version_ = VersionOf(path_);
  if (!version_.exists()) return Status::OK();
  FT_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path_));
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("keys") || !j["keys"].is_array()) {
    return Status::Corruption(path_ + ": not an API key file (expected {\"keys\": [...]})");
  }
  for (const auto& k : j["keys"]) {
    if (!k.is_object() || !k.contains("name") || !k["name"].is_string() || !k.contains("sha256") ||
        !k["sha256"].is_string() || !k.contains("rate") || !k["rate"].is_number()) {
      return Status::Corruption(path_ + ": key entry without name, sha256 and rate");
    }
    ApiKeyInfo info;
    info.name = k["name"].get<std::string>();
    info.hash = k["sha256"].get<std::string>();
    info.rate = k["rate"].get<double>();
    info.created = k.value("created", int64_t{0});
    info.revoked = k.value("revoked", int64_t{0});
    if (!info.revoked) by_hash_[info.hash] = keys_.size();
    keys_.push_back(std::move(info));
  }
  return Status::OK();
}

Status ApiKeyStore::Save() {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& k : keys_) {
    arr.push_back({{"name", k.name},
                   {"sha256", k.hash},
                   {"rate", k.rate},
                   {"created", k.created},
                   {"revoked", k.revoked}});
  }
  nlohmann::json j = {{"format", "fundtrace api keys 1"}, {"keys", arr}};
  // Keys may be made before any data: the data directory is created like ingest would.
  if (size_t slash = path_.rfind('/'); slash != std::string::npos && slash > 0) {
    FT_RETURN_IF_ERROR(CreateDirs(path_.substr(0, slash)));
  }
  FT_RETURN_IF_ERROR(WriteFileAtomic(path_, j.dump(1) + "\n"));
  ::chmod(path_.c_str(), 0600);
  version_ = VersionOf(path_);
  return Status::OK();
}

Result<std::string> ApiKeyStore::Create(const std::string& name, double rate) {
  if (name.empty()) return Status::InvalidArgument("an API key needs a name");
  if (!(rate > 0)) return Status::InvalidArgument("--rate must be above 0 requests per second");
  for (const auto& k : keys_) {
    if (k.name == name && !k.revoked) {
      return Status::InvalidArgument("a valid key named '" + name +
                                     "' exists: revoke it first or choose another name");
    }
  }
  unsigned char raw[kKeyBytes];
  if (RAND_bytes(raw, sizeof raw) != 1) return Status::IOError("no random bytes from OpenSSL");
  std::string key = "ft_" + Hex(raw, sizeof raw);
  ApiKeyInfo info;
  info.name = name;
  info.hash = HashKey(key);
  info.rate = rate;
  info.created = static_cast<int64_t>(std::time(nullptr));
  by_hash_[info.hash] = keys_.size();
  keys_.push_back(std::move(info));
  FT_RETURN_IF_ERROR(Save());
  return key;
}

Status ApiKeyStore::Revoke(const std::string& name) {
  for (auto& k : keys_) {
    if (k.name == name && !k.revoked) {
      k.revoked = static_cast<int64_t>(std::time(nullptr));
      by_hash_.erase(k.hash);
      return Save();
    }
  }
  return Status::NotFound("no valid API key named '" + name + "' (fundtrace apikey list)");
}

std::optional<ApiKeyInfo> ApiKeyStore::Find(std::string_view key) const {
  if (key.empty() || by_hash_.empty()) return std::nullopt;
  auto it = by_hash_.find(HashKey(key));
  if (it == by_hash_.end()) return std::nullopt;
  return keys_[it->second];
}

std::optional<ApiKeyInfo> ApiKeyStore::FindHash(const std::string& hash) const {
  auto it = by_hash_.find(hash);
  if (it == by_hash_.end()) return std::nullopt;
  return keys_[it->second];
}

Result<bool> ApiKeyStore::Refresh() {
  if (VersionOf(path_) == version_) return false;
  FT_RETURN_IF_ERROR(Load());
  return true;
}

}  // namespace fundtrace
