#include "security/authorize.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace ultrasearch::server::security {
namespace {

bool IsWildcard(std::string_view part) { return part == "_all" || part.find('*') != std::string_view::npos; }

// "API key id [ID] of user [NAME]" for minted keys; bootstrap keys are never refused, but say
// something sensible should that change.
std::string Who(const Principal& p) {
  if (p.bootstrap) return fmt::format("user [{}]", p.username);
  return fmt::format("API key id [{}] of user [{}]", p.key_id, p.username);
}

}  // namespace

EsError Forbidden(const Principal& p, Action a, const std::vector<std::string>& indices) {
  std::string reason;
  if (IsClusterAction(a)) {
    reason = fmt::format("action [{}] is unauthorized for {}, this action is granted by the cluster privileges [{}]",
                         ActionName(a), Who(p), GrantingPrivileges(a));
  } else {
    reason = fmt::format(
        "action [{}] is unauthorized for {} on indices [{}], this action is granted by the index privileges [{}]",
        ActionName(a), Who(p), fmt::join(indices, ","), GrantingPrivileges(a));
  }
  return EsError(403, "security_exception", std::move(reason));
}

EsError RateLimited(const Principal& p, int64_t retry_after_s) {
  return EsError(429, "es_rejected_execution_exception",
                 fmt::format("rejected execution: API key id [{}] of user [{}] exceeded its rate limit of [{}] "
                             "requests per second; retry after [{}s]",
                             p.key_id, p.username, p.bucket.per_second(), retry_after_s));
}

int64_t RetryAfterSeconds(std::chrono::nanoseconds wait) {
  int64_t s = (wait.count() + 999'999'999) / 1'000'000'000;
  return std::max<int64_t>(1, s);
}

void CheckCluster(const Request& req, Action a) {
  if (req.principal && !req.principal->AllowsCluster(a)) throw Forbidden(*req.principal, a);
}

bool AllowsIndex(const Request& req, Action a, std::string_view index) {
  return !req.principal || req.principal->AllowsIndex(a, index);
}

void CheckIndices(const Request& req, Action a, const std::vector<std::string>& names) {
  if (!req.principal || req.principal->Unrestricted()) return;
  std::vector<std::string> denied;
  for (const std::string& name : names) {
    if (!req.principal->AllowsIndex(a, name)) denied.push_back(name);
  }
  if (!denied.empty()) throw Forbidden(*req.principal, a, denied);
}

void CheckIndexExpression(const Request& req, Action a, std::string_view expression) {
  if (!req.principal || req.principal->Unrestricted()) return;
  std::vector<std::string> names;
  while (!expression.empty()) {
    auto comma = expression.find(',');
    std::string_view part = expression.substr(0, comma);
    expression = comma == std::string_view::npos ? std::string_view() : expression.substr(comma + 1);
    if (!part.empty() && !IsWildcard(part)) names.emplace_back(part);
  }
  CheckIndices(req, a, names);
}

std::function<bool(std::string_view)> VisibleIndices(const Request& req, Action a) {
  if (!req.principal || req.principal->Unrestricted()) return {};
  return [p = req.principal, a](std::string_view index) { return p->AllowsIndex(a, index); };
}

}  // namespace ultrasearch::server::security
