// Value parsing and key formatting shared by the aggregations.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mapping/mapping.h"
#include "ultrasearch/status.h"

namespace ultrasearch::facets {

// A request value (missing, range bound) as the number a column of `field` holds: numbers,
// dates (ISO 8601 or epoch millis), booleans (true/false).
Result<double> ParseFieldNumber(const FieldMapping& field, std::string_view text);
// key_as_string of a numeric key: ISO dates, "true"/"false"; nullopt for plain numbers.
std::optional<std::string> KeyAsString(const FieldMapping& field, double key);
// Java's Double.toString, which Elasticsearch's generated range keys use ("10.0", "1.0E7").
std::string JavaDoubleString(double v);

// Calendar intervals of date_histogram, rounded in UTC.
enum class CalendarUnit { kMinute, kHour, kDay, kWeek, kMonth, kQuarter, kYear };
std::optional<CalendarUnit> ParseCalendarUnit(std::string_view text);
int64_t CalendarFloor(int64_t millis, CalendarUnit unit);
int64_t CalendarNext(int64_t bucket_start, CalendarUnit unit);

}  // namespace ultrasearch::facets
