// POST|GET /_search/scroll[/ID] (the next page of a scroll) and DELETE /_search/scroll[/ID|_all]
// (free scrolls), as Elasticsearch answers them; scrolls begin with `_search?scroll=`.
#include <fmt/format.h>

#include "es_errors.h"
#include "handler_util.h"
#include "handlers.h"
#include "json_util.h"
#include "name_lists.h"
#include "scroll_pages.h"

namespace ultrasearch::server {
namespace {

// The scroll ids of a request: the path's, the `scroll_id` parameter's, or the body's
// `scroll_id` (a string, or for DELETE an array of them).
std::vector<std::string> ScrollIds(const Request& req, std::optional<std::string>* keep_alive) {
  std::vector<std::string> ids;
  if (req.segments.size() >= 3) ids = SplitCommaList(req.segments[2]);
  if (auto p = req.Param("scroll_id")) {
    for (auto& id : SplitCommaList(*p)) ids.push_back(std::move(id));
  }
  if (auto p = req.Param("scroll"); p && keep_alive != nullptr) *keep_alive = std::string(*p);
  if (!req.has_body()) return ids;
  json::value body = ParseJson(req.body);
  const json::object* o = body.if_object();
  if (o == nullptr) throw ParsingError("request body must be an object");
  for (const auto& [key, v] : *o) {
    if (key == "scroll_id") {
      if (v.is_string()) {
        ids.emplace_back(v.get_string());
      } else if (v.is_array()) {
        for (const auto& item : v.get_array()) {
          if (!item.is_string()) throw ParsingError("[scroll_id] must hold strings");
          ids.emplace_back(item.get_string());
        }
      } else {
        throw ParsingError("[scroll_id] must be a string or an array of strings");
      }
    } else if (key == "scroll" && keep_alive != nullptr) {
      if (!v.is_string()) throw ParsingError("[scroll] must be a time value such as \"1m\"");
      *keep_alive = std::string(v.get_string());
    } else if (key != "rest_total_hits_as_int") {
      throw IllegalArgument(fmt::format("Unknown parameter [{}] in request body or parameter is of the wrong type[{}] ",
                                        std::string_view(key), TokenName(v)));
    }
  }
  return ids;
}

}  // namespace

Reply HandleScroll(ServerContext& ctx, const Request& req) {
  auto started = std::chrono::steady_clock::now();
  std::optional<std::string> keep_alive_text;
  std::vector<std::string> ids = ScrollIds(req, &keep_alive_text);
  if (ids.empty()) throw ValidationError("1: scrollId is missing;");
  if (ids.size() > 1) throw IllegalArgument("one scroll id at a time");
  std::optional<std::chrono::milliseconds> keep_alive;
  if (keep_alive_text) {
    int64_t ms = ParseTimeValueMs(*keep_alive_text, "scroll");
    if (ms <= 0 || ms > ScrollStore::kMaxKeepAlive.count()) {
      throw IllegalArgument(fmt::format("[scroll] must be a positive time value of at most 1d, found [{}]",
                                        *keep_alive_text));
    }
    keep_alive = std::chrono::milliseconds(ms);
  }
  // The keep-alive the scroll already has is renewed, unless this request names another.
  auto scroll = ctx.scrolls.Find(ids.front(), keep_alive);
  if (scroll == nullptr) throw SearchContextMissing(ids.front());
  return JsonReply(200, NextScrollPage(ids.front(), *scroll, started, nullptr));
}

Reply HandleClearScroll(ServerContext& ctx, const Request& req) {
  std::vector<std::string> ids = ScrollIds(req, nullptr);
  std::size_t freed = 0;
  bool all = ids.size() == 1 && ids.front() == "_all";
  if (all) {
    freed = ctx.scrolls.ClearAll();
  } else {
    if (ids.empty()) throw ValidationError("1: no scroll ids specified;");
    for (const std::string& id : ids) freed += ctx.scrolls.Clear(id) ? 1 : 0;
  }
  // Elasticsearch answers 404 with the same body when nothing was freed.
  return JsonReply(freed > 0 || all ? 200 : 404, fmt::format(R"({{"succeeded":true,"num_freed":{}}})", freed));
}

}  // namespace ultrasearch::server
