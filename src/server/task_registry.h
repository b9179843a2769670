// Background work of the server, kept in memory: traces too big to answer at once and
// MistTrack's asynchronous risk scores. A task has a random id (and optionally a key, such as
// "risk:eth:<address>", under which MistTrack's query_task finds it), runs on one of a few
// worker threads, and is kept for `keep` after it finishes (at most `max_tasks` tasks in all;
// the oldest finished ones go first). Tasks are lost on restart, as their inputs are not.
//
// Thread-safety: all methods may be called concurrently. The destructor waits for running
// tasks and drops queued ones.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "util/status.h"

namespace fundtrace {

struct StoredTrace;  // trace_service.h

// What a finished task produced: an answer (data) or an error (msg, detail, http status).
struct TaskOutcome {
  bool ok = true;
  nlohmann::json data;
  std::string msg, detail;
  int http = 200;
  std::shared_ptr<const StoredTrace> trace;  // traces only
};

enum class TaskState { kQueued, kRunning, kDone };
const char* TaskStateName(TaskState s);

struct TaskSnapshot {
  std::string id, kind, key;
  TaskState state = TaskState::kQueued;
  int64_t created = 0, finished = 0;           // unix seconds
  std::shared_ptr<const TaskOutcome> outcome;  // set when kDone
};

class TaskRegistry {
 public:
  TaskRegistry(int workers, size_t max_queued, size_t max_tasks,
               std::chrono::seconds keep = std::chrono::hours(1));
  ~TaskRegistry();
  TaskRegistry(const TaskRegistry&) = delete;
  TaskRegistry& operator=(const TaskRegistry&) = delete;

  // Queues `fn`. Returns the task id, or nullopt when `max_queued` tasks are already waiting.
  // A task with the same non-empty key that is queued or running is returned instead of
  // starting another; a finished one is replaced.
  std::optional<std::string> Submit(const std::string& kind, const std::string& key,
                                    std::function<TaskOutcome()> fn);
  // Records work done in the caller's thread as a finished task; returns its id.
  std::string AddFinished(const std::string& kind, const std::string& key, TaskOutcome outcome);
  std::optional<TaskSnapshot> Find(const std::string& id) const;
  std::optional<TaskSnapshot> FindByKey(const std::string& key) const;

 private:
  struct Task {
    TaskSnapshot snap;
    std::function<TaskOutcome()> fn;
  };
  std::string NewIdLocked();
  void EvictLocked();
  void Work();

  const size_t max_queued_, max_tasks_;
  const std::chrono::seconds keep_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::map<std::string, std::shared_ptr<Task>> tasks_;
  std::map<std::string, std::string> by_key_;
  std::deque<std::shared_ptr<Task>> queue_;
  std::vector<std::thread> workers_;
};

}  // namespace fundtrace
