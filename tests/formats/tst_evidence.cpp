// SPDX-License-Identifier: GPL-3.0-or-later
// The evidence bundle (DESIGN.md "Evidence bundle"): round trip with the real
// Milan report and VCEK of tests/data/snp, and a specific error for every way
// a bundle can be wrong.
#include "protocol/formats/evidence.h"

#include "protocol/tlog/base64.h"
#include "tests/support/result_assert.h"
#include "tests/support/testdata.h"

#include <gtest/gtest.h>

#include <string>

namespace sotto::formats {
namespace {

using nlohmann::json;

constexpr const char *kRelease
    = R"({"image":"sha256:0000000000000000000000000000000000000000000000000000000000000001",)"
      R"("issued":"2026-11-25T10:00:00Z","measurement":")"
      "7a1e5c266c0108dbc9bb94fa926951320940915d0aafb42464bd88b579ea158d3e1a0dc39b2c60bd95b9c480cd81"
      "841f"
      R"(","platform":"sev-snp","policy":"0x30000","schema":"sotto-release/0",)"
      R"("source":"0123456789abcdef0123456789abcdef01234567","version":"0.1.0"})";

Bytes fileBytes(const std::string &path)
{
    const std::string s = test::readFile(path);
    return Bytes(s.begin(), s.end());
}

EvidenceBundle sampleBundle()
{
    EvidenceBundle b;
    b.provider = "sev-guest";
    b.report = fileBytes("snp/virtee_report_milan.bin");
    b.vcek = fileBytes("snp/virtee_vcek_milan.der");
    b.keyConfigs = Bytes { 0x00, 0x2d, 0x01, 0x00, 0x20 };
    b.notAfter = 1767225600;
    b.release = kRelease;
    b.logIndex = 7;
    return b;
}

json sampleJson()
{
    return json::parse(encodeEvidenceBundle(sampleBundle()));
}

EvidenceResult<EvidenceBundle> parseJson(const json &j)
{
    return parseEvidenceBundle(j.dump());
}

TEST(Evidence, RoundTripsCanonically)
{
    const EvidenceBundle b = sampleBundle();
    const std::string text = encodeEvidenceBundle(b);
    // Canonical: sorted keys, no whitespace, release embedded as an object.
    EXPECT_EQ(text.find(' '), std::string::npos);
    EXPECT_EQ(text.rfind("{\"key_configs\":", 0), 0u);
    EXPECT_NE(text.find(std::string("\"release\":") + kRelease), std::string::npos);
    const auto parsed = parseEvidenceBundle(text);
    ASSERT_RESULT_OK(parsed);
    EXPECT_EQ(parsed->version, 0u);
    EXPECT_EQ(parsed->platform, "sev-snp");
    EXPECT_EQ(parsed->provider, "sev-guest");
    EXPECT_EQ(parsed->report, b.report);
    EXPECT_EQ(parsed->vcek, b.vcek);
    EXPECT_FALSE(parsed->ask.has_value());
    EXPECT_FALSE(parsed->ark.has_value());
    EXPECT_EQ(parsed->keyConfigs, b.keyConfigs);
    EXPECT_EQ(parsed->notAfter, b.notAfter);
    EXPECT_EQ(parsed->release, kRelease);
    EXPECT_EQ(parsed->logIndex, 7u);
    EXPECT_EQ(encodeEvidenceBundle(*parsed), text);
}

TEST(Evidence, OptionalAskAndSimulatedArk)
{
    EvidenceBundle b = sampleBundle();
    b.ask = fileBytes("snp/virtee_vcek_turin.der"); // any DER certificate
    auto parsed = parseEvidenceBundle(encodeEvidenceBundle(b));
    ASSERT_RESULT_OK(parsed);
    EXPECT_EQ(parsed->ask, b.ask);

    // An ARK only from the simulated provider, which must send both.
    b.ark = b.vcek;
    EXPECT_RESULT_ERROR(parseEvidenceBundle(encodeEvidenceBundle(b)), EvidenceError::BadValue);
    b.provider = "simulated";
    parsed = parseEvidenceBundle(encodeEvidenceBundle(b));
    ASSERT_RESULT_OK(parsed);
    EXPECT_EQ(parsed->ark, b.ark);
    b.ark.reset();
    EXPECT_RESULT_ERROR(parseEvidenceBundle(encodeEvidenceBundle(b)), EvidenceError::MissingField);
}

TEST(Evidence, AcceptsAnyMemberOrderAndWhitespace)
{
    const json j = sampleJson();
    EXPECT_RESULT_OK(parseEvidenceBundle(j.dump(2)));
}

TEST(Evidence, NotJsonNotObjectTooLarge)
{
    EXPECT_RESULT_ERROR(parseEvidenceBundle(""), EvidenceError::NotJson);
    EXPECT_RESULT_ERROR(parseEvidenceBundle("{"), EvidenceError::NotJson);
    EXPECT_RESULT_ERROR(parseEvidenceBundle("{\"version\":0}x"), EvidenceError::NotJson);
    EXPECT_RESULT_ERROR(parseEvidenceBundle("\"\xff\""), EvidenceError::NotJson);
    EXPECT_RESULT_ERROR(parseEvidenceBundle("[]"), EvidenceError::NotAnObject);
    EXPECT_RESULT_ERROR(parseEvidenceBundle("0"), EvidenceError::NotAnObject);
    std::string big = encodeEvidenceBundle(sampleBundle());
    big.append(kMaxEvidenceBundleBytes + 1 - big.size(), ' ');
    EXPECT_RESULT_ERROR(parseEvidenceBundle(big), EvidenceError::TooLarge);
    big.pop_back();
    EXPECT_RESULT_OK(parseEvidenceBundle(big));
    EXPECT_RESULT_ERROR(parseEvidenceBundle(std::string(100, '[') + std::string(100, ']')),
        EvidenceError::WrongType);
}

TEST(Evidence, TruncatedAtEveryByteIsRefused)
{
    const std::string text = encodeEvidenceBundle(sampleBundle());
    for (size_t n = 0; n < text.size(); ++n) {
        const auto r = parseEvidenceBundle(std::string_view(text).substr(0, n));
        ASSERT_FALSE(r.ok()) << "prefix of " << n << " bytes accepted";
        ASSERT_EQ(r.error(), EvidenceError::NotJson) << n;
    }
}

TEST(Evidence, DuplicateKeysAtAnyDepth)
{
    const std::string text = encodeEvidenceBundle(sampleBundle());
    EXPECT_RESULT_ERROR(
        parseEvidenceBundle("{\"log_index\":1," + text.substr(1)), EvidenceError::DuplicateKey);
    const std::string nested = "\"release\":{";
    std::string dup = text;
    dup.insert(dup.find(nested) + nested.size(), "\"version\":\"x\",");
    EXPECT_RESULT_ERROR(parseEvidenceBundle(dup), EvidenceError::DuplicateKey);
}

TEST(Evidence, UnknownAndMissingFields)
{
    json j = sampleJson();
    j["extra"] = 1;
    EXPECT_RESULT_ERROR(parseJson(j), EvidenceError::UnknownField);
    for (const char *f : { "version", "platform", "provider", "report", "vcek", "key_configs",
             "not_after", "release", "log_index" }) {
        SCOPED_TRACE(f);
        json k = sampleJson();
        k.erase(f);
        EXPECT_RESULT_ERROR(parseJson(k), EvidenceError::MissingField);
    }
    json r = sampleJson();
    r["release"]["extra"] = "x";
    EXPECT_RESULT_ERROR(parseJson(r), EvidenceError::UnknownField);
    r = sampleJson();
    r["release"].erase("measurement");
    EXPECT_RESULT_ERROR(parseJson(r), EvidenceError::MissingField);
}

TEST(Evidence, WrongTypes)
{
    const std::pair<const char *, json> cases[] = {
        { "version", "0" },
        { "version", 0.5 },
        { "platform", 1 },
        { "provider", json::array() },
        { "report", json::object() },
        { "vcek", nullptr },
        { "ask", 3 },
        { "key_configs", true },
        { "not_after", "1767225600" },
        { "not_after", 1.5e9 },
        { "release", kRelease }, // a string, not the object
        { "log_index", json::array({ 1 }) },
    };
    for (const auto &[field, value] : cases) {
        SCOPED_TRACE(std::string(field) + " = " + value.dump());
        json j = sampleJson();
        j[field] = value;
        EXPECT_RESULT_ERROR(parseJson(j), EvidenceError::WrongType);
    }
    json r = sampleJson();
    r["release"]["version"] = 1;
    EXPECT_RESULT_ERROR(parseJson(r), EvidenceError::WrongType);
}

TEST(Evidence, BadValues)
{
    const Bytes report = fileBytes("snp/virtee_report_milan.bin");
    const Bytes shortReport(report.begin(), report.end() - 1);
    Bytes longReport = report;
    longReport.push_back(0);
    const std::pair<const char *, json> cases[] = {
        { "version", 1 },
        { "version", -1 },
        { "platform", "tdx" },
        { "platform", "SEV-SNP" },
        { "provider", "auto" },
        { "provider", "" },
        { "report", tlog::base64Encode(shortReport) },
        { "report", tlog::base64Encode(longReport) },
        { "report", "not base64!" },
        { "report", tlog::base64Encode(report).substr(1) }, // wrong padding/length
        { "vcek", "" },
        { "vcek", tlog::base64Encode(Bytes(40, 0x02)) },      // not a SEQUENCE
        { "vcek", tlog::base64Encode(Bytes { 0x30, 0x00 }) }, // too short
        { "ask", "" },
        { "key_configs", "" },
        { "key_configs", "AA=" },
        { "not_after", -5 },
        { "log_index", -1 },
    };
    for (const auto &[field, value] : cases) {
        SCOPED_TRACE(std::string(field) + " = " + value.dump().substr(0, 60));
        json j = sampleJson();
        j[field] = value;
        EXPECT_RESULT_ERROR(parseJson(j), EvidenceError::BadValue);
    }
    json r = sampleJson();
    r["release"]["measurement"] = "00";
    EXPECT_RESULT_ERROR(parseJson(r), EvidenceError::BadValue);
}

TEST(Evidence, LargeIntegersSurvive)
{
    json j = sampleJson();
    j["not_after"] = UINT64_MAX;
    j["log_index"] = uint64_t { 1 } << 60;
    const auto parsed = parseJson(j);
    ASSERT_RESULT_OK(parsed);
    EXPECT_EQ(parsed->notAfter, UINT64_MAX);
    EXPECT_EQ(parsed->logIndex, uint64_t { 1 } << 60);
    // One above u64 is not an unsigned integer any more.
    std::string text = j.dump();
    const std::string max = std::to_string(UINT64_MAX);
    text.replace(text.find(max), max.size(), "18446744073709551616");
    EXPECT_RESULT_ERROR(parseEvidenceBundle(text), EvidenceError::WrongType);
}

TEST(Evidence, ErrorNamesAreDistinct)
{
    EXPECT_EQ(errorName(EvidenceError::NotJson), "NotJson");
    EXPECT_EQ(errorName(EvidenceError::TooLarge), "TooLarge");
    EXPECT_EQ(errorName(EvidenceError::BadValue), "BadValue");
}

} // namespace
} // namespace sotto::formats
