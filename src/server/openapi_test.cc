// /openapi.json (src/server/openapi.json, compiled in) against the routes the server registers:
// every route is documented and every documented path is served, and every example response is
// in the documented envelope.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "server/api_server.h"
#include "server/embedded_assets.h"

namespace fundtrace {
namespace {

nlohmann::json Doc() {
  const EmbeddedAsset* a = FindEmbeddedAsset("/openapi.json");
  if (!a) return nullptr;
  return nlohmann::json::parse(a->text(), nullptr, false);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

TEST(OpenApi, EveryRouteIsDocumentedAndEveryDocumentedPathIsServed) {
  nlohmann::json doc = Doc();
  ASSERT_TRUE(doc.is_object()) << "openapi.json is not embedded or not JSON";
  EXPECT_EQ(doc["openapi"].get<std::string>().rfind("3.", 0), 0u);
  ServeOptions o;
  o.data_dir = "/nonexistent";
  ApiServer server(o);
  std::set<std::pair<std::string, std::string>> served, documented;
  for (const RouteInfo& r : server.routes()) served.insert({Lower(r.method), r.path});
  for (const auto& [path, ops] : doc["paths"].items()) {
    for (const auto& [method, op] : ops.items()) documented.insert({method, path});
  }
  for (const auto& r : served) {
    EXPECT_TRUE(documented.count(r))
        << r.first << " " << r.second << " is served but not documented";
  }
  for (const auto& d : documented) {
    EXPECT_TRUE(served.count(d)) << d.first << " " << d.second << " is documented but not served";
  }
  EXPECT_GE(served.size(), 20u);
  // Open routes (no key) are exactly the ones documented with an empty security list.
  for (const RouteInfo& r : server.routes()) {
    const auto& op = doc["paths"][r.path][Lower(r.method)];
    const bool open = op.contains("security") && op["security"].empty();
    EXPECT_EQ(open, !r.auth) << r.path;
  }
}

void CheckEnvelope(const nlohmann::json& ex, const std::string& where) {
  ASSERT_TRUE(ex.is_object()) << where;
  ASSERT_TRUE(ex.contains("success") && ex["success"].is_boolean()) << where;
  ASSERT_TRUE(ex.contains("msg") && ex["msg"].is_string()) << where;
  if (ex["success"].get<bool>()) {
    EXPECT_TRUE(ex.contains("data")) << where;
  } else {
    EXPECT_FALSE(ex["msg"].get<std::string>().empty()) << where;
    EXPECT_TRUE(ex.contains("detail") && ex["detail"].is_string()) << where;
  }
  static const nlohmann::json doc = Doc();
  const auto& props = doc["components"]["schemas"]["Envelope"]["properties"];
  for (const auto& [k, v] : ex.items()) {
    EXPECT_TRUE(props.contains(k)) << where << ": field " << k << " is not in the Envelope schema";
  }
}

TEST(OpenApi, ExampleResponsesAreInTheEnvelope) {
  nlohmann::json doc = Doc();
  ASSERT_TRUE(doc.is_object());
  size_t checked = 0;
  for (const auto& [path, ops] : doc["paths"].items()) {
    for (const auto& [method, op] : ops.items()) {
      for (const auto& [code, resp] : op["responses"].items()) {
        if (!resp.contains("content") || !resp["content"].contains("application/json")) continue;
        const auto& c = resp["content"]["application/json"];
        if (!c.contains("example")) continue;
        CheckEnvelope(c["example"], method + " " + path + " " + code);
        ++checked;
      }
    }
  }
  for (const auto& [name, ex] :
       doc["components"]["responses"]["Error"]["content"]["application/json"]["examples"].items()) {
    CheckEnvelope(ex["value"], "error example " + name);
    EXPECT_EQ(ex["value"]["msg"], name);
    ++checked;
  }
  EXPECT_GE(checked, 25u);
}

}  // namespace
}  // namespace fundtrace
