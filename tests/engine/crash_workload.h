// The write workload of the SIGKILL crash test and the model that says what it must leave behind.
//
// The model is an independent statement of Elasticsearch's document semantics (index replaces,
// create conflicts on an existing id, update merges objects recursively and is a no-op when nothing
// changes, delete of a missing id reports not_found), applied to plain JSON objects. The test plans
// batches on the model, has a child process write them through the engine, and compares what the
// engine holds after a kill with the model before and after the batch that was in flight.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "ultrasearch/engine.h"

namespace ultrasearch::testing {

// Document id → source. Ordered so that differences print in a stable order.
using DocMap = std::map<std::string, boost::json::object>;

// One planned batch and the per-operation outcome the model expects, one letter per operation:
//   c created  u updated  o no-op update  d deleted  n delete of a missing id (not an error)
//   C rejected with Conflict (create of an existing id)  N rejected with NotFound (update of a missing id)
struct PlannedBatch {
  std::vector<WriteOp> ops;
  std::string expected;
};

// The plan as text for the child process, one operation per line, and back.
std::string SerializePlan(const std::vector<PlannedBatch>& plan);
std::vector<PlannedBatch> ParsePlan(const std::string& text);

// Applies `batch` to `docs` operation by operation; returns the outcome letters.
std::string ApplyToModel(const std::vector<WriteOp>& ops, DocMap* docs);

// The letter the engine's answer to one operation corresponds to ('?' for anything else).
char OutcomeLetter(const WriteOpResult& result);

// Marker values written to the keyword field `tags`: every write of a document carries a fresh
// one, so a text index that still holds an older version of a document is caught by its marker.
std::vector<std::string> MarkersOf(const boost::json::object& doc);

// Words of the text field `name` and of the dynamic text fields.
std::vector<std::string> WordsOf(const boost::json::object& doc, const std::string& field);

class CrashWorkload {
 public:
  static constexpr int kIds = 240;  // a small id space, so ids are overwritten, deleted and re-created
  static constexpr int kNewFieldsPerPlan = 3;

  explicit CrashWorkload(uint64_t seed) : rng_(seed) {}

  // The vocabulary of text fields: distinct words that no analyzer folds together.
  static const std::vector<std::string>& Vocabulary();
  // Every id the workload may use.
  static std::vector<std::string> AllIds();
  // The mappings of the test index: `name` text, `tags` keyword, `price` long; everything else
  // (the nested object `specs` and the fields extra_N) is added by dynamic mapping.
  static std::string MappingsJson();

  // Plans `count` batches starting from `start`, each valid against the state the previous ones
  // leave (with a few deliberately rejected operations).
  std::vector<PlannedBatch> Plan(const DocMap& start, int count);

  // Dynamic fields introduced so far (extra_0, extra_1, ...).
  int dynamic_fields() const { return next_dynamic_field_; }

 private:
  std::string NewMarker();
  std::string Word() { return Vocabulary()[rng_() % Vocabulary().size()]; }
  std::string Name();
  boost::json::object NewDocument();
  boost::json::object PartialDocument(const boost::json::object& current);
  int DynamicField(unsigned new_percent);
  WriteOp NextOp(const DocMap& docs);

  std::mt19937_64 rng_;
  uint64_t next_marker_ = 0;
  int next_dynamic_field_ = 0;
  int new_fields_left_ = 0;
};

}  // namespace ultrasearch::testing
