#include "handler_util.h"

#include <fmt/format.h>

#include <algorithm>

#include "es_errors.h"
#include "ultrasearch/wildcard.h"

namespace ultrasearch::server {

void CheckIndexName(std::string_view name) {
  Status s = Engine::ValidateIndexName(name);
  if (!s.ok()) throw InvalidIndexName(name, s.message());
}

std::shared_ptr<Index> RequireIndex(ServerContext& ctx, std::string_view name) {
  if (!Engine::ValidateIndexName(name).ok()) throw IndexNotFound(name);
  auto index = ctx.engine.GetIndex(name);
  if (!index.ok()) throw FromStatus(index.status(), ErrorScope::kIndex, name);
  return std::move(index).value();
}

std::vector<ResolvedIndex> ResolveIndexExpression(ServerContext& ctx, std::string_view expression,
                                                  bool ignore_unavailable,
                                                  const std::function<bool(std::string_view)>& visible) {
  std::vector<std::string> names;
  std::vector<std::string> all;
  bool listed = false;
  auto list_all = [&]() -> const std::vector<std::string>& {
    if (!listed) all = ctx.engine.ListIndices(), listed = true;
    return all;
  };
  std::string_view rest = expression;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string_view part = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (part.empty()) continue;
    if (part == "_all" || part == "*") {
      for (const auto& n : list_all()) {
        if (!visible || visible(n)) names.push_back(n);
      }
    } else if (part.find('*') != std::string_view::npos) {
      for (const auto& n : list_all()) {
        if (WildcardMatch(part, n) && (!visible || visible(n))) names.push_back(n);
      }
    } else {
      names.emplace_back(part);
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::vector<ResolvedIndex> targets;
  for (const std::string& name : names) {
    try {
      targets.push_back({name, RequireIndex(ctx, name)});
    } catch (const EsError&) {
      if (!ignore_unavailable) throw;
    }
  }
  return targets;
}

std::shared_ptr<Index> IndexForWrite(ServerContext& ctx, std::string_view name) {
  CheckIndexName(name);
  auto index = ctx.engine.GetOrCreateIndex(name);
  if (!index.ok()) throw FromStatus(index.status(), ErrorScope::kIndex, name);
  return std::move(index).value();
}

void CheckDocId(std::string_view id) {
  if (id.empty()) throw ValidationError("1: id is missing;");
  if (id.size() > kMaxDocumentIdBytes) {
    throw ValidationError(fmt::format("1: id [{}] is too long, must be no longer than {} bytes but was: {};", id,
                                      kMaxDocumentIdBytes, id.size()));
  }
}

bool RefreshIfAsked(const Request& req, Index& index) {
  auto refresh = req.Param("refresh");
  if (!refresh || *refresh == "false") return false;
  if (!refresh->empty() && *refresh != "true" && *refresh != "wait_for") {
    throw IllegalArgument(fmt::format("Unknown value for refresh: [{}].", *refresh));
  }
  Status s = index.Refresh();
  if (!s.ok()) throw FromStatus(s, ErrorScope::kIndex, index.name());
  return true;
}

std::string_view ResultName(WriteResult::Kind kind) {
  switch (kind) {
    case WriteResult::Kind::kCreated: return "created";
    case WriteResult::Kind::kUpdated: return "updated";
    case WriteResult::Kind::kDeleted: return "deleted";
    case WriteResult::Kind::kNotFound: return "not_found";
    case WriteResult::Kind::kNoop: return "noop";
  }
  return "updated";
}

boost::json::object WriteResultJson(std::string_view index, const WriteResult& r) {
  boost::json::object o;
  o["_index"] = index;
  o["_id"] = r.id;
  o["_version"] = r.version;
  o["result"] = ResultName(r.kind);
  if (r.kind == WriteResult::Kind::kNoop) {
    o["_shards"] = {{"total", 0}, {"successful", 0}, {"failed", 0}};
  } else {
    o["_shards"] = {{"total", 2}, {"successful", 1}, {"failed", 0}};
  }
  o["_seq_no"] = r.seq_no;
  o["_primary_term"] = 1;
  return o;
}

unsigned WriteStatus(const WriteResult& r) {
  if (r.kind == WriteResult::Kind::kCreated) return 201;
  if (r.kind == WriteResult::Kind::kNotFound) return 404;
  return 200;
}

int64_t MillisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
}

std::string StableUuid(std::string_view seed) {
  // Two rounds of FNV-1a give 128 bits; printed in URL-safe base64 like Elasticsearch's uuids.
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  uint64_t h1 = 1469598103934665603ULL, h2 = 1099511628211ULL * 31;
  for (unsigned char c : seed) {
    h1 = (h1 ^ c) * 1099511628211ULL;
    h2 = (h2 ^ c) * 1099511628211ULL + 0x9E3779B97F4A7C15ULL;
  }
  std::string out;
  for (int i = 0; i < 22; ++i) {
    uint64_t& h = i < 11 ? h1 : h2;
    out += kAlphabet[h & 63];
    h >>= 6;
    if (i == 10) h2 ^= h1;
  }
  return out;
}

}  // namespace ultrasearch::server

#include "json_util.h"

namespace ultrasearch::server {

void ValidateDocument(std::string_view json) {
  if (json.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    throw ValidationError("1: source is missing;");
  }
  try {
    ValidateJsonObject(json, "document");
  } catch (const EsError& e) {
    if (e.type() == "mapper_parsing_exception") throw;
    throw EsError(400, "mapper_parsing_exception", "failed to parse: " + e.reason());
  }
}

}  // namespace ultrasearch::server
