// Value columns of an index: loading at open, and the values each write adds to its batch.
#include <chrono>

#include "api/index_impl.h"
#include "facets/doc_values.h"

namespace ultrasearch {

void Index::Impl::AddValuesToBatch(CatalogStore::Batch* batch, uint32_t docid, std::string_view id,
                                   const ParsedDocument* parsed, const Mapping& mapping,
                                   std::vector<ValueChange>* changes) {
  if (parsed == nullptr) {
    batch->DeleteValues(docid);
    changes->push_back({docid, std::nullopt});
    return;
  }
  DocValues values = ExtractDocValues(*parsed, mapping, id);
  batch->PutValues(docid, EncodeDocValues(values));
  changes->push_back({docid, std::move(values)});
}

Status Index::Impl::LoadColumns() {
  columns_ = std::make_unique<facets::ColumnStore>();
  auto complete = catalog_->GetMeta(kMetaValuesComplete);
  if (!complete.ok()) return complete.status();
  if (!complete->has_value()) {
    // Written before the values column family existed (or new): derive the records from the
    // stored documents once, in batches, then mark the catalog complete.
    auto current = mapping();
    auto batch = catalog_->NewBatch();
    std::vector<ValueChange> ignored;
    Status failure;
    uint64_t snapshot_seq = 0;
    size_t pending = 0;
    Status s = catalog_->ForEachDoc(
        [&](std::string_view id, const StoredDoc& doc) {
          auto parsed = ParseDocument(doc.source, *current, id);
          if (!parsed.ok()) {
            failure = Status::Corruption("stored document [" + std::string(id) + "] no longer parses: " +
                                         parsed.status().message());
            return false;
          }
          AddValuesToBatch(&batch, doc.docid, id, &parsed.value(), *current, &ignored);
          ignored.clear();
          if (++pending == 10000) {
            failure = catalog_->Commit(&batch);
            batch = catalog_->NewBatch();
            pending = 0;
          }
          return failure.ok();
        },
        &snapshot_seq);
    if (s.ok()) s = failure;
    if (!s.ok()) return s;
    batch.PutMeta(kMetaValuesComplete, "1");
    batch.PutMeta(kMetaFormatVersion, std::to_string(kFormatVersion));  // a version-1 catalog is upgraded now
    s = catalog_->Commit(&batch);
    if (!s.ok()) return s;
  }
  DocValues values;
  Status failure;
  Status s = catalog_->ForEachValues([&](uint32_t docid, std::string_view encoded) {
    if (!DecodeDocValues(encoded, &values)) {
      failure = Status::Corruption("the values of docid " + std::to_string(docid) + " are damaged");
      return false;
    }
    columns_->Load(docid, values);
    return true;
  });
  if (s.ok()) s = failure;
  if (!s.ok()) return s;
  columns_->Publish();
  return Status::OK();
}

}  // namespace ultrasearch
