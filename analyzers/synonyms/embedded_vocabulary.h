// The files of analyzers/data/vocabulary/, compiled into the library (CMake generates the
// definition from the .tsv files, see synonyms/embed_vocabulary.cmake).
#pragma once

#include <span>
#include <string_view>

namespace ultrasearch::analyzers {

struct EmbeddedTextFile {
  std::string_view name;  // file name without directory and extension: "appliances", "brands"
  std::string_view text;  // the whole file, UTF-8
};

// Every vocabulary file, by name. Static storage; never fails.
std::span<const EmbeddedTextFile> EmbeddedVocabularyFiles();

}  // namespace ultrasearch::analyzers
