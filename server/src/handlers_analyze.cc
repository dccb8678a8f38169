// POST|GET /_analyze and /INDEX/_analyze: {"analyzer":"uz","text":"..." | [...]} or
// {"field":"name","text":...} (the field's analyzer from the index mapping).
#include <fmt/format.h>

#include "es_errors.h"
#include "handler_util.h"
#include "handlers.h"
#include "json_util.h"
#include "ultrasearch/utf8.h"

namespace ultrasearch::server {
namespace {

std::string FieldAnalyzer(ServerContext& ctx, const std::string& index_name, const std::string& field) {
  ResolvedIndex target = RequireIndex(ctx, index_name);
  auto analyzer = target.index->SearchAnalyzerOf(field);
  if (analyzer.ok()) return analyzer.value();
  if (analyzer.status().IsNotFound()) {
    throw IllegalArgument(fmt::format("field [{}] is not mapped in index [{}]", field, target.name));
  }
  throw IllegalArgument(fmt::format("Can't process field [{}], Analysis requests are only supported on tokenized "
                                    "fields",
                                    field));
}

}  // namespace

Reply HandleAnalyze(ServerContext& ctx, const Request& req) {
  bool on_index = req.segments.size() >= 2;
  std::string analyzer_name, field;
  std::vector<std::string> texts;
  if (req.has_body()) {
    json::value body = ParseJson(req.body);
    if (!body.is_object()) throw ParsingError("request body must be an object");
    for (const auto& [key, v] : body.get_object()) {
      if (key == "analyzer") {
        if (!v.is_string()) throw ParsingError("[analyze] [analyzer] must be a string");
        analyzer_name = std::string(v.get_string());
      } else if (key == "text") {
        if (v.is_string()) {
          texts.emplace_back(v.get_string());
        } else if (v.is_array()) {
          for (const auto& t : v.get_array()) {
            if (!t.is_string()) throw ParsingError("[analyze] [text] must hold strings");
            texts.emplace_back(t.get_string());
          }
        } else {
          throw ParsingError(fmt::format("[analyze] unknown token [{}] after [text]", TokenName(v)));
        }
      } else if (key == "field") {
        if (!v.is_string()) throw ParsingError("[analyze] [field] must be a string");
        field = std::string(v.get_string());
      } else if (key == "tokenizer" || key == "filter" || key == "char_filter" || key == "normalizer") {
        throw IllegalArgument(fmt::format("custom analysis chains ([{}]) are not supported; name an analyzer",
                                          std::string_view(key)));
      } else if (key == "explain" || key == "attributes") {
        if (key == "explain" && ToBool(v).value_or(false)) throw IllegalArgument("[explain] is not supported");
      } else {
        throw IllegalArgument(fmt::format("Unknown parameter [{}] in request body or parameter is of the wrong type[{}] ",
                                          std::string_view(key), TokenName(v)));
      }
    }
  }
  if (auto a = req.Param("analyzer")) analyzer_name = std::string(*a);
  if (auto t = req.Param("text")) texts = {std::string(*t)};
  if (auto f = req.Param("field")) field = std::string(*f);
  if (texts.empty()) throw ValidationError("1: text is missing;");

  if (analyzer_name.empty() && !field.empty()) {
    if (!on_index) throw IllegalArgument("analysis by [field] needs an index: use /INDEX/_analyze");
    analyzer_name = FieldAnalyzer(ctx, req.segments[0], field);
  } else if (on_index) {
    RequireIndex(ctx, req.segments[0]);
  }
  if (analyzer_name.empty()) analyzer_name = "standard";
  const Analyzer* analyzer = ctx.engine.analyzers().Find(analyzer_name);
  if (!analyzer) {
    throw IllegalArgument(fmt::format("failed to find {}analyzer [{}]", on_index ? "" : "global ", analyzer_name));
  }

  json::array tokens;
  uint32_t position_base = 0, offset_base = 0;
  std::vector<Token> out;
  for (const std::string& text : texts) {
    out.clear();
    analyzer->Analyze(text, AnalysisMode::kIndex, &out);
    uint32_t last_position = 0;
    for (const Token& t : out) {
      json::object tok{{"token", t.term},
                       {"start_offset", offset_base + t.start_offset},
                       {"end_offset", offset_base + t.end_offset},
                       {"type", t.type},
                       {"position", position_base + t.position}};
      tokens.push_back(std::move(tok));
      last_position = std::max(last_position, t.position);
    }
    // Lucene's gaps between values of one field: offsets continue after the text plus one,
    // positions after the last one (position_increment_gap 0 for a bare analyzer).
    if (!out.empty()) position_base += last_position + 1;
    offset_base += static_cast<uint32_t>(Utf16Length(text)) + 1;
  }
  json::object body{{"tokens", std::move(tokens)}};
  return JsonReply(200, json::serialize(body));
}

}  // namespace ultrasearch::server
