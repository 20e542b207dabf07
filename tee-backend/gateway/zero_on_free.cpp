// SPDX-License-Identifier: GPL-3.0-or-later
// The gateway binary's global operator new and delete: every block is wiped
// (its whole usable size, malloc_usable_size) before it goes back to malloc.
// Decoded requests, engine answers, JSON values and Beast's buffers are
// ordinary C++ allocations; with this, none of them leaves a plaintext
// behind in freed heap memory. Linked into the executables only (a
// sanitizer or fuzzer build brings its own operator new).
#include <malloc.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

namespace {

void wipeAndFree(void *ptr) noexcept
{
    if (ptr == nullptr)
        return;
    explicit_bzero(ptr, malloc_usable_size(ptr));
    std::free(ptr);
}

void *allocate(std::size_t size)
{
    if (size == 0)
        size = 1;
    for (;;) {
        if (void *p = std::malloc(size))
            return p;
        std::new_handler handler = std::get_new_handler();
        if (handler == nullptr)
            throw std::bad_alloc();
        handler();
    }
}

void *allocateAligned(std::size_t size, std::align_val_t alignment)
{
    if (size == 0)
        size = 1;
    const auto align = std::max(static_cast<std::size_t>(alignment), sizeof(void *));
    for (;;) {
        void *p = nullptr;
        if (posix_memalign(&p, align, size) == 0)
            return p;
        std::new_handler handler = std::get_new_handler();
        if (handler == nullptr)
            throw std::bad_alloc();
        handler();
    }
}

} // namespace

void *operator new(std::size_t size)
{
    return allocate(size);
}
void *operator new[](std::size_t size)
{
    return allocate(size);
}
void *operator new(std::size_t size, const std::nothrow_t &) noexcept
{
    try {
        return allocate(size);
    } catch (...) {
        return nullptr;
    }
}
void *operator new[](std::size_t size, const std::nothrow_t &) noexcept
{
    try {
        return allocate(size);
    } catch (...) {
        return nullptr;
    }
}
void *operator new(std::size_t size, std::align_val_t a)
{
    return allocateAligned(size, a);
}
void *operator new[](std::size_t size, std::align_val_t a)
{
    return allocateAligned(size, a);
}
void *operator new(std::size_t size, std::align_val_t a, const std::nothrow_t &) noexcept
{
    try {
        return allocateAligned(size, a);
    } catch (...) {
        return nullptr;
    }
}
void *operator new[](std::size_t size, std::align_val_t a, const std::nothrow_t &) noexcept
{
    try {
        return allocateAligned(size, a);
    } catch (...) {
        return nullptr;
    }
}

void operator delete(void *p) noexcept
{
    wipeAndFree(p);
}
void operator delete[](void *p) noexcept
{
    wipeAndFree(p);
}
void operator delete(void *p, std::size_t) noexcept
{
    wipeAndFree(p);
}
void operator delete[](void *p, std::size_t) noexcept
{
    wipeAndFree(p);
}
void operator delete(void *p, const std::nothrow_t &) noexcept
{
    wipeAndFree(p);
}
void operator delete[](void *p, const std::nothrow_t &) noexcept
{
    wipeAndFree(p);
}
void operator delete(void *p, std::align_val_t) noexcept
{
    wipeAndFree(p);
}
void operator delete[](void *p, std::align_val_t) noexcept
{
    wipeAndFree(p);
}
void operator delete(void *p, std::size_t, std::align_val_t) noexcept
{
    wipeAndFree(p);
}
void operator delete[](void *p, std::size_t, std::align_val_t) noexcept
{
    wipeAndFree(p);
}
void operator delete(void *p, std::align_val_t, const std::nothrow_t &) noexcept
{
    wipeAndFree(p);
}
void operator delete[](void *p, std::align_val_t, const std::nothrow_t &) noexcept
{
    wipeAndFree(p);
}
