// Synonyms sets (Elasticsearch's PUT /_synonyms/ID): named rule lists that index analyzers refer
// to by `synonyms_set`, persisted in DATA/synonyms.json and read by searches at once.
//
// File layout (written whole, atomically, on every change):
//   {"sets": {"<set id>": [{"id": "<rule id>", "synonyms": "<Solr rule>"}, ...], ...}}
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "ultrasearch/analysis.h"
#include "ultrasearch/engine.h"
#include "ultrasearch/status.h"

namespace ultrasearch {

class SynonymSets {
 public:
  // Loads DATA/synonyms.json (none: no sets). Corruption when it does not parse.
  static Result<std::shared_ptr<SynonymSets>> Open(std::string data_dir, std::shared_ptr<const AnalyzerRegistry> analyzers);

  // The current rules of set `id` for the analyzers; nullptr when there is no such set. The
  // returned list never changes; a change to the set makes a new one. Thread-safe.
  std::shared_ptr<const SynonymRuleList> Rules(std::string_view id) const;

  // Replaces (or creates: returns true) set `id`. Rules without an id get one. InvalidArgument for
  // a rule that does not parse or a repeated rule id; IOError when it cannot be saved (no change).
  Result<bool> Put(std::string_view id, std::vector<SynonymRule> rules);
  Result<std::vector<SynonymRule>> Get(std::string_view id) const;  // NotFound
  std::vector<SynonymSetSummary> List() const;                      // by id
  Status Delete(std::string_view id);                               // NotFound, IOError
  // Adds or replaces one rule (returns true when added). NotFound for the set; InvalidArgument.
  Result<bool> PutRule(std::string_view set_id, SynonymRule rule);
  Result<SynonymRule> GetRule(std::string_view set_id, std::string_view rule_id) const;  // NotFound
  Status DeleteRule(std::string_view set_id, std::string_view rule_id);                  // NotFound

 private:
  struct Set {
    std::vector<SynonymRule> rules;
    std::shared_ptr<const SynonymRuleList> list;  // rules' text, for analyzers
  };
  SynonymSets(std::string data_dir, std::shared_ptr<const AnalyzerRegistry> analyzers)
      : data_dir_(std::move(data_dir)), analyzers_(std::move(analyzers)) {}

  Status Validate(const std::vector<SynonymRule>& rules) const;
  // Saves `next` and then makes it current. Requires mu_.
  Status Commit(std::map<std::string, Set, std::less<>> next);
  std::shared_ptr<const SynonymRuleList> MakeList(const std::vector<SynonymRule>& rules);

  const std::string data_dir_;
  const std::shared_ptr<const AnalyzerRegistry> analyzers_;
  mutable std::mutex mu_;
  std::map<std::string, Set, std::less<>> sets_;  // guarded by mu_
  uint64_t version_ = 0;                          // guarded by mu_
};

}  // namespace ultrasearch
