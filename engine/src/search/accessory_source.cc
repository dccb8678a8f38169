#include "search/accessory_source.h"

#include <algorithm>
#include <cstdint>
#include <limits>

namespace ultrasearch {

namespace {

// One term's postings in one shard, opened on first use and only ever moved forward. Keeps its
// current docid: the iterator's are virtual calls, and the matcher asks about every candidate.
class LazyPostings {
 public:
  explicit LazyPostings(const std::string* term) : term_(term) {}

  void Reset() { opened_ = false; }

  // Whether the term is in document `did`, and its wdf there. `did` never goes back.
  bool At(const Xapian::Database& db, Xapian::docid did, Xapian::termcount* wdf) {
    if (!MoveTo(db, did) || docid_ != did) return false;
    *wdf = it_.get_wdf();
    return true;
  }

  // Moves to the first document >= `did`; false at the end of the list.
  bool MoveTo(const Xapian::Database& db, Xapian::docid did) {
    if (!opened_) Open(db);
    if (ended_ || docid_ >= did) return !ended_;
    it_.skip_to(did);
    ended_ = it_ == end_;
    if (!ended_) docid_ = *it_;
    return !ended_;
  }

  Xapian::docid docid() const { return docid_; }
  bool ended() const { return opened_ && ended_; }

 private:
  void Open(const Xapian::Database& db) {
    it_ = db.postlist_begin(*term_);
    end_ = db.postlist_end(*term_);
    opened_ = true;
    ended_ = it_ == end_;
    docid_ = ended_ ? 0 : *it_;
  }

  const std::string* term_;  // owned by the plan
  bool opened_ = false, ended_ = false;
  Xapian::docid docid_ = 0;
  Xapian::PostingIterator it_, end_;
};

struct WordPostings {
  std::vector<LazyPostings> text, target;
};

class AccessoryTargetSource : public Xapian::PostingSource {
 public:
  explicit AccessoryTargetSource(std::shared_ptr<const AccessoryPlan> plan) : plan_(std::move(plan)) {
    for (const auto& word : plan_->words) {
      WordPostings postings;
      for (const auto& t : word.text_terms) postings.text.emplace_back(&t);
      for (const auto& t : word.target_terms) postings.target.emplace_back(&t);
      words_.push_back(std::move(postings));
      if (!word.target_terms.empty()) max_weight_ += word.idf * (plan_->k1 + 1);
    }
    target_here_.resize(words_.size());
    text_here_.resize(words_.size());
    target_wdf_.resize(words_.size());
  }

  void init(const Xapian::Database& db) override {
    db_ = db;
    doccount_ = db.get_doccount();
    for (auto& word : words_) {
      for (auto& p : word.text) p.Reset();
      for (auto& p : word.target) p.Reset();
    }
    current_ = 0;
    at_end_ = false;
    live_max_weight_ = max_weight_;
    set_maxweight(max_weight_);
  }

  Xapian::doccount get_termfreq_min() const override { return 0; }
  Xapian::doccount get_termfreq_est() const override {
    const double share = plan_->collection_size > 0 ? doccount_ / plan_->collection_size : 1.0;
    return static_cast<Xapian::doccount>(std::min<double>(doccount_, plan_->target_postings * share));
  }
  Xapian::doccount get_termfreq_max() const override {
    return static_cast<Xapian::doccount>(std::min<double>(doccount_, plan_->target_postings));
  }

  void next(double) override { MoveTo(current_ + 1); }
  void skip_to(Xapian::docid did, double) override {
    if (did > current_) MoveTo(did);
  }
  bool at_end() const override { return at_end_; }
  Xapian::docid get_docid() const override { return current_; }

  double get_weight() const override {
    const Xapian::termcount length = db_.get_doclength(current_);
    const double normlen = std::max(length / plan_->average_length, plan_->min_normlen);
    const double length_part = plan_->k1 * (normlen * plan_->b + (1 - plan_->b));
    std::fill(target_wdf_.begin(), target_wdf_.end(), 0);
    std::fill(text_here_.begin(), text_here_.end(), kUnknown);
    for (size_t i = 0; i < words_.size(); ++i) {
      target_here_[i] = false;
      for (auto& p : words_[i].target) {
        Xapian::termcount wdf = 0;
        if (p.At(db_, current_, &wdf)) {
          target_here_[i] = true;
          target_wdf_[i] += wdf;
        }
      }
    }
    double weight = 0;
    for (size_t i = 0; i < words_.size(); ++i) {
      if (!target_here_[i]) continue;
      // BM25 of the word as Xapian weighs a synonym group: the sum of its terms' wdf.
      double wdf = target_wdf_[i];
      for (auto& p : words_[i].text) {
        Xapian::termcount w = 0;
        if (p.At(db_, current_, &w)) wdf += w;
      }
      const double word_weight = plan_->words[i].idf * (plan_->k1 + 1) * wdf / (length_part + wdf);
      weight += plan_->share * word_weight;
      if (AnotherWordOutsideTargets(i)) weight += (1 - plan_->share) * word_weight;
    }
    return weight;
  }

  PostingSource* clone() const override { return new AccessoryTargetSource(plan_); }
  std::string get_description() const override {
    return "AccessoryTargets(" + std::to_string(plan_->words.size()) + " words)";
  }

 private:
  void MoveTo(Xapian::docid did) {
    Xapian::docid best = std::numeric_limits<Xapian::docid>::max();
    for (auto& word : words_) {
      for (auto& p : word.target) {
        if (p.MoveTo(db_, did)) best = std::min(best, p.docid());
      }
    }
    at_end_ = best == std::numeric_limits<Xapian::docid>::max();
    current_ = at_end_ ? current_ : best;
    LowerMaxWeight();
  }

  // A word whose target lists have all ended adds nothing more: telling Xapian lets it prune as
  // it would once a subquery ends (top-k without a total, where the bound decides what is skipped).
  void LowerMaxWeight() {
    double live = 0;
    for (size_t i = 0; i < words_.size(); ++i) {
      bool any = false;
      for (const auto& p : words_[i].target) any = any || !p.ended();
      if (any) live += plan_->words[i].idf * (plan_->k1 + 1);
    }
    if (live < live_max_weight_) {
      live_max_weight_ = live;
      set_maxweight(live);
    }
  }

  // Whether the current document has a word other than `i` of the query in the field where it is
  // not a target (it names the accessory as well as what it is for).
  bool AnotherWordOutsideTargets(size_t i) const {
    for (size_t j = 0; j < words_.size(); ++j) {
      if (j == i || target_here_[j]) continue;
      if (text_here_[j] == kUnknown) {
        text_here_[j] = kAbsent;
        for (auto& p : words_[j].text) {
          Xapian::termcount unused = 0;
          if (p.At(db_, current_, &unused)) {
            text_here_[j] = kPresent;
            break;
          }
        }
      }
      if (text_here_[j] == kPresent) return true;
    }
    return false;
  }

  std::shared_ptr<const AccessoryPlan> plan_;
  // The postings move as the matcher asks about later documents; get_weight is const in Xapian's
  // interface but reads them forward.
  mutable std::vector<WordPostings> words_;
  mutable std::vector<bool> target_here_;
  mutable std::vector<Xapian::termcount> target_wdf_;  // per word: its F wdf in the current document
  // Per word, whether the current document has one of its T terms (asked at most once a document).
  enum Presence : uint8_t { kUnknown, kAbsent, kPresent };
  mutable std::vector<Presence> text_here_;
  Xapian::Database db_;
  Xapian::doccount doccount_ = 0;
  Xapian::docid current_ = 0;
  bool at_end_ = false;
  double max_weight_ = 0;       // every target word's bound
  double live_max_weight_ = 0;  // the bound of the words whose target lists have not ended
};

}  // namespace

Xapian::Query AccessoryTargetQuery(std::shared_ptr<const AccessoryPlan> plan) {
  return Xapian::Query((new AccessoryTargetSource(std::move(plan)))->release());
}

}  // namespace ultrasearch
