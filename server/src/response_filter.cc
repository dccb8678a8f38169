#include "response_filter.h"

#include "ultrasearch/wildcard.h"

#include <cmath>
#include <optional>

#include "json_util.h"

namespace ultrasearch::server {
namespace {

constexpr std::string_view kAnyDepth = "**";

using Path = FilterPaths::Path;

// Where one path stands while walking down the tree: the next step to match.
struct Cursor {
  const Path* path;
  std::size_t step;
};
using Cursors = std::vector<Cursor>;


// Whether nothing but `**` steps remain: the path matches here and everything below.
bool Complete(const Path& path, std::size_t step) {
  for (std::size_t i = step; i < path.size(); ++i) {
    if (path[i] != kAnyDepth) return false;
  }
  return true;
}

void Push(const Path& path, std::size_t step, Cursors* out, bool* full) {
  if (Complete(path, step)) {
    *full = true;
  } else {
    out->push_back({&path, step});
  }
}

// The cursors after descending into field `name`; `full` is set when a path ends on it.
void Step(const Path& path, std::size_t step, std::string_view name, Cursors* out, bool* full) {
  if (path[step] == kAnyDepth) {
    Push(path, step, out, full);                         // `**` takes this level and stays
    if (step + 1 < path.size()) Step(path, step + 1, name, out, full);  // or takes none
  } else if (WildcardMatch(path[step], name)) {
    Push(path, step + 1, out, full);
  }
}

Cursors Advance(const Cursors& cursors, std::string_view name, bool* full) {
  Cursors out;
  *full = false;
  for (const Cursor& c : cursors) Step(*c.path, c.step, name, &out, full);
  return out;
}

// What the include paths keep of `v` (none of `cursors` complete); nullopt when nothing.
std::optional<json::value> Include(const json::value& v, const Cursors& cursors) {
  if (v.is_object()) {
    json::object out;
    for (const auto& [key, child] : v.get_object()) {
      bool full = false;
      Cursors next = Advance(cursors, key, &full);
      if (full) {
        out[key] = child;
      } else if (!next.empty()) {
        if (auto kept = Include(child, next)) out[key] = std::move(*kept);
      }
    }
    if (out.empty()) return std::nullopt;
    return json::value(std::move(out));
  }
  if (v.is_array()) {
    json::array out;
    for (const json::value& e : v.get_array()) {
      if (auto kept = Include(e, cursors)) out.push_back(std::move(*kept));
    }
    if (out.empty()) return std::nullopt;
    return json::value(std::move(out));
  }
  return std::nullopt;  // a scalar above the end of every path
}

// `v` without what the exclude paths name; nullopt when the exclusions emptied it.
std::optional<json::value> Exclude(const json::value& v, const Cursors& cursors) {
  bool removed = false;
  if (v.is_object()) {
    json::object out;
    for (const auto& [key, child] : v.get_object()) {
      bool full = false;
      Cursors next = Advance(cursors, key, &full);
      if (full) {
        removed = true;
      } else if (next.empty()) {
        out[key] = child;
      } else if (auto kept = Exclude(child, next)) {
        out[key] = std::move(*kept);
      } else {
        removed = true;
      }
    }
    if (out.empty() && removed) return std::nullopt;
    return json::value(std::move(out));
  }
  if (v.is_array()) {
    json::array out;
    for (const json::value& e : v.get_array()) {
      if (auto kept = Exclude(e, cursors)) {
        out.push_back(std::move(*kept));
      } else {
        removed = true;
      }
    }
    if (out.empty() && removed) return std::nullopt;
    return json::value(std::move(out));
  }
  return v;
}

// The starting cursors; `all` is set when a path matches everything (`**`).
Cursors Start(const std::vector<Path>& paths, bool* all) {
  Cursors out;
  *all = false;
  for (const Path& p : paths) {
    if (Complete(p, 0)) {
      *all = true;
    } else {
      out.push_back({&p, 0});
    }
  }
  return out;
}

void Indent(int depth, std::string* out) {
  out->push_back('\n');
  out->append(static_cast<std::size_t>(depth) * 2, ' ');
}

void Print(const json::value& v, bool pretty, int depth, std::string* out) {
  switch (v.kind()) {
    case json::kind::object: {
      const json::object& o = v.get_object();
      if (o.empty()) {
        out->append(pretty ? "{ }" : "{}");
        return;
      }
      out->push_back('{');
      bool first = true;
      for (const auto& [key, child] : o) {
        if (!first) out->push_back(',');
        first = false;
        if (pretty) Indent(depth + 1, out);
        out->append(json::serialize(key));
        out->append(pretty ? " : " : ":");
        Print(child, pretty, depth + 1, out);
      }
      if (pretty) Indent(depth, out);
      out->push_back('}');
      return;
    }
    case json::kind::array: {
      const json::array& a = v.get_array();
      if (a.empty()) {
        out->append(pretty ? "[ ]" : "[]");
        return;
      }
      out->push_back('[');
      bool first = true;
      for (const json::value& e : a) {
        if (!first) out->push_back(',');
        first = false;
        if (pretty) Indent(depth + 1, out);
        Print(e, pretty, depth + 1, out);
      }
      if (pretty) Indent(depth, out);
      out->push_back(']');
      return;
    }
    case json::kind::double_:
      // The server writes numbers in their shortest form ("2.5", "3"); Boost's "2.5E0" would differ.
      // A number too large for a double (1e400) reads as infinity, which Boost would print as
      // "Infinity", not JSON: write a number that reads back as infinity again.
      if (std::isnan(v.get_double())) {
        out->append("null");
      } else if (std::isinf(v.get_double())) {
        out->append(v.get_double() > 0 ? "1e99999" : "-1e99999");
      } else {
        out->append(FormatNumber(v.get_double()));
      }
      return;
    default:
      out->append(json::serialize(v));
      return;
  }
}

}  // namespace

FilterPaths::FilterPaths(std::string_view spec) {
  while (!spec.empty()) {
    auto comma = spec.find(',');
    std::string_view item = spec.substr(0, comma);
    spec = comma == std::string_view::npos ? std::string_view() : spec.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    bool exclude = !item.empty() && item.front() == '-';
    if (exclude) item.remove_prefix(1);
    Path path;
    while (!item.empty()) {
      auto dot = item.find('.');
      std::string_view step = item.substr(0, dot);
      item = dot == std::string_view::npos ? std::string_view() : item.substr(dot + 1);
      if (!step.empty()) path.emplace_back(step);
    }
    if (path.empty()) continue;
    (exclude ? excludes_ : includes_).push_back(std::move(path));
  }
}

json::value FilterPaths::Apply(const json::value& root) const {
  json::value v = root;
  bool all = false;
  if (!excludes_.empty()) {
    Cursors start = Start(excludes_, &all);
    if (all) return json::object();
    auto kept = Exclude(v, start);
    v = kept ? std::move(*kept) : json::value(json::object());
  }
  if (!includes_.empty()) {
    Cursors start = Start(includes_, &all);
    if (!all) {
      auto kept = Include(v, start);
      v = kept ? std::move(*kept) : json::value(json::object());
    }
  }
  return v;
}

std::string PrintJson(const json::value& v, bool pretty) {
  std::string out;
  Print(v, pretty, 0, &out);
  if (pretty) out.push_back('\n');
  return out;
}

}  // namespace ultrasearch::server
