// `?human=true`: Elasticsearch prints a readable twin beside each raw size and duration
// ("size_in_bytes": 1258291 gets "size": "1.2mb"; "time_in_millis": 1500 gets "time": "1.5s").
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <string>

namespace ultrasearch::server {

// Adds the twins throughout `value` (objects nested in objects and arrays), as Elasticsearch's
// XContentBuilder.humanReadableField does, never replacing a field that is already there.
void AddHumanFields(boost::json::value& value);

// Elasticsearch's TimeValue printing: "950ms", "1.5s", "2.3m", "1h", "4.1d"; nanos and micros
// below a millisecond.
std::string HumanNanos(uint64_t nanos);

}  // namespace ultrasearch::server
