#include "listener.h"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace ultrasearch::server {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

Listener::Listener(net::io_context& ioc, ServerContext& ctx, SessionRegistry& registry)
    : ioc_(ioc),
      acceptor_(net::make_strand(ioc)),
      retry_timer_(acceptor_.get_executor()),
      ctx_(ctx),
      registry_(registry) {}

Status Listener::Open(const tcp::endpoint& endpoint) {
  beast::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::IOError(
        fmt::format("cannot listen on {}:{}: {}", endpoint.address().to_string(), endpoint.port(), ec.message()));
  }
  return Status::OK();
}

uint16_t Listener::port() const {
  beast::error_code ec;
  auto ep = acceptor_.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void Listener::Run() { DoAccept(); }

void Listener::Stop() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    beast::error_code ec;
    self->retry_timer_.cancel();
    self->acceptor_.close(ec);
  });
}

void Listener::DoAccept() {
  acceptor_.async_accept(net::make_strand(ioc_), beast::bind_front_handler(&Listener::OnAccept, shared_from_this()));
}

void Listener::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (!acceptor_.is_open() || ec == net::error::operation_aborted) return;
  if (ec) {
    // Out of descriptors and the like: back off instead of spinning.
    spdlog::warn("accept failed: {}", ec.message());
    retry_timer_.expires_after(std::chrono::milliseconds(100));
    retry_timer_.async_wait([self = shared_from_this()](beast::error_code wec) {
      if (!wec && self->acceptor_.is_open()) self->DoAccept();
    });
    return;
  }
  beast::error_code opt_ec;
  socket.set_option(tcp::no_delay(true), opt_ec);
  std::make_shared<Session>(std::move(socket), ctx_, registry_)->Run();
  DoAccept();
}

}  // namespace ultrasearch::server
