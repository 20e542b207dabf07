// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/formats/release_statement.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <regex>
#include <set>

namespace sotto::formats {
namespace {

using Json = nlohmann::json;
using Failed = Failure<StatementError>;

bool isLowerHex(std::string_view s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    });
}

Failed bad(std::string_view field, const std::string &why)
{
    return fail(StatementError::BadValue, "'" + std::string(field) + "' " + why);
}

// RFC 3339 Section 5.6 date-time; "T" and "Z" may be lower case (its note).
bool isRfc3339(const std::string &s)
{
    static const std::regex re(
        R"(^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$)");
    std::smatch m;
    if (!std::regex_match(s, m, re))
        return false;
    auto n = [&](int i) { return std::stoi(m[i].str()); };
    bool ok = n(2) >= 1 && n(2) <= 12 && n(3) >= 1 && n(3) <= 31 && n(4) <= 23 && n(5) <= 59
        && n(6) <= 60; // 60: a leap second (RFC 3339 Section 5.7)
    if (m[9].matched)
        ok = ok && n(9) <= 23 && n(10) <= 59;
    return ok;
}

} // namespace

Result<std::string, StatementError> canonicalReleaseStatement(std::string_view text)
{
    // nlohmann keeps the last of duplicate keys silently; a log entry must
    // not depend on such parser choices, so duplicates are refused.
    std::set<std::string> seen;
    bool duplicate = false;
    std::string duplicateName;
    Json::parser_callback_t onKey = [&](int depth, Json::parse_event_t event, Json &parsed) {
        if (depth == 1 && event == Json::parse_event_t::key) {
            const auto name = parsed.get<std::string>();
            if (!seen.insert(name).second) {
                duplicate = true;
                duplicateName = name;
            }
        }
        return true;
    };
    Json j = Json::parse(text.begin(), text.end(), onKey, /*allow_exceptions=*/false);
    if (j.is_discarded())
        return fail(StatementError::NotJson, "not valid JSON (UTF-8)");
    if (!j.is_object())
        return fail(StatementError::NotAnObject, "a release statement is a JSON object");
    if (duplicate)
        return fail(
            StatementError::DuplicateKey, "the field '" + duplicateName + "' appears twice");

    static const std::array<std::string_view, 8> kFields { "image", "issued", "measurement",
        "platform", "policy", "schema", "source", "version" };
    for (const auto &[key, value] : j.items())
        if (std::find(kFields.begin(), kFields.end(), key) == kFields.end())
            return fail(StatementError::UnknownField,
                "unknown field '" + key
                    + "' (sotto-release/0 defines image, issued, measurement, "
                      "platform, policy, schema, source, version)");
    for (std::string_view f : kFields) {
        const auto it = j.find(std::string(f));
        if (it == j.end())
            return fail(StatementError::MissingField, "missing field '" + std::string(f) + "'");
        if (!it->is_string())
            return fail(StatementError::WrongType,
                "'" + std::string(f) + "' must be a string, not " + it->type_name());
        if (it->get_ref<const std::string &>().empty())
            return bad(f, "is empty");
    }
    auto str
        = [&](const char *f) -> const std::string & { return j[f].get_ref<const std::string &>(); };

    if (str("schema") != "sotto-release/0")
        return bad("schema", "must be \"sotto-release/0\", not \"" + str("schema") + "\"");
    // DESIGN.md: the evidence platform is "sev-snp"; an SNP MEASUREMENT is 48
    // bytes (SEV-SNP ABI, report offset 0x90), 96 hex digits.
    if (str("platform") != "sev-snp")
        return bad("platform", "must be \"sev-snp\" (the only supported TEE platform)");
    if (!isLowerHex(str("measurement")) || str("measurement").size() != 96)
        return bad(
            "measurement", "must be 96 lower-case hex digits (a 48-byte SEV-SNP measurement)");
    // The guest policy is a u64 (report offset 0x08): as a hex string, since
    // JSON numbers above 2^53 do not survive every parser.
    const std::string &policy = str("policy");
    if (policy.size() < 3 || policy.size() > 18 || policy.rfind("0x", 0) != 0
        || !isLowerHex(std::string_view(policy).substr(2)))
        return bad("policy",
            "must be the 64-bit guest policy as \"0x\" and 1 to 16 lower-case hex digits");
    const std::string &source = str("source");
    if (!isLowerHex(source) || (source.size() != 40 && source.size() != 64))
        return bad(
            "source", "must be a git commit id: 40 (SHA-1) or 64 (SHA-256) lower-case hex digits");
    const std::string &image = str("image");
    if (!(image.rfind("sha256:", 0) == 0 && image.size() == 7 + 64 && isLowerHex(image.substr(7))))
        return bad("image", "must be \"sha256:\" and 64 lower-case hex digits");
    if (!isRfc3339(str("issued")))
        return bad("issued", "must be an RFC 3339 date-time such as 2026-11-25T10:00:00Z");
    // dump(): no whitespace, keys in std::map order (sorted by bytes), UTF-8
    // kept as is; the input was valid UTF-8, so this cannot throw.
    return j.dump(-1, ' ', false, Json::error_handler_t::strict);
}

} // namespace sotto::formats
