// query_string, simple_query_string and combined_fields → the engine's match and bool queries.
//
// The common subset of Lucene's syntax: words and "quoted phrases" (phrase~N for slop), field:word,
// word* (prefix), word~ / word~N (fuzziness), word^N (boost), AND / OR / NOT / && / || / ! and
// +word / -word (simple_query_string: + | - only). Operators combine as in Lucene's classic parser
// (QueryParser.addClause). Anything else (parentheses, ranges, regular expressions, leading
// wildcards, field patterns) answers 400 naming what is not supported rather than matching
// something else than was asked.
#include <fmt/format.h>

#include <cctype>
#include <optional>

#include "es_errors.h"
#include "json_util.h"
#include "query_dsl_scoring.h"
#include "query_dsl_util.h"

namespace ultrasearch::server::dsl {

namespace {

std::vector<FieldBoost> ParseFields(const boost::json::value& v, std::string_view query) {
  std::vector<FieldBoost> fields;
  auto one = [&](std::string_view spec) {
    FieldBoost fb;
    auto caret = spec.rfind('^');
    fb.field = std::string(spec.substr(0, caret));
    if (caret != std::string_view::npos) {
      auto boost = ToDouble(boost::json::value(boost::json::string_view(spec.substr(caret + 1))));
      if (!boost || *boost < 0) throw ParsingError(fmt::format("[{}] invalid boost in field [{}]", query, spec));
      fb.boost = *boost;
    }
    if (fb.field.empty()) throw ParsingError(fmt::format("[{}] field name cannot be empty", query));
    fields.push_back(std::move(fb));
  };
  if (v.is_string()) {
    one(v.get_string());
  } else if (v.is_array()) {
    for (const auto& f : v.get_array()) {
      if (!f.is_string()) UnknownToken(query, f, "fields");
      one(f.get_string());
    }
  } else {
    UnknownToken(query, v, "fields");
  }
  // "*" means every field, which the engine's default search fields stand for.
  if (fields.size() == 1 && fields.front().field == "*") fields.clear();
  return fields;
}

enum class Occur { kMust, kShould, kMustNot };
enum class Conj { kNone, kAnd, kOr };
enum class Mod { kNone, kRequired, kNot };

struct Options {
  std::string name;  // query_string or simple_query_string
  bool simple = false;
  std::vector<FieldBoost> fields;
  bool and_default = false;
  std::string analyzer;
  Fuzziness fuzziness;  // the default for word~
  int phrase_slop = 0;
  std::string minimum_should_match;
};

class QueryStringParser {
 public:
  QueryStringParser(std::string_view text, const Options& options) : text_(text), options_(options) {}

  Query Parse() {
    std::vector<std::pair<Occur, Query>> clauses;
    Conj conj = Conj::kNone;
    Mod mod = Mod::kNone;
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size()) break;
      // Operators.
      if (!options_.simple && (Word("AND") || Symbol("&&"))) {
        conj = Conj::kAnd;
        continue;
      }
      if (!options_.simple && (Word("OR") || Symbol("||"))) {
        conj = Conj::kOr;
        continue;
      }
      if (!options_.simple && (Word("NOT") || Symbol("!"))) {
        mod = Mod::kNot;
        continue;
      }
      if (options_.simple && Symbol("|")) {
        conj = Conj::kOr;
        continue;
      }
      const char c = text_[pos_];
      if (c == '+') {
        ++pos_;
        if (options_.simple) conj = Conj::kAnd;
        else mod = Mod::kRequired;
        continue;
      }
      if (c == '-') {
        ++pos_;
        mod = Mod::kNot;
        continue;
      }
      if (c == '(' || c == ')') Refuse("grouping with parentheses");
      if (c == '[' || c == '{' || c == ']' || c == '}') Refuse("range syntax");
      if (c == '/') Refuse("regular expressions");
      Query clause = Clause();
      AddClause(&clauses, conj, mod, std::move(clause));
      conj = Conj::kNone;
      mod = Mod::kNone;
    }
    return Combine(std::move(clauses));
  }

 private:
  [[noreturn]] void Refuse(std::string_view what) const {
    throw IllegalArgument(fmt::format("[{}] {} is not supported by this server (in [{}])", options_.name, what, text_));
  }

  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }

  bool AtBoundary(size_t at) const {
    return at >= text_.size() || std::isspace(static_cast<unsigned char>(text_[at]));
  }

  bool Word(std::string_view w) {
    if (text_.substr(pos_, w.size()) != w || !AtBoundary(pos_ + w.size())) return false;
    pos_ += w.size();
    return true;
  }

  bool Symbol(std::string_view s) {
    if (text_.substr(pos_, s.size()) != s) return false;
    pos_ += s.size();
    return true;
  }

  // Lucene's QueryParser.addClause with its default_operator rules.
  void AddClause(std::vector<std::pair<Occur, Query>>* clauses, Conj conj, Mod mod, Query q) const {
    if (!clauses->empty() && conj == Conj::kAnd && clauses->back().first != Occur::kMustNot) {
      clauses->back().first = Occur::kMust;
    }
    if (!clauses->empty() && options_.and_default && conj == Conj::kOr && clauses->back().first != Occur::kMustNot) {
      clauses->back().first = Occur::kShould;
    }
    bool required, prohibited;
    if (!options_.and_default) {
      required = mod == Mod::kRequired;
      prohibited = mod == Mod::kNot;
      if (conj == Conj::kAnd && !prohibited) required = true;
    } else {
      prohibited = mod == Mod::kNot;
      required = !prohibited && conj != Conj::kOr;
    }
    Occur occur = prohibited ? Occur::kMustNot : (required ? Occur::kMust : Occur::kShould);
    clauses->emplace_back(occur, std::move(q));
  }

  Query Combine(std::vector<std::pair<Occur, Query>> clauses) const {
    if (clauses.empty()) {
      Query none;
      none.node = MatchNoneQuery{};
      return none;
    }
    if (clauses.size() == 1 && clauses.front().first != Occur::kMustNot) return std::move(clauses.front().second);
    BoolQuery b;
    for (auto& [occur, q] : clauses) {
      (occur == Occur::kMust ? b.must : occur == Occur::kShould ? b.should : b.must_not).push_back(std::move(q));
    }
    // A purely negative query matches everything else (Elasticsearch adds match_all).
    if (b.must.empty() && b.should.empty()) b.must.push_back(Query{});
    b.minimum_should_match = options_.minimum_should_match;
    Query q;
    q.node = std::move(b);
    return q;
  }

  // One term or phrase with its field and suffixes.
  Query Clause() {
    std::vector<FieldBoost> fields = options_.fields;
    MatchQuery m;
    m.analyzer = options_.analyzer;
    m.type = MatchQuery::Type::kBestFields;
    std::string text;
    if (text_[pos_] == '"') {
      auto end = text_.find('"', pos_ + 1);
      if (end == std::string_view::npos) {
        if (options_.simple) end = text_.size();  // simple_query_string forgives
        else throw ParsingError(fmt::format("[{}] Failed to parse query [{}]: unterminated quote", options_.name, text_));
      }
      text = std::string(text_.substr(pos_ + 1, end - pos_ - 1));
      pos_ = std::min(end + 1, text_.size());
      m.type = MatchQuery::Type::kPhrase;
      m.slop = options_.phrase_slop;
    } else {
      size_t start = pos_;
      while (pos_ < text_.size() && !std::isspace(static_cast<unsigned char>(text_[pos_])) && text_[pos_] != '~' &&
             text_[pos_] != '^' && text_[pos_] != '"' && text_[pos_] != '(' && text_[pos_] != ')' &&
             !(options_.simple && text_[pos_] == '|')) {
        ++pos_;
      }
      text = std::string(text_.substr(start, pos_ - start));
      // field:word (not in simple_query_string, whose fields come from `fields` only)
      auto colon = text.find(':');
      if (!options_.simple && colon != std::string::npos && colon > 0 && text.compare(colon - 1, 1, "\\") != 0) {
        std::string field = text.substr(0, colon);
        if (field.find('*') != std::string::npos || field == "_exists_") Refuse("field patterns and _exists_");
        fields = {{field, 1.0}};
        text = text.substr(colon + 1);
        if (!text.empty() && (text.front() == '[' || text.front() == '{')) Refuse("range syntax");
        if (!text.empty() && text.front() == '/') Refuse("regular expressions");
        if (text.empty() && pos_ < text_.size() && text_[pos_] == '"') {
          Query phrase = Clause();  // field:"a phrase"
          auto* pm = std::get_if<MatchQuery>(&phrase.node);
          if (pm != nullptr) pm->fields = fields;
          return phrase;
        }
      }
      if (text.empty()) throw ParsingError(fmt::format("[{}] Failed to parse query [{}]", options_.name, text_));
      if (text.front() == '*' || text.front() == '?') Refuse("a leading wildcard");
      auto star = text.find_first_of("*?");
      if (star != std::string::npos) {
        if (star + 1 != text.size() || text[star] == '?') Refuse("wildcards other than a trailing '*'");
        text.pop_back();
        m.type = MatchQuery::Type::kBoolPrefix;
      }
    }
    // Suffixes: ~N (fuzziness for words, slop for phrases) and ^N (boost), in either order.
    double boost = 1.0;
    while (pos_ < text_.size() && (text_[pos_] == '~' || text_[pos_] == '^')) {
      const char kind = text_[pos_++];
      size_t start = pos_;
      while (pos_ < text_.size() && (std::isdigit(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '.')) {
        ++pos_;
      }
      std::string number(text_.substr(start, pos_ - start));
      if (kind == '^') {
        auto b = ToDouble(boost::json::value(boost::json::string_view(number)));
        if (!b) throw ParsingError(fmt::format("[{}] Failed to parse query [{}]: bad boost", options_.name, text_));
        boost = *b;
      } else if (m.type == MatchQuery::Type::kPhrase) {
        m.slop = number.empty() ? 0 : std::stoi(number);
      } else {
        if (m.type == MatchQuery::Type::kBoolPrefix) Refuse("fuzziness on a prefix");
        if (number.empty()) {
          m.fuzziness = options_.fuzziness.mode == Fuzziness::Mode::kNone ? Fuzziness{Fuzziness::Mode::kAuto}
                                                                        : options_.fuzziness;
        } else {
          int edits = static_cast<int>(std::stod(number));
          m.fuzziness.mode = Fuzziness::Mode::kFixed;
          m.fuzziness.edits = std::clamp(edits, 0, 2);
        }
      }
    }
    m.fields = std::move(fields);
    m.text = std::move(text);
    Query q;
    q.boost = boost;
    q.node = std::move(m);
    return q;
  }

  std::string_view text_;
  const Options& options_;
  size_t pos_ = 0;
};

}  // namespace

Query ParseQueryString(const boost::json::value& body, bool simple) {
  Options options;
  options.name = simple ? "simple_query_string" : "query_string";
  options.simple = simple;
  const std::string_view name = options.name;
  std::optional<std::string> text;
  double boost = 1.0;
  for (const auto& [key, v] : ExpectObject(body, name)) {
    if (key == "query") {
      text = Scalar(v, name, key);
    } else if (key == "fields" || (!simple && key == "default_field")) {
      options.fields = ParseFields(v, name);
    } else if (key == "default_operator") {
      options.and_default = ParseOperator(v, name) == MatchQuery::Operator::kAnd;
    } else if (key == "analyzer") {
      options.analyzer = Scalar(v, name, key);
    } else if (key == "fuzziness" && !simple) {
      options.fuzziness = ParseFuzziness(v, name);
    } else if (key == "phrase_slop" && !simple) {
      options.phrase_slop = NonNegativeInt(v, name, key);
    } else if (key == "minimum_should_match") {
      options.minimum_should_match = MinimumShouldMatch(v, name);
    } else if (key == "boost") {
      boost = Boost(v, name);
    } else if (key == "flags" && simple) {
      if (!v.is_string() || Lower(v.get_string()) != "all") {
        throw IllegalArgument("[simple_query_string] flags other than [ALL] are not supported by this server");
      }
    } else if (key == "_name" || key == "lenient" || key == "analyze_wildcard" ||
               key == "auto_generate_synonyms_phrase_query" || key == "fuzzy_transpositions" ||
               (!simple && key == "allow_leading_wildcard") || (simple && key == "fuzzy_max_expansions") ||
               (simple && key == "fuzzy_prefix_length") || (!simple && key == "fuzzy_max_expansions") ||
               (!simple && key == "fuzzy_prefix_length")) {
      // Accepted: the defaults they name are the engine's, or they change nothing here.
    } else {
      Unsupported(name, key);
    }
  }
  if (!text) throw ParsingError(fmt::format("[{}] must be provided with a [query]", name));
  QueryStringParser parser(*text, options);
  Query q = parser.Parse();
  q.boost *= boost;
  return q;
}

Query ParseCombinedFields(const boost::json::value& body) {
  constexpr std::string_view name = "combined_fields";
  Query q;
  MatchQuery m;
  m.type = MatchQuery::Type::kCrossFields;
  bool has_query = false;
  for (const auto& [key, v] : ExpectObject(body, name)) {
    if (key == "query") {
      m.text = Scalar(v, name, key);
      has_query = true;
    } else if (key == "fields") {
      m.fields = ParseFields(v, name);
    } else if (key == "operator") {
      m.op = ParseOperator(v, name);
    } else if (key == "minimum_should_match") {
      m.minimum_should_match = MinimumShouldMatch(v, name);
    } else if (key == "boost") {
      q.boost = Boost(v, name);
    } else if (key == "zero_terms_query") {
      if (!v.is_string() || Lower(v.get_string()) != "none") {
        throw IllegalArgument("[combined_fields] zero_terms_query other than [none] is not supported by this server");
      }
    } else if (key != "_name" && key != "auto_generate_synonyms_phrase_query") {
      Unsupported(name, key);
    }
  }
  if (!has_query) throw ParsingError("[combined_fields] requires query value");
  if (m.fields.empty()) throw ParsingError("[combined_fields] requires 'fields' to be set");
  q.node = std::move(m);
  return q;
}

}  // namespace ultrasearch::server::dsl
