// Authorization: may the request's principal do this action on these indices? Errors are
// Elasticsearch's: 403 security_exception naming the action, the key, its owner, the indices and
// the privileges that would grant it; 429 when the key's rate limit is spent.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "es_errors.h"
#include "http_types.h"
#include "security/principal.h"

namespace ultrasearch::server::security {

// 403 security_exception for `p` doing `a` (on `indices` when it is an index action).
EsError Forbidden(const Principal& p, Action a, const std::vector<std::string>& indices = {});

// 429 es_rejected_execution_exception for a spent rate limit; `retry_after_s` goes in its reason.
EsError RateLimited(const Principal& p, int64_t retry_after_s);

// Seconds to put in Retry-After for a wait: rounded up, at least 1.
int64_t RetryAfterSeconds(std::chrono::nanoseconds wait);

// Throws Forbidden unless req.principal may do cluster action `a`. No principal (authentication
// off) allows everything.
void CheckCluster(const Request& req, Action a);

// Throws Forbidden unless req.principal may do `a` on every concrete name of the index
// expression ("a,b,c*"). Wildcard parts and `_all` are not checked here: they expand only to the
// indices VisibleIndices allows, as Elasticsearch expands wildcards to authorized indices.
void CheckIndexExpression(const Request& req, Action a, std::string_view expression);

// Throws Forbidden unless req.principal may do `a` on each of `names`.
void CheckIndices(const Request& req, Action a, const std::vector<std::string>& names);

// Whether req.principal may do `a` on `index` (true without a principal).
bool AllowsIndex(const Request& req, Action a, std::string_view index);

// A filter for wildcard expansion: the indices req.principal may do `a` on. Empty (everything)
// without a principal or for an unrestricted one.
std::function<bool(std::string_view)> VisibleIndices(const Request& req, Action a);

}  // namespace ultrasearch::server::security
