#include "synonyms/vocabulary.h"

#include <array>
#include <mutex>
#include <string>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "synonyms/brand_key.h"
#include "synonyms/embedded_vocabulary.h"

namespace ultrasearch::analyzers {
namespace {

constexpr std::string_view kBrandFile = "brands";

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<std::string> SplitForms(std::string_view side) {
  std::vector<std::string> forms;
  size_t start = 0;
  while (start <= side.size()) {
    size_t bar = side.find('|', start);
    if (bar == std::string_view::npos) bar = side.size();
    std::string_view form = Trim(side.substr(start, bar - start));
    if (!form.empty()) forms.emplace_back(form);
    start = bar + 1;
  }
  return forms;
}

// Calls `fn(left, right)` for each non-comment line with a tab.
template <typename Fn>
void ForEachLine(std::string_view tsv, Fn fn) {
  size_t start = 0;
  while (start < tsv.size()) {
    size_t end = tsv.find('\n', start);
    if (end == std::string_view::npos) end = tsv.size();
    std::string_view line = tsv.substr(start, end - start);
    start = end + 1;
    if (line.empty() || line.front() == '#') continue;
    size_t tab = line.find('\t');
    if (tab == std::string_view::npos) continue;
    fn(SplitForms(line.substr(0, tab)), SplitForms(line.substr(tab + 1)));
  }
}

bool HasCyrillic(const std::string& term) {
  for (char c : term) {
    auto b = static_cast<unsigned char>(c);
    if (b == 0xD0 || b == 0xD1) return true;
  }
  return false;
}

struct PhoneticBrand {
  std::string key;
  std::shared_ptr<const std::vector<AnalyzedWords>> words;  // the brand analysed, as one phrase
};

class VocabularyAnalyzer : public Analyzer {
 public:
  explicit VocabularyAnalyzer(std::shared_ptr<const Analyzer> base) : base_(std::move(base)) {}

  void Analyze(std::string_view text, AnalysisMode mode, std::vector<Token>* out) const override {
    base_->Analyze(text, mode, out);
  }
  using Analyzer::Analyze;

  void ExpandQuery(const AnalyzedWords& words, std::vector<QueryExpansion>* out) const override {
    std::call_once(built_, [this] { Build(); });
    base_->ExpandQuery(words, out);
    const size_t before_vocabulary = out->size();
    concepts_.Expand(words, out);
    const size_t before_brands = out->size();
    brands_.Expand(words, out);
    std::vector<bool> covered(words.size(), false);
    for (size_t i = before_brands; i < out->size(); ++i) {
      for (uint32_t p = (*out)[i].start; p < (*out)[i].end; ++p) covered[p] = true;
    }
    for (size_t i = 0; i < words.size(); ++i) {
      if (!covered[i]) ExpandPhonetic(words, i, out);
    }
    // A concept is a second way to find a product, not a rule about the query's words.
    for (size_t i = before_vocabulary; i < out->size(); ++i) (*out)[i].words_match_alone = true;
  }

 private:
  void Build() const {
    for (const auto& file : EmbeddedVocabularyFiles()) {
      if (file.name == kBrandFile) {
        ForEachLine(file.text, [this](const std::vector<std::string>& latin, const std::vector<std::string>& cyrillic) {
          if (latin.empty()) return;
          brands_.Add(*base_, cyrillic, {latin.front()}, 1.0, /*keep_original=*/true);
          brands_.Add(*base_, {latin.front()}, cyrillic, 1.0, /*keep_original=*/true);
          std::string key = BrandKeyFromLatin(latin.front());
          if (!key.empty()) {
            phonetic_[static_cast<unsigned char>(key.front())].push_back(
                {key, std::make_shared<const std::vector<AnalyzedWords>>(
                          1, ExpansionTable::AnalyzePhrase(*base_, latin.front()))});
          }
        });
      } else {
        AddConcepts(file.text, *base_, &concepts_);
      }
    }
  }

  // A Cyrillic word whose Latin (Russian key) reading sounds like a brand.
  void ExpandPhonetic(const AnalyzedWords& words, size_t i, std::vector<QueryExpansion>* out) const {
    const PhoneticBrand* brand = PhoneticBrandOf(words[i]);
    if (brand == nullptr) return;
    QueryExpansion expansion;
    expansion.start = static_cast<uint32_t>(i);
    expansion.end = static_cast<uint32_t>(i + 1);
    expansion.phrases = brand->words;
    expansion.weight = kPhoneticBrandWeight;
    out->push_back(std::move(expansion));
  }

  // Where a brand sits in phonetic_: its key's first letter and its index there.
  struct BrandSlot {
    uint8_t letter = 0;
    uint32_t index = 0;
    bool found = false;
  };

  // The brand `word` sounds like, or nullptr. Memoised per thread (shoppers repeat words, and the
  // scan of the brands under the key's first letter costs more than the rest of a word's
  // expansion); the memo holds slots, not pointers, and belongs to one analyzer at a time.
  const PhoneticBrand* PhoneticBrandOf(const std::vector<std::string>& word) const {
    constexpr size_t kMaxMemoWords = 1 << 16;
    thread_local boost::unordered_flat_map<std::string, BrandSlot> memo;
    thread_local const VocabularyAnalyzer* memo_owner = nullptr;
    if (memo_owner != this || memo.size() > kMaxMemoWords) {
      memo.clear();
      memo_owner = this;
    }
    std::string key;
    for (const auto& term : word) key.append(term).push_back('\x1f');
    auto [it, inserted] = memo.try_emplace(std::move(key));
    if (inserted) it->second = FindPhoneticBrand(word);
    if (!it->second.found) return nullptr;
    return &phonetic_[it->second.letter][it->second.index];
  }

  BrandSlot FindPhoneticBrand(const std::vector<std::string>& word) const {
    bool cyrillic = false;
    for (const auto& term : word) cyrillic = cyrillic || HasCyrillic(term);
    if (!cyrillic) return {};
    for (const auto& term : word) {
      std::string key = BrandKeyFromRussianKey(term);
      if (key.empty()) continue;
      // Keys that meet share their first letter (an edit there is one no spelling makes).
      const auto letter = static_cast<unsigned char>(key.front());
      const auto& brands = phonetic_[letter];
      for (size_t b = 0; b < brands.size(); ++b) {
        const auto& brand = brands[b];
        if (brand.key.size() + 2 < key.size() || key.size() + 2 < brand.key.size()) continue;
        if (BrandKeysMeet(key, brand.key)) return {letter, static_cast<uint32_t>(b), true};
      }
    }
    return {};
  }

  std::shared_ptr<const Analyzer> base_;
  mutable std::once_flag built_;
  // Written once under built_, read-only after.
  mutable ExpansionTable concepts_;
  mutable ExpansionTable brands_;
  mutable std::array<std::vector<PhoneticBrand>, 256> phonetic_;  // by the key's first letter
};

}  // namespace

size_t AddConcepts(std::string_view tsv, const Analyzer& analyzer, ExpansionTable* table) {
  size_t added = 0;
  ForEachLine(tsv, [&](const std::vector<std::string>& uz, const std::vector<std::string>& ru) {
    if (uz.empty() || ru.empty()) return;
    table->Add(analyzer, uz, uz, kSameLanguageWeight, true);
    table->Add(analyzer, uz, ru, kOtherLanguageWeight, true);
    table->Add(analyzer, ru, ru, kSameLanguageWeight, true);
    table->Add(analyzer, ru, uz, kOtherLanguageWeight, true);
    ++added;
  });
  return added;
}

std::shared_ptr<const Analyzer> MakeVocabularyAnalyzer(std::shared_ptr<const Analyzer> base) {
  return std::make_shared<VocabularyAnalyzer>(std::move(base));
}

}  // namespace ultrasearch::analyzers
