#include "by_query.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

#include "es_errors.h"

namespace ultrasearch::server {
namespace json = boost::json;
namespace {

struct Match {
  std::string id;
  uint64_t seq_no = 0;
};

// Pages of the matching documents, in index order (search_after on _doc), from the state the last
// refresh made searchable. Ids are taken before anything is written, so documents rewritten by the
// job itself are never met twice.
constexpr uint32_t kScanPage = 5000;

std::vector<Match> CollectMatches(const ResolvedIndex& source, const Query& query, std::optional<uint64_t> limit,
                                  const TaskControl& control) {
  std::vector<Match> matches;
  std::unordered_set<std::string> seen;
  SearchRequest request;
  request.query = query;
  request.sort = {SortField{"_doc"}};
  request.size = kScanPage;
  request.fetch_source = false;
  request.reread_in_other_layout = false;  // exactly what the query says: no keyboard-layout retry
  request.track_total_hits_up_to = 0;
  while (!control.ShouldStop()) {
    auto page = source.index->Search(request);
    if (!page.ok()) throw FromStatus(page.status(), ErrorScope::kSearch, source.name);
    for (Hit& hit : page->hits) {
      if (!seen.insert(hit.id).second) continue;
      matches.push_back({std::move(hit.id), hit.seq_no});
      if (limit && matches.size() >= *limit) return matches;
    }
    if (page->hits.size() < kScanPage) break;
    request.search_after = page->hits.back().sort_values;
  }
  return matches;
}

struct Counts {
  uint64_t total = 0, created = 0, updated = 0, deleted = 0, batches = 0, version_conflicts = 0, noops = 0;
  json::array failures;
};

json::object StatusJson(const Counts& c) {
  return json::object{{"total", c.total},
                      {"updated", c.updated},
                      {"created", c.created},
                      {"deleted", c.deleted},
                      {"batches", c.batches},
                      {"version_conflicts", c.version_conflicts},
                      {"noops", c.noops},
                      {"retries", json::object{{"bulk", 0}, {"search", 0}}},
                      {"throttled_millis", 0},
                      {"requests_per_second", -1.0},
                      {"throttled_until_millis", 0}};
}

json::object Failure(std::string_view index, std::string_view id, const EsError& e) {
  json::object cause = e.Cause();
  cause["index"] = index;
  return json::object{{"index", index}, {"id", id}, {"cause", std::move(cause)}, {"status", e.status()}};
}

// The operations of one batch for `matches`; `sources` (kUpdate, kReindex) the documents read.
// Documents deleted or changed since they matched become conflicts before anything is written.
struct PreparedBatch {
  std::vector<WriteOp> ops;
  std::vector<const Match*> of;     // the match each op is for
  const Match* aborted_at = nullptr;  // conflicts=abort: the conflict that ends the job here
};

PreparedBatch Prepare(const ByQueryJob& job, const ResolvedIndex& source, const Match* begin, const Match* end,
                      Counts* counts) {
  PreparedBatch batch;
  for (const Match* m = begin; m != end; ++m) {
    WriteOp op;
    op.id = m->id;
    if (job.kind == ByQueryJob::Kind::kDelete) {
      op.type = WriteOp::Type::kDelete;
      op.if_seq_no = m->seq_no;
      op.if_primary_term = 1;
    } else {
      auto doc = source.index->Get(m->id);
      if (!doc.ok() || doc->seq_no != m->seq_no) {
        // Gone or rewritten since the search matched it: Elasticsearch counts a conflict.
        ++counts->version_conflicts;
        if (job.abort_on_conflict) {
          batch.aborted_at = m;
          break;
        }
        continue;
      }
      op.json = std::move(doc->source_json);
      if (job.kind == ByQueryJob::Kind::kUpdate) {
        op.type = WriteOp::Type::kIndex;  // the same source, analysed again under today's mapping
        op.if_seq_no = m->seq_no;
        op.if_primary_term = 1;
      } else {
        op.type = job.dest_create ? WriteOp::Type::kCreate : WriteOp::Type::kIndex;
      }
    }
    batch.ops.push_back(std::move(op));
    batch.of.push_back(m);
  }
  return batch;
}

// Counts one batch's results; returns false when a conflict must abort the job.
bool Account(const ByQueryJob& job, const PreparedBatch& batch, const std::vector<WriteOpResult>& results,
             const std::string& written_index, Counts* counts) {
  bool go_on = true;
  for (size_t i = 0; i < results.size(); ++i) {
    const WriteOpResult& r = results[i];
    if (r.status.ok()) {
      switch (r.result.kind) {
        case WriteResult::Kind::kCreated: ++counts->created; break;
        case WriteResult::Kind::kUpdated: ++counts->updated; break;
        case WriteResult::Kind::kDeleted: ++counts->deleted; break;
        case WriteResult::Kind::kNoop: ++counts->noops; break;
        case WriteResult::Kind::kNotFound: ++counts->version_conflicts; break;
      }
      continue;
    }
    const std::string& id = batch.of[i]->id;
    if (r.status.IsConflict()) {
      ++counts->version_conflicts;
      if (!job.abort_on_conflict) continue;
      counts->failures.push_back(Failure(written_index, id, FromStatus(r.status, ErrorScope::kDocumentWrite, written_index, id)));
      go_on = false;
    } else {
      counts->failures.push_back(Failure(written_index, id, FromStatus(r.status, ErrorScope::kDocumentWrite, written_index, id)));
      go_on = false;  // Elasticsearch stops at the first failed bulk item
    }
  }
  return go_on;
}

}  // namespace

json::object RunByQuery(const ByQueryJob& job, TaskControl& control) {
  const auto started = std::chrono::steady_clock::now();
  Counts counts;
  control.SetStatus(StatusJson(counts));
  std::vector<std::pair<const ResolvedIndex*, std::vector<Match>>> work;
  std::optional<uint64_t> left = job.max_docs;
  for (const ResolvedIndex& source : job.sources) {
    auto matches = CollectMatches(source, job.query, left, control);
    counts.total += matches.size();
    if (left) *left -= std::min<uint64_t>(*left, matches.size());
    work.emplace_back(&source, std::move(matches));
    if (left && *left == 0) break;
  }
  control.SetStatus(StatusJson(counts));

  bool go_on = true;
  for (const auto& [source, matches] : work) {
    const ResolvedIndex& written = job.kind == ByQueryJob::Kind::kReindex ? job.dest : *source;
    for (size_t at = 0; go_on && at < matches.size() && !control.ShouldStop(); at += job.batch_size) {
      const Match* begin = matches.data() + at;
      const Match* end = matches.data() + std::min(matches.size(), at + job.batch_size);
      PreparedBatch batch = Prepare(job, *source, begin, end, &counts);
      ++counts.batches;
      if (!batch.ops.empty()) {
        auto results = written.index->Write(batch.ops);
        if (!results.ok()) throw FromStatus(results.status(), ErrorScope::kIndex, written.name);
        go_on = Account(job, batch, results.value(), written.name, &counts);
      }
      if (batch.aborted_at != nullptr && go_on) {
        const std::string& id = batch.aborted_at->id;
        EsError e = VersionConflict(source->name, id, "the document changed after it matched the query");
        counts.failures.push_back(Failure(source->name, id, e));
        go_on = false;
      }
      control.SetStatus(StatusJson(counts));
    }
    if (!go_on) break;
  }
  if (job.refresh) {
    std::vector<const ResolvedIndex*> refreshed;
    if (job.kind == ByQueryJob::Kind::kReindex) {
      refreshed.push_back(&job.dest);
    } else {
      for (const ResolvedIndex& s : job.sources) refreshed.push_back(&s);
    }
    for (const ResolvedIndex* r : refreshed) {
      if (Status s = r->index->Refresh(); !s.ok()) throw FromStatus(s, ErrorScope::kIndex, r->name);
    }
  }

  json::object out{{"took", MillisSince(started)}, {"timed_out", false}, {"total", counts.total}};
  switch (job.kind) {
    case ByQueryJob::Kind::kDelete: out["deleted"] = counts.deleted; break;
    case ByQueryJob::Kind::kUpdate:
      out["updated"] = counts.updated;
      out["deleted"] = counts.deleted;
      break;
    case ByQueryJob::Kind::kReindex:
      out["created"] = counts.created;
      out["updated"] = counts.updated;
      out["deleted"] = counts.deleted;
      break;
  }
  json::object status = StatusJson(counts);
  for (const char* key : {"batches", "version_conflicts", "noops", "retries", "throttled_millis",
                          "requests_per_second", "throttled_until_millis"}) {
    out[key] = status[key];
  }
  out["failures"] = std::move(counts.failures);
  return out;
}

}  // namespace ultrasearch::server
