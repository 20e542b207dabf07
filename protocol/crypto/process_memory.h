// SPDX-License-Identifier: GPL-3.0-or-later
// Process-wide memory settings of the cryptographic library, for programs that
// hold users' plaintexts (the gateway). The library allocates its own buffers
// (cipher contexts, bignums, key objects); these calls make those buffers
// follow the same rules as SecretBytes:
//
//   useZeroingAllocator()  every block OpenSSL frees or moves is overwritten
//                          first (CRYPTO_set_mem_functions), so freed memory
//                          holds no plaintext or key bytes;
//   initSecureHeap(bytes)  OpenSSL's secure heap (CRYPTO_secure_malloc_init):
//                          an mmap'ed region locked with mlock and guarded by
//                          guard pages, from which OpenSSL 3 allocates private
//                          key material (X25519 keys among it).
#pragma once

#include <cstddef>

namespace sotto::crypto {

// Must run before anything else uses OpenSSL (the library refuses to change
// its allocator after its first allocation). False when it was too late.
bool useZeroingAllocator();

enum class SecureHeapState {
    Locked,      // the region exists and is mlock'ed
    Unlocked,    // the region exists but mlock failed (RLIMIT_MEMLOCK): keys may be swapped
    Unavailable, // no secure heap: keys come from the ordinary (zeroing) heap
};

// `bytes` is rounded up to a power of two by OpenSSL; call once, early.
SecureHeapState initSecureHeap(size_t bytes);

} // namespace sotto::crypto
