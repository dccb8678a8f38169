// Bulk sequences on one id (tests/data/server/bulk_sequences.txt): a batch applies exactly as if
// its operations ran one after another, with Elasticsearch's per-item statuses, results, errors,
// versions and seq_nos, and the document a GET finds afterwards.
#include <fstream>
#include <sstream>

#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;

struct Step {
  std::string action;  // index, create, update, delete
  std::string meta;    // extra action metadata as "k=v&k=v"
  std::string source;
  int status = 0;
  std::string outcome;  // result ("created"...) or error type
  int64_t version = -1;
  int64_t seq_no = -1;
};

struct SequenceCase {
  std::string name;
  std::vector<Step> steps;
  bool final_missing = false;
  std::string final_source;
  int64_t final_version = -1;
  int64_t final_seq_no = -1;
};

// "v3" / "s0" -> 3 / 0.
int64_t Tagged(const std::string& token, char tag) {
  if (token.size() < 2 || token[0] != tag) throw std::runtime_error("expected " + std::string(1, tag) + "N: " + token);
  return std::stoll(token.substr(1));
}

Step ParseStep(const std::string& line) {
  Step step;
  auto arrow = line.find(" -> ");
  if (arrow == std::string::npos) throw std::runtime_error("no ' -> ' in: " + line);
  std::string left = line.substr(0, arrow);
  auto space = left.find(' ');
  std::string head = left.substr(0, space);
  if (space != std::string::npos) step.source = left.substr(space + 1);
  auto q = head.find('?');
  step.action = head.substr(0, q);
  if (q != std::string::npos) step.meta = head.substr(q + 1);
  std::istringstream expect(line.substr(arrow + 4));
  std::string version, seq_no;
  expect >> step.status >> step.outcome >> version >> seq_no;
  if (!version.empty()) step.version = Tagged(version, 'v');
  if (!seq_no.empty()) step.seq_no = Tagged(seq_no, 's');
  return step;
}

std::vector<SequenceCase> LoadCases() {
  std::ifstream in(std::string(ULTRASEARCH_TEST_DATA_DIR) + "/server/bulk_sequences.txt");
  std::vector<SequenceCase> cases;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("case ", 0) == 0) {
      cases.push_back({line.substr(5), {}, false, {}, -1, -1});
    } else if (line.rfind("final ", 0) == 0) {
      std::string rest = line.substr(6);
      if (rest == "missing") {
        cases.back().final_missing = true;
      } else {
        auto v = rest.rfind(" v");
        auto s = rest.rfind(" s");
        cases.back().final_source = rest.substr(0, v);
        cases.back().final_version = Tagged(rest.substr(v + 1, s - v - 1), 'v');
        cases.back().final_seq_no = Tagged(rest.substr(s + 1), 's');
      }
    } else {
      cases.back().steps.push_back(ParseStep(line));
    }
  }
  return cases;
}

// {"index":{"_id":"x","if_seq_no":"0",...}} from a step's metadata; values stay strings, which
// Elasticsearch's bulk parser accepts for numbers too.
std::string ActionLine(const Step& step) {
  json::object meta{{"_id", "x"}};
  std::istringstream pairs(step.meta);
  std::string pair;
  while (std::getline(pairs, pair, '&')) {
    auto eq = pair.find('=');
    meta[pair.substr(0, eq)] = pair.substr(eq + 1);
  }
  return json::serialize(json::object{{step.action, meta}});
}

class BulkSequenceTest : public ServerTest {};

TEST_F(BulkSequenceTest, EveryCaseEndsAsElasticsearchWould) {
  std::vector<SequenceCase> cases = LoadCases();
  ASSERT_GE(cases.size(), 20u);
  for (std::size_t n = 0; n < cases.size(); ++n) {
    const SequenceCase& c = cases[n];
    SCOPED_TRACE(c.name);
    const std::string index = "seq-" + std::to_string(n);
    std::string body;
    for (const Step& step : c.steps) {
      body += ActionLine(step) + "\n";
      if (step.action != "delete") body += step.source + "\n";
    }
    auto r = client().Post("/" + index + "/_bulk", body);
    ASSERT_EQ(r.status, 200) << r.body;
    const json::value reply = r.Json();
    const auto& items = reply.at("items").as_array();
    ASSERT_EQ(items.size(), c.steps.size()) << r.body;
    bool any_error = false;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const Step& step = c.steps[i];
      SCOPED_TRACE("item " + std::to_string(i) + ": " + step.action + " " + step.source);
      const auto& item = items[i].at(step.action).as_object();
      EXPECT_EQ(item.at("_id"), "x");
      EXPECT_EQ(item.at("status"), step.status) << json::serialize(item);
      if (step.version < 0) {
        any_error = true;
        ASSERT_TRUE(item.contains("error")) << json::serialize(item);
        EXPECT_EQ(item.at("error").at("type"), json::value(step.outcome)) << json::serialize(item);
        continue;
      }
      EXPECT_FALSE(item.contains("error")) << json::serialize(item);
      EXPECT_EQ(item.at("result"), json::value(step.outcome)) << json::serialize(item);
      EXPECT_EQ(item.at("_version"), step.version) << json::serialize(item);
      EXPECT_EQ(item.at("_seq_no"), step.seq_no) << json::serialize(item);
      EXPECT_EQ(item.at("_primary_term"), 1);
    }
    EXPECT_EQ(reply.at("errors"), any_error);

    auto got = client().Get("/" + index + "/_doc/x");
    if (c.final_missing) {
      EXPECT_EQ(got.status, 404) << got.body;
      continue;
    }
    ASSERT_EQ(got.status, 200) << got.body;
    auto doc = got.Json();
    EXPECT_EQ(doc.at("_source"), json::parse(c.final_source)) << got.body;
    EXPECT_EQ(doc.at("_version"), c.final_version) << got.body;
    EXPECT_EQ(doc.at("_seq_no"), c.final_seq_no) << got.body;
  }
}

// The same sequences split over separate requests end the same way: nothing in the outcome
// depends on operations sharing a batch.
TEST_F(BulkSequenceTest, OneRequestPerOperationAgrees) {
  for (const SequenceCase& c : LoadCases()) {
    SCOPED_TRACE(c.name);
    const std::string index = "one-" + std::to_string(std::hash<std::string>{}(c.name) % 100000);
    for (const Step& step : c.steps) {
      std::string body = ActionLine(step) + "\n";
      if (step.action != "delete") body += step.source + "\n";
      auto r = client().Post("/" + index + "/_bulk", body);
      ASSERT_EQ(r.status, 200) << r.body;
      const json::value reply = r.Json();
      const auto& item = reply.at("items").as_array().at(0).at(step.action).as_object();
      EXPECT_EQ(item.at("status"), step.status) << step.action << " " << step.source << " " << json::serialize(item);
      if (step.version >= 0) {
        EXPECT_EQ(item.at("_version"), step.version) << json::serialize(item);
      }
    }
    auto got = client().Get("/" + index + "/_doc/x");
    EXPECT_EQ(got.status, c.final_missing ? 404 : 200) << got.body;
    if (!c.final_missing && got.status == 200) {
      EXPECT_EQ(got.Json().at("_source"), json::parse(c.final_source));
    }
  }
}

}  // namespace
}  // namespace ultrasearch::testing
