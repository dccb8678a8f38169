// Elasticsearch's _source filtering: `_source: false | "f" | ["a","b.*"] | {includes, excludes}`,
// applied by the server to the stored JSON of each hit or document.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "http_types.h"

namespace ultrasearch::server {

struct SourceFilter {
  bool fetch = true;
  std::vector<std::string> includes;  // patterns with '*'; empty: everything
  std::vector<std::string> excludes;

  bool filters() const { return !includes.empty() || !excludes.empty(); }

  // From a body's `_source` value; throws EsError (400) for a malformed one.
  static SourceFilter FromJson(const boost::json::value& v);
  // From ?_source=, ?_source_includes=, ?_source_excludes= (comma-separated); `base` when absent.
  static SourceFilter FromParams(const Request& req, SourceFilter base);
  static SourceFilter FromParams(const Request& req) { return FromParams(req, SourceFilter()); }

  // The filtered source as JSON text. `source_json` comes from the engine (valid JSON); the
  // unfiltered text is returned as-is when no pattern applies.
  std::string Apply(std::string_view source_json) const;
};


}  // namespace ultrasearch::server
