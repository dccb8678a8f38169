// Request handlers, one file per area. Each takes the shared context and the parsed request and
// returns a reply or throws EsError; the router renders errors and records metrics.
#pragma once

#include <boost/json.hpp>
#include <chrono>

#include "http_types.h"
#include "search_request.h"
#include "server_context.h"

namespace ultrasearch::server {

using Handler = Reply (*)(ServerContext&, const Request&);

// handlers_cluster.cc
Reply HandleRoot(ServerContext&, const Request&);
Reply HandleHealth(ServerContext&, const Request&);
Reply HandleClusterHealth(ServerContext&, const Request&);
Reply HandleCatIndices(ServerContext&, const Request&);
Reply HandleMetrics(ServerContext&, const Request&);
Reply HandleGetAliases(ServerContext&, const Request&);
Reply HandleUpdateAliases(ServerContext&, const Request&);
Reply HandleAliasExists(ServerContext&, const Request&);
Reply HandlePutAlias(ServerContext&, const Request&);
Reply HandleDeleteAlias(ServerContext&, const Request&);
Reply HandleCatAliases(ServerContext&, const Request&);

// handlers_monitoring.cc
Reply HandleCatHealth(ServerContext&, const Request&);   // GET /_cat/health
Reply HandleCatCount(ServerContext&, const Request&);    // GET /_cat/count[/INDEX]
Reply HandleIndexStats(ServerContext&, const Request&);  // GET /_stats, /INDEX/_stats
Reply HandleNodesStats(ServerContext&, const Request&);  // GET /_nodes[/NODE]/stats

// handlers_index.cc: /INDEX
Reply HandleCreateIndex(ServerContext&, const Request&);
Reply HandleIndexExists(ServerContext&, const Request&);
Reply HandleDeleteIndex(ServerContext&, const Request&);
Reply HandleGetIndex(ServerContext&, const Request&);
Reply HandleGetMapping(ServerContext&, const Request&);
Reply HandleRefresh(ServerContext&, const Request&);  // /_refresh and /INDEX/_refresh
Reply HandleForceMerge(ServerContext&, const Request&);  // /_forcemerge and /INDEX/_forcemerge (a task)
// The indices an admin request names: INDEX (an expression) in the path, else every index.
std::vector<std::shared_ptr<Index>> IndicesOfAdminRequest(ServerContext& ctx, const Request& req);

// handlers_index_admin.cc: mapping updates and settings
Reply HandlePutMapping(ServerContext&, const Request&);   // PUT|POST /INDEX/_mapping
Reply HandleGetSettings(ServerContext&, const Request&);  // GET /INDEX/_settings
Reply HandlePutSettings(ServerContext&, const Request&);  // PUT /INDEX/_settings
// The settings of `index` as GET /INDEX and GET /INDEX/_settings show them: nested under "index"
// (or flat "index.x" keys), values as strings, with number_of_shards, uuid and provided_name.
boost::json::object IndexSettingsJson(ServerContext& ctx, const std::string& name, const Index& index, bool flat);

// handlers_synonyms.cc: synonyms sets
Reply HandlePutSynonymSet(ServerContext&, const Request&);     // PUT /_synonyms/ID
Reply HandleGetSynonymSet(ServerContext&, const Request&);     // GET /_synonyms/ID
Reply HandleListSynonymSets(ServerContext&, const Request&);   // GET /_synonyms
Reply HandleDeleteSynonymSet(ServerContext&, const Request&);  // DELETE /_synonyms/ID
Reply HandlePutSynonymRule(ServerContext&, const Request&);    // PUT /_synonyms/ID/RULE
Reply HandleGetSynonymRule(ServerContext&, const Request&);    // GET /_synonyms/ID/RULE
Reply HandleDeleteSynonymRule(ServerContext&, const Request&); // DELETE /_synonyms/ID/RULE

// handlers_tasks.cc: long-running requests as tasks (tasks.h)
Reply HandleReindex(ServerContext&, const Request&);        // POST /_reindex
Reply HandleDeleteByQuery(ServerContext&, const Request&);  // POST /INDEX/_delete_by_query
Reply HandleUpdateByQuery(ServerContext&, const Request&);  // POST /INDEX/_update_by_query
Reply HandleTextReindex(ServerContext&, const Request&);    // POST /INDEX/_ultrasearch/reindex
Reply HandleGetTask(ServerContext&, const Request&);        // GET /_tasks/ID

// handlers_document.cc: /INDEX/_doc|_create|_update|_source/ID, _mget
Reply HandlePutDoc(ServerContext&, const Request&);      // PUT|POST /INDEX/_doc/ID
Reply HandleCreateDoc(ServerContext&, const Request&);   // PUT|POST /INDEX/_create/ID
Reply HandleAutoIdDoc(ServerContext&, const Request&);   // POST /INDEX/_doc
Reply HandleGetDoc(ServerContext&, const Request&);      // GET|HEAD /INDEX/_doc/ID
Reply HandleGetSource(ServerContext&, const Request&);   // GET /INDEX/_source/ID
Reply HandleDeleteDoc(ServerContext&, const Request&);
Reply HandleUpdateDoc(ServerContext&, const Request&);
Reply HandleMget(ServerContext&, const Request&);        // /_mget and /INDEX/_mget

// handlers_bulk.cc
Reply HandleBulk(ServerContext&, const Request&);  // /_bulk and /INDEX/_bulk

// handlers_search.cc
Reply HandleSearch(ServerContext&, const Request&);  // /_search and /INDEX/_search
Reply HandleCount(ServerContext&, const Request&);
Reply HandleOpenPit(ServerContext&, const Request&);   // POST /INDEX/_pit?keep_alive=
Reply HandleClosePit(ServerContext&, const Request&);  // DELETE /_pit
// A /_search whose body names a point in time (handlers_pit.cc).
Reply SearchPointInTime(ServerContext&, const Request&, ParsedSearch search, std::chrono::steady_clock::time_point started);
Reply HandleScroll(ServerContext&, const Request&);       // POST|GET /_search/scroll[/ID]
Reply HandleClearScroll(ServerContext&, const Request&);  // DELETE /_search/scroll[/ID|_all]
Reply HandleMsearch(ServerContext&, const Request&);  // /_msearch and /INDEX/_msearch (NDJSON)

// handlers_analyze.cc
Reply HandleAnalyze(ServerContext&, const Request&);  // /_analyze and /INDEX/_analyze

// handlers_security.cc: /_security/api_key, /_security/_authenticate
Reply HandleCreateApiKey(ServerContext&, const Request&);       // POST|PUT /_security/api_key
Reply HandleGetApiKeys(ServerContext&, const Request&);         // GET /_security/api_key
Reply HandleInvalidateApiKeys(ServerContext&, const Request&);  // DELETE /_security/api_key
Reply HandleAuthenticate(ServerContext&, const Request&);       // GET /_security/_authenticate

// handlers_snapshot.cc: /_snapshot (fs repositories over the engine's backups)
Reply HandlePutRepository(ServerContext&, const Request&);     // PUT|POST /_snapshot/REPO
Reply HandleGetRepositories(ServerContext&, const Request&);   // GET /_snapshot[/REPO]
Reply HandleDeleteRepository(ServerContext&, const Request&);  // DELETE /_snapshot/REPO
Reply HandleCreateSnapshot(ServerContext&, const Request&);    // PUT|POST /_snapshot/REPO/SNAP
Reply HandleGetSnapshots(ServerContext&, const Request&);      // GET /_snapshot/REPO/SNAP|_all
Reply HandleDeleteSnapshot(ServerContext&, const Request&);    // DELETE /_snapshot/REPO/SNAP
Reply HandleRestoreSnapshot(ServerContext&, const Request&);   // POST /_snapshot/REPO/SNAP/_restore

}  // namespace ultrasearch::server
