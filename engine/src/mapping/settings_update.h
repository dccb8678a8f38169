// Dynamic index settings (PUT /INDEX/_settings) and the ones the engine acts on. Settings are kept
// as the creation request gave them, merged with later updates, under Elasticsearch's names
// ("index.refresh_interval"); nested and flat dotted forms are the same setting.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "ultrasearch/status.h"

namespace ultrasearch {

// `stored_json` (the index's settings, may be empty) with `update_json` applied, as nested JSON
// ({"index":{...}}). A null value resets a setting to its default. InvalidArgument, worded as
// Elasticsearch, for malformed JSON, an unknown setting, a static one (analysis, shards) on an open
// index, or a bad value. Updatable: index.refresh_interval, index.number_of_replicas.
Result<std::string> ApplySettingsUpdate(std::string_view stored_json, std::string_view update_json,
                                        std::string_view index_name);

// index.refresh_interval of `settings_json`: nullopt when unset (the engine's default applies),
// zero for "-1" (no periodic refresh). InvalidArgument when the value does not parse.
Result<std::optional<std::chrono::milliseconds>> RefreshIntervalOf(std::string_view settings_json);

// Elasticsearch's time values: "-1", or a number with a unit (nanos, micros, ms, s, m, h, d).
// nullopt when `text` is not one; -1 gives -1 ms.
std::optional<std::chrono::milliseconds> ParseTimeValue(std::string_view text);

}  // namespace ultrasearch
