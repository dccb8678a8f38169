#include "es_errors.h"

#include <fmt/format.h>

#include "json_util.h"
#include "ultrasearch/limits.h"

namespace ultrasearch::server {

EsError::EsError(unsigned status, std::string type, std::string reason)
    : std::runtime_error(reason), status_(status), type_(std::move(type)), reason_(std::move(reason)) {}

EsError& EsError::WrapIn(std::string type, std::string reason) {
  wrap_type_ = std::move(type);
  wrap_reason_ = std::move(reason);
  return *this;
}

json::object EsError::Cause() const {
  json::object cause;
  cause["type"] = type_;
  cause["reason"] = reason_;
  for (const auto& [key, value] : extra_) cause[key] = value;
  return cause;
}

std::string EsError::Body() const {
  json::object cause = Cause();
  json::object error;
  error["root_cause"] = json::array{cause};
  if (wrap_type_.empty()) {
    for (const auto& [key, value] : cause) error[key] = value;
  } else {
    error["type"] = wrap_type_;
    error["reason"] = wrap_reason_;
    if (wrap_type_ == "search_phase_execution_exception") {
      error["phase"] = "query";
      error["grouped"] = true;
      json::object failure{{"shard", 0}, {"index", extra_.contains("index") ? extra_.at("index") : nullptr},
                           {"node", "ultrasearch"}, {"reason", cause}};
      error["failed_shards"] = json::array{failure};
    }
    error["caused_by"] = cause;
  }
  json::object body;
  body["error"] = std::move(error);
  body["status"] = status_;
  return json::serialize(body);
}

EsError ParsingError(std::string reason) { return EsError(400, "parsing_exception", std::move(reason)); }
EsError XContentError(std::string reason) {
  return EsError(400, "x_content_parse_exception", std::move(reason));
}
EsError SearchContextMissing(const std::string& id) {
  EsError e(404, "search_context_missing_exception", fmt::format("No search context found for id [{}]", id));
  e.WrapIn("search_phase_execution_exception", "all shards failed");
  return e;
}
EsError IllegalArgument(std::string reason) {
  return EsError(400, "illegal_argument_exception", std::move(reason));
}
EsError ValidationError(std::string reasons) {
  return EsError(400, "action_request_validation_exception",
                 fmt::format("Validation Failed: {}", reasons));
}

EsError IndexNotFound(std::string_view index) {
  EsError e(404, "index_not_found_exception", fmt::format("no such index [{}]", index));
  e.extra()["resource.type"] = "index_or_alias";
  e.extra()["resource.id"] = index;
  e.extra()["index_uuid"] = "_na_";
  e.extra()["index"] = index;
  return e;
}

EsError InvalidIndexName(std::string_view index, std::string_view why) {
  EsError e(400, "invalid_index_name_exception", fmt::format("Invalid index name [{}], {}", index, why));
  e.extra()["index_uuid"] = "_na_";
  e.extra()["index"] = index;
  return e;
}

EsError DocumentMissing(std::string_view index, std::string_view id) {
  EsError e(404, "document_missing_exception", fmt::format("[{}]: document missing", id));
  e.extra()["index_uuid"] = "_na_";
  e.extra()["shard"] = "0";
  e.extra()["index"] = index;
  return e;
}

namespace {
EsError VersionConflictWithReason(std::string_view index, std::string reason) {
  EsError e(409, "version_conflict_engine_exception", std::move(reason));
  e.extra()["index_uuid"] = "_na_";
  e.extra()["shard"] = "0";
  e.extra()["index"] = index;
  return e;
}
}  // namespace

EsError VersionConflict(std::string_view index, std::string_view id, std::string_view why) {
  EsError e(409, "version_conflict_engine_exception", fmt::format("[{}]: version conflict, {}", id, why));
  e.extra()["index_uuid"] = "_na_";
  e.extra()["shard"] = "0";
  e.extra()["index"] = index;
  return e;
}

EsError FromStatus(const Status& status, ErrorScope scope, std::string_view index, std::string_view id) {
  const std::string& msg = status.message();
  switch (status.code()) {
    case Status::Code::kOk:
    case Status::Code::kInternal:
      break;
    case Status::Code::kNotFound:
      if (scope == ErrorScope::kDocumentUpdate && !id.empty()) return DocumentMissing(index, id);
      if (!index.empty() && scope != ErrorScope::kOther) return IndexNotFound(index);
      return EsError(404, "resource_not_found_exception", msg);
    case Status::Code::kInvalidArgument:
      switch (scope) {
        case ErrorScope::kDocumentWrite:
        case ErrorScope::kDocumentUpdate:
          // Elasticsearch 8.8+ reports a document its mapping cannot take as
          // document_parsing_exception; mapping definitions keep mapper_parsing_exception.
          return EsError(400, "document_parsing_exception", msg.empty() ? "failed to parse" : msg);
        case ErrorScope::kCreateIndex:
          return EsError(400, "mapper_parsing_exception", msg);
        case ErrorScope::kSearch: {
          // Lucene's clause limits keep their own types (IndexSearcher.TooManyClauses and
          // TooManyNestedClauses); the engine words their reasons as Lucene does.
          std::string type = "illegal_argument_exception";
          if (msg.rfind(limits::kTooManyNestedClausesReason, 0) == 0) type = "too_many_nested_clauses";
          else if (msg.rfind(limits::kTooManyClausesReason, 0) == 0) type = "too_many_clauses";
          EsError e(400, std::move(type), msg);
          if (!index.empty()) e.extra()["index"] = index;
          e.WrapIn("search_phase_execution_exception", "all shards failed");
          return e;
        }
        default:
          return IllegalArgument(msg);
      }
    case Status::Code::kConflict:
      if (scope == ErrorScope::kCreateIndex) {
        EsError e(400, "resource_already_exists_exception",
                  fmt::format("index [{}/_na_] already exists", index));
        e.extra()["index_uuid"] = "_na_";
        e.extra()["index"] = index;
        return e;
      }
      // The engine words document conflicts as Elasticsearch does: "[ID]: version conflict, ...".
      if (msg.empty()) return VersionConflict(index, id, "document already exists");
      return VersionConflictWithReason(index, msg);
    case Status::Code::kBusy:
      return EsError(429, "es_rejected_execution_exception", msg);
    case Status::Code::kUnavailable:
      return EsError(503, "unavailable_shards_exception", msg);
    case Status::Code::kCorruption:
      return EsError(500, "corrupt_index_exception", msg);
    case Status::Code::kCancelled:
      return EsError(400, "task_cancelled_exception", msg);
    case Status::Code::kIOError:
      return EsError(500, "io_exception", msg);
    case Status::Code::kNoSpace:
      // Elasticsearch's answer once a disk passes the flood-stage watermark: retry later.
      return EsError(429, "cluster_block_exception",
                     fmt::format("index [{}] blocked by: [TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage "
                                 "watermark, index has read-only-allow-delete block]; {}",
                                 index.empty() ? "_all" : index, msg));
  }
  return EsError(500, "exception", msg.empty() ? "internal error" : msg);
}

}  // namespace ultrasearch::server
