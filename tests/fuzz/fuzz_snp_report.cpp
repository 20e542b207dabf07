// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the SEV-SNP attestation report parser (AMD SEV-SNP ABI
// spec 56860 section 7.3) and the verifier that consumes it. Besides "no
// crash, no leak", it checks:
//   - a failure is one of the parser's documented codes: WrongSize exactly
//     when the size is not 0x4A0, else UnsupportedVersion or NonzeroReserved;
//   - a report that parses has version 2 or 3, its accessors stay inside the
//     buffer and agree with the raw bytes (bytes() == input), and every TCB
//     decodes or fails with NonzeroReserved only;
//   - verifyReport runs the same parser first: with a malformed VCEK it
//     fails with the parser's own error for an unparsable report, and with
//     UnsupportedSignatureAlgorithm or CertificateMalformed otherwise.
//
// Seeds (corpus/snp_report/): the two real Milan reports of tests/data/snp
// (go-sev-guest_attestation, virtee_report_milan, byte-identical copies) and
// virtee_report_milan_as_v3_turin (version byte set to 3, CPUID family 0x1A
// model 0x02 at 0x188/0x189: parses, but no longer verifies).
#include "protocol/snp/chain.h"
#include "protocol/snp/report.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace sotto;
using namespace sotto::snp;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort();
}

// A DER SEQUENCE that is no certificate.
constexpr uint8_t kNotACertificate[] = { 0x30, 0x03, 0x02, 0x01, 0x00 };

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const ByteView in(data, size);
    const auto report = AttestationReport::parse(in);
    if (!report.ok()) {
        check((report.error() == SnpError::WrongSize) == (size != kReportSize));
        check(report.error() == SnpError::WrongSize
            || report.error() == SnpError::UnsupportedVersion
            || report.error() == SnpError::NonzeroReserved);
        check(!report.detail().empty());
    } else {
        check(size == kReportSize);
        check(report->version() == 2 || report->version() == 3);
        check(report->bytes().size() == size
            && std::equal(in.begin(), in.end(), report->bytes().begin()));
        check(report->signedBytes().size() == kSignedLength);
        check(report->reportData().size() == 64 && report->measurement().size() == 48);
        check(report->chipId().size() == 64 && report->signatureR().size() == 72);
        check(report->signingKey() <= 7);
        if (report->version() == 2)
            check(!report->cpuidGeneration().has_value());
        for (Generation g : { Generation::Milan, Generation::Genoa, Generation::Turin }) {
            for (uint64_t raw : { report->currentTcb(), report->reportedTcb(),
                     report->committedTcb(), report->launchTcb() }) {
                const auto tcb = decodeTcb(raw, g);
                check(tcb.ok() || tcb.error() == SnpError::NonzeroReserved);
                if (tcb.ok())
                    check(tcb->raw == raw && tcb->fmc.has_value() == (g == Generation::Turin));
            }
        }
    }
    const auto verified = verifyReport(in, kNotACertificate, 0, {});
    check(!verified.ok());
    if (report.ok())
        check(verified.error() == SnpError::UnsupportedSignatureAlgorithm
            || verified.error() == SnpError::CertificateMalformed);
    else
        check(verified.error() == report.error());
    return 0;
}
