#include "server/http_client.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/beast/http.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>

#include <gtest/gtest.h>

namespace ultrasearch::testing {

namespace http = boost::beast::http;

std::string HttpResponse::Header(const std::string& name) const {
  std::string lower;
  for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto it = headers.find(lower);
  return it == headers.end() ? "" : it->second;
}

bool HttpResponse::IsJson() const {
  boost::json::error_code ec;
  boost::json::parse_options opts;
  opts.max_depth = 10000;
  boost::json::parse(body, ec, {}, opts);
  return !ec;
}

boost::json::value HttpResponse::Json() const {
  boost::json::error_code ec;
  boost::json::parse_options opts;
  opts.max_depth = 10000;
  auto v = boost::json::parse(body, ec, {}, opts);
  EXPECT_FALSE(ec) << "not JSON (" << ec.message() << "): " << body.substr(0, 500) << " error=" << error;
  return ec ? boost::json::value() : v;
}

HttpClient::HttpClient(uint16_t port, int timeout_ms) : port_(port), timeout_ms_(timeout_ms) {}

HttpClient::~HttpClient() { Disconnect(); }

void HttpClient::Disconnect() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool HttpClient::Connect(std::string* error) {
  Disconnect();
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    *error = std::strerror(errno);
    return false;
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port_);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    *error = std::string("connect: ") + std::strerror(errno);
    Disconnect();
    return false;
  }
  return true;
}

HttpResponse HttpClient::Send(std::string_view method, std::string_view target, std::string_view body,
                              const Headers& headers) {
  std::string req;
  req.reserve(body.size() + 256);
  req.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  bool has_type = false;
  for (const auto& [k, v] : headers) {
    req.append(k).append(": ").append(v).append("\r\n");
    has_type |= strcasecmp(k.c_str(), "content-type") == 0;
  }
  if (!body.empty() && !has_type) req.append("Content-Type: application/json\r\n");
  if (!body.empty() || method == "POST" || method == "PUT") {
    req.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  }
  req.append("\r\n").append(body);
  bool head = method == "HEAD";
  // A kept-alive connection the server closed in the meantime gets one fresh retry.
  bool reused = fd_ >= 0;
  HttpResponse r = Exchange(req, head);
  if (r.status == 0 && reused) r = Exchange(req, head);
  return r;
}

HttpResponse HttpClient::SendRaw(std::string_view bytes, bool head) {
  Disconnect();
  HttpResponse r = Exchange(bytes, head);
  Disconnect();
  return r;
}

HttpResponse HttpClient::Exchange(std::string_view bytes, bool head) {
  HttpResponse out;
  if (fd_ < 0 && !Connect(&out.error)) return out;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms_);
  auto remaining = [&] {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    return static_cast<int>(std::max<int64_t>(0, ms));
  };
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    pollfd p{fd_, POLLOUT, 0};
    if (::poll(&p, 1, remaining()) <= 0) {
      out.error = "timeout while sending";
      Disconnect();
      return out;
    }
    ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      // The server may answer (413) and stop reading before we finished; read its reply below.
      break;
    }
    sent += static_cast<std::size_t>(n);
  }
  http::response_parser<http::string_body> parser;
  parser.eager(true);
  parser.body_limit(1ULL << 31);
  parser.skip(head);
  std::string buf;
  char chunk[65536];
  boost::beast::error_code ec;
  bool eof = false;
  while (!parser.is_done()) {
    if (!buf.empty()) {
      std::size_t used = parser.put(boost::asio::buffer(buf.data(), buf.size()), ec);
      buf.erase(0, used);
      if (ec && ec != http::error::need_more) {
        out.error = "bad response: " + ec.message();
        Disconnect();
        return out;
      }
      if (parser.is_done()) break;
    }
    if (eof) {
      parser.put_eof(ec);
      if (ec || !parser.is_done()) {
        out.error = "connection closed before a complete response";
        Disconnect();
        return out;
      }
      break;
    }
    pollfd p{fd_, POLLIN, 0};
    int ready = ::poll(&p, 1, remaining());
    if (ready <= 0) {
      out.error = "timeout while reading";
      Disconnect();
      return out;
    }
    ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      out.error = std::string("recv: ") + std::strerror(errno);
      Disconnect();
      return out;
    }
    if (n == 0) {
      eof = true;
      continue;
    }
    buf.append(chunk, static_cast<std::size_t>(n));
  }
  auto msg = parser.release();
  out.status = static_cast<int>(msg.result_int());
  for (const auto& field : msg) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string(field.value());
  }
  out.body = std::move(msg.body());
  out.keep_alive = msg.keep_alive();
  if (!out.keep_alive || eof) Disconnect();
  return out;
}

ServerProcess::ServerProcess(const std::string& data_dir, const std::vector<std::string>& extra_args,
                             const std::vector<std::string>& launcher) {
  stderr_path_ = data_dir + "-stderr.log";
  int out_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return;
  std::vector<std::string> args = {ULTRASEARCH_BIN, "serve", "--data", data_dir, "--host", "127.0.0.1",
                                   "--port", "0"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  args.insert(args.begin(), launcher.begin(), launcher.end());
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(out_pipe[1], STDOUT_FILENO);
    int err = ::open(stderr_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (err >= 0) ::dup2(err, STDERR_FILENO);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  out_fd_ = out_pipe[0];
  reader_ = std::thread([this] { Drain(); });
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(mu_);
      auto pos = output_.find("listening on ");
      if (pos != std::string::npos) {
        auto eol = output_.find('\n', pos);
        if (eol != std::string::npos) {
          std::string line = output_.substr(pos, eol - pos);
          port_ = static_cast<uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
          return;
        }
      }
    }
    if (!Alive()) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

ServerProcess::~ServerProcess() { Stop(); }

void ServerProcess::Drain() {
  char buf[4096];
  while (true) {
    ssize_t n = ::read(out_fd_, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    std::lock_guard lock(mu_);
    output_.append(buf, static_cast<std::size_t>(n));
  }
}

bool ServerProcess::Alive() {
  if (pid_ <= 0) return false;
  int status = 0;
  pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    pid_ = -1;
    return false;
  }
  return r == 0;
}

int ServerProcess::Stop(int grace_ms) {
  if (pid_ > 0 && Alive()) {
    ::kill(pid_, SIGTERM);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(grace_ms);
    while (Alive() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      exit_code_ = 128 + SIGKILL;
      pid_ = -1;
    }
  }
  if (reader_.joinable()) reader_.join();
  if (out_fd_ >= 0) ::close(out_fd_);
  out_fd_ = -1;
  return exit_code_;
}

std::string ServerProcess::output() {
  std::string err;
  std::ifstream in(stderr_path_);
  if (in) err.assign(std::istreambuf_iterator<char>(in), {});
  std::lock_guard lock(mu_);
  return "stdout:\n" + output_ + "\nstderr:\n" + err;
}

}  // namespace ultrasearch::testing
