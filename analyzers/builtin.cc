#include "ultrasearch_analyzers/builtin.h"

#include "catalog_analyzer.h"
#include "normalizers.h"
#include "ru/russian.h"
#include "simple_analyzers.h"
#include "synonyms/synonym_analyzer.h"
#include "synonyms/vocabulary.h"
#include "uz/uzbek.h"
#include "ultrasearch_analyzers/keyboard_layout.h"

namespace ultrasearch::analyzers {

std::shared_ptr<AnalyzerRegistry> MakeBuiltinAnalyzers() {
  auto registry = std::make_shared<AnalyzerRegistry>();
  auto catalog = MakeCatalogAnalyzer();
  registry->Add("catalog", catalog);
  registry->AddVocabularyVariant("catalog", MakeVocabularyAnalyzer(catalog));
  registry->SetSynonymSupport(MakeSynonymSupport());
  registry->Add("uz", MakeUzbekAnalyzer());
  registry->Add("ru", MakeRussianAnalyzer());
  registry->Add("standard", MakeStandardAnalyzer());
  registry->Add("keyword", MakeKeywordAnalyzer());
  registry->Add("whitespace", MakeWhitespaceAnalyzer());
  registry->AddNormalizer("lowercase", LowercaseNormalize);
  registry->AddNormalizer("catalog", CatalogNormalize);
  registry->AddQueryRewriter(
      [](std::string_view query) { return WrongLayoutCandidates(query); });
  return registry;
}

}  // namespace ultrasearch::analyzers
