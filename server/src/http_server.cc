// RunServer: binds, runs the io_context on N threads, stops gracefully on SIGINT/SIGTERM.
#include "ultrasearch_server/http_server.h"

#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <cstdio>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <thread>
#include <vector>

#include "handler_util.h"
#include "listener.h"
#include "server_context.h"
#include "session.h"

namespace ultrasearch::server {

size_t ServerOptions::BodyLimitFor(std::string_view target) const {
  std::string_view path = target.substr(0, target.find('?'));
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  constexpr std::string_view kBulk = "_bulk";
  bool bulk = path.size() >= kBulk.size() && path.substr(path.size() - kBulk.size()) == kBulk &&
              (path.size() == kBulk.size() || path[path.size() - kBulk.size() - 1] == '/');
  return bulk ? max_bulk_body_bytes : max_body_bytes;
}

namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr auto kDrainDeadline = std::chrono::seconds(5);

Result<tcp::endpoint> ResolveEndpoint(net::io_context& ioc, const ServerOptions& options) {
  boost::system::error_code ec;
  auto address = net::ip::make_address(options.host, ec);
  if (!ec) return tcp::endpoint(address, options.port);
  tcp::resolver resolver(ioc);
  auto results = resolver.resolve(options.host, std::to_string(options.port), ec);
  if (ec || results.empty()) {
    return Status::InvalidArgument(fmt::format("cannot resolve host [{}]: {}", options.host, ec.message()));
  }
  return results.begin()->endpoint();
}

// Without api keys anyone who reaches the port may delete every index: only loopback, unless
// the operator says otherwise in so many words.
Status CheckBindSafety(const net::ip::address& address, const ServerOptions& options) {
  if (!options.api_keys_file.empty()) return Status::OK();
  if (address.is_loopback()) {
    spdlog::warn("no --api-keys: authentication is off, so the server listens on the loopback address {} only",
                 address.to_string());
    return Status::OK();
  }
  if (options.insecure_bind) {
    spdlog::warn("no --api-keys and --insecure-bind: anyone who reaches {} can read, write and delete every index",
                 address.to_string());
    return Status::OK();
  }
  return Status::InvalidArgument(fmt::format(
      "refusing to listen on {} without --api-keys: every request would be allowed to anyone who reaches it. "
      "Give --api-keys FILE, listen on 127.0.0.1, or pass --insecure-bind to accept the risk",
      address.to_string()));
}

std::string HostName() {
  char buf[256] = {};
  if (gethostname(buf, sizeof(buf) - 1) != 0 || buf[0] == '\0') return "ultrasearch";
  return buf;
}

// Waits for sessions to finish after a stop request, then lets the io_context run dry; forces
// a stop after kDrainDeadline or on a second signal.
class Shutdown : public std::enable_shared_from_this<Shutdown> {
 public:
  Shutdown(net::io_context& ioc, net::signal_set& signals, Listener& listener, SessionRegistry& registry)
      : ioc_(ioc), signals_(signals), listener_(listener), registry_(registry), timer_(ioc) {}

  void Arm() {
    signals_.async_wait([self = shared_from_this()](boost::system::error_code ec, int signo) {
      if (ec) return;
      self->OnSignal(signo);
    });
  }

 private:
  void OnSignal(int signo) {
    if (started_) {
      spdlog::warn("second signal {}: stopping now", signo);
      ioc_.stop();
      return;
    }
    started_ = true;
    spdlog::info("signal {}: closing the listener and draining {} connection(s)", signo, registry_.size());
    deadline_ = std::chrono::steady_clock::now() + kDrainDeadline;
    listener_.Stop();
    registry_.StopAll();
    Arm();
    Poll();
  }

  void Poll() {
    if (registry_.size() == 0) {
      boost::system::error_code ec;
      signals_.cancel(ec);
      return;  // nothing left: io_context::run returns
    }
    if (std::chrono::steady_clock::now() >= deadline_) {
      spdlog::warn("{} connection(s) still open after the drain deadline; stopping", registry_.size());
      ioc_.stop();
      return;
    }
    registry_.StopAll();  // connections that were busy may be idle now
    timer_.expires_after(std::chrono::milliseconds(25));
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->Poll();
    });
  }

  net::io_context& ioc_;
  net::signal_set& signals_;
  Listener& listener_;
  SessionRegistry& registry_;
  net::steady_timer timer_;
  bool started_ = false;
  std::chrono::steady_clock::time_point deadline_;
};

}  // namespace

Status RunServer(Engine& engine, const ServerOptions& options) {
  // Declared before the io_context: sessions destroyed with it still reach the registry and ctx.
  ServerContext ctx(engine, options);
  SessionRegistry registry;
  if (!options.api_keys_file.empty()) {
    Status s = ctx.auth.Load(options.api_keys_file, engine.data_dir(), options.rate_limit);
    if (!s.ok()) return s;
  }
  ctx.node_name = HostName();
  ctx.cluster_uuid = StableUuid(engine.data_dir());
  ctx.tasks.set_node_id(StableUuid(ctx.cluster_uuid + "/node"));  // the id _nodes/stats reports

  int threads = options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::max(1, threads);
  net::io_context ioc(threads);

  auto endpoint = ResolveEndpoint(ioc, options);
  if (!endpoint.ok()) return endpoint.status();
  if (Status s = CheckBindSafety(endpoint->address(), options); !s.ok()) return s;
  auto listener = std::make_shared<Listener>(ioc, ctx, registry);
  if (Status s = listener->Open(*endpoint); !s.ok()) return s;

  net::signal_set signals(ioc, SIGINT, SIGTERM);
  auto shutdown = std::make_shared<Shutdown>(ioc, signals, *listener, registry);
  shutdown->Arm();
  listener->Run();

  uint16_t port = listener->port();
  spdlog::info("serving HTTP on {}:{} with {} thread(s)", endpoint->address().to_string(), port, threads);
  if (options.on_listening) {
    options.on_listening(port);
  } else {
    std::printf("listening on %s:%u\n", endpoint->address().to_string().c_str(), static_cast<unsigned>(port));
    std::fflush(stdout);
  }

  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (int i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : pool) t.join();
  ctx.tasks.RequestStop();  // by-query tasks end at their next batch; a text rebuild runs to its end
  spdlog::info("HTTP server stopped");
  return Status::OK();
}

}  // namespace ultrasearch::server
