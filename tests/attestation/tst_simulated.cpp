// SPDX-License-Identifier: GPL-3.0-or-later
// The simulated provider: its chain is made once and kept, its reports are in
// the exact AMD format and verify through protocol/snp, but only as
// "simulated" and only when the policy allows it; REPORT_DATA carries the
// evidence binding. And openProvider never picks it by itself.
#include "tee-backend/attestation/provider.h"

#include "protocol/crypto/hash.h"
#include "protocol/crypto/private_key.h"
#include "protocol/crypto/random.h"
#include "protocol/snp/binding.h"
#include "protocol/snp/chain.h"
#include "protocol/snp/policy.h"
#include "tests/attestation/temp_dir.h"
#include "tests/support/result_assert.h"

#include <gtest/gtest.h>

#include <ctime>
#include <fstream>
#include <sys/stat.h>

namespace sotto::attestation {
namespace {

namespace fs = std::filesystem;

void writeText(const fs::path &file, const std::string &text)
{
    std::ofstream(file, std::ios::binary) << text;
}

int64_t now()
{
    return static_cast<int64_t>(std::time(nullptr));
}

std::unique_ptr<Provider> sharedProvider(const std::vector<fs::path> &measured = {})
{
    ProviderOptions options;
    options.kind = "simulated";
    options.simulatedDir = SOTTO_ATTESTATION_SHARED_CHAIN;
    options.measuredFiles = measured;
    auto p = openProvider(options);
    EXPECT_RESULT_OK(p);
    return p.ok() ? std::move(p).value() : nullptr;
}

struct Checked {
    snp::VerificationResult result;
    snp::TrustedChain chain;
};

Checked verifySimulated(const Evidence &e)
{
    auto chain = snp::simulatedChain(*e.ark, *e.ask);
    EXPECT_RESULT_OK(chain);
    const snp::TrustedChain trusted[] = { *chain };
    auto r = snp::verifyReport(e.report, e.vcek, now(), trusted);
    EXPECT_RESULT_OK(r);
    return { *r, *chain };
}

TEST(Simulated, ChainIsMadeOnceAndKept)
{
    test::TempDir tmp;
    ASSERT_FALSE(tmp.path().empty());
    ProviderOptions options;
    options.kind = "simulated";
    options.simulatedDir = tmp.path() / "dev-stack" / "tee";
    auto first = openProvider(options);
    ASSERT_RESULT_OK(first);
    struct stat st { };
    ASSERT_EQ(::stat(options.simulatedDir.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    ASSERT_EQ(::stat((options.simulatedDir / "vcek.key").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    for (const char *f : { "ark.der", "ask.der", "vcek.der" })
        EXPECT_TRUE(fs::exists(options.simulatedDir / f)) << f;
    // No temporary directory is left behind, and no ARK/ASK private key kept.
    size_t entries = 0;
    for (const auto &e : fs::directory_iterator(options.simulatedDir.parent_path())) {
        (void)e;
        ++entries;
    }
    EXPECT_EQ(entries, 1u);
    EXPECT_EQ(
        std::distance(fs::directory_iterator(options.simulatedDir), fs::directory_iterator()), 4);

    const Bytes data = crypto::randomBytes(64);
    auto a = (*first)->attest(data);
    ASSERT_RESULT_OK(a);
    auto second = openProvider(options);
    ASSERT_RESULT_OK(second);
    auto b = (*second)->attest(data);
    ASSERT_RESULT_OK(b);
    EXPECT_EQ(a->vcek, b->vcek);
    EXPECT_EQ(a->ask, b->ask);
    EXPECT_EQ(a->ark, b->ark);
    verifySimulated(*b);
}

TEST(Simulated, ReportIsExactAmdFormatAndVerifiesAsSimulated)
{
    test::TempDir tmp;
    writeText(tmp.path() / "gateway", "the gateway binary");
    writeText(tmp.path() / "gateway.json", "{\"listen\":\"127.0.0.1:8080\"}");
    const std::vector<fs::path> measured { tmp.path() / "gateway", tmp.path() / "gateway.json" };
    auto provider = sharedProvider(measured);
    ASSERT_NE(provider, nullptr);
    EXPECT_EQ(provider->name(), "simulated");
    const Bytes data = crypto::randomBytes(64);
    const auto e = provider->attest(data);
    ASSERT_RESULT_OK(e);
    EXPECT_EQ(e->provider, "simulated");
    ASSERT_EQ(e->report.size(), snp::kReportSize);
    ASSERT_TRUE(e->ask && e->ark);

    const auto parsed = snp::AttestationReport::parse(e->report);
    ASSERT_RESULT_OK(parsed);
    EXPECT_EQ(parsed->version(), 3u);
    EXPECT_EQ(parsed->cpuidGeneration(), snp::Generation::Milan);

    const Checked c = verifySimulated(*e);
    EXPECT_TRUE(c.chain.simulated);
    EXPECT_TRUE(c.result.simulated);
    EXPECT_EQ(c.result.generation, snp::Generation::Milan);
    EXPECT_EQ(c.result.reportData, data);
    EXPECT_FALSE(c.result.policy.debugAllowed());
    EXPECT_FALSE(c.result.policy.migrateMaAllowed());
    EXPECT_EQ(c.result.vmpl, 0u);
    EXPECT_EQ(c.result.reportedTcb, c.result.committedTcb);
    EXPECT_GT(c.result.reportedTcb.snp, 0);
    // MEASUREMENT = simulatedMeasurement(binary, config): the files' order
    // and content matter.
    const auto expected = simulatedMeasurement(measured);
    ASSERT_RESULT_OK(expected);
    EXPECT_EQ(c.result.measurement, *expected);
    const auto swapped = simulatedMeasurement({ measured[1], measured[0] });
    ASSERT_RESULT_OK(swapped);
    EXPECT_NE(*swapped, *expected);
    EXPECT_RESULT_ERROR(
        simulatedMeasurement({ tmp.path() / "missing" }), AttestError::StorageFailed);

    // Policy: refused unless allowSimulated.
    snp::TeePolicy policy;
    EXPECT_RESULT_ERROR(
        snp::checkPolicy(c.result, policy), snp::SnpError::PolicySimulatedNotAllowed);
    policy.allowSimulated = true;
    EXPECT_RESULT_OK(snp::checkPolicy(c.result, policy));
    policy.allowedMeasurements = std::vector<Bytes> { *swapped };
    EXPECT_RESULT_ERROR(
        snp::checkPolicy(c.result, policy), snp::SnpError::PolicyMeasurementNotAllowed);
}

TEST(Simulated, NeverVerifiesAgainstAmdRootsOrMixedWithThem)
{
    auto provider = sharedProvider();
    ASSERT_NE(provider, nullptr);
    const auto e = provider->attest(Bytes(64, 0x11));
    ASSERT_RESULT_OK(e);
    // With AMD's pinned chains only: no AMD ASK issued the simulated VCEK.
    EXPECT_RESULT_ERROR(snp::verifyReport(e->report, e->vcek, now()), snp::SnpError::UnknownRoot);
    // Simulated and AMD chains are never trusted together.
    const auto chain = snp::simulatedChain(*e->ark, *e->ask);
    ASSERT_RESULT_OK(chain);
    std::vector<snp::TrustedChain> mixed = snp::pinnedAmdChains();
    mixed.push_back(*chain);
    EXPECT_RESULT_ERROR(
        snp::verifyReport(e->report, e->vcek, now(), mixed), snp::SnpError::UnknownRoot);
    // AMD's own ARK/ASK do not pass as a simulated chain.
    const auto &amd = snp::pinnedAmdChains().front();
    EXPECT_RESULT_ERROR(
        snp::simulatedChain(amd.ark.der(), amd.ask.der()), snp::SnpError::SimulatedChainInvalid);
    // ARK and ASK swapped, or the VCEK in the ASK's place.
    EXPECT_RESULT_ERROR(
        snp::simulatedChain(*e->ask, *e->ark), snp::SnpError::SimulatedChainInvalid);
    EXPECT_RESULT_ERROR(
        snp::simulatedChain(*e->ark, e->vcek), snp::SnpError::SimulatedChainInvalid);
    EXPECT_RESULT_ERROR(
        snp::simulatedChain(Bytes { 0x30, 0x00 }, *e->ask), snp::SnpError::CertificateMalformed);
}

TEST(Simulated, TamperingIsDetected)
{
    auto provider = sharedProvider();
    ASSERT_NE(provider, nullptr);
    const auto e = provider->attest(Bytes(64, 0x22));
    ASSERT_RESULT_OK(e);
    const auto chain = snp::simulatedChain(*e->ark, *e->ask);
    ASSERT_RESULT_OK(chain);
    const snp::TrustedChain trusted[] = { *chain };
    for (size_t at :
        { size_t { 0x08 }, size_t { 0x50 }, size_t { 0x90 }, size_t { 0x2A0 }, size_t { 0x2E8 } }) {
        SCOPED_TRACE(at);
        Bytes bad = e->report;
        bad[at] ^= 0x01;
        EXPECT_RESULT_ERROR(
            snp::verifyReport(bad, e->vcek, now(), trusted), snp::SnpError::ReportSignatureInvalid);
    }
    // Debug on: the signature no longer matches, and re-signing needs the key.
    Bytes debug = e->report;
    debug[0x08 + 2] |= 0x08; // bit 19
    EXPECT_FALSE(snp::verifyReport(debug, e->vcek, now(), trusted).ok());
}

TEST(Simulated, BindingToReportDataHolds)
{
    auto provider = sharedProvider();
    ASSERT_NE(provider, nullptr);
    const Bytes keyConfigs { 0x00, 0x2d, 0x01, 0x00, 0x20 };
    const Bytes nonce = crypto::randomBytes(32);
    const uint64_t notAfter = static_cast<uint64_t>(now()) + 3600;
    const auto reportData = snp::evidenceReportData(keyConfigs, nonce, notAfter);
    ASSERT_RESULT_OK(reportData);
    const auto e = provider->attest(*reportData);
    ASSERT_RESULT_OK(e);
    const Checked c = verifySimulated(*e);
    EXPECT_RESULT_OK(snp::checkEvidenceBinding(c.result.reportData, keyConfigs, nonce, notAfter));
    Bytes otherNonce = nonce;
    otherNonce[0] ^= 1;
    EXPECT_RESULT_ERROR(
        snp::checkEvidenceBinding(c.result.reportData, keyConfigs, otherNonce, notAfter),
        snp::SnpError::ReportDataMismatch);
    EXPECT_RESULT_ERROR(
        snp::checkEvidenceBinding(c.result.reportData, keyConfigs, nonce, notAfter + 1),
        snp::SnpError::ReportDataMismatch);
    EXPECT_RESULT_ERROR(
        snp::checkEvidenceBinding(c.result.reportData, Bytes { 0x00 }, nonce, notAfter),
        snp::SnpError::ReportDataMismatch);
}

TEST(Simulated, RefusesBadReportDataAndBadStorage)
{
    auto provider = sharedProvider();
    ASSERT_NE(provider, nullptr);
    EXPECT_RESULT_ERROR(provider->attest(Bytes(63, 0)), AttestError::BadReportData);
    EXPECT_RESULT_ERROR(provider->attest(Bytes(65, 0)), AttestError::BadReportData);

    test::TempDir tmp;
    ProviderOptions options;
    options.kind = "simulated";
    EXPECT_RESULT_ERROR(openProvider(options), AttestError::Unavailable);
    // An empty directory (say, made by a stack script) gets a chain; one
    // that holds something else but no chain is not silently filled.
    options.simulatedDir = tmp.path() / "empty";
    fs::create_directory(options.simulatedDir);
    fs::permissions(options.simulatedDir, fs::perms::owner_all | fs::perms::group_read);
    EXPECT_RESULT_OK(openProvider(options));
    struct stat st { };
    ASSERT_EQ(::stat(options.simulatedDir.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    options.simulatedDir = tmp.path() / "other";
    fs::create_directory(options.simulatedDir);
    fs::permissions(options.simulatedDir, fs::perms::owner_all);
    writeText(options.simulatedDir / "notes.txt", "not a chain");
    EXPECT_RESULT_ERROR(openProvider(options), AttestError::StorageFailed);
    // A chain directory or key readable by others is refused.
    options.simulatedDir = tmp.path() / "copy";
    fs::copy(SOTTO_ATTESTATION_SHARED_CHAIN, options.simulatedDir);
    fs::permissions(options.simulatedDir, fs::perms::owner_all);
    EXPECT_RESULT_OK(openProvider(options));
    fs::permissions(
        options.simulatedDir / "vcek.key", fs::perms::group_read, fs::perm_options::add);
    EXPECT_RESULT_ERROR(openProvider(options), AttestError::StorageFailed);
    fs::permissions(
        options.simulatedDir / "vcek.key", fs::perms::group_read, fs::perm_options::remove);
    fs::permissions(options.simulatedDir, fs::perms::others_exec, fs::perm_options::add);
    EXPECT_RESULT_ERROR(openProvider(options), AttestError::StorageFailed);
    fs::permissions(options.simulatedDir, fs::perms::others_exec, fs::perm_options::remove);
    // A key that is not the VCEK's.
    fs::remove(options.simulatedDir / "vcek.key");
    {
        std::ofstream key(options.simulatedDir / "vcek.key", std::ios::binary);
        const auto other = crypto::PrivateKey::generateEcP384();
        ASSERT_RESULT_OK(other);
        const Bytes der = other->pkcs8().reveal();
        key.write(
            reinterpret_cast<const char *>(der.data()), static_cast<std::streamsize>(der.size()));
    }
    fs::permissions(
        options.simulatedDir / "vcek.key", fs::perms::owner_read | fs::perms::owner_write);
    EXPECT_RESULT_ERROR(openProvider(options), AttestError::StorageFailed);
}

TEST(OpenProvider, AutoNeverFallsBackToSimulated)
{
    test::TempDir tmp;
    ProviderOptions options;
    options.configfsTsmRoot = tmp.path() / "no-configfs";
    options.sevGuestDevice = tmp.path() / "no-sev-guest";
    options.simulatedDir = SOTTO_ATTESTATION_SHARED_CHAIN;
    EXPECT_RESULT_ERROR(openProvider(options), AttestError::Unavailable);
    options.kind = "configfs-tsm";
    EXPECT_RESULT_ERROR(openProvider(options), AttestError::Unavailable);
    options.kind = "sev-guest";
    EXPECT_RESULT_ERROR(openProvider(options), AttestError::Unavailable);
    options.kind = "Simulated";
    EXPECT_RESULT_ERROR(openProvider(options), AttestError::Unavailable);
    // configfs-tsm is preferred when its directory exists.
    options.kind = "auto";
    fs::create_directory(options.configfsTsmRoot);
    const auto p = openProvider(options);
    ASSERT_RESULT_OK(p);
    EXPECT_EQ((*p)->name(), "configfs-tsm");
    fs::remove(options.configfsTsmRoot);
    writeText(options.sevGuestDevice, "");
    // A regular file is not the device, but it exists: sev-guest is chosen
    // and opened (the ioctl would fail on it).
    const auto q = openProvider(options);
    ASSERT_RESULT_OK(q);
    EXPECT_EQ((*q)->name(), "sev-guest");
    EXPECT_RESULT_ERROR((*q)->attest(Bytes(64, 0)), AttestError::DeviceFailed);
}

} // namespace
} // namespace sotto::attestation
