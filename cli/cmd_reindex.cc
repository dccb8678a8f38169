// `ultrasearch reindex`: rebuild the text index from the catalog and swap it in. On a stopped data
// directory the CLI does it itself; when a running server holds the directory, it asks that server
// (POST /INDEX/_ultrasearch/reindex?wait_for_completion=false) and follows the task to its end.
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "commands.h"
#include "http_call.h"

namespace json = boost::json;

namespace ultrasearch::cli {
namespace {

void ShowProgress(bool tty, uint64_t done, uint64_t total) {
  if (tty) std::fprintf(stderr, "\rreindexed %llu / %llu documents", (unsigned long long)done, (unsigned long long)total);
}

// The reason of an Elasticsearch error body, or the body itself.
std::string ErrorOf(const HttpAnswer& a) {
  if (a.status == 0) return a.error;
  boost::system::error_code ec;
  json::value v = json::parse(a.body, ec);
  if (!ec && v.is_object()) {
    const json::value* error = v.as_object().if_contains("error");
    if (error != nullptr && error->is_object()) {
      const json::value* reason = error->as_object().if_contains("reason");
      if (reason != nullptr && reason->is_string()) return "HTTP " + std::to_string(a.status) + ": " + std::string(reason->as_string());
    }
  }
  return "HTTP " + std::to_string(a.status) + ": " + a.body;
}

uint64_t Number(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_number() ? v->to_number<uint64_t>() : 0;
}

int ReindexThroughServer(const CommonOptions& common, const ReindexOptions& options) {
  std::cerr << "ultrasearch: " << common.data_dir << " is held by a running server; asking it at " << options.url
            << " to reindex [" << common.index << "]\n";
  const bool tty = ::isatty(STDERR_FILENO);
  auto started = std::chrono::steady_clock::now();
  HttpAnswer start = HttpCall(options.url, "POST", "/" + common.index + "/_ultrasearch/reindex?wait_for_completion=false",
                              "", options.api_key);
  if (start.status != 200) {
    std::cerr << "ultrasearch: the server did not start the reindex: " << ErrorOf(start) << "\n";
    return 2;
  }
  boost::system::error_code ec;
  json::value started_body = json::parse(start.body, ec);
  const json::value* task = ec || !started_body.is_object() ? nullptr : started_body.as_object().if_contains("task");
  if (task == nullptr || !task->is_string()) {
    std::cerr << "ultrasearch: unexpected answer from the server: " << start.body << "\n";
    return 2;
  }
  const std::string task_id(task->as_string());
  if (!tty) std::cerr << "ultrasearch: task " << task_id << "\n";
  while (true) {
    // The server holds the poll for up to a second when the task is still running.
    HttpAnswer poll = HttpCall(options.url, "GET", "/_tasks/" + task_id + "?wait_for_completion=true&timeout=1s", "",
                               options.api_key);
    if (poll.status != 200) {
      if (tty) std::fprintf(stderr, "\n");
      std::cerr << "ultrasearch: cannot follow task " << task_id << ": " << ErrorOf(poll) << "\n";
      return 2;
    }
    json::value v = json::parse(poll.body, ec);
    if (ec || !v.is_object()) {
      std::cerr << "ultrasearch: unexpected answer from the server: " << poll.body << "\n";
      return 2;
    }
    const json::object& body = v.as_object();
    const json::value* status = body.contains("task") ? v.at("task").as_object().if_contains("status") : nullptr;
    if (status != nullptr && status->is_object()) {
      ShowProgress(tty, Number(status->as_object(), "updated"), Number(status->as_object(), "total"));
    }
    const json::value* completed = body.if_contains("completed");
    if (completed == nullptr || !completed->is_bool() || !completed->as_bool()) continue;
    if (tty) std::fprintf(stderr, "\n");
    if (const json::value* error = body.if_contains("error"); error != nullptr && error->is_object()) {
      const json::value* reason = error->as_object().if_contains("reason");
      std::cerr << "ultrasearch: reindex failed: " << (reason && reason->is_string() ? std::string(reason->as_string()) : json::serialize(*error)) << "\n";
      return 2;
    }
    const json::value* response = body.if_contains("response");
    uint64_t documents = response && response->is_object() ? Number(response->as_object(), "total") : 0;
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::printf("reindexed %llu documents of [%s] in %.2f s (through the server at %s)\n",
                (unsigned long long)documents, common.index.c_str(), seconds, options.url.c_str());
    return 0;
  }
}

}  // namespace

int RunReindex(const CommonOptions& common, const ReindexOptions& options) {
  auto engine = OpenEngine(common, /*background_refresh=*/false);
  if (!engine.ok() && engine.status().IsBusy()) return ReindexThroughServer(common, options);
  if (!engine.ok()) {
    std::cerr << "ultrasearch: " << engine.status().ToString() << "\n";
    return 2;
  }
  // Through an alias of one index, as the server resolves it.
  std::string name = common.index;
  if (auto indices = engine.value()->IndicesOfAlias(name); indices.size() == 1) name = indices[0];
  auto opened = engine.value()->GetIndex(name);
  if (!opened.ok()) {
    std::cerr << "ultrasearch: " << opened.status().ToString() << "\n";
    return 2;
  }
  Index& index = *opened.value();
  const bool tty = ::isatty(STDERR_FILENO);
  auto started = std::chrono::steady_clock::now();
  Status s = index.Reindex([&](uint64_t done, uint64_t total) { ShowProgress(tty, done, total); });
  if (tty) std::fprintf(stderr, "\n");
  if (!s.ok()) {
    std::cerr << "ultrasearch: reindex failed: " << s.ToString() << "\n";
    return 2;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  auto stats = index.Stats();
  std::printf("reindexed %llu documents of [%s] in %.2f s\n",
              stats.ok() ? (unsigned long long)stats->indexed_documents : 0ULL, common.index.c_str(), seconds);
  return 0;
}

}  // namespace ultrasearch::cli
