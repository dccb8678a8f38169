// Random and mutated bodies to _search and _bulk: every answer is JSON with a 2xx or 4xx status,
// no connection is dropped, and the server stays up.
#include <random>

#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

class FuzzTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    std::string bulk;
    for (int i = 0; i < 20; ++i) {
      bulk += R"({"index":{"_index":"fuzz","_id":")" + std::to_string(i) + "\"}}\n";
      bulk += R"({"name":"item )" + std::to_string(i) + R"( choynak","brand":"b)" + std::to_string(i % 3) +
              R"(","price":)" + std::to_string(i * 10) + R"(,"tags":["t1","t2"],"in_stock":true})" "\n";
    }
    ASSERT_EQ(client().Post("/_bulk?refresh=true", bulk).status, 200);
  }

  // One request; checks the contract and returns false to stop early on a violation.
  bool Check(const std::string& target, const std::string& body) {
    auto r = client().Post(target, body);
    EXPECT_NE(r.status, 0) << "connection dropped: " << r.error << "\nbody: " << body.substr(0, 300);
    EXPECT_GE(r.status, 200) << body.substr(0, 300);
    EXPECT_LT(r.status, 500) << r.body << "\nbody: " << body.substr(0, 300);
    EXPECT_TRUE(r.IsJson()) << r.body.substr(0, 300) << "\nbody: " << body.substr(0, 300);
    return r.status >= 200 && r.status < 500 && r.IsJson();
  }

  std::mt19937 rng_{20240611};

  int Rand(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  std::string RandomJson(int depth) {
    static const char* kKeys[] = {"query", "bool", "must", "filter", "should", "must_not", "match", "term",
                                  "terms", "range", "gte", "lt", "from", "size", "sort", "name", "price",
                                  "brand", "multi_match", "fields", "operator", "fuzziness", "prefix",
                                  "exists", "field", "ids", "values", "match_phrase", "_source", "order",
                                  "track_total_hits", "post_filter", "minimum_should_match", "boost", "query"};
    static const char* kScalars[] = {"0", "1", "-1", "10001", "1.5", "1e308", "true", "false", "null", "\"\"",
                                     "\"choynak\"", "\"AUTO\"", "\"and\"", "\"desc\"", "\"price\"", "\"b1\"",
                                     "\"2023-01-01\"", "\"\\u0000\"", "\"Ўзбек\"", "99999999999999999999"};
    int kind = depth <= 0 ? 3 : Rand(4);
    if (kind == 0 || kind == 1) {
      std::string s = "{";
      int n = Rand(3) + (kind == 0 ? 1 : 0);
      for (int i = 0; i < n; ++i) {
        if (i) s += ",";
        s += '"';  // appended piecewise: GCC 12 warns falsely (-Wrestrict) on "x" + std::string
        s += kKeys[Rand(std::size(kKeys))];
        s += "\":";
        s += RandomJson(depth - 1);
      }
      return s + "}";
    }
    if (kind == 2) {
      std::string s = "[";
      int n = Rand(3);
      for (int i = 0; i < n; ++i) {
        if (i) s += ",";
        s += RandomJson(depth - 1);
      }
      return s + "]";
    }
    return kScalars[Rand(std::size(kScalars))];
  }

  std::string Mutate(std::string s) {
    static const char* kTokens[] = {"{", "}", "[", "]", "\"", ":", ",", "null", "-1", "1e999", "\"\\ud800\"",
                                    "{\"bool\":{}}", "\"match\"", "\xff", "\xc3", "true", "\n", "\\", "{}"};
    int rounds = 1 + Rand(4);
    for (int i = 0; i < rounds && !s.empty(); ++i) {
      std::size_t pos = static_cast<std::size_t>(Rand(static_cast<int>(s.size())));
      switch (Rand(5)) {
        case 0:
          s[pos] = static_cast<char>(Rand(256));
          break;
        case 1:
          s.erase(pos, static_cast<std::size_t>(Rand(8) + 1));
          break;
        case 2:
          s.insert(pos, s.substr(pos, static_cast<std::size_t>(Rand(16) + 1)));
          break;
        case 3:
          s.insert(pos, kTokens[Rand(std::size(kTokens))]);
          break;
        default:
          s.resize(pos);
          break;
      }
    }
    return s;
  }
};

TEST_F(FuzzTest, SearchBodies) {
  const std::vector<std::string> seeds = {
      R"({"query":{"match":{"name":"choynak"}}})",
      R"({"query":{"bool":{"must":[{"match":{"name":{"query":"item","operator":"and","fuzziness":"AUTO"}}}],"filter":[{"term":{"brand":"b1"}},{"range":{"price":{"gte":10,"lt":100}}}]}},"sort":[{"price":{"order":"desc"}}],"from":1,"size":5})",
      R"({"query":{"multi_match":{"query":"item choy","fields":["name^2","brand"],"type":"bool_prefix"}},"_source":["name"]})",
      R"({"query":{"terms":{"brand":["b0","b2"]}},"track_total_hits":true,"post_filter":{"exists":{"field":"price"}}})",
      R"({"query":{"match_phrase_prefix":{"name":"item 1"}},"sort":["_score",{"price":"asc"}]})",
      R"({"query":{"ids":{"values":["1","2"]}},"_source":{"includes":["n*"],"excludes":["tags"]}})",
  };
  for (const auto& seed : seeds) ASSERT_TRUE(Check("/fuzz/_search", seed));
  for (int i = 0; i < 1500; ++i) {
    std::string body = (i % 3 == 0) ? std::string(R"({"query":)").append(RandomJson(5)).append("}")
                                    : Mutate(seeds[i % seeds.size()]);
    if (i % 5 == 0) body = RandomJson(6);
    if (!Check(i % 2 ? "/fuzz/_search" : "/fuzz/_count", body)) break;
  }
  EXPECT_TRUE(server().Alive());
  EXPECT_EQ(client().Get("/health").status, 200);
}

TEST_F(FuzzTest, BulkBodies) {
  const std::vector<std::string> seeds = {
      "{\"index\":{\"_index\":\"fuzz\",\"_id\":\"x1\"}}\n{\"name\":\"a\",\"price\":1}\n"
      "{\"create\":{\"_index\":\"fuzz\",\"_id\":\"x2\"}}\n{\"name\":\"b\"}\n"
      "{\"update\":{\"_index\":\"fuzz\",\"_id\":\"x1\"}}\n{\"doc\":{\"price\":2}}\n"
      "{\"delete\":{\"_index\":\"fuzz\",\"_id\":\"x2\"}}\n",
      "{\"index\":{\"_index\":\"fuzz\"}}\n{\"name\":\"auto\",\"tags\":[\"q\"],\"attributes\":{\"c\":\"red\"}}\n",
  };
  for (const auto& seed : seeds) ASSERT_TRUE(Check("/_bulk", seed));
  for (int i = 0; i < 1500; ++i) {
    std::string body = Mutate(seeds[i % seeds.size()]);
    if (i % 7 == 0) body = "{\"index\":{\"_index\":\"fuzz\"}}\n" + RandomJson(4) + "\n";
    if (!Check(i % 2 ? "/_bulk" : "/fuzz/_bulk", body)) break;
  }
  EXPECT_TRUE(server().Alive());
  EXPECT_EQ(client().Get("/health").status, 200);
}

}  // namespace
}  // namespace ultrasearch::testing
