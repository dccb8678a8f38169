// Maps method + path to a handler, enforces API keys, turns EsError into error replies and
// records metrics. The only place exceptions from handlers are caught.
#pragma once

#include "http_types.h"
#include "server_context.h"

namespace ultrasearch::server {

// Never throws. `req` must have been filled by ParseTarget; a compressed body is inflated in place
// before the handler runs, and the reply carries the request's protocol options (protocol.h).
Reply HandleRequest(ServerContext& ctx, Request& req);

// Whether `req` goes to a route that changes state (see the route table): such requests run on the
// bounded write pool. Unknown routes are not writes (they only produce an error reply).
bool IsWriteRequest(const Request& req);

// An error reply for failures before routing (malformed request line, body too large...).
Reply ErrorReply(unsigned status, const std::string& type, const std::string& reason);

}  // namespace ultrasearch::server
