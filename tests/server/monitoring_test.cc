// Monitoring over real HTTP: /metrics parsed as Prometheus text (counters and histograms move by
// exactly the requests made), and Elasticsearch's _cat/health, _cat/count, _stats and _nodes/stats
// checked against documents indexed here.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <chrono>
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// Every sample line of a text exposition; a test failure for any line that is neither a sample
// (`name{label="value",...} value`) nor a # HELP / # TYPE comment.
std::vector<Sample> ParseExposition(const std::string& text) {
  static const std::regex kLine(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? ([-+]?([0-9.eE+-]+|Inf|NaN))$)");
  static const std::regex kLabel(R"(([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)\",?)");
  std::vector<Sample> samples;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) continue;
    std::smatch m;
    if (!std::regex_match(line, m, kLine)) {
      ADD_FAILURE() << "not a sample line: " << line;
      continue;
    }
    Sample s;
    s.name = m[1];
    std::string labels = m[3];
    std::size_t consumed = 0;
    for (std::sregex_iterator it(labels.begin(), labels.end(), kLabel), end; it != end; ++it) {
      EXPECT_EQ(static_cast<std::size_t>(it->position()), consumed) << "malformed labels: " << line;
      consumed = it->position() + it->length();
      s.labels[(*it)[1]] = (*it)[2];
    }
    EXPECT_EQ(consumed, labels.size()) << "malformed labels: " << line;
    std::string value = m[4];
    s.value = value == "+Inf" || value == "Inf" ? INFINITY : std::stod(value);
    samples.push_back(std::move(s));
  }
  return samples;
}

// The value of the sample with exactly this name and these labels; 0 when absent (a series not
// created yet has counted nothing).
double Value(const std::vector<Sample>& samples, const std::string& name,
             const std::map<std::string, std::string>& labels = {}) {
  for (const Sample& s : samples) {
    if (s.name == name && s.labels == labels) return s.value;
  }
  return 0;
}

class MonitoringTest : public ServerTest {
 protected:
  std::vector<Sample> Scrape() {
    auto r = client().Get("/metrics");
    EXPECT_EQ(r.status, 200) << r.error;
    EXPECT_EQ(r.Header("content-type").rfind("text/plain; version=0.0.4", 0), 0u);
    EXPECT_TRUE(!r.body.empty() && r.body.back() == '\n') << "exposition must end with a newline";
    return ParseExposition(r.body);
  }

  void IndexDocs(const std::string& index, int n) {
    for (int i = 0; i < n; ++i) {
      auto r = client().Put("/" + index + "/_doc/" + std::to_string(i), R"({"title":"doc"})");
      ASSERT_EQ(r.status, 201) << r.body;
    }
    ASSERT_EQ(client().Post("/" + index + "/_refresh", "").status, 200);
  }

  static int64_t Int(const boost::json::value& v) { return v.to_number<int64_t>(); }
};

TEST_F(MonitoringTest, RequestCountersAndHistogramsCountEachRequestOnce) {
  const std::map<std::string, std::string> ok{{"route", "cat_health"}, {"method", "GET"}, {"status", "200"}};
  const std::map<std::string, std::string> missing{{"route", "doc_get"}, {"method", "GET"}, {"status", "404"}};
  auto before = Scrape();
  for (int i = 0; i < 7; ++i) ASSERT_EQ(client().Get("/_cat/health").status, 200);
  ASSERT_EQ(client().Put("/mon_counts", "").status, 200);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(client().Get("/mon_counts/_doc/nope").status, 404);
  auto after = Scrape();

  EXPECT_EQ(Value(after, "ultrasearch_http_requests_total", ok) - Value(before, "ultrasearch_http_requests_total", ok), 7);
  EXPECT_EQ(Value(after, "ultrasearch_http_requests_total", missing) -
                Value(before, "ultrasearch_http_requests_total", missing),
            3);
  const std::string h = "ultrasearch_http_request_duration_seconds";
  EXPECT_EQ(Value(after, h + "_count", ok) - Value(before, h + "_count", ok), 7);
  EXPECT_EQ(Value(after, h + "_count", missing) - Value(before, h + "_count", missing), 3);
  EXPECT_GT(Value(after, h + "_sum", ok), 0);

  // Every histogram series: buckets cumulative in `le` order, +Inf equal to _count.
  std::map<std::string, std::vector<std::pair<double, double>>> buckets;  // series → (le, count)
  std::map<std::string, double> counts;
  auto key = [](const Sample& s) {
    std::string k;
    for (const auto& [name, value] : s.labels) {
      if (name != "le") k += name + "=" + value + ",";
    }
    return k;
  };
  for (const Sample& s : after) {
    if (s.name == h + "_bucket") {
      double le = s.labels.at("le") == "+Inf" ? INFINITY : std::stod(s.labels.at("le"));
      buckets[key(s)].emplace_back(le, s.value);
    } else if (s.name == h + "_count") {
      counts[key(s)] = s.value;
    }
  }
  ASSERT_FALSE(buckets.empty());
  for (auto& [series, list] : buckets) {
    std::sort(list.begin(), list.end());
    EXPECT_EQ(list.size(), 15u) << series;  // 14 bounds from 0.5 ms to 10 s, and +Inf
    for (std::size_t i = 1; i < list.size(); ++i) EXPECT_LE(list[i - 1].second, list[i].second) << series;
    EXPECT_TRUE(std::isinf(list.back().first)) << series;
    EXPECT_EQ(list.back().second, counts[series]) << series;
  }
  const std::string ok_key = "method=GET,route=cat_health,status=200,";
  ASSERT_TRUE(buckets.count(ok_key));
  EXPECT_EQ(buckets[ok_key].front().first, 0.0005);
}

TEST_F(MonitoringTest, ConnectionsAndIndexGauges) {
  IndexDocs("mon_gauges", 3);
  auto before = Scrape();
  HttpClient second(server().port());
  ASSERT_EQ(second.Get("/").status, 200);  // kept alive: open while we scrape
  auto after = Scrape();
  EXPECT_EQ(Value(after, "ultrasearch_http_open_connections") - Value(before, "ultrasearch_http_open_connections"), 1);
  EXPECT_EQ(Value(after, "ultrasearch_http_connections_opened_total") -
                Value(before, "ultrasearch_http_connections_opened_total"),
            1);
  EXPECT_GE(Value(after, "ultrasearch_http_open_connections"), 2);
  EXPECT_EQ(Value(after, "ultrasearch_index_documents", {{"index", "mon_gauges"}}), 3);
  EXPECT_EQ(Value(after, "ultrasearch_index_indexed_documents", {{"index", "mon_gauges"}}), 3);
  EXPECT_GT(Value(after, "ultrasearch_index_size_bytes", {{"index", "mon_gauges"}}), 0);
  EXPECT_GT(Value(after, "ultrasearch_uptime_seconds"), 0);

  // A deleted index leaves no series behind.
  ASSERT_EQ(client().Delete("/mon_gauges").status, 200);
  for (const Sample& s : Scrape()) {
    auto it = s.labels.find("index");
    EXPECT_FALSE(it != s.labels.end() && it->second == "mon_gauges") << s.name;
  }
}

TEST_F(MonitoringTest, CatHealth) {
  int64_t start = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch()).count();
  auto indices = client().Get("/_cat/indices?format=json").Json().as_array().size();
  auto json = client().Get("/_cat/health?format=json");
  ASSERT_EQ(json.status, 200) << json.body;
  boost::json::value rows = json.Json();
  ASSERT_EQ(rows.as_array().size(), 1u);
  const auto& row = rows.as_array()[0].as_object();
  EXPECT_EQ(row.at("cluster").as_string(), "ultrasearch");
  EXPECT_EQ(row.at("status").as_string(), "green");
  EXPECT_EQ(row.at("node.total").as_string(), "1");
  EXPECT_EQ(row.at("node.data").as_string(), "1");
  EXPECT_EQ(row.at("shards").as_string(), std::to_string(indices));
  EXPECT_EQ(row.at("pri").as_string(), std::to_string(indices));
  EXPECT_EQ(row.at("unassign").as_string(), "0");
  EXPECT_EQ(row.at("active_shards_percent").as_string(), "100.0%");
  int64_t epoch = std::stoll(std::string(row.at("epoch").as_string()));
  EXPECT_GE(epoch, start);
  EXPECT_TRUE(std::regex_match(std::string(row.at("timestamp").as_string()), std::regex(R"(\d\d:\d\d:\d\d)")));

  auto text = client().Get("/_cat/health?v");
  ASSERT_EQ(text.status, 200);
  EXPECT_EQ(text.Header("content-type").rfind("text/plain", 0), 0u);
  std::istringstream lines(text.body);
  std::string header, values, extra;
  ASSERT_TRUE(std::getline(lines, header));
  ASSERT_TRUE(std::getline(lines, values));
  EXPECT_FALSE(std::getline(lines, extra));
  std::istringstream columns(header);
  std::vector<std::string> names{std::istream_iterator<std::string>(columns), {}};
  EXPECT_EQ(names, (std::vector<std::string>{"epoch", "timestamp", "cluster", "status", "node.total", "node.data",
                                             "shards", "pri", "relo", "init", "unassign", "pending_tasks",
                                             "max_task_wait_time", "active_shards_percent"}));
  EXPECT_NE(values.find(" ultrasearch green "), std::string::npos) << values;

  auto no_header = client().Get("/_cat/health");
  EXPECT_EQ(std::count(no_header.body.begin(), no_header.body.end(), '\n'), 1) << no_header.body;
  auto no_ts = client().Get("/_cat/health?format=json&ts=false").Json().as_array()[0].as_object();
  EXPECT_FALSE(no_ts.contains("epoch"));
  EXPECT_FALSE(no_ts.contains("timestamp"));
  EXPECT_EQ(no_ts.at("status").as_string(), "green");
}

TEST_F(MonitoringTest, CatCount) {
  IndexDocs("mon_count_a", 3);
  IndexDocs("mon_count_b", 2);
  auto count = [&](const std::string& target) {
    auto r = client().Get(target);
    EXPECT_EQ(r.status, 200) << target << ": " << r.body;
    auto rows = r.Json().as_array();
    EXPECT_EQ(rows.size(), 1u);
    EXPECT_TRUE(rows[0].at("epoch").is_string());
    EXPECT_TRUE(rows[0].at("timestamp").is_string());
    return std::string(rows[0].at("count").as_string());
  };
  EXPECT_EQ(count("/_cat/count/mon_count_a?format=json"), "3");
  EXPECT_EQ(count("/_cat/count/mon_count_b?format=json"), "2");
  EXPECT_EQ(count("/_cat/count/mon_count_a,mon_count_b?format=json"), "5");
  EXPECT_EQ(count("/_cat/count/mon_count_*?format=json"), "5");
  // The whole node: equal to _count over every index.
  auto all = client().Get("/_count").Json().at("count");
  EXPECT_EQ(count("/_cat/count?format=json"), std::to_string(Int(all)));

  auto text = client().Get("/_cat/count/mon_count_a?v");
  ASSERT_EQ(text.status, 200);
  std::istringstream lines(text.body);
  std::string header, values;
  ASSERT_TRUE(std::getline(lines, header));
  ASSERT_TRUE(std::getline(lines, values));
  EXPECT_TRUE(std::regex_match(header, std::regex(R"(epoch\s+timestamp\s+count)"))) << header;
  EXPECT_TRUE(std::regex_match(values, std::regex(R"(\d+\s+\d\d:\d\d:\d\d\s+3)"))) << values;

  auto error = ExpectError(client().Get("/_cat/count/mon_nowhere"), 404, "index_not_found_exception");
  EXPECT_EQ(error.at("index").as_string(), "mon_nowhere");
}

TEST_F(MonitoringTest, IndexStats) {
  IndexDocs("mon_stats_a", 4);
  IndexDocs("mon_stats_b", 1);
  auto cat = client().Get("/_cat/indices/mon_stats_a?format=json&bytes=b").Json().as_array()[0];
  int64_t a_bytes = std::stoll(std::string(cat.at("store.size").as_string()));
  ASSERT_GT(a_bytes, 0);

  auto one = client().Get("/mon_stats_a/_stats");
  ASSERT_EQ(one.status, 200) << one.body;
  auto v = one.Json();
  EXPECT_EQ(Int(v.at("_shards").at("total")), 1);
  EXPECT_EQ(Int(v.at("_shards").at("failed")), 0);
  ASSERT_EQ(v.at("indices").as_object().size(), 1u);
  const auto& a = v.at("indices").at("mon_stats_a");
  EXPECT_EQ(a.at("health").as_string(), "green");
  EXPECT_EQ(a.at("status").as_string(), "open");
  EXPECT_EQ(a.at("uuid").as_string(), cat.at("uuid").as_string());
  for (const char* level : {"primaries", "total"}) {
    EXPECT_EQ(Int(a.at(level).at("docs").at("count")), 4) << level;
    EXPECT_EQ(Int(a.at(level).at("docs").at("deleted")), 0) << level;
    EXPECT_EQ(Int(a.at(level).at("store").at("size_in_bytes")), a_bytes) << level;
    EXPECT_EQ(Int(v.at("_all").at(level).at("docs").at("count")), 4) << level;
  }

  // Every index: _all sums them.
  auto all = client().Get("/_stats").Json();
  const auto& indices = all.at("indices").as_object();
  ASSERT_TRUE(indices.contains("mon_stats_a") && indices.contains("mon_stats_b"));
  EXPECT_EQ(Int(indices.at("mon_stats_b").at("primaries").at("docs").at("count")), 1);
  int64_t docs = 0, bytes = 0;
  for (const auto& [name, stats] : indices) {
    docs += Int(stats.at("primaries").at("docs").at("count"));
    bytes += Int(stats.at("primaries").at("store").at("size_in_bytes"));
  }
  EXPECT_GE(docs, 5);
  EXPECT_EQ(Int(all.at("_all").at("primaries").at("docs").at("count")), docs);
  EXPECT_EQ(Int(all.at("_all").at("total").at("store").at("size_in_bytes")), bytes);
  EXPECT_EQ(Int(all.at("_shards").at("successful")), static_cast<int64_t>(indices.size()));

  auto error = ExpectError(client().Get("/mon_stats_nowhere/_stats"), 404, "index_not_found_exception");
  EXPECT_EQ(error.at("index").as_string(), "mon_stats_nowhere");
  EXPECT_EQ(error.at("resource.id").as_string(), "mon_stats_nowhere");
}

// Operation counts as Elasticsearch counts them on a shard: index_total counts documents created,
// replaced or updated (not no-op updates), delete_total every delete operation (of a missing id
// too), query_total every search and count that ran on the index.
TEST_F(MonitoringTest, IndexStatsCountOperations) {
  IndexDocs("mon_ops", 3);                                                            // 3 created
  ASSERT_EQ(client().Put("/mon_ops/_doc/0", R"({"title":"changed"})").status, 200);  // replaced
  ASSERT_EQ(client().Post("/mon_ops/_update/1", R"({"doc":{"title":"doc"}})").status, 200);    // noop
  ASSERT_EQ(client().Post("/mon_ops/_update/1", R"({"doc":{"title":"new"}})").status, 200);    // updated
  std::string bulk =
      "{\"index\":{\"_index\":\"mon_ops\",\"_id\":\"b1\"}}\n{\"title\":\"x\"}\n"
      "{\"create\":{\"_index\":\"mon_ops\",\"_id\":\"b2\"}}\n{\"title\":\"y\"}\n"
      "{\"create\":{\"_index\":\"mon_ops\",\"_id\":\"b2\"}}\n{\"title\":\"conflict\"}\n"
      "{\"delete\":{\"_index\":\"mon_ops\",\"_id\":\"2\"}}\n"
      "{\"delete\":{\"_index\":\"mon_ops\",\"_id\":\"never\"}}\n";
  auto b = client().Send("POST", "/_bulk?refresh=true", bulk, {{"Content-Type", "application/x-ndjson"}});
  ASSERT_EQ(b.status, 200) << b.body;
  ASSERT_TRUE(b.Json().at("errors").as_bool());  // the second create of b2 conflicts: not counted
  ASSERT_EQ(client().Delete("/mon_ops/_doc/b1").status, 200);
  ASSERT_EQ(client().Get("/mon_ops/_doc/0").status, 200);  // a get is not a search
  ASSERT_EQ(client().Post("/mon_ops/_search", R"({"query":{"match":{"title":"new"}}})").status, 200);
  ASSERT_EQ(client().Get("/mon_ops/_search").status, 200);
  ASSERT_EQ(client().Get("/mon_ops/_count").status, 200);
  ASSERT_EQ(client().Get("/mon_op*/_search").status, 200);
  ASSERT_EQ(client().Get("/_cat/count/mon_ops").status, 200);

  auto v = client().Get("/mon_ops/_stats").Json();
  for (const char* level : {"primaries", "total"}) {
    const auto& stats = v.at("indices").at("mon_ops").at(level);
    EXPECT_EQ(Int(stats.at("indexing").at("index_total")), 7) << level;  // 3 + replace + update + b1 + b2
    EXPECT_EQ(Int(stats.at("indexing").at("delete_total")), 3) << level;  // 2, never, b1
    EXPECT_EQ(Int(stats.at("search").at("query_total")), 5) << level;
    EXPECT_EQ(Int(stats.at("docs").at("count")), 3) << level;  // 0, 1 and b2
  }
  EXPECT_EQ(Int(v.at("_all").at("primaries").at("indexing").at("index_total")), 7);

  // A deleted and re-created index starts from zero.
  ASSERT_EQ(client().Delete("/mon_ops").status, 200);
  IndexDocs("mon_ops", 1);
  auto again = client().Get("/mon_ops/_stats").Json().at("indices").at("mon_ops").at("primaries");
  EXPECT_EQ(Int(again.at("indexing").at("index_total")), 1);
  EXPECT_EQ(Int(again.at("indexing").at("delete_total")), 0);
  EXPECT_EQ(Int(again.at("search").at("query_total")), 0);
}

TEST_F(MonitoringTest, NodesStats) {
  IndexDocs("mon_nodes", 2);
  HttpClient second(server().port());
  ASSERT_EQ(second.Get("/").status, 200);
  auto r = client().Get("/_nodes/stats");
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = r.Json();
  EXPECT_EQ(Int(v.at("_nodes").at("total")), 1);
  EXPECT_EQ(Int(v.at("_nodes").at("successful")), 1);
  EXPECT_EQ(v.at("cluster_name").as_string(), "ultrasearch");
  const auto& nodes = v.at("nodes").as_object();
  ASSERT_EQ(nodes.size(), 1u);
  const auto& node = nodes.begin()->value();
  EXPECT_EQ(node.at("name").as_string(), client().Get("/").Json().at("name").as_string());
  EXPECT_EQ(node.at("host").as_string(), "127.0.0.1");
  EXPECT_FALSE(node.as_object().contains("jvm"));

  auto all = client().Get("/_stats").Json().at("_all").at("total");
  EXPECT_EQ(Int(node.at("indices").at("docs").at("count")), Int(all.at("docs").at("count")));
  EXPECT_GE(Int(node.at("indices").at("docs").at("count")), 2);
  EXPECT_EQ(Int(node.at("indices").at("store").at("size_in_bytes")), Int(all.at("store").at("size_in_bytes")));

  // The server's descriptors, as this process sees them in /proc/PID/fd (give or take the
  // sockets and files that come and go between the two readings).
  int64_t fds = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/" + std::to_string(server().pid()) + "/fd")) {
    (void)entry;
    ++fds;
  }
  int64_t reported = Int(node.at("process").at("open_file_descriptors"));
  EXPECT_GT(reported, 0);
  EXPECT_NEAR(reported, fds, 16);
  EXPECT_LE(reported, Int(node.at("process").at("max_file_descriptors")));

  // This client and `second` are open; total_opened counts them and every earlier connection.
  int64_t open = Int(node.at("http").at("current_open"));
  EXPECT_GE(open, 2);
  EXPECT_GE(Int(node.at("http").at("total_opened")), open);

  auto local = client().Get("/_nodes/_local/stats").Json();
  EXPECT_EQ(local.at("nodes").as_object().begin()->key(), nodes.begin()->key());
  auto by_id = client().Get("/_nodes/" + std::string(nodes.begin()->key()) + "/stats").Json();
  EXPECT_EQ(by_id.at("nodes").as_object().size(), 1u);
  auto other = client().Get("/_nodes/some-other-node/stats").Json();
  EXPECT_EQ(Int(other.at("_nodes").at("total")), 0);
  EXPECT_TRUE(other.at("nodes").as_object().empty());
}

}  // namespace
}  // namespace ultrasearch::testing
