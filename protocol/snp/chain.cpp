// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/snp/chain.h"

#include "protocol/crypto/hash.h"
#include "protocol/crypto/signature.h"
#include "protocol/snp/amd_roots.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

namespace sotto::snp {

namespace {

using crypto::Certificate;
using crypto::CertificateError;

// SIGNATURE_ALGO 1: ECDSA P-384 with SHA-384 (ABI spec 56860, table
// "Signature Algorithm Encodings").
constexpr uint32_t kEcdsaP384Sha384 = 1;
// hwID length: the 64-byte CHIP_ID, except Turin VCEKs, which carry only its
// first 8 bytes (VCEK spec 57230; seen in the virtee Turin VCEK).
constexpr size_t kHwIdLength = 64;
constexpr size_t kTurinHwIdLength = 8;

Certificate loadPinned(const char *pem, const char *sha256)
{
    auto certs = Certificate::fromPem(pem);
    if (!certs.ok() || certs->size() != 1 || toHex(certs->front().sha256Fingerprint()) != sha256) {
        std::fprintf(
            stderr, "sotto: a pinned AMD certificate is corrupt (expected SHA-256 %s)\n", sha256);
        std::abort();
    }
    return certs->front();
}

// A VCEK SPL extension holds a DER INTEGER (VCEK spec 57230): 02 len value,
// here one SVN byte (0..255), so 1 or 2 content bytes, minimal, non-negative.
SnpResult<uint8_t> splValue(const Certificate &vcek, const char *oid, const char *name)
{
    const auto value = vcek.extensionValue(oid);
    if (!value)
        return fail(SnpError::VcekExtensionMissing,
            std::string("VCEK has no ") + name + " extension (" + oid + ")");
    const Bytes &v = *value;
    const bool shapeOk = v.size() >= 3 && v[0] == 0x02 && v[1] + size_t { 2 } == v.size()
        && (v[1] == 1 ? v[2] < 0x80 : (v[1] == 2 && v[2] == 0x00 && v[3] >= 0x80));
    if (!shapeOk)
        return fail(SnpError::VcekExtensionMalformed,
            std::string(name) + " is " + toHex(v) + ", expected a DER INTEGER 0..255");
    return v.back();
}

SnpStatus checkSpl(const Certificate &vcek, const char *oid, const char *name, uint8_t reported)
{
    SOTTO_TRY(const uint8_t spl, splValue(vcek, oid, name));
    if (spl != reported)
        return fail(SnpError::VcekTcbMismatch,
            std::string("VCEK ") + name + " is " + std::to_string(spl) + ", REPORTED_TCB has "
                + std::to_string(reported));
    return Done {};
}

SnpStatus checkVcekBinding(
    const Certificate &vcek, const AttestationReport &report, Generation g, const Tcb &reported)
{
    // productName1 is an IA5String such as "Milan-B0" or "Turin".
    const auto product = vcek.extensionValue(oid::kProductName);
    if (!product)
        return fail(SnpError::VcekExtensionMissing, "VCEK has no productName extension");
    if (product->size() < 2 || (*product)[0] != 0x16
        || (*product)[1] + size_t { 2 } != product->size())
        return fail(SnpError::VcekExtensionMalformed,
            "productName is " + toHex(*product) + ", expected a DER IA5String");
    const std::string name(product->begin() + 2, product->end());
    if (name.rfind(generationName(g), 0) != 0)
        return fail(SnpError::VcekProductMismatch,
            "VCEK productName is \"" + name + "\", chain is " + std::string(generationName(g)));

    if (auto s = checkSpl(vcek, oid::kBootloaderSpl, "blSPL", reported.bootloader); !s.ok())
        return s.failure();
    if (auto s = checkSpl(vcek, oid::kTeeSpl, "teeSPL", reported.tee); !s.ok())
        return s.failure();
    if (auto s = checkSpl(vcek, oid::kSnpSpl, "snpSPL", reported.snp); !s.ok())
        return s.failure();
    if (auto s = checkSpl(vcek, oid::kMicrocodeSpl, "ucodeSPL", reported.microcode); !s.ok())
        return s.failure();
    if (reported.fmc) {
        if (auto s = checkSpl(vcek, oid::kFmcSpl, "fmcSPL", *reported.fmc); !s.ok())
            return s.failure();
    }

    const auto hwId = vcek.extensionValue(oid::kHwId);
    if (!hwId)
        return fail(SnpError::VcekExtensionMissing, "VCEK has no hwID extension");
    const size_t expected = g == Generation::Turin ? kTurinHwIdLength : kHwIdLength;
    if (hwId->size() != expected)
        return fail(SnpError::VcekExtensionMalformed,
            "hwID is " + std::to_string(hwId->size()) + " bytes, expected "
                + std::to_string(expected));
    const auto chip = report.chipId().first(expected);
    if (!std::equal(chip.begin(), chip.end(), hwId->begin(), hwId->end()))
        return fail(SnpError::VcekChipIdMismatch,
            "VCEK hwID is " + toHex(*hwId) + ", CHIP_ID is " + toHex(chip));
    return Done {};
}

} // namespace

const std::vector<TrustedChain> &pinnedAmdChains()
{
    static const std::vector<TrustedChain> chains = [] {
        std::vector<TrustedChain> out;
        for (const auto &p : detail::pinnedAmdChainSources())
            out.push_back({ p.generation, loadPinned(p.arkPem, p.arkSha256),
                loadPinned(p.askPem, p.askSha256) });
        return out;
    }();
    return chains;
}

SnpResult<TrustedChain> simulatedChain(ByteView arkDer, ByteView askDer)
{
    auto ark = Certificate::fromDer(arkDer);
    if (!ark.ok())
        return fail(SnpError::CertificateMalformed, "simulated ARK: " + ark.detail());
    auto ask = Certificate::fromDer(askDer);
    if (!ask.ok())
        return fail(SnpError::CertificateMalformed, "simulated ASK: " + ask.detail());
    for (const TrustedChain &amd : pinnedAmdChains())
        for (const Certificate *c : { &*ark, &*ask })
            if (c->der() == amd.ark.der() || c->der() == amd.ask.der())
                return fail(SnpError::SimulatedChainInvalid,
                    "\"" + c->subjectCommonName() + "\" is AMD's, not a simulated certificate");
    std::optional<Generation> generation;
    for (Generation g : { Generation::Milan, Generation::Genoa, Generation::Turin })
        if (ark->subjectCommonName()
            == std::string(kSimulatedNamePrefix) + "ARK-" + std::string(generationName(g)))
            generation = g;
    if (!generation)
        return fail(SnpError::SimulatedChainInvalid,
            "ARK is \"" + ark->subjectCommonName() + "\", expected \""
                + std::string(kSimulatedNamePrefix) + "ARK-<Milan|Genoa|Turin>\"");
    const std::string askName
        = std::string(kSimulatedNamePrefix) + "ASK-" + std::string(generationName(*generation));
    if (ask->subjectCommonName() != askName)
        return fail(SnpError::SimulatedChainInvalid,
            "ASK is \"" + ask->subjectCommonName() + "\", expected \"" + askName + "\"");
    // A development certificate must not pass for one of AMD's in a UI.
    for (const Certificate *c : { &*ark, &*ask })
        if (c->subject().find("Advanced Micro Devices") != std::string::npos)
            return fail(SnpError::SimulatedChainInvalid,
                "simulated certificate claims to be AMD's: \"" + c->subject() + "\"");
    if (auto s = ark->verifySignedBy(*ark); !s.ok())
        return fail(SnpError::ChainSignatureInvalid, "simulated ARK: " + s.detail());
    if (auto s = ask->verifySignedBy(*ark); !s.ok())
        return fail(SnpError::ChainSignatureInvalid, "simulated ASK: " + s.detail());
    return TrustedChain { *generation, *ark, *ask, true };
}

namespace {

struct ChainMatch {
    Certificate vcek;
    const TrustedChain *chain;
};

// ARK (self-signed) -> ASK -> VCEK, the generation being the one whose ASK
// issued the VCEK.
SnpResult<ChainMatch> verifyChain(ByteView vcekDer, std::span<const TrustedChain> trusted)
{
    auto vcekParsed = Certificate::fromDer(vcekDer);
    if (!vcekParsed.ok())
        return fail(SnpError::CertificateMalformed, "VCEK: " + vcekParsed.detail());
    const Certificate &vcek = *vcekParsed;

    // The generation is the one whose ASK issued the VCEK.
    const TrustedChain *chain = nullptr;
    for (const TrustedChain &c : trusted) {
        const auto signedBy = vcek.verifySignedBy(c.ask);
        if (!signedBy.ok() && signedBy.error() == CertificateError::IssuerMismatch)
            continue;
        if (!signedBy.ok())
            return fail(SnpError::ChainSignatureInvalid, "VCEK: " + signedBy.detail());
        chain = &c;
        break;
    }
    if (!chain)
        return fail(SnpError::UnknownRoot,
            "no trusted ASK issued the VCEK (issuer \"" + vcek.issuer() + "\")");
    // The pinned ARK is self-signed and signs the ASK (ABI spec 56860 7.3);
    // checked each time so that a caller-supplied chain gets the same rigour.
    if (auto s = chain->ark.verifySignedBy(chain->ark); !s.ok())
        return fail(SnpError::ChainSignatureInvalid, "ARK: " + s.detail());
    if (auto s = chain->ask.verifySignedBy(chain->ark); !s.ok())
        return fail(SnpError::ChainSignatureInvalid, "ASK: " + s.detail());

    return ChainMatch { vcek, chain };
}

} // namespace

VerifiedChainCache::VerifiedChainCache(size_t capacity)
    : m_capacity(capacity == 0 ? 1 : capacity)
{ }

size_t VerifiedChainCache::size() const
{
    std::lock_guard lock(m_mutex);
    return m_entries.size();
}

SnpResult<VerificationResult> verifyReportImpl(ByteView reportBytes, ByteView vcekDer, int64_t now,
    std::span<const TrustedChain> trusted, VerifiedChainCache *cache)
{
    if (std::any_of(
            trusted.begin(), trusted.end(), [](const TrustedChain &c) { return c.simulated; })
        && std::any_of(
            trusted.begin(), trusted.end(), [](const TrustedChain &c) { return !c.simulated; }))
        return fail(SnpError::UnknownRoot, "simulated and AMD chains are never trusted together");
    SOTTO_TRY(const AttestationReport report, AttestationReport::parse(reportBytes));
    if (report.signatureAlgorithm() != kEcdsaP384Sha384)
        return fail(SnpError::UnsupportedSignatureAlgorithm,
            "SIGNATURE_ALGO is " + std::to_string(report.signatureAlgorithm())
                + ", expected 1 (ECDSA P-384 with SHA-384)");
    if (report.signingKey() != static_cast<uint8_t>(SigningKey::Vcek))
        return fail(SnpError::UnsupportedSignatureAlgorithm,
            "SIGNING_KEY is " + std::to_string(report.signingKey())
                + ", expected 0 (VCEK); VLEK is not supported");

    std::optional<ChainMatch> match;
    Bytes vcekKey;
    if (cache) {
        vcekKey = crypto::sha256(vcekDer);
        std::lock_guard lock(cache->m_mutex);
        for (const auto &e : cache->m_entries) {
            if (e.vcekSha256 != vcekKey)
                continue;
            for (const TrustedChain &c : trusted)
                if (c.simulated == e.simulated && c.ark.der() == e.arkDer
                    && c.ask.der() == e.askDer)
                    match = ChainMatch { e.vcek, &c };
            break;
        }
    }
    if (!match) {
        SOTTO_TRY(ChainMatch verified, verifyChain(vcekDer, trusted));
        match = std::move(verified);
        if (cache) {
            std::lock_guard lock(cache->m_mutex);
            if (cache->m_entries.size() >= cache->m_capacity)
                cache->m_entries.erase(cache->m_entries.begin());
            cache->m_entries.push_back({ vcekKey, match->vcek, match->chain->ark.der(),
                match->chain->ask.der(), match->chain->simulated });
        }
    }
    const Certificate &vcek = match->vcek;
    const TrustedChain *chain = match->chain;

    const Generation g = chain->generation;
    if (report.version() >= 3) {
        const auto named = report.cpuidGeneration();
        if (named != g)
            return fail(SnpError::GenerationMismatch,
                "report CPUID family/model " + std::to_string(report.cpuidFamilyId()) + "/"
                    + std::to_string(report.cpuidModelId()) + ", VCEK chain is "
                    + std::string(generationName(g)));
    }
    if (now < vcek.notBefore() || now > vcek.notAfter())
        return fail(SnpError::VcekExpired,
            "VCEK valid " + std::to_string(vcek.notBefore()) + ".."
                + std::to_string(vcek.notAfter()) + ", now is " + std::to_string(now));
    if (vcek.publicKey().type() != crypto::PublicKeyType::EcP384)
        return fail(SnpError::VcekNotEcdsaP384, "VCEK key is not ECDSA P-384");

    SOTTO_TRY(const Tcb reported, decodeTcb(report.reportedTcb(), g));
    if (auto s = checkVcekBinding(vcek, report, g, reported); !s.ok())
        return s.failure();

    const auto sig = crypto::verifyEcdsaP384Sha384LittleEndian(
        vcek.publicKey(), report.signedBytes(), report.signatureR(), report.signatureS());
    if (!sig.ok())
        return fail(SnpError::ReportSignatureInvalid, "report signature: " + sig.detail());

    SOTTO_TRY(const Tcb current, decodeTcb(report.currentTcb(), g));
    SOTTO_TRY(const Tcb committed, decodeTcb(report.committedTcb(), g));
    SOTTO_TRY(const Tcb launch, decodeTcb(report.launchTcb(), g));
    const auto copy = [](ByteView b) { return Bytes(b.begin(), b.end()); };
    VerificationResult r;
    r.generation = g;
    r.version = report.version();
    r.guestSvn = report.guestSvn();
    r.policy = report.policy();
    r.vmpl = report.vmpl();
    r.platformInfo = report.platformInfo();
    r.measurement = copy(report.measurement());
    r.reportData = copy(report.reportData());
    r.hostData = copy(report.hostData());
    r.chipId = copy(report.chipId());
    r.reportId = copy(report.reportId());
    r.reportedTcb = reported;
    r.currentTcb = current;
    r.committedTcb = committed;
    r.launchTcb = launch;
    r.vcekSha256 = vcek.sha256Fingerprint();
    r.simulated = chain->simulated;
    return r;
}

SnpResult<VerificationResult> verifyReport(
    ByteView report, ByteView vcekDer, int64_t now, std::span<const TrustedChain> trusted)
{
    return verifyReportImpl(report, vcekDer, now, trusted, nullptr);
}

SnpResult<VerificationResult> verifyReport(ByteView report, ByteView vcekDer, int64_t now,
    std::span<const TrustedChain> trusted, VerifiedChainCache &cache)
{
    return verifyReportImpl(report, vcekDer, now, trusted, &cache);
}

SnpResult<VerificationResult> verifyReport(ByteView report, ByteView vcekDer, int64_t now)
{
    return verifyReport(report, vcekDer, now, pinnedAmdChains());
}

} // namespace sotto::snp
