// Test helpers for the HTTP front: a tiny blocking HTTP/1.1 client with timeouts (POSIX sockets,
// responses parsed by Beast) and a ServerProcess that runs `ultrasearch serve --port 0`.
#pragma once

#include <sys/types.h>

#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace ultrasearch::testing {

struct HttpResponse {
  int status = 0;             // 0 when no complete response arrived (see error)
  std::string error;          // transport failure, empty on success
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  bool keep_alive = true;

  std::string Header(const std::string& name) const;
  // The body as JSON; a null value (and a test failure) when it is not valid JSON.
  boost::json::value Json() const;
  bool IsJson() const;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

class HttpClient {
 public:
  explicit HttpClient(uint16_t port, int timeout_ms = 30000);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request on the kept-alive connection (reconnecting when needed).
  HttpResponse Send(std::string_view method, std::string_view target, std::string_view body = {},
                    const Headers& headers = {});
  HttpResponse Get(std::string_view target) { return Send("GET", target); }
  HttpResponse Post(std::string_view target, std::string_view body) { return Send("POST", target, body); }
  HttpResponse Put(std::string_view target, std::string_view body = {}) { return Send("PUT", target, body); }
  HttpResponse Delete(std::string_view target) { return Send("DELETE", target); }

  // Writes raw bytes on a fresh connection and reads one response.
  HttpResponse SendRaw(std::string_view bytes, bool head = false);

  void Disconnect();

 private:
  bool Connect(std::string* error);
  HttpResponse Exchange(std::string_view bytes, bool head);

  uint16_t port_;
  int timeout_ms_;
  int fd_ = -1;
};

// `ultrasearch serve --data DIR --host 127.0.0.1 --port 0 [extra args]`, stopped on destruction.
// A `launcher` (a command that ends by exec-ing its arguments, such as `unshare -m sh -c ...`)
// runs the server in a prepared environment while keeping its PID.
class ServerProcess {
 public:
  ServerProcess(const std::string& data_dir, const std::vector<std::string>& extra_args = {},
                const std::vector<std::string>& launcher = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // False (with output() explaining) when the server did not report a port in time.
  bool started() const { return port_ != 0; }
  uint16_t port() const { return port_; }
  bool Alive();
  pid_t pid() const { return pid_; }
  // SIGTERM, then SIGKILL after `grace_ms`. Returns the exit status as RunCommand reports it.
  int Stop(int grace_ms = 15000);
  std::string output();

 private:
  void Drain();

  pid_t pid_ = -1;
  int out_fd_ = -1;
  uint16_t port_ = 0;
  int exit_code_ = -1;
  std::thread reader_;
  std::mutex mu_;
  std::string output_;
  std::string stderr_path_;
};

}  // namespace ultrasearch::testing
