// SPDX-License-Identifier: GPL-3.0-or-later
// The simulated provider: development only. It plays the AMD secure
// processor's part with test keys, so that the whole stack (gateway, relay,
// client verification) runs on machines without SEV-SNP:
//
//   - a "Sotto Simulated" ARK -> ASK -> VCEK chain for Milan, made once in
//     ProviderOptions::simulatedDir (mode 0700) and reused: ark.der, ask.der,
//     vcek.der and the VCEK's private key vcek.key (PKCS#8 DER, mode 0600).
//     ARK and ASK are RSA-4096 and sign with RSASSA-PSS SHA-384 (salt 48),
//     the VCEK is ECDSA P-384 with AMD's extensions (VCEK spec 57230), as
//     AMD's KDS issues them. The ARK and ASK private keys are thrown away once
//     the VCEK is issued: nothing else is ever signed by them.
//   - reports in the exact ATTESTATION_REPORT v3 format (ABI spec 56860 7.3),
//     signed with the VCEK key over [0, 0x2A0) with R/S little-endian; debug
//     off, VMPL 0, MEASUREMENT = simulatedMeasurement(measuredFiles).
//
// protocol/snp never confuses this chain with AMD's: its names say
// "Sotto Simulated", a client accepts it only with allowSimulated, and then
// VerificationResult::simulated is true.
#include "protocol/crypto/der.h"
#include "protocol/crypto/random.h"
#include "protocol/crypto/x509.h"
#include "protocol/crypto/x509_builder.h"
#include "protocol/snp/chain.h"
#include "protocol/snp/report.h"
#include "tee-backend/attestation/providers_p.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sotto::attestation {

namespace {

namespace fs = std::filesystem;
using crypto::CertificateExtension;
using crypto::DistinguishedName;

constexpr const char *kArkFile = "ark.der";
constexpr const char *kAskFile = "ask.der";
constexpr const char *kVcekFile = "vcek.der";
constexpr const char *kVcekKeyFile = "vcek.key";
constexpr size_t kMaxFileBytes = 64 * 1024;

constexpr size_t kRootKeyBits = 4096; // as AMD's ARK and ASK
constexpr int64_t kDay = 86400;
constexpr int64_t kYear = 365 * kDay;

// A plausible Milan TCB (bootloader, TEE, SNP, microcode SPLs), in the
// Milan/Genoa TCB_VERSION layout (ABI spec 56860 "TCB_VERSION").
constexpr uint8_t kBootloaderSpl = 4;
constexpr uint8_t kTeeSpl = 0;
constexpr uint8_t kSnpSpl = 22;
constexpr uint8_t kMicrocodeSpl = 213;
// CPUID family 0x19, model 0x01, stepping 1: Milan B1 (report v3 fields).
constexpr uint8_t kCpuidFamily = 0x19;
constexpr uint8_t kCpuidModel = 0x01;
constexpr uint8_t kCpuidStepping = 0x01;
// Firmware 1.55 build 21.
constexpr uint8_t kFirmwareMajor = 1;
constexpr uint8_t kFirmwareMinor = 55;
constexpr uint8_t kFirmwareBuild = 21;
// GUEST_POLICY: ABI 0.0, SMT allowed, bit 17 (must be one); DEBUG and
// MIGRATE_MA clear.
constexpr uint64_t kGuestPolicy
    = snp::GuestPolicy::kSmtAllowed | snp::GuestPolicy::kReservedMustBeOne;
constexpr uint64_t kPlatformInfo = 0x1; // SMT enabled

DistinguishedName simulatedName(const std::string &cn)
{
    // Never "Advanced Micro Devices": snp::simulatedChain refuses that.
    return { "XX", "", "", "Sotto development (simulated, not AMD)", "Simulated SEV-SNP",
        std::string(snp::kSimulatedNamePrefix) + cn };
}

std::string errnoText()
{
    return std::strerror(errno);
}

AttestStatus writeFile(const fs::path &file, ByteView data, mode_t mode)
{
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        return fail(
            AttestError::StorageFailed, "cannot create " + file.string() + ": " + errnoText());
    size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const std::string why = errnoText();
            ::close(fd);
            return fail(AttestError::StorageFailed, "cannot write " + file.string() + ": " + why);
        }
        done += static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0)
        return fail(
            AttestError::StorageFailed, "cannot write " + file.string() + ": " + errnoText());
    return Done {};
}

AttestResult<Bytes> issue(const crypto::CertificateTemplate &t, const crypto::PrivateKey &key)
{
    auto cert = crypto::issueCertificate(t, key);
    if (!cert.ok())
        return fail(
            AttestError::StorageFailed, "cannot issue a simulated certificate: " + cert.detail());
    return std::move(cert).value();
}

template <class T> AttestResult<T> keyOrFail(crypto::CryptoResult<T> r)
{
    if (!r.ok())
        return fail(AttestError::StorageFailed, "key generation failed: " + r.detail());
    return std::move(r).value();
}

// Makes the chain in a fresh sibling directory, then renames it into place,
// so that a reader never sees half a chain and two processes starting at
// once agree on one (the loser's rename fails, and it uses the winner's).
AttestStatus createChain(const fs::path &dir)
{
    std::error_code ec;
    const fs::path parent = dir.parent_path().empty() ? fs::path(".") : dir.parent_path();
    fs::create_directories(parent, ec);
    const fs::path tmp
        = parent / (dir.filename().string() + ".tmp-" + toHex(crypto::randomBytes(8)));
    if (::mkdir(tmp.c_str(), 0700) != 0)
        return fail(
            AttestError::StorageFailed, "cannot create " + tmp.string() + ": " + errnoText());
    const auto cleanup = [&] { fs::remove_all(tmp, ec); };

    const int64_t now = static_cast<int64_t>(std::time(nullptr));
    const auto arkKey = keyOrFail(crypto::PrivateKey::generateRsa(kRootKeyBits));
    const auto askKey = keyOrFail(crypto::PrivateKey::generateRsa(kRootKeyBits));
    const auto vcekKey = keyOrFail(crypto::PrivateKey::generateEcP384());
    if (!arkKey.ok() || !askKey.ok() || !vcekKey.ok()) {
        cleanup();
        return fail(AttestError::StorageFailed, "simulated key generation failed");
    }
    const std::string generation(snp::generationName(snp::Generation::Milan));

    crypto::CertificateTemplate ark;
    ark.subject = simulatedName("ARK-" + generation);
    ark.issuer = ark.subject;
    ark.serialNumber = crypto::randomBytes(16);
    ark.notBefore = now - kDay;
    ark.notAfter = now + 25 * kYear;
    ark.subjectPublicKey = arkKey->publicKey().spki();
    ark.extensions = { crypto::caBasicConstraints(), crypto::caKeyUsage() };

    crypto::CertificateTemplate ask = ark;
    ask.subject = simulatedName("ASK-" + generation);
    ask.serialNumber = crypto::randomBytes(16);
    ask.subjectPublicKey = askKey->publicKey().spki();

    // VCEK: serial 0 and the extensions in the order AMD's KDS writes them
    // (structVersion, productName, the SPLs, hwID = CHIP_ID).
    const Bytes chipId = crypto::randomBytes(64);
    crypto::CertificateTemplate vcek;
    vcek.subject = simulatedName("VCEK");
    vcek.issuer = ask.subject;
    vcek.notBefore = now - kDay;
    vcek.notAfter = now + 7 * kYear;
    vcek.subjectPublicKey = vcekKey->publicKey().spki();
    vcek.extensions = {
        { snp::oid::kStructVersion, false, crypto::der::integer(0) },
        { snp::oid::kProductName, false, crypto::der::ia5String(generation + "-B0") },
        { snp::oid::kBootloaderSpl, false, crypto::der::integer(kBootloaderSpl) },
        { snp::oid::kTeeSpl, false, crypto::der::integer(kTeeSpl) },
        { "1.3.6.1.4.1.3704.1.3.4", false, crypto::der::integer(0) },
        { "1.3.6.1.4.1.3704.1.3.5", false, crypto::der::integer(0) },
        { "1.3.6.1.4.1.3704.1.3.6", false, crypto::der::integer(0) },
        { "1.3.6.1.4.1.3704.1.3.7", false, crypto::der::integer(0) },
        { snp::oid::kSnpSpl, false, crypto::der::integer(kSnpSpl) },
        { snp::oid::kMicrocodeSpl, false, crypto::der::integer(kMicrocodeSpl) },
        { snp::oid::kHwId, false, chipId },
    };

    const auto arkDer = issue(ark, *arkKey);
    const auto askDer = issue(ask, *arkKey);
    const auto vcekDer = issue(vcek, *askKey);
    if (!arkDer.ok() || !askDer.ok() || !vcekDer.ok()) {
        cleanup();
        return fail(AttestError::StorageFailed, "cannot issue the simulated chain");
    }
    const crypto::SecretBytes vcekPkcs8 = vcekKey->pkcs8();
    for (const auto &[name, bytes, mode] :
        { std::tuple { kArkFile, ByteView(*arkDer), mode_t { 0644 } },
            std::tuple { kAskFile, ByteView(*askDer), mode_t { 0644 } },
            std::tuple { kVcekFile, ByteView(*vcekDer), mode_t { 0644 } },
            std::tuple { kVcekKeyFile, vcekPkcs8.view(), mode_t { 0600 } } }) {
        if (auto s = writeFile(tmp / name, bytes, mode); !s.ok()) {
            cleanup();
            return s;
        }
    }
    if (::rename(tmp.c_str(), dir.c_str()) != 0) {
        const int e = errno;
        cleanup();
        // Another process made the chain first: use theirs.
        if (e == EEXIST || e == ENOTEMPTY)
            return Done {};
        return fail(AttestError::StorageFailed,
            "cannot move the simulated chain to " + dir.string() + ": " + std::strerror(e));
    }
    return Done {};
}

// An SPL extension: DER INTEGER 0..255 (the verifier checks the same).
AttestResult<uint8_t> splOf(const crypto::Certificate &vcek, const char *oid)
{
    const auto v = vcek.extensionValue(oid);
    if (!v || v->size() < 3 || v->size() > 4 || (*v)[0] != 0x02
        || (*v)[1] + size_t { 2 } != v->size())
        return fail(AttestError::StorageFailed,
            std::string("the simulated VCEK's extension ") + oid + " is not a small INTEGER");
    return v->back();
}

class SimulatedProvider final : public Provider {
public:
    SimulatedProvider(
        crypto::PrivateKey key, Bytes ark, Bytes ask, Bytes vcek, snp::ReportFields fields)
        : m_key(std::move(key))
        , m_ark(std::move(ark))
        , m_ask(std::move(ask))
        , m_vcek(std::move(vcek))
        , m_fields(fields)
    { }

    std::string_view name() const override { return "simulated"; }

    AttestResult<Evidence> attest(ByteView reportData) override
    {
        if (reportData.size() != m_fields.reportData.size())
            return fail(AttestError::BadReportData,
                "REPORT_DATA is " + std::to_string(reportData.size()) + " bytes, expected 64");
        snp::ReportFields fields = m_fields;
        std::copy(reportData.begin(), reportData.end(), fields.reportData.begin());
        Bytes report = snp::encodeReport(fields);
        const auto sig = crypto::signEcdsaP384Sha384LittleEndian(
            m_key, ByteView(report).first(snp::kSignedLength));
        if (!sig.ok())
            return fail(AttestError::DeviceFailed, "simulated signing failed: " + sig.detail());
        if (auto s = snp::setReportSignature(report, sig->r, sig->s); !s.ok())
            return fail(AttestError::DeviceFailed, s.detail());
        return Evidence { "simulated", std::move(report), m_vcek, m_ask, m_ark };
    }

private:
    crypto::PrivateKey m_key;
    Bytes m_ark;
    Bytes m_ask;
    Bytes m_vcek;
    snp::ReportFields m_fields;
};

} // namespace

namespace detail {

AttestResult<std::unique_ptr<Provider>> openSimulated(const ProviderOptions &options)
{
    if (options.simulatedDir.empty())
        return fail(AttestError::Unavailable, "the simulated provider needs simulatedDir");
    const fs::path &dir = options.simulatedDir;
    std::error_code ec;
    // A missing or empty directory gets a chain (rename(2) replaces an empty
    // directory); one that holds anything else is never silently filled.
    if (!fs::exists(dir, ec) || (fs::is_directory(dir, ec) && fs::is_empty(dir, ec))) {
        if (auto s = createChain(dir); !s.ok())
            return s.failure();
    }
    struct stat st { };
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        return fail(AttestError::StorageFailed, dir.string() + " is not a directory");
    if (st.st_mode & 077) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%03o", static_cast<unsigned>(st.st_mode & 0777));
        return fail(AttestError::StorageFailed,
            dir.string() + " has mode " + mode + ", expected 0700 (it holds a signing key)");
    }
    const fs::path keyFile = dir / kVcekKeyFile;
    if (::stat(keyFile.c_str(), &st) != 0)
        return fail(AttestError::StorageFailed,
            dir.string() + " holds no simulated chain (" + keyFile.string() + ": " + errnoText()
                + "); remove it to have one made");
    if (st.st_mode & 077)
        return fail(AttestError::StorageFailed,
            keyFile.string() + " is readable by others, expected mode 0600");

    SOTTO_TRY(const Bytes ark, readFileBytes(dir / kArkFile, kMaxFileBytes));
    SOTTO_TRY(const Bytes ask, readFileBytes(dir / kAskFile, kMaxFileBytes));
    SOTTO_TRY(const Bytes vcek, readFileBytes(dir / kVcekFile, kMaxFileBytes));
    SOTTO_TRY(const Bytes keyBytes, readFileBytes(keyFile, kMaxFileBytes));
    const crypto::SecretBytes keyDer(keyBytes);
    auto key = crypto::PrivateKey::fromPkcs8(keyDer.view());
    if (!key.ok() || key->type() != crypto::PublicKeyType::EcP384)
        return fail(AttestError::StorageFailed, keyFile.string() + " is not a P-384 PKCS#8 key");

    // The chain must be one protocol/snp accepts as simulated, and the key
    // must be the VCEK's: otherwise every report would fail verification.
    const auto chain = snp::simulatedChain(ark, ask);
    if (!chain.ok())
        return fail(AttestError::StorageFailed,
            "the simulated chain in " + dir.string() + " is invalid: " + chain.detail());
    const auto vcekCert = crypto::Certificate::fromDer(vcek);
    if (!vcekCert.ok() || !vcekCert->verifySignedBy(chain->ask).ok())
        return fail(
            AttestError::StorageFailed, "the simulated VCEK is not issued by the simulated ASK");
    if (vcekCert->publicKey().spki() != key->publicKey().spki())
        return fail(
            AttestError::StorageFailed, keyFile.string() + " is not the simulated VCEK's key");

    snp::ReportFields f;
    f.version = 3;
    f.policy = kGuestPolicy;
    f.vmpl = 0;
    f.platformInfo = kPlatformInfo;
    SOTTO_TRY(const uint8_t bl, splOf(*vcekCert, snp::oid::kBootloaderSpl));
    SOTTO_TRY(const uint8_t tee, splOf(*vcekCert, snp::oid::kTeeSpl));
    SOTTO_TRY(const uint8_t snpSpl, splOf(*vcekCert, snp::oid::kSnpSpl));
    SOTTO_TRY(const uint8_t ucode, splOf(*vcekCert, snp::oid::kMicrocodeSpl));
    // Milan/Genoa TCB_VERSION: bootloader byte 0, TEE 1, SNP 6, microcode 7.
    const uint64_t tcb = uint64_t { bl } | uint64_t { tee } << 8 | uint64_t { snpSpl } << 48
        | uint64_t { ucode } << 56;
    f.currentTcb = f.reportedTcb = f.committedTcb = f.launchTcb = tcb;
    const auto hwId = vcekCert->extensionValue(snp::oid::kHwId);
    if (!hwId || hwId->size() != f.chipId.size())
        return fail(AttestError::StorageFailed, "the simulated VCEK's hwID is not 64 bytes");
    std::copy(hwId->begin(), hwId->end(), f.chipId.begin());
    SOTTO_TRY(const Bytes measurement, simulatedMeasurement(options.measuredFiles));
    std::copy(measurement.begin(), measurement.end(), f.measurement.begin());
    // REPORT_ID identifies the guest (ABI 56860 7.3): one per provider
    // instance, i.e. per gateway launch. No migration agent: REPORT_ID_MA
    // is all ones.
    const Bytes reportId = crypto::randomBytes(f.reportId.size());
    std::copy(reportId.begin(), reportId.end(), f.reportId.begin());
    f.reportIdMa.fill(0xff);
    f.cpuidFamilyId = kCpuidFamily;
    f.cpuidModelId = kCpuidModel;
    f.cpuidStepping = kCpuidStepping;
    f.currentMajor = f.committedMajor = kFirmwareMajor;
    f.currentMinor = f.committedMinor = kFirmwareMinor;
    f.currentBuild = f.committedBuild = kFirmwareBuild;
    return std::unique_ptr<Provider>(
        std::make_unique<SimulatedProvider>(std::move(key).value(), ark, ask, vcek, f));
}

} // namespace detail

} // namespace sotto::attestation
