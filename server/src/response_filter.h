// Elasticsearch's response options that reshape a JSON body: `filter_path` (keep or drop fields by
// dotted paths with `*` and `**` wildcards) and `pretty` (two-space indentation, as Elasticsearch's
// Jackson printer lays it out).
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace ultrasearch::server {

// Parsed `filter_path`: comma-separated dotted paths; a leading `-` makes a path an exclusion.
// Each step matches one field name, with `*` standing for any run of characters; a `**` step
// matches any number of levels (none included). Arrays are transparent: a path step applies to
// the fields of the objects inside them.
class FilterPaths {
 public:
  explicit FilterPaths(std::string_view spec);

  bool empty() const { return includes_.empty() && excludes_.empty(); }

  // Applies exclusions, then inclusions, as Elasticsearch documents. Objects and arrays that the
  // filtering leaves empty are dropped; a root left empty is `{}`.
  boost::json::value Apply(const boost::json::value& root) const;

  using Path = std::vector<std::string>;

 private:
  std::vector<Path> includes_;
  std::vector<Path> excludes_;
};

// Serialises `v` compactly, or pretty-printed as Elasticsearch does (`"key" : value`, two-space
// indent, arrays one element a line, `{ }` for an empty object, a trailing newline).
std::string PrintJson(const boost::json::value& v, bool pretty);

}  // namespace ultrasearch::server
