#include "scroll_pages.h"

#include <fmt/format.h>

#include <limits>

#include "es_errors.h"
#include "handler_util.h"
#include "json_util.h"
#include "search_response.h"

namespace ultrasearch::server {

std::optional<ScrollStart> BeginScroll(const Request& req, ParsedSearch* search) {
  auto param = req.Param("scroll");
  if (!param) return std::nullopt;
  const int64_t ms = ParseTimeValueMs(*param, "scroll");
  if (ms <= 0) throw IllegalArgument(fmt::format("[scroll] must be a positive time value, found [{}]", *param));
  if (ms > ScrollStore::kMaxKeepAlive.count()) {
    throw IllegalArgument(fmt::format(
        "Keep alive for request ({}) is too large. It must be less than (1d). This limit can be set by changing "
        "the [search.max_keep_alive] cluster level setting.",
        *param));
  }
  if (search->request.from > 0) throw ValidationError("1: using [from] is not allowed in a scroll context;");
  if (!search->request.search_after.empty()) {
    throw ValidationError("1: [search_after] cannot be used in a scroll context;");
  }
  if (search->request.size == 0) throw ValidationError("1: [size] cannot be [0] in a scroll context;");
  if (search->request.highlight) throw IllegalArgument("[highlight] with [scroll] is not supported yet by this server");
  ScrollStart start{std::chrono::milliseconds(ms), *search};
  search->request.size = static_cast<uint32_t>(ScrollStore::kMaxHits + 1);  // one more tells "too many"
  search->request.fetch_source = false;
  search->request.track_total_hits_up_to = std::numeric_limits<uint64_t>::max();
  return start;
}

std::string NextScrollPage(const std::string& id, ScrollContext& scroll,
                           std::chrono::steady_clock::time_point started,
                           const std::vector<AggregationResult>* aggregations) {
  std::lock_guard<std::mutex> lock(scroll.mu);
  const std::size_t end = std::min(scroll.next + scroll.page_size, scroll.entries.size());
  std::vector<Hit> page;
  std::vector<const std::string*> page_indices;
  page.reserve(end - scroll.next);
  for (std::size_t i = scroll.next; i < end; ++i) {
    const ScrollContext::Entry& entry = scroll.entries[i];
    Hit hit = entry.hit;
    if (scroll.search.source.fetch) {
      auto doc = scroll.indices[entry.index]->Get(hit.id);
      if (!doc.ok()) {
        if (doc.status().IsNotFound()) continue;  // deleted since the scroll began
        throw FromStatus(doc.status(), ErrorScope::kSearch, scroll.index_names[entry.index]);
      }
      hit.source_json = std::move(doc->source_json);
      hit.version = doc->version;
      hit.seq_no = doc->seq_no;
    }
    page.push_back(std::move(hit));
    page_indices.push_back(&scroll.index_names[entry.index]);
  }
  scroll.next = end;
  MergedResult result;
  result.total = scroll.total;
  result.total_is_lower_bound = scroll.total_is_lower_bound;
  result.max_score = scroll.max_score;
  result.aggregations = aggregations;
  for (std::size_t i = 0; i < page.size(); ++i) result.hits.push_back({page_indices[i], &page[i]});
  std::string out = fmt::format(R"({{"_scroll_id":{},"took":{})", Quote(id), MillisSince(started));
  out += RenderSearchResponseAfterTook(scroll.search, result);
  return out;
}

}  // namespace ultrasearch::server
