// SPDX-License-Identifier: GPL-3.0-or-later
// configfs-tsm (Linux >= 6.7, Documentation/ABI/testing/configfs-tsm-report):
// mkdir an entry under /sys/kernel/config/tsm/report, write up to 64 bytes
// of REPORT_DATA to inblob, read the signed report from outblob and, for
// the sev_guest provider, the GHCB certificate table from auxblob; the
// `generation` attribute counts writes, so reading it around the exchange
// detects a concurrent writer. rmdir releases the entry.
#include "protocol/crypto/random.h"
#include "tee-backend/attestation/devices.h"
#include "tee-backend/attestation/providers_p.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sotto::attestation {

namespace {

constexpr size_t kMaxOutblobBytes = 16 * 1024;
constexpr size_t kMaxAuxblobBytes = 1024 * 1024;
constexpr size_t kMaxSmallAttributeBytes = 64;

std::string errnoText(int e)
{
    return std::string(std::strerror(e)) + " (errno " + std::to_string(e) + ")";
}

// Attributes are read with plain read(2) calls: configfs binary attributes
// produce their whole value on the first read.
AttestResult<Bytes> readAttribute(const std::filesystem::path &file, size_t maxBytes)
{
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail(
            AttestError::DeviceFailed, "cannot open " + file.string() + ": " + errnoText(errno));
    Bytes out;
    uint8_t buf[4096];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            const int e = errno;
            ::close(fd);
            return fail(
                AttestError::DeviceFailed, "cannot read " + file.string() + ": " + errnoText(e));
        }
        if (n == 0)
            break;
        if (out.size() + static_cast<size_t>(n) > maxBytes) {
            ::close(fd);
            return fail(AttestError::BadResponse,
                file.string() + " is larger than " + std::to_string(maxBytes) + " bytes");
        }
        out.insert(out.end(), buf, buf + n);
    }
    ::close(fd);
    return out;
}

std::string trimmed(const Bytes &b)
{
    std::string s(b.begin(), b.end());
    while (!s.empty() && (s.back() == '\n' || s.back() == '\0'))
        s.pop_back();
    return s;
}

AttestResult<uint64_t> readGeneration(const std::filesystem::path &entry)
{
    SOTTO_TRY(const Bytes raw, readAttribute(entry / "generation", kMaxSmallAttributeBytes));
    const std::string s = trimmed(raw);
    if (s.empty() || s.size() > 19 || s.find_first_not_of("0123456789") != std::string::npos)
        return fail(AttestError::BadResponse, "generation is \"" + s + "\", expected a number");
    return std::stoull(s);
}

AttestStatus writeAttribute(const std::filesystem::path &file, ByteView data)
{
    const int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return fail(
            AttestError::DeviceFailed, "cannot open " + file.string() + ": " + errnoText(errno));
    ssize_t n;
    do {
        n = ::write(fd, data.data(), data.size());
    } while (n < 0 && errno == EINTR);
    const int e = errno;
    ::close(fd);
    if (n < 0)
        return fail(
            AttestError::DeviceFailed, "cannot write " + file.string() + ": " + errnoText(e));
    if (static_cast<size_t>(n) != data.size())
        return fail(AttestError::DeviceFailed,
            "short write to " + file.string() + ": " + std::to_string(n) + " of "
                + std::to_string(data.size()) + " bytes");
    return Done {};
}

class ConfigfsTsmProvider final : public Provider {
public:
    explicit ConfigfsTsmProvider(ProviderOptions options)
        : m_options(std::move(options))
    { }

    std::string_view name() const override { return "configfs-tsm"; }

    AttestResult<Evidence> attest(ByteView reportData) override
    {
        if (reportData.size() != 64)
            return fail(AttestError::BadReportData,
                "REPORT_DATA is " + std::to_string(reportData.size()) + " bytes, expected 64");
        // A fresh entry per report: entries are per-process state in the
        // kernel, and a unique name keeps concurrent attest() calls apart.
        const auto entry = m_options.configfsTsmRoot / ("sotto-" + toHex(crypto::randomBytes(12)));
        if (::mkdir(entry.c_str(), 0700) != 0)
            return fail(AttestError::DeviceFailed,
                "cannot create " + entry.string() + ": " + errnoText(errno));
        auto raw = configfsTsmExchange(entry, reportData);
        // configfs removes an entry's attributes with the directory.
        ::rmdir(entry.c_str());
        if (!raw.ok())
            return raw.failure();
        return makeEvidence(name(), *raw, reportData, m_options);
    }

private:
    ProviderOptions m_options;
};

} // namespace

AttestResult<RawEvidence> configfsTsmExchange(
    const std::filesystem::path &entry, ByteView reportData)
{
    if (reportData.size() != 64)
        return fail(AttestError::BadReportData,
            "REPORT_DATA is " + std::to_string(reportData.size()) + " bytes, expected 64");
    SOTTO_TRY(const Bytes provider, readAttribute(entry / "provider", kMaxSmallAttributeBytes));
    if (trimmed(provider) != "sev_guest")
        return fail(AttestError::Unavailable,
            "configfs-tsm provider is \"" + trimmed(provider) + "\", expected \"sev_guest\"");
    if (auto s = writeAttribute(entry / "inblob", reportData); !s.ok())
        return s.failure();
    SOTTO_TRY(const uint64_t before, readGeneration(entry));
    RawEvidence raw;
    SOTTO_TRY(raw.report, readAttribute(entry / "outblob", kMaxOutblobBytes));
    std::error_code ec;
    if (std::filesystem::exists(entry / "auxblob", ec)) {
        SOTTO_TRY(raw.certificateTable, readAttribute(entry / "auxblob", kMaxAuxblobBytes));
    }
    SOTTO_TRY(const uint64_t after, readGeneration(entry));
    if (before != after)
        return fail(AttestError::DeviceFailed,
            "another writer used " + entry.string() + " (generation " + std::to_string(before)
                + " -> " + std::to_string(after) + ")");
    return raw;
}

namespace detail {

AttestResult<std::unique_ptr<Provider>> openConfigfsTsm(const ProviderOptions &options)
{
    std::error_code ec;
    if (!std::filesystem::is_directory(options.configfsTsmRoot, ec))
        return fail(AttestError::Unavailable,
            options.configfsTsmRoot.string()
                + " is not a directory (configfs-tsm needs Linux >= "
                  "6.7 with configfs mounted)");
    return std::unique_ptr<Provider>(std::make_unique<ConfigfsTsmProvider>(options));
}

} // namespace detail

} // namespace sotto::attestation
