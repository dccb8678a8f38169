// Catalog import: NDJSON lines become durable write batches; analysis runs on several threads
// while the index serialises the writes. Rejected lines go to a report file with their reasons.
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <fmt/format.h>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include "commands.h"
#include "line_reader.h"
#include "ultrasearch/utf8.h"

namespace json = boost::json;

namespace ultrasearch::cli {

namespace {

struct Line {
  std::string file;
  uint64_t number = 0;
};

struct Batch {
  std::vector<WriteOp> ops;
  std::vector<Line> lines;
};

// A bounded queue between the reader and the writer threads.
class BatchQueue {
 public:
  explicit BatchQueue(size_t capacity) : capacity_(capacity) {}
  void Push(Batch batch) {
    std::unique_lock<std::mutex> lock(mu_);
    not_full_.wait(lock, [&] { return queue_.size() < capacity_; });
    queue_.push_back(std::move(batch));
    not_empty_.notify_one();
  }
  std::optional<Batch> Pop() {
    std::unique_lock<std::mutex> lock(mu_);
    not_empty_.wait(lock, [&] { return !queue_.empty() || closed_; });
    if (queue_.empty()) return std::nullopt;
    Batch b = std::move(queue_.front());
    queue_.pop_front();
    not_full_.notify_one();
    return b;
  }
  void Close() {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    not_empty_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<Batch> queue_;
  size_t capacity_;
  bool closed_ = false;
};

class RejectReport {
 public:
  explicit RejectReport(std::string path) : path_(std::move(path)) {}
  void Add(const Line& line, const std::string& reason, std::string_view source) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!out_.is_open()) out_.open(path_, std::ios::trunc);
    json::object entry;
    entry["file"] = line.file;
    entry["line"] = line.number;
    entry["reason"] = reason;
    // Ill-formed bytes become U+FFFD so the report stays valid JSON and Cyrillic stays readable.
    entry["source"] = ToValidUtf8(source.substr(0, TruncateToCodePoint(source, 2000)));
    out_ << json::serialize(entry) << "\n";
    ++count_;
  }
  uint64_t count() const { return count_; }
  const std::string& path() const { return path_; }

 private:
  std::mutex mu_;
  std::string path_;
  std::ofstream out_;
  std::atomic<uint64_t> count_{0};
};

// The document id of an NDJSON line: its "id" field, or empty for an engine-assigned id.
// Returns the reason when the line cannot be a document.
std::optional<std::string> ExtractId(const std::string& line, std::string* id) {
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = 64;
  json::value doc = json::parse(line, ec, {}, options);
  if (ec) return "malformed JSON: " + ec.message();
  if (!doc.is_object()) return std::string("a document must be a JSON object");
  const json::value* field = doc.as_object().if_contains("id");
  if (field == nullptr || field->is_null()) {
    id->clear();
  } else if (field->is_string()) {
    *id = std::string(field->as_string());
  } else if (field->is_int64() || field->is_uint64()) {
    *id = json::serialize(*field);
  } else {
    return std::string("field [id] must be a string or an integer");
  }
  return std::nullopt;
}

}  // namespace

ImportOutcome ImportInto(Index& index, const ImportOptions& options) {
  ImportOutcome outcome;
  RejectReport report(options.report_path);
  std::atomic<uint64_t> imported{0}, created{0};
  std::atomic<bool> failed{false};
  std::string fatal;
  std::mutex fatal_mu;
  // Each writer thread owns the ids that hash to it, so when an id appears twice in the input its
  // later line is always written later, as in an Elasticsearch bulk request.
  const size_t threads = static_cast<size_t>(options.threads);
  std::vector<std::unique_ptr<BatchQueue>> queues;
  for (size_t t = 0; t < threads; ++t) queues.push_back(std::make_unique<BatchQueue>(2));
  const auto started = std::chrono::steady_clock::now();

  std::vector<std::thread> writers;
  for (size_t t = 0; t < threads; ++t) {
    writers.emplace_back([&, t] {
      while (auto batch = queues[t]->Pop()) {
        if (failed) continue;  // drain after a fatal error
        auto results = index.Write(batch->ops);
        if (!results.ok()) {
          std::lock_guard<std::mutex> lock(fatal_mu);
          fatal = results.status().ToString();
          failed = true;
          continue;
        }
        for (size_t i = 0; i < results->size(); ++i) {
          const auto& r = (*results)[i];
          if (r.status.ok()) {
            ++imported;
            if (r.result.kind == WriteResult::Kind::kCreated) ++created;
          } else {
            report.Add(batch->lines[i], r.status.message(), batch->ops[i].json);
          }
        }
      }
    });
  }

  const bool show_progress = options.progress && ::isatty(STDERR_FILENO);
  auto last_progress = started;
  uint64_t lines_total = 0;
  for (const auto& file : options.files) {
    LineReader reader;
    Status s = reader.Open(file);
    if (!s.ok()) {
      std::lock_guard<std::mutex> lock(fatal_mu);
      fatal = s.ToString();
      failed = true;
      break;
    }
    std::vector<Batch> batches(threads);
    size_t round_robin = 0;
    std::string line, id;
    uint64_t number = 0;
    while (!failed && reader.Next(&line)) {
      ++number;
      ++lines_total;
      if (line.find_first_not_of(" \t\r") == std::string::npos) {  // blank lines are not documents
        ++outcome.blank_lines;
        continue;
      }
      Line where{file, number};
      if (auto reason = ExtractId(line, &id)) {
        report.Add(where, *reason, line);
        continue;
      }
      size_t t = id.empty() ? round_robin++ % threads : std::hash<std::string>{}(id) % threads;
      Batch& batch = batches[t];
      batch.ops.push_back(WriteOp{WriteOp::Type::kIndex, id, std::move(line)});
      batch.lines.push_back(where);
      if (batch.ops.size() >= options.batch_size) {
        queues[t]->Push(std::move(batch));
        batch = Batch();
      }
      auto now = std::chrono::steady_clock::now();
      if (show_progress && now - last_progress > std::chrono::milliseconds(500)) {
        double secs = std::chrono::duration<double>(now - started).count();
        std::fprintf(stderr, "\r%s: %llu lines read, %llu imported (%.0f docs/s)   ", file.c_str(),
                     (unsigned long long)lines_total, (unsigned long long)imported.load(), imported / secs);
        last_progress = now;
      }
    }
    for (size_t t = 0; t < threads; ++t) {
      if (!batches[t].ops.empty()) queues[t]->Push(std::move(batches[t]));
    }
    if (!reader.status().ok()) {
      std::lock_guard<std::mutex> lock(fatal_mu);
      fatal = reader.status().ToString();
      failed = true;
    }
  }
  for (auto& q : queues) q->Close();
  for (auto& w : writers) w.join();
  if (show_progress) std::fprintf(stderr, "\n");

  outcome.refreshed = index.Refresh();
  if (options.compact && outcome.refreshed.ok() && !failed) {
    auto stats = index.Stats();
    if (stats.ok() && imported.load() > 0 &&
        static_cast<double>(imported.load()) >= kCompactAfterFraction * static_cast<double>(stats->documents)) {
      if (show_progress) std::fprintf(stderr, "compacting the index after the bulk load...\n");
      const auto compact_started = std::chrono::steady_clock::now();
      outcome.compacted = index.ForceMerge();
      outcome.compact_seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - compact_started).count();
    }
  }
  outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  outcome.lines = lines_total;
  outcome.imported = imported.load();
  outcome.created = created.load();
  outcome.rejected = report.count();
  outcome.report_path = report.path();
  if (failed) outcome.fatal = fatal.empty() ? std::string("stopped") : fatal;
  return outcome;
}

void PrintImportSummary(const std::string& index_name, const ImportOutcome& outcome) {
  std::string compacted;
  if (outcome.compact_seconds > 0) compacted = fmt::format(", {:.2f} s of it compacting", outcome.compact_seconds);
  std::printf("imported %llu documents into [%s] in %.2f s (%.0f docs/s%s); %llu rejected%s%s\n",
              (unsigned long long)outcome.imported, index_name.c_str(), outcome.seconds,
              outcome.seconds > 0 ? outcome.imported / outcome.seconds : 0.0, compacted.c_str(),
              (unsigned long long)outcome.rejected, outcome.rejected ? ", see " : "",
              outcome.rejected ? outcome.report_path.c_str() : "");
}

int RunImport(const CommonOptions& common, const ImportOptions& options) {
  if (options.replace) return RunImportReplace(common, options);
  auto opened = OpenIndexOrReport(common, /*create=*/true);
  if (!opened) return 2;
  ImportOutcome outcome = ImportInto(*opened.index, options);
  if (!outcome.fatal.empty()) {
    std::cerr << "ultrasearch: import stopped: " << outcome.fatal << "\n";
    std::printf("imported %llu documents before the error; %llu rejected\n", (unsigned long long)outcome.imported,
                (unsigned long long)outcome.rejected);
    return 2;
  }
  if (!outcome.refreshed.ok()) {
    std::cerr << "ultrasearch: documents are stored but not yet searchable: " << outcome.refreshed.ToString() << "\n";
  }
  if (!outcome.compacted.ok()) {
    // Nothing is lost: the index is complete and searchable, only larger than it could be.
    std::cerr << "ultrasearch: the import is complete, compacting it failed: " << outcome.compacted.ToString()
              << "\n";
  }
  PrintImportSummary(common.index, outcome);
  return outcome.rejected > 0 ? 1 : 0;
}

}  // namespace ultrasearch::cli
