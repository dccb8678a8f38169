#include "index/text_bulk_loader.h"

#include <algorithm>
#include <exception>
#include <memory>
#include <system_error>

namespace ultrasearch {

TextBulkLoader::~TextBulkLoader() { Abandon(); }

Status TextBulkLoader::Add(Xapian::docid docid, Xapian::Document doc) {
  next_.emplace_back(docid, std::move(doc));
  if (next_.size() < kBatchDocs) return Status::OK();
  Batch full;
  full.swap(next_);
  next_.reserve(kBatchDocs);
  return HandOff(std::move(full));
}

Status TextBulkLoader::Finish() {
  Status s = next_.empty() ? Wait() : HandOff(std::move(next_));
  next_.clear();
  if (Status last = Wait(); s.ok()) s = last;
  if (s.ok() && uncommitted_ > 0) {
    s = text_->Commit(0);
    uncommitted_ = 0;
  }
  return s;
}

void TextBulkLoader::Abandon() {
  Wait().PermitUncheckedError();  // the build is being thrown away: its errors no longer matter
  next_.clear();
}

Status TextBulkLoader::HandOff(Batch batch) {
  if (Status s = Wait(); !s.ok()) return s;
  // Shared, so the batch is still here to apply on this thread when no helper can start.
  auto shared = std::make_shared<Batch>(std::move(batch));
  try {
    in_flight_ = std::async(std::launch::async, [this, shared] { return ApplyCaught(*shared); });
    return Status::OK();
  } catch (const std::system_error&) {
    return ApplyCaught(*shared);  // no thread to be had (resource limits): apply it here
  }
}

Status TextBulkLoader::Wait() { return in_flight_.valid() ? in_flight_.get() : Status::OK(); }

Status TextBulkLoader::ApplyCaught(Batch& batch) {
  try {
    return Apply(batch);
  } catch (const std::exception& e) {  // Xapian errors are Statuses already; this is memory and the like
    return Status::Internal(std::string("loading the text index: ") + e.what());
  }
}

Status TextBulkLoader::Apply(Batch& batch) {
  // The catalog is read in id order; docids follow the order documents were first written.
  std::sort(batch.begin(), batch.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<TextIndex::Change> changes;
  changes.reserve(batch.size());
  for (const auto& [docid, doc] : batch) changes.push_back({docid, &doc});
  if (Status s = text_->ApplyBatch(changes); !s.ok()) return s;
  uncommitted_ += changes.size();
  if (uncommitted_ < kCommitEvery) return Status::OK();
  uncommitted_ = 0;
  return text_->Commit(0);
}

}  // namespace ultrasearch
