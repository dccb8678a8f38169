// dis_max, constant_score, boosting, function_score, query_string, simple_query_string, wildcard,
// combined_fields, min_score, collapse and explain over real HTTP. Expected scores are worked out
// by hand from Elasticsearch's documented formulas (constant_score and weights give known
// scores, so no BM25 figure is needed).
#include <cmath>

#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;

class CompoundQueryTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (client().Send("HEAD", "/shop").status == 200) return;
    auto created = client().Put("/shop", R"({"mappings":{"properties":{
        "name":{"type":"text"},"description":{"type":"text"},"brand":{"type":"keyword"},
        "price":{"type":"double"},"popularity":{"type":"long"},"released":{"type":"date"}}}})");
    ASSERT_EQ(created.status, 200) << created.body;
    const std::string bulk =
        R"({"index":{"_index":"shop","_id":"p1"}})" "\n"
        R"({"name":"qizil kitob","description":"bolalar uchun","brand":"acme","price":100,"popularity":10,"released":"2024-01-01"})" "\n"
        R"({"index":{"_index":"shop","_id":"p2"}})" "\n"
        R"({"name":"kitob","description":"qizil daftar","brand":"acme","price":150,"popularity":100,"released":"2024-01-11"})" "\n"
        R"({"index":{"_index":"shop","_id":"p3"}})" "\n"
        R"({"name":"daftar","description":"kitob bilan","brand":"zeta","price":200,"popularity":1,"released":"2024-01-21"})" "\n"
        R"({"index":{"_index":"shop","_id":"p4"}})" "\n"
        R"({"name":"qalam","description":"yashil","brand":"zeta","price":50,"released":"2023-12-22"})" "\n"
        R"({"index":{"_index":"shop","_id":"p5"}})" "\n"
        R"({"name":"qizil qalam","description":"arzon","brand":"beta","price":300,"popularity":5})" "\n";
    auto r = client().Post("/_bulk?refresh=true", bulk);
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_FALSE(r.Json().at("errors").as_bool()) << r.body;
  }

  HttpResponse Search(const std::string& body) { return client().Post("/shop/_search", body); }

  // id → _score of every hit.
  static std::map<std::string, double> Scores(const HttpResponse& r) {
    std::map<std::string, double> out;
    const json::value v = r.Json();
    for (const auto& h : v.at("hits").at("hits").as_array()) {
      out[std::string(h.at("_id").as_string())] = h.at("_score").to_number<double>();
    }
    return out;
  }
  static int64_t Total(const HttpResponse& r) { return r.Json().at("hits").at("total").at("value").to_number<int64_t>(); }

  static void ExpectScores(const HttpResponse& r, const std::map<std::string, double>& expected) {
    ASSERT_EQ(r.status, 200) << r.body;
    auto got = Scores(r);
    ASSERT_EQ(got.size(), expected.size()) << r.body;
    for (const auto& [id, score] : expected) {
      ASSERT_TRUE(got.count(id)) << id << " missing: " << r.body;
      EXPECT_NEAR(got[id], score, 1e-4) << id;
    }
    // Best first.
    double previous = INFINITY;
    const json::value v = r.Json();
    for (const auto& h : v.at("hits").at("hits").as_array()) {
      double s = h.at("_score").to_number<double>();
      EXPECT_LE(s, previous + 1e-9) << r.body;
      previous = s;
    }
  }
};

TEST_F(CompoundQueryTest, FieldValueFactorReplacesTheScore) {
  // log1p: log10(1 + popularity); p4 has none and takes missing = 0.
  auto r = Search(R"({"query":{"function_score":{"query":{"match_all":{}},
      "field_value_factor":{"field":"popularity","modifier":"log1p","missing":0},"boost_mode":"replace"}}})");
  ExpectScores(r, {{"p1", std::log10(11.0)}, {"p2", std::log10(101.0)}, {"p3", std::log10(2.0)}, {"p4", 0.0},
                   {"p5", std::log10(6.0)}});
  EXPECT_EQ(HitIds(r), (std::vector<std::string>{"p2", "p1", "p5", "p3", "p4"}));
  EXPECT_NEAR(r.Json().at("hits").at("max_score").to_number<double>(), std::log10(101.0), 1e-4);

  // factor 2, square, times the match_all score of 1 (boost_mode multiply).
  auto squared = Search(R"({"query":{"function_score":{"query":{"term":{"brand":"zeta"}},
      "functions":[{"field_value_factor":{"field":"popularity","factor":2,"modifier":"square","missing":3}}],
      "boost_mode":"replace"}}})");
  ExpectScores(squared, {{"p3", 4.0}, {"p4", 36.0}});

  // Without `missing`, a document lacking the field fails the search, as in Elasticsearch.
  auto missing = Search(R"({"query":{"function_score":{"field_value_factor":{"field":"popularity"}}}})");
  EXPECT_EQ(missing.status, 400) << missing.body;
  EXPECT_NE(missing.body.find("Missing value for field [popularity]"), std::string::npos) << missing.body;
}

TEST_F(CompoundQueryTest, DecayFunctionsOnNumbersAndDates) {
  // At one scale from the origin every decay gives `decay` (0.5); at two scales gauss gives
  // 0.5^4, exp 0.5^2 and linear 0.
  auto gauss = Search(R"({"query":{"function_score":{"gauss":{"price":{"origin":100,"scale":50}},
      "boost_mode":"replace"}}})");
  ExpectScores(gauss, {{"p1", 1.0}, {"p2", 0.5}, {"p3", 0.0625}, {"p4", 0.5}, {"p5", std::pow(0.5, 16)}});
  auto exp = Search(R"({"query":{"function_score":{"exp":{"price":{"origin":"100","scale":"50","decay":0.5}},
      "boost_mode":"replace"}}})");
  ExpectScores(exp, {{"p1", 1.0}, {"p2", 0.5}, {"p3", 0.25}, {"p4", 0.5}, {"p5", 0.0625}});
  auto linear = Search(R"({"query":{"function_score":{"linear":{"price":{"origin":100,"scale":50}},
      "boost_mode":"replace"}}})");
  ExpectScores(linear, {{"p1", 1.0}, {"p2", 0.5}, {"p3", 0.0}, {"p4", 0.5}, {"p5", 0.0}});
  // offset: no decay within 50 of the origin.
  auto offset = Search(R"({"query":{"function_score":{"gauss":{"price":{"origin":150,"scale":50,"offset":50}},
      "boost_mode":"replace"}}})");
  ExpectScores(offset, {{"p1", 1.0}, {"p2", 1.0}, {"p3", 1.0}, {"p4", 0.5}, {"p5", 0.0625}});
  // Dates: scale in days; p5 has no date and scores 1.
  auto dates = Search(R"({"query":{"function_score":{"gauss":{"released":{"origin":"2024-01-01","scale":"10d"}},
      "boost_mode":"replace"}}})");
  ExpectScores(dates, {{"p1", 1.0}, {"p2", 0.5}, {"p3", 0.0625}, {"p4", 0.5}, {"p5", 1.0}});
}

TEST_F(CompoundQueryTest, WeightsWithFiltersAndScoreModes) {
  // The query scores 2 everywhere; acme earns weight 3, price <= 150 weight 5.
  auto run = [&](const std::string& score_mode, const std::string& boost_mode, const std::string& extra = "") {
    return Search(R"({"query":{"function_score":{"query":{"constant_score":{"filter":{"match_all":{}},"boost":2}},
        "functions":[{"filter":{"term":{"brand":"acme"}},"weight":3},{"filter":{"range":{"price":{"lte":150}}},"weight":5}],
        "score_mode":")" + score_mode + R"(","boost_mode":")" + boost_mode + "\"" + extra + "}}}");
  };
  // sum: p1, p2 both (8), p4 cheap only (5), p3 and p5 none (the factor is then 1).
  ExpectScores(run("sum", "multiply"), {{"p1", 16}, {"p2", 16}, {"p3", 2}, {"p4", 10}, {"p5", 2}});
  ExpectScores(run("multiply", "multiply"), {{"p1", 30}, {"p2", 30}, {"p3", 2}, {"p4", 10}, {"p5", 2}});
  ExpectScores(run("max", "sum"), {{"p1", 7}, {"p2", 7}, {"p3", 3}, {"p4", 7}, {"p5", 3}});
  ExpectScores(run("first", "replace"), {{"p1", 3}, {"p2", 3}, {"p3", 1}, {"p4", 5}, {"p5", 1}});
  // avg is weighted by the weights: (3 + 5) / (3 + 5).
  ExpectScores(run("avg", "multiply"), {{"p1", 2}, {"p2", 2}, {"p3", 2}, {"p4", 2}, {"p5", 2}});
  // max_boost caps the functions' score before it is combined.
  ExpectScores(run("sum", "multiply", R"(,"max_boost":4)"), {{"p1", 8}, {"p2", 8}, {"p3", 2}, {"p4", 8}, {"p5", 2}});
  // min_score drops documents below it (before the query's own boost) and from the total.
  auto min_score = run("sum", "multiply", R"(,"min_score":10)");
  ExpectScores(min_score, {{"p1", 16}, {"p2", 16}, {"p4", 10}});
  EXPECT_EQ(Total(min_score), 3);
}

TEST_F(CompoundQueryTest, DisMaxConstantScoreAndBoosting) {
  const std::string dis_max = R"({"dis_max":{"tie_breaker":0.5,"queries":[
      {"constant_score":{"filter":{"term":{"brand":"acme"}},"boost":3}},
      {"constant_score":{"filter":{"range":{"price":{"lte":100}}}}}]}})";
  // p1 matches both: 3 + 0.5 * 1.
  auto r = Search(R"({"query":)" + dis_max + "}");
  ExpectScores(r, {{"p1", 3.5}, {"p2", 3}, {"p4", 1}});
  EXPECT_EQ(HitIds(r), (std::vector<std::string>{"p1", "p2", "p4"}));
  EXPECT_EQ(Total(r), 3);

  auto constant = Search(R"({"query":{"constant_score":{"filter":{"term":{"brand":"zeta"}},"boost":1.5}}})");
  ExpectScores(constant, {{"p3", 1.5}, {"p4", 1.5}});

  auto boosting = Search(R"({"query":{"boosting":{"positive":{"constant_score":{"filter":{"exists":{"field":"name"}},"boost":2}},
      "negative":{"term":{"brand":"acme"}},"negative_boost":0.25}}})");
  ExpectScores(boosting, {{"p1", 0.5}, {"p2", 0.5}, {"p3", 2}, {"p4", 2}, {"p5", 2}});

  // Nested in bool: the combinators' scores add up like any clause's.
  auto nested = Search(R"({"query":{"bool":{"must":[)" + dis_max +
                       R"(],"filter":[{"term":{"brand":"acme"}}],"boost":2}}})");
  ExpectScores(nested, {{"p1", 7}, {"p2", 6}});
}

TEST_F(CompoundQueryTest, TopLevelMinScore) {
  const std::string dis_max = R"({"dis_max":{"tie_breaker":0.5,"queries":[
      {"constant_score":{"filter":{"term":{"brand":"acme"}},"boost":3}},
      {"constant_score":{"filter":{"range":{"price":{"lte":100}}}}}]}})";
  auto r = Search(R"({"min_score":3.2,"query":)" + dis_max + "}");
  ExpectScores(r, {{"p1", 3.5}});
  EXPECT_EQ(Total(r), 1);
  // Scored by Xapian alone (no rescoring): the weight cutoff.
  auto plain = Search(R"({"min_score":1,"query":{"constant_score":{"filter":{"term":{"brand":"zeta"}},"boost":1.5}}})");
  ExpectScores(plain, {{"p3", 1.5}, {"p4", 1.5}});
  auto none = Search(R"({"min_score":2,"query":{"constant_score":{"filter":{"term":{"brand":"zeta"}},"boost":1.5}}})");
  ExpectScores(none, {});
  EXPECT_EQ(Total(none), 0);
  // The engine refuses it with a field sort (no score to compare): a failed query phase.
  auto sorted = Search(R"({"min_score":1,"sort":[{"price":"asc"}]})");
  ExpectError(sorted, 400, "search_phase_execution_exception");
}

TEST_F(CompoundQueryTest, CollapseKeepsTheBestHitPerValue) {
  auto r = Search(R"({"collapse":{"field":"brand"},"query":{"dis_max":{"tie_breaker":0.5,"queries":[
      {"constant_score":{"filter":{"term":{"brand":"acme"}},"boost":3}},
      {"constant_score":{"filter":{"range":{"price":{"lte":100}}}}}]}}})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(HitIds(r), (std::vector<std::string>{"p1", "p4"}));
  EXPECT_EQ(Total(r), 3);  // Elasticsearch counts the hits, not the groups
  const json::value v = r.Json();
  const auto& hits = v.at("hits").at("hits").as_array();
  EXPECT_EQ(hits[0].at("fields"), json::parse(R"({"brand":["acme"]})"));
  EXPECT_EQ(hits[1].at("fields"), json::parse(R"({"brand":["zeta"]})"));

  ExpectError(Search(R"({"collapse":{"field":"brand","inner_hits":{"name":"x"}}})"), 400, "illegal_argument_exception");
  auto text = Search(R"({"collapse":{"field":"name"}})");
  ExpectError(text, 400, "search_phase_execution_exception");
  EXPECT_NE(text.body.find("only keywords"), std::string::npos) << text.body;
}

TEST_F(CompoundQueryTest, ExplainDescribesEachHitsScore) {
  auto r = Search(R"({"explain":true,"query":{"dis_max":{"tie_breaker":0.5,"queries":[
      {"constant_score":{"filter":{"term":{"brand":"acme"}},"boost":3}},
      {"constant_score":{"filter":{"range":{"price":{"lte":100}}}}}]}}})");
  ASSERT_EQ(r.status, 200) << r.body;
  const json::value v = r.Json();
  const auto& first = v.at("hits").at("hits").at(0).as_object();
  EXPECT_EQ(first.at("_id").as_string(), "p1");
  const auto& e = first.at("_explanation").as_object();
  EXPECT_NEAR(e.at("value").to_number<double>(), 3.5, 1e-9);
  EXPECT_EQ(e.at("description").as_string(), "max plus 0.5 times others of:");
  ASSERT_EQ(e.at("details").as_array().size(), 2u);
  EXPECT_NEAR(e.at("details").at(0).at("value").to_number<double>(), 3, 1e-9);
  EXPECT_NEAR(e.at("details").at(1).at("value").to_number<double>(), 1, 1e-9);

  // A plain query: one node with the score Xapian computed.
  auto plain = Search(R"({"explain":true,"query":{"match":{"name":"kitob"}}})");
  ASSERT_EQ(plain.status, 200) << plain.body;
  const json::value plain_body = plain.Json();
  for (const auto& h : plain_body.at("hits").at("hits").as_array()) {
    EXPECT_NEAR(h.at("_explanation").at("value").to_number<double>(), h.at("_score").to_number<double>(), 1e-9);
    EXPECT_TRUE(h.at("_explanation").at("details").is_array());
  }
}

TEST_F(CompoundQueryTest, QueryStringCommonSyntax) {
  auto ids = [&](const std::string& query, const std::string& extra = R"(,"fields":["name"])") {
    auto r = Search(R"({"query":{"query_string":{"query":)" + json::serialize(json::value(query)) + extra + "}}}");
    EXPECT_EQ(r.status, 200) << r.body;
    auto v = HitIds(r);
    std::sort(v.begin(), v.end());
    return v;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(ids("kitob AND NOT qizil"), (V{"p2"}));
  EXPECT_EQ(ids("+kitob -qizil"), (V{"p2"}));
  EXPECT_EQ(ids("name:qalam OR name:daftar", ""), (V{"p3", "p4", "p5"}));
  EXPECT_EQ(ids("qalam daftar"), (V{"p3", "p4", "p5"}));  // default_operator OR
  EXPECT_EQ(ids("qizil qalam", R"(,"fields":["name"],"default_operator":"AND")"), (V{"p5"}));
  EXPECT_EQ(ids("\"qizil kitob\""), (V{"p1"}));
  EXPECT_EQ(ids("kit*"), (V{"p1", "p2"}));
  EXPECT_EQ(ids("kitop~1"), (V{"p1", "p2"}));
  EXPECT_EQ(ids("brand:zeta", ""), (V{"p3", "p4"}));
  // Boosted field: a description match counts less than a name match.
  auto boosted = Search(R"({"query":{"query_string":{"query":"daftar","fields":["name^3","description"]}}})");
  EXPECT_EQ(HitIds(boosted), (V{"p3", "p2"}));

  auto grouped = Search(R"({"query":{"query_string":{"query":"(kitob OR qalam) AND qizil"}}})");
  auto error = ExpectError(grouped, 400, "illegal_argument_exception");
  EXPECT_NE(Reason(grouped).find("parentheses"), std::string::npos) << grouped.body;
  ExpectError(Search(R"({"query":{"query_string":{"query":"price:[1 TO 5]"}}})"), 400, "illegal_argument_exception");
  ExpectError(Search(R"({"query":{"query_string":{"query":"kitob","quote_analyzer":"x"}}})"), 400, "parsing_exception");
}

TEST_F(CompoundQueryTest, SimpleQueryString) {
  auto ids = [&](const std::string& query) {
    auto r = Search(R"({"query":{"simple_query_string":{"fields":["name"],"query":)" +
                    json::serialize(json::value(query)) + "}}}");
    EXPECT_EQ(r.status, 200) << r.body;
    auto v = HitIds(r);
    std::sort(v.begin(), v.end());
    return v;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(ids("kitob -qizil"), (V{"p2"}));
  EXPECT_EQ(ids("qalam | daftar"), (V{"p3", "p4", "p5"}));
  EXPECT_EQ(ids("qizil + qalam"), (V{"p5"}));
  EXPECT_EQ(ids("AND"), (V{}));  // a word here, not an operator
  EXPECT_EQ(ids("\"qizil qalam\""), (V{"p5"}));
}

TEST_F(CompoundQueryTest, WildcardCombinedFieldsAndMatchOptions) {
  auto ids = [&](const std::string& query) {
    auto r = Search(R"({"query":)" + query + "}");
    EXPECT_EQ(r.status, 200) << r.body;
    auto v = HitIds(r);
    std::sort(v.begin(), v.end());
    return v;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(ids(R"({"wildcard":{"brand":{"value":"a?m*"}}})"), (V{"p1", "p2"}));
  EXPECT_EQ(ids(R"({"wildcard":{"brand":"*eta"}})"), (V{"p3", "p4", "p5"}));
  EXPECT_EQ(ids(R"({"wildcard":{"brand":{"value":"ACME"}}})"), (V{}));
  EXPECT_EQ(ids(R"({"wildcard":{"brand":{"value":"ACME","case_insensitive":true}}})"), (V{"p1", "p2"}));
  EXPECT_EQ(ids(R"({"wildcard":{"name":{"wildcard":"qiz?l"}}})"), (V{"p1", "p5"}));
  // Each word in any of the fields, all words required.
  EXPECT_EQ(ids(R"({"combined_fields":{"query":"qizil daftar","fields":["name","description"],"operator":"and"}})"),
            (V{"p2"}));
  // zero_terms_query: text that analyses to nothing matches all documents with "all".
  EXPECT_EQ(ids(R"({"match":{"name":{"query":"!!!","zero_terms_query":"all"}}})"), (V{"p1", "p2", "p3", "p4", "p5"}));
  EXPECT_EQ(ids(R"({"match":{"name":{"query":"!!!","zero_terms_query":"none"}}})"), (V{}));
  EXPECT_EQ(ids(R"({"match":{"name":{"query":"kitob","lenient":true,"auto_generate_synonyms_phrase_query":false}}})"),
            (V{"p1", "p2"}));
}

TEST_F(CompoundQueryTest, UnsupportedOptionsAnswer400NamingThem) {
  auto random = Search(R"({"query":{"function_score":{"random_score":{}}}})");
  ExpectError(random, 400, "illegal_argument_exception");
  EXPECT_NE(Reason(random).find("random_score"), std::string::npos) << random.body;
  auto unknown = Search(R"({"query":{"function_score":{"query":{"match_all":{}},"decay_everything":1}}})");
  ExpectError(unknown, 400, "parsing_exception");
  EXPECT_NE(Reason(unknown).find("decay_everything"), std::string::npos) << unknown.body;
  auto mode = Search(R"({"query":{"function_score":{"score_mode":"median"}}})");
  ExpectError(mode, 400, "parsing_exception");
  auto dis_max = Search(R"({"query":{"dis_max":{"queries":[],"shuffle":true}}})");
  ExpectError(dis_max, 400, "parsing_exception");
  EXPECT_NE(Reason(dis_max).find("shuffle"), std::string::npos);
  ExpectError(Search(R"({"query":{"boosting":{"positive":{"match_all":{}},"negative":{"match_all":{}}}}})"), 400,
              "parsing_exception");
  ExpectError(Search(R"({"query":{"gauss":{}}})"), 400, "parsing_exception");
}

}  // namespace
}  // namespace ultrasearch::testing
