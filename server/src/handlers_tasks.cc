// Long-running requests as tasks: POST /_reindex, POST /INDEX/_delete_by_query,
// POST /INDEX/_update_by_query, POST /INDEX/_ultrasearch/reindex (rebuild the text index from the
// catalog), and GET /_tasks/ID. With wait_for_completion=false they answer {"task":"node:N"} at
// once; otherwise the request waits for the task and answers its response.
#include <fmt/format.h>

#include <cctype>
#include <charconv>

#include "by_query.h"
#include "es_errors.h"
#include "handler_util.h"
#include "handlers.h"
#include "json_util.h"
#include "query_dsl.h"
#include "security/authorize.h"
#include "ultrasearch/limits.h"

namespace ultrasearch::server {
namespace {

// Starts the task, then answers {"task": ID} or, when the caller waits, the task's response.
Reply StartTask(ServerContext& ctx, const Request& req, std::string action, std::string description,
                TaskManager::Work work) {
  const bool wait = req.BoolParam("wait_for_completion", true);
  uint64_t id = ctx.tasks.Start(std::move(action), std::move(description), std::move(work));
  if (!wait) {
    return JsonReply(200, json::serialize(json::object{{"task", fmt::format("{}:{}", ctx.tasks.node_id(), id)}}));
  }
  return JsonReply(200, json::serialize(ctx.tasks.Await(id)));
}

std::optional<uint64_t> MaxDocs(const Request& req, const json::object* body) {
  std::optional<uint64_t> max_docs;
  if (auto p = req.IntParam("max_docs")) max_docs = static_cast<uint64_t>(*p);
  if (body != nullptr) {
    if (const json::value* v = body->if_contains("max_docs")) {
      if (!v->is_int64() || v->as_int64() < 0) throw ParsingError("[max_docs] must be a non-negative integer");
      max_docs = static_cast<uint64_t>(v->as_int64());
    }
  }
  if (max_docs && *max_docs == 0) throw ValidationError("1: maxDocs should be greater than 0 if the request is limited to some number of documents or -1 if it isn't but it was [0];");
  return max_docs;
}

bool AbortOnConflict(std::string_view value) {
  if (value == "abort") return true;
  if (value == "proceed") return false;
  throw IllegalArgument(fmt::format("conflicts may only be \"proceed\" or \"abort\" but was [{}]", value));
}

size_t BatchSize(int64_t n) {
  if (n <= 0 || n > limits::kMaxResultWindow) {
    throw IllegalArgument(fmt::format("batch size [{}] must be between 1 and {}", n, limits::kMaxResultWindow));
  }
  return static_cast<size_t>(n);
}

// _delete_by_query and _update_by_query: the path's indices, the body's query.
Reply ByQuery(ServerContext& ctx, const Request& req, ByQueryJob::Kind kind) {
  ByQueryJob job;
  job.kind = kind;
  const std::string& expression = req.segments[0];
  // The search half of the job needs read access as well as the write the route checked.
  security::CheckIndexExpression(req, security::Action::kSearch, expression);
  job.sources = ResolveIndexExpression(ctx, expression, IndexOptions::FromRequest(req));
  job.abort_on_conflict = AbortOnConflict(req.Param("conflicts").value_or("abort"));
  job.refresh = req.BoolParam("refresh", false);
  if (auto n = req.IntParam("scroll_size")) job.batch_size = BatchSize(*n);
  json::value body;
  const json::object* object = nullptr;
  if (req.has_body()) {
    body = ParseJson(req.body);
    object = body.if_object();
    if (object == nullptr) throw ParsingError("request body must be an object");
    for (const auto& [key, v] : *object) {
      if (key == "query") {
        job.query = ParseQuery(v, ctx.engine.analyzers());
      } else if (key == "script") {
        throw IllegalArgument("scripts are not supported by this server; _update_by_query without a script "
                              "re-analyses the matching documents");
      } else if (key == "conflicts" && v.is_string()) {
        job.abort_on_conflict = AbortOnConflict(v.get_string());
      } else if (key != "max_docs") {
        throw ParsingError(fmt::format("Unknown key for a VALUE_STRING in [{}].", std::string_view(key)));
      }
    }
  } else if (kind == ByQueryJob::Kind::kDelete) {
    throw ValidationError("1: query is missing;");
  }
  job.max_docs = MaxDocs(req, object);
  std::string names;
  for (const auto& s : job.sources) names += (names.empty() ? "" : ", ") + s.name;
  const bool is_delete = kind == ByQueryJob::Kind::kDelete;
  std::string description = fmt::format("{}-by-query [{}]", is_delete ? "delete" : "update", names);
  std::string action = is_delete ? "indices:data/write/delete/byquery" : "indices:data/write/update/byquery";
  return StartTask(ctx, req, std::move(action), std::move(description),
                   [job = std::move(job)](TaskControl& control) { return RunByQuery(job, control); });
}

std::vector<std::string> IndexNames(const json::value& v, std::string_view field) {
  std::vector<std::string> names;
  if (v.is_string()) {
    names.emplace_back(v.get_string());
  } else if (v.is_array()) {
    for (const auto& item : v.get_array()) {
      if (!item.is_string()) throw ParsingError(fmt::format("[{}] must be a string or an array of strings", field));
      names.emplace_back(item.get_string());
    }
  } else {
    throw ParsingError(fmt::format("[{}] must be a string or an array of strings", field));
  }
  return names;
}

// GET /_tasks' timeout: a number with a unit (ms, s, m, h).
std::optional<std::chrono::milliseconds> ParseTimeParam(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + digits, n);
  if (digits == 0 || ec != std::errc()) return std::nullopt;
  std::string_view unit = text.substr(digits);
  if (unit == "ms") return std::chrono::milliseconds(n);
  if (unit == "s") return std::chrono::seconds(n);
  if (unit == "m") return std::chrono::minutes(n);
  if (unit == "h") return std::chrono::hours(n);
  return std::nullopt;
}

}  // namespace

Reply HandleDeleteByQuery(ServerContext& ctx, const Request& req) { return ByQuery(ctx, req, ByQueryJob::Kind::kDelete); }
Reply HandleUpdateByQuery(ServerContext& ctx, const Request& req) { return ByQuery(ctx, req, ByQueryJob::Kind::kUpdate); }

Reply HandleReindex(ServerContext& ctx, const Request& req) {
  json::value body = ParseJson(req.has_body() ? req.body : "{}");
  if (!body.is_object()) throw ParsingError("request body must be an object");
  ByQueryJob job;
  job.kind = ByQueryJob::Kind::kReindex;
  job.abort_on_conflict = AbortOnConflict(req.Param("conflicts").value_or("abort"));
  job.refresh = req.BoolParam("refresh", false);
  std::vector<std::string> source_names;
  std::string dest_name;
  for (const auto& [key, v] : body.get_object()) {
    if (key == "source" && v.is_object()) {
      for (const auto& [skey, sv] : v.get_object()) {
        if (skey == "index") {
          source_names = IndexNames(sv, "source.index");
        } else if (skey == "query") {
          job.query = ParseQuery(sv, ctx.engine.analyzers());
        } else if (skey == "size" && sv.is_int64()) {
          job.batch_size = BatchSize(sv.as_int64());
        } else if (skey == "remote") {
          throw IllegalArgument("reindex from a remote cluster is not supported by this server");
        } else {
          throw ParsingError(fmt::format("[source] unknown field [{}]", std::string_view(skey)));
        }
      }
    } else if (key == "dest" && v.is_object()) {
      for (const auto& [dkey, dv] : v.get_object()) {
        if (dkey == "index" && dv.is_string()) {
          dest_name = std::string(dv.get_string());
        } else if (dkey == "op_type" && dv.is_string() && (dv.get_string() == "create" || dv.get_string() == "index")) {
          job.dest_create = dv.get_string() == "create";
        } else if (dkey == "version_type" && dv.is_string() && dv.get_string() == "internal") {
          // the default
        } else {
          throw ParsingError(fmt::format("[dest] unknown field [{}]", std::string_view(dkey)));
        }
      }
    } else if (key == "conflicts" && v.is_string()) {
      job.abort_on_conflict = AbortOnConflict(v.get_string());
    } else if (key == "script") {
      throw IllegalArgument("scripts are not supported by this server");
    } else if (key != "max_docs") {
      throw ParsingError(fmt::format("[reindex] unknown field [{}]", std::string_view(key)));
    }
  }
  std::string missing;
  if (source_names.empty()) missing += "1: use _all if you really want to copy from all existing indexes;";
  if (dest_name.empty()) missing += fmt::format("{}: index must be specified;", missing.empty() ? 1 : 2);
  if (!missing.empty()) throw ValidationError(missing);
  job.max_docs = MaxDocs(req, &body.get_object());

  std::string source_expression;
  for (const auto& n : source_names) source_expression += (source_expression.empty() ? "" : ",") + n;
  // Read access to the sources, write access to the destination, as Elasticsearch checks them.
  security::CheckIndexExpression(req, security::Action::kSearch, source_expression);
  IndexOptions options;
  options.visible = security::VisibleIndices(req, security::Action::kSearch);
  job.sources = ResolveIndexExpression(ctx, source_expression, options);
  std::string dest_index = WriteIndexName(ctx, dest_name);
  for (const auto& s : job.sources) {
    if (s.name == dest_index) {
      throw ValidationError(fmt::format("1: reindex cannot write into an index its reading from [{}];", dest_index));
    }
  }
  security::CheckIndices(req, job.dest_create ? security::Action::kCreateDoc : security::Action::kIndexDoc,
                         {dest_index});
  job.dest = IndexForWrite(ctx, dest_name);
  std::string description = fmt::format("reindex from [{}] to [{}]", source_expression, job.dest.name);
  return StartTask(ctx, req, "indices:data/write/reindex", std::move(description),
                   [job = std::move(job)](TaskControl& control) { return RunByQuery(job, control); });
}

Reply HandleTextReindex(ServerContext& ctx, const Request& req) {
  ResolvedIndex target = RequireIndex(ctx, req.segments[0]);
  std::string description = fmt::format("rebuild the text index of [{}] from its catalog", target.name);
  return StartTask(ctx, req, "indices:admin/ultrasearch/reindex", std::move(description),
                   [target](TaskControl& control) {
                     const auto started = std::chrono::steady_clock::now();
                     auto status = [](uint64_t done, uint64_t total) {
                       return json::object{{"total", total},     {"updated", done}, {"created", 0},
                                           {"deleted", 0},       {"batches", 1},    {"version_conflicts", 0},
                                           {"noops", 0}};
                     };
                     control.SetStatus(status(0, 0));
                     uint64_t last_total = 0;
                     Status s = target.index->Reindex([&](uint64_t done, uint64_t total) {
                       last_total = total;
                       // Progress every thousand documents is plenty for a poller and cheap.
                       if (done % 1000 == 0 || done == total) control.SetStatus(status(done, total));
                     });
                     if (!s.ok()) throw FromStatus(s, ErrorScope::kIndex, target.name);
                     auto stats = target.index->Stats();
                     uint64_t indexed = stats.ok() ? stats->indexed_documents : last_total;
                     control.SetStatus(status(indexed, indexed));
                     json::object out = status(indexed, indexed);
                     out["took"] = MillisSince(started);
                     out["timed_out"] = false;
                     out["index"] = target.name;
                     out["failures"] = json::array();
                     return out;
                   });
}

Reply HandleForceMerge(ServerContext& ctx, const Request& req) {
  // Elasticsearch merges segments; here both stores are compacted whole (Index::ForceMerge), which
  // is what max_num_segments=1 asks for. Expunging only deletions is not a separate pass: a full
  // compaction drops them too.
  if (auto n = req.IntParam("max_num_segments"); n && *n < 1 && *n != -1) {
    throw IllegalArgument(fmt::format("max_num_segments must be a positive number or -1, got [{}]", *n));
  }
  std::vector<std::shared_ptr<Index>> indices = IndicesOfAdminRequest(ctx, req);
  std::string names;
  for (const auto& index : indices) names += (names.empty() ? "" : ",") + index->name();
  return StartTask(ctx, req, "indices:admin/forcemerge", fmt::format("Force-merge indices [{}]", names),
                   [indices](TaskControl&) {
                     for (const auto& index : indices) {
                       Status s = index->ForceMerge();
                       if (!s.ok()) throw FromStatus(s, ErrorScope::kIndex, index->name());
                     }
                     const auto n = static_cast<int64_t>(indices.size());
                     return json::object{{"_shards", json::object{{"total", n}, {"successful", n}, {"failed", 0}}}};
                   });
}

Reply HandleGetTask(ServerContext& ctx, const Request& req) {
  uint64_t id = ctx.tasks.ParseTaskId(req.segments[1]);
  std::chrono::milliseconds wait{0};
  if (req.BoolParam("wait_for_completion", false)) {
    wait = std::chrono::seconds(30);  // Elasticsearch's default timeout
    if (auto t = req.Param("timeout")) {
      auto parsed = ParseTimeParam(*t);
      if (!parsed) throw IllegalArgument(fmt::format("failed to parse setting [timeout] with value [{}] as a time value", *t));
      wait = *parsed;
    }
  }
  return JsonReply(200, json::serialize(ctx.tasks.Describe(id, wait)));
}

}  // namespace ultrasearch::server
