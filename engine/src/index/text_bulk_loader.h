// Fills a new text index with many documents at once (a rebuild from the catalog): the caller
// analyses the next batch while a helper thread applies the previous one to the shards (which
// ApplyBatch spreads over their own threads), each batch sorted by docid so new documents append,
// and commits every few thousand changes, where Xapian's in-memory change set is cheapest per
// document (docs/performance.md, import). Intermediate commits record sequence 0: the index is not
// live until its builder commits the real sequence and swaps it in.
//
// One caller thread; the TextIndex must not be used by anyone else until Finish() returns.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <future>
#include <utility>
#include <vector>

#include "index/text_index.h"
#include "ultrasearch/status.h"

namespace ultrasearch {

class TextBulkLoader {
 public:
  static constexpr size_t kBatchDocs = 1000;
  static constexpr size_t kCommitEvery = 2000;

  explicit TextBulkLoader(TextIndex* text) : text_(text) {}
  ~TextBulkLoader();  // Abandon()s what Finish() did not apply
  TextBulkLoader(const TextBulkLoader&) = delete;
  TextBulkLoader& operator=(const TextBulkLoader&) = delete;

  // Queues one document; may return the error of an earlier batch (stop adding then).
  Status Add(Xapian::docid docid, Xapian::Document doc);
  // Applies what is queued, waits for it and commits with sequence 0; the first error if any.
  Status Finish();
  // For a build that failed: waits for the batch in flight and drops the rest, so the TextIndex
  // can be closed.
  void Abandon();

 private:
  using Batch = std::vector<std::pair<Xapian::docid, Xapian::Document>>;
  // Waits for the batch in flight, then starts `batch` on a helper thread.
  Status HandOff(Batch batch);
  Status Wait();
  Status ApplyCaught(Batch& batch);  // Apply, with any exception as a Status
  Status Apply(Batch& batch);

  TextIndex* text_;
  Batch next_;
  std::future<Status> in_flight_;
  size_t uncommitted_ = 0;  // touched only by the batch in flight
};

}  // namespace ultrasearch
