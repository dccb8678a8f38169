#include "handler_util.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <set>

#include "es_errors.h"
#include "ultrasearch/wildcard.h"

namespace ultrasearch::server {

void CheckIndexName(std::string_view name) {
  Status s = Engine::ValidateIndexName(name);
  if (!s.ok()) throw InvalidIndexName(name, s.message());
}

namespace {

std::shared_ptr<Index> OpenConcrete(ServerContext& ctx, std::string_view name) {
  if (!Engine::ValidateIndexName(name).ok()) throw IndexNotFound(name);
  auto index = ctx.engine.GetIndex(name);
  if (!index.ok()) throw FromStatus(index.status(), ErrorScope::kIndex, name);
  return std::move(index).value();
}

std::string JoinNames(const std::vector<std::string>& names, std::string_view separator) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : std::string(separator)) + n;
  return out;
}

}  // namespace

ResolvedIndex RequireIndex(ServerContext& ctx, std::string_view name) {
  std::vector<std::string> members = ctx.engine.IndicesOfAlias(name);
  if (members.size() > 1) {
    throw IllegalArgument(fmt::format("alias [{}] has more than one index associated with it [{}], can't execute a "
                                      "single index op",
                                      name, JoinNames(members, ", ")));
  }
  std::string concrete = members.empty() ? std::string(name) : members.front();
  return {concrete, OpenConcrete(ctx, concrete)};
}

IndexOptions IndexOptions::FromRequest(const Request& req) {
  IndexOptions options;
  options.ignore_unavailable = req.BoolParam("ignore_unavailable", false);
  options.allow_no_indices = req.BoolParam("allow_no_indices", true);
  options.visible = req.index_visible;
  if (auto expand = req.Param("expand_wildcards")) {
    bool any = false;
    std::string_view rest = *expand;
    while (!rest.empty() || !any) {
      auto comma = rest.find(',');
      std::string_view value = rest.substr(0, comma);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      // No index here is closed or hidden, so every state but `none` expands to the same indices.
      if (value != "open" && value != "closed" && value != "hidden" && value != "all" && value != "none") {
        throw IllegalArgument(fmt::format("No valid expand wildcard value [{}]", value));
      }
      any = true;
      if (value == "none") options.expand_wildcards = false;
    }
  }
  return options;
}

namespace {

// One resolution; nullopt when an index reached through an alias or wildcard vanished between
// listing and opening it (an alias swap with remove_index), which calls for resolving again.
std::optional<std::vector<ResolvedIndex>> ResolveOnce(ServerContext& ctx, std::string_view expression,
                                                      const IndexOptions& options) {
  std::vector<std::string> indices;  // sorted, as the engine lists them
  std::vector<std::string> aliases;
  bool listed = false;
  auto list_all = [&]() {
    if (!listed) {
      indices = ctx.engine.ListIndices();
      for (const AliasEntry& e : ctx.engine.ListAliases()) {
        if (aliases.empty() || aliases.back() != e.alias) aliases.push_back(e.alias);
      }
      listed = true;
    }
  };
  std::set<std::string> names;
  std::set<std::string> literal;  // names given as such, not reached through an alias or wildcard
  bool wildcard_matched_nothing = false;
  auto add_alias_or_index = [&](const std::string& name) {
    std::vector<std::string> members = ctx.engine.IndicesOfAlias(name);
    if (members.empty()) {
      names.insert(name);
      literal.insert(name);
    } else {
      names.insert(members.begin(), members.end());
    }
  };
  std::string_view rest = expression;
  bool first = true;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string_view part = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (part.empty()) continue;
    // "-pattern" takes away from what earlier parts matched (Elasticsearch: only after a wildcard;
    // a leading one is a name, which index naming rules make invalid).
    bool exclude = !first && part[0] == '-';
    first = false;
    if (exclude) part.remove_prefix(1);
    bool wildcard = part == "_all" || part.find('*') != std::string_view::npos;
    if (wildcard && !options.expand_wildcards && !exclude) continue;
    std::vector<std::string> matched;
    if (wildcard) {
      list_all();
      std::string_view pattern = part == "_all" ? "*" : part;
      auto shown = [&](const std::string& n) { return exclude || !options.visible || options.visible(n); };
      for (const auto& n : indices) {
        if (WildcardMatch(pattern, n) && shown(n)) matched.push_back(n);
      }
      for (const auto& a : aliases) {
        if (WildcardMatch(pattern, a)) {
          for (auto& member : ctx.engine.IndicesOfAlias(a)) {
            if (shown(member)) matched.push_back(std::move(member));
          }
        }
      }
      if (matched.empty() && !exclude) wildcard_matched_nothing = true;
    } else if (exclude) {
      std::vector<std::string> members = ctx.engine.IndicesOfAlias(part);
      matched = members.empty() ? std::vector<std::string>{std::string(part)} : members;
    } else {
      add_alias_or_index(std::string(part));
      continue;
    }
    for (const auto& n : matched) {
      if (exclude) {
        names.erase(n);
      } else {
        names.insert(n);
      }
    }
  }
  if (!options.allow_no_indices && (wildcard_matched_nothing || names.empty())) throw IndexNotFound(expression);
  std::vector<ResolvedIndex> targets;
  for (const std::string& name : names) {
    try {
      targets.push_back({name, OpenConcrete(ctx, name)});
    } catch (const EsError&) {
      if (!literal.count(name)) return std::nullopt;
      if (!options.ignore_unavailable) throw;
    }
  }
  return targets;
}

}  // namespace

std::vector<ResolvedIndex> ResolveIndexExpression(ServerContext& ctx, std::string_view expression,
                                                  const IndexOptions& options) {
  constexpr int kAttempts = 5;
  for (int attempt = 1; attempt < kAttempts; ++attempt) {
    if (auto targets = ResolveOnce(ctx, expression, options)) return std::move(*targets);
  }
  // Still changing after several tries: what remains is what exists now.
  IndexOptions lenient = options;
  lenient.ignore_unavailable = true;
  return ResolveOnce(ctx, expression, lenient).value_or(std::vector<ResolvedIndex>{});
}

bool IndexWasRemoved(ServerContext& ctx, const ResolvedIndex& target) {
  auto now = ctx.engine.GetIndex(target.name);
  return !now.ok() ? now.status().IsNotFound() : now.value() != target.index;
}

std::string WriteIndexName(ServerContext& ctx, std::string_view name) {
  auto target = ctx.engine.WriteIndexOf(name);
  if (!target.ok()) throw IllegalArgument(target.status().message());
  CheckIndexName(*target);
  return std::move(target).value();
}

ResolvedIndex IndexForWrite(ServerContext& ctx, std::string_view name) {
  std::string target = WriteIndexName(ctx, name);
  auto index = ctx.engine.GetOrCreateIndex(target);
  if (!index.ok()) throw FromStatus(index.status(), ErrorScope::kIndex, target);
  return {target, std::move(index).value()};
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
    if (e.type() == "document_parsing_exception") throw;
    throw EsError(400, "document_parsing_exception", "failed to parse: " + e.reason());
  }
}

int64_t ParseTimeValueMs(std::string_view text, std::string_view setting) {
  auto fail = [&] {
    return IllegalArgument(fmt::format(
        "failed to parse setting [{}] with value [{}] as a time value: unit is missing or unrecognized", setting,
        text));
  };
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0 || digits > 15) throw fail();
  int64_t n = std::strtoll(std::string(text.substr(0, digits)).c_str(), nullptr, 10);
  std::string_view unit = text.substr(digits);
  struct Unit {
    std::string_view name;
    double ms;
  };
  static constexpr Unit kUnits[] = {{"nanos", 1e-6}, {"micros", 1e-3}, {"ms", 1},         {"s", 1000},
                                    {"m", 60000},    {"h", 3600000},   {"d", 86400000}};
  for (const Unit& u : kUnits) {
    if (unit == u.name) return static_cast<int64_t>(static_cast<double>(n) * u.ms);
  }
  throw fail();
}

}  // namespace ultrasearch::server
