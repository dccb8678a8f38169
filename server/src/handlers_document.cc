// Single-document APIs: _doc, _create, _update, _source and _mget.
#include <fmt/format.h>

#include <map>

#include "es_errors.h"
#include "handler_util.h"
#include "handlers.h"
#include "json_util.h"
#include "security/authorize.h"
#include "source_filter.h"
#include "write_request.h"

namespace ultrasearch::server {
namespace {

Reply WriteReply(std::string_view index, const WriteResult& r, bool refreshed) {
  json::object out = WriteResultJson(index, r);
  if (refreshed) out["forced_refresh"] = true;
  return JsonReply(WriteStatus(r), json::serialize(out));
}

// Runs one operation; throws the Elasticsearch error of a refused one.
WriteResult WriteOne(ServerContext& ctx, Index& index, const WriteOp& op, ErrorScope scope) {
  auto r = index.Write({op});
  if (!r.ok()) throw FromStatus(r.status(), scope, index.name(), op.id);
  ctx.activity.CountWrites(index.name(), {op}, *r);
  const WriteOpResult& one = r->at(0);
  if (!one.status.ok()) throw FromStatus(one.status, scope, index.name(), op.id);
  return one.result;
}

Reply Put(ServerContext& ctx, const Request& req, WriteOp::Type type) {
  const std::string& name = req.segments[0];
  const std::string& id = req.segments[2];
  CheckDocId(id);
  WriteOp op(type, id);
  SetWriteOptions(req, &op);
  ValidateOrThrow(op);
  ValidateDocument(req.body);
  op.json = req.body;
  ResolvedIndex target = IndexForWrite(ctx, name);
  WriteResult r = WriteOne(ctx, *target.index, op, ErrorScope::kDocumentWrite);
  return WriteReply(target.name, r, RefreshIfAsked(req, *target.index));
}

// The document part of a get: {"_index","_id","_version","_seq_no","_primary_term","found","_source"}.
std::string DocJson(std::string_view index, const Index::Document& doc, const SourceFilter& filter) {
  std::string out = fmt::format(R"({{"_index":{},"_id":{},"_version":{},"_seq_no":{},"_primary_term":1,"found":true)",
                                Quote(index), Quote(doc.id), doc.version, doc.seq_no);
  if (filter.fetch) {
    out += R"(,"_source":)";
    out += filter.Apply(doc.source_json);
  }
  out += '}';
  return out;
}

std::string MissingDocJson(std::string_view index, std::string_view id) {
  return fmt::format(R"({{"_index":{},"_id":{},"found":false}})", Quote(index), Quote(id));
}

}  // namespace

Reply HandlePutDoc(ServerContext& ctx, const Request& req) {
  auto op_type = req.Param("op_type");
  if (op_type && *op_type != "index" && *op_type != "create") {
    throw IllegalArgument(fmt::format("opType must be 'create' or 'index', found: [{}]", *op_type));
  }
  return Put(ctx, req, op_type == std::optional<std::string_view>("create") ? WriteOp::Type::kCreate
                                                                           : WriteOp::Type::kIndex);
}

Reply HandleCreateDoc(ServerContext& ctx, const Request& req) { return Put(ctx, req, WriteOp::Type::kCreate); }

Reply HandleAutoIdDoc(ServerContext& ctx, const Request& req) {
  const std::string& name = req.segments[0];
  ValidateDocument(req.body);
  ResolvedIndex target = IndexForWrite(ctx, name);
  WriteResult r =
      WriteOne(ctx, *target.index, WriteOp(WriteOp::Type::kCreate, "", req.body), ErrorScope::kDocumentWrite);
  return WriteReply(target.name, r, RefreshIfAsked(req, *target.index));
}

Reply HandleGetDoc(ServerContext& ctx, const Request& req) {
  const std::string& id = req.segments[2];
  auto [name, index] = RequireIndex(ctx, req.segments[0]);
  auto doc = index->Get(id);
  if (!doc.ok()) {
    if (doc.status().IsNotFound()) return JsonReply(404, MissingDocJson(name, id));
    throw FromStatus(doc.status(), ErrorScope::kOther, name, id);
  }
  return JsonReply(200, DocJson(name, *doc, SourceFilter::FromParams(req)));
}

Reply HandleGetSource(ServerContext& ctx, const Request& req) {
  const std::string& id = req.segments[2];
  auto [name, index] = RequireIndex(ctx, req.segments[0]);
  auto doc = index->Get(id);
  if (!doc.ok()) {
    if (doc.status().IsNotFound()) {
      throw EsError(404, "resource_not_found_exception", fmt::format("Document not found [{}]/[{}]", name, id));
    }
    throw FromStatus(doc.status(), ErrorScope::kOther, name, id);
  }
  return JsonReply(200, SourceFilter::FromParams(req).Apply(doc->source_json));
}

Reply HandleDeleteDoc(ServerContext& ctx, const Request& req) {
  const std::string& id = req.segments[2];
  CheckDocId(id);
  WriteOp op(WriteOp::Type::kDelete, id);
  SetWriteOptions(req, &op);
  ValidateOrThrow(op);
  const std::string name = WriteIndexName(ctx, req.segments[0]);
  auto index = ctx.engine.GetIndex(name);
  if (!index.ok()) {
    if (!index.status().IsNotFound()) throw FromStatus(index.status(), ErrorScope::kIndex, name);
    // Elasticsearch answers a delete in a missing index as a missing document.
    WriteResult missing;
    missing.kind = WriteResult::Kind::kNotFound;
    missing.id = id;
    missing.version = 1;
    return WriteReply(name, missing, false);
  }
  WriteResult r = WriteOne(ctx, **index, op, ErrorScope::kDocumentWrite);
  return WriteReply(name, r, RefreshIfAsked(req, **index));
}

Reply HandleUpdateDoc(ServerContext& ctx, const Request& req) {
  const std::string name = WriteIndexName(ctx, req.segments[0]);
  const std::string& id = req.segments[2];
  CheckDocId(id);
  if (req.Param("version") || req.Param("version_type")) {
    throw ValidationError(
        "1: internal versioning can not be used for optimistic concurrency control. Please use `if_seq_no` and "
        "`if_primary_term` instead;");
  }
  WriteOp op(WriteOp::Type::kUpdate, id);
  SetWriteOptions(req, &op);
  ParseUpdateBody(req.body, &op);
  if (auto retries = req.IntParam("retry_on_conflict"); retries && *retries > 0 && op.if_seq_no) {
    throw ValidationError("1: compare and write operations can not be retried;");
  }
  ValidateOrThrow(op);
  // Conflicts cannot arise between reading and writing the document (the engine resolves the
  // update under its writer lock), so retry_on_conflict has nothing left to retry.
  std::shared_ptr<Index> index;
  if (op.upsert_json || op.doc_as_upsert) {
    index = IndexForWrite(ctx, name).index;
  } else {
    auto found = ctx.engine.GetIndex(name);
    if (!found.ok()) throw DocumentMissing(name, id);
    index = std::move(found).value();
  }
  WriteResult r = WriteOne(ctx, *index, op, ErrorScope::kDocumentUpdate);
  return WriteReply(name, r, RefreshIfAsked(req, *index));
}

Reply HandleMget(ServerContext& ctx, const Request& req) {
  std::string default_index = req.segments.size() >= 2 ? req.segments[0] : "";
  json::value body = ParseJson(req.body);
  if (!body.is_object()) throw ParsingError("request body must be an object");
  struct Item {
    std::string index, id;
    SourceFilter filter;
  };
  std::vector<Item> items;
  SourceFilter base = SourceFilter::FromParams(req);
  std::string errors;
  for (const auto& [key, v] : body.get_object()) {
    if (key == "ids") {
      if (!v.is_array()) throw ParsingError("[mget] ids must be an array");
      for (const auto& id : v.get_array()) {
        auto s = ScalarToString(id);
        if (!s) throw ParsingError("[mget] ids must be strings");
        items.push_back({default_index, *s, base});
      }
    } else if (key == "docs") {
      if (!v.is_array()) throw ParsingError("[mget] docs must be an array");
      for (const auto& d : v.get_array()) {
        if (!d.is_object()) throw ParsingError("[mget] docs must hold objects");
        Item item{default_index, "", base};
        for (const auto& [k, value] : d.get_object()) {
          if (k == "_index") {
            if (!value.is_string()) throw ParsingError("[mget] _index must be a string");
            item.index = std::string(value.get_string());
          } else if (k == "_id") {
            auto s = ScalarToString(value);
            if (!s) throw ParsingError("[mget] _id must be a string");
            item.id = *s;
          } else if (k == "_source") {
            item.filter = SourceFilter::FromJson(value);
          } else if (k != "routing" && k != "stored_fields") {
            throw ParsingError(fmt::format("[mget] unknown field [{}]", std::string_view(k)));
          }
        }
        items.push_back(std::move(item));
      }
    } else {
      throw ParsingError(fmt::format("[mget] unknown field [{}]", std::string_view(key)));
    }
  }
  if (items.empty()) throw ValidationError("1: no documents to get;");
  int problems = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].index.empty()) errors += fmt::format("{}: index is missing for doc {};", ++problems, i);
    if (items[i].id.empty()) errors += fmt::format("{}: id is missing for doc {};", ++problems, i);
  }
  if (!errors.empty()) throw ValidationError(errors);

  std::map<std::string, ResolvedIndex> open;
  std::string out = R"({"docs":[)";
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Item& item = items[i];
    if (i) out += ',';
    try {
      // Each document is authorized on its own index: a refused one gets a 403 entry, the others
      // are read, as Elasticsearch answers _mget.
      security::CheckIndices(req, security::Action::kGet, {item.index});
      auto it = open.find(item.index);
      if (it == open.end()) it = open.emplace(item.index, RequireIndex(ctx, item.index)).first;
      const auto& [concrete, index] = it->second;
      auto doc = index->Get(item.id);
      if (doc.ok()) {
        out += DocJson(concrete, *doc, item.filter);
      } else if (doc.status().IsNotFound()) {
        out += MissingDocJson(concrete, item.id);
      } else {
        throw FromStatus(doc.status(), ErrorScope::kOther, concrete, item.id);
      }
    } catch (const EsError& e) {
      json::object error = e.Cause();
      error["root_cause"] = json::array{e.Cause()};
      json::object entry{{"_index", item.index}, {"_id", item.id}, {"error", std::move(error)}};
      out += json::serialize(entry);
    }
  }
  out += "]}";
  return JsonReply(200, std::move(out));
}

}  // namespace ultrasearch::server
