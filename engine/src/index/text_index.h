// The writable side of an index's Xapian database. Not thread-safe: the index's writer lock
// guards every call. The last change-log sequence applied is stored as Xapian metadata
// "ultrasearch.seq" in the same commit as the documents (the recovery protocol's anchor).
#pragma once

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <string>

#include "ultrasearch/status.h"

namespace ultrasearch {

class TextIndex {
 public:
  static Result<std::unique_ptr<TextIndex>> Open(const std::string& path);

  // The sequence stored by the last Commit (0 for a new index).
  Result<uint64_t> CommittedSequence() const;
  Status Replace(Xapian::docid docid, const Xapian::Document& doc);
  // Deleting a document that is not there is not an error (replay may repeat a delete).
  Status Delete(Xapian::docid docid);
  // Durably commits pending changes together with `seq`.
  Status Commit(uint64_t seq);
  uint64_t DocCount() const;
  const std::string& path() const { return path_; }
  void Close();

 private:
  TextIndex(std::string path, Xapian::WritableDatabase db) : path_(std::move(path)), db_(std::move(db)) {}
  std::string path_;
  Xapian::WritableDatabase db_;
};

inline constexpr const char* kSequenceMetadataKey = "ultrasearch.seq";

}  // namespace ultrasearch
