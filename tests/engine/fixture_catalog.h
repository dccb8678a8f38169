// The fixture catalog (data/fixtures/products.ndjson), loaded once per test binary into index
// `products` of a private engine with the products template, for the suites that search it as it
// is (multilingual_search_test, layout_choice_test). Read-only: tests never write to it.
#pragma once

#include <boost/json.hpp>

#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "engine/engine_test_util.h"

namespace ultrasearch::testing {

class FixtureCatalog {
 public:
  static FixtureCatalog& Get() {
    static FixtureCatalog catalog;
    return catalog;
  }
  const Index& index() const { return *index_; }
  const std::set<std::string>& ids() const { return ids_; }
  const std::vector<std::string>& names() const { return names_; }  // in file order
  const std::string& load_error() const { return error_; }  // empty when every product loaded

 private:
  FixtureCatalog() {
    engine_ = OpenTestEngine(dir_.str());
    if (engine_ == nullptr) {
      error_ = "engine did not open";
      return;
    }
    auto index = engine_->GetOrCreateIndex("products");
    if (!index.ok()) {
      error_ = index.status().ToString();
      return;
    }
    index_ = index.value();
    std::ifstream in(FixturePath("products.ndjson"));
    std::vector<WriteOp> ops;
    for (std::string line; std::getline(in, line);) {
      if (line.empty()) continue;
      const auto doc = boost::json::parse(line).as_object();
      std::string id(doc.at("id").as_string());
      ids_.insert(id);
      names_.push_back(std::string(doc.at("name").as_string()));
      ops.push_back({WriteOp::Type::kIndex, std::move(id), line});
    }
    auto results = index_->Write(ops);
    if (!results.ok()) {
      error_ = results.status().ToString();
      return;
    }
    for (size_t i = 0; i < results->size(); ++i) {
      if (!(*results)[i].status.ok()) error_ += ops[i].id + ": " + (*results)[i].status.ToString() + "\n";
    }
    if (auto s = index_->Refresh(); !s.ok()) error_ += s.ToString();
  }

  TempDir dir_;  // declared first: outlives the engine
  std::unique_ptr<Engine> engine_;
  std::shared_ptr<Index> index_;
  std::set<std::string> ids_;
  std::vector<std::string> names_;
  std::string error_;
};

}  // namespace ultrasearch::testing
