// PostgreSQL full-text search over libpq, one table per text search configuration (`simple`:
// lower-cased words; `russian`: Snowball Russian stems and stop words). The tsvector is a stored
// generated column (name weighted A, description B), so COPY computes it while loading; the GIN
// index is built after the load (faster than maintaining it row by row, as PostgreSQL's manual
// advises for bulk loads), then ANALYZE. Queries: plainto_tsquery (every word, AND), ranked by
// ts_rank; the exact total from a window count; facets as GROUP BYs over a materialised match set,
// all in one statement and one round trip.
#include <libpq-fe.h>

#include <fstream>

#include "catalog_reader.h"
#include "peer.h"

namespace ultrasearch::bench {
namespace {

// COPY's text format: backslash, tab and line breaks escaped.
void AppendCopyField(std::string* out, const std::string& value) {
  for (char c : value) {
    switch (c) {
      case '\\': *out += "\\\\"; break;
      case '\t': *out += "\\t"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      default: *out += c;
    }
  }
}

class PostgresPeer : public Peer {
 public:
  PostgresPeer(PeerOptions options, std::string config) : options_(std::move(options)), config_(std::move(config)) {}
  ~PostgresPeer() override {
    if (conn_ != nullptr) PQfinish(conn_);
  }

  std::string Import(const std::string& catalog_path) override {
    CatalogReader reader(catalog_path);
    if (!reader.ok()) return "cannot read " + catalog_path;
    if (auto error = Connect(); !error.empty()) return error;
    const std::string& t = options_.table;
    const std::string vector = "setweight(to_tsvector('" + config_ + "', name), 'A') || setweight(to_tsvector('" +
                               config_ + "', description), 'B')";
    if (auto error = Exec("DROP TABLE IF EXISTS " + t + "; CREATE TABLE " + t +
                          "(id text PRIMARY KEY, name text, description text, brand text, category text,"
                          " price double precision, json text, tsv tsvector GENERATED ALWAYS AS (" + vector +
                          ") STORED)");
        !error.empty()) {
      return error;
    }
    PGresult* copy = PQexec(conn_, ("COPY " + t + "(id, name, description, brand, category, price, json) FROM STDIN").c_str());
    const bool copying = PQresultStatus(copy) == PGRES_COPY_IN;
    PQclear(copy);
    if (!copying) return PQerrorMessage(conn_);
    std::string buffer;
    Product p;
    while (reader.Next(&p)) {
      for (const std::string* field : {&p.id, &p.name, &p.description, &p.brand, &p.category}) {
        AppendCopyField(&buffer, *field);
        buffer += '\t';
      }
      buffer += std::to_string(p.price);
      buffer += '\t';
      AppendCopyField(&buffer, p.json);
      buffer += '\n';
      if (buffer.size() > (1 << 20)) {
        if (PQputCopyData(conn_, buffer.data(), static_cast<int>(buffer.size())) != 1) return PQerrorMessage(conn_);
        buffer.clear();
      }
    }
    if (!buffer.empty() && PQputCopyData(conn_, buffer.data(), static_cast<int>(buffer.size())) != 1) {
      return PQerrorMessage(conn_);
    }
    if (PQputCopyEnd(conn_, nullptr) != 1) return PQerrorMessage(conn_);
    for (PGresult* r; (r = PQgetResult(conn_)) != nullptr;) {
      const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
      PQclear(r);
      if (!ok) return PQerrorMessage(conn_);
    }
    if (auto error = Exec("CREATE INDEX " + t + "_tsv ON " + t + " USING gin(tsv); ANALYZE " + t + "; CHECKPOINT");
        !error.empty()) {
      return error;
    }
    server_peak_rss_kib_ = BackendPeakRssKib();
    return {};
  }

  std::string ImportReport() const override {
    return "{\"server_peak_rss_kib\": " + std::to_string(server_peak_rss_kib_) + "}";
  }

  std::string Open() override {
    if (auto error = Connect(); !error.empty()) return error;
    const std::string& t = options_.table;
    const std::string q = "plainto_tsquery('" + config_ + "', $1)";
    const std::string match = " FROM " + t + " WHERE tsv @@ " + q;
    const std::string rank = "ts_rank(tsv, " + q + ")";
    if (auto e = Prepare("text", "SELECT json, count(*) OVER ()" + match + " ORDER BY " + rank + " DESC LIMIT 10"); !e.empty()) return e;
    if (auto e = Prepare("sort", "SELECT json, count(*) OVER ()" + match + " ORDER BY price LIMIT 10"); !e.empty()) return e;
    const std::string facet =
        "WITH m AS MATERIALIZED (SELECT id, brand, category, " + rank + " AS r" + match + " AND price BETWEEN " +
        std::to_string(kPriceLow) + " AND " + std::to_string(kPriceHigh) +
        "), page AS (SELECT m.id FROM m ORDER BY r DESC LIMIT 10)"
        " SELECT (SELECT count(*) FROM m),"
        " (SELECT count(*) FROM page JOIN " + t + " p ON p.id = page.id WHERE p.json IS NOT NULL),"
        " (SELECT count(*) FROM (SELECT brand, count(*) c FROM m GROUP BY brand ORDER BY c DESC LIMIT 10) b),"
        " (SELECT count(*) FROM (SELECT category, count(*) c FROM m GROUP BY category ORDER BY c DESC LIMIT 10) c)";
    return Prepare("facet", facet);
  }

  bool Query(QueryKind kind, const std::vector<std::string>& words, Answer* answer, std::string* error) override {
    std::string text;
    for (const auto& w : words) text += (text.empty() ? "" : " ") + w;
    const char* params[] = {text.c_str()};
    PGresult* r = PQexecPrepared(conn_, QueryKindName(kind), 1, params, nullptr, nullptr, 0);
    const bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
    *answer = {};
    if (!ok) {
      *error = PQerrorMessage(conn_);
    } else if (kind == QueryKind::kFacet) {
      answer->total = std::stoull(PQgetvalue(r, 0, 0));
      answer->hits = static_cast<uint32_t>(std::stoul(PQgetvalue(r, 0, 1)));
      answer->facet_buckets = static_cast<uint32_t>(std::stoul(PQgetvalue(r, 0, 2)) + std::stoul(PQgetvalue(r, 0, 3)));
    } else {
      answer->hits = static_cast<uint32_t>(PQntuples(r));
      if (answer->hits > 0) answer->total = std::stoull(PQgetvalue(r, 0, 1));
    }
    PQclear(r);
    return ok;
  }

 private:
  std::string Connect() {
    conn_ = PQconnectdb(options_.conninfo.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) return PQerrorMessage(conn_);
    PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);  // "text-search query contains only stop words"
    return {};
  }
  std::string Exec(const std::string& sql) {
    PGresult* r = PQexec(conn_, sql.c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    PQclear(r);
    return ok ? std::string() : std::string(PQerrorMessage(conn_));
  }
  std::string Prepare(const char* name, const std::string& sql) {
    PGresult* r = PQprepare(conn_, name, sql.c_str(), 1, nullptr);
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    return ok ? std::string() : std::string(PQerrorMessage(conn_));
  }

  // The peak resident set of the server process that did the load (VmHWM; the server runs on this
  // machine), read before the connection closes and the backend exits.
  uint64_t BackendPeakRssKib() {
    PGresult* r = PQexec(conn_, "SELECT pg_backend_pid()");
    std::string pid = PQresultStatus(r) == PGRES_TUPLES_OK ? PQgetvalue(r, 0, 0) : "";
    PQclear(r);
    std::ifstream status("/proc/" + pid + "/status");
    for (std::string line; std::getline(status, line);) {
      if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6));
    }
    return 0;
  }

  PeerOptions options_;
  std::string config_;
  uint64_t server_peak_rss_kib_ = 0;
  PGconn* conn_ = nullptr;
};

}  // namespace

std::unique_ptr<Peer> MakePostgresPeer(const PeerOptions& options, const std::string& ts_config) {
  return std::make_unique<PostgresPeer>(options, ts_config);
}

}  // namespace ultrasearch::bench
