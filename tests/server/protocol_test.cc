// Elasticsearch's protocol details over real HTTP: ?pretty, filter_path, X-Opaque-Id, gzip request
// and reply bodies, DELETE ?ignore_unavailable, and the compatible-with vendor media types.
#include <zlib.h>

#include "server/gzip_reference.h"
#include "server/server_fixture.h"

namespace ultrasearch::testing {
namespace {

namespace json = boost::json;


// `n` zero bytes gzipped, without holding them in memory: a compression bomb.
std::string GzipZeros(std::size_t n) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string zeros(1 << 20, '\0'), out;
  char buf[1 << 16];
  while (true) {
    std::size_t chunk = std::min(n, zeros.size());
    n -= chunk;
    zs.next_in = reinterpret_cast<Bytef*>(zeros.data());
    zs.avail_in = static_cast<uInt>(chunk);
    int flush = n == 0 ? Z_FINISH : Z_NO_FLUSH;
    int rc;
    do {
      zs.next_out = reinterpret_cast<Bytef*>(buf);
      zs.avail_out = sizeof(buf);
      rc = deflate(&zs, flush);
      out.append(buf, sizeof(buf) - zs.avail_out);
    } while (zs.avail_out == 0);
    if (flush == Z_FINISH) {
      EXPECT_EQ(rc, Z_STREAM_END);
      break;
    }
  }
  deflateEnd(&zs);
  return out;
}

std::string Gunzip(std::string_view in) {
  z_stream zs{};
  EXPECT_EQ(inflateInit2(&zs, 15 + 16), Z_OK);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buf[1 << 16];
  int rc;
  do {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof(buf);
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof(buf) - zs.avail_out);
  } while (rc == Z_OK);
  EXPECT_EQ(rc, Z_STREAM_END) << "not a complete gzip stream";
  inflateEnd(&zs);
  return out;
}

json::value Parse(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  EXPECT_FALSE(ec) << text;
  return v;
}

class ProtocolTest : public ServerTest {
 protected:
  static void SetUpTestSuite() {
    ServerTest::SetUpTestSuite();
    if (!server_->started()) return;
    HttpClient c(server_->port());
    auto mapping = c.Put("/shop", R"({"mappings":{"properties":{"name":{"type":"text"},"tags":{"type":"keyword"},"price":{"type":"double"}}}})");
    EXPECT_EQ(mapping.status, 200) << mapping.body;
    std::string bulk;
    auto add = [&](const std::string& id, const std::string& doc) {
      bulk += R"({"index":{"_index":"shop","_id":")" + id + "\"}}\n" + doc + "\n";
    };
    add("1", R"({"name":"Samsung telefon","tags":["phone","android"],"price":799,"attrs":{"color":"black","size":{"eu":40,"us":7}}})");
    add("2", R"({"name":"Apple telefon","tags":["phone"],"price":999,"attrs":{"color":"white"}})");
    add("3", R"({"name":"Artel choynak","tags":["kitchen"],"price":30})");
    add("empty", R"({})");
    auto r = c.Post("/_bulk?refresh=true", bulk);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Json().at("errors"), false) << r.body;
  }

  HttpResponse SearchByPrice(const std::string& params) {
    return client().Post("/shop/_search?" + params,
                         R"({"query":{"exists":{"field":"price"}},"sort":[{"price":"asc"}],"aggs":{"by_tag":{"terms":{"field":"tags"}}}})");
  }
};

TEST_F(ProtocolTest, PrettyIndentsAsElasticsearch) {
  auto r = client().Delete("/missing-index?ignore_unavailable=true&pretty");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "{\n  \"acknowledged\" : true\n}\n");

  auto hits = SearchByPrice("filter_path=hits.hits._id&pretty=true");
  ASSERT_EQ(hits.status, 200) << hits.body;
  EXPECT_EQ(hits.body,
            "{\n"
            "  \"hits\" : {\n"
            "    \"hits\" : [\n"
            "      {\n"
            "        \"_id\" : \"3\"\n"
            "      },\n"
            "      {\n"
            "        \"_id\" : \"1\"\n"
            "      },\n"
            "      {\n"
            "        \"_id\" : \"2\"\n"
            "      }\n"
            "    ]\n"
            "  }\n"
            "}\n");

  auto empty = client().Get("/shop/_doc/empty?pretty&filter_path=_source,found");
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_EQ(empty.body, "{\n  \"found\" : true,\n  \"_source\" : { }\n}\n");

  // The same content as the compact reply, whatever the endpoint.
  auto compact = client().Get("/shop/_doc/1");
  auto pretty = client().Get("/shop/_doc/1?pretty");
  EXPECT_EQ(compact.body.find('\n'), std::string::npos) << compact.body;
  EXPECT_NE(pretty.body.find("\n  \"_source\" : {\n    \"name\" : \"Samsung telefon\",\n"), std::string::npos)
      << pretty.body;
  EXPECT_EQ(Parse(pretty.body), Parse(compact.body));
  EXPECT_EQ(client().Get("/shop/_doc/1?pretty=false").body, compact.body);
}

TEST_F(ProtocolTest, PrettyErrors) {
  auto r = client().Get("/nope/_doc/1?pretty");
  ExpectError(r, 404, "index_not_found_exception");
  EXPECT_EQ(r.body.rfind("{\n  \"error\" : {\n    \"root_cause\" : [\n      {\n", 0), 0u) << r.body;
  EXPECT_EQ(r.body.back(), '\n');
}

TEST_F(ProtocolTest, FilterPathIncludes) {
  auto r = SearchByPrice("filter_path=hits.hits._id,hits.total.value");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json(), Parse(R"({"hits":{"total":{"value":3},"hits":[{"_id":"3"},{"_id":"1"},{"_id":"2"}]}})"));

  // Arrays are transparent; `**` reaches any depth; buckets keep only their keys.
  auto keys = SearchByPrice("filter_path=aggregations.**.key");
  ASSERT_EQ(keys.status, 200) << keys.body;
  EXPECT_EQ(keys.Json(),
            Parse(R"({"aggregations":{"by_tag":{"buckets":[{"key":"phone"},{"key":"android"},{"key":"kitchen"}]}}})"));

  // `*` within a step; an array of scalars matched whole.
  auto doc = client().Get("/shop/_doc/1?filter_path=_sour*.attrs.*.eu,_source.tags,_id");
  ASSERT_EQ(doc.status, 200) << doc.body;
  EXPECT_EQ(doc.Json(), Parse(R"({"_id":"1","_source":{"tags":["phone","android"],"attrs":{"size":{"eu":40}}}})"));
  EXPECT_EQ(client().Get("/shop/_doc/1?filter_path=**.us").Json(),
            Parse(R"({"_source":{"attrs":{"size":{"us":7}}}})"));
  EXPECT_EQ(client().Get("/shop/_doc/1?filter_path=*.attrs.color").Json(),
            Parse(R"({"_source":{"attrs":{"color":"black"}}})"));
  // A whole object matched keeps everything under it.
  EXPECT_EQ(client().Get("/shop/_doc/1?filter_path=_source.attrs").Json(),
            Parse(R"({"_source":{"attrs":{"color":"black","size":{"eu":40,"us":7}}}})"));
  // Document 2 has no size: nothing matches, and the emptied objects go too.
  EXPECT_EQ(client().Get("/shop/_doc/2?filter_path=_source.attrs.size.eu").body, "{}");
  EXPECT_EQ(client().Get("/shop/_doc/2?filter_path=nothing.here").body, "{}");
}

TEST_F(ProtocolTest, FilterPathExcludes) {
  auto r = SearchByPrice("filter_path=-took,-timed_out,-_shards,-aggregations,-hits.hits._score,-hits.hits.sort,"
                         "-hits.hits._source,-hits.hits._index,-hits.max_score");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json(), Parse(R"({"hits":{"total":{"value":3,"relation":"eq"},"hits":[{"_id":"3"},{"_id":"1"},{"_id":"2"}]}})"));

  // Removing the only fields of an object drops the object.
  auto doc = client().Get("/shop/_doc/1?filter_path=-_source.attrs.size.*,-_source.attrs.color");
  ASSERT_EQ(doc.status, 200) << doc.body;
  auto source = doc.Json().at("_source").as_object();
  EXPECT_FALSE(source.contains("attrs")) << doc.body;
  EXPECT_EQ(source.at("name"), "Samsung telefon");
  // An object that was already empty is not removed by exclusions elsewhere.
  EXPECT_EQ(client().Get("/shop/_doc/empty?filter_path=-_index,-_version,-_seq_no,-_primary_term,-found").Json(),
            Parse(R"({"_id":"empty","_source":{}})"));

  // Exclusions first, then inclusions.
  EXPECT_EQ(client().Get("/shop/_doc/1?filter_path=_source.attrs,-_source.attrs.size").Json(),
            Parse(R"({"_source":{"attrs":{"color":"black"}}})"));
  EXPECT_EQ(client().Get("/shop/_doc/1?filter_path=-**").body, "{}");
}

TEST_F(ProtocolTest, FilterPathLeavesErrorsWhole) {
  // Elasticsearch builds error replies without the request's filters.
  auto r = client().Get("/nope/_doc/1?filter_path=status");
  auto error = ExpectError(r, 404, "index_not_found_exception");
  EXPECT_EQ(error.at("index"), "nope");
  ExpectError(client().Post("/shop/_search?filter_path=-error", R"({"query":{"foo":{}}})"), 400, "parsing_exception");
}

TEST_F(ProtocolTest, OpaqueIdEchoed) {
  Headers id = {{"X-Opaque-Id", "checkout-42"}};
  EXPECT_EQ(client().Send("GET", "/shop/_doc/1", "", id).Header("X-Opaque-Id"), "checkout-42");
  auto write = client().Send("PUT", "/shop/_doc/opaque", R"({"name":"x"})", id);  // the write pool's path
  EXPECT_EQ(write.status, 201) << write.body;
  EXPECT_EQ(write.Header("X-Opaque-Id"), "checkout-42");
  auto error = client().Send("GET", "/nope/_search", "", id);
  EXPECT_EQ(error.status, 404);
  EXPECT_EQ(error.Header("X-Opaque-Id"), "checkout-42");
  EXPECT_EQ(client().Get("/shop/_doc/1").Header("X-Opaque-Id"), "");
}

TEST_F(ProtocolTest, GzipRequestBodies) {
  Headers gz = {{"Content-Encoding", "gzip"}};
  auto put = client().Send("PUT", "/gz/_doc/1?refresh=true", Gzip(R"({"name":"gzipped telefon","price":5})"), gz);
  ASSERT_EQ(put.status, 201) << put.body;
  EXPECT_EQ(client().Get("/gz/_doc/1").Json().at("_source"), Parse(R"({"name":"gzipped telefon","price":5})"));

  std::string bulk = R"({"index":{"_index":"gz","_id":"2"}})" "\n" R"({"name":"bulk telefon"})" "\n"
                     R"({"index":{"_index":"gz","_id":"3"}})" "\n" R"({"name":"bulk choynak"})" "\n";
  auto b = client().Send("POST", "/_bulk?refresh=true", Gzip(bulk),
                         {{"Content-Encoding", "gzip"}, {"Content-Type", "application/x-ndjson"}});
  ASSERT_EQ(b.status, 200) << b.body;
  EXPECT_EQ(b.Json().at("errors"), false) << b.body;

  auto search = client().Send("POST", "/gz/_search", Gzip(R"({"query":{"match":{"name":"telefon"}}})"), gz);
  ASSERT_EQ(search.status, 200) << search.body;
  EXPECT_EQ(search.Json().at("hits").at("total").at("value"), 2);

  // Two concatenated gzip members are one body (RFC 1952); zlib-wrapped deflate is read too.
  std::string doc = R"({"name":"two members"})";
  auto members = client().Send("PUT", "/gz/_doc/4", Gzip(doc.substr(0, 9)) + Gzip(doc.substr(9)), gz);
  EXPECT_EQ(members.status, 201) << members.body;
  auto deflated = client().Send("PUT", "/gz/_doc/5", Deflate(R"({"name":"deflate"})", 15), {{"Content-Encoding", "deflate"}});
  EXPECT_EQ(deflated.status, 201) << deflated.body;
  EXPECT_EQ(client().Get("/gz/_doc/5").Json().at("_source").at("name"), "deflate");
}

TEST_F(ProtocolTest, CorruptGzipChangesNothing) {
  Headers gz = {{"Content-Encoding", "gzip"}};
  std::string body = Gzip(R"({"name":"never stored"})");
  std::string flipped = body;
  flipped[flipped.size() / 2] ^= 0x55;
  ExpectError(client().Send("PUT", "/gzbad/_doc/1", flipped, gz), 400, "illegal_argument_exception");
  ExpectError(client().Send("PUT", "/gzbad/_doc/1", body.substr(0, body.size() - 6), gz), 400,
              "illegal_argument_exception");  // truncated
  ExpectError(client().Send("PUT", "/gzbad/_doc/1", R"({"name":"plain"})", gz), 400, "illegal_argument_exception");
  ExpectError(client().Send("PUT", "/gzbad/_doc/1", body, {{"Content-Encoding", "br"}}), 400,
              "illegal_argument_exception");
  // The index a successful write would have created does not exist.
  EXPECT_EQ(client().Send("HEAD", "/gzbad").status, 404);
}

TEST_F(ProtocolTest, GzipBombStopsAtTheBodyLimit) {
  // 150 MB of zeros (over the 100 MB default limit) in about 150 KB.
  std::string bomb = GzipZeros(150u << 20);
  ASSERT_LT(bomb.size(), 1u << 20);
  auto r = client().Send("PUT", "/bomb/_doc/1", bomb, {{"Content-Encoding", "gzip"}});
  ExpectError(r, 413, "content_too_long_exception");
  EXPECT_NE(Reason(r).find("104857600"), std::string::npos) << r.body;
  EXPECT_EQ(client().Send("HEAD", "/bomb").status, 404);
  EXPECT_TRUE(server().Alive());
}

TEST_F(ProtocolTest, GzipReplies) {
  auto plain = client().Get("/shop/_doc/1");
  ASSERT_EQ(plain.status, 200);
  EXPECT_EQ(plain.Header("Content-Encoding"), "");

  auto r = client().Send("GET", "/shop/_doc/1", "", {{"Accept-Encoding", "gzip, deflate"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Content-Encoding"), "gzip");
  EXPECT_EQ(Gunzip(r.body), plain.body);

  // Errors are compressed as well; q=0 refuses gzip.
  auto error = client().Send("GET", "/nope/_doc/1", "", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(error.status, 404);
  EXPECT_EQ(error.Header("Content-Encoding"), "gzip");
  EXPECT_EQ(Parse(Gunzip(error.body)).at("status"), 404);
  auto refused = client().Send("GET", "/shop/_doc/1", "", {{"Accept-Encoding", "gzip;q=0, identity"}});
  EXPECT_EQ(refused.Header("Content-Encoding"), "");
  EXPECT_EQ(refused.body, plain.body);

  // Both ways at once, with pretty applied before compression.
  auto both = client().Send("POST", "/shop/_search?filter_path=hits.total&pretty",
                            Gzip(R"({"query":{"exists":{"field":"price"}}})"),
                            {{"Content-Encoding", "gzip"}, {"Accept-Encoding", "gzip"}});
  ASSERT_EQ(both.status, 200);
  EXPECT_EQ(Gunzip(both.body), "{\n  \"hits\" : {\n    \"total\" : {\n      \"value\" : 3,\n      \"relation\" : \"eq\"\n    }\n  }\n}\n");
}

TEST_F(ProtocolTest, DeleteIgnoreUnavailable) {
  auto missing = client().Delete("/never-created");
  auto error = ExpectError(missing, 404, "index_not_found_exception");
  EXPECT_EQ(error.at("index"), "never-created");
  ExpectError(client().Delete("/never-created?ignore_unavailable=false"), 404, "index_not_found_exception");

  auto ignored = client().Delete("/never-created?ignore_unavailable=true");
  ASSERT_EQ(ignored.status, 200) << ignored.body;
  EXPECT_EQ(ignored.Json(), Parse(R"({"acknowledged":true})"));
  EXPECT_EQ(client().Delete("/never-created?ignore_unavailable").status, 200);

  // An existing index is still deleted.
  ASSERT_EQ(client().Put("/to-delete/_doc/1", R"({"a":1})").status, 201);
  auto deleted = client().Delete("/to-delete?ignore_unavailable=true");
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(client().Send("HEAD", "/to-delete").status, 404);
  ExpectError(client().Delete("/never-created?ignore_unavailable=maybe"), 400, "illegal_argument_exception");
}

TEST_F(ProtocolTest, CompatibleWithMediaTypes) {
  const std::string v8 = "application/vnd.elasticsearch+json; compatible-with=8";
  auto put = client().Send("PUT", "/compat/_doc/1?refresh=true", R"({"name":"vnd"})",
                           {{"Content-Type", v8}, {"Accept", v8}});
  ASSERT_EQ(put.status, 201) << put.body;
  EXPECT_EQ(put.Header("Content-Type"), "application/vnd.elasticsearch+json;compatible-with=8");

  auto get7 = client().Send("GET", "/compat/_doc/1", "", {{"Accept", "application/vnd.elasticsearch+json;compatible-with=7"}});
  ASSERT_EQ(get7.status, 200) << get7.body;
  EXPECT_EQ(get7.Header("Content-Type"), "application/vnd.elasticsearch+json;compatible-with=7");
  EXPECT_EQ(get7.Json().at("_source").at("name"), "vnd");

  // The official client's bulk: an ndjson vendor type in, the JSON vendor type out.
  auto bulk = client().Send("POST", "/_bulk", R"({"index":{"_index":"compat","_id":"2"}})" "\n{\"name\":\"b\"}\n",
                            {{"Content-Type", "application/vnd.elasticsearch+x-ndjson; compatible-with=8"},
                             {"Accept", v8}});
  ASSERT_EQ(bulk.status, 200) << bulk.body;
  EXPECT_EQ(bulk.Header("Content-Type"), "application/vnd.elasticsearch+json;compatible-with=8");

  // Errors carry it too; a plain request stays application/json; text replies keep their type.
  auto error = client().Send("GET", "/nope/_doc/1", "", {{"Accept", v8}});
  EXPECT_EQ(error.status, 404);
  EXPECT_EQ(error.Header("Content-Type"), "application/vnd.elasticsearch+json;compatible-with=8");
  EXPECT_EQ(client().Get("/compat/_doc/1").Header("Content-Type"), "application/json");
  auto cat = client().Send("GET", "/_cat/indices", "", {{"Accept", v8}});
  EXPECT_EQ(cat.Header("Content-Type").rfind("text/plain", 0), 0u) << cat.Header("Content-Type");

  // Accept may list several media types: the 8.x Node client sends the vendor type and text/plain.
  auto listed = client().Send("GET", "/compat/_doc/1", "",
                              {{"Accept", "application/vnd.elasticsearch+json; compatible-with=8,text/plain"}});
  EXPECT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.Header("Content-Type"), "application/vnd.elasticsearch+json;compatible-with=8");

  // Versions other than 7 and 8 are refused, as Elasticsearch 8 does.
  auto v9 = client().Send("GET", "/compat/_doc/1", "", {{"Accept", "application/vnd.elasticsearch+json; compatible-with=9"}});
  ExpectError(v9, 400, "status_exception");
  auto body9 = client().Send("PUT", "/compat/_doc/9", R"({"a":1})",
                             {{"Content-Type", "application/vnd.elasticsearch+json; compatible-with=9"}});
  ExpectError(body9, 400, "status_exception");
  EXPECT_EQ(client().Get("/compat/_doc/9").status, 404);
}

}  // namespace
}  // namespace ultrasearch::testing
