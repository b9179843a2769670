#include "server/task_registry.h"

#include <openssl/rand.h>

#include <ctime>

namespace fundtrace {

const char* TaskStateName(TaskState s) {
  switch (s) {
    case TaskState::kQueued:
      return "queued";
    case TaskState::kRunning:
      return "running";
    case TaskState::kDone:
      return "done";
  }
  return "?";
}

TaskRegistry::TaskRegistry(int workers, size_t max_queued, size_t max_tasks,
                           std::chrono::seconds keep)
    : max_queued_(max_queued), max_tasks_(max_tasks), keep_(keep) {
  for (int i = 0; i < std::max(1, workers); ++i) workers_.emplace_back([this] { Work(); });
}

TaskRegistry::~TaskRegistry() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    queue_.clear();
  }
  cv_.notify_all();
  for (auto& t : workers_) t.join();
}

std::string TaskRegistry::NewIdLocked() {
  static constexpr char kHex[] = "0123456789abcdef";
  for (;;) {
    unsigned char raw[8];
    if (RAND_bytes(raw, sizeof raw) != 1) {
      uint64_t t = static_cast<uint64_t>(std::time(nullptr)) ^ reinterpret_cast<uintptr_t>(raw);
      for (size_t i = 0; i < sizeof raw; ++i) raw[i] = static_cast<unsigned char>(t >> (8 * i));
    }
    std::string id;
    for (unsigned char b : raw) {
      id += kHex[b >> 4];
      id += kHex[b & 15];
    }
    if (!tasks_.count(id)) return id;
  }
}

void TaskRegistry::EvictLocked() {
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  // Expired first, then the oldest finished while over the cap.
  for (auto it = tasks_.begin(); it != tasks_.end();) {
    const TaskSnapshot& s = it->second->snap;
    if (s.state == TaskState::kDone && now - s.finished > keep_.count()) {
      auto k = by_key_.find(s.key);
      if (k != by_key_.end() && k->second == s.id) by_key_.erase(k);
      it = tasks_.erase(it);
    } else {
      ++it;
    }
  }
  while (tasks_.size() >= max_tasks_) {
    auto oldest = tasks_.end();
    for (auto it = tasks_.begin(); it != tasks_.end(); ++it) {
      if (it->second->snap.state != TaskState::kDone) continue;
      if (oldest == tasks_.end() || it->second->snap.finished < oldest->second->snap.finished) {
        oldest = it;
      }
    }
    if (oldest == tasks_.end()) break;
    auto k = by_key_.find(oldest->second->snap.key);
    if (k != by_key_.end() && k->second == oldest->first) by_key_.erase(k);
    tasks_.erase(oldest);
  }
}

std::optional<std::string> TaskRegistry::Submit(const std::string& kind, const std::string& key,
                                                std::function<TaskOutcome()> fn) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!key.empty()) {
    auto k = by_key_.find(key);
    if (k != by_key_.end()) {
      auto t = tasks_.find(k->second);
      if (t != tasks_.end() && t->second->snap.state != TaskState::kDone) return t->first;
    }
  }
  if (queue_.size() >= max_queued_ || stopping_) return std::nullopt;
  EvictLocked();
  if (tasks_.size() >= max_tasks_) return std::nullopt;  // all running or queued
  auto t = std::make_shared<Task>();
  t->snap.id = NewIdLocked();
  t->snap.kind = kind;
  t->snap.key = key;
  t->snap.created = static_cast<int64_t>(std::time(nullptr));
  t->fn = std::move(fn);
  tasks_[t->snap.id] = t;
  if (!key.empty()) by_key_[key] = t->snap.id;
  queue_.push_back(t);
  cv_.notify_one();
  return t->snap.id;
}

std::string TaskRegistry::AddFinished(const std::string& kind, const std::string& key,
                                      TaskOutcome outcome) {
  std::lock_guard<std::mutex> lock(mu_);
  EvictLocked();
  auto t = std::make_shared<Task>();
  t->snap.id = NewIdLocked();
  t->snap.kind = kind;
  t->snap.key = key;
  t->snap.created = t->snap.finished = static_cast<int64_t>(std::time(nullptr));
  t->snap.state = TaskState::kDone;
  t->snap.outcome = std::make_shared<const TaskOutcome>(std::move(outcome));
  tasks_[t->snap.id] = t;
  if (!key.empty()) by_key_[key] = t->snap.id;
  return t->snap.id;
}

std::optional<TaskSnapshot> TaskRegistry::Find(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = tasks_.find(id);
  if (it == tasks_.end()) return std::nullopt;
  return it->second->snap;
}

std::optional<TaskSnapshot> TaskRegistry::FindByKey(const std::string& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto k = by_key_.find(key);
  if (k == by_key_.end()) return std::nullopt;
  auto it = tasks_.find(k->second);
  if (it == tasks_.end()) return std::nullopt;
  return it->second->snap;
}

void TaskRegistry::Work() {
  for (;;) {
    std::shared_ptr<Task> t;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      t = queue_.front();
      queue_.pop_front();
      t->snap.state = TaskState::kRunning;
    }
    TaskOutcome out = t->fn();
    std::lock_guard<std::mutex> lock(mu_);
    t->fn = nullptr;
    t->snap.outcome = std::make_shared<const TaskOutcome>(std::move(out));
    t->snap.finished = static_cast<int64_t>(std::time(nullptr));
    t->snap.state = TaskState::kDone;
  }
}

}  // namespace fundtrace
