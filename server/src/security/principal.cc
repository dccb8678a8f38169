#include "security/principal.h"

namespace ultrasearch::server::security {

bool Principal::Unrestricted() const {
  if (!own.unrestricted) return false;
  for (const RoleSet& l : limits) {
    if (!l.unrestricted) return false;
  }
  return true;
}

bool Principal::AllowsCluster(Action a) const {
  if (!own.AllowsCluster(a)) return false;
  for (const RoleSet& l : limits) {
    if (!l.AllowsCluster(a)) return false;
  }
  return true;
}

bool Principal::AllowsIndex(Action a, std::string_view index) const {
  if (!own.AllowsIndex(a, index)) return false;
  for (const RoleSet& l : limits) {
    if (!l.AllowsIndex(a, index)) return false;
  }
  return true;
}

std::vector<RoleSet> Principal::Chain() const {
  std::vector<RoleSet> chain;
  chain.push_back(own);
  chain.insert(chain.end(), limits.begin(), limits.end());
  return chain;
}

}  // namespace ultrasearch::server::security
