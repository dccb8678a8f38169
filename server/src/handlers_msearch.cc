// GET|POST /_msearch and /INDEX/_msearch: NDJSON header/body line pairs, each run as its own
// _search. One item's failure is reported in its place ({"error":...,"status":N}) and never fails
// the others; only a body that is not NDJSON at all (no final newline) fails the whole request.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "es_errors.h"
#include "handler_util.h"
#include "handlers.h"
#include "json_util.h"
#include "security/authorize.h"

namespace ultrasearch::server {
namespace {

// Header keys Elasticsearch accepts besides `index`; as in _search they change nothing here
// except ignore_unavailable, which is passed on as the URL parameter of the item's search.
bool IsKnownHeaderKey(std::string_view key) {
  return key == "search_type" || key == "ccs_minimize_roundtrips" || key == "request_cache" ||
         key == "preference" || key == "routing" || key == "allow_partial_search_results" ||
         key == "ignore_unavailable" || key == "allow_no_indices" || key == "expand_wildcards" ||
         key == "ignore_throttled";
}

std::string IndexExpression(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (!v.is_array()) throw IllegalArgument("[index] in the msearch metadata must be a string or an array of strings");
  std::string out;
  for (const auto& item : v.get_array()) {
    if (!item.is_string()) throw IllegalArgument("[index] in the msearch metadata must be a string or an array of strings");
    if (!out.empty()) out += ',';
    out += item.get_string();
  }
  return out;
}

// Applies one header line to the item's search request (path and parameters).
void ApplyHeader(std::string_view line, std::string* index, Request* item) {
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return;  // empty header: defaults
  json::value v = ParseJson(line, "msearch header");
  if (!v.is_object()) {
    throw IllegalArgument(fmt::format("msearch header must be an object, found [{}]", TokenName(v)));
  }
  for (const auto& [key, value] : v.get_object()) {
    if (key == "index" || key == "indices") {
      *index = IndexExpression(value);
    } else if (IsKnownHeaderKey(key)) {
      if (key == "ignore_unavailable") {
        auto b = ToBool(value);
        if (!b) throw IllegalArgument("[ignore_unavailable] in the msearch metadata must be a boolean");
        item->params["ignore_unavailable"] = *b ? "true" : "false";
      }
    } else {
      throw IllegalArgument(fmt::format("key [{}] is not supported in the metadata section", std::string_view(key)));
    }
  }
}

// The body of one item's answer: the search response with "status":200, or its error.
std::string RunItem(ServerContext& ctx, const Request& outer, std::string_view header,
                    std::optional<std::string_view> body) {
  try {
    Request item;
    item.method = Method::kPost;
    item.target = outer.target;
    item.authorization = outer.authorization;
    if (auto v = outer.Param("ignore_unavailable")) item.params["ignore_unavailable"] = std::string(*v);
    std::string index = outer.segments.size() >= 2 ? outer.segments[0] : std::string();
    ApplyHeader(header, &index, &item);
    if (!body || body->find_first_not_of(" \t\r") == std::string_view::npos) {
      throw ParsingError("Expected [START_OBJECT] but found [null]");
    }
    item.body = std::string(*body);
    if (!index.empty()) item.segments.push_back(index);
    item.segments.push_back("_search");
    // Each search is authorized on its own indices: a refused one answers 403 in its slot.
    item.principal = outer.principal;
    security::CheckIndexExpression(item, security::Action::kSearch, index.empty() ? "_all" : index);
    item.index_visible = security::VisibleIndices(item, security::Action::kSearch);
    Reply reply = HandleSearch(ctx, item);
    std::string out = std::move(reply.body);
    // A search response is one JSON object: the status goes in before its closing brace.
    if (!out.empty() && out.back() == '}') out.pop_back();
    out += fmt::format(R"(,"status":{}}})", reply.status);
    return out;
  } catch (const EsError& e) {
    return e.Body();
  } catch (const std::bad_alloc&) {
    return EsError(500, "out_of_memory_error", "not enough memory to handle the request").Body();
  } catch (const std::exception& e) {
    spdlog::error("msearch item: unexpected exception: {}", e.what());
    return EsError(500, "exception", e.what()).Body();
  } catch (...) {
    spdlog::error("msearch item: unexpected exception of unknown type");
    return EsError(500, "exception", "internal error while handling the request").Body();
  }
}

}  // namespace

Reply HandleMsearch(ServerContext& ctx, const Request& req) {
  auto start = std::chrono::steady_clock::now();
  std::string_view data = req.body;
  if (!data.empty() && data.back() != '\n') {
    throw IllegalArgument("The msearch request must be terminated by a newline [\\n]");
  }
  std::vector<std::string> responses;
  std::size_t pos = 0;
  // Elasticsearch skips one empty line at the very start of the body.
  if (!data.empty() && data.front() == '\n') pos = 1;
  auto next_line = [&]() -> std::optional<std::string_view> {
    if (pos >= data.size()) return std::nullopt;
    std::size_t nl = data.find('\n', pos);
    std::string_view line = data.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
  };
  while (auto header = next_line()) {
    std::optional<std::string_view> body = next_line();
    if (!body) break;  // a header without a body is not a search (Elasticsearch ignores it too)
    responses.push_back(RunItem(ctx, req, *header, body));
  }
  if (responses.empty()) throw ValidationError("1: no requests added;");

  std::string out = fmt::format(R"({{"took":{},"responses":[)", MillisSince(start));
  for (std::size_t i = 0; i < responses.size(); ++i) {
    if (i) out += ',';
    out += responses[i];
  }
  out += "]}";
  return JsonReply(200, std::move(out));
}

}  // namespace ultrasearch::server
