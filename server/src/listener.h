// Accepts connections and starts a Session (on its own strand) for each.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>

#include "server_context.h"
#include "session.h"
#include "ultrasearch/status.h"

namespace ultrasearch::server {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(boost::asio::io_context& ioc, ServerContext& ctx, SessionRegistry& registry);

  // Opens, binds and listens. IOError when the address cannot be bound.
  Status Open(const boost::asio::ip::tcp::endpoint& endpoint);
  uint16_t port() const;

  void Run();
  // Stops accepting (thread-safe).
  void Stop();

 private:
  void DoAccept();
  void OnAccept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  ServerContext& ctx_;
  SessionRegistry& registry_;
};

}  // namespace ultrasearch::server
