// SPDX-License-Identifier: GPL-3.0-or-later
#include "tee-backend/gateway/hardening.h"

#include <sys/prctl.h>
#include <sys/resource.h>

namespace sotto::gateway {

HardeningReport hardenProcess(bool allowCoreDump)
{
    HardeningReport report;
    report.zeroingAllocator = crypto::useZeroingAllocator();
    // 64 KiB holds hundreds of X25519 keys; the ring holds two at a time.
    report.secureHeap = crypto::initSecureHeap(64 * 1024);
    if (!allowCoreDump) {
        const rlimit none { 0, 0 };
        const bool limited = setrlimit(RLIMIT_CORE, &none) == 0;
        const bool undumpable = prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0;
        report.coreDumpsOff = limited && undumpable;
    }
    return report;
}

} // namespace sotto::gateway
