// The query DSL: a fuzzed body for POST /products/_search goes through the server's own handler
// (request parsing, query DSL, the engine's query compiler and search, the response) over the
// fixture catalog, without the HTTP stack. Whatever the body, the answer is an Elasticsearch JSON
// reply with a 2xx or 4xx status: a 5xx, an escaping exception or a crash is a finding.
#include <boost/json.hpp>

#include "fuzz_world.h"
#include "router.h"

using namespace ultrasearch;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::World& world = fuzz::World::Get();
  server::Request req;
  req.method = server::Method::kPost;
  if (!server::ParseTarget("/products/_search", &req)) fuzz::Fail("ParseTarget", req.target);
  req.body = std::string(fuzz::AsText(data, size));
  server::Reply reply = server::HandleRequest(world.server(), req);
  if (reply.status < 200 || reply.status >= 500) {
    fuzz::Fail("_search answered " + std::to_string(reply.status), reply.body);
  }
  boost::system::error_code ec;
  boost::json::parse(reply.body, ec);
  if (ec) fuzz::Fail("_search answered a body that is not JSON", reply.body);
  return 0;
}
