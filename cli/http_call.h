// A blocking HTTP/1.1 call to a running `ultrasearch serve`, for commands that must go through the
// server when it holds the data directory (reindex).
#pragma once

#include <string>
#include <string_view>

namespace ultrasearch::cli {

struct HttpAnswer {
  int status = 0;     // 0 when the call failed (see error)
  std::string body;
  std::string error;  // why no answer came
};

// `method target` against `base_url` ("http://host:port", no path); `api_key` (may be empty) is
// sent as "Authorization: ApiKey KEY". Connects, sends, reads one response and closes; gives up
// after `timeout_ms`. Never throws.
HttpAnswer HttpCall(std::string_view base_url, std::string_view method, std::string_view target,
                    std::string_view body, const std::string& api_key, int timeout_ms = 60000);

}  // namespace ultrasearch::cli
