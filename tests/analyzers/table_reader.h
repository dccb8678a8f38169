// Reads the analyzer test tables in tests/data/analyzers/*.tsv: tab-separated, '#' comments.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace ultrasearch::analyzers::testing {

inline std::vector<std::vector<std::string>> ReadTable(const std::string& name) {
  std::ifstream in(std::string(ULTRASEARCH_TEST_DATA_DIR) + "/analyzers/" + name);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields;
    std::stringstream ss(line);
    std::string field;
    while (std::getline(ss, field, '\t')) fields.push_back(field);
    rows.push_back(std::move(fields));
  }
  return rows;
}

// Removes the oʻ/gʻ mark ʻ (U+02BB) and the tutuq ʼ (U+02BC): the uz canonical form.
inline std::string StripMarks(std::string s) {
  for (const char* mark : {"\xCA\xBB", "\xCA\xBC"}) {
    for (size_t at; (at = s.find(mark)) != std::string::npos;) s.erase(at, 2);
  }
  return s;
}

}  // namespace ultrasearch::analyzers::testing
