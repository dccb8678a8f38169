// The `ultrasearch` program end to end: import, search, analyze, reindex, as an operator runs them.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <sstream>

#include "support/test_support.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class CliTest : public ::testing::Test {
 protected:
  CommandResult Run(std::vector<std::string> args, const std::string& stdin_data = "") {
    // Every command gets this test's data directory unless it names one itself.
    bool has_data = std::find(args.begin(), args.end(), "--data") != args.end();
    if (!has_data && args.front() != "analyze") {
      args.insert(args.begin() + 1, {"--data", data_.str()});
    }
    return RunUltrasearch(args, stdin_data);
  }
  TempDir data_;
};

TEST_F(CliTest, ImportThenSearchPrintsRankedProducts) {
  auto import = Run({"import", FixturePath("products.ndjson").string()});
  ASSERT_EQ(import.exit_code, 0) << import.err;
  EXPECT_NE(import.out.find("imported 346 documents into [products]"), std::string::npos) << import.out;
  EXPECT_NE(import.out.find("0 rejected"), std::string::npos) << import.out;

  auto search = Run({"search", "samsung"});
  ASSERT_EQ(search.exit_code, 0) << search.err;
  auto lines = Lines(search.out);
  ASSERT_GE(lines.size(), 11u) << search.out;
  EXPECT_NE(lines[0].find("hits in [products]"), std::string::npos);
  EXPECT_NE(lines[1].find("  1. "), std::string::npos);
  EXPECT_NE(lines[10].find(" 10. "), std::string::npos);
  for (size_t i = 1; i <= 10; ++i) EXPECT_NE(Lower(lines[i]).find("samsung"), std::string::npos) << lines[i];
}

TEST_F(CliTest, JsonSearchOutputIsElasticsearchShaped) {
  ASSERT_EQ(Run({"import", FixturePath("products.ndjson").string()}).exit_code, 0);
  auto search = Run({"search", "--json", "--size", "20", "samsung"});
  ASSERT_EQ(search.exit_code, 0) << search.err;
  json::value response = json::parse(search.out);
  EXPECT_GE(response.at("hits").at("total").at("value").as_int64(), 12);
  EXPECT_EQ(response.at("hits").at("total").at("relation"), "eq");
  const auto& hits = response.at("hits").at("hits").as_array();
  ASSERT_EQ(hits.size(), 20u);
  double previous = 1e300;
  for (const auto& hit : hits) {
    double score = hit.at("_score").to_number<double>();
    EXPECT_LE(score, previous) << "hits are ranked";
    previous = score;
    std::string name = Lower(std::string(hit.at("_source").at("name").as_string()));
    std::string brand = Lower(std::string(hit.at("_source").at("brand").as_string()));
    std::string description = Lower(std::string(hit.at("_source").at("description").as_string()));
    EXPECT_TRUE(name.find("samsung") != std::string::npos || brand == "samsung" ||
                description.find("samsung") != std::string::npos)
        << hit.at("_id");
  }
}

TEST_F(CliTest, RejectedLinesGoToTheReportAndTheExitCodeSaysSo) {
  std::string report = (data_.path() / "rejected.ndjson").string();
  auto import = Run({"import", "--report", report, FixturePath("products-bad.ndjson").string()});
  EXPECT_EQ(import.exit_code, 1) << import.out << import.err;
  EXPECT_NE(import.out.find("imported 4 documents"), std::string::npos) << import.out;
  EXPECT_NE(import.out.find("7 rejected"), std::string::npos) << import.out;
  std::vector<int64_t> rejected_lines;
  for (const auto& line : Lines(ReadFile(report))) {
    json::value entry = json::parse(line);
    rejected_lines.push_back(entry.at("line").as_int64());
    EXPECT_FALSE(entry.at("reason").as_string().empty());
  }
  std::sort(rejected_lines.begin(), rejected_lines.end());
  EXPECT_EQ(rejected_lines, (std::vector<int64_t>{2, 4, 5, 7, 9, 10, 11}));
}

TEST_F(CliTest, TheRejectReportIsValidUtf8CutAtACharacterBoundary) {
  // Line 1: an ill-formed sequence (E1 80: a three-byte lead with one trail byte) inside Cyrillic.
  const std::string broken = "{\"id\":\"u1\",\"name\":\"Холодильник \xE1\x80 oq\"}";
  // Line 2: 19 bytes of JSON, then 1000 two-byte letters (2019 bytes before the bad tail): byte
  // 2000 falls inside the 991st letter, so the report keeps the first 990.
  const std::string head = "{\"id\":\"u2\",\"name\":\"";
  ASSERT_EQ(head.size(), 19u);
  std::string letters;
  for (int i = 0; i < 1000; ++i) letters += "ж";
  const std::string long_line = head + letters + "\xFF\"}";
  WriteFile(data_.path() / "bad-utf8.ndjson", broken + "\n" + long_line + "\n");
  std::string report = (data_.path() / "rejected.ndjson").string();
  auto import = Run({"import", "--report", report, (data_.path() / "bad-utf8.ndjson").string()});
  EXPECT_EQ(import.exit_code, 1) << import.out << import.err;
  std::vector<std::string> sources;
  for (const auto& line : Lines(ReadFile(report))) {
    json::value entry = json::parse(line);  // Boost.JSON refuses invalid UTF-8
    sources.emplace_back(entry.at("source").as_string());
  }
  std::string kept_letters;
  for (int i = 0; i < 990; ++i) kept_letters += "ж";
  std::sort(sources.begin(), sources.end());
  EXPECT_EQ(sources, (std::vector<std::string>{"{\"id\":\"u1\",\"name\":\"Холодильник \uFFFD oq\"}",
                                               head + kept_letters}));
}

TEST_F(CliTest, ImportReadsStdinAndGzipAndHonoursTheDataEnvironmentVariable) {
  const std::string lines =
      R"({"id":"s1","name":"Changyutgich Dyson V15","price":9990000})" "\n"
      R"({"id":"s2","name":"Пылесос Samsung Jet 90","price":8490000})" "\n";
  auto from_stdin = RunUltrasearch({"import", "-"}, lines, {"ULTRASEARCH_DATA=" + data_.str()});
  ASSERT_EQ(from_stdin.exit_code, 0) << from_stdin.err;
  EXPECT_NE(from_stdin.out.find("imported 2 documents"), std::string::npos);

  WriteFile(data_.path() / "more.ndjson", R"({"id":"g1","name":"Televizor Artel 43"})" "\n");
  auto gz = RunCommand({"/bin/gzip", "-f", (data_.path() / "more.ndjson").string()});
  ASSERT_EQ(gz.exit_code, 0) << gz.err;
  auto from_gz = Run({"import", (data_.path() / "more.ndjson.gz").string()});
  ASSERT_EQ(from_gz.exit_code, 0) << from_gz.err;
  EXPECT_NE(from_gz.out.find("imported 1 documents"), std::string::npos) << from_gz.out;

  auto search = RunUltrasearch({"search", "dyson"}, "", {"ULTRASEARCH_DATA=" + data_.str()});
  EXPECT_NE(search.out.find("s1"), std::string::npos) << search.out;
  search = Run({"search", "televizor"});
  EXPECT_NE(search.out.find("g1"), std::string::npos) << search.out;
}

TEST_F(CliTest, AnalyzePrintsOneTokenPerLine) {
  auto ru = Run({"analyze", "--analyzer", "ru", "Холодильников и телефонов"});
  ASSERT_EQ(ru.exit_code, 0) << ru.err;
  auto tokens = Lines(ru.out);
  ASSERT_EQ(tokens.size(), 3u) << ru.out;
  EXPECT_EQ(tokens[0], "холодильник");
  EXPECT_EQ(tokens[2], "телефон");
  auto keyword = Run({"analyze", "--analyzer", "keyword", "Samsung Galaxy"});
  EXPECT_EQ(Lines(keyword.out), std::vector<std::string>{"Samsung Galaxy"});
  auto unknown = Run({"analyze", "--analyzer", "klingon", "x"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("unknown analyzer"), std::string::npos);
}

TEST_F(CliTest, ReindexKeepsEveryDocumentSearchable) {
  ASSERT_EQ(Run({"import", FixturePath("products.ndjson").string()}).exit_code, 0);
  auto before = Run({"search", "--json", "muzlatgich"});
  auto reindex = Run({"reindex"});
  ASSERT_EQ(reindex.exit_code, 0) << reindex.err;
  EXPECT_NE(reindex.out.find("reindexed 346 documents"), std::string::npos) << reindex.out;
  auto after = Run({"search", "--json", "muzlatgich"});
  EXPECT_EQ(json::parse(after.out).at("hits"), json::parse(before.out).at("hits"));
}

TEST_F(CliTest, ErrorsAreClearAndExitWithTwo) {
  auto missing_index = Run({"search", "--index", "nothere", "x"});
  EXPECT_EQ(missing_index.exit_code, 2);
  EXPECT_NE(missing_index.err.find("no such index"), std::string::npos) << missing_index.err;
  auto missing_file = Run({"import", "/nonexistent/file.ndjson"});
  EXPECT_EQ(missing_file.exit_code, 2);
  EXPECT_NE(missing_file.err.find("cannot open"), std::string::npos) << missing_file.err;
  auto bad_flag = Run({"search", "--size", "-5", "x"});
  EXPECT_NE(bad_flag.exit_code, 0);
}

}  // namespace
}  // namespace ultrasearch::testing
