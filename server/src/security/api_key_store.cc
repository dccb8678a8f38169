#include "security/api_key_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "es_errors.h"
#include "security/atomic_file.h"

namespace ultrasearch::server::security {
namespace json = boost::json;
namespace {

constexpr int kFormatVersion = 1;
constexpr std::string_view kHashScheme = "pbkdf2_sha256";

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool Valid(const ApiKeyRecord& r, int64_t now_ms) {
  return !r.invalidated && (!r.expiration_ms || now_ms < *r.expiration_ms);
}

std::string EncodeHash(std::string_view salt, const Digest& digest, int iterations) {
  return fmt::format("{}${}${}${}", kHashScheme, iterations, Base64Encode(salt),
                     Base64Encode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size())));
}

struct ParsedHash {
  int iterations = 0;
  std::string salt;
  std::string digest;
};

std::optional<ParsedHash> DecodeHash(std::string_view hash) {
  std::vector<std::string_view> parts;
  while (true) {
    auto d = hash.find('$');
    parts.push_back(hash.substr(0, d));
    if (d == std::string_view::npos) break;
    hash.remove_prefix(d + 1);
  }
  if (parts.size() != 4 || parts[0] != kHashScheme) return std::nullopt;
  ParsedHash out;
  try {
    out.iterations = std::stoi(std::string(parts[1]));
  } catch (const std::exception&) {
    return std::nullopt;
  }
  auto salt = Base64Decode(parts[2]);
  auto digest = Base64Decode(parts[3]);
  if (out.iterations < 1 || !salt || !digest || digest->size() != sizeof(Digest)) return std::nullopt;
  out.salt = std::move(*salt);
  out.digest = std::move(*digest);
  return out;
}

json::value OptionalMs(const std::optional<int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object RecordJson(const ApiKeyRecord& r) {
  json::array limited_by;
  for (const RoleSet& l : r.limits) limited_by.push_back(RoleDescriptorsJson(l.roles));
  return json::object{{"id", r.id},
                      {"name", r.name},
                      {"username", r.username},
                      {"realm", r.realm},
                      {"creation", r.creation_ms},
                      {"expiration", OptionalMs(r.expiration_ms)},
                      {"invalidated", r.invalidated},
                      {"invalidation", OptionalMs(r.invalidation_ms)},
                      {"metadata", r.metadata},
                      {"role_descriptors", RoleDescriptorsJson(r.roles)},
                      {"limited_by", std::move(limited_by)},
                      {"hash", r.hash}};
}

std::optional<int64_t> MsField(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  return v->to_number<int64_t>();
}

// Throws (std::exception) on any malformed field: Load turns that into Corruption.
ApiKeyRecord RecordFromJson(const json::value& v) {
  const json::object& o = v.as_object();
  ApiKeyRecord r;
  r.id = std::string(o.at("id").as_string());
  r.name = std::string(o.at("name").as_string());
  r.username = std::string(o.at("username").as_string());
  r.realm = std::string(o.at("realm").as_string());
  r.creation_ms = o.at("creation").to_number<int64_t>();
  r.expiration_ms = MsField(o, "expiration");
  r.invalidated = o.at("invalidated").as_bool();
  r.invalidation_ms = MsField(o, "invalidation");
  r.metadata = o.at("metadata").as_object();
  r.roles = ParseRoleDescriptors(o.at("role_descriptors"));
  for (const auto& l : o.at("limited_by").as_array()) {
    RoleSet set;
    set.roles = ParseRoleDescriptors(l);
    r.limits.push_back(std::move(set));
  }
  r.hash = std::string(o.at("hash").as_string());
  if (!DecodeHash(r.hash)) throw std::runtime_error("malformed hash of key " + r.id);
  return r;
}

}  // namespace

std::optional<double> RequestsPerSecond(const json::object& metadata) {
  const json::value* ours = metadata.if_contains("ultrasearch");
  if (ours == nullptr) return std::nullopt;
  const json::value* rps = ours->is_object() ? ours->as_object().if_contains("requests_per_second") : nullptr;
  if (rps == nullptr) return std::nullopt;
  if (!rps->is_number() || rps->to_number<double>() <= 0) {
    throw IllegalArgument("[metadata.ultrasearch.requests_per_second] must be a positive number");
  }
  return rps->to_number<double>();
}

ApiKeyStore::ApiKeyStore(std::string dir, double default_rps)
    : dir_(std::move(dir)), path_(dir_ + "/api_keys.json"), default_rps_(default_rps) {}

std::shared_ptr<const Principal> ApiKeyStore::MakePrincipal(const ApiKeyRecord& r) const {
  double rps = default_rps_;
  try {
    if (auto own = RequestsPerSecond(r.metadata)) rps = *own;
  } catch (const EsError&) {
    // Validated when minted; a hand-edited file falls back to the default.
  }
  auto p = std::make_shared<Principal>(rps);
  p->key_id = r.id;
  p->key_name = r.name;
  p->username = r.username;
  p->realm = r.realm;
  p->own.unrestricted = r.roles.empty();
  p->own.roles = r.roles;
  p->limits = r.limits;
  return p;
}

Status ApiKeyStore::Load() {
  std::ifstream in(path_, std::ios::binary);
  if (!in) {
    if (std::filesystem::exists(path_)) return Status::IOError("cannot read " + path_);
    return Status::OK();
  }
  std::stringstream text;
  text << in.rdbuf();
  Entries loaded;
  try {
    json::value doc = json::parse(text.str());
    const json::object& o = doc.as_object();
    if (o.at("format_version").to_number<int64_t>() != kFormatVersion) {
      return Status::Corruption(fmt::format("{}: unknown format_version", path_));
    }
    for (const auto& v : o.at("api_keys").as_array()) {
      ApiKeyRecord r = RecordFromJson(v);
      auto principal = MakePrincipal(r);
      std::string id = r.id;
      loaded.emplace(std::move(id), Entry{std::move(r), std::move(principal), std::nullopt});
    }
  } catch (const std::exception& e) {
    return Status::Corruption(fmt::format("{} cannot be read: {}", path_, e.what()));
  }
  std::unique_lock lock(mu_);
  entries_ = std::move(loaded);
  return Status::OK();
}

Status ApiKeyStore::Persist(const Entries& entries) const {
  json::array keys;
  for (const auto& [id, e] : entries) keys.push_back(RecordJson(e.record));
  json::object doc{{"format_version", kFormatVersion}, {"api_keys", std::move(keys)}};
  if (Status s = EnsurePrivateDirectory(dir_); !s.ok()) return s;
  return WriteFileAtomically(path_, json::serialize(doc), 0600);
}

Result<MintedKey> ApiKeyStore::Mint(const Principal& creator, MintRequest request) {
  MintedKey out;
  out.id = Base64UrlEncode(RandomBytes(15));   // 20 characters, as Elasticsearch's ids
  out.api_key = Base64UrlEncode(RandomBytes(16));  // 22 characters, as its secrets
  out.encoded = Base64Encode(out.id + ":" + out.api_key);
  out.name = request.name;

  ApiKeyRecord r;
  r.id = out.id;
  r.name = std::move(request.name);
  r.username = creator.username;
  r.realm = creator.realm;
  r.creation_ms = NowMs();
  if (request.expires_in_ms) r.expiration_ms = r.creation_ms + *request.expires_in_ms;
  out.expiration_ms = r.expiration_ms;
  r.metadata = std::move(request.metadata);
  r.roles = std::move(request.roles);
  for (const RoleSet& set : creator.Chain()) {
    if (!set.unrestricted) r.limits.push_back(set);
  }
  std::string salt = RandomBytes(16);
  r.hash = EncodeHash(salt, Pbkdf2Sha256(out.api_key, salt, kIterations), kIterations);

  std::lock_guard write_lock(write_mu_);
  Entries next;
  {
    std::shared_lock lock(mu_);
    next = entries_;
  }
  auto principal = MakePrincipal(r);
  // The caller holds the secret: no need to run PBKDF2 again on its first use.
  next.emplace(r.id, Entry{r, principal, Sha256(out.api_key)});
  if (Status s = Persist(next); !s.ok()) return s;
  std::unique_lock lock(mu_);
  entries_.emplace(out.id, Entry{std::move(r), std::move(principal), Sha256(out.api_key)});
  return out;
}

std::shared_ptr<const Principal> ApiKeyStore::Authenticate(std::string_view id, std::string_view secret) const {
  Digest fast = Sha256(secret);
  std::string hash;
  {
    std::shared_lock lock(mu_);
    auto it = entries_.find(id);
    if (it == entries_.end() || !Valid(it->second.record, NowMs())) return nullptr;
    if (it->second.verified) {
      return ConstantTimeEqual(*it->second.verified, fast) ? it->second.principal : nullptr;
    }
    hash = it->second.record.hash;
  }
  // First use since start: the slow check, outside the lock.
  auto parsed = DecodeHash(hash);
  if (!parsed) return nullptr;
  Digest slow = Pbkdf2Sha256(secret, parsed->salt, parsed->iterations);
  if (!ConstantTimeEqual(std::string_view(reinterpret_cast<const char*>(slow.data()), slow.size()), parsed->digest)) {
    return nullptr;
  }
  std::unique_lock lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end() || !Valid(it->second.record, NowMs())) return nullptr;  // invalidated meanwhile
  it->second.verified = fast;
  return it->second.principal;
}

std::vector<ApiKeyRecord> ApiKeyStore::List() const {
  std::vector<ApiKeyRecord> out;
  {
    std::shared_lock lock(mu_);
    for (const auto& [id, e] : entries_) {
      out.push_back(e.record);
      out.back().hash.clear();
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const ApiKeyRecord& a, const ApiKeyRecord& b) { return a.creation_ms < b.creation_ms; });
  return out;
}

Result<InvalidateOutcome> ApiKeyStore::Invalidate(const std::function<bool(const ApiKeyRecord&)>& match) {
  std::lock_guard write_lock(write_mu_);
  Entries next;
  {
    std::shared_lock lock(mu_);
    next = entries_;
  }
  InvalidateOutcome outcome;
  int64_t now = NowMs();
  for (auto& [id, e] : next) {
    if (!match(e.record)) continue;
    if (e.record.invalidated) {
      outcome.previously_invalidated.push_back(id);
      continue;
    }
    e.record.invalidated = true;
    e.record.invalidation_ms = now;
    e.verified.reset();
    outcome.invalidated.push_back(id);
  }
  if (outcome.invalidated.empty()) return outcome;
  if (Status s = Persist(next); !s.ok()) return s;
  std::unique_lock lock(mu_);
  for (const std::string& id : outcome.invalidated) {
    auto it = entries_.find(id);
    if (it == entries_.end()) continue;
    it->second.record.invalidated = true;
    it->second.record.invalidation_ms = now;
    it->second.verified.reset();
  }
  return outcome;
}

}  // namespace ultrasearch::server::security
