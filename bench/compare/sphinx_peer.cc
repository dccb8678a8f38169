// Sphinx 2.2 (`sphinxsearch`): its import is `indexer` reading a tsvpipe source (bench/run runs
// it and times it with this step); this driver writes that TSV and queries `searchd` over
// SphinxQL (the MySQL protocol, libmariadb) on 127.0.0.1. Queries: MATCH() with the words
// (extended syntax, AND by default, operator characters blanked), Sphinx's default
// proximity_bm25 ranker with name weighted 3, the exact total from SHOW META's total_found, and
// FACET brand / FACET category (Sphinx 2.2's faceting: counts over all matches) in one batch.
#include <mysql.h>

#include <cstring>
#include <fstream>

#include "catalog_reader.h"
#include "peer.h"

namespace ultrasearch::bench {
namespace {

// TSV columns carry no escapes in tsvpipe: tabs and line breaks become spaces.
std::string TsvField(const std::string& value) {
  std::string out = value;
  for (char& c : out) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

class SphinxPeer : public Peer {
 public:
  explicit SphinxPeer(PeerOptions options) : options_(std::move(options)) {}
  ~SphinxPeer() override {
    if (mysql_ != nullptr) mysql_close(mysql_);
  }

  // Writes the tsvpipe source: id, name, description, brand, category, price, json (the order of
  // the declarations in the sphinx.conf bench/run writes).
  std::string Import(const std::string& catalog_path) override {
    CatalogReader reader(catalog_path);
    if (!reader.ok()) return "cannot read " + catalog_path;
    std::ofstream out(options_.dir + "/products.tsv", std::ios::binary | std::ios::trunc);
    if (!out) return "cannot write " + options_.dir + "/products.tsv";
    Product p;
    uint64_t docid = 0;
    while (reader.Next(&p)) {
      out << ++docid << '\t' << TsvField(p.name) << '\t' << TsvField(p.description) << '\t' << TsvField(p.brand)
          << '\t' << TsvField(p.category) << '\t' << static_cast<int64_t>(p.price) << '\t' << TsvField(p.json)
          << '\n';
    }
    out.close();
    return out ? std::string() : "write failed";
  }

  std::string Open() override {
    mysql_ = mysql_init(nullptr);
    if (mysql_real_connect(mysql_, "127.0.0.1", nullptr, nullptr, nullptr, static_cast<unsigned>(options_.port),
                           nullptr, CLIENT_MULTI_STATEMENTS | CLIENT_MULTI_RESULTS) == nullptr) {
      return mysql_error(mysql_);
    }
    return {};
  }

  bool Query(QueryKind kind, const std::vector<std::string>& words, Answer* answer, std::string* error) override {
    std::string match;
    for (const auto& w : words) {
      if (!match.empty()) match += ' ';
      for (char c : w) match += std::strchr("\\()|-!@~\"&/^$=<>'*%?[]{}:;,", c) != nullptr ? ' ' : c;
    }
    const std::string& index = options_.table;
    std::string sql = "SELECT id, json FROM " + index + " WHERE MATCH('" + match + "')";
    if (kind == QueryKind::kFacet) {
      sql += " AND price BETWEEN " + std::to_string(static_cast<int64_t>(kPriceLow)) + " AND " +
             std::to_string(static_cast<int64_t>(kPriceHigh));
    }
    if (kind == QueryKind::kSort) sql += " ORDER BY price ASC";
    sql += " LIMIT 10 OPTION field_weights=(name=3, description=1)";
    if (kind == QueryKind::kFacet) {
      sql += " FACET brand ORDER BY COUNT(*) DESC LIMIT 10 FACET category ORDER BY COUNT(*) DESC LIMIT 10";
    }
    sql += "; SHOW META";
    *answer = {};
    if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) {
      *error = mysql_error(mysql_);
      return false;
    }
    // Result sets in order: the page, then one per FACET, then SHOW META.
    int set = 0;
    const int meta_set = kind == QueryKind::kFacet ? 3 : 1;
    do {
      MYSQL_RES* res = mysql_store_result(mysql_);
      if (res == nullptr) continue;
      for (MYSQL_ROW row; (row = mysql_fetch_row(res)) != nullptr;) {
        if (set == 0) {
          ++answer->hits;
        } else if (set < meta_set) {
          ++answer->facet_buckets;
        } else if (std::strcmp(row[0], "total_found") == 0) {
          answer->total = std::stoull(row[1]);
        }
      }
      mysql_free_result(res);
      ++set;
    } while (mysql_next_result(mysql_) == 0);
    if (mysql_errno(mysql_) != 0) {
      *error = mysql_error(mysql_);
      return false;
    }
    return true;
  }

 private:
  PeerOptions options_;
  MYSQL* mysql_ = nullptr;
};

}  // namespace

std::unique_ptr<Peer> MakeSphinxPeer(const PeerOptions& options) { return std::make_unique<SphinxPeer>(options); }

}  // namespace ultrasearch::bench
