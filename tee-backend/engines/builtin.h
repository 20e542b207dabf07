// SPDX-License-Identifier: GPL-3.0-or-later
// The built-in engine: summarize and rewrite without a model (see
// summarize.h and rewrite.h for the methods, docs/ENGINES.md for results).
#pragma once

#include "tee-backend/engines/engine.h"

#include <memory>
#include <string>

namespace sotto::engines {

// Where Debian installs the hunspell dictionaries (hunspell-en-us, -de-de, ...).
inline constexpr const char *kDefaultDictionaryDir = "/usr/share/hunspell";

// Thread-safe. Dictionaries are loaded from `dictionaryDir` on first use.
std::unique_ptr<Engine> makeBuiltinEngine(std::string dictionaryDir = kDefaultDictionaryDir);

} // namespace sotto::engines
