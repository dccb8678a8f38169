#include "write_request.h"

#include <fmt/format.h>

#include <charconv>

#include "es_errors.h"
#include "http_types.h"
#include "json_util.h"

namespace ultrasearch::server {

namespace {

// Elasticsearch parses these as Java longs.
int64_t ParseLong(std::string_view key, std::string_view text) {
  int64_t out = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || end != text.data() + text.size()) {
    throw IllegalArgument(fmt::format("Failed to parse long parameter [{}] with value [{}]", key, text));
  }
  return out;
}

std::optional<uint64_t> ParseNonNegative(std::string_view key, std::string_view text, std::string_view what) {
  int64_t v = ParseLong(key, text);
  if (v == -2 && what != "version") return std::nullopt;  // Elasticsearch's "unassigned"
  if (v < 0) throw IllegalArgument(fmt::format("{} must be non negative. got [{}].", what, v));
  return static_cast<uint64_t>(v);
}

std::string ObjectField(const json::value& value, std::string_view key) {
  if (!value.is_object()) throw XContentError(fmt::format("[UpdateRequest] failed to parse field [{}]", key));
  return Dump(value);
}

bool BoolField(const json::value& value, std::string_view key) {
  auto b = ToBool(value);
  if (!b) throw XContentError(fmt::format("[UpdateRequest] failed to parse field [{}]", key));
  return *b;
}

std::string ScalarField(const json::value& value, std::string_view key) {
  auto s = ScalarToString(value);
  if (!s || value.is_bool()) throw XContentError(fmt::format("[UpdateRequest] failed to parse field [{}]", key));
  return *s;
}

}  // namespace

void ParseUpdateBody(std::string_view body, WriteOp* op) {
  json::value v = ParseJson(body, "update request");
  if (!v.is_object()) {
    throw XContentError(fmt::format("[UpdateRequest] Expected START_OBJECT but was: {}", TokenName(v)));
  }
  bool has_doc = false;
  for (const auto& [key, value] : v.get_object()) {
    if (key == "doc") {
      op->json = ObjectField(value, key);
      has_doc = true;
    } else if (key == "upsert") {
      op->upsert_json = ObjectField(value, key);
    } else if (key == "doc_as_upsert") {
      op->doc_as_upsert = BoolField(value, key);
    } else if (key == "detect_noop") {
      op->detect_noop = BoolField(value, key);
    } else if (key == "if_seq_no" || key == "if_primary_term") {
      SetWriteOption(key, ScalarField(value, key), op);
    } else if (key == "script" || key == "scripted_upsert") {
      throw IllegalArgument("scripted updates are not supported by this server");
    } else if (key != "_source") {
      // _source asks for the updated document in the answer ("get"), which is not offered.
      throw XContentError(fmt::format("[UpdateRequest] unknown field [{}]", std::string_view(key)));
    }
  }
  std::string problems;
  int n = 0;
  if (!has_doc) problems += fmt::format("{}: script or doc is missing;", ++n);
  if (!has_doc && op->doc_as_upsert) problems += fmt::format("{}: doc must be specified if doc_as_upsert is enabled;", ++n);
  if (!problems.empty()) throw ValidationError(problems);
}

bool IsWriteOption(std::string_view key) {
  return key == "if_seq_no" || key == "if_primary_term" || key == "version" || key == "version_type";
}

void SetWriteOption(std::string_view key, std::string_view value, WriteOp* op) {
  if (key == "if_seq_no") {
    op->if_seq_no = ParseNonNegative(key, value, "sequence numbers");
  } else if (key == "if_primary_term") {
    int64_t term = ParseLong(key, value);
    if (term < 0) throw IllegalArgument(fmt::format("primary term must be non negative. got [{}]", term));
    op->if_primary_term = term == 0 ? std::nullopt : std::optional<uint64_t>(term);
  } else if (key == "version") {
    int64_t version = ParseLong(key, value);
    if (version < 0) throw ValidationError(fmt::format("1: illegal version value [{}] for version type [{}];", version,
                                                       op->version_type == VersionType::kExternalGte ? "EXTERNAL_GTE"
                                                                                                     : "EXTERNAL"));
    op->version = static_cast<uint64_t>(version);
  } else if (key == "version_type") {
    if (value == "internal") op->version_type = VersionType::kInternal;
    else if (value == "external") op->version_type = VersionType::kExternal;
    else if (value == "external_gte") op->version_type = VersionType::kExternalGte;
    else throw IllegalArgument(fmt::format("No version type match [{}]", value));
  }
}

void SetWriteOptions(const Request& req, WriteOp* op) {
  // version_type first: a version's validation names it.
  for (const char* key : {"version_type", "version", "if_seq_no", "if_primary_term"}) {
    if (auto value = req.Param(key)) SetWriteOption(key, *value, op);
  }
}

void ValidateOrThrow(const WriteOp& op) {
  Status s = ValidateWriteOp(op);
  if (!s.ok()) throw ValidationError(fmt::format("1: {};", s.message()));
}

}  // namespace ultrasearch::server
