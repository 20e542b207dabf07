// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/formats/evidence.h"

#include "protocol/formats/release_statement.h"
#include "protocol/tlog/base64.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <set>
#include <vector>

namespace sotto::formats {
namespace {

using Json = nlohmann::json;
using Failed = Failure<EvidenceError>;

// SEV-SNP ATTESTATION_REPORT size (ABI spec 56860 section 7.3). Kept here
// rather than taken from protocol/snp so that formats stays a leaf unit.
constexpr size_t kReportBytes = 0x4A0;
// A DER certificate is at least a few dozen bytes; AMD's are 1-2 KiB. The
// whole bundle is capped by kMaxEvidenceBundleBytes anyway.
constexpr size_t kMinCertificateBytes = 16;
// The bundle is flat; the release statement one level below. Deeper nesting
// can only be an attack on the parser.
constexpr int kMaxDepth = 4;

constexpr std::string_view kVersion = "version";
constexpr std::string_view kPlatform = "platform";
constexpr std::string_view kProvider = "provider";
constexpr std::string_view kReport = "report";
constexpr std::string_view kVcek = "vcek";
constexpr std::string_view kAsk = "ask";
constexpr std::string_view kArk = "ark";
constexpr std::string_view kKeyConfigs = "key_configs";
constexpr std::string_view kNotAfter = "not_after";
constexpr std::string_view kRelease = "release";
constexpr std::string_view kLogIndex = "log_index";

constexpr std::array<std::string_view, 11> kAllFields { kArk, kAsk, kKeyConfigs, kLogIndex,
    kNotAfter, kPlatform, kProvider, kRelease, kReport, kVcek, kVersion };
constexpr std::array<std::string_view, 9> kRequired { kVersion, kPlatform, kProvider, kReport,
    kVcek, kKeyConfigs, kNotAfter, kRelease, kLogIndex };
constexpr std::array<std::string_view, 3> kProviders { "configfs-tsm", "sev-guest", "simulated" };

Failed bad(std::string_view field, const std::string &why)
{
    return fail(EvidenceError::BadValue, "'" + std::string(field) + "' " + why);
}

Failed wrongType(std::string_view field, const char *expected, const Json &got)
{
    return fail(EvidenceError::WrongType,
        "'" + std::string(field) + "' must be " + expected + ", not " + got.type_name());
}

const Json &at(const Json &j, std::string_view field)
{
    return *j.find(std::string(field));
}

EvidenceResult<std::string> stringField(const Json &j, std::string_view field)
{
    const Json &v = at(j, field);
    if (!v.is_string())
        return wrongType(field, "a string", v);
    return v.get<std::string>();
}

// JSON numbers that are non-negative integers (no fraction, no exponent
// that made them floating point, no sign).
EvidenceResult<uint64_t> unsignedField(const Json &j, std::string_view field)
{
    const Json &v = at(j, field);
    if (!v.is_number_unsigned()) {
        if (v.is_number_integer())
            return bad(field, "must not be negative");
        return wrongType(field, "a non-negative integer", v);
    }
    return v.get<uint64_t>();
}

EvidenceResult<Bytes> base64Field(const Json &j, std::string_view field)
{
    SOTTO_TRY(const std::string text, stringField(j, field));
    auto decoded = tlog::base64Decode(text);
    if (!decoded)
        return bad(field, "is not standard padded base64 (RFC 4648 Section 4)");
    return std::move(*decoded);
}

EvidenceResult<Bytes> certificateField(const Json &j, std::string_view field)
{
    SOTTO_TRY(Bytes der, base64Field(j, field));
    // DER certificates start with a SEQUENCE tag; the full check is
    // protocol/crypto's (the verifier parses it).
    if (der.size() < kMinCertificateBytes || der[0] != 0x30)
        return bad(field,
            "is not a DER certificate (" + std::to_string(der.size()) + " bytes"
                + (der.empty() ? std::string() : ", first byte " + toHex(ByteView(der).first(1)))
                + ")");
    return der;
}

EvidenceError fromStatementError(StatementError e)
{
    switch (e) {
    case StatementError::NotJson:
    case StatementError::NotAnObject:
    case StatementError::WrongType:
        return EvidenceError::WrongType;
    case StatementError::DuplicateKey:
        return EvidenceError::DuplicateKey;
    case StatementError::UnknownField:
        return EvidenceError::UnknownField;
    case StatementError::MissingField:
        return EvidenceError::MissingField;
    case StatementError::BadValue:
        return EvidenceError::BadValue;
    }
    return EvidenceError::BadValue;
}

} // namespace

std::string_view errorName(EvidenceError e)
{
    switch (e) {
    case EvidenceError::NotJson:
        return "NotJson";
    case EvidenceError::NotAnObject:
        return "NotAnObject";
    case EvidenceError::DuplicateKey:
        return "DuplicateKey";
    case EvidenceError::UnknownField:
        return "UnknownField";
    case EvidenceError::MissingField:
        return "MissingField";
    case EvidenceError::WrongType:
        return "WrongType";
    case EvidenceError::BadValue:
        return "BadValue";
    case EvidenceError::TooLarge:
        return "TooLarge";
    }
    return "Unknown";
}

std::string encodeEvidenceBundle(const EvidenceBundle &bundle)
{
    Json j = Json::object();
    j[std::string(kVersion)] = bundle.version;
    j[std::string(kPlatform)] = bundle.platform;
    j[std::string(kProvider)] = bundle.provider;
    j[std::string(kReport)] = tlog::base64Encode(bundle.report);
    j[std::string(kVcek)] = tlog::base64Encode(bundle.vcek);
    if (bundle.ask)
        j[std::string(kAsk)] = tlog::base64Encode(*bundle.ask);
    if (bundle.ark)
        j[std::string(kArk)] = tlog::base64Encode(*bundle.ark);
    j[std::string(kKeyConfigs)] = tlog::base64Encode(bundle.keyConfigs);
    j[std::string(kNotAfter)] = bundle.notAfter;
    Json release = Json::parse(bundle.release, nullptr, /*allow_exceptions=*/false);
    if (release.is_discarded() || !release.is_object())
        release = bundle.release;
    j[std::string(kRelease)] = std::move(release);
    j[std::string(kLogIndex)] = bundle.logIndex;
    // Strings that are not UTF-8 (only a caller's bad provider/platform or
    // release can be) are replaced rather than thrown on: the parser then
    // refuses the value.
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

EvidenceResult<EvidenceBundle> parseEvidenceBundle(std::string_view text)
{
    if (text.size() > kMaxEvidenceBundleBytes)
        return fail(EvidenceError::TooLarge,
            "evidence bundle is " + std::to_string(text.size()) + " bytes, at most "
                + std::to_string(kMaxEvidenceBundleBytes) + " allowed");

    // nlohmann keeps the last of duplicate keys silently; which value counts
    // must not depend on the parser, so duplicates (at any depth) are refused.
    std::vector<std::set<std::string>> open;
    std::string duplicate;
    bool tooDeep = false;
    Json::parser_callback_t callback = [&](int depth, Json::parse_event_t event, Json &parsed) {
        if (depth > kMaxDepth)
            tooDeep = true;
        switch (event) {
        case Json::parse_event_t::object_start:
            open.emplace_back();
            break;
        case Json::parse_event_t::object_end:
            if (!open.empty())
                open.pop_back();
            break;
        case Json::parse_event_t::key:
            if (!open.empty() && !open.back().insert(parsed.get<std::string>()).second
                && duplicate.empty())
                duplicate = parsed.get<std::string>();
            break;
        default:
            break;
        }
        return !tooDeep;
    };
    Json j = Json::parse(text.begin(), text.end(), callback, /*allow_exceptions=*/false);
    if (tooDeep)
        return fail(EvidenceError::WrongType,
            "nesting deeper than " + std::to_string(kMaxDepth) + " levels");
    if (j.is_discarded())
        return fail(EvidenceError::NotJson, "not valid JSON (UTF-8)");
    if (!j.is_object())
        return fail(EvidenceError::NotAnObject,
            std::string("an evidence bundle is a JSON object, not ") + j.type_name());
    if (!duplicate.empty())
        return fail(EvidenceError::DuplicateKey, "the field '" + duplicate + "' appears twice");

    for (const auto &[key, value] : j.items())
        if (std::find(kAllFields.begin(), kAllFields.end(), key) == kAllFields.end())
            return fail(EvidenceError::UnknownField,
                "unknown field '" + key
                    + "' (version 0 defines ark, ask, key_configs, log_index, not_after, "
                      "platform, provider, release, report, vcek, version)");
    for (std::string_view f : kRequired)
        if (!j.contains(std::string(f)))
            return fail(EvidenceError::MissingField, "missing field '" + std::string(f) + "'");

    EvidenceBundle b;
    SOTTO_TRY(const uint64_t version, unsignedField(j, kVersion));
    if (version != 0)
        return bad(kVersion, "is " + std::to_string(version) + ", expected 0");
    b.version = 0;
    SOTTO_TRY(b.platform, stringField(j, kPlatform));
    if (b.platform != "sev-snp")
        return bad(kPlatform, "is \"" + b.platform + "\", expected \"sev-snp\"");
    SOTTO_TRY(b.provider, stringField(j, kProvider));
    if (std::find(kProviders.begin(), kProviders.end(), b.provider) == kProviders.end())
        return bad(kProvider,
            "is \"" + b.provider + "\", expected \"configfs-tsm\", \"sev-guest\" or \"simulated\"");

    SOTTO_TRY(b.report, base64Field(j, kReport));
    if (b.report.size() != kReportBytes)
        return bad(kReport,
            "is " + std::to_string(b.report.size()) + " bytes, expected "
                + std::to_string(kReportBytes) + " (an SEV-SNP attestation report)");
    SOTTO_TRY(b.vcek, certificateField(j, kVcek));
    if (j.contains(std::string(kAsk))) {
        SOTTO_TRY(Bytes ask, certificateField(j, kAsk));
        b.ask = std::move(ask);
    }
    const bool simulated = b.provider == "simulated";
    if (j.contains(std::string(kArk))) {
        if (!simulated)
            return bad(kArk,
                "is only sent by the simulated provider (AMD's roots are pinned), provider is \""
                    + b.provider + "\"");
        SOTTO_TRY(Bytes ark, certificateField(j, kArk));
        b.ark = std::move(ark);
    }
    if (simulated && (!b.ark || !b.ask))
        return fail(EvidenceError::MissingField,
            "a simulated provider's bundle carries its 'ask' and 'ark'");

    SOTTO_TRY(b.keyConfigs, base64Field(j, kKeyConfigs));
    if (b.keyConfigs.empty())
        return bad(kKeyConfigs, "is empty (expected application/ohttp-keys bytes)");
    SOTTO_TRY(b.notAfter, unsignedField(j, kNotAfter));
    SOTTO_TRY(b.logIndex, unsignedField(j, kLogIndex));

    const Json &release = at(j, kRelease);
    if (!release.is_object())
        return wrongType(kRelease, "an object (a release statement)", release);
    auto canonical = canonicalReleaseStatement(release.dump());
    if (!canonical.ok())
        return fail(fromStatementError(canonical.error()), "release: " + canonical.detail());
    b.release = std::move(canonical).value();
    return b;
}

} // namespace sotto::formats
