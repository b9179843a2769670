// Files compiled into the binary by the build (src/server/embed_assets.cmake): the web UI of
// web/, the Cytoscape.js that `npm ci` installed from web/package-lock.json, and the OpenAPI
// document src/server/openapi.json.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace fundtrace {

struct EmbeddedAsset {
  const char* path;  // URL path, e.g. "/app.js"
  const unsigned char* data;
  size_t size;
  const char* content_type;
  std::string_view text() const { return {reinterpret_cast<const char*>(data), size}; }
};

std::span<const EmbeddedAsset> EmbeddedAssets();
// The asset served at `path`, or nullptr.
inline const EmbeddedAsset* FindEmbeddedAsset(std::string_view path) {
  for (const EmbeddedAsset& a : EmbeddedAssets()) {
    if (path == a.path) return &a;
  }
  return nullptr;
}

}  // namespace fundtrace
