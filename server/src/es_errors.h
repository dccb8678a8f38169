// Elasticsearch-shaped errors: the exception the server's parsers and handlers throw, its JSON
// rendering, and the single mapping from engine Status codes to HTTP statuses and ES types.
#pragma once

#include <boost/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

#include "ultrasearch/status.h"

namespace ultrasearch::server {

// Thrown inside the server (never across the engine API) and turned into an error reply by the
// router, so deep parsers can fail with the right type and status without threading returns.
class EsError : public std::runtime_error {
 public:
  EsError(unsigned status, std::string type, std::string reason);

  unsigned status() const { return status_; }
  const std::string& type() const { return type_; }
  const std::string& reason() const { return reason_; }
  // Extra fields of the error object ("index", "index_uuid", "resource.id"...).
  boost::json::object& extra() { return extra_; }
  const boost::json::object& extra() const { return extra_; }
  // When set, the top-level error gets this type/reason and the original becomes root_cause
  // and caused_by (search_phase_execution_exception wrapping a shard failure).
  EsError& WrapIn(std::string type, std::string reason);

  // {"type":...,"reason":...,extra...} as in root_cause and in bulk/mget items.
  boost::json::object Cause() const;
  // The whole body: {"error":{"root_cause":[...],"type","reason",...},"status":N}.
  std::string Body() const;

 private:
  unsigned status_;
  std::string type_;
  std::string reason_;
  boost::json::object extra_;
  std::string wrap_type_;
  std::string wrap_reason_;
};

// Common errors.
EsError ParsingError(std::string reason);        // 400 parsing_exception
EsError XContentError(std::string reason);       // 400 x_content_parse_exception
EsError IllegalArgument(std::string reason);     // 400 illegal_argument_exception
EsError ValidationError(std::string reasons);     // 400 action_request_validation_exception
EsError IndexNotFound(std::string_view index);   // 404 index_not_found_exception
EsError InvalidIndexName(std::string_view index, std::string_view why);  // 400
EsError DocumentMissing(std::string_view index, std::string_view id);    // 404
EsError VersionConflict(std::string_view index, std::string_view id, std::string_view why);
// 404 search_context_missing_exception in search_phase_execution_exception: an unknown or expired
// scroll or point-in-time id.
EsError SearchContextMissing(const std::string& id);

// What the failed engine call was doing: decides the ES type of NotFound/InvalidArgument/Conflict.
enum class ErrorScope {
  kIndex,           // looking up or deleting an index: NotFound → index_not_found_exception
  kCreateIndex,     // Conflict → resource_already_exists_exception, InvalidArgument → mapper_parsing
  kDocumentWrite,   // InvalidArgument → document_parsing_exception, Conflict → version_conflict
  kDocumentUpdate,  // NotFound → document_missing_exception
  kSearch,          // InvalidArgument → search_phase_execution_exception(illegal_argument)
  kOther,
};

// The one place engine Status codes become HTTP statuses and Elasticsearch error types.
// `status` must not be OK.
EsError FromStatus(const Status& status, ErrorScope scope, std::string_view index = {},
                   std::string_view id = {});

}  // namespace ultrasearch::server
