// SPDX-License-Identifier: GPL-3.0-or-later
#include "tee-backend/gateway/worker_pool.h"

#include <algorithm>
#include <cstring>

namespace sotto::gateway {

namespace {

// A job leaves pieces of the plaintext in stack memory of its thread (JSON
// serialisers and parsers keep small buffers on the stack). Overwriting the
// first 64 KiB below the worker's frame after every job clears them before
// the thread waits for the next job. noinline, and explicit_bzero, so the
// compiler keeps both the frame and the writes.
[[gnu::noinline]] void scrubStack()
{
    unsigned char area[64 * 1024];
    explicit_bzero(area, sizeof area);
    asm volatile("" : : "r"(area) : "memory");
}

} // namespace

WorkerPool::WorkerPool(size_t workers, size_t queueLimit)
    : m_queueLimit(queueLimit)
{
    for (size_t i = 0; i < std::max<size_t>(workers, 1); ++i)
        m_threads.emplace_back([this] { run(); });
}

WorkerPool::~WorkerPool()
{
    stop();
}

bool WorkerPool::trySubmit(std::function<void()> job)
{
    {
        const std::lock_guard lock(m_mutex);
        if (m_stopping || m_queue.size() >= m_queueLimit)
            return false;
        m_queue.push_back(std::move(job));
    }
    m_wake.notify_one();
    return true;
}

size_t WorkerPool::queued() const
{
    const std::lock_guard lock(m_mutex);
    return m_queue.size();
}

size_t WorkerPool::busy() const
{
    const std::lock_guard lock(m_mutex);
    return m_busy;
}

void WorkerPool::stop()
{
    {
        const std::lock_guard lock(m_mutex);
        if (m_stopping && m_threads.empty())
            return;
        m_stopping = true;
        m_queue.clear();
    }
    m_wake.notify_all();
    for (std::thread &t : m_threads)
        t.join();
    m_threads.clear();
}

void WorkerPool::run()
{
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_stopping)
                return;
            job = std::move(m_queue.front());
            m_queue.pop_front();
            ++m_busy;
        }
        job();
        job = nullptr;
        scrubStack();
        const std::lock_guard lock(m_mutex);
        --m_busy;
    }
}

} // namespace sotto::gateway
