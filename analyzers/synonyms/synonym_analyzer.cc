#include "synonyms/synonym_analyzer.h"

#include <atomic>
#include <mutex>

#include "synonyms/expansion_table.h"
#include "synonyms/solr_rules.h"

namespace ultrasearch::analyzers {
namespace {

// Builds the table of one rule list over `base`. Rules that fail to parse are skipped (they were
// validated when stored; a lenient filter skips them by definition).
std::shared_ptr<const ExpansionTable> Compile(const Analyzer& base, const SynonymRuleList& list, bool expand) {
  auto table = std::make_shared<ExpansionTable>();
  for (const auto& line : list.rules) {
    auto rule = ParseSolrRule(line);
    if (!rule.ok() || rule->left.empty()) continue;
    if (rule->explicit_mapping) {
      table->Add(base, rule->left, rule->right, 1.0, /*keep_original=*/false);
    } else if (expand) {
      table->Add(base, rule->left, rule->left, 1.0, /*keep_original=*/true);
    } else {
      // expand: false: every phrase is replaced by the first (which then matches only itself).
      table->Add(base, rule->left, {rule->left.front()}, 1.0, /*keep_original=*/false);
    }
  }
  return table;
}

// One filter with its table compiled for the rules' current version; recompiled when it moves.
class CompiledFilter {
 public:
  explicit CompiledFilter(SynonymFilterSpec spec) : spec_(std::move(spec)) {}

  std::shared_ptr<const ExpansionTable> Table(const Analyzer& base) const {
    std::shared_ptr<const SynonymRuleList> rules = spec_.rules();
    if (!rules) return nullptr;
    std::lock_guard<std::mutex> lock(mu_);
    if (rules != compiled_for_) {
      table_ = Compile(base, *rules, spec_.expand);
      compiled_for_ = rules;
    }
    return table_;
  }

 private:
  SynonymFilterSpec spec_;
  mutable std::mutex mu_;
  mutable std::shared_ptr<const SynonymRuleList> compiled_for_;  // guarded by mu_
  mutable std::shared_ptr<const ExpansionTable> table_;          // guarded by mu_
};

class SynonymAnalyzer : public Analyzer {
 public:
  SynonymAnalyzer(std::shared_ptr<const Analyzer> base, std::vector<SynonymFilterSpec> filters) : base_(std::move(base)) {
    for (auto& f : filters) filters_.push_back(std::make_unique<CompiledFilter>(std::move(f)));
  }

  void Analyze(std::string_view text, AnalysisMode mode, std::vector<Token>* out) const override {
    base_->Analyze(text, mode, out);
  }
  using Analyzer::Analyze;

  void ExpandQuery(const AnalyzedWords& words, std::vector<QueryExpansion>* out) const override {
    base_->ExpandQuery(words, out);
    for (const auto& filter : filters_) {
      if (auto table = filter->Table(*base_)) table->Expand(words, out);
    }
  }

 private:
  std::shared_ptr<const Analyzer> base_;
  std::vector<std::unique_ptr<CompiledFilter>> filters_;
};

class Support : public SynonymSupport {
 public:
  Status Validate(const std::vector<std::string>& rules) const override {
    for (const auto& line : rules) {
      auto rule = ParseSolrRule(line);
      if (!rule.ok()) return rule.status();
    }
    return Status::OK();
  }

  std::shared_ptr<const Analyzer> Make(std::shared_ptr<const Analyzer> base,
                                       std::vector<SynonymFilterSpec> filters) const override {
    return std::make_shared<SynonymAnalyzer>(std::move(base), std::move(filters));
  }
};

}  // namespace

std::shared_ptr<const SynonymSupport> MakeSynonymSupport() { return std::make_shared<Support>(); }

}  // namespace ultrasearch::analyzers
