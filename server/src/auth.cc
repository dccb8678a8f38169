#include "auth.h"

#include <cctype>
#include <fstream>

namespace ultrasearch::server {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

// The credential after "ApiKey " or "Bearer " (schemes are case-insensitive), or empty.
std::string_view Credential(std::string_view authorization) {
  std::string_view value = Trim(authorization);
  for (std::string_view scheme : {std::string_view("ApiKey "), std::string_view("Bearer ")}) {
    if (StartsWithNoCase(value, scheme)) return Trim(value.substr(scheme.size()));
  }
  return {};
}

}  // namespace

Status Authenticator::Load(const std::string& keys_file, const std::string& data_dir, double default_rps) {
  std::ifstream in(keys_file);
  if (!in) return Status::InvalidArgument("cannot read api-keys file " + keys_file);
  std::string line;
  while (std::getline(in, line)) {
    std::string_view key = Trim(line);
    if (key.empty() || key.front() == '#') continue;
    auto p = std::make_shared<security::Principal>(default_rps);
    p->bootstrap = true;
    p->key_id = "bootstrap-" + std::to_string(bootstrap_.size() + 1);
    p->key_name = p->key_id;
    p->username = "admin";
    p->realm = "api_keys_file";
    p->own.unrestricted = true;
    bootstrap_.push_back({security::Sha256(key), std::move(p)});
  }
  if (bootstrap_.empty()) return Status::InvalidArgument("api-keys file " + keys_file + " holds no key");
  store_ = std::make_unique<security::ApiKeyStore>(data_dir + "/security", default_rps);
  return store_->Load();
}

std::shared_ptr<const security::Principal> Authenticator::Authenticate(std::string_view authorization) const {
  std::string_view credential = Credential(authorization);
  if (credential.empty()) return nullptr;
  security::Digest digest = security::Sha256(credential);
  std::shared_ptr<const security::Principal> found;
  for (const Bootstrap& b : bootstrap_) {
    // Every entry is compared, so the time does not tell which line matched.
    if (security::ConstantTimeEqual(b.digest, digest)) found = b.principal;
  }
  if (found || store_ == nullptr) return found;
  auto decoded = security::Base64Decode(credential);
  if (!decoded) return nullptr;
  auto colon = decoded->find(':');
  if (colon == std::string::npos || colon == 0) return nullptr;
  return store_->Authenticate(std::string_view(*decoded).substr(0, colon),
                              std::string_view(*decoded).substr(colon + 1));
}

}  // namespace ultrasearch::server
