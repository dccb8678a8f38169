// Long-running requests as Elasticsearch tasks: _reindex, _delete_by_query, _update_by_query and
// the text-index rebuild run on a thread of their own (never on the I/O threads nor the write
// pool), publish their progress as the task's `status`, and keep their outcome for GET /_tasks/ID.
#pragma once

#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "es_errors.h"

namespace ultrasearch::server {

// What a running task's work sees: where to publish progress, and whether it was asked to stop.
class TaskControl {
 public:
  virtual ~TaskControl() = default;
  // Replaces the task's status (GET /_tasks shows it under task.status). Thread-safe.
  virtual void SetStatus(boost::json::object status) = 0;
  // True once the server is shutting down; work stops at its next batch.
  virtual bool ShouldStop() const = 0;
};

class TaskManager {
 public:
  // The work of a task: returns the response body, or throws EsError (kept as the task's error).
  using Work = std::function<boost::json::object(TaskControl&)>;

  struct Options {
    size_t max_running = 4;     // more are refused with 429 es_rejected_execution_exception
    size_t max_finished = 256;  // finished tasks kept for GET /_tasks (oldest forgotten first)
  };
  explicit TaskManager(Options options) : options_(options) {}
  // Asks running tasks to stop and waits for them.
  ~TaskManager();
  // Asks running tasks to stop at their next batch (server shutdown); does not wait.
  void RequestStop() { stopping_ = true; }
  TaskManager(const TaskManager&) = delete;
  TaskManager& operator=(const TaskManager&) = delete;

  // Set once before the server starts: the node id task ids begin with ("node:number").
  void set_node_id(std::string node_id) { node_id_ = std::move(node_id); }
  const std::string& node_id() const { return node_id_; }

  // Starts `work` on a new thread; returns the task's number. `action` is Elasticsearch's action
  // name ("indices:data/write/reindex"), `description` what GET /_tasks shows. Throws 429 when
  // max_running tasks are running.
  uint64_t Start(std::string action, std::string description, Work work);

  // Waits for task `id` to finish (at most `timeout`) and returns GET /_tasks/ID's body, as
  // Elasticsearch answers it: {"completed", "task":{...}, "response"|"error"}. Throws 404
  // resource_not_found_exception for an unknown task.
  boost::json::object Describe(uint64_t id, std::chrono::milliseconds wait = std::chrono::milliseconds(0));

  // Waits for task `id` and returns its response; rethrows its error.
  boost::json::object Await(uint64_t id);

  // "nodeId:123" → 123. Throws 400 illegal_argument_exception ("malformed task id ...") when the
  // text is not a task id, 404 when it names another node.
  uint64_t ParseTaskId(std::string_view text) const;

 private:
  struct Task {
    uint64_t id = 0;
    std::string action, description;
    int64_t start_millis = 0;  // wall clock
    std::chrono::steady_clock::time_point started;
    std::chrono::steady_clock::time_point finished;
    boost::json::object status;                 // guarded by mu_
    std::optional<boost::json::object> response;  // guarded by mu_; set when completed
    std::optional<EsError> error;                 // guarded by mu_; set when failed
    bool completed = false;                       // guarded by mu_
    std::thread thread;
  };
  class Control;

  void Run(Task* task, const Work& work);
  boost::json::object DescribeLocked(const Task& task) const;
  void ForgetOldFinishedLocked();

  const Options options_;
  std::string node_id_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mu_;
  std::condition_variable done_cv_;
  uint64_t next_id_ = 1;                               // guarded by mu_
  size_t running_ = 0;                                 // guarded by mu_
  std::map<uint64_t, std::unique_ptr<Task>> tasks_;    // guarded by mu_
  std::deque<uint64_t> finished_order_;                // guarded by mu_
};

}  // namespace ultrasearch::server
