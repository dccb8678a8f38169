// A per-field term dictionary organised for edit-distance search (typo tolerance).
//
// Structure: the field's terms in byte order (which for UTF-8 is code-point order), decoded to code
// points in one flat array, with the longest common prefix (LCP) of each term with the one before.
// That sorted array *is* a trie, implicitly: the terms below a trie node are a contiguous run, and
// the LCP says how much of the path to the previous term the next term shares. A search walks it
// depth-first with a row-by-row Levenshtein DP (one row per trie depth, only the 2k+1 diagonal band
// computed), reuses the rows of the shared prefix from term to term, and, as soon as a row's
// minimum exceeds k, skips the whole subtree (every later term with that prefix: the first later
// term whose LCP is below the depth, found over per-16/256-term LCP minima). That is the
// Schulz-Mihov pruning a Levenshtein automaton gives over a trie, with Damerau transpositions
// (optimal string alignment, as Elasticsearch's fuzzy_transpositions).
//
// Why this rather than a pointer trie, a DAWG or a SymSpell deletion index:
//  - Build is one pass over Xapian's already-sorted allterms list: decode, compute LCP, append.
//    No node allocation, no minimisation; about 5 bytes per code point + 13 bytes per term
//    (187k terms of the 1M-product `name` field: 13 MiB, built in ~80 ms, updated in ~30 ms).
//    A SymSpell index at 2 edits stores O(L^2) deletion variants per term (tens per term, hundreds
//    of MB at a million products) and is slow to rebuild on every refresh.
//  - A search visits the same trie nodes a pointer trie would, but in array order (cache friendly).
//  - Refresh is cheap (see Update): Xapian terms are append-mostly, so a new reader revision reuses
//    the previous dictionary's sorted arrays and only adds a small sorted delta of new terms; a merge
//    pass over the fresh allterms list refreshes every frequency, and terms gone from the index get
//    frequency 0 and are never returned. The result is always exactly what a full build would give.
//
// Thread safety: a TermDictionary is immutable after construction and safe to search from any
// number of threads. Building reads a Xapian::Database, which the caller must not share.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ultrasearch {

struct FuzzyOptions {
  int max_edits = 2;          // 0..2 (larger values are clamped to 2)
  int prefix_length = 0;      // code points that must match exactly
  int max_expansions = 50;    // cap on returned terms
  bool transpositions = true;  // adjacent swap counts as one edit (Elasticsearch's default)
  // Match terms that *start* with something within max_edits of the pattern (a fuzzy prefix, as
  // the completion suggester's fuzzy option) instead of whole terms. A term's distance is then
  // that of its shortest such start.
  bool prefix = false;
};

struct FuzzyMatch {
  std::string term;  // without the field prefix
  int distance = 0;
  Xapian::doccount freq = 0;
};

// Orders matches as expansion wants them: closest first, then more frequent, then by term bytes.
bool FuzzyMatchBefore(const FuzzyMatch& a, const FuzzyMatch& b);

class TermDictionary {
 public:
  struct Segment;  // one sorted run of terms (defined in term_dictionary.cc)

  // Every term of `db` starting with `field_prefix` (stored without it). Throws Xapian::Error
  // (DatabaseModifiedError if the revision was overwritten: reopen and retry).
  static std::shared_ptr<const TermDictionary> Build(const Xapian::Database& db, const std::string& field_prefix);

  // The dictionary of `db` now, reusing `previous` (built from an earlier revision of the same
  // database and field): its sorted arrays are shared and only the terms added since become a new
  // small segment; frequencies are all refreshed. Falls back to Build when the added terms
  // outgrow a quarter of the shared ones. Throws as Build.
  static std::shared_ptr<const TermDictionary> Update(const Xapian::Database& db, const std::string& field_prefix,
                                                      const std::shared_ptr<const TermDictionary>& previous);

  // Builds from an explicit list (tests): terms (any order, duplicates merged) with frequencies.
  static std::shared_ptr<const TermDictionary> FromTerms(std::vector<std::pair<std::string, Xapian::doccount>> terms);

  // Terms within options.max_edits of `term` sharing its first options.prefix_length code points,
  // ordered by FuzzyMatchBefore, at most options.max_expansions. Terms no longer in the index
  // (frequency 0) are never returned. Thread-safe.
  std::vector<FuzzyMatch> Search(std::string_view term, const FuzzyOptions& options) const;

  // The at most `limit` most frequent live terms starting with `prefix` (distance 0), most frequent
  // first, ties by term bytes: the expansion of a prefix typed one keystroke at a time. Two binary
  // searches find the prefix's run of terms in each segment, then one pass over that run's
  // frequencies keeps the top `limit` (a one-letter prefix of the 1M-product vocabulary is a run
  // of some ten thousand frequencies, read in microseconds, never a walk of Xapian's term B-tree).
  // Thread-safe.
  std::vector<FuzzyMatch> MostFrequentWithPrefix(std::string_view prefix, size_t limit) const;

  // The number of documents with `term` (without the field prefix), 0 for a term not in the
  // index: Database::get_termfreq without reading Xapian's B-tree (a binary search per segment).
  // Thread-safe.
  Xapian::doccount Frequency(std::string_view term) const;

  size_t term_count() const;    // live terms (frequency > 0)
  size_t memory_bytes() const;  // approximate heap use
  size_t segment_count() const { return segments_.size(); }

  TermDictionary();
  ~TermDictionary();

 private:
  struct Part {
    std::shared_ptr<const Segment> segment;
    std::vector<Xapian::doccount> freqs;  // parallel to the segment's terms; 0 = gone
  };
  std::vector<Part> segments_;
};

// Process-wide cache of dictionaries, keyed by (database UUID, field prefix) and the reader's
// revision (Database::get_revision; for a sharded multi-database, a fingerprint of the write
// sequence its commits record and its statistics). A
// reindexed directory has a new UUID, every commit a new revision, so a reader never sees a
// dictionary of another state. Concurrent readers at the same revision share one dictionary and one
// build (the others wait for it); a new revision updates from the newest cached one (Update).
// Holds at most kMaxFields (database, field) pairs, least recently used evicted, and a few
// revisions of each. Thread-safe.
class TermDictionaryCache {
 public:
  static constexpr size_t kMaxFields = 32;
  static constexpr size_t kRevisionsPerField = 3;

  static TermDictionaryCache& Global();

  // The dictionary for `field_prefix` at `db`'s revision, built or updated if needed. Throws
  // Xapian::Error from the build (DatabaseModifiedError: reopen and retry).
  // `reader_version`, when not 0, identifies the reader's state (the reader pool's epoch and
  // generation) and is used instead of the revision fingerprint.
  std::shared_ptr<const TermDictionary> Get(const Xapian::Database& db, const std::string& field_prefix,
                                            uint64_t reader_version = 0);

  // For a caller that can do without (reading Xapian's statistics instead): the dictionary at
  // `db`'s revision when it is cached, or when the field has never had one (built now, once);
  // nullptr when only an older revision is cached, so a query never pays the update that each
  // refresh under writes would otherwise cost the first query after it (tens of milliseconds at
  // 1M products). Throws as Get.
  std::shared_ptr<const TermDictionary> GetWithoutUpdate(const Xapian::Database& db, const std::string& field_prefix,
                                                         uint64_t reader_version = 0);

  TermDictionaryCache();
  ~TermDictionaryCache();
  TermDictionaryCache(const TermDictionaryCache&) = delete;
  TermDictionaryCache& operator=(const TermDictionaryCache&) = delete;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Term frequencies for one query: from each field's dictionary when it is current
// (TermDictionaryCache::GetWithoutUpdate), else Xapian's get_termfreq, which walks the B-tree of
// every shard. Looks each field's dictionary up once. Not thread-safe (one per query).
class FieldTermFrequencies {
 public:
  FieldTermFrequencies(const Xapian::Database& db, uint64_t reader_version) : db_(db), reader_version_(reader_version) {}

  // Documents with `field_prefix` + `term`. Throws as TermDictionaryCache::Get.
  Xapian::doccount Of(std::string_view field_prefix, std::string_view term);

 private:
  const Xapian::Database& db_;
  uint64_t reader_version_;
  std::vector<std::pair<std::string, std::shared_ptr<const TermDictionary>>> dictionaries_;  // by prefix
};

}  // namespace ultrasearch
