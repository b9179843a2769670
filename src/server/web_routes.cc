// The web UI (web/ compiled into the binary) and /openapi.json: open routes, no key needed.
#include <string>

#include "server/api_server.h"
#include "server/embedded_assets.h"

namespace fundtrace {

void AddWebRoutes(ApiServer& s) {
  for (const EmbeddedAsset& a : EmbeddedAssets()) {
    std::string type = a.content_type;
    if (type.rfind("text/", 0) == 0) type += "; charset=utf-8";
    const bool immutable = std::string(a.path).rfind("/vendor/", 0) == 0;
    s.Open(a.path, [&a, type, immutable](const httplib::Request&, httplib::Response& res) {
      res.set_header("Cache-Control", immutable ? "public, max-age=86400" : "no-cache");
      if (std::string(a.path) == "/") {
        res.set_header("Content-Security-Policy",
                       "default-src 'self'; img-src 'self' data: blob:; style-src 'self' "
                       "'unsafe-inline'");
      }
      res.set_content(std::string(a.text()), type.c_str());
    });
  }
}

}  // namespace fundtrace
