// Helpers shared by the handlers: index lookup with Elasticsearch's errors, write results and
// the refresh parameter.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "http_types.h"
#include "server_context.h"
#include "ultrasearch/engine.h"

namespace ultrasearch::server {

struct ResolvedIndex {
  std::string name;  // the concrete index, as responses name it (`_index`)
  std::shared_ptr<Index> index;
};

// The one index a single-index request names: `name` itself, or the only index of the alias
// `name`. Throws index_not_found_exception (404), or illegal_argument_exception for an alias of
// several indices, as Elasticsearch does.
ResolvedIndex RequireIndex(ServerContext& ctx, std::string_view name);

// Elasticsearch's index options of multi-target requests (ignore_unavailable, allow_no_indices,
// expand_wildcards), read from the query string with the defaults of searches.
struct IndexOptions {
  bool ignore_unavailable = false;
  bool allow_no_indices = true;
  bool expand_wildcards = true;  // false for expand_wildcards=none
  // When set, the indices a wildcard, _all or an alias may expand to (those the caller's API key
  // may use); names given as such are the router's to authorize.
  std::function<bool(std::string_view)> visible;
  static IndexOptions FromRequest(const Request& req);
};

// Resolves "a,alias,b*,-b2,_all" into concrete open indices, sorted by name: aliases become their
// indices, wildcards match indices and aliases, "-pattern" removes what earlier parts added.
// Concrete names must exist (index_not_found_exception) unless options.ignore_unavailable;
// wildcards may match nothing unless !options.allow_no_indices.
std::vector<ResolvedIndex> ResolveIndexExpression(ServerContext& ctx, std::string_view expression,
                                                  const IndexOptions& options);

// True when `target` was deleted (or deleted and made again) since it was resolved: a search that
// failed on it resolves its expression again rather than failing mid-swap.
bool IndexWasRemoved(ServerContext& ctx, const ResolvedIndex& target);

// The concrete index that writes to `name` reach: `name`, or the alias's write index
// (illegal_argument_exception when it has none). Validates the name (invalid_index_name_exception).
std::string WriteIndexName(ServerContext& ctx, std::string_view name);

// The index writes to `name` reach, created when missing as Elasticsearch's writes do. Throws
// EsError.
ResolvedIndex IndexForWrite(ServerContext& ctx, std::string_view name);

// Elasticsearch time values ("1d", "12h", "30m", "10s", "500ms", "1000000micros", "5nanos") in
// milliseconds. Throws illegal_argument_exception naming `setting` when `text` is not one.
int64_t ParseTimeValueMs(std::string_view text, std::string_view setting);

// Throws invalid_index_name_exception when Elasticsearch would reject `name`.
void CheckIndexName(std::string_view name);

// Document ids: non-empty, at most 512 bytes. Throws action_request_validation_exception.
void CheckDocId(std::string_view id);

// refresh=true|wait_for (or an empty value): refreshes `index` and returns true.
bool RefreshIfAsked(const Request& req, Index& index);

std::string_view ResultName(WriteResult::Kind kind);

// {"_index","_id","_version","result","_shards","_seq_no","_primary_term"} of one write.
boost::json::object WriteResultJson(std::string_view index, const WriteResult& r);

// HTTP status Elasticsearch gives a write result: 201 created, 404 not_found, else 200.
unsigned WriteStatus(const WriteResult& r);

int64_t MillisSince(std::chrono::steady_clock::time_point start);

// A stable 22-character id derived from `seed` (cluster and index uuids).
std::string StableUuid(std::string_view seed);

}  // namespace ultrasearch::server

namespace ultrasearch::server {

// Checks a document body (valid UTF-8, JSON, an object, bounded nesting) before it goes to the
// engine; throws document_parsing_exception (400) as Elasticsearch 8.8+ does for unparsable sources.
void ValidateDocument(std::string_view json);

}  // namespace ultrasearch::server
