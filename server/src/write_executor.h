// Runs writes (document, bulk, refresh and index-management requests) on a small bounded pool, so
// an fsync-bound bulk or a text-index commit never stalls the I/O threads that serve searches.
// When the queue is full a write is refused (429 es_rejected_execution_exception), as
// Elasticsearch's write thread pool does.
#pragma once

#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <cstddef>
#include <functional>

namespace ultrasearch::server {

class WriteExecutor {
 public:
  WriteExecutor(size_t threads, size_t max_queued) : pool_(threads), max_queued_(max_queued) {}
  ~WriteExecutor() { pool_.join(); }

  // Queues `task`; false (and nothing queued) when max_queued tasks are already waiting or running.
  bool Submit(std::function<void()> task);
  size_t max_queued() const { return max_queued_; }

 private:
  boost::asio::thread_pool pool_;
  const size_t max_queued_;
  std::atomic<size_t> queued_{0};
};

}  // namespace ultrasearch::server
