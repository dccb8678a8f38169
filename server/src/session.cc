#include "session.h"

#include <poll.h>

#include <algorithm>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "protocol.h"
#include "router.h"

namespace ultrasearch::server {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;

namespace {

Method ToMethod(http::verb v) {
  switch (v) {
    case http::verb::get: return Method::kGet;
    case http::verb::head: return Method::kHead;
    case http::verb::post: return Method::kPost;
    case http::verb::put: return Method::kPut;
    case http::verb::delete_: return Method::kDelete;
    default: return Method::kOther;
  }
}

// The headers protocol.h acts on.
void ReadProtocolHeaders(const http::request<http::string_body>& msg, Request* req) {
  auto get = [&](auto field) {
    auto v = msg[field];
    return std::string(v.data(), v.size());
  };
  req->content_encoding = get(http::field::content_encoding);
  req->content_type = get(http::field::content_type);
  req->accept = get(http::field::accept);
  req->accept_encoding = get(http::field::accept_encoding);
  req->opaque_id = get("X-Opaque-Id");
}

bool IsHttpParseError(const beast::error_code& ec) {
  return ec.category() == beast::error_code(http::error::bad_target).category();
}

}  // namespace

void SessionRegistry::Add(Session* s, std::weak_ptr<Session> w) {
  std::lock_guard lock(mu_);
  sessions_[s] = std::move(w);
}

void SessionRegistry::Remove(Session* s) {
  std::lock_guard lock(mu_);
  sessions_.erase(s);
}

std::size_t SessionRegistry::size() const {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

void SessionRegistry::StopAll() {
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(mu_);
    for (auto& [ptr, weak] : sessions_) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) s->Stop();
}

Session::Session(net::ip::tcp::socket&& socket, ServerContext& ctx, SessionRegistry& registry)
    : stream_(std::move(socket)), ctx_(ctx), registry_(registry) {
  ctx_.metrics.ConnectionOpened();
}

Session::~Session() {
  registry_.Remove(this);
  ctx_.metrics.ConnectionClosed();
}

void Session::Run() {
  registry_.Add(this, weak_from_this());
  net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::DoRead, shared_from_this()));
}

void Session::Stop() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->stopping_ = true;
    if (self->idle_ && self->parser_ && !self->parser_->got_some() && self->buffer_.size() == 0) {
      self->stream_.cancel();  // the pending read ends with operation_aborted and the session closes
    }
  });
}

void Session::DoRead() {
  if (stopping_) return Close(false);
  parser_.emplace();
  // The larger limit until the target is known (OnHeader narrows it): Beast checks a declared
  // Content-Length against it while parsing the header.
  body_limit_ = std::max(ctx_.options.max_body_bytes, ctx_.options.max_bulk_body_bytes);
  parser_->body_limit(body_limit_);
  parser_->header_limit(kHeaderLimit);
  idle_ = true;
  stream_.expires_after(kIdleTimeout);
  http::async_read_header(stream_, buffer_, *parser_,
                          beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
}

void Session::OnHeader(beast::error_code ec, std::size_t) {
  idle_ = false;
  if (ec) return OnReadError(ec);
  auto& msg = parser_->get();
  body_limit_ = ctx_.options.BodyLimitFor(std::string_view(msg.target().data(), msg.target().size()));
  if (auto declared = parser_->content_length(); declared && *declared > body_limit_) {
    return Send(ErrorReply(413, "content_too_long_exception",
                           fmt::format("Request content length [{}] exceeds the maximum allowed length [{}]", *declared,
                                       body_limit_)),
                false, false);
  }
  parser_->body_limit(body_limit_);  // chunked bodies are checked as they arrive
  if (parser_->is_done()) return Process();
  if (beast::iequals(msg[http::field::expect], "100-continue")) {
    continue_ = {http::status::continue_, msg.version()};
    stream_.expires_after(kWriteTimeout);
    return http::async_write(stream_, continue_, [self = shared_from_this()](beast::error_code wec, std::size_t) {
      if (wec) return self->Close(false);
      self->ReadBody();
    });
  }
  ReadBody();
}

void Session::ReadBody() {
  stream_.expires_after(kBodyTimeout);
  http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::OnBody, shared_from_this()));
}

void Session::OnBody(beast::error_code ec, std::size_t) {
  if (ec) return OnReadError(ec);
  Process();
}

void Session::OnReadError(beast::error_code ec) {
  if (ec == http::error::end_of_stream || ec == net::error::operation_aborted || ec == beast::error::timeout ||
      ec == net::error::connection_reset || ec == net::error::eof) {
    return Close(false);
  }
  if (ec == http::error::body_limit) {
    std::string reason =
        fmt::format("Request content length exceeds the maximum allowed length [{}]", body_limit_);
    // A declared Content-Length over the limit fails before Beast marks the header done, when
    // parser::content_length() must not be called (it asserts); the field itself is parsed.
    if (auto declared = parser_->get()[http::field::content_length]; !declared.empty()) {
      reason = fmt::format("Request content length [{}] exceeds the maximum allowed length [{}]",
                           std::string_view(declared.data(), declared.size()), body_limit_);
    }
    return Send(ErrorReply(413, "content_too_long_exception", reason), false, false);
  }
  if (ec == http::error::header_limit) {
    return Send(ErrorReply(431, "too_long_http_header_exception",
                           fmt::format("HTTP header is larger than {} bytes.", kHeaderLimit)),
                false, false);
  }
  if (IsHttpParseError(ec)) {
    return Send(ErrorReply(400, "illegal_argument_exception", "malformed HTTP request: " + ec.message()), false,
                false);
  }
  Close(false);
}

void Session::Process() {
  auto msg = parser_->release();
  Request req;
  req.method = ToMethod(msg.method());
  bool keep_alive = msg.keep_alive();
  bool head = req.method == Method::kHead;
  ReadProtocolHeaders(msg, &req);
  if (!ParseTarget(msg.target(), &req)) {
    req.params.clear();  // a partly parsed query string must not reshape the error
    Reply reply = ErrorReply(400, "illegal_argument_exception", "malformed request URI: bad percent-encoding or invalid UTF-8");
    FinishReply(req, &reply);
    return Send(std::move(reply), false, head);
  }
  req.body = std::move(msg.body());
  req.authorization = std::string(msg[http::field::authorization]);
  if (!IsWriteRequest(req)) {
    // Reads run on this I/O thread, so the socket cannot report a hang-up through Asio meanwhile;
    // a zero-timeout poll asks the kernel directly. Valid while the request is handled here.
    req.client_gone = [fd = stream_.socket().native_handle()] {
      pollfd p{fd, POLLRDHUP, 0};
      return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
    };
    return Send(HandleRequest(ctx_, req), keep_alive, head);
  }

  // Writes run on the bounded write pool; the work guard keeps the io_context running until the
  // reply is back on this session's strand.
  auto work = net::make_work_guard(stream_.get_executor());
  // Shared, so a refused task leaves the request here for the 429 reply's options.
  auto shared = std::make_shared<Request>(std::move(req));
  bool queued = ctx_.writes.Submit([self = shared_from_this(), shared, keep_alive, head,
                                    work = std::move(work)]() mutable {
    Reply reply = HandleRequest(self->ctx_, *shared);
    net::post(self->stream_.get_executor(), [self, reply = std::move(reply), keep_alive, head]() mutable {
      self->Send(std::move(reply), keep_alive, head);
    });
  });
  if (!queued) {
    Reply reply = ErrorReply(429, "es_rejected_execution_exception",
                             fmt::format("rejected execution: the write queue is full ({} requests)", ctx_.writes.max_queued()));
    FinishReply(*shared, &reply);
    Send(std::move(reply), keep_alive, head);
  }
}

void Session::Send(Reply reply, bool keep_alive, bool head_only) {
  response_.emplace(static_cast<http::status>(reply.status), 11);
  auto& res = *response_;
  res.set("X-Elastic-Product", "Elasticsearch");
  res.set(http::field::content_type, reply.content_type);
  for (auto& [name, value] : reply.headers) res.set(name, value);
  res.keep_alive(keep_alive && !stopping_);
  if (head_only) {
    res.content_length(reply.body.size());
  } else {
    res.body() = std::move(reply.body);
    res.prepare_payload();
  }
  bool close = !res.keep_alive();
  stream_.expires_after(kWriteTimeout);
  http::async_write(stream_, res, beast::bind_front_handler(&Session::OnWrite, shared_from_this(), close));
}

void Session::OnWrite(bool close, beast::error_code ec, std::size_t) {
  response_.reset();
  if (ec) return Close(false);
  if (close) return Close(true);
  DoRead();
}

void Session::Close(bool linger) {
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  if (!linger || ec) return;
  // Read and drop what the client still sends (an oversized body) for a moment, so closing the
  // socket does not reset the connection before the client has read our reply.
  Linger(0);
}

void Session::Linger(std::size_t drained) {
  constexpr std::size_t kMaxDrain = 8 << 20;
  stream_.expires_after(std::chrono::seconds(2));
  stream_.async_read_some(net::buffer(scratch_), [self = shared_from_this(), drained](beast::error_code ec,
                                                                                       std::size_t n) {
    if (ec || drained + n > kMaxDrain) return;
    self->Linger(drained + n);
  });
}

}  // namespace ultrasearch::server
