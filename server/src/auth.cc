#include "auth.h"

#include <fstream>

namespace ultrasearch::server {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

Status ApiKeys::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::InvalidArgument("cannot read api-keys file " + path);
  std::string line;
  while (std::getline(in, line)) {
    std::string_view key = Trim(line);
    if (key.empty() || key.front() == '#') continue;
    keys_.emplace(key);
  }
  if (keys_.empty()) return Status::InvalidArgument("api-keys file " + path + " holds no key");
  return Status::OK();
}

bool ApiKeys::Allows(std::string_view authorization) const {
  if (keys_.empty()) return true;
  std::string_view value = Trim(authorization);
  constexpr std::string_view kScheme = "ApiKey ";
  if (value.size() <= kScheme.size()) return false;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(value[i])) !=
        std::tolower(static_cast<unsigned char>(kScheme[i]))) {
      return false;
    }
  }
  std::string_view key = Trim(value.substr(kScheme.size()));
  return keys_.find(key) != keys_.end();
}

}  // namespace ultrasearch::server
