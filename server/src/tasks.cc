#include "tasks.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <charconv>

namespace ultrasearch::server {
namespace json = boost::json;

class TaskManager::Control : public TaskControl {
 public:
  Control(TaskManager& manager, Task& task) : manager_(manager), task_(task) {}
  void SetStatus(json::object status) override {
    std::lock_guard<std::mutex> lock(manager_.mu_);
    task_.status = std::move(status);
  }
  bool ShouldStop() const override { return manager_.stopping_.load(); }

 private:
  TaskManager& manager_;
  Task& task_;
};

TaskManager::~TaskManager() {
  stopping_ = true;
  std::map<uint64_t, std::unique_ptr<Task>> tasks;
  {
    std::lock_guard<std::mutex> lock(mu_);
    tasks.swap(tasks_);
  }
  // Tasks hold no lock while working and finish their current batch before seeing stopping_.
  for (auto& [id, task] : tasks) {
    if (task->thread.joinable()) task->thread.join();
  }
}

uint64_t TaskManager::Start(std::string action, std::string description, Work work) {
  std::lock_guard<std::mutex> lock(mu_);
  if (running_ >= options_.max_running) {
    throw EsError(429, "es_rejected_execution_exception",
                  fmt::format("rejected execution of [{}]: {} tasks are running already, try again later", action,
                              running_));
  }
  auto task = std::make_unique<Task>();
  task->id = next_id_++;
  task->action = std::move(action);
  task->description = std::move(description);
  task->started = std::chrono::steady_clock::now();
  task->start_millis = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
  Task* raw = task.get();
  uint64_t id = raw->id;
  tasks_.emplace(id, std::move(task));
  ++running_;
  raw->thread = std::thread([this, raw, work = std::move(work)] { Run(raw, work); });
  return id;
}

void TaskManager::Run(Task* task, const Work& work) {
  Control control(*this, *task);
  std::optional<json::object> response;
  std::optional<EsError> error;
  try {
    response = work(control);
  } catch (const EsError& e) {
    error = e;
  } catch (const std::exception& e) {
    spdlog::error("task {} ({}) failed: {}", task->id, task->action, e.what());
    error = EsError(500, "exception", e.what());
  } catch (...) {
    error = EsError(500, "exception", "internal error while running the task");
  }
  std::lock_guard<std::mutex> lock(mu_);
  task->response = std::move(response);
  task->error = std::move(error);
  task->finished = std::chrono::steady_clock::now();
  task->completed = true;
  --running_;
  finished_order_.push_back(task->id);
  ForgetOldFinishedLocked();
  done_cv_.notify_all();
}

void TaskManager::ForgetOldFinishedLocked() {
  while (finished_order_.size() > options_.max_finished) {
    auto it = tasks_.find(finished_order_.front());
    finished_order_.pop_front();
    if (it == tasks_.end()) continue;
    // Finished: its thread is past its last use of mu_ (recording it as finished was that), so
    // joining under mu_ cannot deadlock and returns at once. It is never the calling thread: the
    // task being recorded now is the newest, not the oldest, as max_finished > 0.
    if (it->second->thread.joinable()) it->second->thread.join();
    tasks_.erase(it);
  }
}

json::object TaskManager::DescribeLocked(const Task& task) const {
  auto end = task.completed ? task.finished : std::chrono::steady_clock::now();
  int64_t running_nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(end - task.started).count();
  json::object info{{"node", node_id_},
                    {"id", task.id},
                    {"type", "transport"},
                    {"action", task.action},
                    {"status", task.status},
                    {"description", task.description},
                    {"start_time_in_millis", task.start_millis},
                    {"running_time_in_nanos", running_nanos},
                    {"cancellable", false},
                    {"cancelled", false},
                    {"headers", json::object()}};
  json::object out{{"completed", task.completed}, {"task", std::move(info)}};
  if (task.response) out["response"] = *task.response;
  if (task.error) out["error"] = task.error->Cause();
  return out;
}

json::object TaskManager::Describe(uint64_t id, std::chrono::milliseconds wait) {
  std::unique_lock<std::mutex> lock(mu_);
  auto missing = [&] {
    EsError e(404, "resource_not_found_exception",
              fmt::format("task [{}:{}] isn't running and hasn't stored its results", node_id_, id));
    return e;
  };
  auto it = tasks_.find(id);
  if (it == tasks_.end()) throw missing();
  if (wait.count() > 0) {
    done_cv_.wait_for(lock, wait, [&] {
      auto again = tasks_.find(id);
      return again == tasks_.end() || again->second->completed;
    });
    it = tasks_.find(id);
    if (it == tasks_.end()) throw missing();
  }
  return DescribeLocked(*it->second);
}

json::object TaskManager::Await(uint64_t id) {
  std::unique_lock<std::mutex> lock(mu_);
  Task* task = nullptr;
  done_cv_.wait(lock, [&] {
    auto it = tasks_.find(id);
    task = it == tasks_.end() ? nullptr : it->second.get();
    return task == nullptr || task->completed;
  });
  if (task == nullptr) throw EsError(500, "exception", fmt::format("task [{}:{}] was forgotten", node_id_, id));
  if (task->error) throw *task->error;
  return *task->response;
}

uint64_t TaskManager::ParseTaskId(std::string_view text) const {
  auto colon = text.rfind(':');
  uint64_t number = 0;
  std::string_view digits = colon == std::string_view::npos ? std::string_view() : text.substr(colon + 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
  if (colon == std::string_view::npos || colon == 0 || digits.empty() || ec != std::errc() ||
      end != digits.data() + digits.size()) {
    throw EsError(400, "illegal_argument_exception", fmt::format("malformed task id {}", text));
  }
  if (text.substr(0, colon) != node_id_) {
    throw EsError(404, "resource_not_found_exception",
                  fmt::format("task [{}] isn't running and hasn't stored its results", text));
  }
  return number;
}

}  // namespace ultrasearch::server
