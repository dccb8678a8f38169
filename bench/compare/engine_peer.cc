// UltraSearch in process, through the public engine API only: durable batches of 1,000 on
// `threads` writer threads and a force merge at the end (as `ultrasearch import` writes), the
// default products schema, then
// searches as the HTTP front compiles them (multi_match cross_fields, operator and).
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include "catalog_reader.h"
#include "peer.h"
#include "ultrasearch/engine.h"
#include "ultrasearch_analyzers/builtin.h"
#include "ultrasearch_fronts/products_template.h"

namespace ultrasearch::bench {
namespace {

constexpr size_t kBatch = 1000;

class EnginePeer : public Peer {
 public:
  explicit EnginePeer(PeerOptions options) : options_(std::move(options)) {}

  std::string Import(const std::string& catalog_path) override {
    CatalogReader reader(catalog_path);
    if (!reader.ok()) return "cannot read " + catalog_path;
    if (auto error = OpenEngine(); !error.empty()) return error;
    auto index = engine_->GetOrCreateIndex("products");
    if (!index.ok()) return index.status().ToString();
    index_ = index.value();

    // The reader fills batches; writers take them from a short queue (bounded, so memory stays flat).
    std::mutex mu;
    std::condition_variable cv;
    std::deque<std::vector<WriteOp>> queue;
    bool done = false;
    std::string failure;
    std::vector<std::thread> writers;
    for (int t = 0; t < std::max(1, options_.threads); ++t) {
      writers.emplace_back([&] {
        for (;;) {
          std::vector<WriteOp> batch;
          {
            std::unique_lock lock(mu);
            cv.wait(lock, [&] { return !queue.empty() || done; });
            if (queue.empty()) return;
            batch = std::move(queue.front());
            queue.pop_front();
          }
          cv.notify_all();
          auto written = index_->Write(batch);
          std::string error = written.ok() ? std::string() : written.status().ToString();
          if (written.ok()) {
            for (const auto& op : written.value()) {
              if (!op.status.ok()) {  // a rejected product: the store would be incomplete
                error = op.status.ToString();
                break;
              }
            }
          }
          if (!error.empty()) {
            std::lock_guard lock(mu);
            failure = error;
          }
        }
      });
    }
    std::vector<WriteOp> batch;
    Product p;
    auto push = [&] {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return queue.size() < 4; });
      queue.push_back(std::move(batch));
      batch.clear();
      cv.notify_all();
    };
    while (reader.Next(&p)) {
      batch.push_back({WriteOp::Type::kIndex, std::move(p.id), std::move(p.json)});
      if (batch.size() == kBatch) push();
    }
    if (!batch.empty()) push();
    {
      std::lock_guard lock(mu);
      done = true;
    }
    cv.notify_all();
    for (auto& w : writers) w.join();
    if (!failure.empty()) return failure;
    Status refreshed = index_->Refresh();
    if (!refreshed.ok()) return refreshed.ToString();
    // `ultrasearch import` ends a bulk load with a force merge (docs/performance.md, "Size on
    // disk"); searches are measured on the index as it leaves a bulk load, and the merge is part
    // of the import's time.
    Status merged = index_->ForceMerge();
    if (!merged.ok()) return merged.ToString();
    index_.reset();
    engine_.reset();  // closing flushes: the store on disk is complete when Import returns
    return {};
  }

  std::string Open() override {
    if (auto error = OpenEngine(); !error.empty()) return error;
    auto index = engine_->GetIndex("products");
    if (!index.ok()) return index.status().ToString();
    index_ = index.value();
    return {};
  }

  bool Query(QueryKind kind, const std::vector<std::string>& words, Answer* answer, std::string* error) override {
    SearchRequest r;
    MatchQuery match;
    match.fields = {{"name", 3.0}, {"description", 1.0}};
    for (const auto& w : words) match.text += (match.text.empty() ? "" : " ") + w;
    match.type = MatchQuery::Type::kCrossFields;
    match.op = MatchQuery::Operator::kAnd;
    BoolQuery b;
    b.must.push_back(ultrasearch::Query{match});
    if (kind == QueryKind::kFacet) {
      b.filter.push_back(ultrasearch::Query{
          RangeQuery{"price", {}, std::to_string(kPriceLow), {}, std::to_string(kPriceHigh)}});
      for (const char* field : {"brand", "category"}) {
        Aggregation a;
        a.name = field;
        a.type = Aggregation::Type::kTerms;
        a.field = field;
        a.size = 10;
        r.aggregations.push_back(a);
      }
    }
    if (kind == QueryKind::kSort) r.sort = {SortField{"price", false}};
    r.query.node = std::move(b);
    r.size = kPageSize;
    r.track_total_hits_up_to = UINT64_MAX;  // exact totals, as every peer reports them
    auto result = index_->Search(r);
    if (!result.ok()) {
      *error = result.status().ToString();
      return false;
    }
    answer->total = result->total;
    answer->hits = static_cast<uint32_t>(result->hits.size());
    answer->page.clear();
    for (const auto& hit : result->hits) answer->page.emplace_back(hit.id, hit.score);
    answer->facet_buckets = 0;
    for (const auto& agg : result->aggregations) answer->facet_buckets += static_cast<uint32_t>(agg.buckets.size());
    return true;
  }

 private:
  std::string OpenEngine() {
    EngineOptions options;
    options.data_dir = options_.dir;
    options.analyzers = analyzers::MakeBuiltinAnalyzers();
    options.index_templates = fronts::DefaultIndexTemplates();
    options.refresh_interval = std::chrono::milliseconds(0);
    auto engine = Engine::Open(options);
    if (!engine.ok()) return engine.status().ToString();
    engine_ = std::move(engine.value());
    return {};
  }

  PeerOptions options_;
  std::unique_ptr<Engine> engine_;
  std::shared_ptr<Index> index_;
};

}  // namespace

std::unique_ptr<Peer> MakeEnginePeer(const PeerOptions& options) { return std::make_unique<EnginePeer>(options); }

}  // namespace ultrasearch::bench
