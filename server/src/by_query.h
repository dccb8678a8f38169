// The bulk-by-scroll family of Elasticsearch (_delete_by_query, _update_by_query, _reindex) over
// the engine: take the ids of the documents a query matches in the searchable state, then work
// through them in batches through the engine's write path, each write conditional on the sequence
// number the document had when it was matched (a document changed since is a version conflict, as
// in Elasticsearch). Runs inside a task (tasks.h), publishing its counts as the task's status.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "handler_util.h"
#include "tasks.h"
#include "ultrasearch/engine.h"

namespace ultrasearch::server {

struct ByQueryJob {
  enum class Kind { kDelete, kUpdate, kReindex };
  Kind kind = Kind::kDelete;
  std::vector<ResolvedIndex> sources;  // concrete indices to read
  Query query;                         // which documents
  std::optional<uint64_t> max_docs;    // at most this many (Elasticsearch's max_docs)
  size_t batch_size = 1000;            // documents per write batch (scroll_size / source.size)
  bool abort_on_conflict = true;       // conflicts=abort (default) or proceed
  bool refresh = false;                // refresh the written indices when done
  // kReindex: where documents go, and whether existing ids there are conflicts (op_type create).
  ResolvedIndex dest;
  bool dest_create = false;
};

// Runs the job; returns Elasticsearch's response body (took, timed_out, total, deleted|updated|
// created, batches, version_conflicts, noops, retries, throttled_millis, requests_per_second,
// throttled_until_millis, failures). Throws EsError when a search or an index fails as a whole.
boost::json::object RunByQuery(const ByQueryJob& job, TaskControl& control);

}  // namespace ultrasearch::server
