// Aliases: names that stand for one or more indices, as Elasticsearch's index aliases. Searches and
// reads through an alias reach its indices; writes reach its write index. The storefront searches
// `products` as an alias so that a whole catalog can be replaced by switching it in one atomic
// action list (add the alias to the new index, remove it from the old one).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ultrasearch {

// One action of Engine::UpdateAliases. `indices` and `aliases` may hold '*' patterns, except the
// aliases of kAdd, which are names.
struct AliasAction {
  enum class Type {
    kAdd,          // points each alias at each index (replacing its is_write_index if it already did)
    kRemove,       // removes the matching aliases from the matching indices
    kRemoveIndex,  // deletes the matching indices (and their aliases)
  };
  Type type = Type::kAdd;
  std::vector<std::string> indices;
  std::vector<std::string> aliases;
  // kAdd: whether writes through the alias reach this index. Unset: the alias's only index takes
  // writes; an alias of several indices then has no write index unless one says true.
  std::optional<bool> is_write_index;
  // kRemove: unset or true fails the list with NotFound when nothing matched; false ignores it.
  std::optional<bool> must_exist;
};

// One (alias, index) pair.
struct AliasEntry {
  std::string alias;
  std::string index;
  std::optional<bool> is_write_index;
};

}  // namespace ultrasearch
