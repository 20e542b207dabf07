// SPDX-License-Identifier: GPL-3.0-or-later
// Process settings that keep a user's plaintext from leaving the gateway's
// memory: no core dumps, not attachable by a debugger of another user
// (PR_SET_DUMPABLE 0 also closes /proc/<pid>/mem to other processes of the
// same user without CAP_SYS_PTRACE), OpenSSL's allocations wiped on free and
// its key material in mlock'ed memory.
#pragma once

#include "protocol/crypto/process_memory.h"

namespace sotto::gateway {

struct HardeningReport {
    bool zeroingAllocator = false; // OpenSSL uses the wiping allocator
    crypto::SecureHeapState secureHeap = crypto::SecureHeapState::Unavailable;
    bool coreDumpsOff = false; // RLIMIT_CORE 0 and not dumpable
};

// Call first thing in main(), before anything touches OpenSSL.
// allowCoreDump exists only in the canary test build (see main.cpp).
HardeningReport hardenProcess(bool allowCoreDump);

} // namespace sotto::gateway
