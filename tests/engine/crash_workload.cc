#include "engine/crash_workload.h"

#include <sstream>

#include "engine/engine_test_util.h"

namespace json = boost::json;

namespace ultrasearch::testing {

namespace {

// Elasticsearch's partial-document merge: objects merge key by key, recursively; any other value
// (arrays included) replaces. Returns whether anything changed (detect_noop).
bool MergeInto(json::object& target, const json::object& patch) {
  bool changed = false;
  for (const auto& [key, value] : patch) {
    json::value* existing = target.if_contains(key);
    if (existing != nullptr && existing->is_object() && value.is_object()) {
      changed |= MergeInto(existing->as_object(), value.as_object());
    } else if (existing == nullptr || *existing != value) {
      target[key] = value;
      changed = true;
    }
  }
  return changed;
}

}  // namespace

std::string ApplyToModel(const std::vector<WriteOp>& ops, DocMap* docs) {
  std::string outcome;
  for (const WriteOp& op : ops) {
    auto it = docs->find(op.id);
    const bool exists = it != docs->end();
    switch (op.type) {
      case WriteOp::Type::kIndex:
        outcome += exists ? 'u' : 'c';
        (*docs)[op.id] = json::parse(op.json).as_object();
        break;
      case WriteOp::Type::kCreate:
        if (exists) {
          outcome += 'C';
        } else {
          outcome += 'c';
          (*docs)[op.id] = json::parse(op.json).as_object();
        }
        break;
      case WriteOp::Type::kUpdate:
        if (!exists) {
          outcome += 'N';
        } else {
          outcome += MergeInto(it->second, json::parse(op.json).as_object()) ? 'u' : 'o';
        }
        break;
      case WriteOp::Type::kDelete:
        outcome += exists ? 'd' : 'n';
        if (exists) docs->erase(it);
        break;
    }
  }
  return outcome;
}

std::string SerializePlan(const std::vector<PlannedBatch>& plan) {
  // batch index, operation type, id, JSON (serialised JSON has no raw tabs or newlines).
  std::string out;
  for (size_t b = 0; b < plan.size(); ++b) {
    for (const WriteOp& op : plan[b].ops) {
      const char type = op.type == WriteOp::Type::kIndex    ? 'i'
                        : op.type == WriteOp::Type::kCreate ? 'c'
                        : op.type == WriteOp::Type::kUpdate ? 'u'
                                                            : 'd';
      out += std::to_string(b) + '\t' + type + '\t' + op.id + '\t' + op.json + '\n';
    }
  }
  return out;
}

std::vector<PlannedBatch> ParsePlan(const std::string& text) {
  std::vector<PlannedBatch> plan;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string batch, type, id, json_text;
    std::getline(fields, batch, '\t');
    std::getline(fields, type, '\t');
    std::getline(fields, id, '\t');
    std::getline(fields, json_text);
    const size_t b = std::stoul(batch);
    if (plan.size() <= b) plan.resize(b + 1);
    WriteOp op;
    op.type = type == "i" ? WriteOp::Type::kIndex
              : type == "c" ? WriteOp::Type::kCreate
              : type == "u" ? WriteOp::Type::kUpdate
                            : WriteOp::Type::kDelete;
    op.id = id;
    op.json = json_text;
    plan[b].ops.push_back(std::move(op));
  }
  return plan;
}

char OutcomeLetter(const WriteOpResult& result) {
  if (result.status.IsConflict()) return 'C';
  if (result.status.IsNotFound()) return 'N';
  if (!result.status.ok()) return '?';
  switch (result.result.kind) {
    case WriteResult::Kind::kCreated: return 'c';
    case WriteResult::Kind::kUpdated: return 'u';
    case WriteResult::Kind::kNoop: return 'o';
    case WriteResult::Kind::kDeleted: return 'd';
    case WriteResult::Kind::kNotFound: return 'n';
  }
  return '?';
}

std::vector<std::string> MarkersOf(const json::object& doc) {
  std::vector<std::string> markers;
  if (const json::value* tags = doc.if_contains("tags")) {
    for (const auto& t : tags->as_array()) markers.emplace_back(t.as_string());
  }
  return markers;
}

std::vector<std::string> WordsOf(const json::object& doc, const std::string& field) {
  std::vector<std::string> words;
  const json::value* value = doc.if_contains(field);
  if (value == nullptr || !value->is_string()) return words;
  std::istringstream in{std::string(value->as_string())};
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

const std::vector<std::string>& CrashWorkload::Vocabulary() {
  // Checked with `ultrasearch analyze --analyzer catalog`: each stays one distinct term.
  static const std::vector<std::string> kWords = {"kiwi",  "mango", "lemon", "peach", "grape", "melon",
                                                  "apple", "cherry", "plum", "guava", "papaya", "quince",
                                                  "fig",   "olive", "pear",  "lime"};
  return kWords;
}

std::vector<std::string> CrashWorkload::AllIds() {
  std::vector<std::string> ids;
  for (int i = 0; i < kIds; ++i) ids.push_back(NumberedId("d", static_cast<uint64_t>(i)));
  return ids;
}

std::string CrashWorkload::MappingsJson() {
  return R"({"properties":{"name":{"type":"text","analyzer":"standard"},"tags":{"type":"keyword"},)"
         R"("price":{"type":"long"}}})";
}

std::string CrashWorkload::NewMarker() { return NumberedId("m", next_marker_++); }

std::string CrashWorkload::Name() {
  std::string name = Word();
  for (int n = 1 + static_cast<int>(rng_() % 3); n > 0; --n) {
    name += ' ';
    name += Word();
  }
  return name;
}

int CrashWorkload::DynamicField(unsigned new_percent) {
  // Mostly a field seen before, sometimes a brand-new one (a mapping change in the batch). A few
  // new ones per plan: the early batches of each round add fields, and the mapping stays far below
  // Elasticsearch's default limit of 1000 fields.
  bool fresh = next_dynamic_field_ == 0 || (new_fields_left_ > 0 && rng_() % 100 < new_percent);
  if (!fresh) return static_cast<int>(rng_() % static_cast<uint64_t>(next_dynamic_field_));
  if (new_fields_left_ > 0) --new_fields_left_;
  return next_dynamic_field_++;
}

json::object CrashWorkload::NewDocument() {
  json::object doc;
  doc["name"] = Name();
  doc["tags"] = json::array{json::value(NewMarker())};
  doc["price"] = static_cast<int64_t>(rng_() % 100000);
  if (rng_() % 100 < 30) doc["specs"] = json::object{{"color", Word()}};
  if (rng_() % 100 < 8) {
    doc[NumberedId("extra_", static_cast<uint64_t>(DynamicField(40)))] = Word();
  }
  return doc;
}

json::object CrashWorkload::PartialDocument(const json::object& current) {
  json::object patch;
  if (rng_() % 100 < 5) {
    patch["price"] = current.at("price");  // changes nothing: a no-op update
    return patch;
  }
  patch["tags"] = json::array{json::value(NewMarker())};
  switch (rng_() % 4) {
    case 0: patch["price"] = static_cast<int64_t>(rng_() % 100000); break;
    case 1: patch["name"] = Name(); break;
    case 2: patch["specs"] = json::object{{"size", Word()}}; break;  // merges into an existing specs
    default: {
      patch[NumberedId("extra_", static_cast<uint64_t>(DynamicField(30)))] = Word();
    }
  }
  return patch;
}

WriteOp CrashWorkload::NextOp(const DocMap& docs) {
  std::string id = NumberedId("d", rng_() % kIds);
  auto existing = docs.find(id);
  const unsigned roll = static_cast<unsigned>(rng_() % 100);
  if (roll < 40) return {WriteOp::Type::kIndex, id, json::serialize(NewDocument())};
  if (roll < 48) return {WriteOp::Type::kCreate, id, json::serialize(NewDocument())};
  if (roll < 75) {
    // Mostly updates of a document that exists; a few of a missing id, which must be rejected.
    if (existing == docs.end() && !docs.empty() && rng_() % 100 < 85) {
      existing = std::next(docs.begin(), static_cast<long>(rng_() % docs.size()));
      id = existing->first;
    }
    json::object patch = existing == docs.end() ? json::object{{"price", 1}} : PartialDocument(existing->second);
    return {WriteOp::Type::kUpdate, id, json::serialize(patch)};
  }
  return {WriteOp::Type::kDelete, id, ""};
}

std::vector<PlannedBatch> CrashWorkload::Plan(const DocMap& start, int count) {
  DocMap docs = start;
  std::vector<PlannedBatch> plan;
  new_fields_left_ = kNewFieldsPerPlan;
  for (int b = 0; b < count; ++b) {
    PlannedBatch batch;
    DocMap batch_view = docs;  // the state the next operation sees, earlier ops of this batch included
    const int size = 1 + static_cast<int>(rng_() % 16);
    for (int i = 0; i < size; ++i) {
      WriteOp op = NextOp(batch_view);
      // Now and then the same id again in one batch: it must see this batch's earlier operations.
      if (!batch.ops.empty() && rng_() % 100 < 12) {
        op.id = batch.ops[rng_() % batch.ops.size()].id;
        if (op.type == WriteOp::Type::kUpdate) {
          auto it = batch_view.find(op.id);
          op.json = json::serialize(it == batch_view.end() ? json::object{{"price", 2}} : PartialDocument(it->second));
        }
      }
      ApplyToModel({op}, &batch_view);
      batch.ops.push_back(std::move(op));
    }
    batch.expected = ApplyToModel(batch.ops, &docs);
    plan.push_back(std::move(batch));
  }
  return plan;
}

}  // namespace ultrasearch::testing
