// One HTTP/1.1 connection, after Beast's advanced_server example: its own strand, bounded header
// and body sizes, read/write timeouts, keep-alive, `Expect: 100-continue`, and a graceful stop.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <array>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "http_types.h"
#include "server_context.h"

namespace ultrasearch::server {

class Session;

// The live sessions, so a shutdown can ask each to finish its current request and close.
class SessionRegistry {
 public:
  void Add(Session* s, std::weak_ptr<Session> w);
  void Remove(Session* s);
  std::size_t size() const;
  // Asks every live session to close once it is idle (runs on each session's strand).
  void StopAll();

 private:
  mutable std::mutex mu_;
  std::map<Session*, std::weak_ptr<Session>> sessions_;  // GUARDED_BY(mu_)
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(boost::asio::ip::tcp::socket&& socket, ServerContext& ctx, SessionRegistry& registry);
  ~Session();

  void Run();
  // Thread-safe: posts to the strand. An idle connection closes now, a busy one after its reply.
  void Stop();

  static constexpr std::chrono::seconds kIdleTimeout{120};  // waiting for a request to start
  static constexpr std::chrono::seconds kBodyTimeout{300};  // receiving one request
  static constexpr std::chrono::seconds kWriteTimeout{120};
  static constexpr std::size_t kHeaderLimit = 64 * 1024;

 private:
  void DoRead();
  void OnHeader(boost::beast::error_code ec, std::size_t bytes);
  void ReadBody();
  void OnBody(boost::beast::error_code ec, std::size_t bytes);
  void OnReadError(boost::beast::error_code ec);
  void Process();
  // Whether a request changes state and so runs on the write pool.
  void Send(Reply reply, bool keep_alive, bool head_only);
  void OnWrite(bool close, boost::beast::error_code ec, std::size_t bytes);
  void Close(bool linger);
  void Linger(std::size_t drained);

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::optional<boost::beast::http::response<boost::beast::http::string_body>> response_;
  boost::beast::http::response<boost::beast::http::empty_body> continue_;
  std::array<char, 16 * 1024> scratch_;
  ServerContext& ctx_;
  SessionRegistry& registry_;
  bool stopping_ = false;
  bool idle_ = false;  // waiting for the first bytes of a request
  std::size_t body_limit_ = 0;  // of the request being read (ServerOptions::BodyLimitFor)
};

}  // namespace ultrasearch::server
