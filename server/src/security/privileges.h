// Elasticsearch's privilege model, reduced to what this server's routes do: the actions a request
// performs (named as Elasticsearch names them, for its 403 messages), the named cluster and index
// privileges that grant them, and role descriptors (`{cluster: [...], indices: [{names, privileges}]}`).
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ultrasearch::server::security {

// What a route does. Index actions need a privilege on the index they touch; cluster actions a
// cluster privilege; kAuthenticated only a valid key.
enum class Action : uint8_t {
  kAuthenticated,
  // cluster
  kClusterMain,       // GET /
  kClusterHealth,     // _cluster/health
  kNodesStats,        // _nodes/stats
  kClusterStats,      // _stats over every index
  kCat,               // _cat/*
  kMetrics,           // /metrics
  kClusterManage,     // cluster-level writes
  kApiKeyCreate,      // POST|PUT /_security/api_key
  kApiKeyGet,         // GET /_security/api_key
  kApiKeyInvalidate,  // DELETE /_security/api_key
  kTaskGet,           // GET /_tasks/ID (the last cluster action: IsClusterAction relies on it)
  // index
  kSearch,         // _search, _count, msearch items
  kMsearch,        // _msearch itself (items are kSearch)
  kGet,            // _doc/ID, _source/ID
  kMget,           // _mget (items are kGet)
  kAnalyze,        // INDEX/_analyze
  kIndexDoc,       // PUT _doc/ID, POST _doc, bulk index
  kCreateDoc,      // _create/ID, bulk create
  kUpdateDoc,      // _update/ID, bulk update
  kDeleteDoc,      // DELETE _doc/ID, bulk delete
  kBulk,           // _bulk itself (items are the four above)
  kRefresh,        // _refresh
  kForceMerge,     // _forcemerge
  kViewMetadata,   // GET|HEAD INDEX, GET _mapping, GET _alias
  kMonitorIndex,   // INDEX/_stats
  kCreateIndex,    // PUT INDEX
  kDeleteIndex,    // DELETE INDEX
  kManageAliases,  // POST _aliases, PUT|DELETE INDEX/_alias/NAME
  kDeleteByQuery,  // INDEX/_delete_by_query (its search needs kSearch too)
  kUpdateByQuery,  // INDEX/_update_by_query (its search needs kSearch too)
  kReindexText,    // INDEX/_ultrasearch/reindex: rebuild the text index (admin)
  kPutMapping,     // PUT INDEX/_mapping
  kUpdateSettings,  // PUT INDEX/_settings
};

bool IsClusterAction(Action a);
// Elasticsearch's action name: "indices:data/read/search", "cluster:monitor/health"...
std::string_view ActionName(Action a);
// The named privileges that grant `a`, most specific first ("read,all"), for 403 messages.
std::string GrantingPrivileges(Action a);

// A set of actions as bits; a named privilege is such a set.
using ActionSet = uint64_t;
constexpr ActionSet Bit(Action a) { return ActionSet{1} << static_cast<unsigned>(a); }

struct IndexGrant {
  std::vector<std::string> names;       // patterns with '*' wildcards
  std::vector<std::string> privileges;  // as given, for listing the key
  ActionSet actions = 0;
};

struct Role {
  std::string name;
  std::vector<std::string> cluster;  // as given
  ActionSet cluster_actions = 0;
  std::vector<IndexGrant> indices;
};

// A key's permissions: the union of its roles. `unrestricted` (a bootstrap key, or a key minted
// without role descriptors by one) allows everything.
struct RoleSet {
  bool unrestricted = false;
  std::vector<Role> roles;

  bool AllowsCluster(Action a) const;
  bool AllowsIndex(Action a, std::string_view index) const;
};

// Parses `role_descriptors` as the create API takes it. Throws EsError 400 for unknown
// privileges or malformed descriptors, with Elasticsearch's wording where it has one.
std::vector<Role> ParseRoleDescriptors(const boost::json::value& v);
// The descriptors back as JSON, as Elasticsearch lists them (with its default fields).
boost::json::object RoleDescriptorsJson(const std::vector<Role>& roles);

}  // namespace ultrasearch::server::security
