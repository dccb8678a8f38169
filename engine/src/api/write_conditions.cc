#include "api/write_conditions.h"

#include <fmt/format.h>

#include <string>

namespace ultrasearch {

namespace {

const char* VersionTypeName(VersionType type) {
  switch (type) {
    case VersionType::kInternal: return "INTERNAL";
    case VersionType::kExternal: return "EXTERNAL";
    case VersionType::kExternalGte: return "EXTERNAL_GTE";
  }
  return "INTERNAL";
}

Status ValidateId(const WriteOp& op) {
  bool id_required = op.type == WriteOp::Type::kUpdate || op.type == WriteOp::Type::kDelete;
  if (op.id.empty()) {
    return id_required ? Status::InvalidArgument("id is missing") : Status::OK();
  }
  if (op.id.size() > kMaxDocumentIdBytes) {
    return Status::InvalidArgument("id [" + op.id + "] is too long, must be no longer than " +
                                   std::to_string(kMaxDocumentIdBytes) + " bytes but was: " +
                                   std::to_string(op.id.size()));
  }
  return Status::OK();
}

// Elasticsearch's DocWriteRequest.validateSeqNoBasedCASParams and the per-type rules of the index,
// delete and update requests, in the same order so the first message matches theirs.
Status ValidateVersioning(const WriteOp& op) {
  const bool external = op.version_type != VersionType::kInternal;
  if (op.type == WriteOp::Type::kUpdate && (external || op.version)) {
    return Status::InvalidArgument(
        "Update requests do not support versioning. Please use `if_seq_no` and `if_primary_term` instead");
  }
  if (op.type == WriteOp::Type::kCreate) {
    if (external) return Status::InvalidArgument("create operations only support internal versioning. use index instead");
    if (op.if_seq_no || op.if_primary_term) {
      return Status::InvalidArgument("create operations do not support compare and set. use index instead");
    }
  }
  if (external && !op.version) {
    return Status::InvalidArgument(std::string("illegal version value [-3] for version type [") +
                                   VersionTypeName(op.version_type) + "]");
  }
  if (!external && op.version) {
    return Status::InvalidArgument(
        "internal versioning can not be used for optimistic concurrency control. Please use `if_seq_no` and "
        "`if_primary_term` instead");
  }
  if (op.if_seq_no && op.version) return Status::InvalidArgument("compare and write operations can not use versioning");
  if (op.if_seq_no && op.if_primary_term.value_or(0) == 0) {
    return Status::InvalidArgument("ifSeqNo is set, but primary term is [0]");
  }
  if (!op.if_seq_no && op.if_primary_term) {
    return Status::InvalidArgument("ifSeqNo is unassigned, but primary term is [" +
                                   std::to_string(*op.if_primary_term) + "]");
  }
  if (op.type == WriteOp::Type::kUpdate && op.if_seq_no) {
    if (op.doc_as_upsert) return Status::InvalidArgument("compare and write operations can not be used with upsert");
    if (op.upsert_json) {
      return Status::InvalidArgument("upsert requests don't support `if_seq_no` and `if_primary_term`");
    }
  }
  return Status::OK();
}

}  // namespace

Status ValidateWriteOp(const WriteOp& op) {
  if (Status s = ValidateId(op); !s.ok()) return s;
  return ValidateVersioning(op);
}

Status CheckWriteConditions(const WriteOp& op, std::string_view id, const IdVersionState& current) {
  if (op.if_seq_no) {
    const uint64_t term = op.if_primary_term.value_or(0);
    if (!current.exists) {
      return Status::Conflict(fmt::format("[{}]: version conflict, required seqNo [{}], primary term [{}]. but no "
                                          "document was found",
                                          id, *op.if_seq_no, term));
    }
    if (current.seq_no != *op.if_seq_no || term != 1) {
      return Status::Conflict(fmt::format("[{}]: version conflict, required seqNo [{}], primary term [{}]. current "
                                          "document has seqNo [{}] and primary term [1]",
                                          id, *op.if_seq_no, term, current.seq_no));
    }
  }
  if (op.version_type != VersionType::kInternal && current.version != 0) {
    const uint64_t wanted = op.version.value_or(0);
    const bool gte = op.version_type == VersionType::kExternalGte;
    if (gte ? current.version > wanted : current.version >= wanted) {
      return Status::Conflict(fmt::format("[{}]: version conflict, current version [{}] is higher {} the one provided [{}]",
                                          id, current.version, gte ? "than" : "or equal to", wanted));
    }
  }
  return Status::OK();
}

uint64_t NextVersion(const WriteOp& op, const IdVersionState& current) {
  if (op.version_type != VersionType::kInternal && op.version) return *op.version;
  return current.version + 1;
}

}  // namespace ultrasearch
