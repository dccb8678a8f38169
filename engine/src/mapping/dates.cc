// Dates as Elasticsearch's default format reads them: strict_date_optional_time||epoch_millis.
#include <charconv>
#include <cstdio>

#include "mapping/mapping.h"

namespace ultrasearch {

namespace {

bool ReadDigits(std::string_view s, size_t* pos, int count, int* out) {
  if (*pos + static_cast<size_t>(count) > s.size()) return false;
  int v = 0;
  for (int i = 0; i < count; ++i) {
    char c = s[*pos + static_cast<size_t>(i)];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += static_cast<size_t>(count);
  *out = v;
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

bool ValidDay(int year, int month, int day) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return false;
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

}  // namespace

std::optional<int64_t> ParseIsoDate(std::string_view s) {
  size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
  if (!ReadDigits(s, &pos, 4, &year) || pos >= s.size() || s[pos++] != '-' || !ReadDigits(s, &pos, 2, &month) ||
      pos >= s.size() || s[pos++] != '-' || !ReadDigits(s, &pos, 2, &day) || !ValidDay(year, month, day)) {
    return std::nullopt;
  }
  int64_t offset_minutes = 0;
  if (pos < s.size()) {
    if (s[pos++] != 'T' || !ReadDigits(s, &pos, 2, &hour)) return std::nullopt;
    if (pos < s.size() && s[pos] == ':') {
      ++pos;
      if (!ReadDigits(s, &pos, 2, &minute)) return std::nullopt;
      if (pos < s.size() && s[pos] == ':') {
        ++pos;
        if (!ReadDigits(s, &pos, 2, &second)) return std::nullopt;
        if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
          ++pos;
          int digits = 0, frac = 0;
          while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (digits < 3) frac = frac * 10 + (s[pos] - '0');
            ++digits;
            ++pos;
          }
          if (digits == 0 || digits > 9) return std::nullopt;
          for (int i = digits; i < 3; ++i) frac *= 10;
          millis = frac;
        }
      }
    }
    if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
    if (pos < s.size()) {
      char zone = s[pos++];
      if (zone == 'Z' || zone == 'z') {
        // UTC
      } else if (zone == '+' || zone == '-') {
        int oh = 0, om = 0;
        if (!ReadDigits(s, &pos, 2, &oh)) return std::nullopt;
        if (pos < s.size() && s[pos] == ':') ++pos;
        if (pos < s.size() && !ReadDigits(s, &pos, 2, &om)) return std::nullopt;
        if (oh > 18 || om > 59) return std::nullopt;
        offset_minutes = (zone == '+' ? 1 : -1) * (oh * 60 + om);
      } else {
        return std::nullopt;
      }
    }
    if (pos != s.size()) return std::nullopt;
  }
  int64_t days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return seconds * 1000 + millis;
}

std::optional<int64_t> ParseDateOrEpochMillis(std::string_view text) {
  if (auto iso = ParseIsoDate(text)) return iso;
  int64_t millis = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), millis);
  if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) return millis;
  return std::nullopt;
}

std::string FormatIsoDate(int64_t epoch_millis) {
  int64_t seconds = epoch_millis >= 0 ? epoch_millis / 1000 : (epoch_millis - 999) / 1000;
  int millis = static_cast<int>(epoch_millis - seconds * 1000);
  int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  int64_t rem = seconds - days * 86400;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<long long>(y), m, d,
                static_cast<int>(rem / 3600), static_cast<int>(rem % 3600 / 60), static_cast<int>(rem % 60), millis);
  return buf;
}

}  // namespace ultrasearch
