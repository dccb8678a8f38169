// A small catalog whose words are split across `name` and `description`, and the documents
// Elasticsearch's multi_match returns for each combination of type, operator and
// minimum_should_match. Shared by the engine test (tests/engine/multi_match_test.cc) and the HTTP
// test (tests/server/multi_match_test.cc).
//
// Terms per document, name | description (the standard analyzer lower-cases and splits words):
//   A  samsung phone        | galaxy camera with zoom
//   B  samsung galaxy s23   | android flagship
//   C  galaxy tab           | samsung tablet
//   D  apple iphone         | a galaxy of colours and a great camera
//   E  samsung fridge       | no frost
//   F  pixel 8              | samsung galaxy phone killer
//   G  nokia 3310           | cheap phone
// For each query, "most in one field" is what best_fields/most_fields test against the operator
// and minimum_should_match; "in any field" is what cross_fields tests:
//   samsung galaxy               one field: A1 B2 C1 D1 E1 F2 G0   any field: A2 B2 C2 D1 E1 F2 G0
//   samsung galaxy camera        one field: A2 B2 C1 D2 E1 F2 G0   any field: A3 B2 C2 D2 E1 F2 G0
//   samsung galaxy camera phone  one field: A2 B2 C1 D2 E1 F3 G1   any field: A4 B2 C2 D2 E1 F3 G1
#pragma once

#include <set>
#include <string>
#include <vector>

namespace ultrasearch::testing {

inline constexpr const char* kMultiMatchMappings =
    R"({"properties":{"name":{"type":"text","analyzer":"standard"},)"
    R"("description":{"type":"text","analyzer":"standard"}}})";

struct MultiMatchDocument {
  std::string id;
  std::string json;
};

inline std::vector<MultiMatchDocument> MultiMatchDocuments() {
  return {
      {"A", R"({"name":"Samsung phone","description":"Galaxy camera with zoom"})"},
      {"B", R"({"name":"Samsung Galaxy S23","description":"Android flagship"})"},
      {"C", R"({"name":"Galaxy Tab","description":"Samsung tablet"})"},
      {"D", R"({"name":"Apple iPhone","description":"A galaxy of colours and a great camera"})"},
      {"E", R"({"name":"Samsung fridge","description":"No frost"})"},
      {"F", R"({"name":"Pixel 8","description":"Samsung galaxy phone killer"})"},
      {"G", R"({"name":"Nokia 3310","description":"Cheap phone"})"},
  };
}

struct MultiMatchCase {
  std::string name;   // test name
  std::string query;
  std::string type;   // best_fields | most_fields | cross_fields
  std::string op;     // or | and
  std::string minimum_should_match;  // empty for none
  std::set<std::string> expected;
  std::string why;
};

inline std::vector<MultiMatchCase> MultiMatchCases() {
  const std::string q2 = "samsung galaxy", q3 = "samsung galaxy camera", q4 = "samsung galaxy camera phone";
  return {
      // Two words, split between the fields in A and C.
      {"TwoWordsBestFieldsOr", q2, "best_fields", "or", "", {"A", "B", "C", "D", "E", "F"}, "either word anywhere"},
      {"TwoWordsBestFieldsAnd", q2, "best_fields", "and", "", {"B", "F"}, "both words in one field: B name, F description"},
      {"TwoWordsMostFieldsAnd", q2, "most_fields", "and", "", {"B", "F"}, "per field, as best_fields"},
      {"TwoWordsCrossFieldsAnd", q2, "cross_fields", "and", "", {"A", "B", "C", "F"}, "each word in some field"},
      {"TwoWordsCrossFieldsOr", q2, "cross_fields", "or", "", {"A", "B", "C", "D", "E", "F"}, "either word"},
      {"TwoWordsBestFieldsMsm2", q2, "best_fields", "or", "2", {"B", "F"}, "2 words in one field"},
      {"TwoWordsMostFieldsMsm2", q2, "most_fields", "or", "2", {"B", "F"}, "2 words in one field"},
      {"TwoWordsCrossFieldsMsm2", q2, "cross_fields", "or", "2", {"A", "B", "C", "F"}, "2 words across fields"},
      {"TwoWordsBestFieldsMsmMinus1", q2, "best_fields", "or", "-1", {"A", "B", "C", "D", "E", "F"}, "2-1 = 1 word"},
      {"TwoWordsCrossFieldsMsm100Percent", q2, "cross_fields", "or", "100%", {"A", "B", "C", "F"}, "all words"},
      // Three words: A has one in its name and two in its description.
      {"ThreeWordsBestFieldsAnd", q3, "best_fields", "and", "", {}, "no single field has all three"},
      {"ThreeWordsMostFieldsAnd", q3, "most_fields", "and", "", {}, "no single field has all three"},
      {"ThreeWordsCrossFieldsAnd", q3, "cross_fields", "and", "", {"A"}, "only A has all three, across fields"},
      {"ThreeWordsBestFieldsMsm2", q3, "best_fields", "or", "2", {"A", "B", "D", "F"}, "2 in one field"},
      {"ThreeWordsMostFieldsMsm2", q3, "most_fields", "or", "2", {"A", "B", "D", "F"}, "2 in one field"},
      {"ThreeWordsCrossFieldsMsm2", q3, "cross_fields", "or", "2", {"A", "B", "C", "D", "F"}, "2 across fields"},
      {"ThreeWordsBestFields75Percent", q3, "best_fields", "or", "75%", {"A", "B", "D", "F"},
       "75% of 3 = 2.25, rounded down to 2, in one field"},
      {"ThreeWordsCrossFields75Percent", q3, "cross_fields", "or", "75%", {"A", "B", "C", "D", "F"},
       "75% of 3 rounds down to 2, across fields"},
      {"ThreeWordsCrossFieldsMsmMinus1", q3, "cross_fields", "or", "-1", {"A", "B", "C", "D", "F"}, "3-1 = 2"},
      {"ThreeWordsMostFieldsMsmMinus1", q3, "most_fields", "or", "-1", {"A", "B", "D", "F"}, "3-1 = 2 in one field"},
      {"ThreeWordsCrossFieldsMsm3", q3, "cross_fields", "or", "3", {"A"}, "all three across fields"},
      // Four words: F has three in its description; A has two in each field.
      {"FourWordsBestFields75Percent", q4, "best_fields", "or", "75%", {"F"}, "3 of 4 in one field"},
      {"FourWordsMostFields75Percent", q4, "most_fields", "or", "75%", {"F"}, "3 of 4 in one field"},
      {"FourWordsCrossFields75Percent", q4, "cross_fields", "or", "75%", {"A", "F"}, "3 of 4 across fields"},
      {"FourWordsBestFieldsMsmMinus1", q4, "best_fields", "or", "-1", {"F"}, "4-1 = 3 in one field"},
      {"FourWordsCrossFieldsMsmMinus1", q4, "cross_fields", "or", "-1", {"A", "F"}, "4-1 = 3 across fields"},
      {"FourWordsBestFieldsMinus25Percent", q4, "best_fields", "or", "-25%", {"F"},
       "25% of 4 = 1 may be missing: 3 in one field"},
      {"FourWordsBestFields50Percent", q4, "best_fields", "or", "50%", {"A", "B", "D", "F"}, "2 in one field"},
      {"FourWordsCrossFields50Percent", q4, "cross_fields", "or", "50%", {"A", "B", "C", "D", "F"}, "2 across"},
      {"FourWordsCrossFieldsAnd", q4, "cross_fields", "and", "", {"A"}, "all four across fields"},
      {"FourWordsMostFieldsAnd", q4, "most_fields", "and", "", {}, "no field has all four"},
      {"FourWordsBestFieldsOr", q4, "best_fields", "or", "", {"A", "B", "C", "D", "E", "F", "G"}, "any word"},
      {"FourWordsCrossFields25Percent", q4, "cross_fields", "or", "25%", {"A", "B", "C", "D", "E", "F", "G"},
       "25% of 4 = 1"},
  };
}

}  // namespace ultrasearch::testing
