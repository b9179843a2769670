#include "server/api_server.h"

#include <httplib.h>

#include <regex>

#include "server/connection_pool.h"

namespace fundtrace {
namespace {

constexpr auto kKeyRecheck = std::chrono::seconds(1);

// "/api/v1/trace/{id}" -> "/api/v1/trace/([^/]+)"
std::string PathPattern(const std::string& path) {
  static const std::regex kParam(R"(\{[a-z_]+\})");
  return std::regex_replace(path, kParam, "([^/]+)");
}

bool IsApiPath(const std::string& path) {
  return path.rfind("/v1/", 0) == 0 || path.rfind("/v2/", 0) == 0 || path.rfind("/v3/", 0) == 0 ||
         path.rfind("/api/", 0) == 0;
}

}  // namespace

ApiServer::ApiServer(ServeOptions options)
    : options_(std::move(options)),
      request_budget_(std::chrono::duration_cast<std::chrono::nanoseconds>(
          std::chrono::duration<double>(std::max(0.0, options_.request_timeout_seconds)))),
      http_(std::make_unique<httplib::Server>()),
      data_(options_.data_dir),
      tasks_(options_.task_workers, options_.max_queued_tasks, options_.max_tasks) {
  AddMisttrackRoutes(*this);
  AddNativeRoutes(*this);
  AddWebRoutes(*this);
}

ApiServer::~ApiServer() { Stop(); }

void ApiServer::Api(const char* method, const std::string& path, bool misttrack, bool rate_limited,
                    Handler handler) {
  routes_.push_back({method, path, true});
  auto fn = [this, misttrack, rate_limited, h = std::move(handler)](const httplib::Request& req,
                                                                    httplib::Response& res) {
    ApiCall call(req, res, misttrack);
    call.set_deadline(Deadline::After(request_budget_));
    if (call.done()) return;
    if (!Admit(call, rate_limited)) return;
    // The view's stores read under this request's deadline while the handler runs.
    RequestDeadlineScope scope(call.deadline());
    h(call);
    if (!call.done()) call.Fail(500, kInternalError, "the handler gave no answer");
  };
  const std::string pattern = PathPattern(path);
  const std::string m = method;
  if (m == "GET")
    http_->Get(pattern, fn);
  else if (m == "POST")
    http_->Post(pattern, fn);
  else if (m == "PUT")
    http_->Put(pattern, fn);
  else if (m == "DELETE")
    http_->Delete(pattern, fn);
}

void ApiServer::Open(const std::string& path,
                     std::function<void(const httplib::Request&, httplib::Response&)> handler) {
  routes_.push_back({"GET", path, false});
  http_->Get(PathPattern(path), std::move(handler));
}

std::optional<ApiKeyInfo> ApiServer::LookupKey(const std::string& key) {
  const std::string hash = ApiKeyStore::HashKey(key);
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(keys_mu_);
  if (!keys_) return std::nullopt;
  // Keys created or revoked by `fundtrace apikey` while we run: look at the file once a second.
  if (now - keys_checked_ >= kKeyRecheck) {
    keys_checked_ = now;
    auto r = keys_->Refresh();
    if (!r.ok()) std::fprintf(stderr, "fundtrace serve: %s\n", r.status().message().c_str());
  }
  return keys_->FindHash(hash);
}

bool ApiServer::Admit(ApiCall& call, bool rate_limited) {
  if (!options_.require_auth) return true;
  const httplib::Request& req = call.req();
  std::string key = call.ParamOr("api_key", "");
  if (key.empty()) key = req.get_header_value("X-Api-Key");
  if (key.empty()) {
    const std::string auth = req.get_header_value("Authorization");
    if (auth.rfind("Bearer ", 0) == 0) key = auth.substr(7);
  }
  if (key.empty() || key.size() > 256) {
    call.Fail(401, kInvalidApiKey,
              "this server needs an API key (api_key parameter, X-Api-Key "
              "header): create one with `fundtrace apikey create NAME`");
    return false;
  }
  auto info = LookupKey(key);
  if (!info) {
    call.Fail(401, kInvalidApiKey, "unknown or revoked API key");
    return false;
  }
  if (rate_limited) {
    double wait = limiter_.Take(info->hash, info->rate);
    if (wait > 0) {
      call.RateLimited(wait);
      return false;
    }
  }
  return true;
}

Result<int> ApiServer::Bind() {
  {
    auto keys = ApiKeyStore::Open(options_.data_dir);
    if (!keys.ok()) return keys.status();
    std::lock_guard<std::mutex> lock(keys_mu_);
    keys_ = std::make_unique<ApiKeyStore>(std::move(keys).value());
  }
  httplib::Server& s = *http_;
  const size_t threads = static_cast<size_t>(std::max(1, options_.threads));
  const size_t max_threads =
      std::max(threads, static_cast<size_t>(std::max(1, options_.max_threads)));
  s.new_task_queue = [threads, max_threads] { return new ConnectionPool(threads, max_threads); };
  s.set_read_timeout(options_.read_timeout_seconds, 0);
  s.set_write_timeout(options_.write_timeout_seconds, 0);
  s.set_keep_alive_max_count(options_.keep_alive_max);
  s.set_keep_alive_timeout(5);
  s.set_payload_max_length(options_.max_body_bytes);
  s.set_tcp_nodelay(true);
  const std::string cors = options_.cors_origin;
  s.set_post_routing_handler([cors](const httplib::Request&, httplib::Response& res) {
    res.set_header("X-Content-Type-Options", "nosniff");
    if (!cors.empty()) {
      res.set_header("Access-Control-Allow-Origin", cors);
      res.set_header("Vary", "Origin");
    }
  });
  if (!cors.empty()) {
    s.Options(".*", [cors](const httplib::Request&, httplib::Response& res) {
      res.status = 204;
      res.set_header("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
      res.set_header("Access-Control-Allow-Headers", "Content-Type, X-Api-Key, Authorization");
      res.set_header("Access-Control-Max-Age", "600");
    });
  }
  s.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    std::string msg = res.status == 404   ? "PageNotFound"
                      : res.status == 413 ? "RequestTooLarge"
                      : res.status == 400 ? kInvalidParameter
                                          : "HttpError";
    if (IsApiPath(req.path) || res.status != 404) {
      nlohmann::json j = {
          {"success", false}, {"msg", msg}, {"detail", "HTTP " + std::to_string(res.status)}};
      res.set_content(j.dump(), "application/json");
    } else {
      res.set_content("Not found\n", "text/plain");
    }
  });
  s.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    nlohmann::json j = {{"success", false},
                        {"msg", kInternalError},
                        {"detail", "the request failed inside the server"}};
    res.set_content(j.dump(), "application/json");
  });
  int port = 0;
  if (options_.port == 0) {
    port = s.bind_to_any_port(options_.host);
  } else {
    port = s.bind_to_port(options_.host, options_.port) ? options_.port : -1;
  }
  if (port <= 0) {
    return Status::IOError("cannot listen on " + options_.host + ":" +
                           std::to_string(options_.port) +
                           " (in use, or not an address of this machine?)");
  }
  port_ = port;
  return port;
}

Status ApiServer::Run() {
  if (!http_->listen_after_bind()) {
    return Status::IOError("the server stopped listening on port " + std::to_string(port_));
  }
  return Status::OK();
}

void ApiServer::Stop() {
  if (http_) http_->stop();
}

}  // namespace fundtrace
