// One search engine as the comparison harness (bench/run) drives it: import a gen-catalog file
// into a store, then answer the three query kinds of the comparison with exact totals.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ultrasearch::bench {

// The query kinds, the same for every engine:
//   kText:  every word of the query (AND) in name or description; the top 10 by relevance and
//           the exact number of matches (a storefront's result page and its "N results").
//   kFacet: the same words AND kPriceLow <= price <= kPriceHigh; the top 10 by relevance, the
//           exact total and the top 10 brands and top 10 categories by count over all matches.
//   kSort:  the same words; the 10 cheapest matches and the exact total.
enum class QueryKind { kText, kFacet, kSort };
constexpr double kPriceLow = 50000;
constexpr double kPriceHigh = 50000000;
constexpr int kPageSize = 10;

const char* QueryKindName(QueryKind kind);

// What one query answered: enough to show that engines did comparable work.
struct Answer {
  uint64_t total = 0;        // exact number of matching products
  uint32_t hits = 0;         // products on the page (at most kPageSize)
  uint32_t facet_buckets = 0;  // brand + category buckets returned (kFacet only)
  std::vector<std::pair<std::string, double>> page;  // id and score of each hit, where the peer gives them
};

// One product of a gen-catalog line, with the fields the peers index.
struct Product {
  std::string id, name, description, brand, category, json;
  double price = 0;
};

class Peer {
 public:
  virtual ~Peer() = default;
  // Builds the store from scratch (the timed import). Returns an error message, empty on success.
  virtual std::string Import(const std::string& catalog_path) = 0;
  // Extra import figures as a JSON object (e.g. a server's peak RSS), printed by bench_compare.
  virtual std::string ImportReport() const { return "{}"; }
  // Opens the store an Import left, for queries. Returns an error message, empty on success.
  virtual std::string Open() = 0;
  // Answers one query; false with *error set on failure.
  virtual bool Query(QueryKind kind, const std::vector<std::string>& words, Answer* answer, std::string* error) = 0;
};

// Where a peer keeps its store and, for server peers, how to reach it.
struct PeerOptions {
  std::string dir;       // store directory (in-process peers)
  std::string conninfo;  // libpq connection string (postgres-*)
  std::string table;     // postgres table name; Sphinx index name
  int port = 0;          // searchd's SphinxQL port on 127.0.0.1
  int threads = 2;       // writer threads for the engine's import
};

// nullptr with *error set for unknown or not-built peers.
std::unique_ptr<Peer> MakeEnginePeer(const PeerOptions& options);
std::unique_ptr<Peer> MakeXapianPeer(const PeerOptions& options);
std::unique_ptr<Peer> MakeSqlitePeer(const PeerOptions& options);
std::unique_ptr<Peer> MakePostgresPeer(const PeerOptions& options, const std::string& ts_config);
std::unique_ptr<Peer> MakeSphinxPeer(const PeerOptions& options);

}  // namespace ultrasearch::bench
