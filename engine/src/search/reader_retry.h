// Running work against a reader lease, and compiling a search request's query, shared by the
// searcher, the sorter and the aggregator.
#pragma once

#include <xapian.h>

#include <string>

#include "common/xapian_status.h"
#include "search/query_compiler.h"
#include "search/reader_pool.h"
#include "ultrasearch/query.h"
#include "ultrasearch/status.h"

namespace ultrasearch {

inline constexpr const char* kPointInTimeGone =
    "the point in time is no longer readable: the text index has committed twice since it was opened "
    "(Xapian keeps one older revision readable)";

// Runs `attempt(db)` (returning Status) on the lease's reader. When a commit overwrote the
// revision the reader was reading (Xapian::DatabaseModifiedError, from the match or from a fuzzy
// or prefix expansion) the lease reopens and the attempt runs again, a few times; other Xapian
// errors become a Status naming `what`.
template <typename Attempt>
Status RunOnReader(ReaderPool::Lease& lease, const std::string& what, Attempt&& attempt) {
  constexpr int kMaxReopenAttempts = 5;
  for (int tries = 0;; ++tries) {
    try {
      return attempt(lease.db());
    } catch (const Xapian::DatabaseModifiedError&) {
      if (lease.frozen()) {
        // A point in time's revision was overwritten by later commits: say so, never show a newer one.
        return Status::NotFound(std::string(kPointInTimeGone));
      }
      if (tries >= kMaxReopenAttempts) return Status::Busy("the text index kept changing during " + what);
      lease.Reopen();
    } catch (const Xapian::Error& e) {
      return FromXapian(e, what);
    }
  }
}

// The request's query with its post_filter applied (hits only: aggregations ignore it).
inline Result<Xapian::Query> CompileHitsQuery(const SearchRequest& request, const CompileContext& cc) {
  auto query = CompileQuery(request.query, cc);
  if (!query.ok() || !request.post_filter) return query;
  auto post = CompileQuery(*request.post_filter, cc);
  if (!post.ok()) return post.status();
  return Xapian::Query(Xapian::Query::OP_FILTER, query.value(), post.value());
}

}  // namespace ultrasearch
