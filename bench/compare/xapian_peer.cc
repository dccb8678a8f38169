// Plain Xapian: the floor under the engine's text matching. The same fields without the engine's
// layers (no cross-script alternatives, no Uzbek folding or stemming): TermGenerator with the
// Russian stemmer on name (weight 3) and description, brand and category in value slots for
// ValueCountMatchSpy, price as a sortable value, the JSON as document data, one commit.
// Queries: QueryParser with the Russian stemmer, default operator AND.
#include <xapian.h>

#include <algorithm>

#include "catalog_reader.h"
#include "peer.h"

namespace ultrasearch::bench {
namespace {

enum Slot : Xapian::valueno { kBrandSlot = 0, kCategorySlot = 1, kPriceSlot = 2 };

class XapianPeer : public Peer {
 public:
  explicit XapianPeer(PeerOptions options) : options_(std::move(options)) {}

  std::string Import(const std::string& catalog_path) override {
    CatalogReader reader(catalog_path);
    if (!reader.ok()) return "cannot read " + catalog_path;
    try {
      Xapian::WritableDatabase db(options_.dir, Xapian::DB_CREATE_OR_OVERWRITE);
      Xapian::TermGenerator generator;
      generator.set_stemmer(Xapian::Stem("russian"));
      Product p;
      while (reader.Next(&p)) {
        Xapian::Document doc;
        generator.set_document(doc);
        generator.index_text(p.name, 3);
        generator.increase_termpos();
        generator.index_text(p.description);
        doc.add_value(kBrandSlot, p.brand);
        doc.add_value(kCategorySlot, p.category);
        doc.add_value(kPriceSlot, Xapian::sortable_serialise(p.price));
        doc.set_data(p.json);
        doc.add_boolean_term("Q" + p.id);
        db.add_document(doc);
      }
      db.commit();
    } catch (const Xapian::Error& e) {
      return e.get_description();
    }
    return {};
  }

  std::string Open() override {
    try {
      db_ = std::make_unique<Xapian::Database>(options_.dir);
      parser_.set_database(*db_);
      parser_.set_stemmer(Xapian::Stem("russian"));
      parser_.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
      parser_.set_default_op(Xapian::Query::OP_AND);
    } catch (const Xapian::Error& e) {
      return e.get_description();
    }
    return {};
  }

  bool Query(QueryKind kind, const std::vector<std::string>& words, Answer* answer, std::string* error) override {
    try {
      std::string text;
      for (const auto& w : words) text += (text.empty() ? "" : " ") + w;
      Xapian::Query query = parser_.parse_query(text, 0);  // no operators: the words as typed
      if (kind == QueryKind::kFacet) {
        query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                              Xapian::Query(Xapian::Query::OP_VALUE_RANGE, kPriceSlot,
                                            Xapian::sortable_serialise(kPriceLow),
                                            Xapian::sortable_serialise(kPriceHigh)));
      }
      Xapian::Enquire enquire(*db_);
      enquire.set_query(query);
      if (kind == QueryKind::kSort) enquire.set_sort_by_value(kPriceSlot, false);
      Xapian::ValueCountMatchSpy brands(kBrandSlot), categories(kCategorySlot);
      if (kind == QueryKind::kFacet) {
        enquire.add_matchspy(&brands);
        enquire.add_matchspy(&categories);
      }
      // check_at_least = every document: the exact total, as the other engines report it.
      Xapian::MSet mset = enquire.get_mset(0, kPageSize, db_->get_doccount());
      answer->hits = 0;
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        if (!it.get_document().get_data().empty()) ++answer->hits;
      }
      answer->total = mset.get_matches_estimated();
      answer->facet_buckets = 0;
      if (kind == QueryKind::kFacet) {
        for (auto* spy : {&brands, &categories}) {
          for (auto it = spy->top_values_begin(10); it != spy->top_values_end(10); ++it) ++answer->facet_buckets;
        }
      }
    } catch (const Xapian::Error& e) {
      *error = e.get_description();
      return false;
    }
    return true;
  }

 private:
  PeerOptions options_;
  std::unique_ptr<Xapian::Database> db_;
  Xapian::QueryParser parser_;
};

}  // namespace

std::unique_ptr<Peer> MakeXapianPeer(const PeerOptions& options) { return std::make_unique<XapianPeer>(options); }

}  // namespace ultrasearch::bench
