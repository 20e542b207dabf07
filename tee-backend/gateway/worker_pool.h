// SPDX-License-Identifier: GPL-3.0-or-later
// A fixed set of worker threads fed from one bounded queue. The network
// threads never run cryptography or an engine: they hand the job here, and
// when the queue is full they answer 503 at once (an overloaded gateway
// refuses quickly instead of getting slow for everyone).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sotto::gateway {

class WorkerPool {
public:
    WorkerPool(size_t workers, size_t queueLimit);
    ~WorkerPool();
    WorkerPool(const WorkerPool &) = delete;
    WorkerPool &operator=(const WorkerPool &) = delete;

    // False (and the job is dropped) when `queueLimit` jobs are already waiting.
    bool trySubmit(std::function<void()> job);
    size_t queued() const;
    size_t busy() const;
    // Lets running jobs finish, drops queued ones, joins the threads.
    void stop();

private:
    void run();

    const size_t m_queueLimit;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::function<void()>> m_queue;
    size_t m_busy = 0;
    bool m_stopping = false;
    std::vector<std::thread> m_threads;
};

} // namespace sotto::gateway
