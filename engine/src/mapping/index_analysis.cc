#include "mapping/index_analysis.h"

#include <boost/json.hpp>

#include <map>
#include <set>

namespace json = boost::json;

namespace ultrasearch {
namespace {

// Token filters whose effect every engine analyzer already has.
const std::set<std::string, std::less<>> kBuiltInFilters = {"lowercase",     "asciifolding", "icu_folding",
                                                            "icu_normalizer", "apostrophe",  "trim",
                                                            "cjk_width"};

// Settings keys under analysis.filter / analysis.analyzer, by name then property.
using Section = std::map<std::string, std::map<std::string, json::value>, std::less<>>;

struct Analysis {
  Section filters;
  Section analyzers;
  bool vocabulary = false;
};

void Walk(const json::value& v, const std::string& key, Analysis* out) {
  if (v.is_object()) {
    for (const auto& [k, child] : v.as_object()) Walk(child, key.empty() ? std::string(k) : key + "." + std::string(k), out);
    return;
  }
  std::string_view k = key;
  if (k.rfind("index.", 0) == 0) k.remove_prefix(6);
  if (k == kBilingualVocabularySetting.substr(6)) {
    out->vocabulary = v.is_bool() ? v.as_bool() : (v.is_string() && v.as_string() == "true");
    return;
  }
  for (auto [prefix, section] : {std::pair<std::string_view, Section*>{"analysis.filter.", &out->filters},
                                 {"analysis.analyzer.", &out->analyzers}}) {
    if (k.rfind(prefix, 0) != 0) continue;
    std::string_view rest = k.substr(prefix.size());
    size_t dot = rest.find('.');
    if (dot == std::string_view::npos) continue;
    (*section)[std::string(rest.substr(0, dot))][std::string(rest.substr(dot + 1))] = v;
  }
}

std::string Text(const json::value* v) {
  if (v == nullptr) return {};
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_bool()) return v->as_bool() ? "true" : "false";
  return json::serialize(*v);
}

const json::value* Prop(const std::map<std::string, json::value>& props, std::string_view name) {
  auto it = props.find(std::string(name));
  return it == props.end() ? nullptr : &it->second;
}

std::vector<std::string> Strings(const json::value* v) {
  std::vector<std::string> out;
  if (v == nullptr) return out;
  if (v->is_array()) {
    for (const auto& item : v->as_array()) out.push_back(Text(&item));
  } else {
    out.push_back(Text(v));
  }
  return out;
}

Result<SynonymFilterSpec> SynonymFilter(const std::string& name, const std::map<std::string, json::value>& props,
                                        const AnalyzerRegistry& engine, const std::shared_ptr<SynonymSets>& sets) {
  SynonymFilterSpec spec;
  spec.name = name;
  spec.expand = Text(Prop(props, "expand")) != "false";
  spec.lenient = Text(Prop(props, "lenient")) == "true";
  if (Prop(props, "synonyms_path") != nullptr) {
    return Status::InvalidArgument("[synonyms_path] of token filter [" + name +
                                   "] is not supported: give the rules in [synonyms] or a [synonyms_set]");
  }
  if (const json::value* set = Prop(props, "synonyms_set")) {
    std::string id = Text(set);
    if (!sets) return Status::InvalidArgument("synonyms sets are not available");
    spec.rules = [sets, id] { return sets->Rules(id); };
    return spec;
  }
  auto list = std::make_shared<SynonymRuleList>();
  list->rules = Strings(Prop(props, "synonyms"));
  if (!spec.lenient && engine.synonym_support() != nullptr) {
    if (Status s = engine.synonym_support()->Validate(list->rules); !s.ok()) {
      return Status::InvalidArgument("failed to build synonyms of token filter [" + name + "]: " + s.message());
    }
  }
  std::shared_ptr<const SynonymRuleList> fixed = std::move(list);
  spec.rules = [fixed] { return fixed; };
  return spec;
}

}  // namespace

Result<std::shared_ptr<const AnalyzerRegistry>> BuildIndexAnalyzers(std::shared_ptr<const AnalyzerRegistry> engine,
                                                                   std::string_view settings_json,
                                                                   std::shared_ptr<SynonymSets> synonym_sets) {
  if (settings_json.empty()) return engine;
  boost::system::error_code ec;
  json::value root = json::parse(settings_json, ec);
  if (ec || !root.is_object()) return Status::InvalidArgument("settings must be a JSON object");
  Analysis analysis;
  Walk(root, "", &analysis);
  // Only the default analyzer's type (index_settings.h reads it): nothing of the index's own.
  analysis.analyzers.erase("default");
  if (analysis.analyzers.empty() && !analysis.vocabulary) return engine;

  auto registry = std::make_shared<AnalyzerRegistry>(*engine);
  if (analysis.vocabulary) {
    for (const auto& [name, variant] : engine->vocabulary_variants()) registry->Add(name, variant);
  }
  for (const auto& [name, props] : analysis.analyzers) {
    std::string type = Text(Prop(props, "type"));
    std::string tokenizer = Text(Prop(props, "tokenizer"));
    if (type.empty() || type == "custom") {
      if (tokenizer.empty()) {
        return Status::InvalidArgument("analyzer [" + name + "] must specify either an analyzer type, or a tokenizer");
      }
      type = tokenizer;
    }
    std::shared_ptr<const Analyzer> base = registry->FindShared(type);
    if (!base) {
      return Status::InvalidArgument("failed to find " + std::string(tokenizer.empty() ? "analyzer type" : "tokenizer") +
                                     " [" + type + "] for analyzer [" + name + "]");
    }
    if (Prop(props, "char_filter") != nullptr && !Strings(Prop(props, "char_filter")).empty()) {
      return Status::InvalidArgument("[char_filter] of analyzer [" + name + "] is not supported");
    }
    std::vector<SynonymFilterSpec> filters;
    for (const auto& filter : Strings(Prop(props, "filter"))) {
      auto defined = analysis.filters.find(filter);
      if (defined == analysis.filters.end()) {
        if (kBuiltInFilters.count(filter) > 0) continue;
        return Status::InvalidArgument("failed to find filter under name [" + filter + "]");
      }
      std::string filter_type = Text(Prop(defined->second, "type"));
      if (filter_type == "lowercase" || filter_type == "asciifolding") continue;
      if (filter_type != "synonym" && filter_type != "synonym_graph") {
        return Status::InvalidArgument("token filter [" + filter + "] of type [" + filter_type + "] is not supported");
      }
      auto spec = SynonymFilter(filter, defined->second, *engine, synonym_sets);
      if (!spec.ok()) return spec.status();
      filters.push_back(std::move(spec.value()));
    }
    if (!filters.empty()) {
      if (engine->synonym_support() == nullptr) return Status::InvalidArgument("synonym filters are not supported");
      base = engine->synonym_support()->Make(base, std::move(filters));
    }
    registry->Add(name, std::move(base));
  }
  return std::shared_ptr<const AnalyzerRegistry>(std::move(registry));
}

}  // namespace ultrasearch
