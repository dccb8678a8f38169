#include "highlight_request.h"

#include <fmt/format.h>

#include <limits>
#include <string>
#include <vector>

#include "es_errors.h"
#include "json_util.h"
#include "query_dsl.h"

namespace ultrasearch::server {
namespace {

namespace json = boost::json;

// Which parser names the option in messages: Elasticsearch's ObjectParser names.
constexpr std::string_view kTop = "highlight";
constexpr std::string_view kField = "highlight_field";

// pre_tags / post_tags: a string or an array of strings. The unified highlighter uses the first.
std::string FirstTag(const json::value& v, std::string_view parser, std::string_view key) {
  auto bad = [&] {
    return XContentError(fmt::format("[{}] failed to parse field [{}]: expected a string or an array of strings",
                                     parser, key));
  };
  if (v.is_string()) return std::string(v.get_string());
  if (!v.is_array()) throw bad();
  for (const auto& item : v.get_array()) {
    if (!item.is_string()) throw bad();
  }
  if (v.get_array().empty()) throw IllegalArgument(fmt::format("[{}] [{}] must not be empty", parser, key));
  return std::string(v.get_array().front().get_string());
}

uint32_t NonNegative(const json::value& v, std::string_view parser, std::string_view key) {
  auto i = ToInt64(v);
  if (!i) throw XContentError(fmt::format("[{}] failed to parse field [{}]: expected an integer", parser, key));
  if (*i < 0) throw IllegalArgument(fmt::format("[{}] must be a non-negative value, found [{}]", key, *i));
  return static_cast<uint32_t>(std::min<int64_t>(*i, std::numeric_limits<int32_t>::max()));
}

std::string_view StringValue(const json::value& v, std::string_view parser, std::string_view key) {
  if (!v.is_string()) throw XContentError(fmt::format("[{}] failed to parse field [{}]: expected a string", parser, key));
  return v.get_string();
}

// Applies one option shared by the top level and the fields; false when `key` is not one.
bool ApplyOption(std::string_view key, const json::value& v, std::string_view parser,
                 const AnalyzerRegistry& analyzers, HighlightField* options) {
  if (key == "pre_tags") {
    options->pre_tag = FirstTag(v, parser, key);
  } else if (key == "post_tags") {
    options->post_tag = FirstTag(v, parser, key);
  } else if (key == "fragment_size") {
    options->fragment_size = NonNegative(v, parser, key);
  } else if (key == "number_of_fragments") {
    options->number_of_fragments = NonNegative(v, parser, key);
  } else if (key == "no_match_size") {
    options->no_match_size = NonNegative(v, parser, key);
  } else if (key == "require_field_match") {
    auto b = ToBool(v);
    if (!b) throw XContentError(fmt::format("[{}] failed to parse field [{}]: expected a boolean", parser, key));
    options->require_field_match = *b;
  } else if (key == "highlight_query") {
    options->highlight_query = ParseQuery(v, analyzers);
  } else if (key == "order") {
    std::string_view order = StringValue(v, parser, key);
    if (order == "score") options->order_by_score = true;
    else if (order == "none") options->order_by_score = false;
    else throw IllegalArgument(fmt::format("No highlighter order for [{}]", order));
  } else if (key == "type") {
    // One implementation serves the three: it re-analyses the source as unified and plain do.
    std::string_view type = StringValue(v, parser, key);
    if (type != "unified" && type != "plain" && type != "fvh") {
      throw IllegalArgument(fmt::format("unknown highlighter type [{}]", type));
    }
  } else if (key == "encoder") {
    // Elasticsearch escapes for "html" and leaves any other value's text as it is.
    options->html_encode = StringValue(v, parser, key) == "html";
  } else if (key == "boundary_scanner") {
    std::string_view scanner = StringValue(v, parser, key);
    if (scanner != "sentence") {
      throw IllegalArgument(fmt::format("[{}] [boundary_scanner] [{}] is not supported by this server (only sentence)",
                                        parser, scanner));
    }
  } else if (key == "force_source" || key == "boundary_chars" || key == "boundary_max_scan" ||
             key == "fragmenter" || key == "fragment_offset" || key == "phrase_limit" ||
             key == "highlight_filter" || key == "max_analyzed_offset") {
    // Accepted: options of the plain and fvh highlighters that the unified one ignores, and
    // limits this server does not need (it always reads the source and analyses it whole).
  } else {
    return false;
  }
  return true;
}

HighlightField ParseField(std::string_view name, const json::value& v, const HighlightField& defaults,
                          const AnalyzerRegistry& analyzers) {
  if (!v.is_object()) {
    throw XContentError(fmt::format("[{}] field [{}] must be an object, found [{}]", kField, name, TokenName(v)));
  }
  HighlightField field = defaults;
  field.field = std::string(name);
  for (const auto& [key, value] : v.get_object()) {
    if (ApplyOption(key, value, kField, analyzers, &field)) continue;
    if (key == "matched_fields") {
      throw IllegalArgument(fmt::format("[{}] [matched_fields] is not supported by this server", kField));
    }
    throw XContentError(fmt::format("[{}] unknown field [{}]", kField, std::string_view(key)));
  }
  return field;
}

}  // namespace

HighlightRequest ParseHighlight(const json::value& v, const AnalyzerRegistry& analyzers) {
  if (!v.is_object()) throw XContentError(fmt::format("[{}] expected an object, found [{}]", kTop, TokenName(v)));
  const json::object& body = v.get_object();
  HighlightField defaults;
  const json::value* fields = nullptr;
  for (const auto& [key, value] : body) {
    if (key == "fields") {
      fields = &value;
    } else if (key == "tags_schema") {
      std::string_view schema = StringValue(value, kTop, key);
      if (schema != "styled" && schema != "default") {
        throw IllegalArgument(fmt::format("Unknown tag schema [{}]", schema));
      }
      if (schema == "styled") defaults.pre_tag = R"(<em class="hlt">)";
    } else if (!ApplyOption(key, value, kTop, analyzers, &defaults)) {
      throw XContentError(fmt::format("[{}] unknown field [{}]", kTop, std::string_view(key)));
    }
  }
  HighlightRequest request;
  if (fields == nullptr) return request;
  if (fields->is_object()) {
    for (const auto& [name, options] : fields->get_object()) {
      request.fields.push_back(ParseField(name, options, defaults, analyzers));
    }
  } else if (fields->is_array()) {
    // The array form keeps the order explicit: [{"name":{}}, {"description":{}}].
    for (const auto& item : fields->get_array()) {
      if (!item.is_object() || item.get_object().size() != 1) {
        throw XContentError(fmt::format(
            "[{}] If highlighter fields is an array it must contain objects containing a single field", kTop));
      }
      const auto& entry = *item.get_object().begin();
      request.fields.push_back(ParseField(entry.key(), entry.value(), defaults, analyzers));
    }
  } else {
    throw XContentError(fmt::format("[{}] [fields] must be an object or an array, found [{}]", kTop, TokenName(*fields)));
  }
  return request;
}

}  // namespace ultrasearch::server
