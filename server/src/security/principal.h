// Who sent a request: a bootstrap key from the --api-keys file or a minted API key, with what it
// may do and its rate limit. Immutable once built except for the token bucket (thread-safe).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "security/privileges.h"
#include "security/rate_limiter.h"

namespace ultrasearch::server::security {

struct Principal {
  explicit Principal(double requests_per_second) : bucket(requests_per_second) {}

  bool bootstrap = false;  // a line of the --api-keys file: a superuser
  std::string key_id;      // the minted key's id; for a bootstrap key a short fingerprint
  std::string key_name;
  std::string username;  // the owner, as in Elasticsearch's "of user [NAME]"
  std::string realm;
  RoleSet own;                  // the key's role descriptors
  std::vector<RoleSet> limits;  // its creators' permissions: a key never exceeds who minted it
  mutable TokenBucket bucket;

  // Everything allowed: no role descriptors anywhere up the chain of creators.
  bool Unrestricted() const;
  bool AllowsCluster(Action a) const;
  bool AllowsIndex(Action a, std::string_view index) const;
  // The effective permissions as a list of sets that must all allow: own first.
  std::vector<RoleSet> Chain() const;
};

}  // namespace ultrasearch::server::security
