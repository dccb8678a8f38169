// The bulk NDJSON parser: a fuzzed body for POST /products/_bulk goes through the server's own
// handler (line splitting, action/metadata and source parsing, update bodies, the engine's batched
// write) without the HTTP stack. The answer must be JSON with a 2xx or 4xx status. Indices the
// body names are dropped after each input so the data directory stays small.
#include <boost/json.hpp>

#include "fuzz_world.h"
#include "router.h"

using namespace ultrasearch;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::World& world = fuzz::World::Get();
  server::Request req;
  req.method = server::Method::kPost;
  if (!server::ParseTarget("/products/_bulk", &req)) fuzz::Fail("ParseTarget", req.target);
  req.body = std::string(fuzz::AsText(data, size));
  server::Reply reply = server::HandleRequest(world.server(), req);
  if (reply.status < 200 || reply.status >= 500) {
    fuzz::Fail("_bulk answered " + std::to_string(reply.status), reply.body);
  }
  boost::system::error_code ec;
  boost::json::value body = boost::json::parse(reply.body, ec);
  if (ec) fuzz::Fail("_bulk answered a body that is not JSON", reply.body);
  if (reply.status == 200 && !(body.is_object() && body.as_object().contains("items"))) {
    fuzz::Fail("_bulk answered 200 without items", reply.body);
  }
  world.DropOtherIndices();
  return 0;
}
