#include "aliases/alias_table.h"

#include <boost/json.hpp>

#include <algorithm>

#include "ultrasearch/engine.h"
#include "ultrasearch/wildcard.h"

namespace json = boost::json;

namespace ultrasearch {
namespace {

constexpr int kFormat = 1;

bool IsPattern(std::string_view s) { return s.find('*') != std::string_view::npos || s == "_all"; }

bool Matches(std::string_view pattern, std::string_view name) {
  return pattern == "_all" ? true : WildcardMatch(pattern, name);
}

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

// The existing indices an action names: each name must exist; patterns may match none.
Result<std::vector<std::string>> ExpandIndices(const std::vector<std::string>& names,
                                               const std::vector<std::string>& existing) {
  std::vector<std::string> out;
  for (const std::string& name : names) {
    if (IsPattern(name)) {
      for (const std::string& e : existing) {
        if (Matches(name, e)) out.push_back(e);
      }
    } else if (std::binary_search(existing.begin(), existing.end(), name)) {
      out.push_back(name);
    } else {
      return Status::NotFound("no such index [" + name + "]");
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  if (out.empty()) return Status::NotFound("no such index [" + Join(names) + "]");
  return out;
}

}  // namespace

Status ValidateAliasName(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  Status s = Engine::ValidateIndexName(lower);
  if (s.ok()) return s;
  // Reword the index-name reason ("Invalid index name [x], why") for the alias.
  std::string why = s.message();
  auto comma = why.find("], ");
  if (comma != std::string::npos) why = why.substr(comma + 3);
  return Status::InvalidArgument("Invalid alias name [" + std::string(name) + "]: " + why);
}

Status AliasTable::AddOne(const std::string& alias, const std::string& index, std::optional<bool> is_write_index,
                          const std::vector<std::string>& existing) {
  if (Status s = ValidateAliasName(alias); !s.ok()) return s;
  if (std::binary_search(existing.begin(), existing.end(), alias)) {
    return Status::InvalidArgument("Invalid alias name [" + alias +
                                   "]: an index or data stream exists with the same name as the alias");
  }
  aliases_[alias][index] = is_write_index;
  return Status::OK();
}

Status AliasTable::CheckWriteIndices() const {
  for (const auto& [alias, members] : aliases_) {
    std::vector<std::string> writers;
    for (const auto& [index, is_write] : members) {
      if (is_write.value_or(false)) writers.push_back(index);
    }
    if (writers.size() > 1) {
      return Status::InvalidArgument("alias [" + alias + "] has more than one write index [" + Join(writers) + "]");
    }
  }
  return Status::OK();
}

Status AliasTable::Apply(const std::vector<AliasAction>& actions, const std::vector<std::string>& existing_in,
                         std::vector<std::string>* indices_to_delete) {
  AliasTable next = *this;
  std::vector<std::string> existing = existing_in;
  std::vector<std::string> deleted;
  for (const AliasAction& action : actions) {
    if (action.indices.empty()) return Status::InvalidArgument("One of [index] or [indices] is required");
    if (action.type != AliasAction::Type::kRemoveIndex && action.aliases.empty()) {
      return Status::InvalidArgument("One of [alias] or [aliases] is required");
    }
    auto indices = ExpandIndices(action.indices, existing);
    if (!indices.ok()) return indices.status();
    switch (action.type) {
      case AliasAction::Type::kAdd:
        for (const std::string& alias : action.aliases) {
          if (IsPattern(alias)) {
            return Status::InvalidArgument("Invalid alias name [" + alias + "]: must not contain the following characters [*]");
          }
          for (const std::string& index : *indices) {
            if (Status s = next.AddOne(alias, index, action.is_write_index, existing); !s.ok()) return s;
          }
        }
        break;
      case AliasAction::Type::kRemove: {
        bool removed = false;
        for (auto it = next.aliases_.begin(); it != next.aliases_.end();) {
          bool named = std::any_of(action.aliases.begin(), action.aliases.end(),
                                   [&](const std::string& a) { return Matches(a, it->first); });
          if (named) {
            for (const std::string& index : *indices) removed |= it->second.erase(index) > 0;
          }
          it = it->second.empty() ? next.aliases_.erase(it) : std::next(it);
        }
        if (!removed && action.must_exist.value_or(true)) {
          return Status::NotFound("aliases [" + Join(action.aliases) + "] missing");
        }
        break;
      }
      case AliasAction::Type::kRemoveIndex:
        for (const std::string& index : *indices) {
          next.RemoveIndex(index);
          existing.erase(std::find(existing.begin(), existing.end(), index));
          deleted.push_back(index);
        }
        break;
    }
  }
  if (Status s = next.CheckWriteIndices(); !s.ok()) return s;
  *this = std::move(next);
  if (indices_to_delete != nullptr) *indices_to_delete = std::move(deleted);
  return Status::OK();
}

bool AliasTable::RemoveIndex(std::string_view index) {
  bool removed = false;
  for (auto it = aliases_.begin(); it != aliases_.end();) {
    auto member = it->second.find(index);
    if (member != it->second.end()) {
      it->second.erase(member);
      removed = true;
    }
    it = it->second.empty() ? aliases_.erase(it) : std::next(it);
  }
  return removed;
}

std::vector<std::string> AliasTable::IndicesOf(std::string_view alias) const {
  std::vector<std::string> out;
  auto it = aliases_.find(alias);
  if (it == aliases_.end()) return out;
  for (const auto& [index, unused] : it->second) out.push_back(index);
  return out;
}

std::optional<std::string> AliasTable::WriteIndexOf(std::string_view alias) const {
  auto it = aliases_.find(alias);
  if (it == aliases_.end()) return std::nullopt;
  for (const auto& [index, is_write] : it->second) {
    if (is_write.value_or(false)) return index;
  }
  if (it->second.size() == 1 && it->second.begin()->second.value_or(true)) return it->second.begin()->first;
  return std::nullopt;
}

std::vector<AliasEntry> AliasTable::Entries() const {
  std::vector<AliasEntry> out;
  for (const auto& [alias, members] : aliases_) {
    for (const auto& [index, is_write] : members) out.push_back({alias, index, is_write});
  }
  return out;
}

std::vector<std::string> AliasTable::Names() const {
  std::vector<std::string> out;
  for (const auto& [alias, unused] : aliases_) out.push_back(alias);
  return out;
}

std::string AliasTable::Encode() const {
  json::object aliases;
  for (const auto& [alias, members] : aliases_) {
    json::object m;
    for (const auto& [index, is_write] : members) {
      json::object props;
      if (is_write) props["is_write_index"] = *is_write;
      m[index] = std::move(props);
    }
    aliases[alias] = std::move(m);
  }
  return json::serialize(json::object{{"format", kFormat}, {"aliases", std::move(aliases)}});
}

Result<AliasTable> AliasTable::Decode(std::string_view text) {
  json::error_code ec;
  json::value v = json::parse(text, ec);
  const json::object* root = ec ? nullptr : v.if_object();
  if (root == nullptr) return Status::Corruption("the alias registry is not JSON");
  const json::value* format = root->if_contains("format");
  if (format == nullptr || !format->is_int64() || format->as_int64() != kFormat) {
    return Status::Corruption("the alias registry has an unknown format");
  }
  AliasTable table;
  const json::value* aliases = root->if_contains("aliases");
  if (aliases == nullptr || !aliases->is_object()) return Status::Corruption("the alias registry has no aliases");
  for (const auto& [alias, members] : aliases->get_object()) {
    if (!members.is_object()) return Status::Corruption("the alias registry is malformed");
    for (const auto& [index, props] : members.get_object()) {
      std::optional<bool> is_write;
      if (const json::object* p = props.if_object()) {
        if (const json::value* w = p->if_contains("is_write_index"); w != nullptr && w->is_bool()) {
          is_write = w->get_bool();
        }
      }
      table.aliases_[std::string(alias)][std::string(index)] = is_write;
    }
  }
  return table;
}

}  // namespace ultrasearch
