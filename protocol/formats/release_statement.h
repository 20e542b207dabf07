// SPDX-License-Identifier: GPL-3.0-or-later
// Release statements (DESIGN.md "Release statement"): one transparency log
// entry per gateway release, as canonical JSON.
#pragma once

#include "protocol/common/result.h"

#include <string>
#include <string_view>

namespace sotto::formats {

enum class StatementError {
    NotJson,      // not parseable JSON (or not UTF-8)
    NotAnObject,  // the top level is not an object
    DuplicateKey, // a key twice: its meaning would depend on the parser
    UnknownField, // a field the schema does not define
    MissingField, // a required field is absent
    WrongType,    // a field that is not a string
    BadValue,     // a string in the wrong format (hex, RFC 3339, schema name...)
};

// Parses, checks every field and returns the canonical form: keys sorted, no
// whitespace, UTF-8 (so equal statements are equal log entries).
Result<std::string, StatementError> canonicalReleaseStatement(std::string_view json);

} // namespace sotto::formats
