#include "facets/agg_util.h"

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace ultrasearch::facets {

Result<double> ParseFieldNumber(const FieldMapping& field, std::string_view text) {
  if (field.type == FieldType::kDate) {
    if (auto millis = ParseDateOrEpochMillis(text)) return static_cast<double>(*millis);
  } else if (field.type == FieldType::kBoolean) {
    if (text == "true" || text == "false") return text == "true" ? 1.0 : 0.0;
  } else {
    double v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec == std::errc() && end == text.data() + text.size() && !text.empty() && std::isfinite(v)) return v;
  }
  return Status::InvalidArgument("failed to parse [" + std::string(text) + "] as a value of field [" + field.name +
                                 "] of type [" + std::string(FieldTypeName(field.type)) + "]");
}

std::optional<std::string> KeyAsString(const FieldMapping& field, double key) {
  if (field.type == FieldType::kDate) return FormatIsoDate(static_cast<int64_t>(key));
  if (field.type == FieldType::kBoolean) return std::string(key != 0 ? "true" : "false");
  return std::nullopt;
}

std::string JavaDoubleString(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (v == 0) return std::signbit(v) ? "-0.0" : "0.0";
  double a = std::fabs(v);
  char buf[64];
  if (a >= 1e-3 && a < 1e7) {
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
    std::string s(buf, end);
    if (s.find('.') == std::string::npos) s += ".0";
    return s;
  }
  // Shortest scientific form, written as Java does: 1.0E7, 1.5E-4.
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string s(buf, end);
  size_t e = s.find('e');
  std::string mantissa = s.substr(0, e);
  if (mantissa.find('.') == std::string::npos) mantissa += ".0";
  int exponent = std::stoi(s.substr(e + 1));
  return mantissa + "E" + std::to_string(exponent);
}

std::optional<CalendarUnit> ParseCalendarUnit(std::string_view t) {
  if (t == "minute" || t == "1m") return CalendarUnit::kMinute;
  if (t == "hour" || t == "1h") return CalendarUnit::kHour;
  if (t == "day" || t == "1d") return CalendarUnit::kDay;
  if (t == "week" || t == "1w") return CalendarUnit::kWeek;
  if (t == "month" || t == "1M") return CalendarUnit::kMonth;
  if (t == "quarter" || t == "1q") return CalendarUnit::kQuarter;
  if (t == "year" || t == "1y") return CalendarUnit::kYear;
  return std::nullopt;
}

namespace {

int64_t FloorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
constexpr int64_t kDay = 86400000;

}  // namespace

int64_t CalendarFloor(int64_t millis, CalendarUnit unit) {
  using namespace std::chrono;
  switch (unit) {
    case CalendarUnit::kMinute: return FloorDiv(millis, 60000) * 60000;
    case CalendarUnit::kHour: return FloorDiv(millis, 3600000) * 3600000;
    case CalendarUnit::kDay: return FloorDiv(millis, kDay) * kDay;
    case CalendarUnit::kWeek: {
      // 1970-01-01 was a Thursday; weeks start on Monday (ISO), 3 days earlier.
      return FloorDiv(millis + 3 * kDay, 7 * kDay) * 7 * kDay - 3 * kDay;
    }
    default: {
      sys_days day{days{FloorDiv(millis, kDay)}};
      year_month_day ymd{day};
      unsigned month = static_cast<unsigned>(ymd.month());
      if (unit == CalendarUnit::kYear) month = 1;
      if (unit == CalendarUnit::kQuarter) month = (month - 1) / 3 * 3 + 1;
      sys_days start{ymd.year() / std::chrono::month{month} / 1};
      return static_cast<int64_t>(start.time_since_epoch().count()) * kDay;
    }
  }
}

int64_t CalendarNext(int64_t start, CalendarUnit unit) {
  using namespace std::chrono;
  switch (unit) {
    case CalendarUnit::kMinute: return start + 60000;
    case CalendarUnit::kHour: return start + 3600000;
    case CalendarUnit::kDay: return start + kDay;
    case CalendarUnit::kWeek: return start + 7 * kDay;
    default: {
      year_month_day ymd{sys_days{days{FloorDiv(start, kDay)}}};
      months step{unit == CalendarUnit::kMonth ? 1 : unit == CalendarUnit::kQuarter ? 3 : 12};
      year_month_day next = ymd + step;
      return static_cast<int64_t>(sys_days{next}.time_since_epoch().count()) * kDay;
    }
  }
}

}  // namespace ultrasearch::facets
