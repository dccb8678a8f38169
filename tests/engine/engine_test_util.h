// Shared set-up for engine tests: an engine over a private temporary directory.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "support/test_support.h"
#include "ultrasearch/engine.h"
#include "ultrasearch_analyzers/builtin.h"
#include "ultrasearch_fronts/products_template.h"

namespace ultrasearch::testing {

inline std::unique_ptr<Engine> OpenTestEngine(const std::string& dir, std::chrono::milliseconds refresh = {}) {
  EngineOptions options;
  options.data_dir = dir;
  options.analyzers = analyzers::MakeBuiltinAnalyzers();
  options.index_templates = fronts::DefaultIndexTemplates();  // as the CLI and server open it
  options.refresh_interval = refresh;  // tests refresh explicitly unless they ask otherwise
  auto engine = Engine::Open(std::move(options));
  EXPECT_TRUE(engine.ok()) << engine.status().ToString();
  return engine.ok() ? std::move(engine.value()) : nullptr;
}

// Creates index `name` with these mappings; fails the test (and returns null) if it cannot.
inline std::shared_ptr<Index> MustCreateIndex(Engine& engine, const std::string& name, const std::string& mappings_json) {
  IndexSettings settings;
  settings.mappings_json = mappings_json;
  auto index = engine.CreateIndex(name, settings);
  EXPECT_TRUE(index.ok()) << index.status().ToString();
  return index.ok() ? index.value() : nullptr;
}

// A match query over the index's default text fields.
inline SearchRequest MatchRequest(const std::string& text, MatchQuery::Operator op = MatchQuery::Operator::kOr) {
  MatchQuery match;
  match.text = text;
  match.op = op;
  SearchRequest request;
  request.query.node = match;
  return request;
}

// A fresh engine in a private directory with the `products` index open (catalog schema).
class ProductsIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = OpenTestEngine(dir_.str());
    ASSERT_NE(engine_, nullptr);
    auto index = engine_->GetOrCreateIndex("products");
    ASSERT_TRUE(index.ok()) << index.status().ToString();
    index_ = index.value();
  }
  TempDir dir_;
  std::unique_ptr<Engine> engine_;
  std::shared_ptr<Index> index_;
};

// A match query over the default fields, as a Query node.
inline Query MatchText(const std::string& text) {
  MatchQuery match;
  match.text = text;
  return Query{match};
}

// "c" + number without GCC 12's false -Wrestrict on const char* + std::string&&.
inline std::string NumberedId(std::string_view prefix, uint64_t n) {
  std::string id(prefix);
  id += std::to_string(n);
  return id;
}

inline std::vector<std::string> HitIds(const SearchResult& result) {
  std::vector<std::string> ids;
  for (const auto& hit : result.hits) ids.push_back(hit.id);
  return ids;
}

// Searches and fails the test on error.
inline SearchResult MustSearch(const Index& index, const SearchRequest& request) {
  auto result = index.Search(request);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ok() ? std::move(result.value()) : SearchResult{};
}

}  // namespace ultrasearch::testing
