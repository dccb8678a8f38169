// The aliases of a data directory as a value: which indices each alias points to and which of them
// takes writes. Engine::UpdateAliases applies an action list to a copy and swaps it in whole, so a
// reader sees the list entirely or not at all.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ultrasearch/aliases.h"
#include "ultrasearch/status.h"

namespace ultrasearch {

class AliasTable {
 public:
  // Applies `actions` in order. `existing` lists the indices (sorted); patterns match them.
  // kRemoveIndex names go to `indices_to_delete` (the caller deletes them once the new table is
  // durable). Fails, leaving *this unchanged, with NotFound (an index or alias that is not there),
  // InvalidArgument (bad alias name, an alias named as an index, two write indices).
  Status Apply(const std::vector<AliasAction>& actions, const std::vector<std::string>& existing,
               std::vector<std::string>* indices_to_delete);

  // Forgets every alias of `index`; true when one was there.
  bool RemoveIndex(std::string_view index);

  bool IsAlias(std::string_view name) const { return aliases_.find(name) != aliases_.end(); }
  // Sorted; empty when `name` is not an alias.
  std::vector<std::string> IndicesOf(std::string_view alias) const;
  // The index that takes writes through `alias`: the one marked is_write_index, else its only index
  // unless that one is marked false. nullopt when there is none.
  std::optional<std::string> WriteIndexOf(std::string_view alias) const;
  // Every (alias, index) pair, ordered by alias then index.
  std::vector<AliasEntry> Entries() const;
  // Alias names, sorted.
  std::vector<std::string> Names() const;

  // The table as JSON ({"format":1,"aliases":{ALIAS:{INDEX:{"is_write_index":true}}}}), and back.
  std::string Encode() const;
  static Result<AliasTable> Decode(std::string_view json);

 private:
  using Members = std::map<std::string, std::optional<bool>, std::less<>>;  // index -> is_write_index
  Status AddOne(const std::string& alias, const std::string& index, std::optional<bool> is_write_index,
                const std::vector<std::string>& existing);
  Status CheckWriteIndices() const;

  std::map<std::string, Members, std::less<>> aliases_;
};

// Elasticsearch's rules for alias names: those of index names but for case (an alias may hold
// upper case). InvalidArgument with the reason otherwise.
Status ValidateAliasName(std::string_view name);

}  // namespace ultrasearch
