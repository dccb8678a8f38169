// SQLite FTS5 in process: the embedded choice. An FTS5 table over name and description
// (unicode61 tokenizer, diacritics removed; FTS5 has no Russian or Uzbek stemmer) beside a plain
// table of the stored JSON, brand, category and price, loaded in one transaction with journaling
// off, then `optimize`d (segments merged, as a bulk loader would). Queries: each word quoted
// (implicit AND), ranked by bm25 with name weighted 3; the exact total from a count over the FTS
// index; facets as GROUP BYs over the match set held in an in-memory temporary table.
#include <sqlite3.h>

#include "catalog_reader.h"
#include "peer.h"

namespace ultrasearch::bench {
namespace {

class SqlitePeer : public Peer {
 public:
  explicit SqlitePeer(PeerOptions options) : options_(std::move(options)) {}
  ~SqlitePeer() override {
    for (auto* s : {count_, text_, sort_, facet_fill_, facet_count_, facet_page_, facet_brand_, facet_category_, facet_drop_}) {
      sqlite3_finalize(s);
    }
    sqlite3_close(db_);
  }

  std::string Import(const std::string& catalog_path) override {
    CatalogReader reader(catalog_path);
    if (!reader.ok()) return "cannot read " + catalog_path;
    std::remove(Path().c_str());
    if (sqlite3_open(Path().c_str(), &db_) != SQLITE_OK) return Error();
    if (!Exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;"
              "CREATE VIRTUAL TABLE fts USING fts5(name, description, tokenize='unicode61 remove_diacritics 2');"
              "CREATE TABLE docs(rowid INTEGER PRIMARY KEY, brand TEXT, category TEXT, price REAL, json TEXT);"
              "BEGIN")) {
      return Error();
    }
    sqlite3_stmt *fts = nullptr, *docs = nullptr;
    if (sqlite3_prepare_v2(db_, "INSERT INTO fts(rowid, name, description) VALUES (?,?,?)", -1, &fts, nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(db_, "INSERT INTO docs VALUES (?,?,?,?,?)", -1, &docs, nullptr) != SQLITE_OK) {
      return Error();
    }
    Product p;
    int64_t rowid = 0;
    std::string failure;
    while (failure.empty() && reader.Next(&p)) {
      ++rowid;
      sqlite3_bind_int64(fts, 1, rowid);
      sqlite3_bind_text(fts, 2, p.name.data(), static_cast<int>(p.name.size()), SQLITE_STATIC);
      sqlite3_bind_text(fts, 3, p.description.data(), static_cast<int>(p.description.size()), SQLITE_STATIC);
      if (sqlite3_step(fts) != SQLITE_DONE) failure = Error();
      sqlite3_reset(fts);
      sqlite3_bind_int64(docs, 1, rowid);
      sqlite3_bind_text(docs, 2, p.brand.data(), static_cast<int>(p.brand.size()), SQLITE_STATIC);
      sqlite3_bind_text(docs, 3, p.category.data(), static_cast<int>(p.category.size()), SQLITE_STATIC);
      sqlite3_bind_double(docs, 4, p.price);
      sqlite3_bind_text(docs, 5, p.json.data(), static_cast<int>(p.json.size()), SQLITE_STATIC);
      if (sqlite3_step(docs) != SQLITE_DONE) failure = Error();
      sqlite3_reset(docs);
    }
    sqlite3_finalize(fts);
    sqlite3_finalize(docs);
    if (!failure.empty()) return failure;
    if (!Exec("COMMIT; INSERT INTO fts(fts) VALUES('optimize'); ANALYZE;")) return Error();
    sqlite3_close(db_);
    db_ = nullptr;
    return {};
  }

  std::string Open() override {
    if (sqlite3_open_v2(Path().c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) return Error();
    // The facet queries' match set: one in-memory table, emptied after each query, so the
    // statements over it are prepared once.
    if (!Exec("PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY;"
              "CREATE TEMP TABLE m(rowid INTEGER, brand TEXT, category TEXT, score REAL);")) {
      return Error();
    }
    const std::string match = " FROM fts JOIN docs d ON d.rowid = fts.rowid WHERE fts MATCH ?1";
    const std::string price = " AND d.price BETWEEN " + std::to_string(kPriceLow) + " AND " + std::to_string(kPriceHigh);
    // bm25() cannot run beside a window function: the total is its own statement.
    if (!Prepare("SELECT count(*) FROM fts WHERE fts MATCH ?1", &count_) ||
        !Prepare("SELECT d.json" + match + " ORDER BY bm25(fts, 3.0, 1.0) LIMIT 10", &text_) ||
        !Prepare("SELECT d.json" + match + " ORDER BY d.price LIMIT 10", &sort_) ||
        !Prepare("INSERT INTO temp.m SELECT d.rowid, d.brand, d.category, bm25(fts, 3.0, 1.0)" + match + price, &facet_fill_) ||
        !Prepare("SELECT count(*) FROM temp.m", &facet_count_) ||
        !Prepare("SELECT d.json FROM temp.m JOIN docs d ON d.rowid = m.rowid ORDER BY m.score LIMIT 10", &facet_page_) ||
        !Prepare("SELECT brand, count(*) c FROM temp.m GROUP BY brand ORDER BY c DESC LIMIT 10", &facet_brand_) ||
        !Prepare("SELECT category, count(*) c FROM temp.m GROUP BY category ORDER BY c DESC LIMIT 10", &facet_category_) ||
        !Prepare("DELETE FROM temp.m", &facet_drop_)) {
      return Error();
    }
    return {};
  }

  bool Query(QueryKind kind, const std::vector<std::string>& words, Answer* answer, std::string* error) override {
    std::string match;  // every word a quoted string: FTS5 syntax characters lose their meaning
    for (const auto& w : words) {
      match += match.empty() ? "\"" : " \"";
      for (char c : w) match += c == '"' ? std::string("\"\"") : std::string(1, c);
      match += '"';
    }
    *answer = {};
    bool ok = true;
    if (kind != QueryKind::kFacet) {
      sqlite3_stmt* s = kind == QueryKind::kText ? text_ : sort_;
      ok = Run(count_, match, [&](sqlite3_stmt* row) { answer->total = static_cast<uint64_t>(sqlite3_column_int64(row, 0)); }) &&
           Run(s, match, [&](sqlite3_stmt*) { ++answer->hits; });
    } else {
      ok = Run(facet_fill_, match, [](sqlite3_stmt*) {}) &&
           Run(facet_count_, {}, [&](sqlite3_stmt* row) { answer->total = static_cast<uint64_t>(sqlite3_column_int64(row, 0)); }) &&
           Run(facet_page_, {}, [&](sqlite3_stmt*) { ++answer->hits; }) &&
           Run(facet_brand_, {}, [&](sqlite3_stmt*) { ++answer->facet_buckets; }) &&
           Run(facet_category_, {}, [&](sqlite3_stmt*) { ++answer->facet_buckets; }) &&
           Run(facet_drop_, {}, [](sqlite3_stmt*) {});
    }
    if (!ok) *error = Error();
    return ok;
  }

 private:
  std::string Path() const { return options_.dir + "/catalog.sqlite"; }
  std::string Error() const { return db_ != nullptr ? sqlite3_errmsg(db_) : "sqlite: out of memory"; }
  bool Exec(const char* sql) { return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }
  bool Prepare(const std::string& sql, sqlite3_stmt** stmt) {
    return sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, stmt, nullptr) == SQLITE_OK;
  }
  template <typename OnRow>
  bool Run(sqlite3_stmt* stmt, const std::string& arg, OnRow on_row) {
    if (sqlite3_bind_parameter_count(stmt) > 0) {
      sqlite3_bind_text(stmt, 1, arg.data(), static_cast<int>(arg.size()), SQLITE_TRANSIENT);
    }
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) on_row(stmt);
    sqlite3_reset(stmt);
    return rc == SQLITE_DONE;
  }

  PeerOptions options_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt *count_ = nullptr, *text_ = nullptr, *sort_ = nullptr, *facet_fill_ = nullptr, *facet_count_ = nullptr,
               *facet_page_ = nullptr, *facet_brand_ = nullptr, *facet_category_ = nullptr, *facet_drop_ = nullptr;
};

}  // namespace

std::unique_ptr<Peer> MakeSqlitePeer(const PeerOptions& options) { return std::make_unique<SqlitePeer>(options); }

}  // namespace ultrasearch::bench
