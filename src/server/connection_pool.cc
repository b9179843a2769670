#include "server/connection_pool.h"

namespace fundtrace {

ConnectionPool::ConnectionPool(size_t min_threads, size_t max_threads)
    : max_threads_(max_threads < min_threads ? min_threads : max_threads) {
  std::lock_guard<std::mutex> lock(mu_);
  threads_.reserve(min_threads);
  for (size_t i = 0; i < min_threads; ++i) StartThreadLocked();
}

ConnectionPool::~ConnectionPool() { shutdown(); }

void ConnectionPool::StartThreadLocked() {
  threads_.emplace_back([this] { Work(); });
}

void ConnectionPool::enqueue(std::function<void()> fn) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    jobs_.push_back(std::move(fn));
    // More queued connections than idle threads: every thread is busy (maybe with a slow
    // client); another one takes this connection now instead of after them.
    if (!shutdown_ && jobs_.size() > idle_ && threads_.size() < max_threads_) StartThreadLocked();
  }
  cv_.notify_one();
}

void ConnectionPool::shutdown() {
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mu_);
    shutdown_ = true;
    threads.swap(threads_);
  }
  cv_.notify_all();
  for (auto& t : threads) t.join();
}

size_t ConnectionPool::threads() const {
  std::lock_guard<std::mutex> lock(mu_);
  return threads_.size();
}

void ConnectionPool::Work() {
  for (;;) {
    std::function<void()> fn;
    {
      std::unique_lock<std::mutex> lock(mu_);
      ++idle_;
      cv_.wait(lock, [this] { return !jobs_.empty() || shutdown_; });
      --idle_;
      if (jobs_.empty()) return;  // shut down and nothing left
      fn = std::move(jobs_.front());
      jobs_.pop_front();
    }
    fn();
  }
}

}  // namespace fundtrace
