// The load benchmark's ceiling: a minimal Boost.Beast HTTP/1.1 server that answers every request
// with the same JSON body. It is threaded as `ultrasearch serve` is (one io_context run on N
// threads, a strand per connection, keep-alive, TCP_NODELAY), so the requests/s it holds under wrk
// is what this machine's HTTP stack allows before any search work; bench/load/run compares each
// UltraSearch mix with it.
//
//   fixed_body_server [--host 127.0.0.1] [--port 0] [--threads N] [--body-bytes N]
// prints "listening on HOST:PORT" once bound and serves until SIGINT or SIGTERM.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// An Elasticsearch-shaped empty search answer, padded (inside a string value, so the body stays
// valid JSON) to `bytes` when that is longer.
std::string MakeBody(std::size_t bytes) {
  std::string head =
      R"({"took":0,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},)"
      R"("hits":{"total":{"value":0,"relation":"eq"},"max_score":null,"hits":[]},"pad":")";
  std::string tail = "\"}";
  std::size_t fixed = head.size() + tail.size();
  return head + std::string(bytes > fixed ? bytes - fixed : 0, 'x') + tail;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, const std::string& body) : stream_(std::move(socket)), body_(body) {}

  void Run() {
    net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::DoRead, shared_from_this()));
  }

 private:
  void DoRead() {
    request_ = {};
    stream_.expires_after(std::chrono::seconds(120));
    http::async_read(stream_, buffer_, request_, beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t) {
    if (ec) return Close();
    response_.emplace(http::status::ok, request_.version());
    response_->set("X-Elastic-Product", "Elasticsearch");
    response_->set(http::field::content_type, "application/json");
    response_->keep_alive(request_.keep_alive());
    response_->body() = body_;
    response_->prepare_payload();
    http::async_write(stream_, *response_, beast::bind_front_handler(&Session::OnWrite, shared_from_this()));
  }

  void OnWrite(beast::error_code ec, std::size_t) {
    bool keep_alive = response_->keep_alive();
    response_.reset();
    if (ec || !keep_alive) return Close();
    DoRead();
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  std::optional<http::response<http::string_body>> response_;
  const std::string& body_;
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& ioc, const tcp::endpoint& endpoint, const std::string& body)
      : ioc_(ioc), acceptor_(net::make_strand(ioc)), body_(body) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
  }

  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  void Run() { DoAccept(); }
  void Stop() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      self->acceptor_.close(ec);
    });
  }

 private:
  void DoAccept() {
    acceptor_.async_accept(net::make_strand(ioc_), beast::bind_front_handler(&Listener::OnAccept, shared_from_this()));
  }

  void OnAccept(beast::error_code ec, tcp::socket socket) {
    if (!acceptor_.is_open()) return;
    if (!ec) {
      beast::error_code opt_ec;
      socket.set_option(tcp::no_delay(true), opt_ec);
      std::make_shared<Session>(std::move(socket), body_)->Run();
    }
    DoAccept();
  }

  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  const std::string& body_;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Answers every HTTP request with one fixed JSON body (the load benchmark's ceiling)"};
  std::string host = "127.0.0.1";
  int port = 0;
  int threads = 0;
  std::size_t body_bytes = 0;
  app.add_option("--host", host, "address to listen on")->capture_default_str();
  app.add_option("--port", port, "port (0 picks a free one)")->check(CLI::Range(0, 65535));
  app.add_option("--threads", threads, "I/O threads (0: one per core)")->check(CLI::NonNegativeNumber);
  app.add_option("--body-bytes", body_bytes, "pad the body to this many bytes");
  CLI11_PARSE(app, argc, argv);

  threads = std::max(1, threads > 0 ? threads : static_cast<int>(std::thread::hardware_concurrency()));
  const std::string body = MakeBody(body_bytes);
  try {
    net::io_context ioc(threads);
    auto listener = std::make_shared<Listener>(
        ioc, tcp::endpoint(net::ip::make_address(host), static_cast<uint16_t>(port)), body);
    net::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](beast::error_code, int) {
      listener->Stop();
      ioc.stop();
    });
    listener->Run();
    std::printf("listening on %s:%u\n", host.c_str(), static_cast<unsigned>(listener->port()));
    std::fflush(stdout);
    std::vector<std::thread> pool;
    for (int i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : pool) t.join();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fixed_body_server: %s\n", e.what());
    return 2;
  }
  return 0;
}
