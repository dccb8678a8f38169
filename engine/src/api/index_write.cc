// The write path: documents become one durable catalog batch, then uncommitted Xapian changes.
#include <random>

#include "api/index_impl.h"
#include "common/coding.h"
#include "index/document_builder.h"
#include "index/partial_update.h"
#include "index/term_scheme.h"

namespace ultrasearch {

namespace {

constexpr size_t kMaxIdBytes = terms::kMaxTermBytes - 1;

Status ValidateId(std::string_view id) {
  if (id.empty()) return Status::InvalidArgument("if _id is specified it must not be empty");
  if (id.size() > kMaxIdBytes) {
    return Status::InvalidArgument("id [" + std::string(id.substr(0, 32)) + "...] is too long, must be no longer than " +
                                   std::to_string(kMaxIdBytes) + " bytes but was: " + std::to_string(id.size()));
  }
  return Status::OK();
}

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

}  // namespace

Index::Impl::Prepared Index::Impl::Prepare(std::string_view id, std::string_view json, const Mapping& mapping) const {
  Prepared p;
  p.mapping_generation = mapping.generation();
  auto parsed = ParseDocument(json, mapping, id);
  if (!parsed.ok()) {
    p.status = parsed.status();
    return p;
  }
  p.parsed = std::move(parsed.value());
  if (p.parsed.new_fields.empty()) {
    auto xdoc = BuildXapianDocument(id, p.parsed, mapping, *params_.analyzers);
    if (!xdoc.ok()) {
      p.status = xdoc.status();
      return p;
    }
    p.xdoc = std::move(xdoc.value());
  }
  return p;
}

Result<std::vector<WriteOpResult>> Index::Impl::Write(const std::vector<WriteOp>& ops) {
  std::shared_lock<std::shared_mutex> life(lifecycle_mu_);
  if (Status s = UnavailableIfClosed(); !s.ok()) return s;
  std::vector<WriteOpResult> results(ops.size());
  std::vector<std::string> ids(ops.size());
  std::vector<Prepared> prepared(ops.size());

  // Outside the lock: ids, JSON parsing and analysis, the expensive part.
  auto snapshot = mapping();
  for (size_t i = 0; i < ops.size(); ++i) {
    const WriteOp& op = ops[i];
    bool has_source = op.type == WriteOp::Type::kIndex || op.type == WriteOp::Type::kCreate;
    ids[i] = op.id.empty() && has_source ? GenerateId() : op.id;
    results[i].status = ValidateId(ids[i]);
    if (results[i].status.ok() && has_source) {
      prepared[i] = Prepare(ids[i], op.json, *snapshot);
      results[i].status = prepared[i].status;
    }
  }

  std::lock_guard<std::mutex> lock(write_mu_);
  auto current = mapping();
  std::shared_ptr<Mapping> changed_mapping;  // copy-on-write when dynamic fields appear
  auto active_mapping = [&]() -> const Mapping& { return changed_mapping ? *changed_mapping : *current; };

  // Makes sure `p` was analysed against the mapping in force, adding its dynamic fields.
  auto settle = [&](std::string_view id, std::string_view json, Prepared* p) -> Status {
    if (p->mapping_generation != active_mapping().generation() || !p->xdoc) {
      *p = Prepare(id, json, active_mapping());
      if (!p->status.ok()) return p->status;
      if (!p->parsed.new_fields.empty()) {
        auto next = std::make_shared<Mapping>(active_mapping());
        for (auto& f : p->parsed.new_fields) {
          Status s = next->AddField(f);
          if (!s.ok()) return s;
        }
        changed_mapping = std::move(next);
        *p = Prepare(id, json, active_mapping());
        if (!p->status.ok()) return p->status;
      }
    }
    return Status::OK();
  };

  const uint64_t saved_seq = last_seq_, saved_count = doc_count_;
  const uint32_t saved_docid = next_docid_;
  // Until the batch is durable, any early return must leave the counters as they were.
  bool durable = false;
  struct RestoreCounters {
    Index::Impl* impl;
    const bool& durable;
    uint64_t seq, count;
    uint32_t docid;
    ~RestoreCounters() {
      if (durable) return;
      impl->last_seq_ = seq;
      impl->doc_count_ = count;
      impl->next_docid_ = docid;
    }
  } restore{this, durable, saved_seq, saved_count, saved_docid};
  std::unordered_map<std::string, std::optional<StoredDoc>> overlay;  // this batch's view of ids
  auto lookup = [&](const std::string& id) -> Result<std::optional<StoredDoc>> {
    auto it = overlay.find(id);
    if (it != overlay.end()) return it->second;
    return catalog_->GetDoc(id);
  };

  struct Apply {
    bool is_delete;
    uint32_t docid;
    size_t op_index;
  };
  std::vector<Apply> applies;
  std::vector<ValueChange> value_changes;
  auto batch = catalog_->NewBatch();
  std::vector<std::string> merged_sources(ops.size());

  for (size_t i = 0; i < ops.size(); ++i) {
    if (!results[i].status.ok()) continue;
    const WriteOp& op = ops[i];
    const std::string& id = ids[i];
    auto existing_result = lookup(id);
    if (!existing_result.ok()) return existing_result.status();
    std::optional<StoredDoc> existing = std::move(existing_result.value());
    WriteResult& r = results[i].result;
    r.id = id;

    if (op.type == WriteOp::Type::kDelete) {
      if (!existing) {
        r.kind = WriteResult::Kind::kNotFound;
        continue;
      }
      r.kind = WriteResult::Kind::kDeleted;
      r.version = existing->version + 1;
      r.seq_no = ++last_seq_;
      batch.DeleteDoc(id);
      AddValuesToBatch(&batch, existing->docid, nullptr, active_mapping(), &value_changes);
      batch.AppendLog({r.seq_no, true, existing->docid, id});
      --doc_count_;
      applies.push_back({true, existing->docid, i});
      overlay[id] = std::nullopt;
      continue;
    }

    std::string_view source = op.json;
    if (op.type == WriteOp::Type::kUpdate) {
      if (!existing) {
        results[i].status = Status::NotFound("[" + id + "]: document missing");
        continue;
      }
      bool changed = false;
      auto merged = MergePartialDocument(existing->source, op.json, &changed);
      if (!merged.ok()) {
        results[i].status = merged.status();
        continue;
      }
      if (!changed) {
        r.kind = WriteResult::Kind::kNoop;
        r.version = existing->version;
        r.seq_no = existing->seq_no;
        continue;
      }
      merged_sources[i] = std::move(merged.value());
      source = merged_sources[i];
      prepared[i].xdoc.reset();  // forces Prepare below
    } else if (op.type == WriteOp::Type::kCreate && existing) {
      results[i].status = Status::Conflict("[" + id + "]: version conflict, document already exists (current version [" +
                                           std::to_string(existing->version) + "])");
      continue;
    }
    Status s = settle(id, source, &prepared[i]);
    if (!s.ok()) {
      results[i].status = s;
      continue;
    }
    StoredDoc doc;
    doc.docid = existing ? existing->docid : next_docid_++;
    doc.version = existing ? existing->version + 1 : 1;
    doc.seq_no = ++last_seq_;
    doc.source = std::string(source);
    r.kind = existing ? WriteResult::Kind::kUpdated : WriteResult::Kind::kCreated;
    r.version = doc.version;
    r.seq_no = doc.seq_no;
    if (!existing) ++doc_count_;
    batch.PutDoc(id, doc);
    AddValuesToBatch(&batch, doc.docid, &prepared[i].parsed, active_mapping(), &value_changes);
    batch.AppendLog({doc.seq_no, false, doc.docid, id});
    applies.push_back({false, doc.docid, i});
    overlay[id] = std::move(doc);
  }

  if (last_seq_ == saved_seq) {
    durable = true;  // nothing to write, nothing to restore
    return results;
  }
  if (changed_mapping) batch.PutMeta(kMetaMapping, changed_mapping->Serialize());
  batch.PutMeta(kMetaLastSeq, Fixed64(last_seq_));
  batch.PutMeta(kMetaNextDocid, Fixed32(next_docid_));
  batch.PutMeta(kMetaDocCount, Fixed64(doc_count_));
  Status s = catalog_->Commit(&batch);
  if (!s.ok()) return s;
  durable = true;
  for (auto& change : value_changes) columns_->Stage(change.docid, std::move(change.values));
  if (changed_mapping) {
    std::lock_guard<std::mutex> mapping_lock(mapping_mu_);
    mapping_ = std::move(changed_mapping);
  }

  // Durable now: acknowledge regardless; a failed Xapian apply is repaired from the log.
  if (!text_needs_replay_) {
    std::vector<TextIndex::Change> changes;
    changes.reserve(applies.size());
    for (const auto& a : applies) {
      changes.push_back({a.docid, a.is_delete ? nullptr : &*prepared[a.op_index].xdoc});
    }
    if (!text_->ApplyBatch(changes).ok()) text_needs_replay_ = true;
  }
  if (!text_needs_replay_) applied_seq_ = last_seq_;
  pending_text_changes_ += applies.size();
  if (pending_text_changes_ >= kMaxPendingTextChanges) {
    // Xapian's in-memory change set gets slower per document as it grows; committing in
    // moderate groups costs less CPU overall (measured in docs/performance.md). Failure is
    // harmless here: the changes stay pending and the next refresh retries.
    CommitText().PermitUncheckedError();
  }
  return results;
}

}  // namespace ultrasearch
