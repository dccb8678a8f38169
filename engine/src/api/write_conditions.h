// The rules that decide, for one write operation and the current state of its id, whether it may
// apply and which version it gets: Elasticsearch's option validation, compare-and-write
// (if_seq_no / if_primary_term), external versions and version numbering. Pure functions: the
// write path (index_write.cc) supplies the state as the batch's earlier operations left it.
#pragma once

#include <cstdint>
#include <string_view>

#include "ultrasearch/engine.h"

namespace ultrasearch {

// What an id holds when an operation reaches it.
struct IdVersionState {
  bool exists = false;   // a live document
  uint64_t version = 0;  // the live document's version, else a recent delete's (0: none known)
  uint64_t seq_no = 0;   // the live document's _seq_no (when exists)
};

// Conflict with Elasticsearch's version_conflict_engine_exception reason when an if_seq_no or
// external version condition of `op` fails against `current`; OK otherwise. Assumes
// ValidateWriteOp(op) passed.
Status CheckWriteConditions(const WriteOp& op, std::string_view id, const IdVersionState& current);

// The version a successful write of `op` gives the id: the external version, or one past the
// current (or deleted) version.
uint64_t NextVersion(const WriteOp& op, const IdVersionState& current);

}  // namespace ultrasearch
