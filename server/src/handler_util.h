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

// An existing index; throws index_not_found_exception (404) otherwise.
std::shared_ptr<Index> RequireIndex(ServerContext& ctx, std::string_view name);

struct ResolvedIndex {
  std::string name;
  std::shared_ptr<Index> index;
};

// Resolves "a,b*,_all" into open indices, sorted by name. Concrete names must exist (404
// index_not_found_exception otherwise) unless `ignore_unavailable`; wildcards may match nothing.
// `visible`, when set, keeps only the indices a wildcard or _all may expand to (the caller's
// authorized ones); concrete names are the router's to authorize.
std::vector<ResolvedIndex> ResolveIndexExpression(ServerContext& ctx, std::string_view expression,
                                                  bool ignore_unavailable,
                                                  const std::function<bool(std::string_view)>& visible = {});

// Validates the name (invalid_index_name_exception) and creates the index when missing, as
// Elasticsearch's writes do. Throws EsError.
std::shared_ptr<Index> IndexForWrite(ServerContext& ctx, std::string_view name);

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
// engine; throws mapper_parsing_exception (400) as Elasticsearch does for unparsable sources.
void ValidateDocument(std::string_view json);

}  // namespace ultrasearch::server
