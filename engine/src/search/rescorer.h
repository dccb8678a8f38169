// Scores of the queries that combine their children's scores (dis_max, boosting, function_score,
// and bool/constant_score around them) computed from Xapian's weights of the children.
//
// Why after matching rather than inside Xapian: Xapian's matcher only sums weights (OP_OR,
// OP_AND_MAYBE) or scales them by constants (OP_SCALE_WEIGHT). dis_max's max, boosting's
// "times negative_boost when the negative query matches" and function_score's products of
// per-document functions cannot be spelled as a Xapian query, and OP_MAX crashes over sharded
// databases in Xapian 1.4 (query_compiler.cc). A PostingSource could add a per-document value but
// never multiply one in, and a KeyMaker sees the document without its weight. So the searcher
// matches with Xapian (the children's weights summed, which decides which documents are looked
// at when there are too many), and this class computes each candidate's exact score: every part
// of the tree that is scored by Xapian alone (a "leaf": match, term, bool without combinators...)
// is run once more, restricted to the search's matches, to read its weight per candidate, and the
// combinators' formulas are applied on top. Exact over every match up to the searcher's window.
#pragma once

#include <xapian.h>

#include <map>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "search/query_compiler.h"
#include "ultrasearch/query.h"
#include "ultrasearch/status.h"

namespace ultrasearch {

// Whether `query` holds a node whose score the rescorer must compute.
bool NeedsRescoring(const Query& query);

class Rescorer {
 public:
  // `query` must outlive the rescorer. `now_millis`: what "now" means for date decay origins.
  Rescorer(const Query& query, const CompileContext& cc, int64_t now_millis);

  struct Candidate {
    Xapian::docid docid;  // of cc.db
  };
  struct Scored {
    bool matched = false;  // false: a function_score's min_score dropped it
    double score = 0;
    std::optional<Explanation> explanation;  // when asked for
  };

  // The score of each candidate, in order. `matching`: the search's query (every candidate
  // matches it): the parts run restricted by it, as cheap as the search itself, and keep the
  // candidates' weights. Throws Xapian::Error (the caller's RunOnReader retries).
  Result<std::vector<Scored>> Score(const std::vector<Candidate>& candidates, bool explain,
                                    const Xapian::Query& matching);

 private:
  struct Leaf {
    std::map<Xapian::docid, double> weights;  // the candidates the leaf matches
  };
  struct Eval {
    bool matched = false;
    double score = 0;
  };

  Status CollectLeaves(const Query& q, const Xapian::Query& restrict);
  std::unordered_set<Xapian::docid> candidates_;
  Result<Eval> Evaluate(const Query& q, Xapian::docid docid, Explanation* out);
  Result<Eval> EvaluateFunctions(const FunctionScoreQuery& f, double boost, Xapian::docid docid, Explanation* out);
  Result<double> FunctionValue(const ScoreFunction& fn, Xapian::docid docid, Explanation* out);
  Result<std::optional<double>> FieldNumber(const std::string& field, Xapian::docid docid);

  const Query& query_;
  const CompileContext& cc_;
  int64_t now_millis_;
  std::map<const Query*, Leaf> leaves_;
  std::map<Xapian::docid, Xapian::Document> documents_;  // read once for field values
};

}  // namespace ultrasearch
