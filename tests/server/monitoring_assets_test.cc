// The Grafana dashboard and the Prometheus alert rules in docs/monitoring/ only name metrics a real
// server exposes, so neither drifts from /metrics unnoticed.
#include <regex>
#include <set>

#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

std::set<std::string> MetricNamesIn(const std::string& text) {
  std::set<std::string> names;
  static const std::regex kName("ultrasearch_[a-z_]+");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kName); it != std::sregex_iterator(); ++it) {
    names.insert(it->str());
  }
  return names;
}

class MonitoringAssetsTest : public ServerTest {};

TEST_F(MonitoringAssetsTest, DashboardAndAlertsNameOnlyExposedMetrics) {
  // Traffic that makes every family appear: writes, searches (a cache miss then a hit), an error.
  ASSERT_EQ(client().Put("/assets/_doc/1?refresh=true", R"({"name":"olma"})").status, 201);
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(client().Post("/assets/_search", R"({"query":{"match":{"name":"olma"}}})").status, 200);
  }
  ASSERT_EQ(client().Get("/missing/_doc/1").status, 404);
  auto metrics = client().Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  std::set<std::string> exposed;
  std::istringstream lines(metrics.body);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    exposed.insert(line.substr(0, line.find_first_of("{ ")));
  }

  const std::string dir = std::string(ULTRASEARCH_SOURCE_DIR) + "/docs/monitoring/";
  const std::string dashboard = ReadFile(dir + "grafana-dashboard.json");
  boost::json::value parsed = boost::json::parse(dashboard);
  ASSERT_TRUE(parsed.at("panels").is_array());
  EXPECT_GE(parsed.at("panels").as_array().size(), 10u);
  const std::string alerts = ReadFile(dir + "prometheus-alerts.yml");
  EXPECT_NE(alerts.find("alert: UltraSearchDown"), std::string::npos);

  std::set<std::string> named = MetricNamesIn(dashboard);
  for (const auto& n : MetricNamesIn(alerts)) named.insert(n);
  EXPECT_GE(named.size(), 8u);
  for (const std::string& name : named) {
    EXPECT_TRUE(exposed.count(name)) << name << " is named in docs/monitoring/ but not exposed by /metrics";
  }
}

}  // namespace
}  // namespace ultrasearch::testing
