#include "write_executor.h"

#include <boost/asio/post.hpp>

namespace ultrasearch::server {

bool WriteExecutor::Submit(std::function<void()> task) {
  if (queued_.fetch_add(1) >= max_queued_) {
    queued_.fetch_sub(1);
    return false;
  }
  boost::asio::post(pool_, [this, task = std::move(task)] {
    task();
    queued_.fetch_sub(1);
  });
  return true;
}

}  // namespace ultrasearch::server
