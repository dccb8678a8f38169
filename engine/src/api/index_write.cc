// The write path. A batch of operations applies exactly as if its operations ran one after another
// under the writer lock, and becomes durable as one RocksDB batch. BatchWriter runs it in steps:
//   1. Prepare (outside the lock): option checks, ids, JSON parsing and analysis of whole
//      documents, the expensive part.
//   2. Resolve (under write_mu_): each operation in order against the catalog as the batch's
//      earlier operations left it (the overlay): conditions, upserts, merges, no-ops, versions
//      and sequence numbers; catalog writes are staged in the RocksDB batch.
//   3. Commit: the staged batch and the counters, written durably. Until then nothing in
//      Index::Impl has changed, so a failed commit leaves the index as it was.
//   4. Publish: counters, mapping and delete tombstones become the index's; then the derived
//      views get the applied documents (the Xapian writer, uncommitted until the next refresh).
#include <xapian.h>

#include <random>

#include "api/index_impl.h"
#include "api/write_conditions.h"
#include "common/coding.h"
#include "index/document_builder.h"
#include "index/partial_update.h"

namespace ultrasearch {

namespace {

// Elasticsearch-like auto ids: 20 URL-safe base64 characters, time-ordered prefix then random.
std::string GenerateId() {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  thread_local std::mt19937_64 rng{(uint64_t{std::random_device{}()} << 32) ^ std::random_device{}()};
  uint64_t time = static_cast<uint64_t>(std::chrono::system_clock::now().time_since_epoch().count());
  std::string id;
  for (int i = 0; i < 8; ++i) id.push_back(kAlphabet[(time >> (58 - 6 * i)) & 63]);
  for (uint64_t random = rng(), i = 0; i < 12; ++i) {
    if (i == 10) random = rng();  // 10 characters use 60 bits; draw again for the last two
    id.push_back(kAlphabet[random & 63]);
    random >>= 6;
  }
  return id;
}

std::string Fixed64(uint64_t v) { return coding::EncodeFixed64BE(v); }
std::string Fixed32(uint32_t v) {
  std::string s;
  coding::PutFixed32BE(&s, v);
  return s;
}

bool HasSource(const WriteOp& op) { return op.type == WriteOp::Type::kIndex || op.type == WriteOp::Type::kCreate; }

}  // namespace

class BatchWriter {
 public:
  BatchWriter(Index::Impl& impl, const std::vector<WriteOp>& ops)
      : impl_(impl),
        ops_(ops),
        results_(ops.size()),
        ids_(ops.size()),
        prepared_(ops.size()),
        batch_(impl.catalog_->NewBatch()) {}

  void Prepare();
  // Steps 2-4; requires impl_.write_mu_. Fails as a whole only when the catalog cannot be read
  // or written, and then changes nothing.
  Result<std::vector<WriteOpResult>> Apply();

 private:
  // A document parsed (and, when the mapping had all its fields, analysed).
  struct Prepared {
    Status status;
    ParsedDocument parsed;
    std::optional<Xapian::Document> xdoc;
    uint64_t mapping_generation = 0;
  };
  // An id as the batch sees it: a live document, or the version of a recent delete (0: none).
  struct IdView {
    std::optional<StoredDoc> live;
    uint64_t deleted_version = 0;
    IdVersionState State() const {
      if (!live) return {false, deleted_version, 0};
      return {true, live->version, live->seq_no};
    }
  };
  struct TextChange {
    uint32_t docid;
    size_t op_index;  // prepared_[op_index] holds the analysed document unless is_delete
    bool is_delete;
  };

  Prepared Analyse(std::string_view id, std::string_view json, const Mapping& mapping) const;
  const Mapping& ActiveMapping() const { return changed_mapping_ ? *changed_mapping_ : *mapping_; }
  Result<IdView> Lookup(const std::string& id) const;
  Status ResolveOne(size_t i);
  void ResolveDelete(size_t i, const IdView& view);
  void ResolveUpdate(size_t i, const IdView& view);
  void Store(size_t i, const IdView& view, std::string source);
  Status Settle(size_t i, std::string_view source);
  Status Commit();
  void Publish();
  void ApplyToText();

  Index::Impl& impl_;
  const std::vector<WriteOp>& ops_;
  std::vector<WriteOpResult> results_;
  std::vector<std::string> ids_;
  std::vector<Prepared> prepared_;
  CatalogStore::Batch batch_;

  // Step 2's working state, published in step 4.
  std::shared_ptr<const Mapping> mapping_;    // the mapping in force when the lock was taken
  std::shared_ptr<Mapping> changed_mapping_;  // copy-on-write when dynamic fields appear
  std::unordered_map<std::string, IdView> overlay_;
  std::vector<TextChange> text_changes_;
  std::vector<Index::Impl::ValueChange> value_changes_;  // staged in the columns once durable
  uint64_t seq_ = 0;
  uint64_t doc_count_ = 0;
  uint32_t next_docid_ = 0;
  DeleteTombstones::Clock::time_point now_;
};

BatchWriter::Prepared BatchWriter::Analyse(std::string_view id, std::string_view json, const Mapping& mapping) const {
  Prepared p;
  p.mapping_generation = mapping.generation();
  auto parsed = ParseDocument(json, mapping, id);
  if (!parsed.ok()) {
    p.status = parsed.status();
    return p;
  }
  p.parsed = std::move(parsed.value());
  if (p.parsed.new_fields.empty()) {
    auto xdoc = BuildXapianDocument(id, p.parsed, mapping, *impl_.params_.analyzers);
    if (!xdoc.ok()) {
      p.status = xdoc.status();
      return p;
    }
    p.xdoc = std::move(xdoc.value());
  }
  return p;
}

void BatchWriter::Prepare() {
  auto snapshot = impl_.mapping();
  for (size_t i = 0; i < ops_.size(); ++i) {
    const WriteOp& op = ops_[i];
    results_[i].status = ValidateWriteOp(op);
    if (!results_[i].status.ok()) continue;
    ids_[i] = op.id.empty() ? GenerateId() : op.id;
    if (HasSource(op)) {
      prepared_[i] = Analyse(ids_[i], op.json, *snapshot);
      results_[i].status = prepared_[i].status;
    }
  }
}

Result<std::vector<WriteOpResult>> BatchWriter::Apply() {
  mapping_ = impl_.mapping();
  seq_ = impl_.last_seq_;
  doc_count_ = impl_.doc_count_;
  next_docid_ = impl_.next_docid_;
  now_ = DeleteTombstones::Clock::now();
  impl_.tombstones_.Prune(now_);
  for (size_t i = 0; i < ops_.size(); ++i) {
    if (Status s = ResolveOne(i); !s.ok()) return s;
  }
  if (seq_ == impl_.last_seq_) return std::move(results_);  // nothing applied, nothing to write
  if (Status s = Commit(); !s.ok()) return s;
  Publish();
  ApplyToText();
  return std::move(results_);
}

Result<BatchWriter::IdView> BatchWriter::Lookup(const std::string& id) const {
  if (auto it = overlay_.find(id); it != overlay_.end()) return it->second;
  auto stored = impl_.catalog_->GetDoc(id);
  if (!stored.ok()) return stored.status();
  IdView view;
  view.live = std::move(stored.value());
  if (!view.live) view.deleted_version = impl_.tombstones_.Find(id, now_).value_or(0);
  return view;
}

Status BatchWriter::ResolveOne(size_t i) {
  if (!results_[i].status.ok()) return Status::OK();  // refused in Prepare
  const WriteOp& op = ops_[i];
  const std::string& id = ids_[i];
  auto view = Lookup(id);
  if (!view.ok()) return view.status();
  results_[i].result.id = id;
  if (op.type == WriteOp::Type::kUpdate) {
    ResolveUpdate(i, *view);
    return Status::OK();
  }
  if (op.type == WriteOp::Type::kCreate && view->live) {
    results_[i].status = Status::Conflict("[" + id + "]: version conflict, document already exists (current version [" +
                                          std::to_string(view->live->version) + "])");
    return Status::OK();
  }
  if (Status s = CheckWriteConditions(op, id, view->State()); !s.ok()) {
    results_[i].status = std::move(s);
    return Status::OK();
  }
  if (op.type == WriteOp::Type::kDelete) {
    ResolveDelete(i, *view);
  } else {
    Store(i, *view, op.json);
  }
  return Status::OK();
}

// A delete takes a version and a seq_no even when the id is missing, as in Elasticsearch, and
// leaves a tombstone so that a later write continues the version numbers.
void BatchWriter::ResolveDelete(size_t i, const IdView& view) {
  const std::string& id = ids_[i];
  WriteResult& r = results_[i].result;
  r.version = NextVersion(ops_[i], view.State());
  const uint64_t seq = ++seq_;
  r.seq_no = seq - 1;  // Elasticsearch's _seq_no counts from 0, the change log from 1
  if (!view.live) {
    r.kind = WriteResult::Kind::kNotFound;
  } else {
    r.kind = WriteResult::Kind::kDeleted;
    batch_.DeleteDoc(id);
    Index::Impl::AddValuesToBatch(&batch_, view.live->docid, id, nullptr, ActiveMapping(), &value_changes_);
    batch_.AppendLog({seq, true, view.live->docid, id});
    --doc_count_;
    text_changes_.push_back({view.live->docid, i, true});
  }
  overlay_[id] = IdView{std::nullopt, r.version};
}

void BatchWriter::ResolveUpdate(size_t i, const IdView& view) {
  const WriteOp& op = ops_[i];
  const std::string& id = ids_[i];
  if (!view.live) {
    // Elasticsearch's upsert: the upsert document as given, not merged with the partial one.
    const std::string* upsert = op.doc_as_upsert ? &op.json : (op.upsert_json ? &*op.upsert_json : nullptr);
    if (upsert == nullptr) {
      results_[i].status = Status::NotFound("[" + id + "]: document missing");
    } else {
      Store(i, view, *upsert);
    }
    return;
  }
  if (Status s = CheckWriteConditions(op, id, view.State()); !s.ok()) {
    results_[i].status = std::move(s);
    return;
  }
  bool changed = false;
  auto merged = MergePartialDocument(view.live->source, op.json, &changed);
  if (!merged.ok()) {
    results_[i].status = merged.status();
    return;
  }
  if (!changed && op.detect_noop) {
    WriteResult& r = results_[i].result;
    r.kind = WriteResult::Kind::kNoop;
    r.version = view.live->version;
    r.seq_no = view.live->seq_no;
    return;
  }
  Store(i, view, std::move(merged.value()));
}

// Stores `source` as the id's document (index, create, update or upsert).
void BatchWriter::Store(size_t i, const IdView& view, std::string source) {
  const std::string& id = ids_[i];
  if (Status s = Settle(i, source); !s.ok()) {
    results_[i].status = std::move(s);
    return;
  }
  StoredDoc doc;
  doc.docid = view.live ? view.live->docid : next_docid_++;
  doc.version = NextVersion(ops_[i], view.State());
  const uint64_t seq = ++seq_;
  doc.seq_no = seq - 1;  // Elasticsearch's _seq_no counts from 0, the change log from 1
  doc.source = std::move(source);
  WriteResult& r = results_[i].result;
  r.kind = view.live ? WriteResult::Kind::kUpdated : WriteResult::Kind::kCreated;
  r.version = doc.version;
  r.seq_no = doc.seq_no;
  if (!view.live) ++doc_count_;
  batch_.PutDoc(id, doc);
  Index::Impl::AddValuesToBatch(&batch_, doc.docid, id, &prepared_[i].parsed, ActiveMapping(), &value_changes_);
  batch_.AppendLog({seq, false, doc.docid, id});
  text_changes_.push_back({doc.docid, i, false});
  overlay_[id] = IdView{std::move(doc), 0};
}

// Makes sure prepared_[i] is `source` analysed against the mapping in force, adding the dynamic
// fields it brings.
Status BatchWriter::Settle(size_t i, std::string_view source) {
  Prepared& p = prepared_[i];
  const bool reusable = ops_[i].type != WriteOp::Type::kUpdate && p.xdoc &&
                        p.mapping_generation == ActiveMapping().generation();
  if (reusable) return Status::OK();
  p = Analyse(ids_[i], source, ActiveMapping());
  if (!p.status.ok() || p.parsed.new_fields.empty()) return p.status;
  auto next = std::make_shared<Mapping>(ActiveMapping());
  for (auto& field : p.parsed.new_fields) {
    if (Status s = next->AddField(field); !s.ok()) return s;
  }
  changed_mapping_ = std::move(next);
  p = Analyse(ids_[i], source, ActiveMapping());
  return p.status;
}

Status BatchWriter::Commit() {
  if (changed_mapping_) batch_.PutMeta(kMetaMapping, EncodeMapping(*changed_mapping_));
  batch_.PutMeta(kMetaLastSeq, Fixed64(seq_));
  batch_.PutMeta(kMetaNextDocid, Fixed32(next_docid_));
  batch_.PutMeta(kMetaDocCount, Fixed64(doc_count_));
  return impl_.catalog_->Commit(&batch_);
}

void BatchWriter::Publish() {
  impl_.last_seq_ = seq_;
  impl_.doc_count_ = doc_count_;
  impl_.next_docid_ = next_docid_;
  for (auto& change : value_changes_) impl_.columns_->Stage(change.docid, std::move(change.values));
  if (changed_mapping_) {
    std::lock_guard<std::mutex> mapping_lock(impl_.mapping_mu_);
    impl_.mapping_ = std::move(changed_mapping_);
  }
  for (const auto& [id, view] : overlay_) {
    if (view.live) {
      impl_.tombstones_.Erase(id);
    } else {
      impl_.tombstones_.Put(id, view.deleted_version, now_);
    }
  }
  // After the durable commit: searches read sources and liveness from the catalog in real time.
  impl_.BumpSearchGeneration();
}

// Durable already: the write is acknowledged regardless; a failed Xapian apply is repaired from
// the change log at the next commit. Further derived views of the applied documents (facet
// columns) belong here too: text_changes_ names each one's docid and prepared document.
void BatchWriter::ApplyToText() {
  if (!impl_.text_needs_replay_) {
    std::vector<TextIndex::Change> changes;
    changes.reserve(text_changes_.size());
    for (const auto& c : text_changes_) changes.push_back({c.docid, c.is_delete ? nullptr : &*prepared_[c.op_index].xdoc});
    if (!impl_.text_->ApplyBatch(changes).ok()) impl_.text_needs_replay_ = true;
  }
  if (!impl_.text_needs_replay_) impl_.applied_seq_ = impl_.last_seq_;
  impl_.pending_text_changes_ += text_changes_.size();
  if (impl_.pending_text_changes_ >= Index::Impl::kMaxPendingTextChanges) {
    // Xapian's in-memory change set gets slower per document as it grows; committing in
    // moderate groups costs less CPU overall (measured in docs/performance.md). Failure is
    // harmless here: the changes stay pending and the next refresh retries.
    impl_.CommitText().PermitUncheckedError();
  }
}

Result<std::vector<WriteOpResult>> Index::Impl::Write(const std::vector<WriteOp>& ops) {
  std::shared_lock<std::shared_mutex> life(lifecycle_mu_);
  if (Status s = UnavailableIfClosed(); !s.ok()) return s;
  BatchWriter writer(*this, ops);
  writer.Prepare();
  std::lock_guard<std::mutex> lock(write_mu_);
  return writer.Apply();
}

}  // namespace ultrasearch
