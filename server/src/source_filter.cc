#include "source_filter.h"

#include "es_errors.h"
#include "json_util.h"
#include "name_lists.h"
#include "ultrasearch/wildcard.h"

namespace ultrasearch::server {

namespace {

bool AnyMatch(const std::vector<std::string>& patterns, std::string_view path) {
  for (const auto& p : patterns) {
    if (WildcardMatch(p, path)) return true;
  }
  return false;
}

// Could a pattern match some path below `path` ("a" for "a.b", or any pattern with a '*')?
bool MayMatchBelow(const std::vector<std::string>& patterns, std::string_view path) {
  for (const auto& p : patterns) {
    if (p.size() > path.size() && p.compare(0, path.size(), path) == 0 && p[path.size()] == '.') return true;
    std::size_t star = p.find('*');
    if (star != std::string::npos && path.substr(0, std::min(star, path.size())) == p.substr(0, std::min(star, path.size()))) {
      return true;
    }
  }
  return false;
}

// Returns false when nothing of `v` survives (the caller drops the key).
bool FilterValue(const SourceFilter& f, std::string_view path, bool included, json::value& v);

bool FilterObject(const SourceFilter& f, std::string_view prefix, bool included, json::object& obj) {
  for (auto it = obj.begin(); it != obj.end();) {
    std::string path = prefix.empty() ? std::string(it->key()) : std::string(prefix) + "." + std::string(it->key());
    if (!FilterValue(f, path, included, it->value())) {
      it = obj.erase(it);
    } else {
      ++it;
    }
  }
  return true;
}

bool FilterValue(const SourceFilter& f, std::string_view path, bool included, json::value& v) {
  if (AnyMatch(f.excludes, path)) return false;
  bool inc = included || f.includes.empty() || AnyMatch(f.includes, path);
  if (v.is_object()) {
    if (!inc && !MayMatchBelow(f.includes, path)) return false;
    FilterObject(f, path, inc, v.get_object());
    return inc || !v.get_object().empty();
  }
  if (v.is_array()) {
    if (!inc && !MayMatchBelow(f.includes, path)) return false;
    json::array& arr = v.get_array();
    json::array kept;
    for (auto& item : arr) {
      if (item.is_object()) {
        FilterObject(f, path, inc, item.get_object());
        if (inc || !item.get_object().empty()) kept.push_back(std::move(item));
      } else if (inc) {
        kept.push_back(std::move(item));
      }
    }
    arr = std::move(kept);
    return inc || !arr.empty();
  }
  return inc;
}

std::vector<std::string> PatternList(const json::value& v, std::string_view what) {
  std::vector<std::string> out;
  if (v.is_string()) {
    out.emplace_back(v.get_string());
  } else if (v.is_array()) {
    for (const auto& item : v.get_array()) {
      if (!item.is_string()) {
        throw ParsingError(std::string("[_source] ") + std::string(what) + " must be strings");
      }
      out.emplace_back(item.get_string());
    }
  } else if (!v.is_null()) {
    throw ParsingError("[_source] unexpected " + std::string(TokenName(v)) + " in " + std::string(what));
  }
  return out;
}

}  // namespace

SourceFilter SourceFilter::FromJson(const json::value& v) {
  SourceFilter f;
  if (v.is_bool()) {
    f.fetch = v.get_bool();
  } else if (v.is_string() || v.is_array()) {
    f.includes = PatternList(v, "includes");
  } else if (v.is_object()) {
    for (const auto& [key, value] : v.get_object()) {
      if (key == "includes" || key == "include") {
        f.includes = PatternList(value, "includes");
      } else if (key == "excludes" || key == "exclude") {
        f.excludes = PatternList(value, "excludes");
      } else {
        throw ParsingError("Unknown key for a " + std::string(TokenName(value)) + " in [" + std::string(key) + "].");
      }
    }
  } else {
    throw ParsingError("[_source] expected a boolean, string, array or object but found [" +
                       std::string(TokenName(v)) + "]");
  }
  return f;
}

SourceFilter SourceFilter::FromParams(const Request& req, SourceFilter base) {
  if (auto s = req.Param("_source")) {
    if (*s == "false") {
      base.fetch = false;
    } else if (*s == "true" || s->empty()) {
      base.fetch = true;
    } else {
      base.fetch = true;
      base.includes = SplitCommaList(*s);
    }
  }
  if (auto s = req.Param("_source_includes")) {
    base.fetch = true;
    base.includes = SplitCommaList(*s);
  }
  if (auto s = req.Param("_source_excludes")) {
    base.fetch = true;
    base.excludes = SplitCommaList(*s);
  }
  return base;
}

std::string SourceFilter::Apply(std::string_view source_json) const {
  if (!filters()) return std::string(source_json);
  json::error_code ec;
  json::parse_options opts;
  opts.max_depth = 100000;  // stored documents were validated on the way in
  json::value v = json::parse(json::string_view(source_json.data(), source_json.size()), ec,
                              json::storage_ptr(), opts);
  if (ec || !v.is_object()) return std::string(source_json);
  FilterObject(*this, "", includes.empty(), v.get_object());
  return json::serialize(v);
}

}  // namespace ultrasearch::server
