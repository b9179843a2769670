// The threads that serve the server's connections (cpp-httplib hands each accepted connection to
// its task queue; a thread then serves that connection until it closes). A fixed pool lets as
// many slow clients as it has threads (each sending a request a byte at a time, just inside the
// read timeout) hold every thread while the requests of everyone else wait. This pool keeps
// `min_threads` ready and starts another thread whenever a connection arrives and none is idle,
// up to `max_threads`: slow clients then cost one thread each instead of the server, until
// max_threads of them are connected at once.
//
// Thread-safety: enqueue and shutdown may be called from any thread (cpp-httplib calls enqueue
// from its accept loop and shutdown when it stops).
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace fundtrace {

class ConnectionPool final : public httplib::TaskQueue {
 public:
  // REQUIRES: 1 <= min_threads <= max_threads.
  ConnectionPool(size_t min_threads, size_t max_threads);
  ~ConnectionPool() override;
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Queues one connection's work; starts a thread when none is idle and the pool is below
  // max_threads. Threads started stay until shutdown.
  void enqueue(std::function<void()> fn) override;
  // Lets the threads finish the queued work, then joins them. Idempotent.
  void shutdown() override;

  size_t threads() const;

 private:
  void StartThreadLocked();
  void Work();

  const size_t max_threads_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  size_t idle_ = 0;  // threads waiting for work
  bool shutdown_ = false;
};

}  // namespace fundtrace
