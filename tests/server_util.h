// Runs `fundtrace serve` as a child process for end-to-end tests: on 127.0.0.1 and a free port
// the server picks itself (--listen 127.0.0.1:0; the port is read from its first line), stopped
// with SIGTERM, its exit status checked (under ASan a leak or error makes it non-zero).
// $FUNDTRACE_SERVE_BINARY, when set, is the binary run as the server (e.g. an ASan build's).
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "cli_util.h"

namespace fundtrace::testing {

// Runs `fundtrace --data DATA STEP` for each step; a failing step fails the test (false).
inline bool PrepareData(const std::string& data, const std::vector<std::string>& steps) {
  for (const auto& step : steps) {
    auto r = RunCli("--data " + data + " " + step);
    if (r.exit_code != 0) {
      ADD_FAILURE() << step << ": " << r.err;
      return false;
    }
  }
  return true;
}

// What most server tests start from: the OFAC labels and the Ronin payout fixture.
inline std::vector<std::string> RoninSteps() {
  return {"labels import ofac " + TestData("labels/ofac") + " --as-of 2024-09-27",
          "ingest etherscan " + TestData("risk/ronin_payout.csv")};
}

// Creates API key `name` with `rate` (e.g. "1000/s") and returns it ("" and a test failure when
// it could not).
inline std::string NewApiKey(const std::string& data, const std::string& name,
                             const std::string& rate) {
  auto k = RunCli("--data " + data + " apikey create " + name + " --rate " + rate);
  if (k.exit_code != 0) {
    ADD_FAILURE() << "apikey create: " << k.err;
    return "";
  }
  return k.out.substr(0, k.out.find('\n'));
}

class ServerProcess {
 public:
  // Starts `fundtrace --data DATA serve --listen 127.0.0.1:0 EXTRA...`; port() is 0 on failure.
  ServerProcess(const std::string& data, const std::vector<std::string>& extra) {
    int out[2];
    if (::pipe(out) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], 1);
      ::close(out[0]);
      ::close(out[1]);
      const char* bin = std::getenv("FUNDTRACE_SERVE_BINARY");
      std::vector<std::string> args = {
          bin && *bin ? bin : FUNDTRACE_BINARY, "--data", data, "serve", "--listen", "127.0.0.1:0"};
      args.insert(args.end(), extra.begin(), extra.end());
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    out_ = ::fdopen(out[0], "r");
    char line[512];
    if (out_ && std::fgets(line, sizeof line, out_)) {
      first_line_ = line;
      size_t p = first_line_.find("127.0.0.1:");
      if (p != std::string::npos) port_ = std::atoi(first_line_.c_str() + p + 10);
    }
  }
  ~ServerProcess() {
    Stop();
    if (out_) std::fclose(out_);
  }
  int port() const { return port_; }
  const std::string& first_line() const { return first_line_; }
  // Whether the process is still running.
  bool Alive() {
    if (pid_ <= 0 || exited_) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      exited_ = true;
      status_ = status;
      return false;
    }
    return true;
  }
  // Sends SIGTERM and waits (up to 60 s). Returns the exit status as waitpid reports it.
  int Stop() {
    if (pid_ <= 0) return -1;
    if (!exited_) {
      ::kill(pid_, SIGTERM);
      for (int i = 0; i < 600 && Alive(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (!exited_) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status_, 0);
        exited_ = true;
      }
    }
    return status_;
  }

 private:
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  std::string first_line_;
  int port_ = 0;
  bool exited_ = false;
  int status_ = -1;
};

}  // namespace fundtrace::testing
