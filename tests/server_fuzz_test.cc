// `fundtrace serve` under malformed and hostile input: thousands of random requests (bad
// addresses, huge numbers, broken JSON, path tricks, overlong headers and bodies, raw garbage on
// the socket) while slow clients dribble bytes. The server must keep answering well-formed
// requests throughout and exit cleanly at the end (under `make asan`: no leak, no UB).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <random>
#include <thread>

#include "cli_util.h"
#include "server_util.h"

namespace fundtrace::testing {
namespace {

int Connect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  timeval tv{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  return fd;
}

// Writes raw bytes and reads what comes back (until close or timeout).
std::string Raw(int port, const std::string& bytes) {
  int fd = Connect(port);
  if (fd < 0) return "";
  ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  ::shutdown(fd, SHUT_WR);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0 && out.size() < (1 << 20)) out.append(buf, n);
  ::close(fd);
  return out;
}

const char* kPaths[] = {
    "/v1/status",
    "/v1/address_labels",
    "/v1/address_overview",
    "/v2/risk_score",
    "/v3/risk_score",
    "/v1/transactions_investigation",
    "/v1/address_action",
    "/v1/address_trace",
    "/v1/address_counterparty",
    "/v2/risk_score_create_task",
    "/v2/risk_score_query_task",
    "/api/v1/search",
    "/api/v1/address",
    "/api/v1/tx",
    "/api/v1/neighbors",
    "/api/v1/trace",
    "/api/v1/trace/abc",
    "/api/v1/trace/abc/graph",
    "/api/v1/trace/abc/export",
    "/api/v1/labels",
    "/api/v1/labels/1",
    "/api/v1/screen",
    "/",
    "/openapi.json",
    "/../../../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/api/v1/../../etc/shadow",
    "//v1//status",
    "/vendor/../../../etc/hosts",
    "/app.js%00.txt",
};

std::string RandomValue(std::mt19937_64& rng) {
  static const char* kValues[] = {
      "0x098b716b8aaf21512996dc57eb0615e2383e2f96",
      "0x098B716B8AAF21512996DC57EB0615E2383E2F96",
      "0x098b716b8aaf21512996dc57eb0615e2383e2f9",
      "0xZZZ",
      "",
      "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
      "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
      "TNXoiAJ3dct8Fjg4M9fkLFh9S2v9TXc32G",
      "99999999999999999999999999999999999999",
      "-1",
      "1e308",
      "NaN",
      "%00",
      "%ff%fe",
      "'; DROP TABLE tags; --",
      "<script>alert(1)</script>",
      "../../etc/passwd",
      "ETH",
      "eth",
      "DOGE",
      "USDT-ERC20",
      "in",
      "out",
      "all",
      "svg",
      "csv",
      "json",
      "exe",
      "0x00000000000000000000000000000000000000000000000000000000000f1001",
      "9223372036854775808"};
  std::uniform_int_distribution<size_t> pick(0, std::size(kValues));
  size_t i = pick(rng);
  if (i < std::size(kValues)) return kValues[i];
  std::string junk(std::uniform_int_distribution<size_t>(0, 300)(rng), 'x');
  for (char& c : junk) c = static_cast<char>(std::uniform_int_distribution<int>(1, 255)(rng));
  static const char* kHex = "0123456789ABCDEF";
  std::string enc;
  for (unsigned char c : junk) {
    enc += '%';
    enc += kHex[c >> 4];
    enc += kHex[c & 15];
  }
  return enc;
}

std::string RandomBody(std::mt19937_64& rng) {
  static const char* kBodies[] = {
      "{",
      "[]",
      "null",
      "{\"seeds\": 5}",
      "{\"seeds\": [\"0x098b716b8aaf21512996dc57eb0615e2383e2f96\"], \"hops\": "
      "99999999999999999999}",
      "{\"seeds\": [\"0x098b716b8aaf21512996dc57eb0615e2383e2f96\"], \"hops\": 2, \"dust\": -1}",
      "{\"seeds\": [\"0x098b716b8aaf21512996dc57eb0615e2383e2f96\"], \"policy\": \"nope\"}",
      "{\"seeds\": [\"0x098b716b8aaf21512996dc57eb0615e2383e2f96\"], \"hops\": 2, \"stops\": "
      "[\"x\"]}",
      "{\"addresses\": [1, null, {}, \"0x12\"]}",
      "{\"addresses\": \"0x12\"}",
      "{\"address\": \"0x00000000000000000000000000000000000f3000\", \"label\": \"\\u0000\", "
      "\"category\": \"exchange\"}",
      "{\"address\": \"0x12\", \"label\": \"x\", \"category\": \"exchange\"}",
      "{\"coin\": \"ETH\", \"address\": [], \"api_key\": {}}",
      "\xff\xfe\xfd",
      "{\"a\":"};
  std::uniform_int_distribution<size_t> pick(0, std::size(kBodies) + 1);
  size_t i = pick(rng);
  if (i < std::size(kBodies)) return kBodies[i];
  if (i == std::size(kBodies)) return std::string(100000, '[');  // deep nesting
  std::string junk(std::uniform_int_distribution<size_t>(0, 5000)(rng), ' ');
  for (char& c : junk) c = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
  return junk;
}

TEST(ServeFuzz, KeepsAnsweringUnderThousandsOfHostileRequests) {
  TempDir dir;
  const std::string data = dir / "data";
  ASSERT_TRUE(PrepareData(data, RoninSteps()));
  const std::string key = NewApiKey(data, "fuzz", "1000000/s");
  ASSERT_FALSE(key.empty());
  ServerProcess server(data, {"--threads", "24", "--max-body", "65536"});
  const int port = server.port();
  ASSERT_GT(port, 0) << server.first_line();

  auto healthy = [&] {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(10, 0);
    auto res = c.Get("/v1/status?api_key=" + key);
    return res && res->status == 200 && res->body.find("\"success\":true") != std::string::npos;
  };
  ASSERT_TRUE(healthy());

  // Slow clients: each sends a request one byte at a time, 150 ms apart, for the whole test.
  std::atomic<bool> stop{false};
  std::vector<std::thread> slow;
  for (int s = 0; s < 6; ++s) {
    slow.emplace_back([&, s] {
      while (!stop) {
        int fd = Connect(port);
        if (fd < 0) return;
        std::string req = "GET /v1/status?api_key=" + key + "&n=" + std::to_string(s) +
                          " HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(200, 'p') + "\r\n\r\n";
        for (char c : req) {
          if (stop || ::send(fd, &c, 1, MSG_NOSIGNAL) != 1) break;
          std::this_thread::sleep_for(std::chrono::milliseconds(150));
        }
        ::close(fd);
      }
    });
  }

  std::atomic<int> answered{0}, server_errors{0};
  auto worker = [&](uint64_t seed, int count) {
    std::mt19937_64 rng(seed);
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(30, 0);
    c.set_connection_timeout(5, 0);
    for (int i = 0; i < count; ++i) {
      const int kind = std::uniform_int_distribution<int>(0, 9)(rng);
      if (kind == 0) {  // raw garbage or a broken request line on the socket
        static const char* kRaw[] = {
            "\r\n\r\n",
            "GET\r\n\r\n",
            "GET / HTTP/9.9\r\n\r\n",
            "POST /api/v1/trace HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n{",
            "POST /api/v1/trace HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "GET /v1/status HTTP/1.1\r\nHost: x\r\nX: \x01\x02\xff\r\n\r\n"};
        std::string r =
            Raw(port, kRaw[std::uniform_int_distribution<size_t>(0, std::size(kRaw) - 1)(rng)]);
        if (r.rfind("HTTP/1.1 5", 0) == 0) ++server_errors;
        continue;
      }
      std::string path =
          kPaths[std::uniform_int_distribution<size_t>(0, std::size(kPaths) - 1)(rng)];
      std::string q;
      for (const char* p : {"coin", "address", "txid", "q", "hash", "limit", "page", "format",
                            "start_timestamp", "type", "max_edges", "chain"}) {
        if (std::uniform_int_distribution<int>(0, 2)(rng) == 0) {
          q += std::string(q.empty() ? "?" : "&") + p + "=" + RandomValue(rng);
        }
      }
      if (std::uniform_int_distribution<int>(0, 4)(rng) > 0) {
        q += std::string(q.empty() ? "?" : "&") + "api_key=" + (kind == 1 ? RandomValue(rng) : key);
      }
      httplib::Headers h;
      if (kind == 2) h.emplace("X-Huge", std::string(20000, 'h'));  // beyond the header limit
      const int method = std::uniform_int_distribution<int>(0, 3)(rng);
      httplib::Result res = method == 0   ? c.Get(path + q, h)
                            : kind == 3   ? c.Post(path + q, h, std::string(200000, 'b'),
                                                   "application/json")  // > --max-body
                            : method == 1 ? c.Post(path + q, h, RandomBody(rng), "application/json")
                            : method == 2 ? c.Put(path + q, h, RandomBody(rng), "application/json")
                                          : c.Delete(path + q, h);
      if (res) {
        ++answered;
        if (res->status >= 500) {
          ++server_errors;
          ADD_FAILURE() << "HTTP " << res->status << " for " << path << q << ": " << res->body;
        }
        if (res->status == 200 && path.find("..") != std::string::npos) {
          EXPECT_EQ(res->body.find("root:"), std::string::npos) << "path traversal served a file";
        }
      }
    }
  };
  std::vector<std::thread> workers;
  const int kThreads = 6, kEach = 1000;
  for (int t = 0; t < kThreads; ++t) workers.emplace_back(worker, 1000 + t, kEach);
  for (auto& t : workers) t.join();
  // While the slow clients still hold their connections, a normal request is answered at once.
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(healthy());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
  stop = true;
  for (auto& t : slow) t.join();

  EXPECT_TRUE(server.Alive()) << "the server died";
  EXPECT_GT(answered.load(), kThreads * kEach / 2);
  EXPECT_EQ(server_errors.load(), 0);
  EXPECT_TRUE(healthy());
  int status = server.Stop();
  EXPECT_TRUE(WIFEXITED(status)) << "the server was killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0) << "non-zero exit (under ASan: a leak or memory error)";
}

// Slow clients that send half a request a byte at a time, each byte well inside the 5 s read
// timeout, hold one connection thread each for as long as they like. With a fixed pool as many
// of them as threads stopped the server (measured in bench/RESULTS.md: 64 against the old
// default of 64 threads, a normal request timed out after 20 s). The pool now grows past
// --threads when every thread is busy: three times as many slow clients as --threads, and a
// normal request is still answered at once. --max-threads is a real bound: when slow clients
// hold all of them, a normal request waits until one leaves.
class SlowClients {
 public:
  // Opens n connections that each send a request one byte every `gap`.
  SlowClients(int port, int n, std::chrono::milliseconds gap) {
    for (int i = 0; i < n; ++i) {
      threads_.emplace_back([this, port, gap, i] {
        int fd = Connect(port);
        if (fd < 0) return;
        ++connected_;
        const std::string req = "GET /v1/status?slow=" + std::to_string(i) +
                                " HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(4000, 'p');
        for (char c : req) {
          if (stop_ || ::send(fd, &c, 1, MSG_NOSIGNAL) != 1) break;
          for (auto t = std::chrono::milliseconds(0); t < gap && !stop_; t += kTick) {
            std::this_thread::sleep_for(kTick);
          }
        }
        ::close(fd);
      });
    }
  }
  ~SlowClients() { Stop(); }
  void Stop() {
    stop_ = true;
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }
  int connected() const { return connected_; }

 private:
  static constexpr std::chrono::milliseconds kTick{20};
  std::atomic<bool> stop_{false};
  std::atomic<int> connected_{0};
  std::vector<std::thread> threads_;
};

// GET /v1/status with a short client timeout; returns the seconds it took, or -1 on no answer.
double TimedStatus(int port, const std::string& key, int timeout_seconds) {
  httplib::Client c("127.0.0.1", port);
  c.set_connection_timeout(timeout_seconds, 0);
  c.set_read_timeout(timeout_seconds, 0);
  auto t0 = std::chrono::steady_clock::now();
  auto res = c.Get("/v1/status?api_key=" + key);
  if (!res || res->status != 200) return -1;
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

TEST(ServeFuzz, SlowClientsBeyondThreadsDoNotBlockOthers) {
  TempDir dir;
  const std::string data = dir / "data";
  const std::string key = NewApiKey(data, "slow", "1000000/s");  // makes the directory
  ASSERT_FALSE(key.empty());
  {
    ServerProcess server(data, {"--threads", "4"});
    ASSERT_GT(server.port(), 0) << server.first_line();
    SlowClients slow(server.port(), 12, std::chrono::milliseconds(1000));
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    ASSERT_EQ(slow.connected(), 12);
    for (int i = 0; i < 3; ++i) {
      double t = TimedStatus(server.port(), key, 5);
      EXPECT_GE(t, 0) << "no answer while 12 slow clients hold connections (--threads 4)";
      EXPECT_LT(t, 1.0) << "the answer waited for the slow clients";
    }
    slow.Stop();
    EXPECT_TRUE(server.Alive());
    int status = server.Stop();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  }
  {
    ServerProcess server(data, {"--threads", "2", "--max-threads", "4"});
    ASSERT_GT(server.port(), 0) << server.first_line();
    SlowClients slow(server.port(), 4, std::chrono::milliseconds(1000));
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    EXPECT_LT(TimedStatus(server.port(), key, 1), 0)
        << "--max-threads 4 held by 4 slow clients: the 5th connection waits";
    slow.Stop();
    double t = TimedStatus(server.port(), key, 10);
    EXPECT_GE(t, 0) << "answered once the slow clients left";
    int status = server.Stop();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  }
}

}  // namespace
}  // namespace fundtrace::testing
