#include "security/privileges.h"

#include <fmt/format.h>

#include <array>
#include <initializer_list>
#include <utility>

#include "es_errors.h"
#include "ultrasearch/wildcard.h"

namespace ultrasearch::server::security {
namespace json = boost::json;
namespace {

using A = Action;

constexpr ActionSet Bits(std::initializer_list<Action> actions) {
  ActionSet s = 0;
  for (Action a : actions) s |= Bit(a);
  return s;
}

struct NamedPrivilege {
  std::string_view name;
  ActionSet actions;
};

constexpr ActionSet kMonitorCluster = Bits(
    {A::kClusterMain, A::kClusterHealth, A::kNodesStats, A::kClusterStats, A::kCat, A::kMetrics, A::kTaskGet});
constexpr ActionSet kApiKeys = Bits({A::kApiKeyCreate, A::kApiKeyGet, A::kApiKeyInvalidate});
constexpr ActionSet kAllCluster = kMonitorCluster | kApiKeys | Bit(A::kClusterManage);

// In the order 403 messages list them: narrow first, `all` last, as Elasticsearch does.
constexpr std::array<NamedPrivilege, 6> kClusterPrivileges{{
    {"none", 0},
    {"monitor", kMonitorCluster},
    {"manage", kMonitorCluster | Bit(A::kClusterManage)},
    {"manage_api_key", kApiKeys},
    {"manage_security", kApiKeys},
    {"all", kAllCluster},
}};

constexpr ActionSet kRead = Bits({A::kSearch, A::kMsearch, A::kGet, A::kMget, A::kAnalyze});
constexpr ActionSet kWriteDocs = Bits(
    {A::kIndexDoc, A::kCreateDoc, A::kUpdateDoc, A::kDeleteDoc, A::kBulk, A::kDeleteByQuery, A::kUpdateByQuery});
// Rebuilding the text index is an administrator's maintenance, as Elasticsearch's forcemerge and
// mapping updates are under `manage`.
constexpr ActionSet kManage =
    Bits({A::kViewMetadata, A::kMonitorIndex, A::kCreateIndex, A::kDeleteIndex, A::kManageAliases, A::kRefresh,
          A::kForceMerge,
          A::kAnalyze, A::kReindexText, A::kPutMapping, A::kUpdateSettings});
constexpr ActionSet kAllIndex = kRead | kWriteDocs | kManage;

constexpr std::array<NamedPrivilege, 14> kIndexPrivileges{{
    {"none", 0},
    {"read", kRead},
    {"view_index_metadata", Bit(A::kViewMetadata)},
    {"monitor", Bit(A::kMonitorIndex)},
    {"create_doc", Bits({A::kCreateDoc, A::kBulk})},
    {"create", Bits({A::kCreateDoc, A::kBulk})},
    {"index", Bits({A::kIndexDoc, A::kCreateDoc, A::kUpdateDoc, A::kBulk, A::kUpdateByQuery})},
    {"delete", Bits({A::kDeleteDoc, A::kBulk, A::kDeleteByQuery})},
    // Elasticsearch puts refresh under `maintenance`; bulk loaders refresh what they wrote, so
    // `write` grants it here too.
    {"write", kWriteDocs | Bit(A::kRefresh)},
    {"maintenance", Bits({A::kRefresh, A::kForceMerge})},
    {"create_index", Bit(A::kCreateIndex)},
    {"delete_index", Bit(A::kDeleteIndex)},
    {"manage", kManage},
    {"all", kAllIndex},
}};

template <std::size_t N>
const NamedPrivilege* Find(const std::array<NamedPrivilege, N>& table, std::string_view name) {
  for (const auto& p : table) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

template <std::size_t N>
std::string Names(const std::array<NamedPrivilege, N>& table, Action a) {
  std::string out;
  for (const auto& p : table) {
    if (!(p.actions & Bit(a))) continue;
    if (!out.empty()) out += ',';
    out += p.name;
  }
  return out;
}

template <std::size_t N>
std::string AllNames(const std::array<NamedPrivilege, N>& table) {
  std::string out;
  for (const auto& p : table) {
    if (!out.empty()) out += ',';
    out += p.name;
  }
  return out;
}

std::vector<std::string> Strings(const json::value& v, std::string_view role, std::string_view field) {
  std::vector<std::string> out;
  if (v.is_string()) {
    out.emplace_back(v.get_string());
    return out;
  }
  if (!v.is_array()) {
    throw ParsingError(fmt::format("failed to parse role [{}]. [{}] must be a string or an array of strings", role,
                                   field));
  }
  for (const auto& item : v.get_array()) {
    if (!item.is_string()) {
      throw ParsingError(fmt::format("failed to parse role [{}]. [{}] must be an array of strings", role, field));
    }
    out.emplace_back(item.get_string());
  }
  return out;
}

IndexGrant ParseIndexGrant(const json::value& v, std::string_view role) {
  if (!v.is_object()) {
    throw ParsingError(fmt::format("failed to parse indices privileges for role [{}]. expected an object", role));
  }
  IndexGrant grant;
  for (const auto& [key, value] : v.get_object()) {
    if (key == "names") {
      grant.names = Strings(value, role, "names");
    } else if (key == "privileges") {
      grant.privileges = Strings(value, role, "privileges");
    } else if (key == "allow_restricted_indices") {
      if (!value.is_bool()) throw ParsingError(fmt::format("failed to parse role [{}]. [{}] must be a boolean", role, std::string_view(key)));
    } else if (key == "field_security" || key == "query") {
      // Granting the whole index when the caller asked for less would widen the key: refuse.
      throw IllegalArgument(fmt::format("[{}] in role [{}] is not supported by this server", std::string_view(key), role));
    } else {
      throw ParsingError(fmt::format("failed to parse indices privileges for role [{}]. unexpected field [{}]", role,
                                     std::string_view(key)));
    }
  }
  if (grant.names.empty()) {
    throw ParsingError(fmt::format("failed to parse indices privileges for role [{}]. missing required [names] field", role));
  }
  if (grant.privileges.empty()) {
    throw ParsingError(
        fmt::format("failed to parse indices privileges for role [{}]. missing required [privileges] field", role));
  }
  for (const std::string& name : grant.privileges) {
    const NamedPrivilege* p = Find(kIndexPrivileges, name);
    if (p == nullptr) {
      throw IllegalArgument(fmt::format(
          "unknown index privilege [{}]. a privilege must be either one of the predefined fixed indices privileges "
          "[{}] or a pattern over one of the available index actions",
          name, AllNames(kIndexPrivileges)));
    }
    grant.actions |= p->actions;
  }
  return grant;
}

Role ParseRole(std::string_view name, const json::value& v) {
  if (!v.is_object()) throw ParsingError(fmt::format("failed to parse role [{}]. expected an object", name));
  Role role;
  role.name = std::string(name);
  for (const auto& [key, value] : v.get_object()) {
    if (key == "cluster") {
      role.cluster = Strings(value, name, "cluster");
      for (const std::string& c : role.cluster) {
        const NamedPrivilege* p = Find(kClusterPrivileges, c);
        if (p == nullptr) {
          throw IllegalArgument(fmt::format(
              "unknown cluster privilege [{}]. a privilege must be either one of the predefined cluster privilege "
              "names [{}] or a pattern over one of the available cluster actions",
              c, AllNames(kClusterPrivileges)));
        }
        role.cluster_actions |= p->actions;
      }
    } else if (key == "indices") {
      if (!value.is_array()) throw ParsingError(fmt::format("failed to parse role [{}]. [indices] must be an array", name));
      for (const auto& g : value.get_array()) role.indices.push_back(ParseIndexGrant(g, name));
    } else if (key == "run_as" || key == "applications" || key == "remote_indices") {
      // Empty lists are what clients send by default; anything in them would be a grant we lack.
      if (!value.is_array() || !value.get_array().empty()) {
        throw IllegalArgument(fmt::format("[{}] in role [{}] is not supported by this server", std::string_view(key), name));
      }
    } else if (key != "metadata" && key != "transient_metadata" && key != "description") {
      throw ParsingError(fmt::format("failed to parse role [{}]. unexpected field [{}]", name, std::string_view(key)));
    }
  }
  return role;
}

}  // namespace

bool IsClusterAction(Action a) { return static_cast<unsigned>(a) <= static_cast<unsigned>(A::kTaskGet); }

std::string_view ActionName(Action a) {
  switch (a) {
    case A::kAuthenticated: return "cluster:admin/xpack/security/user/authenticate";
    case A::kClusterMain: return "cluster:monitor/main";
    case A::kClusterHealth: return "cluster:monitor/health";
    case A::kNodesStats: return "cluster:monitor/nodes/stats";
    case A::kClusterStats: return "indices:monitor/stats";
    case A::kCat: return "cluster:monitor/state";
    case A::kMetrics: return "cluster:monitor/prometheus/metrics";
    case A::kClusterManage: return "cluster:admin/settings/update";
    case A::kApiKeyCreate: return "cluster:admin/xpack/security/api_key/create";
    case A::kApiKeyGet: return "cluster:admin/xpack/security/api_key/get";
    case A::kApiKeyInvalidate: return "cluster:admin/xpack/security/api_key/invalidate";
    case A::kTaskGet: return "cluster:monitor/task/get";
    case A::kSearch: return "indices:data/read/search";
    case A::kMsearch: return "indices:data/read/msearch";
    case A::kGet: return "indices:data/read/get";
    case A::kMget: return "indices:data/read/mget";
    case A::kAnalyze: return "indices:admin/analyze";
    case A::kIndexDoc: return "indices:data/write/index";
    case A::kCreateDoc: return "indices:data/write/index:op_type/create";
    case A::kUpdateDoc: return "indices:data/write/update";
    case A::kDeleteDoc: return "indices:data/write/delete";
    case A::kBulk: return "indices:data/write/bulk";
    case A::kRefresh: return "indices:admin/refresh";
    case A::kForceMerge: return "indices:admin/forcemerge";
    case A::kViewMetadata: return "indices:admin/get";
    case A::kMonitorIndex: return "indices:monitor/stats";
    case A::kCreateIndex: return "indices:admin/create";
    case A::kDeleteIndex: return "indices:admin/delete";
    case A::kManageAliases: return "indices:admin/aliases";
    case A::kDeleteByQuery: return "indices:data/write/delete/byquery";
    case A::kUpdateByQuery: return "indices:data/write/update/byquery";
    case A::kReindexText: return "indices:admin/ultrasearch/reindex";
    case A::kPutMapping: return "indices:admin/mapping/put";
    case A::kUpdateSettings: return "indices:admin/settings/update";
  }
  return "unknown";
}

std::string GrantingPrivileges(Action a) {
  return IsClusterAction(a) ? Names(kClusterPrivileges, a) : Names(kIndexPrivileges, a);
}

bool RoleSet::AllowsCluster(Action a) const {
  if (unrestricted || a == A::kAuthenticated) return true;
  for (const Role& r : roles) {
    if (r.cluster_actions & Bit(a)) return true;
  }
  return false;
}

bool RoleSet::AllowsIndex(Action a, std::string_view index) const {
  if (unrestricted) return true;
  for (const Role& r : roles) {
    for (const IndexGrant& g : r.indices) {
      if (!(g.actions & Bit(a))) continue;
      for (const std::string& pattern : g.names) {
        if (WildcardMatch(pattern, index)) return true;
      }
    }
  }
  return false;
}

std::vector<Role> ParseRoleDescriptors(const json::value& v) {
  if (!v.is_object()) throw ParsingError("[role_descriptors] must be an object");
  std::vector<Role> roles;
  for (const auto& [name, descriptor] : v.get_object()) roles.push_back(ParseRole(name, descriptor));
  return roles;
}

json::object RoleDescriptorsJson(const std::vector<Role>& roles) {
  json::object out;
  for (const Role& r : roles) {
    json::array cluster(r.cluster.begin(), r.cluster.end());
    json::array indices;
    for (const IndexGrant& g : r.indices) {
      indices.push_back(json::object{{"names", json::array(g.names.begin(), g.names.end())},
                                     {"privileges", json::array(g.privileges.begin(), g.privileges.end())},
                                     {"allow_restricted_indices", false}});
    }
    out[r.name] = json::object{{"cluster", std::move(cluster)},
                               {"indices", std::move(indices)},
                               {"applications", json::array()},
                               {"run_as", json::array()},
                               {"metadata", json::object()},
                               {"transient_metadata", json::object{{"enabled", true}}}};
  }
  return out;
}

}  // namespace ultrasearch::server::security
