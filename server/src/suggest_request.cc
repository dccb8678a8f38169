#include "suggest_request.h"

#include <fmt/format.h>

#include <optional>
#include <string>

#include "es_errors.h"
#include "json_util.h"
#include "query_dsl_util.h"

namespace ultrasearch::server {
namespace {

namespace json = boost::json;

std::string StringOption(const json::value& v, std::string_view key) {
  if (!v.is_string()) throw XContentError(fmt::format("[term] failed to parse field [{}]: expected a string", key));
  return std::string(v.get_string());
}

int64_t IntOption(const json::value& v, std::string_view key) {
  auto i = ToInt64(v);
  if (!i) throw XContentError(fmt::format("[term] failed to parse field [{}]: expected an integer", key));
  return *i;
}

// The options both suggesters take (field, analyzer, size); false when `key` is another.
bool ParseSharedOption(std::string_view key, const json::value& value, SuggestRequest* out) {
  if (key == "field") {
    out->field = StringOption(value, key);
  } else if (key == "analyzer") {
    out->analyzer = StringOption(value, key);
  } else if (key == "size") {
    int64_t n = IntOption(value, key);
    if (n <= 0) throw IllegalArgument("size must be positive");
    out->size = static_cast<uint32_t>(std::min<int64_t>(n, 10000));
  } else {
    return false;
  }
  return true;
}

// The `term` object of one suggester: Elasticsearch's TermSuggestionBuilder options.
void ParseTermOptions(const json::value& v, SuggestRequest* out) {
  if (!v.is_object()) throw ParsingError("suggester[term] must be an object");
  for (const auto& [key, value] : v.get_object()) {
    if (ParseSharedOption(key, value, out)) {
      continue;
    } else if (key == "sort") {
      std::string s = StringOption(value, key);
      if (s == "score") out->sort = SuggestRequest::Sort::kScore;
      else if (s == "frequency") out->sort = SuggestRequest::Sort::kFrequency;
      else throw IllegalArgument(fmt::format("Illegal sort type [{}]", s));
    } else if (key == "suggest_mode") {
      std::string s = StringOption(value, key);
      if (s == "missing") out->mode = SuggestRequest::Mode::kMissing;
      else if (s == "popular") out->mode = SuggestRequest::Mode::kPopular;
      else if (s == "always") out->mode = SuggestRequest::Mode::kAlways;
      else throw IllegalArgument(fmt::format("Illegal suggest mode [{}]", s));
    } else if (key == "max_edits") {
      int64_t n = IntOption(value, key);
      if (n < 1 || n > 2) throw IllegalArgument("Illegal max_edits value " + std::to_string(n));
      out->max_edits = static_cast<int>(n);
    } else if (key == "prefix_length" || key == "prefix_len") {
      int64_t n = IntOption(value, key);
      if (n < 0) throw IllegalArgument("prefix_length must be positive");
      out->prefix_length = static_cast<int>(std::min<int64_t>(n, 1000));
    } else if (key == "min_word_length" || key == "min_word_len") {
      int64_t n = IntOption(value, key);
      if (n < 1) throw IllegalArgument("min_word_length must be greater or equal to 1");
      out->min_word_length = static_cast<int>(std::min<int64_t>(n, 1000));
    } else if (key == "min_doc_freq") {
      auto d = ToDouble(value);
      if (!d || *d < 0) throw IllegalArgument("min_doc_freq must be positive");
      // Below 1 Elasticsearch reads a fraction of the documents; only counts are kept here.
      out->min_doc_freq = *d >= 1 ? static_cast<uint64_t>(*d) : 0;
    } else if (key == "shard_size" || key == "max_inspections" || key == "max_term_freq" || key == "accuracy" ||
               key == "string_distance" || key == "lowercase_terms" || key == "max_query_frequency") {
      // Accepted; the suggestions come from one exact dictionary, so the sampling knobs do not apply.
    } else {
      throw ParsingError(fmt::format("suggester[term] doesn't support field [{}]", std::string_view(key)));
    }
  }
  if (out->field.empty()) throw IllegalArgument("The required field option is missing");
}

// `fuzzy` of a completion suggester: true, or Elasticsearch's FuzzyOptions object.
void ParseCompletionFuzzy(const json::value& v, SuggestRequest* out) {
  out->fuzzy.mode = Fuzziness::Mode::kAuto;  // Elasticsearch's default fuzziness
  out->fuzzy.prefix_length = 1;
  if (v.is_bool()) {
    if (!v.get_bool()) out->fuzzy.mode = Fuzziness::Mode::kNone;
    return;
  }
  if (!v.is_object()) throw ParsingError("[fuzzy] must be a boolean or an object");
  for (const auto& [key, value] : v.get_object()) {
    if (key == "fuzziness") {
      Fuzziness parsed = dsl::ParseFuzziness(value, "completion");
      out->fuzzy.mode = parsed.mode;
      out->fuzzy.edits = parsed.edits;
    } else if (key == "prefix_length" || key == "min_length") {
      int64_t n = IntOption(value, key);
      if (n < 0) throw IllegalArgument(fmt::format("[{}] must not be negative", std::string_view(key)));
      (key == "prefix_length" ? out->fuzzy.prefix_length : out->fuzzy_min_length) = static_cast<int>(std::min<int64_t>(n, 1000));
    } else if (key == "transpositions" || key == "unicode_aware" || key == "max_determinized_states") {
      // Transpositions always count as one edit, and lengths are always in code points.
    } else {
      throw ParsingError(fmt::format("[fuzzy] unknown field [{}]", std::string_view(key)));
    }
  }
}

// The `completion` object of one suggester: Elasticsearch's CompletionSuggestionBuilder options.
void ParseCompletionOptions(const json::value& v, SuggestRequest* out) {
  if (!v.is_object()) throw ParsingError("suggester[completion] must be an object");
  out->type = SuggestRequest::Type::kCompletion;
  for (const auto& [key, value] : v.get_object()) {
    if (ParseSharedOption(key, value, out)) {
      continue;
    } else if (key == "skip_duplicates") {
      auto b = ToBool(value);
      if (!b) throw XContentError("[completion] failed to parse field [skip_duplicates]: expected a boolean");
      out->skip_duplicates = *b;
    } else if (key == "fuzzy") {
      ParseCompletionFuzzy(value, out);
    } else if (key == "shard_size") {
      // One engine answers for the whole index.
    } else if (key == "contexts") {
      throw IllegalArgument("context suggestions are not supported by this server");
    } else {
      throw ParsingError(fmt::format("[completion] unknown field [{}]", std::string_view(key)));
    }
  }
  if (out->field.empty()) throw IllegalArgument("The required field option is missing");
}

SuggestRequest ParseSuggester(std::string_view name, const json::value& v, const std::optional<std::string>& global_text) {
  if (!v.is_object()) throw ParsingError(fmt::format("suggestion [{}] must be an object", name));
  SuggestRequest out;
  out.name = std::string(name);
  std::optional<std::string> text = global_text;
  bool have_type = false;
  bool has_prefix = false;
  for (const auto& [key, value] : v.get_object()) {
    if (key == "text" || key == "prefix") {
      if (!value.is_string()) throw IllegalArgument(fmt::format("suggestion [{}] {} must be a string", name, std::string_view(key)));
      text = std::string(value.get_string());
      has_prefix |= key == "prefix";
    } else if (key == "completion") {
      if (have_type) throw ParsingError(fmt::format("suggestion [{}] has more than one suggester", name));
      ParseCompletionOptions(value, &out);
      have_type = true;
    } else if (key == "term") {
      if (have_type) throw ParsingError(fmt::format("suggestion [{}] has more than one suggester", name));
      ParseTermOptions(value, &out);
      have_type = true;
    } else if (key == "phrase") {
      throw IllegalArgument(fmt::format("suggester [{}] is not supported yet by this server", std::string_view(key)));
    } else if (key == "regex") {
      throw IllegalArgument("[regex] completion is not supported yet by this server");
    } else {
      throw IllegalArgument(fmt::format("suggester [{}] not supported", std::string_view(key)));
    }
  }
  if (!have_type) throw IllegalArgument(fmt::format("suggestion [{}] needs a suggester such as [term]", name));
  if (has_prefix && out.type != SuggestRequest::Type::kCompletion) {
    throw IllegalArgument("[prefix] is only allowed with the completion suggester");
  }
  if (!text) throw IllegalArgument("The required text option is missing");
  out.text = std::move(*text);
  return out;
}

}  // namespace

std::vector<SuggestRequest> ParseSuggest(const json::value& v) {
  if (!v.is_object()) throw ParsingError("[suggest] must be an object");
  const json::object& o = v.get_object();
  std::optional<std::string> global_text;
  if (const json::value* t = o.if_contains("text")) {
    if (!t->is_string()) throw IllegalArgument("[suggest] global text must be a string");
    global_text = std::string(t->get_string());
  }
  std::vector<SuggestRequest> out;
  for (const auto& [key, value] : o) {
    if (key == "text") continue;
    out.push_back(ParseSuggester(key, value, global_text));
  }
  return out;
}

}  // namespace ultrasearch::server
