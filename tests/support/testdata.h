// SPDX-License-Identifier: GPL-3.0-or-later
// Test fixture access: files under tests/data/<unit>/, hex and test values.
#pragma once

#include "protocol/common/bytes.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace sotto::test {

// Absolute path of tests/data/<relative>.
std::string dataPath(const std::string &relative);
// Whole file; fails the current test (ADD_FAILURE) and returns empty when missing.
std::string readFile(const std::string &relative);
nlohmann::json readJson(const std::string &relative);
// Hex to bytes; fails the test on malformed hex.
Bytes hex(std::string_view h);
// A distinct 32-byte value per index: `tag` bytes, the index big-endian in the
// last four (token key ids and nonces in the spent-set tests).
Bytes numbered(uint32_t i, uint8_t tag = 0);

} // namespace sotto::test
