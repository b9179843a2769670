// `fundtrace serve`: the REST API (MistTrack-shaped endpoints under /v1, /v2, /v3 and native
// ones under /api/v1, described by /openapi.json) and the web UI at /, over one data directory.
// Built on cpp-httplib: a pool of `threads` threads, each serving one connection at a time.
//
// Auth: every API route needs a key (api_key parameter, X-Api-Key header or "Authorization:
// Bearer KEY") unless `require_auth` is off (`--no-auth`, for local use); the web UI, its assets
// and /openapi.json are open. Each key has its own token-bucket rate limit.
// Limits: request bodies above max_body_bytes are refused (413), a connection that sends nothing
// for read_timeout is closed, request lines and header lines above 8 KiB are refused
// (cpp-httplib), synchronous work has a time budget (request_timeout_seconds: 504), and the
// connection threads grow up to max_threads when slow clients hold them (connection_pool.h).
// CORS headers are sent only for `cors_origin` (off by default).
//
// Thread-safety: Stop() may be called from any thread; the rest from the owning thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "server/api_call.h"
#include "server/api_keys.h"
#include "server/data_context.h"
#include "server/rate_limiter.h"
#include "server/task_registry.h"
#include "util/status.h"

namespace httplib {
class Server;
}

namespace fundtrace {

struct ServeOptions {
  std::string data_dir = "fundtrace-data";
  std::string host = "127.0.0.1";
  int port = 8080;          // 0: any free port (see ApiServer::port())
  int threads = 64;         // threads kept ready to serve connections
  // More threads start when connections arrive and none is idle (slow clients hold one each),
  // up to this many connections served at once; beyond it, connections wait (connection_pool.h).
  int max_threads = 1024;
  std::string cors_origin;  // "" = no CORS headers; "*" or an origin
  bool require_auth = true;
  size_t max_body_bytes = 1 << 20;
  int read_timeout_seconds = 5;
  int write_timeout_seconds = 10;
  size_t keep_alive_max = 100;  // requests per connection, then it is closed (threads rotate)
  size_t max_screen = 10000;                // addresses per screening request
  size_t sync_trace_max_addresses = 20000;  // bigger traces run as tasks
  int task_workers = 2;
  size_t max_queued_tasks = 64;
  size_t max_tasks = 1000;
  // Time budget of a request's synchronous work (risk scores, sync traces, graph expansion,
  // address pages), in seconds; beyond it the request gets 504 RequestTimeout and the client is
  // pointed to the async routes. 0 = no budget.
  double request_timeout_seconds = 10;
};

// One registered route, as /openapi.json must list it.
struct RouteInfo {
  std::string method;  // "GET", "POST", "PUT", "DELETE"
  std::string path;    // OpenAPI template, e.g. "/api/v1/trace/{id}"
  bool auth = true;
};

class ApiServer {
 public:
  explicit ApiServer(ServeOptions options);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Reads the API keys and binds the socket. Returns the port. Errors: IOError when the address
  // cannot be bound, Corruption for a damaged key file.
  Result<int> Bind();
  // Serves until Stop(). REQUIRES: Bind() succeeded.
  Status Run();
  void Stop();
  int port() const { return port_; }
  const std::vector<RouteInfo>& routes() const { return routes_; }

  // For the route files (misttrack_routes.cc, native_routes.cc, web_routes.cc).
  using Handler = std::function<void(ApiCall&)>;
  // Registers an API route. `misttrack`: answer errors as MistTrack does (HTTP 200).
  // `rate_limited`: counts against the key's rate limit.
  void Api(const char* method, const std::string& path, bool misttrack, bool rate_limited,
           Handler handler);
  // Registers an open route that answers with its own content (web assets, /openapi.json).
  void Open(const std::string& path,
            std::function<void(const httplib::Request&, httplib::Response&)> handler);
  DataContext& data() { return data_; }
  TaskRegistry& tasks() { return tasks_; }
  const ServeOptions& options() const { return options_; }

 private:
  // Checks the key and the rate limit; on failure answers the call and returns false.
  bool Admit(ApiCall& call, bool rate_limited);
  std::optional<ApiKeyInfo> LookupKey(const std::string& key);

  ServeOptions options_;
  std::chrono::nanoseconds request_budget_;  // 0: none
  std::unique_ptr<httplib::Server> http_;
  DataContext data_;
  TaskRegistry tasks_;
  RateLimiter limiter_;
  std::mutex keys_mu_;
  std::unique_ptr<ApiKeyStore> keys_;
  std::chrono::steady_clock::time_point keys_checked_{};
  std::vector<RouteInfo> routes_;
  int port_ = 0;
};

void AddMisttrackRoutes(ApiServer& server);
void AddNativeRoutes(ApiServer& server);
void AddWebRoutes(ApiServer& server);

}  // namespace fundtrace
