// What the single-document endpoints and _bulk share when they build an engine WriteOp: the update
// body ({"doc","upsert","doc_as_upsert","detect_noop","_source",...}) and the concurrency-control
// options (if_seq_no, if_primary_term, version, version_type), from a query string or from a bulk
// action's metadata. All throw EsError shaped as Elasticsearch answers the same mistake.
#pragma once

#include <string_view>

#include "ultrasearch/engine.h"

namespace ultrasearch::server {

struct Request;

// Fills op->json, upsert_json, doc_as_upsert, detect_noop (and if_seq_no / if_primary_term, which
// Elasticsearch also takes in the body) from an update request body. 400 x_content_parse_exception
// for malformed JSON, a field of the wrong type or an unknown field; illegal_argument_exception for
// scripts, which this server does not run.
void ParseUpdateBody(std::string_view body, WriteOp* op);

// True for the options SetWriteOption understands.
bool IsWriteOption(std::string_view key);
// Sets one of if_seq_no, if_primary_term, version, version_type from its text. 400
// illegal_argument_exception for a value that is not a number or not a known version type.
void SetWriteOption(std::string_view key, std::string_view value, WriteOp* op);
// Reads the write options present in the query string.
void SetWriteOptions(const Request& req, WriteOp* op);

// The engine's own checks of id and option combination (ValidateWriteOp) as Elasticsearch's
// 400 action_request_validation_exception, before anything is written.
void ValidateOrThrow(const WriteOp& op);

}  // namespace ultrasearch::server
