// /_security/api_key (create, get, invalidate) and /_security/_authenticate, shaped as
// Elasticsearch 8 answers them. The route table requires manage_api_key (or manage_security, or
// all) for the api_key endpoints; _authenticate only a valid key.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include "es_errors.h"
#include "handler_util.h"
#include "handlers.h"
#include "json_util.h"
#include "security/api_key_store.h"
#include "security/principal.h"
#include "ultrasearch/wildcard.h"

namespace ultrasearch::server {
namespace {

using security::ApiKeyRecord;

security::ApiKeyStore& Store(ServerContext& ctx) {
  if (ctx.auth.store() == nullptr) {
    throw EsError(500, "security_exception",
                  "API keys need security enabled: start the server with --api-keys FILE (its lines are the admin "
                  "keys that mint the others)");
  }
  return *ctx.auth.store();
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

security::MintRequest ParseCreate(const Request& req, const security::Principal& creator) {
  json::value body = ParseJson(req.body);
  if (!body.is_object()) throw ParsingError("request body must be an object");
  security::MintRequest out;
  bool has_name = false;
  for (const auto& [key, v] : body.get_object()) {
    if (key == "name") {
      if (!v.is_string()) throw XContentError("[api_key_request] failed to parse field [name]");
      out.name = std::string(v.get_string());
      has_name = true;
    } else if (key == "role_descriptors") {
      if (!v.is_null()) out.roles = security::ParseRoleDescriptors(v);
    } else if (key == "expiration") {
      if (v.is_null()) continue;
      if (!v.is_string()) throw XContentError("[api_key_request] failed to parse field [expiration]");
      int64_t ms = ParseTimeValueMs(v.get_string(), "expiration");
      if (ms <= 0) throw IllegalArgument("[expiration] must be positive");
      out.expires_in_ms = ms;
    } else if (key == "metadata") {
      if (v.is_null()) continue;
      if (!v.is_object()) throw XContentError("[api_key_request] failed to parse field [metadata]");
      out.metadata = v.get_object();
    } else if (key != "type") {
      throw XContentError(fmt::format("[api_key_request] unknown field [{}]", std::string_view(key)));
    }
  }
  std::string problems;
  int n = 0;
  if (!has_name || out.name.empty()) problems += fmt::format("{}: api key name is required;", ++n);
  if (out.name.size() > 1024) problems += fmt::format("{}: api key name may not be more than [1024] characters long;", ++n);
  if (!out.name.empty() && out.name.front() == '_') problems += fmt::format("{}: api key name may not begin with an underscore;", ++n);
  for (const auto& [key, value] : out.metadata) {
    if (!key.empty() && key.front() == '_') {
      problems += fmt::format("{}: metadata keys may not start with [_];", ++n);
      break;
    }
  }
  if (!problems.empty()) throw ValidationError(problems);
  security::RequestsPerSecond(out.metadata);  // throws when malformed
  if (!creator.bootstrap && !out.roles.empty()) {
    // Elasticsearch's rule: a key minted by a key gets no privileges of its own; it is limited to
    // its creator's.
    throw IllegalArgument(
        "creating derived api keys requires an explicit role descriptor that is empty (has no privileges)");
  }
  return out;
}

json::object KeyJson(const ApiKeyRecord& r) {
  json::object o{{"id", r.id},
                 {"name", r.name},
                 {"type", "rest"},
                 {"creation", r.creation_ms}};
  if (r.expiration_ms) o["expiration"] = *r.expiration_ms;
  o["invalidated"] = r.invalidated;
  if (r.invalidation_ms) o["invalidation"] = *r.invalidation_ms;
  o["username"] = r.username;
  o["realm"] = r.realm;
  o["metadata"] = r.metadata;
  o["role_descriptors"] = security::RoleDescriptorsJson(r.roles);
  return o;
}

// Keys selected by the id / name / username / realm_name criteria (name may hold wildcards).
struct KeyFilter {
  std::optional<std::string> id, name, username, realm;
  bool owner = false;
  const security::Principal* caller = nullptr;

  bool Empty() const { return !id && !name && !username && !realm && !owner; }
  bool Matches(const ApiKeyRecord& r) const {
    if (id && r.id != *id) return false;
    if (name && !WildcardMatch(*name, r.name)) return false;
    if (username && r.username != *username) return false;
    if (realm && r.realm != *realm) return false;
    if (owner && caller && (r.username != caller->username || r.realm != caller->realm)) return false;
    return true;
  }
};

}  // namespace

Reply HandleCreateApiKey(ServerContext& ctx, const Request& req) {
  security::ApiKeyStore& store = Store(ctx);
  security::MintRequest request = ParseCreate(req, *req.principal);
  auto minted = store.Mint(*req.principal, std::move(request));
  if (!minted.ok()) throw FromStatus(minted.status(), ErrorScope::kOther);
  json::object out{{"id", minted->id}, {"name", minted->name}};
  if (minted->expiration_ms) out["expiration"] = *minted->expiration_ms;
  out["api_key"] = minted->api_key;
  out["encoded"] = minted->encoded;
  return JsonReply(200, json::serialize(out));
}

Reply HandleGetApiKeys(ServerContext& ctx, const Request& req) {
  security::ApiKeyStore& store = Store(ctx);
  KeyFilter filter;
  if (auto v = req.Param("id")) filter.id = std::string(*v);
  if (auto v = req.Param("name")) filter.name = std::string(*v);
  if (auto v = req.Param("username")) filter.username = std::string(*v);
  if (auto v = req.Param("realm_name")) filter.realm = std::string(*v);
  filter.owner = req.BoolParam("owner", false);
  filter.caller = req.principal.get();
  bool active_only = req.BoolParam("active_only", false);
  int64_t now = NowMs();
  json::array keys;
  for (const ApiKeyRecord& r : store.List()) {
    if (!filter.Matches(r)) continue;
    bool active = !r.invalidated && (!r.expiration_ms || now < *r.expiration_ms);
    if (active_only && !active) continue;
    keys.push_back(KeyJson(r));
  }
  return JsonReply(200, json::serialize(json::object{{"api_keys", std::move(keys)}}));
}

Reply HandleInvalidateApiKeys(ServerContext& ctx, const Request& req) {
  security::ApiKeyStore& store = Store(ctx);
  json::value body = ParseJson(req.body);
  if (!body.is_object()) throw ParsingError("request body must be an object");
  KeyFilter filter;
  filter.caller = req.principal.get();
  std::vector<std::string> ids;
  for (const auto& field : body.get_object()) {
    std::string_view key = field.key();
    const json::value& v = field.value();
    auto text = [key, &v]() -> std::string {
      if (!v.is_string()) throw XContentError(fmt::format("[invalidate_api_key_request] failed to parse field [{}]", key));
      return std::string(v.get_string());
    };
    if (key == "ids") {
      if (!v.is_array()) throw XContentError("[invalidate_api_key_request] failed to parse field [ids]");
      for (const auto& id : v.get_array()) {
        if (!id.is_string()) throw XContentError("[invalidate_api_key_request] failed to parse field [ids]");
        ids.emplace_back(id.get_string());
      }
    } else if (key == "id") {
      ids.push_back(text());
    } else if (key == "name") {
      filter.name = text();
    } else if (key == "username") {
      filter.username = text();
    } else if (key == "realm_name") {
      filter.realm = text();
    } else if (key == "owner") {
      if (!v.is_bool()) throw XContentError("[invalidate_api_key_request] failed to parse field [owner]");
      filter.owner = v.get_bool();
    } else {
      throw XContentError(fmt::format("[invalidate_api_key_request] unknown field [{}]", key));
    }
  }
  if (ids.empty() && filter.Empty()) {
    throw ValidationError(
        "1: One of [api key id(s), api key name, username, realm name] must be specified if [owner] flag is false;");
  }
  auto outcome = store.Invalidate([&](const ApiKeyRecord& r) {
    if (!ids.empty() && std::find(ids.begin(), ids.end(), r.id) == ids.end()) return false;
    return filter.Matches(r);
  });
  if (!outcome.ok()) throw FromStatus(outcome.status(), ErrorScope::kOther);
  json::object out{{"invalidated_api_keys", json::array(outcome->invalidated.begin(), outcome->invalidated.end())},
                   {"previously_invalidated_api_keys",
                    json::array(outcome->previously_invalidated.begin(), outcome->previously_invalidated.end())},
                   {"error_count", 0}};
  return JsonReply(200, json::serialize(out));
}

Reply HandleAuthenticate(ServerContext&, const Request& req) {
  if (!req.principal) {
    throw EsError(500, "security_exception", "security is not enabled: start the server with --api-keys FILE");
  }
  const security::Principal& p = *req.principal;
  json::object out{{"username", p.username},
                   {"roles", p.bootstrap ? json::array{"superuser"} : json::array{}},
                   {"full_name", nullptr},
                   {"email", nullptr},
                   {"metadata", json::object()},
                   {"enabled", true}};
  if (p.bootstrap) {
    json::object realm{{"name", p.realm}, {"type", "file"}};
    out["authentication_realm"] = realm;
    out["lookup_realm"] = realm;
    out["authentication_type"] = "realm";
  } else {
    json::object realm{{"name", "_es_api_key"}, {"type", "_es_api_key"}};
    out["authentication_realm"] = realm;
    out["lookup_realm"] = realm;
    out["authentication_type"] = "api_key";
    out["api_key"] = json::object{{"id", p.key_id}, {"name", p.key_name}};
  }
  return JsonReply(200, json::serialize(out));
}

}  // namespace ultrasearch::server
