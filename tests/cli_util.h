// Helpers for end-to-end tests that run the fundtrace binary as a user would.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace fundtrace::testing {

struct CliResult {
  int exit_code = -1;
  int signal = 0;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs `fundtrace <args>` through the shell, with `env` (e.g. "FUNDTRACE_CRASH_AT=x") prefixed.
inline CliResult RunCli(const std::string& args, const std::string& env = "") {
  static int counter = 0;
  std::string err_path = std::filesystem::temp_directory_path() /
                         ("fundtrace-cli-err-" + std::to_string(::getpid()) + "-" +
                          std::to_string(counter++));
  std::string cmd = env + " " FUNDTRACE_BINARY " --no-progress " + args + " 2>" + err_path;
  CliResult r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int status = ::pclose(p);
  if (WIFEXITED(status)) {
    r.exit_code = WEXITSTATUS(status);
    // The shell reports a child killed by signal N as exit 128 + N.
    if (r.exit_code > 128) r.signal = r.exit_code - 128;
  }
  FILE* e = std::fopen(err_path.c_str(), "r");
  if (e != nullptr) {
    while ((n = std::fread(buf.data(), 1, buf.size(), e)) > 0) r.err.append(buf.data(), n);
    std::fclose(e);
  }
  std::filesystem::remove(err_path);
  return r;
}

inline nlohmann::json Json(const CliResult& r) {
  return nlohmann::json::parse(r.out, nullptr, false);
}

// A fresh directory under the temp dir, removed on destruction.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("fundtrace-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string path() const { return path_.string(); }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline std::string TestData(const std::string& rel) { return std::string(FUNDTRACE_TEST_DATA) + "/" + rel; }
inline std::string SharedData(const std::string& rel) { return std::string(FUNDTRACE_SHARED_DATA) + "/" + rel; }
inline bool HaveShared(const std::string& rel) { return std::filesystem::exists(SharedData(rel)); }

}  // namespace fundtrace::testing
