// Authentication: who sent a request. The --api-keys file's lines are bootstrap (superuser) keys,
// sent raw as `Authorization: ApiKey <key>` or `Bearer <key>`; minted keys (security/api_key_store.h)
// are sent as Elasticsearch sends them, `ApiKey base64(id:api_key)` (or `Bearer` with the same).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "security/api_key_store.h"
#include "security/crypto.h"
#include "security/principal.h"
#include "ultrasearch/status.h"

namespace ultrasearch::server {

class Authenticator {
 public:
  // Reads the bootstrap keys (non-empty lines, surrounding whitespace trimmed; lines starting
  // with '#' are comments) and the minted keys under `data_dir`/security. Requests per key are
  // limited to `default_rps` unless a key says otherwise (0: no limit). InvalidArgument when the
  // file cannot be read or holds no key; the store's errors when its file is unreadable.
  // Call once, before the first request; afterwards the object is thread-safe.
  Status Load(const std::string& keys_file, const std::string& data_dir, double default_rps);

  bool enabled() const { return !bootstrap_.empty(); }

  // The principal the `Authorization` header value names, or nullptr when it names none (no
  // header, an unknown scheme, an unknown, wrong, invalidated or expired key).
  std::shared_ptr<const security::Principal> Authenticate(std::string_view authorization) const;

  // Minted keys; null until Load.
  security::ApiKeyStore* store() const { return store_.get(); }

 private:
  struct Bootstrap {
    security::Digest digest;  // SHA-256 of the key: the raw key is not kept in memory
    std::shared_ptr<const security::Principal> principal;
  };
  std::vector<Bootstrap> bootstrap_;
  std::unique_ptr<security::ApiKeyStore> store_;
};

}  // namespace ultrasearch::server
