// SPDX-License-Identifier: GPL-3.0-or-later
#include "tee-backend/gateway/worker_pool.h"

#include <algorithm>

namespace sotto::gateway {

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
        const std::lock_guard lock(m_mutex);
        --m_busy;
    }
}

} // namespace sotto::gateway
