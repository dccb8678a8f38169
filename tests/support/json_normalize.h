// JSON compared as Elasticsearch clients see it: numbers by value (2 and 2.0 are the same boost),
// objects regardless of key order.
#pragma once

#include <boost/json.hpp>

namespace ultrasearch::testing {

inline boost::json::value Normalized(const boost::json::value& v) {
  if (v.is_object()) {
    boost::json::object out;
    for (const auto& [key, item] : v.as_object()) out[key] = Normalized(item);
    return out;
  }
  if (v.is_array()) {
    boost::json::array out;
    for (const auto& item : v.as_array()) out.push_back(Normalized(item));
    return out;
  }
  return v.is_number() ? boost::json::value(v.to_number<double>()) : v;
}

}  // namespace ultrasearch::testing
