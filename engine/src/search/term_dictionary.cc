#include "search/term_dictionary.h"

#include <algorithm>
#include <map>
#include <mutex>

#include "index/text_index.h"
#include "search/fuzzy.h"
#include "ultrasearch/utf8.h"

namespace ultrasearch {

// One sorted run of terms. Term i is cps[cp_offsets[i], cp_offsets[i+1]) as code points and
// bytes[byte_offsets[i], byte_offsets[i+1]) as UTF-8; lcp[i] is the number of leading code points
// it shares with term i-1 (0 for the first). Terms are at most 240 bytes, so lcp fits a byte.
struct TermDictionary::Segment {
  std::vector<char32_t> cps;
  std::vector<uint32_t> cp_offsets{0};
  std::string bytes;
  std::vector<uint32_t> byte_offsets{0};
  std::vector<uint8_t> lcp;
  std::vector<uint8_t> lcp_min16, lcp_min256;  // minimum lcp per aligned block of 16 / 256 terms
  uint32_t max_length = 0;

  size_t size() const { return lcp.size(); }
  std::u32string_view Cps(size_t i) const {
    return {cps.data() + cp_offsets[i], static_cast<size_t>(cp_offsets[i + 1] - cp_offsets[i])};
  }
  std::string_view Bytes(size_t i) const {
    return {bytes.data() + byte_offsets[i], static_cast<size_t>(byte_offsets[i + 1] - byte_offsets[i])};
  }
  size_t MemoryBytes() const {
    return cps.capacity() * sizeof(char32_t) + (cp_offsets.capacity() + byte_offsets.capacity()) * sizeof(uint32_t) +
           bytes.capacity() + lcp.capacity() + lcp_min16.capacity() + lcp_min256.capacity();
  }

  // Appends a term greater than the last one.
  void Append(std::string_view term) {
    const size_t start = cps.size();
    AppendCodePoints(term);
    const size_t length = cps.size() - start;
    size_t shared = 0;
    if (!lcp.empty()) {
      const size_t prev_start = cp_offsets[size() - 1];
      const size_t limit = std::min({start - prev_start, length, size_t{255}});
      while (shared < limit && cps[prev_start + shared] == cps[start + shared]) ++shared;
    }
    lcp.push_back(static_cast<uint8_t>(shared));
    const size_t i = lcp.size() - 1;
    if ((i & 15) == 0) lcp_min16.push_back(255);
    if ((i & 255) == 0) lcp_min256.push_back(255);
    lcp_min16.back() = std::min(lcp_min16.back(), lcp.back());
    lcp_min256.back() = std::min(lcp_min256.back(), lcp.back());
    cp_offsets.push_back(static_cast<uint32_t>(cps.size()));
    bytes.append(term);
    byte_offsets.push_back(static_cast<uint32_t>(bytes.size()));
    max_length = std::max(max_length, static_cast<uint32_t>(length));
  }

 private:
  // As DecodeUtf8, without the temporary string.
  void AppendCodePoints(std::string_view s) {
    for (size_t i = 0; i < s.size();) cps.push_back(NextCodePoint(s, &i));
  }
};

namespace {

using Segment = TermDictionary::Segment;

struct Candidate {
  uint32_t part;
  uint32_t index;
  uint8_t distance;
  Xapian::doccount freq;
};

// Reusable per-thread DP rows, so a search allocates nothing in the steady state.
std::vector<uint8_t>& RowBuffer() {
  thread_local std::vector<uint8_t> rows;
  return rows;
}

// Walks one segment as an implicit trie with a banded Levenshtein (OSA) DP; see the header.
class SegmentWalker {
 public:
  SegmentWalker(const Segment& seg, std::u32string_view pattern, int max_edits, bool transpositions, bool prefix)
      : seg_(seg), p_(pattern), m_(static_cast<int>(pattern.size())), k_(max_edits), inf_(static_cast<uint8_t>(max_edits + 1)),
        width_(m_ + 2), transpositions_(transpositions), prefix_(prefix), rows_(RowBuffer()) {
    rows_.assign(static_cast<size_t>(seg.max_length + 1) * static_cast<size_t>(width_), inf_);
    uint8_t* row0 = Row(0);
    for (int j = 0; j <= std::min(m_, k_); ++j) row0[j] = static_cast<uint8_t>(j);
  }

  // Calls emit(index, distance) for every term in [lo, hi) within k edits of the pattern.
  template <typename Emit>
  void Walk(size_t lo, size_t hi, Emit&& emit) {
    int valid = 0;  // rows 0..valid are computed for the current path
    // Prefix mode: best_[d] is the least distance of the pattern to any start of the path up to
    // depth d (the term's distance once the walk reaches its end).
    if (prefix_) {
      best_.assign(static_cast<size_t>(seg_.max_length + 1), inf_);
      best_[0] = Row(0)[m_];
    }
    for (size_t i = lo; i < hi;) {
      std::u32string_view t = seg_.Cps(i);
      const int len = static_cast<int>(t.size());
      int d = i == lo ? 0 : std::min<int>(valid, seg_.lcp[i]);
      bool pruned = false;
      while (d < len) {
        ++d;
        if (!ComputeRow(t, d)) {
          valid = d - 1;
          const size_t end = SkipSubtree(i, hi, d);
          // No longer start can come within k edits; a shorter one already may have.
          if (prefix_ && best_[static_cast<size_t>(d - 1)] <= k_) {
            for (size_t j = i; j < end; ++j) emit(j, best_[static_cast<size_t>(d - 1)]);
          }
          i = end;
          pruned = true;
          break;
        }
        if (prefix_) best_[static_cast<size_t>(d)] = std::min(best_[static_cast<size_t>(d - 1)], Row(d)[m_]);
      }
      if (pruned) continue;
      valid = len;
      if (prefix_) {
        if (best_[static_cast<size_t>(len)] <= k_) emit(i, best_[static_cast<size_t>(len)]);
      } else if (std::abs(len - m_) <= k_) {
        uint8_t dist = Row(len)[m_];
        if (dist <= k_) emit(i, dist);
      }
      ++i;
    }
  }

 private:
  uint8_t* Row(int d) { return rows_.data() + static_cast<size_t>(d) * static_cast<size_t>(width_); }

  // Row d for the path t[0..d); false when every cell exceeds k (nothing below can match).
  bool ComputeRow(std::u32string_view t, int d) {
    int lo = std::max(0, d - k_);
    const int hi = std::min(m_, d + k_);
    if (lo > hi) return false;
    uint8_t* cur = Row(d);
    const uint8_t* prev = Row(d - 1);
    const char32_t c = t[static_cast<size_t>(d - 1)];
    const char32_t* p = p_.data();
    const int inf = inf_;
    int left;  // the cell to the left of j, kept in a register
    if (lo == 0) {
      cur[0] = static_cast<uint8_t>(d);
      left = d;
      lo = 1;
    } else {
      cur[lo - 1] = inf_;
      left = inf;
    }
    int row_min = std::min(left, inf);
    if (transpositions_ && d >= 2) {
      const uint8_t* prev2 = Row(d - 2);
      const char32_t pc = t[static_cast<size_t>(d - 2)];
      for (int j = lo; j <= hi; ++j) {
        int v = std::min({prev[j - 1] + (p[j - 1] != c ? 1 : 0), prev[j] + 1, left + 1});
        if (j >= 2 && p[j - 1] == pc && p[j - 2] == c) v = std::min(v, prev2[j - 2] + 1);
        v = std::min(v, inf);
        cur[j] = static_cast<uint8_t>(v);
        left = v;
        row_min = std::min(row_min, v);
      }
    } else {
      for (int j = lo; j <= hi; ++j) {
        int v = std::min({prev[j - 1] + (p[j - 1] != c ? 1 : 0), prev[j] + 1, left + 1, inf});
        cur[j] = static_cast<uint8_t>(v);
        left = v;
        row_min = std::min(row_min, v);
      }
    }
    if (hi + 1 <= m_) cur[hi + 1] = inf_;
    return row_min <= k_;
  }

  // The first index after i (below hi) whose first d code points differ from t's: the first j with
  // lcp[j] < d. Scans the LCP bytes, jumping over blocks of 16 and 256 whose minimum is >= d.
  size_t SkipSubtree(size_t i, size_t hi, int d) const {
    const uint8_t* lcp = seg_.lcp.data();
    size_t j = i + 1;
    for (; j < hi && (j & 15) != 0; ++j) {
      if (lcp[j] < d) return j;
    }
    while (j < hi) {
      if ((j & 255) == 0 && j + 256 <= hi && seg_.lcp_min256[j >> 8] >= d) {
        j += 256;
      } else if (j + 16 <= hi && seg_.lcp_min16[j >> 4] >= d) {
        j += 16;
      } else {
        for (const size_t end = std::min(j + 16, hi); j < end; ++j) {
          if (lcp[j] < d) return j;
        }
      }
    }
    return hi;
  }

  const Segment& seg_;
  std::u32string_view p_;
  const int m_;
  const int k_;
  const uint8_t inf_;
  const int width_;
  const bool transpositions_;
  const bool prefix_;
  std::vector<uint8_t>& rows_;
  std::vector<uint8_t> best_;
};

// [lo, hi) of the terms whose first `n` code points equal prefix[0..n).
std::pair<size_t, size_t> PrefixRange(const Segment& seg, std::u32string_view prefix) {
  const size_t n = prefix.size();
  if (n == 0) return {0, seg.size()};
  auto head = [&](size_t i) {
    std::u32string_view t = seg.Cps(i);
    return t.substr(0, std::min(n, t.size()));
  };
  size_t lo = 0, hi = seg.size();
  while (lo < hi) {  // first term whose head is >= prefix
    size_t mid = lo + (hi - lo) / 2;
    (head(mid) < prefix ? lo = mid + 1 : hi = mid);
  }
  size_t begin = lo;
  hi = seg.size();
  while (lo < hi) {  // first term whose head is > prefix
    size_t mid = lo + (hi - lo) / 2;
    (head(mid) <= prefix ? lo = mid + 1 : hi = mid);
  }
  return {begin, lo};
}

}  // namespace

bool FuzzyMatchBefore(const FuzzyMatch& a, const FuzzyMatch& b) {
  if (a.distance != b.distance) return a.distance < b.distance;
  if (a.freq != b.freq) return a.freq > b.freq;
  return a.term < b.term;
}

TermDictionary::TermDictionary() = default;
TermDictionary::~TermDictionary() = default;

std::shared_ptr<const TermDictionary> TermDictionary::Build(const Xapian::Database& db,
                                                            const std::string& field_prefix) {
  auto dict = std::make_shared<TermDictionary>();
  Part part;
  auto seg = std::make_shared<Segment>();
  for (auto it = db.allterms_begin(field_prefix); it != db.allterms_end(field_prefix); ++it) {
    const std::string& term = *it;
    seg->Append(std::string_view(term).substr(field_prefix.size()));
    part.freqs.push_back(it.get_termfreq());
  }
  part.segment = std::move(seg);
  dict->segments_.push_back(std::move(part));
  return dict;
}

std::shared_ptr<const TermDictionary> TermDictionary::Update(const Xapian::Database& db, const std::string& field_prefix,
                                                             const std::shared_ptr<const TermDictionary>& previous) {
  if (!previous || previous->segments_.empty()) return Build(db, field_prefix);
  const std::shared_ptr<const Segment>& base = previous->segments_.front().segment;
  const size_t limit = base->size() / 4 + 1024;
  Part shared{base, std::vector<Xapian::doccount>(base->size(), 0)};
  auto delta = std::make_shared<Segment>();
  std::vector<Xapian::doccount> delta_freqs;
  size_t j = 0;
  for (auto it = db.allterms_begin(field_prefix); it != db.allterms_end(field_prefix); ++it) {
    const std::string& full = *it;
    std::string_view term = std::string_view(full).substr(field_prefix.size());
    while (j < base->size() && base->Bytes(j) < term) ++j;  // terms in between are gone: freq 0
    if (j < base->size() && base->Bytes(j) == term) {
      shared.freqs[j++] = it.get_termfreq();
      continue;
    }
    if (delta->size() >= limit) return Build(db, field_prefix);  // too much changed: start afresh
    delta->Append(term);
    delta_freqs.push_back(it.get_termfreq());
  }
  auto dict = std::make_shared<TermDictionary>();
  dict->segments_.push_back(std::move(shared));
  if (delta->size() > 0) dict->segments_.push_back(Part{std::move(delta), std::move(delta_freqs)});
  return dict;
}

std::shared_ptr<const TermDictionary> TermDictionary::FromTerms(
    std::vector<std::pair<std::string, Xapian::doccount>> terms) {
  std::sort(terms.begin(), terms.end());
  auto dict = std::make_shared<TermDictionary>();
  Part part;
  auto seg = std::make_shared<Segment>();
  for (size_t i = 0; i < terms.size(); ++i) {
    if (i > 0 && terms[i].first == terms[i - 1].first) {
      part.freqs.back() += terms[i].second;
      continue;
    }
    seg->Append(terms[i].first);
    part.freqs.push_back(terms[i].second);
  }
  part.segment = std::move(seg);
  dict->segments_.push_back(std::move(part));
  return dict;
}

std::vector<FuzzyMatch> TermDictionary::Search(std::string_view term, const FuzzyOptions& options) const {
  const std::u32string pattern = DecodeUtf8(term);
  const int k = std::clamp(options.max_edits, 0, 2);
  const size_t prefix = std::min(pattern.size(), static_cast<size_t>(std::max(0, options.prefix_length)));
  std::vector<Candidate> hits;
  for (size_t p = 0; p < segments_.size(); ++p) {
    const Part& part = segments_[p];
    const Segment& seg = *part.segment;
    if (seg.size() == 0) continue;
    auto [lo, hi] = PrefixRange(seg, std::u32string_view(pattern).substr(0, prefix));
    if (lo >= hi) continue;
    SegmentWalker walker(seg, pattern, k, options.transpositions, options.prefix);
    walker.Walk(lo, hi, [&](size_t index, uint8_t distance) {
      if (part.freqs[index] == 0) return;  // no longer in the index
      hits.push_back({static_cast<uint32_t>(p), static_cast<uint32_t>(index), distance, part.freqs[index]});
    });
  }
  auto bytes = [&](const Candidate& h) { return segments_[h.part].segment->Bytes(h.index); };
  auto before = [&](const Candidate& a, const Candidate& b) {
    if (a.distance != b.distance) return a.distance < b.distance;
    if (a.freq != b.freq) return a.freq > b.freq;
    return bytes(a) < bytes(b);
  };
  const size_t keep = std::min(hits.size(), static_cast<size_t>(std::max(0, options.max_expansions)));
  std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(keep), hits.end(), before);
  std::vector<FuzzyMatch> out;
  out.reserve(keep);
  for (size_t i = 0; i < keep; ++i) out.push_back({std::string(bytes(hits[i])), hits[i].distance, hits[i].freq});
  return out;
}

std::vector<FuzzyMatch> TermDictionary::MostFrequentWithPrefix(std::string_view prefix, size_t limit) const {
  if (limit == 0) return {};
  const std::u32string pattern = DecodeUtf8(prefix);
  std::vector<Candidate> kept;  // a min-heap on (freq, reversed bytes) of the best `limit` so far
  auto bytes = [&](const Candidate& h) { return segments_[h.part].segment->Bytes(h.index); };
  // `better(a, b)`: a ranks before b in the answer.
  auto better = [&](const Candidate& a, const Candidate& b) {
    if (a.freq != b.freq) return a.freq > b.freq;
    return bytes(a) < bytes(b);
  };
  for (size_t p = 0; p < segments_.size(); ++p) {
    const Part& part = segments_[p];
    const Segment& seg = *part.segment;
    if (seg.size() == 0) continue;
    auto [lo, hi] = PrefixRange(seg, pattern);
    for (size_t i = lo; i < hi; ++i) {
      const Xapian::doccount freq = part.freqs[i];
      if (freq == 0) continue;  // no longer in the index
      Candidate c{static_cast<uint32_t>(p), static_cast<uint32_t>(i), 0, freq};
      if (kept.size() < limit) {
        kept.push_back(c);
        std::push_heap(kept.begin(), kept.end(), better);
      } else if (better(c, kept.front())) {
        std::pop_heap(kept.begin(), kept.end(), better);
        kept.back() = c;
        std::push_heap(kept.begin(), kept.end(), better);
      }
    }
  }
  std::sort(kept.begin(), kept.end(), better);
  std::vector<FuzzyMatch> out;
  out.reserve(kept.size());
  for (const auto& c : kept) out.push_back({std::string(bytes(c)), 0, c.freq});
  return out;
}

Xapian::doccount TermDictionary::Frequency(std::string_view term) const {
  for (const Part& part : segments_) {
    const Segment& seg = *part.segment;
    size_t lo = 0, hi = seg.size();
    while (lo < hi) {  // the first term whose bytes are >= term (byte order is the segment's order)
      const size_t mid = lo + (hi - lo) / 2;
      (seg.Bytes(mid) < term ? lo = mid + 1 : hi = mid);
    }
    if (lo < seg.size() && seg.Bytes(lo) == term && part.freqs[lo] > 0) return part.freqs[lo];
  }
  return 0;
}

size_t TermDictionary::term_count() const {
  size_t n = 0;
  for (const auto& part : segments_) n += static_cast<size_t>(std::count_if(part.freqs.begin(), part.freqs.end(), [](auto f) { return f > 0; }));
  return n;
}

size_t TermDictionary::memory_bytes() const {
  size_t n = sizeof(*this);
  for (const auto& part : segments_) n += part.segment->MemoryBytes() + part.freqs.capacity() * sizeof(Xapian::doccount);
  return n;
}

// ---------------------------------------------------------------------------------------------------

struct TermDictionaryCache::Impl {
  struct Field {
    std::mutex build_mu;  // one build per field at a time; waiters then find its result
    // Guarded by Impl::mu: (revision, dictionary), most recently built last.
    std::vector<std::pair<uint64_t, std::shared_ptr<const TermDictionary>>> revisions;
    uint64_t last_use = 0;  // guarded by Impl::mu
  };

  std::shared_ptr<const TermDictionary> Find(const Field& f, uint64_t revision) const {
    for (const auto& [rev, dict] : f.revisions) {
      if (rev == revision) return dict;
    }
    return nullptr;
  }

  std::mutex mu;
  std::map<std::string, std::shared_ptr<Field>> fields;  // guarded by mu
  uint64_t clock = 0;                                    // guarded by mu
};

namespace {

// The reader's revision. A sharded index is a multi-database, which has no revision: there the
// last applied write sequence that every shard commit records (kSequenceMetadataKey, read from the
// first shard) stands in, mixed with the statistics of all shards, which also tell apart a reader
// that opened while the shards were committing one by one.
uint64_t RevisionOf(const Xapian::Database& db) {
  try {
    return db.get_revision();
  } catch (const Xapian::InvalidOperationError&) {
  } catch (const Xapian::UnimplementedError&) {
  }
  uint64_t h = 1469598103934665603ULL;
  auto mix = [&h](uint64_t v) { h = (h ^ v) * 1099511628211ULL; };
  for (char c : db.get_metadata(kSequenceMetadataKey)) mix(static_cast<unsigned char>(c));
  mix(db.get_doccount());
  mix(db.get_lastdocid());
  mix(db.get_total_length());
  return h | (uint64_t{1} << 63);
}

}  // namespace

TermDictionaryCache::TermDictionaryCache() : impl_(std::make_unique<Impl>()) {}
TermDictionaryCache::~TermDictionaryCache() = default;

TermDictionaryCache& TermDictionaryCache::Global() {
  static TermDictionaryCache* cache = new TermDictionaryCache();  // never destroyed: used at exit
  return *cache;
}

std::shared_ptr<const TermDictionary> TermDictionaryCache::GetWithoutUpdate(const Xapian::Database& db,
                                                                            const std::string& field_prefix,
                                                                            uint64_t reader_version) {
  const std::string uuid = db.get_uuid();
  if (uuid.empty()) return nullptr;
  const uint64_t revision = reader_version != 0 ? reader_version : RevisionOf(db);
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    auto it = impl_->fields.find(uuid + '\n' + field_prefix);
    if (it != impl_->fields.end()) {
      if (auto dict = impl_->Find(*it->second, revision)) return dict;
      if (!it->second->revisions.empty()) return nullptr;  // only older revisions: that is an update
    }
  }
  return Get(db, field_prefix, reader_version);  // never built: build it once
}

Xapian::doccount FieldTermFrequencies::Of(std::string_view field_prefix, std::string_view term) {
  auto known = std::find_if(dictionaries_.begin(), dictionaries_.end(),
                            [&](const auto& d) { return d.first == field_prefix; });
  if (known == dictionaries_.end()) {
    std::string prefix(field_prefix);
    auto dict = TermDictionaryCache::Global().GetWithoutUpdate(db_, prefix, reader_version_);
    dictionaries_.emplace_back(std::move(prefix), std::move(dict));
    known = dictionaries_.end() - 1;
  }
  if (known->second) return known->second->Frequency(term);
  std::string full(field_prefix);
  full += term;
  return db_.get_termfreq(full);
}

std::shared_ptr<const TermDictionary> TermDictionaryCache::Get(const Xapian::Database& db,
                                                               const std::string& field_prefix,
                                                               uint64_t reader_version) {
  const std::string uuid = db.get_uuid();
  if (uuid.empty()) return TermDictionary::Build(db, field_prefix);  // no identity: cannot cache
  const uint64_t revision = reader_version != 0 ? reader_version : RevisionOf(db);
  const std::string key = uuid + '\n' + field_prefix;
  std::shared_ptr<Impl::Field> field;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    auto& slot = impl_->fields[key];
    if (!slot) {
      slot = std::make_shared<Impl::Field>();
      if (impl_->fields.size() > kMaxFields) {
        auto lru = impl_->fields.end();
        for (auto it = impl_->fields.begin(); it != impl_->fields.end(); ++it) {
          if (it->second != slot && (lru == impl_->fields.end() || it->second->last_use < lru->second->last_use)) lru = it;
        }
        impl_->fields.erase(lru);
      }
    }
    field = slot;
    field->last_use = ++impl_->clock;
    if (auto dict = impl_->Find(*field, revision)) return dict;
  }
  std::lock_guard<std::mutex> build_lock(field->build_mu);
  std::shared_ptr<const TermDictionary> base;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (auto dict = impl_->Find(*field, revision)) return dict;  // built while we waited
    if (!field->revisions.empty()) base = field->revisions.back().second;
  }
  auto dict = base ? TermDictionary::Update(db, field_prefix, base) : TermDictionary::Build(db, field_prefix);
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    field->revisions.emplace_back(revision, dict);
    if (field->revisions.size() > kRevisionsPerField) field->revisions.erase(field->revisions.begin());
  }
  return dict;
}

}  // namespace ultrasearch
