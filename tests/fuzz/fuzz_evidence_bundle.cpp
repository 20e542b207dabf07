// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the evidence bundle parser (protocol/formats/evidence.h,
// DESIGN.md "Evidence bundle"). Besides "no crash, no leak", it checks:
//   - inputs above kMaxEvidenceBundleBytes fail with TooLarge, and only those;
//   - every failure carries a detail sentence;
//   - a bundle that parses obeys the documented rules (version 0, platform
//     "sev-snp", a known provider, a 0x4A0-byte report, an ARK only from the
//     simulated provider, which then has ASK and ARK) and re-encodes to a
//     canonical form that parses to the same values and encodes identically.
//
// Seeds (corpus/evidence_bundle/): sev-guest.json, the virtee Milan report and
// VCEK of tests/data/snp with a sample release statement; simulated.json, the
// same with the Turin VCEK standing in as ASK and ARK (structure only).
#include "protocol/formats/evidence.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace sotto;
using namespace sotto::formats;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort();
}

bool sameBundle(const EvidenceBundle &a, const EvidenceBundle &b)
{
    return a.version == b.version && a.platform == b.platform && a.provider == b.provider
        && a.report == b.report && a.vcek == b.vcek && a.ask == b.ask && a.ark == b.ark
        && a.keyConfigs == b.keyConfigs && a.notAfter == b.notAfter && a.release == b.release
        && a.logIndex == b.logIndex;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    const auto parsed = parseEvidenceBundle(text);
    if (!parsed.ok()) {
        check((parsed.error() == EvidenceError::TooLarge) == (size > kMaxEvidenceBundleBytes));
        check(!parsed.detail().empty());
        return 0;
    }
    const EvidenceBundle &b = *parsed;
    check(size <= kMaxEvidenceBundleBytes);
    check(b.version == 0 && b.platform == "sev-snp");
    check(b.provider == "configfs-tsm" || b.provider == "sev-guest" || b.provider == "simulated");
    check(b.report.size() == 0x4A0 && !b.vcek.empty() && !b.keyConfigs.empty());
    check(!b.ark || b.provider == "simulated");
    check(b.provider != "simulated" || (b.ark && b.ask));
    const std::string canonical = encodeEvidenceBundle(b);
    const auto again = parseEvidenceBundle(canonical);
    check(again.ok() && sameBundle(*again, b));
    check(encodeEvidenceBundle(*again) == canonical);
    return 0;
}
