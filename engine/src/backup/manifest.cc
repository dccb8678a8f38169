#include "backup/manifest.h"

#include <sys/stat.h>

#include <boost/json.hpp>
#include <filesystem>
#include <random>

#include "backup/file_digest.h"
#include "common/file_util.h"
#include "ultrasearch/engine.h"

namespace json = boost::json;

namespace ultrasearch {

uint64_t BackupManifest::TotalBytes() const {
  uint64_t total = 0;
  for (const BackupIndex& index : indices) {
    for (const BackupFile& file : index.files) total += file.size;
  }
  return total;
}

const BackupIndex* BackupManifest::Find(std::string_view name) const {
  for (const BackupIndex& index : indices) {
    if (index.name == name) return &index;
  }
  return nullptr;
}

namespace backup {
namespace {

// Mappings and settings are kept as JSON inside the manifest (readable with jq); an empty or
// unparsable text becomes {}.
json::value JsonOrEmptyObject(const std::string& text) {
  if (text.empty()) return json::object();
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return ec ? json::value(json::object()) : v;
}

Status Bad(const std::string& why) { return Status::Corruption("backup manifest: " + why); }

const json::value* Field(const json::object& o, std::string_view key) { return o.if_contains(key); }

bool GetUint(const json::object& o, std::string_view key, uint64_t* out) {
  const json::value* v = Field(o, key);
  if (v == nullptr) return false;
  if (v->is_uint64()) {
    *out = v->get_uint64();
    return true;
  }
  if (v->is_int64() && v->get_int64() >= 0) {
    *out = static_cast<uint64_t>(v->get_int64());
    return true;
  }
  return false;
}

bool GetString(const json::object& o, std::string_view key, std::string* out) {
  const json::value* v = Field(o, key);
  if (v == nullptr || !v->is_string()) return false;
  *out = std::string(v->get_string());
  return true;
}

// A path the manifest may name: relative, under indices/INDEX/, without "." or ".." steps.
bool IsSafePath(const std::string& path, const std::string& index) {
  const std::string prefix = "indices/" + index + "/";
  if (path.compare(0, prefix.size(), prefix) != 0 || path.size() == prefix.size()) return false;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string_view part(path.data() + start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return true;
}

Result<BackupIndex> DecodeIndex(const json::value& v) {
  if (!v.is_object()) return Bad("an index entry is not an object");
  const json::object& o = v.get_object();
  BackupIndex index;
  if (!GetString(o, "name", &index.name) || !Engine::ValidateIndexName(index.name).ok()) {
    return Bad("an index entry has no valid name");
  }
  if (!GetUint(o, "documents", &index.documents) || !GetUint(o, "last_sequence", &index.last_sequence)) {
    return Bad("index [" + index.name + "] lacks documents or last_sequence");
  }
  if (const json::value* m = Field(o, "mappings"); m != nullptr && m->is_object()) {
    index.mappings_json = json::serialize(*m);
  }
  if (const json::value* s = Field(o, "settings"); s != nullptr && s->is_object() && !s->get_object().empty()) {
    index.settings_json = json::serialize(*s);
  }
  const json::value* files = Field(o, "files");
  if (files == nullptr || !files->is_array() || files->get_array().empty()) {
    return Bad("index [" + index.name + "] lists no files");
  }
  for (const json::value& f : files->get_array()) {
    BackupFile file;
    if (!f.is_object() || !GetString(f.get_object(), "path", &file.path) ||
        !GetUint(f.get_object(), "size", &file.size) || !GetString(f.get_object(), "sha256", &file.sha256) ||
        file.sha256.size() != 64) {
      return Bad("index [" + index.name + "] has a file entry without path, size or sha256");
    }
    if (!IsSafePath(file.path, index.name)) return Bad("file [" + file.path + "] lies outside its index");
    index.files.push_back(std::move(file));
  }
  return index;
}

}  // namespace

std::string EncodeManifest(const BackupManifest& manifest) {
  json::array indices;
  for (const BackupIndex& index : manifest.indices) {
    json::array files;
    for (const BackupFile& f : index.files) {
      files.push_back(json::object{{"path", f.path}, {"size", f.size}, {"sha256", f.sha256}});
    }
    indices.push_back(json::object{{"name", index.name},
                                   {"mappings", JsonOrEmptyObject(index.mappings_json)},
                                   {"settings", JsonOrEmptyObject(index.settings_json)},
                                   {"documents", index.documents},
                                   {"last_sequence", index.last_sequence},
                                   {"files", std::move(files)}});
  }
  json::array aliases;
  for (const AliasEntry& a : manifest.aliases) {
    json::object entry{{"alias", a.alias}, {"index", a.index}};
    if (a.is_write_index) entry["is_write_index"] = *a.is_write_index;
    aliases.push_back(std::move(entry));
  }
  json::object root{{"format", kManifestFormat},
                    {"format_version", manifest.format_version},
                    {"uuid", manifest.uuid},
                    {"start_time_ms", manifest.start_time_ms},
                    {"end_time_ms", manifest.end_time_ms},
                    {"indices", std::move(indices)},
                    {"aliases", std::move(aliases)}};
  return json::serialize(root) + "\n";
}

Result<BackupManifest> DecodeManifest(std::string_view text) {
  boost::system::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec || !root.is_object()) return Bad("not a JSON object");
  const json::object& o = root.get_object();
  std::string format;
  if (!GetString(o, "format", &format) || format != kManifestFormat) return Bad("not an UltraSearch backup");
  BackupManifest manifest;
  uint64_t version = 0;
  if (!GetUint(o, "format_version", &version)) return Bad("no format_version");
  if (version != static_cast<uint64_t>(kBackupFormatVersion)) {
    return Bad("format version " + std::to_string(version) + ", this build reads " +
               std::to_string(kBackupFormatVersion));
  }
  manifest.format_version = static_cast<int>(version);
  uint64_t start = 0, end = 0;
  if (!GetString(o, "uuid", &manifest.uuid) || !GetUint(o, "start_time_ms", &start) ||
      !GetUint(o, "end_time_ms", &end)) {
    return Bad("uuid, start_time_ms or end_time_ms missing");
  }
  manifest.start_time_ms = static_cast<int64_t>(start);
  manifest.end_time_ms = static_cast<int64_t>(end);
  const json::value* indices = Field(o, "indices");
  if (indices == nullptr || !indices->is_array()) return Bad("no indices");
  for (const json::value& v : indices->get_array()) {
    auto index = DecodeIndex(v);
    if (!index.ok()) return index.status();
    if (manifest.Find(index->name) != nullptr) return Bad("index [" + index->name + "] is listed twice");
    manifest.indices.push_back(std::move(index.value()));
  }
  if (const json::value* aliases = Field(o, "aliases"); aliases != nullptr && aliases->is_array()) {
    for (const json::value& v : aliases->get_array()) {
      AliasEntry entry;
      if (!v.is_object() || !GetString(v.get_object(), "alias", &entry.alias) ||
          !GetString(v.get_object(), "index", &entry.index)) {
        return Bad("an alias entry lacks alias or index");
      }
      if (const json::value* w = v.get_object().if_contains("is_write_index"); w != nullptr && w->is_bool()) {
        entry.is_write_index = w->get_bool();
      }
      manifest.aliases.push_back(std::move(entry));
    }
  }
  return manifest;
}

std::string NewBackupUuid() {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::random_device random;
  std::string uuid;
  uint32_t bits = 0;
  int available = 0;
  while (uuid.size() < 22) {
    if (available < 6) {
      bits = (bits << 16) | (random() & 0xffff);
      available += 16;
    }
    available -= 6;
    uuid.push_back(kAlphabet[(bits >> available) & 0x3f]);
  }
  return uuid;
}

}  // namespace backup

Result<BackupManifest> ReadBackupManifest(std::string_view dir) {
  const std::string path = std::string(dir) + "/" + std::string(kBackupManifestName);
  std::error_code ec;
  if (!std::filesystem::is_directory(std::string(dir), ec)) {
    return Status::NotFound("backup directory " + std::string(dir) + " does not exist");
  }
  if (!std::filesystem::exists(path, ec)) {
    return Status::NotFound("no " + std::string(kBackupManifestName) + " in " + std::string(dir) +
                            ": not a backup, or one that did not finish");
  }
  std::string text;
  if (Status s = ReadWholeFile(path, &text); !s.ok()) return s;
  auto manifest = backup::DecodeManifest(text);
  if (!manifest.ok()) return Status::Corruption(path + ": " + manifest.status().message());
  return manifest;
}

Status VerifyBackup(std::string_view dir, const BackupManifest& manifest, const std::vector<std::string>& indices,
                    const BackupProgressFn& progress) {
  std::vector<const BackupIndex*> selected;
  if (indices.empty()) {
    for (const BackupIndex& index : manifest.indices) selected.push_back(&index);
  }
  for (const std::string& name : indices) {
    const BackupIndex* index = manifest.Find(name);
    if (index == nullptr) return Status::NotFound("index [" + name + "] is not in the backup");
    selected.push_back(index);
  }
  for (const BackupIndex* index : selected) {
    uint64_t total = 0, done = 0;
    for (const BackupFile& f : index->files) total += f.size;
    for (const BackupFile& f : index->files) {
      const std::string path = std::string(dir) + "/" + f.path;
      struct stat st {};
      if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
        return Status::Corruption("backup file " + f.path + " is missing");
      }
      if (static_cast<uint64_t>(st.st_size) != f.size) {
        return Status::Corruption("backup file " + f.path + " has " + std::to_string(st.st_size) +
                                  " bytes, the manifest says " + std::to_string(f.size));
      }
      auto sha = backup::Sha256OfFile(path, [&](uint64_t bytes) {
        done += bytes;
        if (progress) progress({"verify", index->name, done, total});
      });
      if (!sha.ok()) return sha.status();
      if (*sha != f.sha256) return Status::Corruption("backup file " + f.path + " does not match its checksum");
    }
  }
  return Status::OK();
}

}  // namespace ultrasearch
