// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/crypto/process_memory.h"

#include <openssl/crypto.h>

#include <cstdlib>
#include <cstring>
#include <malloc.h>

namespace sotto::crypto {

namespace {

// glibc's malloc_usable_size gives the whole block, which may be larger than
// what was asked for; wiping all of it also clears bytes an earlier owner of
// the block left behind.
void wipeBlock(void *ptr)
{
    if (ptr != nullptr)
        OPENSSL_cleanse(ptr, malloc_usable_size(ptr));
}

void *zeroingMalloc(size_t n, const char *, int)
{
    return std::malloc(n);
}

// realloc may move the block and free the old one without wiping it, so a
// growing block is always moved here: new block, copy, wipe, free.
void *zeroingRealloc(void *ptr, size_t n, const char *, int)
{
    if (ptr == nullptr)
        return std::malloc(n);
    if (n == 0) {
        wipeBlock(ptr);
        std::free(ptr);
        return nullptr;
    }
    const size_t usable = malloc_usable_size(ptr);
    if (n <= usable)
        return ptr;
    void *moved = std::malloc(n);
    if (moved == nullptr)
        return nullptr;
    std::memcpy(moved, ptr, usable);
    wipeBlock(ptr);
    std::free(ptr);
    return moved;
}

void zeroingFree(void *ptr, const char *, int)
{
    wipeBlock(ptr);
    std::free(ptr);
}

} // namespace

bool useZeroingAllocator()
{
    return CRYPTO_set_mem_functions(zeroingMalloc, zeroingRealloc, zeroingFree) == 1;
}

SecureHeapState initSecureHeap(size_t bytes)
{
    // Minimum allocation 32 bytes: the size of an X25519 private key.
    switch (CRYPTO_secure_malloc_init(bytes, 32)) {
    case 1:
        return SecureHeapState::Locked;
    case 2:
        return SecureHeapState::Unlocked;
    default:
        return SecureHeapState::Unavailable;
    }
}

} // namespace sotto::crypto
