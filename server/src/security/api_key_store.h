// Minted API keys: created, listed, invalidated, and checked on every request.
//
// On disk: DATA/security/api_keys.json (mode 0600, replaced atomically on every change):
//   {"format_version":1,"api_keys":[{"id","name","username","realm","creation":ms,
//    "expiration":ms|null,"invalidated":bool,"invalidation":ms|null,"metadata":{},
//    "role_descriptors":{ROLE:{cluster,indices,...}},"limited_by":[{ROLE:{...}}...],
//    "hash":"pbkdf2_sha256$ITERATIONS$SALT_B64$DIGEST_B64"}]}
// The secret itself is never stored: only its PBKDF2-HMAC-SHA256 with a per-key 16-byte salt.
// `limited_by` holds the permissions of the key that minted it (none for a bootstrap key), so a
// scoped key can never mint a wider one. Mirrored in docs/storage-format.md.
//
// Verifying PBKDF2 costs milliseconds, so after the first success the key's SHA-256 is kept in
// memory (as Elasticsearch's API key cache) and later requests compare that in constant time.
// Invalidation and expiry are checked on every request, so they take effect at once.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "security/crypto.h"
#include "security/principal.h"
#include "ultrasearch/status.h"

namespace ultrasearch::server::security {

struct ApiKeyRecord {
  std::string id;
  std::string name;
  std::string username;  // owner
  std::string realm;
  int64_t creation_ms = 0;  // epoch milliseconds
  std::optional<int64_t> expiration_ms;
  bool invalidated = false;
  std::optional<int64_t> invalidation_ms;
  boost::json::object metadata;
  std::vector<Role> roles;       // empty: the creator's permissions
  std::vector<RoleSet> limits;   // the creator's chain of permissions
  std::string hash;              // never returned by List()
};

struct MintRequest {
  std::string name;
  std::vector<Role> roles;
  std::optional<int64_t> expires_in_ms;  // from the creation time
  boost::json::object metadata;
};

struct MintedKey {
  std::string id;
  std::string name;
  std::optional<int64_t> expiration_ms;
  std::string api_key;  // the secret, shown once
  std::string encoded;  // base64(id:api_key)
};

struct InvalidateOutcome {
  std::vector<std::string> invalidated;
  std::vector<std::string> previously_invalidated;
};

// The requests-per-second limit in a key's metadata ("ultrasearch": {"requests_per_second": N}),
// or nullopt. Throws EsError 400 when present but not a positive number.
std::optional<double> RequestsPerSecond(const boost::json::object& metadata);

// Thread-safe. Mint and Invalidate serialise among themselves and persist before returning;
// Authenticate only waits for the brief in-memory swap that follows.
class ApiKeyStore {
 public:
  static constexpr int kIterations = 210000;  // OWASP's figure for PBKDF2-HMAC-SHA256 (2023)

  // `dir` is DATA/security; keys without their own limit get `default_rps` (0: none).
  ApiKeyStore(std::string dir, double default_rps);

  // Reads the file when it exists. Corruption when it cannot be parsed (the server must not start
  // with keys it cannot check), IOError when it cannot be read.
  Status Load();

  // Creates a key owned by `creator`. IOError/NoSpace when it cannot be persisted (then it does
  // not exist).
  Result<MintedKey> Mint(const Principal& creator, MintRequest request);

  // The principal of a valid (known, not invalidated, not expired) key whose secret matches, or
  // nullptr. Never throws for bad input.
  std::shared_ptr<const Principal> Authenticate(std::string_view id, std::string_view secret) const;

  // Every key (invalidated ones too), oldest first, without hashes.
  std::vector<ApiKeyRecord> List() const;

  // Invalidates the keys `match` selects and persists. IOError/NoSpace leaves them valid.
  Result<InvalidateOutcome> Invalidate(const std::function<bool(const ApiKeyRecord&)>& match);

 private:
  struct Entry {
    ApiKeyRecord record;
    std::shared_ptr<const Principal> principal;
    std::optional<Digest> verified;  // SHA-256 of the secret once PBKDF2 accepted it
  };

  using Entries = std::map<std::string, Entry, std::less<>>;

  std::shared_ptr<const Principal> MakePrincipal(const ApiKeyRecord& r) const;
  Status Persist(const Entries& entries) const;  // requires write_mu_

  const std::string dir_;
  const std::string path_;
  const double default_rps_;
  std::mutex write_mu_;  // serialises Mint and Invalidate (and their file writes)
  mutable std::shared_mutex mu_;
  mutable Entries entries_;  // GUARDED_BY(mu_); `verified` is a cache
};

}  // namespace ultrasearch::server::security
