#include "http_call.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>

namespace ultrasearch::cli {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

bool SplitUrl(std::string_view url, std::string* host, std::string* port) {
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, kScheme.size()) != kScheme) return false;
  url.remove_prefix(kScheme.size());
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  auto colon = url.rfind(':');
  if (colon == std::string_view::npos) {
    *host = std::string(url);
    *port = "80";
  } else {
    *host = std::string(url.substr(0, colon));
    *port = std::string(url.substr(colon + 1));
  }
  return !host->empty() && !port->empty() && url.find('/') == std::string_view::npos;
}

}  // namespace

HttpAnswer HttpCall(std::string_view base_url, std::string_view method, std::string_view target,
                    std::string_view body, const std::string& api_key, int timeout_ms) {
  HttpAnswer answer;
  std::string host, port;
  if (!SplitUrl(base_url, &host, &port)) {
    answer.error = "the URL must be http://HOST[:PORT], not " + std::string(base_url);
    return answer;
  }
  try {
    net::io_context ioc;
    net::ip::tcp::resolver resolver(ioc);
    beast::tcp_stream stream(ioc);
    stream.expires_after(std::chrono::milliseconds(timeout_ms));
    stream.connect(resolver.resolve(host, port));
    http::request<http::string_body> req(http::string_to_verb(method), std::string(target), 11);
    req.set(http::field::host, host);
    req.set(http::field::user_agent, "ultrasearch-cli");
    if (!api_key.empty()) req.set(http::field::authorization, "ApiKey " + api_key);
    if (!body.empty()) {
      req.set(http::field::content_type, "application/json");
      req.body() = std::string(body);
    }
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    answer.status = static_cast<int>(res.result_int());
    answer.body = std::move(res.body());
    beast::error_code ignored;
    stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  } catch (const std::exception& e) {
    answer.status = 0;
    answer.error = e.what();
  }
  return answer;
}

}  // namespace ultrasearch::cli
