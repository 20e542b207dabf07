// SPDX-License-Identifier: GPL-3.0-or-later
// /dev/sev-guest (Linux sev-guest driver, include/uapi/linux/sev-guest.h):
// SNP_GET_EXT_REPORT sends MSG_REPORT_REQ with our REPORT_DATA to the AMD
// secure processor and returns MSG_REPORT_RSP plus the certificate table the
// host supplied (GHCB spec 56421 4.1.8.1). When the certificate buffer is
// too small, the host answers with SNP_GUEST_VMM_ERR_INVALID_LEN and the
// size it needs in certs_len; one retry with that size follows.
#include "tee-backend/attestation/devices.h"
#include "tee-backend/attestation/providers_p.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <linux/sev-guest.h>
#include <mutex>
#include <sys/ioctl.h>
#include <unistd.h>

namespace sotto::attestation {

namespace {

// MSG_REPORT_RSP (SEV-SNP ABI spec 56860, table "MSG_REPORT_RSP Message
// Structure").
constexpr size_t kStatusOffset = 0x00;
constexpr size_t kReportSizeOffset = 0x04;
constexpr size_t kReportOffset = 0x20;
constexpr size_t kReportSize = 0x4A0;
// The driver wants a page-aligned buffer of whole pages; the host's table
// for VCEK + ASK + ARK fits in 4 pages, and it may ask for more once.
constexpr size_t kPage = 4096;
constexpr size_t kInitialCertPages = 4;
constexpr size_t kMaxCertBytes = 64 * kPage;
// msg_version of the guest request (the kernel requires non-zero; 1 is the
// MSG_REPORT_REQ version of ABI spec 56860).
constexpr uint8_t kMsgVersion = 1;

uint32_t readLe32(ByteView b, size_t at)
{
    return static_cast<uint32_t>(b[at]) | static_cast<uint32_t>(b[at + 1]) << 8
        | static_cast<uint32_t>(b[at + 2]) << 16 | static_cast<uint32_t>(b[at + 3]) << 24;
}

struct PageBuffer {
    explicit PageBuffer(size_t bytes)
        : size(bytes)
        , data(static_cast<uint8_t *>(std::aligned_alloc(kPage, bytes)))
    {
        if (data)
            std::memset(data, 0, size);
    }
    ~PageBuffer() { std::free(data); }
    PageBuffer(const PageBuffer &) = delete;
    PageBuffer &operator=(const PageBuffer &) = delete;
    size_t size;
    uint8_t *data;
};

class SevGuestProvider final : public Provider {
public:
    SevGuestProvider(ProviderOptions options, int fd)
        : m_options(std::move(options))
        , m_fd(fd)
    { }
    ~SevGuestProvider() override { ::close(m_fd); }

    std::string_view name() const override { return "sev-guest"; }

    AttestResult<Evidence> attest(ByteView reportData) override
    {
        if (reportData.size() != 64)
            return fail(AttestError::BadReportData,
                "REPORT_DATA is " + std::to_string(reportData.size()) + " bytes, expected 64");
        // The driver serialises guest requests itself; this lock keeps our
        // retry-with-a-bigger-buffer sequence in one piece.
        std::lock_guard lock(m_mutex);
        SOTTO_TRY(RawEvidence raw,
            sevGuestExchange(
                [this](snp_guest_request_ioctl &io) {
                    return ::ioctl(m_fd, SNP_GET_EXT_REPORT, &io) == 0 ? 0 : errno;
                },
                reportData));
        return makeEvidence(name(), raw, reportData, m_options);
    }

private:
    ProviderOptions m_options;
    int m_fd;
    std::mutex m_mutex;
};

} // namespace

AttestResult<RawEvidence> sevGuestExchange(
    const std::function<int(snp_guest_request_ioctl &)> &request, ByteView reportData)
{
    if (reportData.size() != 64)
        return fail(AttestError::BadReportData,
            "REPORT_DATA is " + std::to_string(reportData.size()) + " bytes, expected 64");
    size_t certBytes = kInitialCertPages * kPage;
    for (int attempt = 0; attempt < 2; ++attempt) {
        PageBuffer certs(certBytes);
        if (!certs.data)
            return fail(AttestError::DeviceFailed, "out of memory for the certificate buffer");
        snp_ext_report_req req {};
        std::memcpy(req.data.user_data, reportData.data(), reportData.size());
        req.data.vmpl = 0;
        req.certs_address = reinterpret_cast<uintptr_t>(certs.data);
        req.certs_len = static_cast<uint32_t>(certs.size);
        snp_report_resp resp {};
        snp_guest_request_ioctl io {};
        io.msg_version = kMsgVersion;
        io.req_data = reinterpret_cast<uintptr_t>(&req);
        io.resp_data = reinterpret_cast<uintptr_t>(&resp);
        if (const int e = request(io); e != 0) {
            if (io.vmm_error == SNP_GUEST_VMM_ERR_INVALID_LEN && attempt == 0
                && req.certs_len > certBytes && req.certs_len <= kMaxCertBytes) {
                certBytes = (req.certs_len + kPage - 1) / kPage * kPage;
                continue;
            }
            return fail(AttestError::DeviceFailed,
                "SNP_GET_EXT_REPORT failed: " + std::string(std::strerror(e)) + " (errno "
                    + std::to_string(e) + "), firmware error " + std::to_string(io.fw_error)
                    + ", VMM error " + std::to_string(io.vmm_error));
        }
        SOTTO_TRY(Bytes report, parseReportResponse(ByteView(resp.data, sizeof resp.data)));
        return RawEvidence { std::move(report), Bytes(certs.data, certs.data + certs.size) };
    }
    return fail(AttestError::DeviceFailed, "the host kept asking for a larger certificate buffer");
}

AttestResult<Bytes> parseReportResponse(ByteView response)
{
    if (response.size() < kReportOffset)
        return fail(AttestError::BadResponse,
            "MSG_REPORT_RSP is " + std::to_string(response.size()) + " bytes, expected at least "
                + std::to_string(kReportOffset));
    const uint32_t status = readLe32(response, kStatusOffset);
    if (status != 0)
        return fail(AttestError::DeviceFailed,
            "MSG_REPORT_RSP STATUS is " + std::to_string(status)
                + " (0x16: invalid parameters, 0x27: invalid key), expected 0");
    const uint32_t size = readLe32(response, kReportSizeOffset);
    if (size != kReportSize)
        return fail(AttestError::BadResponse,
            "MSG_REPORT_RSP REPORT_SIZE is " + std::to_string(size) + ", expected "
                + std::to_string(kReportSize));
    if (response.size() - kReportOffset < size)
        return fail(AttestError::BadResponse,
            "MSG_REPORT_RSP of " + std::to_string(response.size()) + " bytes cannot hold a "
                + std::to_string(size) + "-byte report");
    const ByteView report = response.subspan(kReportOffset, size);
    return Bytes(report.begin(), report.end());
}

namespace detail {

AttestResult<std::unique_ptr<Provider>> openSevGuest(const ProviderOptions &options)
{
    const int fd = ::open(options.sevGuestDevice.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        const int e = errno;
        return fail(e == ENOENT ? AttestError::Unavailable : AttestError::DeviceFailed,
            "cannot open " + options.sevGuestDevice.string() + ": " + std::strerror(e));
    }
    return std::unique_ptr<Provider>(std::make_unique<SevGuestProvider>(options, fd));
}

} // namespace detail

} // namespace sotto::attestation
