#include "suggest_response.h"

#include <algorithm>
#include <map>
#include <set>

#include "json_util.h"

namespace ultrasearch::server {

namespace {

void MergeTermOptions(const SuggestRequest& request, std::vector<MergedSuggestOption>* options) {
  std::map<std::string, MergedSuggestOption> by_text;
  for (auto& o : *options) {
    auto [it, fresh] = by_text.try_emplace(o.option.text, o);
    if (!fresh) {
      it->second.option.freq += o.option.freq;
      it->second.option.score = std::max(it->second.option.score, o.option.score);
    }
  }
  options->clear();
  for (auto& [text, o] : by_text) options->push_back(std::move(o));
  const bool by_frequency = request.sort == SuggestRequest::Sort::kFrequency;
  std::stable_sort(options->begin(), options->end(), [by_frequency](const auto& a, const auto& b) {
    if (by_frequency && a.option.freq != b.option.freq) return a.option.freq > b.option.freq;
    if (a.option.score != b.option.score) return a.option.score > b.option.score;
    return a.option.freq > b.option.freq;
  });
}

void MergeCompletionOptions(const SuggestRequest& request, std::vector<MergedSuggestOption>* options) {
  // Each index's options are already best first; a stable sort keeps their order on ties.
  std::stable_sort(options->begin(), options->end(),
                   [](const auto& a, const auto& b) { return a.option.score > b.option.score; });
  if (!request.skip_duplicates) return;
  std::set<std::string> seen;
  std::vector<MergedSuggestOption> kept;
  for (auto& o : *options) {
    if (seen.insert(o.option.text).second) kept.push_back(std::move(o));
  }
  *options = std::move(kept);
}

}  // namespace

std::vector<MergedSuggestion> MergeSuggestions(const std::vector<SuggestRequest>& requests,
                                               const std::vector<const std::vector<SuggestResult>*>& per_index,
                                               const std::vector<const std::string*>& index_names) {
  std::vector<MergedSuggestion> merged;
  for (size_t s = 0; s < requests.size(); ++s) {
    const SuggestRequest& request = requests[s];
    MergedSuggestion out;
    out.name = request.name;
    out.type = request.type;
    for (size_t i = 0; i < per_index.size(); ++i) {
      if (per_index[i] == nullptr || s >= per_index[i]->size()) continue;
      const SuggestResult& r = (*per_index[i])[s];
      if (out.entries.empty()) {
        for (const SuggestEntry& e : r.entries) out.entries.push_back({e.text, e.offset, e.length, {}});
      }
      for (size_t e = 0; e < r.entries.size() && e < out.entries.size(); ++e) {
        for (const SuggestOption& o : r.entries[e].options) {
          out.entries[e].options.push_back({o, i < index_names.size() ? index_names[i] : nullptr});
        }
      }
    }
    for (auto& e : out.entries) {
      if (request.type == SuggestRequest::Type::kCompletion) {
        MergeCompletionOptions(request, &e.options);
      } else {
        MergeTermOptions(request, &e.options);
      }
      if (e.options.size() > request.size) e.options.resize(request.size);
    }
    merged.push_back(std::move(out));
  }
  return merged;
}

void RenderSuggest(const ParsedSearch& search, const std::vector<MergedSuggestion>& suggestions, std::string* out) {
  *out += R"(,"suggest":{)";
  for (size_t s = 0; s < suggestions.size(); ++s) {
    if (s) *out += ',';
    const bool completion = suggestions[s].type == SuggestRequest::Type::kCompletion;
    *out += Quote(suggestions[s].name);
    *out += ":[";
    const auto& entries = suggestions[s].entries;
    for (size_t e = 0; e < entries.size(); ++e) {
      if (e) *out += ',';
      *out += R"({"text":)" + Quote(entries[e].text) + R"(,"offset":)" + std::to_string(entries[e].offset) +
              R"(,"length":)" + std::to_string(entries[e].length) + R"(,"options":[)";
      const auto& options = entries[e].options;
      for (size_t o = 0; o < options.size(); ++o) {
        if (o) *out += ',';
        const SuggestOption& option = options[o].option;
        *out += R"({"text":)" + Quote(option.text);
        if (completion) {
          if (options[o].index != nullptr) *out += R"(,"_index":)" + Quote(*options[o].index);
          *out += R"(,"_id":)" + Quote(option.id) + R"(,"_score":)" + FormatNumber(option.score);
          if (search.source.fetch && !option.source_json.empty()) {
            *out += R"(,"_source":)";
            *out += search.source.Apply(option.source_json);
          }
        } else {
          *out += R"(,"score":)" + FormatNumber(option.score) + R"(,"freq":)" + std::to_string(option.freq);
        }
        *out += '}';
      }
      *out += "]}";
    }
    *out += ']';
  }
  *out += '}';
}

}  // namespace ultrasearch::server
