// SPDX-License-Identifier: GPL-3.0-or-later
#include "tee-backend/attestation/provider.h"

#include "protocol/crypto/hash.h"
#include "protocol/snp/report.h"
#include "tee-backend/attestation/cert_table.h"
#include "tee-backend/attestation/devices.h"
#include "tee-backend/attestation/providers_p.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <system_error>

namespace sotto::attestation {

namespace {

constexpr std::string_view kMeasurementLabel = "sotto-simulated-measurement-v1";
// A gateway binary and its configuration; anything larger is a mistake.
constexpr size_t kMaxMeasuredFileBytes = size_t { 1 } << 30;
constexpr size_t kMaxCertificateFileBytes = 64 * 1024;

} // namespace

std::string_view errorName(AttestError e)
{
    switch (e) {
    case AttestError::Unavailable:
        return "Unavailable";
    case AttestError::DeviceFailed:
        return "DeviceFailed";
    case AttestError::BadResponse:
        return "BadResponse";
    case AttestError::BadReportData:
        return "BadReportData";
    case AttestError::NoCertificates:
        return "NoCertificates";
    case AttestError::StorageFailed:
        return "StorageFailed";
    }
    return "Unknown";
}

namespace detail {

AttestResult<Bytes> readFileBytes(const std::filesystem::path &file, size_t maxBytes)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return fail(AttestError::StorageFailed,
            "cannot open " + file.string() + ": " + std::strerror(errno));
    Bytes out;
    char buf[65536];
    while (in) {
        in.read(buf, sizeof buf);
        const auto n = static_cast<size_t>(in.gcount());
        if (out.size() + n > maxBytes)
            return fail(AttestError::StorageFailed,
                file.string() + " is larger than " + std::to_string(maxBytes) + " bytes");
        out.insert(out.end(), buf, buf + n);
    }
    if (in.bad())
        return fail(AttestError::StorageFailed, "cannot read " + file.string());
    return out;
}

} // namespace detail

AttestResult<Bytes> simulatedMeasurement(const std::vector<std::filesystem::path> &files)
{
    Bytes input = toBytes(kMeasurementLabel);
    for (const auto &file : files) {
        SOTTO_TRY(const Bytes content, detail::readFileBytes(file, kMaxMeasuredFileBytes));
        const uint64_t size = content.size();
        for (int i = 7; i >= 0; --i)
            input.push_back(static_cast<uint8_t>(size >> (8 * i)));
        input.insert(input.end(), content.begin(), content.end());
    }
    return crypto::digest(crypto::HashAlg::Sha384, input);
}

AttestResult<Evidence> makeEvidence(std::string_view provider, const RawEvidence &raw,
    ByteView reportData, const ProviderOptions &options)
{
    const auto report = snp::AttestationReport::parse(raw.report);
    if (!report.ok())
        return fail(AttestError::BadResponse,
            "the device returned no valid report: " + std::string(snp::errorName(report.error()))
                + ": " + report.detail());
    const ByteView got = report->reportData();
    if (!std::equal(got.begin(), got.end(), reportData.begin(), reportData.end()))
        return fail(AttestError::BadResponse,
            "the report's REPORT_DATA is " + toHex(got) + ", requested " + toHex(reportData));
    SOTTO_TRY(const CertificateTable table, parseCertificateTable(raw.certificateTable));
    Evidence e;
    e.provider = std::string(provider);
    e.report = raw.report;
    if (table.vcek) {
        e.vcek = *table.vcek;
    } else if (options.vcekFile) {
        SOTTO_TRY(e.vcek, detail::readFileBytes(*options.vcekFile, kMaxCertificateFileBytes));
    } else {
        return fail(AttestError::NoCertificates,
            "the host supplied no VCEK with the report and no VCEK file is configured");
    }
    if (table.ask) {
        e.ask = *table.ask;
    } else if (options.askFile) {
        SOTTO_TRY(Bytes ask, detail::readFileBytes(*options.askFile, kMaxCertificateFileBytes));
        e.ask = std::move(ask);
    }
    return e;
}

AttestResult<std::unique_ptr<Provider>> openProvider(const ProviderOptions &options)
{
    std::error_code ec;
    if (options.kind == "simulated")
        return detail::openSimulated(options);
    if (options.kind == "configfs-tsm")
        return detail::openConfigfsTsm(options);
    if (options.kind == "sev-guest")
        return detail::openSevGuest(options);
    if (options.kind == "auto") {
        // configfs-tsm first: the kernel's generic interface (Linux >= 6.7),
        // which also serialises concurrent users; /dev/sev-guest otherwise.
        if (std::filesystem::is_directory(options.configfsTsmRoot, ec))
            return detail::openConfigfsTsm(options);
        if (std::filesystem::exists(options.sevGuestDevice, ec))
            return detail::openSevGuest(options);
        return fail(AttestError::Unavailable,
            "no SEV-SNP attestation device: neither " + options.configfsTsmRoot.string() + " nor "
                + options.sevGuestDevice.string()
                + " exists (the simulated provider is never chosen automatically)");
    }
    return fail(AttestError::Unavailable,
        "unknown provider \"" + options.kind
            + "\", expected auto, configfs-tsm, sev-guest or simulated");
}

} // namespace sotto::attestation
