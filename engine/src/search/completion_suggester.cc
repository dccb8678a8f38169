#include "search/completion_suggester.h"

#include <algorithm>
#include <set>
#include <unordered_set>

#include "index/completion_keys.h"
#include "index/shingles.h"
#include "index/term_scheme.h"
#include "mapping/document_parser.h"
#include "search/fuzzy.h"
#include "search/reader_retry.h"
#include "search/term_dictionary.h"
#include "ultrasearch/utf8.h"

namespace ultrasearch {

namespace {

// A term in the prefix's range: the key's weight and whether the prefix matched it exactly.
struct Candidate {
  std::string term;
  uint32_t weight = 0;
  uint32_t input = 0;
  bool fuzzy = false;
};

bool Heavier(const Candidate& a, const Candidate& b) {
  if (a.weight != b.weight) return a.weight > b.weight;
  if (a.fuzzy != b.fuzzy) return !a.fuzzy;
  return a.term < b.term;
}

// A document the walk has chosen, before its source is read.
struct Pick {
  Xapian::docid docid = 0;
  uint32_t input = 0;
  uint32_t weight = 0;
};

// The typed prefix as the key starts to look for: one per alternative slot (completion_keys.h),
// plus, with fuzzy, the same with the last word replaced by each indexed word whose start is
// within the allowed edits of it.
struct Prefixes {
  std::vector<std::string> exact;
  std::vector<std::string> fuzzy;
};

Prefixes PrefixesFor(const SuggestRequest& request, const std::vector<Token>& tokens, const Xapian::Database& db,
                     const std::string& word_prefix, uint64_t reader_version) {
  Prefixes out;
  out.exact = CompletionKeys(tokens);
  if (out.exact.empty()) out.exact.push_back(std::string());
  // Elasticsearch keeps separators: "samsung " completes "samsung galaxy" but not "samsungx".
  const bool ends_word = !request.text.empty() && (request.text.back() == ' ' || request.text.back() == '\t');
  if (ends_word) {
    for (auto& p : out.exact) {
      if (!p.empty()) p += ' ';
    }
    return out;  // a finished word is not corrected
  }
  auto words = WordsOfTokens(tokens);
  if (request.fuzzy.mode == Fuzziness::Mode::kNone || words.empty()) return out;
  const auto& last = words.back();
  std::set<std::string> corrected;
  for (const auto& alt : last) {
    const size_t length = DecodeUtf8(alt).size();
    if (length < static_cast<size_t>(std::max(1, request.fuzzy_min_length))) continue;
    const int edits = AllowedEdits(request.fuzzy, length);
    if (edits == 0) continue;
    FuzzyOptions options{edits, request.fuzzy.prefix_length, std::max(1, request.fuzzy.max_expansions), true, true};
    auto dict = TermDictionaryCache::Global().Get(db, word_prefix, reader_version);
    for (auto& match : dict->Search(alt, options)) {
      if (match.distance > 0) corrected.insert(match.term);
    }
  }
  if (corrected.empty()) return out;
  std::vector<std::vector<std::string>> head(words.begin(), words.end() - 1);
  std::vector<std::string> heads = head.empty() ? std::vector<std::string>{std::string()} : Shingles(head, head.size()).front();
  for (const auto& h : heads) {
    for (const auto& w : corrected) out.fuzzy.push_back(h.empty() ? w : h + ' ' + w);
  }
  return out;
}

// Every input term whose key starts with one of the prefixes.
std::vector<Candidate> Collect(const Xapian::Database& db, const std::string& field_prefix, const Prefixes& prefixes) {
  std::vector<Candidate> out;
  std::unordered_set<std::string> seen;
  auto scan = [&](const std::string& typed, bool fuzzy) {
    const std::string start = field_prefix + typed;
    for (auto it = db.allterms_begin(start); it != db.allterms_end(start); ++it) {
      std::string term = *it;
      auto entry = ParseCompletionTerm(std::string_view(term).substr(field_prefix.size()));
      if (!entry) continue;
      if (!seen.insert(term).second) continue;
      out.push_back({std::move(term), entry->weight, entry->input, fuzzy});
    }
  };
  for (const auto& p : prefixes.exact) scan(p, false);
  for (const auto& p : prefixes.fuzzy) scan(p, true);
  std::sort(out.begin(), out.end(), Heavier);
  return out;
}

}  // namespace

Result<SuggestResult> SuggestCompletions(const SuggestRequest& request, const SearchContext& ctx) {
  const FieldMapping* field = ctx.mapping.Find(request.field);
  if (field == nullptr || field->type != FieldType::kCompletion) {
    return Status::InvalidArgument("Field [" + request.field + "] is not a completion suggest field");
  }
  const std::string& analyzer_name = request.analyzer.empty() ? field->EffectiveSearchAnalyzer() : request.analyzer;
  const Analyzer* analyzer = ctx.analyzers.Find(analyzer_name);
  if (analyzer == nullptr) return Status::InvalidArgument("analyzer [" + analyzer_name + "] not found");
  std::vector<Token> tokens;
  analyzer->Analyze(request.text, AnalysisMode::kQuery, &tokens);

  SuggestResult result;
  result.name = request.name;
  result.type = request.type;
  result.entries.push_back({request.text, 0, static_cast<uint32_t>(Utf16Length(request.text)), {}});
  SuggestEntry& entry = result.entries.front();

  auto lease = ctx.readers.Acquire();
  if (!lease.ok()) return lease.status();
  const std::string field_prefix = terms::CompletionPrefix(field->ordinal);
  std::vector<Candidate> candidates;
  Status s = RunOnReader(*lease, "suggesting completions", [&](Xapian::Database& db) -> Status {
    Prefixes prefixes = PrefixesFor(request, tokens, db, terms::CompletionWordPrefix(field->ordinal), lease->version());
    candidates = Collect(db, field_prefix, prefixes);
    return Status::OK();
  });
  if (!s.ok()) return s;

  // Heaviest first: read postings a term at a time, the sources a batch at a time, until the
  // options are full (skip_duplicates may drop some, so batches continue past `size`).
  std::unordered_set<Xapian::docid> seen_docs;
  std::set<std::string> seen_texts;
  size_t next = 0;
  while (entry.options.size() < request.size && next < candidates.size()) {
    std::vector<Pick> batch;
    std::vector<std::string> ids;
    std::unordered_set<Xapian::docid> seen_after;
    Status walked = RunOnReader(*lease, "suggesting completions", [&](Xapian::Database& db) -> Status {
      // A retry after the reader moved starts this batch again from the same state.
      batch.clear();
      ids.clear();
      seen_after = seen_docs;
      size_t i = next;
      for (; i < candidates.size() && batch.size() < request.size; ++i) {
        const Candidate& c = candidates[i];
        for (auto p = db.postlist_begin(c.term); p != db.postlist_end(c.term); ++p) {
          if (!seen_after.insert(*p).second) continue;
          batch.push_back({*p, c.input, c.weight});
          ids.push_back(HitId(ctx.columns.get(), db, *p));
        }
      }
      next = i;
      return Status::OK();
    });
    if (!walked.ok()) return walked;
    seen_docs = std::move(seen_after);
    std::vector<std::optional<StoredDoc>> stored;
    if (Status got = ctx.catalog.MultiGetDocs(ids, &stored); !got.ok()) return got;
    for (size_t i = 0; i < batch.size() && entry.options.size() < request.size; ++i) {
      if (!stored[i]) continue;  // deleted since the last refresh
      std::vector<std::vector<RawValue>> values;
      if (!ExtractPaths(stored[i]->source, {field->path}, &values).ok()) continue;
      if (batch[i].input >= values.front().size()) continue;
      std::string text = values.front()[batch[i].input].text;
      if (request.skip_duplicates && !seen_texts.insert(text).second) continue;
      SuggestOption option;
      option.text = std::move(text);
      option.score = batch[i].weight;
      option.id = std::move(ids[i]);
      option.source_json = std::move(stored[i]->source);
      entry.options.push_back(std::move(option));
    }
  }
  return result;
}

}  // namespace ultrasearch
