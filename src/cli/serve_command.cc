#include "cli/serve_command.h"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <thread>

#include "cli/format.h"
#include "server/api_keys.h"
#include "server/api_server.h"

namespace fundtrace {
namespace {

struct ServeArgs {
  std::string listen = "127.0.0.1:8080";
  int threads = 64;
  int max_threads = 1024;
  double request_timeout = 10;
  std::string cors;
  bool no_auth = false;
  size_t max_body = 1 << 20;
  size_t keep_alive = 100;
};

struct KeyArgs {
  std::string name;
  std::string rate = "10/s";
};

int RunServe(const GlobalOptions& g, const ServeArgs& a) {
  ServeOptions o;
  o.data_dir = g.data_dir;
  size_t colon = a.listen.rfind(':');
  if (colon == std::string::npos || colon + 1 == a.listen.size()) {
    std::fprintf(stderr,
                 "fundtrace: --listen wants HOST:PORT, e.g. 127.0.0.1:8080 (port 0: any)\n");
    return kExitUsage;
  }
  o.host = a.listen.substr(0, colon);
  if (o.host.size() > 2 && o.host.front() == '[' && o.host.back() == ']') {
    o.host = o.host.substr(1, o.host.size() - 2);
  }
  const std::string port_text = a.listen.substr(colon + 1);
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), o.port);
  if (ec != std::errc() || end != port_text.data() + port_text.size()) o.port = -1;
  if (o.port < 0 || o.port > 65535) {
    std::fprintf(stderr, "fundtrace: --listen port must be 0..65535\n");
    return kExitUsage;
  }
  o.threads = a.threads;
  o.max_threads = std::max(a.threads, a.max_threads);
  o.request_timeout_seconds = a.request_timeout;
  o.cors_origin = a.cors;
  o.require_auth = !a.no_auth;
  o.max_body_bytes = a.max_body;
  o.keep_alive_max = a.keep_alive;

  // Signals are taken by one thread, which stops the server; the others never see them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  ApiServer server(o);
  auto port = server.Bind();
  if (!port.ok()) return ReportError(port.status());
  auto keys = ApiKeyStore::Open(g.data_dir);
  size_t valid = 0;
  if (keys.ok()) {
    for (const auto& k : keys->keys()) valid += k.revoked == 0;
  }
  char budget[32] = "none";
  if (o.request_timeout_seconds > 0) {
    std::snprintf(budget, sizeof budget, "%g s", o.request_timeout_seconds);
  }
  std::printf(
      "fundtrace serve: listening on http://%s:%d (data %s, %d-%d threads, request budget %s, "
      "%s)\n",
      o.host.c_str(), *port, g.data_dir.c_str(), o.threads, o.max_threads, budget,
      o.require_auth ? "API key required" : "no auth");
  if (o.require_auth && valid == 0) {
    std::printf(
        "note: no API keys yet: create one with `fundtrace --data %s apikey create NAME`, "
        "or run with --no-auth on a machine only you use\n",
        g.data_dir.c_str());
  }
  if (!o.require_auth && o.host != "127.0.0.1" && o.host != "localhost" && o.host != "::1") {
    std::printf("warning: --no-auth on %s: anyone who reaches this address can use the API\n",
                o.host.c_str());
  }
  std::fflush(stdout);

  std::atomic<bool> done{false};
  std::thread waiter([&] {
    timespec tick{0, 200 * 1000 * 1000};
    while (!done.load()) {
      if (sigtimedwait(&set, nullptr, &tick) > 0) {
        server.Stop();
        return;
      }
    }
  });
  Status st = server.Run();
  done = true;
  waiter.join();
  if (!st.ok()) return ReportError(st);
  std::printf("fundtrace serve: stopped\n");
  return kExitOk;
}

Result<double> ParseRate(const std::string& text) {
  std::string t = text;
  if (t.size() > 2 && t.substr(t.size() - 2) == "/s") t.resize(t.size() - 2);
  char* end = nullptr;
  double r = std::strtod(t.c_str(), &end);
  if (t.empty() || end != t.c_str() + t.size() || !(r > 0) || r > 1e9) {
    return Status::InvalidArgument("--rate '" + text + "': give requests per second, e.g. 10/s");
  }
  return r;
}

int RunKeyCreate(const GlobalOptions& g, const KeyArgs& a) {
  auto rate = ParseRate(a.rate);
  if (!rate.ok()) {
    std::fprintf(stderr, "fundtrace: %s\n", rate.status().message().c_str());
    return kExitUsage;
  }
  auto keys = ApiKeyStore::Open(g.data_dir);
  if (!keys.ok()) return ReportError(keys.status());
  auto key = keys->Create(a.name, *rate);
  if (!key.ok()) return ReportError(key.status());
  if (g.json) {
    std::printf("{\"name\": \"%s\", \"key\": \"%s\", \"rate\": %g}\n", a.name.c_str(), key->c_str(),
                *rate);
  } else {
    std::printf("%s\n", key->c_str());
    std::fprintf(stderr,
                 "Created API key '%s' (%g requests/s). It is shown only now: only its SHA-256 "
                 "is stored.\n",
                 a.name.c_str(), *rate);
  }
  return kExitOk;
}

int RunKeyList(const GlobalOptions& g) {
  auto keys = ApiKeyStore::Open(g.data_dir);
  if (!keys.ok()) return ReportError(keys.status());
  if (g.json) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& k : keys->keys()) {
      arr.push_back({{"name", k.name},
                     {"rate", k.rate},
                     {"created", k.created},
                     {"revoked", k.revoked},
                     {"sha256_prefix", k.hash.substr(0, 12)}});
    }
    std::printf("%s\n", arr.dump(1).c_str());
    return kExitOk;
  }
  Table t({"name", "rate/s", "created", "status", "sha256"}, {1});
  for (const auto& k : keys->keys()) {
    char rate[32];
    std::snprintf(rate, sizeof rate, "%g", k.rate);
    t.Add({k.name, rate, FormatTime(static_cast<uint64_t>(k.created)),
           k.revoked ? "revoked " + FormatTime(static_cast<uint64_t>(k.revoked)) : "valid",
           k.hash.substr(0, 12) + "…"});
  }
  if (keys->keys().empty()) {
    std::printf("No API keys in %s (fundtrace apikey create NAME)\n", g.data_dir.c_str());
  } else {
    std::fputs(t.ToString().c_str(), stdout);
  }
  return kExitOk;
}

int RunKeyRevoke(const GlobalOptions& g, const KeyArgs& a) {
  auto keys = ApiKeyStore::Open(g.data_dir);
  if (!keys.ok()) return ReportError(keys.status());
  Status s = keys->Revoke(a.name);
  if (!s.ok()) return ReportError(s);
  std::fprintf(stderr, "Revoked API key '%s' (a running server refuses it within a second).\n",
               a.name.c_str());
  return kExitOk;
}

}  // namespace

void AddServeCommand(CLI::App& app, GlobalOptions& g, std::function<int()>* run) {
  auto a = std::make_shared<ServeArgs>();
  auto* serve = app.add_subcommand(
      "serve",
      "Serve the REST API (MistTrack-compatible /v1 /v2 /v3 endpoints and native /api/v1) and\n"
      "the web investigation UI at /, over the data directory. docs/api.md");
  serve->add_option("--listen", a->listen,
                    "HOST:PORT to listen on (default 127.0.0.1:8080; port 0: any free)");
  serve->add_option("--threads", a->threads, "Threads kept ready for connections (default 64)")
      ->check(CLI::Range(1, 4096));
  serve
      ->add_option("--max-threads", a->max_threads,
                   "Connections served at once: threads start beyond --threads when all are\n"
                   "busy, e.g. held by slow clients (default 1024)")
      ->check(CLI::Range(1, 16384));
  serve
      ->add_option("--request-timeout", a->request_timeout,
                   "Seconds a risk score, synchronous trace, graph expansion or address page may\n"
                   "take before it is answered 504 RequestTimeout (async tasks have no budget;\n"
                   "default 10, 0 = no budget)")
      ->check(CLI::Range(0.0, 86400.0));
  serve->add_option("--cors", a->cors,
                    "Allow browsers of this origin (or *) to call the API (default: no CORS)");
  serve->add_flag(
      "--no-auth", a->no_auth,
      "Serve the API without API keys (local use only: anyone who can connect may use it)");
  serve->add_option("--max-body", a->max_body, "Largest request body in bytes (default 1048576)")
      ->check(CLI::Range(size_t{1024}, size_t{1} << 30));
  serve->add_option("--keep-alive", a->keep_alive,
                    "Requests per connection before the server closes it (default 100): with more\n"
                    "connections than threads, connections take turns")
      ->check(CLI::Range(size_t{1}, size_t{1000000}));
  serve->footer(
      "API keys are required by default, also on 127.0.0.1 (as MistTrack requires api_key):\n"
      "  fundtrace apikey create alice --rate 20/s\n"
      "  fundtrace serve --listen 127.0.0.1:8080\n"
      "  curl 'http://127.0.0.1:8080/v1/address_labels?coin=ETH&address=0x...&api_key=KEY'\n"
      "Then open http://127.0.0.1:8080/ in a browser. Stop with Ctrl-C.");
  serve->callback([run, &g, a] { *run = [&g, a] { return RunServe(g, *a); }; });

  auto k = std::make_shared<KeyArgs>();
  auto* apikey =
      app.add_subcommand("apikey", "Create, list and revoke the API keys `serve` accepts");
  apikey->require_subcommand(1);
  auto* create =
      apikey->add_subcommand("create", "Create a key and print it (shown once; stored hashed)");
  create->add_option("name", k->name, "A name for the key (who or what uses it)")->required();
  create->add_option("--rate", k->rate, "Requests per second allowed (token bucket; default 10/s)");
  create->callback([run, &g, k] { *run = [&g, k] { return RunKeyCreate(g, *k); }; });
  auto* list = apikey->add_subcommand("list", "List the keys (names, rates, created, revoked)");
  list->callback([run, &g] { *run = [&g] { return RunKeyList(g); }; });
  auto* revoke = apikey->add_subcommand("revoke", "Revoke a key by name");
  revoke->add_option("name", k->name, "The key's name")->required();
  revoke->callback([run, &g, k] { *run = [&g, k] { return RunKeyRevoke(g, *k); }; });
}

}  // namespace fundtrace
