#include "synonyms/synonym_sets.h"

#include <boost/json.hpp>

#include <filesystem>
#include <set>

#include "common/file_util.h"

namespace json = boost::json;

namespace ultrasearch {
namespace {

constexpr const char* kFile = "synonyms.json";

std::string Encode(const std::map<std::string, std::vector<SynonymRule>, std::less<>>& sets) {
  json::object all;
  for (const auto& [id, rules] : sets) {
    json::array list;
    for (const auto& r : rules) list.push_back(json::object{{"id", r.id}, {"synonyms", r.synonyms}});
    all[id] = std::move(list);
  }
  return json::serialize(json::object{{"sets", std::move(all)}});
}

// Rules without an id get the first free "rule-N" (Elasticsearch generates one too).
void AssignIds(std::vector<SynonymRule>* rules) {
  std::set<std::string> taken;
  for (const auto& r : *rules) taken.insert(r.id);
  size_t n = 0;
  for (auto& r : *rules) {
    if (!r.id.empty()) continue;
    while (taken.count("rule-" + std::to_string(n)) > 0) ++n;
    r.id = "rule-" + std::to_string(n);
    taken.insert(r.id);
  }
}

}  // namespace

Result<std::shared_ptr<SynonymSets>> SynonymSets::Open(std::string data_dir,
                                                       std::shared_ptr<const AnalyzerRegistry> analyzers) {
  std::shared_ptr<SynonymSets> sets(new SynonymSets(std::move(data_dir), std::move(analyzers)));
  const std::string path = sets->data_dir_ + "/" + kFile;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return sets;
  std::string text;
  if (Status s = ReadWholeFile(path, &text); !s.ok()) return s;
  boost::system::error_code jec;
  json::value root = json::parse(text, jec);
  const json::object* all = nullptr;
  if (!jec && root.is_object()) {
    if (const json::value* v = root.as_object().if_contains("sets"); v != nullptr && v->is_object()) all = &v->as_object();
  }
  if (all == nullptr) return Status::Corruption(path + " is not a synonyms file");
  for (const auto& [id, list] : *all) {
    if (!list.is_array()) return Status::Corruption(path + ": set [" + std::string(id) + "] is not a list");
    Set set;
    for (const auto& item : list.as_array()) {
      const json::object* o = item.if_object();
      const json::value* rid = o ? o->if_contains("id") : nullptr;
      const json::value* syn = o ? o->if_contains("synonyms") : nullptr;
      if (rid == nullptr || syn == nullptr || !rid->is_string() || !syn->is_string()) {
        return Status::Corruption(path + ": a rule of set [" + std::string(id) + "] is malformed");
      }
      set.rules.push_back({std::string(rid->as_string()), std::string(syn->as_string())});
    }
    set.list = sets->MakeList(set.rules);
    sets->sets_.emplace(std::string(id), std::move(set));
  }
  return sets;
}

std::shared_ptr<const SynonymRuleList> SynonymSets::MakeList(const std::vector<SynonymRule>& rules) {
  auto list = std::make_shared<SynonymRuleList>();
  for (const auto& r : rules) list->rules.push_back(r.synonyms);
  list->version = ++version_;
  return list;
}

std::shared_ptr<const SynonymRuleList> SynonymSets::Rules(std::string_view id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sets_.find(id);
  return it == sets_.end() ? nullptr : it->second.list;
}

Status SynonymSets::Validate(const std::vector<SynonymRule>& rules) const {
  std::set<std::string_view> ids;
  std::vector<std::string> texts;
  for (const auto& r : rules) {
    if (!r.id.empty() && !ids.insert(r.id).second) {
      return Status::InvalidArgument("Duplicate synonym rule id [" + r.id + "]");
    }
    texts.push_back(r.synonyms);
  }
  const SynonymSupport* support = analyzers_->synonym_support();
  if (support == nullptr) return Status::InvalidArgument("synonyms are not supported by these analyzers");
  return support->Validate(texts);
}

Status SynonymSets::Commit(std::map<std::string, Set, std::less<>> next) {
  std::map<std::string, std::vector<SynonymRule>, std::less<>> plain;
  for (const auto& [id, set] : next) plain[id] = set.rules;
  if (Status s = WriteFileAtomically(data_dir_, kFile, Encode(plain)); !s.ok()) return s;
  sets_ = std::move(next);
  return Status::OK();
}

Result<bool> SynonymSets::Put(std::string_view id, std::vector<SynonymRule> rules) {
  if (Status s = Validate(rules); !s.ok()) return s;
  AssignIds(&rules);
  std::lock_guard<std::mutex> lock(mu_);
  auto next = sets_;
  const bool created = next.find(id) == next.end();
  Set set{std::move(rules), nullptr};
  set.list = MakeList(set.rules);
  next[std::string(id)] = std::move(set);
  if (Status s = Commit(std::move(next)); !s.ok()) return s;
  return created;
}

Result<std::vector<SynonymRule>> SynonymSets::Get(std::string_view id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sets_.find(id);
  if (it == sets_.end()) return Status::NotFound("synonyms set [" + std::string(id) + "] not found");
  return it->second.rules;
}

std::vector<SynonymSetSummary> SynonymSets::List() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<SynonymSetSummary> out;
  for (const auto& [id, set] : sets_) out.push_back({id, set.rules.size()});
  return out;
}

Status SynonymSets::Delete(std::string_view id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto next = sets_;
  auto it = next.find(id);
  if (it == next.end()) return Status::NotFound("synonyms set [" + std::string(id) + "] not found");
  next.erase(it);
  return Commit(std::move(next));
}

Result<bool> SynonymSets::PutRule(std::string_view set_id, SynonymRule rule) {
  if (Status s = Validate({rule}); !s.ok()) return s;
  std::lock_guard<std::mutex> lock(mu_);
  auto next = sets_;
  auto it = next.find(set_id);
  if (it == next.end()) return Status::NotFound("synonyms set [" + std::string(set_id) + "] not found");
  auto& rules = it->second.rules;
  bool added = true;
  for (auto& r : rules) {
    if (r.id == rule.id) {
      r.synonyms = rule.synonyms;
      added = false;
    }
  }
  if (added) rules.push_back(std::move(rule));
  it->second.list = MakeList(rules);
  if (Status s = Commit(std::move(next)); !s.ok()) return s;
  return added;
}

Result<SynonymRule> SynonymSets::GetRule(std::string_view set_id, std::string_view rule_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sets_.find(set_id);
  if (it == sets_.end()) return Status::NotFound("synonyms set [" + std::string(set_id) + "] not found");
  for (const auto& r : it->second.rules) {
    if (r.id == rule_id) return r;
  }
  return Status::NotFound("synonym rule [" + std::string(rule_id) + "] not found");
}

Status SynonymSets::DeleteRule(std::string_view set_id, std::string_view rule_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto next = sets_;
  auto it = next.find(set_id);
  if (it == next.end()) return Status::NotFound("synonyms set [" + std::string(set_id) + "] not found");
  auto& rules = it->second.rules;
  auto found = std::find_if(rules.begin(), rules.end(), [&](const SynonymRule& r) { return r.id == rule_id; });
  if (found == rules.end()) return Status::NotFound("synonym rule [" + std::string(rule_id) + "] not found");
  rules.erase(found);
  it->second.list = MakeList(rules);
  return Commit(std::move(next));
}

}  // namespace ultrasearch
