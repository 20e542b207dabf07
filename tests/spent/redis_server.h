// SPDX-License-Identifier: GPL-3.0-or-later
// A real redis-server (Debian) for tests: started on 127.0.0.1 at a free port
// it picks, in a temporary directory, without persistence; stopped by pid.
// Tests may kill it (a crash) and restart it on the same port. Reusable by
// any test folder: link sotto_test_redis.
#pragma once

#include <memory>
#include <string>
#include <sys/types.h>

namespace sotto::test {

class RedisServer {
public:
    // Starts redis-server and waits until it answers PING; null with the
    // reason in *error when it could not (e.g. redis-server not installed).
    static std::unique_ptr<RedisServer> start(std::string *error);
    ~RedisServer(); // stops the server and removes its directory
    RedisServer(const RedisServer &) = delete;
    RedisServer &operator=(const RedisServer &) = delete;

    int port() const { return m_port; }
    pid_t pid() const { return m_pid; }
    const std::string &dir() const { return m_dir; }
    bool running() const { return m_pid > 0; }

    // SIGTERM and wait for it to exit.
    void stop();
    // SIGKILL and wait: Redis dies as in a crash.
    void kill();
    // After stop() or kill(): a fresh (empty) server on the same port.
    bool restart(std::string *error);
    // SIGSTOP / SIGCONT: a server that hangs (connections are still accepted
    // by the kernel, nothing answers).
    void pause();
    void resume();

private:
    RedisServer() = default;
    bool launch(std::string *error);
    void signalAndWait(int signal);

    std::string m_dir;
    int m_port = 0;
    pid_t m_pid = -1;
};

} // namespace sotto::test
