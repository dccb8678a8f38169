// POST /_bulk and /INDEX/_bulk: NDJSON action/metadata lines and sources, grouped into one
// Index::Write per index (one durable group commit each), per-item results in request order.
#include <fmt/format.h>

#include <map>
#include <optional>

#include "es_errors.h"
#include "handler_util.h"
#include "handlers.h"
#include "json_util.h"
#include "security/authorize.h"
#include "ultrasearch/utf8.h"
#include "write_request.h"

namespace ultrasearch::server {
namespace {

struct BulkItem {
  std::string action;  // index, create, update, delete
  std::string index;
  WriteOp op;
  std::optional<EsError> error;  // rejected before reaching the engine
  WriteOpResult result;
};

class LineReader {
 public:
  explicit LineReader(std::string_view body) : body_(body) {}
  // The next line (without "\r\n"), nullopt at the end.
  std::optional<std::string_view> Next() {
    if (pos_ >= body_.size()) return std::nullopt;
    auto nl = body_.find('\n', pos_);
    if (nl == std::string_view::npos) {
      throw IllegalArgument("The bulk request must be terminated by a newline [\\n]");
    }
    std::string_view line = body_.substr(pos_, nl - pos_);
    pos_ = nl + 1;
    ++line_no_;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
  }
  int line_no() const { return line_no_; }

 private:
  std::string_view body_;
  std::size_t pos_ = 0;
  int line_no_ = 0;
};

bool Blank(std::string_view s) { return s.find_first_not_of(" \t\r") == std::string_view::npos; }

WriteOp::Type OpType(std::string_view action) {
  if (action == "index") return WriteOp::Type::kIndex;
  if (action == "create") return WriteOp::Type::kCreate;
  if (action == "update") return WriteOp::Type::kUpdate;
  return WriteOp::Type::kDelete;
}

// Reads one action line's metadata into `item`; throws EsError for the whole request.
void ParseAction(std::string_view line, int line_no, const std::string& default_index, BulkItem* item) {
  json::value v;
  try {
    v = ParseJson(line, fmt::format("action/metadata line [{}]", line_no));
  } catch (const EsError& e) {
    throw IllegalArgument(fmt::format("Malformed action/metadata line [{}]: {}", line_no, e.reason()));
  }
  if (!v.is_object()) {
    throw IllegalArgument(fmt::format("Malformed action/metadata line [{}], expected START_OBJECT but found [{}]",
                                      line_no, TokenName(v)));
  }
  const json::object& o = v.get_object();
  if (o.size() != 1) {
    throw IllegalArgument(fmt::format(
        "Malformed action/metadata line [{}], expected a single action but found {} fields", line_no, o.size()));
  }
  item->action = std::string(o.begin()->key());
  if (item->action != "index" && item->action != "create" && item->action != "update" && item->action != "delete") {
    throw IllegalArgument(fmt::format(
        "Malformed action/metadata line [{}], expected field [create], [delete], [index] or [update] but found [{}]",
        line_no, item->action));
  }
  const json::value& meta = o.begin()->value();
  if (!meta.is_object()) {
    throw IllegalArgument(fmt::format("Malformed action/metadata line [{}], expected START_OBJECT but found [{}]",
                                      line_no, TokenName(meta)));
  }
  item->op.type = OpType(item->action);
  item->index = default_index;
  for (const auto& [key, value] : meta.get_object()) {
    if (key == "_index") {
      if (!value.is_string()) throw IllegalArgument(fmt::format("Action/metadata line [{}]: [_index] must be a string", line_no));
      item->index = std::string(value.get_string());
    } else if (key == "_id") {
      auto id = ScalarToString(value);
      if (!id || value.is_bool()) throw IllegalArgument(fmt::format("Action/metadata line [{}]: [_id] must be a string", line_no));
      item->op.id = *id;
    } else if (IsWriteOption(key)) {
      auto text = ScalarToString(value);
      if (!text || value.is_bool()) {
        throw IllegalArgument(fmt::format("Malformed action/metadata line [{}], expected a simple value for field [{}] "
                                          "but found [{}]",
                                          line_no, std::string_view(key), TokenName(value)));
      }
      SetWriteOption(key, *text, &item->op);
    } else if (key != "routing" && key != "pipeline" && key != "require_alias" &&
               key != "retry_on_conflict" && key != "dynamic_templates" && key != "_source" &&
               key != "op_type" && key != "require_data_stream" && key != "list_executed_pipelines") {
      throw IllegalArgument(fmt::format("Action/metadata line [{}] contains an unknown parameter [{}]", line_no,
                                        std::string_view(key)));
    }
  }
  if (item->op.type == WriteOp::Type::kUpdate &&
      (item->op.version || item->op.version_type != VersionType::kInternal)) {
    throw IllegalArgument("Update requests do not support versioning. Please use `if_seq_no` and `if_primary_term` instead");
  }
}

std::vector<BulkItem> ParseBulk(const Request& req) {
  std::string default_index = req.segments.size() >= 2 ? req.segments[0] : "";
  std::vector<BulkItem> items;
  LineReader reader(req.body);
  std::string problems;
  int problem_count = 0;
  while (auto line = reader.Next()) {
    if (Blank(*line)) continue;
    BulkItem item;
    int action_line = reader.line_no();
    ParseAction(*line, action_line, default_index, &item);
    if (item.op.type != WriteOp::Type::kDelete) {
      auto source = reader.Next();
      if (!source) {
        throw IllegalArgument(fmt::format("Malformed action/metadata line [{}]: the source line is missing",
                                          action_line));
      }
      if (item.op.type == WriteOp::Type::kUpdate) {
        // As in Elasticsearch, a malformed update line fails the whole request.
        ParseUpdateBody(*source, &item.op);
      } else {
        try {
          ValidateDocument(*source);
          item.op.json = std::string(*source);
        } catch (const EsError& e) {
          item.error = e;
        }
      }
    }
    std::size_t n = items.size();
    if (item.index.empty()) problems += fmt::format("{}: index is missing for item {};", ++problem_count, n);
    if (item.op.id.empty() && (item.op.type == WriteOp::Type::kUpdate || item.op.type == WriteOp::Type::kDelete)) {
      problems += fmt::format("{}: id is missing for item {};", ++problem_count, n);
    } else if (Status s = ValidateWriteOp(item.op); !s.ok()) {
      problems += fmt::format("{}: {};", ++problem_count, s.message());
    }
    items.push_back(std::move(item));
  }
  if (items.empty()) throw ValidationError("1: no requests added;");
  if (!problems.empty()) throw ValidationError(problems);
  return items;
}

// Runs the items of one index as one Write: the engine applies them in request order, each
// seeing the ones before it, as Elasticsearch applies a shard's bulk items.
void RunIndex(ServerContext& ctx, const std::string& name, const std::vector<BulkItem*>& batch) {
  std::shared_ptr<Index> index;
  try {
    index = IndexForWrite(ctx, name).index;
  } catch (const EsError& e) {
    for (BulkItem* item : batch) item->error = e;
    return;
  }
  std::vector<WriteOp> ops;
  ops.reserve(batch.size());
  for (BulkItem* item : batch) ops.push_back(item->op);
  auto results = index->Write(ops);
  if (!results.ok()) {
    EsError e = FromStatus(results.status(), ErrorScope::kDocumentWrite, index->name());
    for (BulkItem* item : batch) item->error = e;
    return;
  }
  ctx.activity.CountWrites(index->name(), ops, *results);
  for (std::size_t i = 0; i < batch.size(); ++i) batch[i]->result = std::move((*results)[i]);
}

security::Action ItemAction(WriteOp::Type type) {
  switch (type) {
    case WriteOp::Type::kIndex: return security::Action::kIndexDoc;
    case WriteOp::Type::kCreate: return security::Action::kCreateDoc;
    case WriteOp::Type::kUpdate: return security::Action::kUpdateDoc;
    case WriteOp::Type::kDelete: return security::Action::kDeleteDoc;
  }
  return security::Action::kIndexDoc;
}

// Each item is authorized on its own index, as Elasticsearch does: a refused item gets a 403
// error in its slot and the others proceed.
void Authorize(const Request& req, std::vector<BulkItem>* items) {
  if (!req.principal || req.principal->Unrestricted()) return;
  for (BulkItem& item : *items) {
    if (item.error) continue;
    security::Action action = ItemAction(item.op.type);
    if (!security::AllowsIndex(req, action, item.index)) {
      item.error = security::Forbidden(*req.principal, action, {item.index});
    }
  }
}

json::object ItemJson(const BulkItem& item) {
  const std::string& name = item.index;
  std::optional<EsError> error = item.error;
  if (!error && !item.result.status.ok()) {
    ErrorScope scope = item.action == "update" ? ErrorScope::kDocumentUpdate : ErrorScope::kDocumentWrite;
    error = FromStatus(item.result.status, scope, name, item.op.id);
  }
  json::object body;
  if (error) {
    body["_index"] = name;
    if (item.op.id.empty()) body["_id"] = nullptr;
    else body["_id"] = item.op.id;
    body["status"] = error->status();
    body["error"] = error->Cause();
  } else {
    body = WriteResultJson(name, item.result.result);
    body["status"] = WriteStatus(item.result.result);
  }
  return json::object{{item.action, std::move(body)}};
}

}  // namespace

Reply HandleBulk(ServerContext& ctx, const Request& req) {
  auto start = std::chrono::steady_clock::now();
  if (auto bad = FindInvalidUtf8(req.body)) {
    throw XContentError(fmt::format("failed to parse bulk request: invalid UTF-8 at byte offset {}", *bad));
  }
  std::vector<BulkItem> items = ParseBulk(req);
  Authorize(req, &items);

  // Items name indices or aliases; each goes to its concrete index (an alias's write index), the
  // name its result reports.
  std::map<std::string, std::vector<BulkItem*>> by_index;
  for (BulkItem& item : items) {
    if (item.error) continue;
    try {
      item.index = WriteIndexName(ctx, item.index);
    } catch (const EsError& e) {
      item.error = e;
      continue;
    }
    by_index[item.index].push_back(&item);
  }
  for (const auto& [name, batch] : by_index) RunIndex(ctx, name, batch);

  if (req.Param("refresh")) {
    for (const auto& [name, batch] : by_index) {
      auto index = ctx.engine.GetIndex(name);
      if (index.ok()) RefreshIfAsked(req, **index);
    }
  }

  bool errors = false;
  json::array out_items;
  out_items.reserve(items.size());
  for (const BulkItem& item : items) {
    json::object entry = ItemJson(item);
    errors |= entry.begin()->value().as_object().contains("error");
    out_items.push_back(std::move(entry));
  }
  json::object out{{"took", MillisSince(start)}, {"errors", errors}, {"items", std::move(out_items)}};
  return JsonReply(200, json::serialize(out));
}

}  // namespace ultrasearch::server
