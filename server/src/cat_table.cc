#include "cat_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>

namespace ultrasearch::server {

std::string HumanBytes(uint64_t bytes) {
  static constexpr const char* kUnits[] = {"b", "kb", "mb", "gb", "tb", "pb"};
  double v = static_cast<double>(bytes);
  int unit = 0;
  while (v >= 1024 && unit < 5) {
    v /= 1024;
    ++unit;
  }
  if (unit == 0) return fmt::format("{}b", bytes);
  std::string s = fmt::format("{:.1f}", v);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s + kUnits[unit];
}

Reply CatReply(const Request& req, const CatTable& table) {
  if (req.Param("format") == std::optional<std::string_view>("json")) {
    boost::json::array out;
    for (const auto& row : table.rows) {
      boost::json::object o;
      for (std::size_t i = 0; i < table.columns.size() && i < row.size(); ++i) o[table.columns[i]] = row[i];
      out.push_back(std::move(o));
    }
    return JsonReply(200, boost::json::serialize(out));
  }
  std::vector<const std::vector<std::string>*> lines;
  if (req.BoolParam("v", false)) lines.push_back(&table.columns);
  for (const auto& row : table.rows) lines.push_back(&row);
  std::vector<std::size_t> widths;
  for (const auto* row : lines) {
    widths.resize(std::max(widths.size(), row->size()));
    for (std::size_t i = 0; i < row->size(); ++i) widths[i] = std::max(widths[i], (*row)[i].size());
  }
  std::string text;
  for (const auto* row : lines) {
    for (std::size_t i = 0; i < row->size(); ++i) {
      text += (*row)[i];
      if (i + 1 < row->size()) text.append(widths[i] - (*row)[i].size() + 1, ' ');
    }
    text += '\n';
  }
  Reply r = JsonReply(200, std::move(text));
  r.content_type = "text/plain; charset=UTF-8";
  return r;
}

}  // namespace ultrasearch::server
