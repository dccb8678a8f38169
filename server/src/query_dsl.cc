#include "query_dsl.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

#include "es_errors.h"
#include "json_util.h"
#include "query_dsl_scoring.h"
#include "query_dsl_util.h"
#include "ultrasearch/limits.h"

namespace ultrasearch::server {
namespace {

using namespace dsl;  // NOLINT: the helpers are this file's vocabulary

class DslParser {
 public:
  explicit DslParser(const AnalyzerRegistry& analyzers) : analyzers_(analyzers) {}

  // nullopt for an empty object (ignored inside bool, match_all at the top).
  std::optional<Query> Parse(const json::value& v) {
    if (!v.is_object()) throw ParsingError("[_na] query malformed, must start with start_object");
    const Obj& o = v.get_object();
    if (o.empty()) return std::nullopt;
    if (o.size() > 1) {
      throw ParsingError(fmt::format("[{}] malformed query, expected [END_OBJECT] but found [FIELD_NAME]",
                                     std::string_view(o.begin()->key())));
    }
    std::string name(o.begin()->key());
    const json::value& body = o.begin()->value();
    if (name == "match_all") return ParseMatchAll(body, name);
    if (name == "match_none") return ParseMatchNone(body);
    if (name == "match") return ParseMatch(body, name, MatchQuery::Type::kBestFields);
    if (name == "match_bool_prefix") return ParseMatch(body, name, MatchQuery::Type::kBoolPrefix);
    if (name == "match_phrase") return ParseMatch(body, name, MatchQuery::Type::kPhrase);
    if (name == "match_phrase_prefix") return ParseMatch(body, name, MatchQuery::Type::kPhrasePrefix);
    if (name == "multi_match") return ParseMultiMatch(body);
    if (name == "bool") return ParseBool(body);
    const ParseFn nested = [this](const json::value& v) { return ParseRequired(v); };
    if (name == "constant_score") return dsl::ParseConstantScore(body, nested);
    if (name == "dis_max") return ParseDisMax(body, nested);
    if (name == "boosting") return ParseBoosting(body, nested);
    if (name == "function_score") return ParseFunctionScore(body, nested);
    if (name == "wildcard") return ParseWildcard(body);
    if (name == "combined_fields") return ParseCombinedFields(body);
    if (name == "query_string") return ParseQueryString(body, false);
    if (name == "simple_query_string") return ParseQueryString(body, true);
    if (name == "term") return ParseTerm(body);
    if (name == "terms") return ParseTerms(body);
    if (name == "range") return ParseRange(body);
    if (name == "prefix") return ParsePrefix(body);
    if (name == "exists") return ParseExists(body);
    if (name == "ids") return ParseIds(body);
    if (name == "fuzzy") return ParseFuzzy(body);
    static const std::set<std::string, std::less<>> kKnownElsewhere = {
        "nested", "regexp", "geo_distance", "geo_bounding_box", "geo_shape", "more_like_this", "script",
        "script_score", "has_child", "has_parent", "terms_set",
        "knn", "wrapper", "pinned", "rank_feature", "distance_feature", "percolate", "intervals",
        "span_term", "span_near", "span_or", "span_not", "span_first", "span_multi", "parent_id"};
    if (kKnownElsewhere.count(name)) {
      throw IllegalArgument(fmt::format("query [{}] is not supported by this server", name));
    }
    throw ParsingError(fmt::format("unknown query [{}]", name));
  }

  Query ParseRequired(const json::value& v) {
    auto q = Parse(v);
    return q ? std::move(*q) : Query{};
  }

 private:
  Query ParseMatchAll(const json::value& body, std::string_view name) {
    Query q;
    for (const auto& [key, v] : ExpectObject(body, name)) {
      if (key == "boost") q.boost = Boost(v, name);
      else if (key != "_name") Unsupported(name, key);
    }
    return q;
  }

  Query ParseMatchNone(const json::value& body) {
    for (const auto& [key, v] : ExpectObject(body, "match_none")) {
      if (key != "boost" && key != "_name") Unsupported("match_none", key);
    }
    Query q;
    q.node = MatchNoneQuery{};
    return q;
  }

  void CheckAnalyzer(const std::string& name, std::string_view query) {
    if (!analyzers_.Find(name)) {
      throw IllegalArgument(fmt::format("[{}] analyzer [{}] not found", query, name));
    }
  }

  // Options shared by match-family queries; returns false when `key` is not one of them.
  bool MatchOption(std::string_view key, const json::value& v, std::string_view query, MatchQuery* m,
                   double* boost) {
    if (key == "operator") m->op = ParseOperator(v, query);
    else if (key == "fuzziness") m->fuzziness = ParseFuzziness(v, query);
    else if (key == "prefix_length") m->fuzziness.prefix_length = NonNegativeInt(v, query, key);
    else if (key == "max_expansions") m->fuzziness.max_expansions = NonNegativeInt(v, query, key);
    else if (key == "minimum_should_match") m->minimum_should_match = MinimumShouldMatch(v, query);
    else if (key == "slop") m->slop = NonNegativeInt(v, query, key);
    else if (key == "boost") *boost = Boost(v, query);
    else if (key == "analyzer") {
      m->analyzer = Scalar(v, query, key);
      CheckAnalyzer(m->analyzer, query);
    } else if (key == "zero_terms_query") {
      const std::string mode = v.is_string() ? Lower(v.get_string()) : std::string();
      if (mode != "none" && mode != "all") {
        throw ParsingError(fmt::format("[{}] unsupported zero_terms_query value [{}]", query, mode));
      }
      m->zero_terms_all = mode == "all";
    } else if (key == "_name" || key == "lenient" ||
               key == "fuzzy_transpositions" || key == "auto_generate_synonyms_phrase_query" ||
               key == "fuzzy_rewrite" || key == "tie_breaker" || key == "rewrite") {
      // Accepted and ignored: they change nothing the engine could honour differently.
    } else {
      return false;
    }
    return true;
  }

  Query ParseMatch(const json::value& body, std::string_view name, MatchQuery::Type type) {
    Query q;
    MatchQuery m;
    m.type = type;
    auto [field, value] = SingleField(ExpectObject(body, name), name, nullptr);
    m.fields.push_back({field, 1.0});
    if (value->is_object()) {
      bool has_query = false;
      for (const auto& [key, v] : value->get_object()) {
        if (key == "query") {
          m.text = Scalar(v, name, key);
          has_query = true;
        } else if (!MatchOption(key, v, name, &m, &q.boost)) {
          Unsupported(name, key);
        }
      }
      if (!has_query) throw ParsingError(fmt::format("[{}] requires query value", name));
    } else {
      m.text = Scalar(*value, name, field);
    }
    q.node = std::move(m);
    return q;
  }

  Query ParseMultiMatch(const json::value& body) {
    constexpr std::string_view name = "multi_match";
    Query q;
    MatchQuery m;
    bool has_query = false;
    for (const auto& [key, v] : ExpectObject(body, name)) {
      if (key == "query") {
        m.text = Scalar(v, name, key);
        has_query = true;
      } else if (key == "fields") {
        if (v.is_string()) {
          m.fields.push_back(FieldWithBoost(v.get_string()));
        } else if (v.is_array()) {
          for (const auto& f : v.get_array()) {
            if (!f.is_string()) UnknownToken(name, f, "fields");
            m.fields.push_back(FieldWithBoost(f.get_string()));
          }
        } else {
          UnknownToken(name, v, "fields");
        }
      } else if (key == "type") {
        m.type = MultiMatchType(v);
      } else if (!MatchOption(key, v, name, &m, &q.boost)) {
        Unsupported(name, key);
      }
    }
    if (!has_query) throw ParsingError("No text specified for multi_match query");
    q.node = std::move(m);
    return q;
  }

  static FieldBoost FieldWithBoost(std::string_view spec) {
    FieldBoost fb;
    auto caret = spec.rfind('^');
    fb.field = std::string(spec.substr(0, caret));
    if (caret != std::string_view::npos) {
      auto boost = ToDouble(json::value(json::string_view(spec.substr(caret + 1))));
      if (!boost || *boost < 0) {
        throw ParsingError(fmt::format("[multi_match] invalid boost in field [{}]", spec));
      }
      fb.boost = *boost;
    }
    if (fb.field.empty()) throw ParsingError("[multi_match] field name cannot be empty");
    return fb;
  }

  static MatchQuery::Type MultiMatchType(const json::value& v) {
    if (!v.is_string()) UnknownToken("multi_match", v, "type");
    std::string t = Lower(v.get_string());
    if (t == "best_fields") return MatchQuery::Type::kBestFields;
    if (t == "most_fields") return MatchQuery::Type::kMostFields;
    if (t == "cross_fields") return MatchQuery::Type::kCrossFields;
    if (t == "bool_prefix") return MatchQuery::Type::kBoolPrefix;
    if (t == "phrase") return MatchQuery::Type::kPhrase;
    if (t == "phrase_prefix") return MatchQuery::Type::kPhrasePrefix;
    throw ParsingError(fmt::format("[multi_match] query does not allow type [{}]", t));
  }

  void AddClauses(const json::value& v, std::string_view occur, std::vector<Query>* out) {
    if (v.is_object()) {
      if (auto q = Parse(v)) out->push_back(std::move(*q));
    } else if (v.is_array()) {
      for (const auto& item : v.get_array()) {
        if (!item.is_object()) {
          throw ParsingError(fmt::format("[bool] query malformed, [{}] must hold objects, found [{}]", occur,
                                         TokenName(item)));
        }
        if (auto q = Parse(item)) out->push_back(std::move(*q));
      }
    } else {
      UnknownToken("bool", v, occur);
    }
  }

  Query ParseBool(const json::value& body) {
    Query q;
    BoolQuery b;
    for (const auto& [key, v] : ExpectObject(body, "bool")) {
      if (key == "must") AddClauses(v, key, &b.must);
      else if (key == "filter") AddClauses(v, key, &b.filter);
      else if (key == "should") AddClauses(v, key, &b.should);
      else if (key == "must_not") AddClauses(v, key, &b.must_not);
      else if (key == "minimum_should_match") b.minimum_should_match = MinimumShouldMatch(v, "bool");
      else if (key == "boost") q.boost = Boost(v, "bool");
      else if (key != "_name" && key != "adjust_pure_negative") Unsupported("bool", key);
    }
    q.node = std::move(b);
    return q;
  }

  Query ParseTerm(const json::value& body) {
    Query q;
    TermQuery t;
    auto [field, value] = SingleField(ExpectObject(body, "term"), "term", nullptr);
    t.field = field;
    if (value->is_object()) {
      bool has_value = false;
      for (const auto& [key, v] : value->get_object()) {
        if (key == "value") {
          t.values.push_back(Scalar(v, "term", key));
          has_value = true;
        } else if (key == "boost") {
          q.boost = Boost(v, "term");
        } else if (key == "case_insensitive") {
          if (ToBool(v).value_or(false)) throw IllegalArgument("[term] case_insensitive is not supported");
        } else if (key != "_name") {
          Unsupported("term", key);
        }
      }
      if (!has_value) throw ParsingError("[term] query requires a value");
    } else {
      t.values.push_back(Scalar(*value, "term", field));
    }
    q.node = std::move(t);
    return q;
  }

  Query ParseTerms(const json::value& body) {
    Query q;
    TermQuery t;
    auto [field, value] = SingleField(ExpectObject(body, "terms"), "terms", &q.boost);
    t.field = field;
    if (value->is_object()) throw IllegalArgument("[terms] lookup of terms from a document is not supported");
    if (!value->is_array()) {
      throw ParsingError(fmt::format("[terms] query does not support [{}]", field));
    }
    const auto& items = value->get_array();
    if (static_cast<int64_t>(items.size()) > limits::kMaxTermsCount) {
      // Checked where the query runs on each shard in Elasticsearch: a failed query phase.
      EsError e = IllegalArgument(fmt::format(
          "The number of terms [{}] used in the Terms Query request has exceeded the allowed maximum of [{}]. "
          "This maximum can be set by changing the [index.max_terms_count] index level setting.",
          items.size(), limits::kMaxTermsCount));
      e.WrapIn("search_phase_execution_exception", "all shards failed");
      throw e;
    }
    for (const auto& item : items) t.values.push_back(Scalar(item, "terms", field));
    if (t.values.empty()) {
      q.node = MatchNoneQuery{};
    } else {
      q.node = std::move(t);
    }
    return q;
  }

  static std::optional<std::string> Bound(const json::value& v, std::string_view key) {
    if (v.is_null()) return std::nullopt;
    return Scalar(v, "range", key);
  }

  Query ParseRange(const json::value& body) {
    Query q;
    RangeQuery r;
    auto [field, value] = SingleField(ExpectObject(body, "range"), "range", nullptr);
    r.field = field;
    if (!value->is_object()) UnknownToken("range", *value, field);
    std::optional<std::string> from, to;
    bool include_lower = true, include_upper = true;
    for (const auto& [key, v] : value->get_object()) {
      if (key == "gt") r.gt = Bound(v, key);
      else if (key == "gte") r.gte = Bound(v, key);
      else if (key == "lt") r.lt = Bound(v, key);
      else if (key == "lte") r.lte = Bound(v, key);
      else if (key == "from") from = Bound(v, key);
      else if (key == "to") to = Bound(v, key);
      else if (key == "include_lower" || key == "include_upper") {
        auto b = ToBool(v);
        if (!b) UnknownToken("range", v, key);
        (key == "include_lower" ? include_lower : include_upper) = *b;
      } else if (key == "boost") {
        q.boost = Boost(v, "range");
      } else if (key == "format" || key == "time_zone" || key == "relation" || key == "_name") {
        // Dates are ISO 8601 or epoch millis in this engine; other formats are not interpreted.
      } else {
        Unsupported("range", key);
      }
    }
    if (from) (include_lower ? r.gte : r.gt) = from;
    if (to) (include_upper ? r.lte : r.lt) = to;
    q.node = std::move(r);
    return q;
  }

  Query ParsePrefix(const json::value& body) {
    Query q;
    PrefixQuery p;
    auto [field, value] = SingleField(ExpectObject(body, "prefix"), "prefix", nullptr);
    p.field = field;
    if (value->is_object()) {
      bool has_value = false;
      for (const auto& [key, v] : value->get_object()) {
        if (key == "value" || key == "prefix") {
          p.prefix = Scalar(v, "prefix", key);
          has_value = true;
        } else if (key == "boost") {
          q.boost = Boost(v, "prefix");
        } else if (key == "case_insensitive") {
          if (ToBool(v).value_or(false)) throw IllegalArgument("[prefix] case_insensitive is not supported");
        } else if (key != "rewrite" && key != "_name") {
          Unsupported("prefix", key);
        }
      }
      if (!has_value) throw ParsingError("[prefix] query requires a value");
    } else {
      p.prefix = Scalar(*value, "prefix", field);
    }
    q.node = std::move(p);
    return q;
  }

  Query ParseExists(const json::value& body) {
    Query q;
    ExistsQuery e;
    for (const auto& [key, v] : ExpectObject(body, "exists")) {
      if (key == "field") {
        if (!v.is_string()) UnknownToken("exists", v, key);
        e.field = std::string(v.get_string());
      } else if (key == "boost") {
        q.boost = Boost(v, "exists");
      } else if (key != "_name") {
        Unsupported("exists", key);
      }
    }
    if (e.field.empty()) throw ParsingError("[exists] must be provided with a [field]");
    q.node = std::move(e);
    return q;
  }

  Query ParseIds(const json::value& body) {
    Query q;
    IdsQuery ids;
    for (const auto& [key, v] : ExpectObject(body, "ids")) {
      if (key == "values") {
        if (!v.is_array()) UnknownToken("ids", v, key);
        for (const auto& id : v.get_array()) ids.ids.push_back(Scalar(id, "ids", key));
      } else if (key == "boost") {
        q.boost = Boost(v, "ids");
      } else if (key != "_name" && key != "type") {
        Unsupported("ids", key);
      }
    }
    q.node = std::move(ids);
    return q;
  }

  Query ParseFuzzy(const json::value& body) {
    Query q;
    MatchQuery m;
    m.fuzziness.mode = Fuzziness::Mode::kAuto;
    auto [field, value] = SingleField(ExpectObject(body, "fuzzy"), "fuzzy", nullptr);
    m.fields.push_back({field, 1.0});
    if (value->is_object()) {
      bool has_value = false;
      for (const auto& [key, v] : value->get_object()) {
        if (key == "value") {
          m.text = Scalar(v, "fuzzy", key);
          has_value = true;
        } else if (key == "transpositions") {
          // Always on in the engine.
        } else if (!MatchOption(key, v, "fuzzy", &m, &q.boost)) {
          Unsupported("fuzzy", key);
        }
      }
      if (!has_value) throw ParsingError("[fuzzy] query requires a value");
    } else {
      m.text = Scalar(*value, "fuzzy", field);
    }
    q.node = std::move(m);
    return q;
  }

  const AnalyzerRegistry& analyzers_;
};

}  // namespace

Query ParseQuery(const json::value& v, const AnalyzerRegistry& analyzers) {
  DslParser parser(analyzers);
  return parser.ParseRequired(v);
}

Query ParseQueryStringParam(std::string_view q) {
  Query query;
  while (!q.empty() && q.front() == ' ') q.remove_prefix(1);
  while (!q.empty() && q.back() == ' ') q.remove_suffix(1);
  if (q.empty() || q == "*" || q == "*:*") return query;
  MatchQuery m;
  auto colon = q.find(':');
  if (colon != std::string_view::npos && colon > 0) {
    std::string_view field = q.substr(0, colon);
    bool plain = std::all_of(field.begin(), field.end(), [](unsigned char c) {
      return std::isalnum(c) || c == '_' || c == '.' || c >= 0x80;
    });
    if (plain) {
      m.fields.push_back({std::string(field), 1.0});
      q.remove_prefix(colon + 1);
      if (q.size() >= 2 && q.front() == '"' && q.back() == '"') {
        q = q.substr(1, q.size() - 2);
        m.type = MatchQuery::Type::kPhrase;
      }
    }
  }
  m.text = std::string(q);
  query.node = std::move(m);
  return query;
}

}  // namespace ultrasearch::server
