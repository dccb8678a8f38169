// The document parser: a fuzzed JSON document is put into the catalog-schema index `products`
// and into an index that maps every field dynamically, and applied as a partial update to a
// fixture document. Accepted or refused, the engine must stay consistent: an accepted document
// reads back as a JSON object. The dynamic index is recreated now and then so new fields keep
// being mapped instead of hitting the 1000-field limit.
#include <boost/json.hpp>

#include "fuzz_world.h"

using namespace ultrasearch;

namespace {

void CheckStored(Index& index, std::string_view id, std::string_view input) {
  auto doc = index.Get(id);
  if (!doc.ok()) fuzz::Fail("an accepted document cannot be read back: " + doc.status().ToString(), input);
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(doc->source_json, ec);
  if (ec || !v.is_object()) fuzz::Fail("the stored source is not a JSON object", doc->source_json);
}

void CheckRefusal(const Status& status, std::string_view input) {
  if (!status.IsInvalidArgument() && !status.IsNotFound()) {
    fuzz::Fail("a document was refused with an unexpected status: " + status.ToString(), input);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static uint64_t runs = 0;
  fuzz::World& world = fuzz::World::Get();
  std::string_view input = fuzz::AsText(data, size);

  if (runs++ % 500 == 0) world.DropOtherIndices();
  auto dynamic = world.engine().GetOrCreateIndex("dynamic");
  if (!dynamic.ok()) fuzz::Fail("GetOrCreateIndex", dynamic.status().ToString());

  for (Index* index : {&world.products(), dynamic.value().get()}) {
    auto put = index->Put("doc", input);
    if (put.ok()) CheckStored(*index, "doc", input);
    else CheckRefusal(put.status(), input);
  }
  // fx-0001 is a fixture; partial updates merge into it.
  auto update = world.products().Update("fx-0001", input);
  if (update.ok()) CheckStored(world.products(), "fx-0001", input);
  else CheckRefusal(update.status(), input);

  if (runs % 64 == 0) {
    if (!world.products().Refresh().ok() || !dynamic.value()->Refresh().ok()) fuzz::Fail("Refresh failed", input);
  }
  return 0;
}
