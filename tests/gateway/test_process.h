// SPDX-License-Identifier: GPL-3.0-or-later
// Child processes for the end-to-end tests (sotto-gateway, nginx), started
// by the test and stopped by pid. No sleeps with a meaning: readiness is a
// line on stdout (the gateway) or an accepted connection (nginx), and every
// wait has a generous upper bound only so that a broken build cannot hang
// ctest.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char **environ;

namespace sotto::gatewaytest {

// Upper bound for anything a test waits for (a loaded 2-core machine may be
// slow; nothing here is timed).
inline constexpr auto kPatience = std::chrono::seconds(120);

class ChildProcess {
public:
    ChildProcess() = default;
    ChildProcess(const ChildProcess &) = delete;
    ChildProcess &operator=(const ChildProcess &) = delete;
    ~ChildProcess() { kill(SIGKILL); }

    // Starts argv[0] with stdout on a pipe we read and stderr to `stderrFile`.
    bool start(const std::vector<std::string> &argv, const std::filesystem::path &stderrFile)
    {
        int out[2];
        if (pipe2(out, O_CLOEXEC) != 0)
            return false;
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
        posix_spawn_file_actions_addopen(
            &actions, STDERR_FILENO, stderrFile.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        std::vector<char *> args;
        for (const std::string &a : argv)
            args.push_back(const_cast<char *>(a.c_str()));
        args.push_back(nullptr);
        const int rc = posix_spawn(&m_pid, args[0], &actions, nullptr, args.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        close(out[1]);
        if (rc != 0) {
            close(out[0]);
            m_pid = -1;
            return false;
        }
        m_stdout = out[0];
        return true;
    }

    // The next line on the child's stdout; nullopt at EOF or after kPatience.
    std::optional<std::string> readLine()
    {
        const auto until = std::chrono::steady_clock::now() + kPatience;
        for (;;) {
            if (const size_t nl = m_buffer.find('\n'); nl != std::string::npos) {
                std::string line = m_buffer.substr(0, nl);
                m_buffer.erase(0, nl + 1);
                return line;
            }
            if (m_stdout < 0 || std::chrono::steady_clock::now() > until)
                return std::nullopt;
            pollfd p { m_stdout, POLLIN, 0 };
            if (poll(&p, 1, 1000) <= 0)
                continue;
            char chunk[4096];
            const ssize_t n = read(m_stdout, chunk, sizeof chunk);
            if (n <= 0) {
                close(m_stdout);
                m_stdout = -1;
                continue;
            }
            m_buffer.append(chunk, static_cast<size_t>(n));
        }
    }

    pid_t pid() const { return m_pid; }
    bool running() const { return m_pid > 0; }

    // Sends `signal` and reaps the child; returns its wait status.
    int kill(int signal)
    {
        if (m_pid <= 0)
            return -1;
        ::kill(m_pid, signal);
        return wait();
    }

    int wait()
    {
        int status = 0;
        if (m_pid > 0)
            waitpid(m_pid, &status, 0);
        m_pid = -1;
        if (m_stdout >= 0) {
            close(m_stdout);
            m_stdout = -1;
        }
        return status;
    }

private:
    pid_t m_pid = -1;
    int m_stdout = -1;
    std::string m_buffer;
};

// A port that was free a moment ago (bind to 0, read it, close).
inline uint16_t freePort()
{
    const int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a {};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof a;
    bind(s, reinterpret_cast<sockaddr *>(&a), sizeof a);
    getsockname(s, reinterpret_cast<sockaddr *>(&a), &len);
    close(s);
    return ntohs(a.sin_port);
}

inline bool acceptsConnections(uint16_t port)
{
    const int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a {};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    const bool ok = connect(s, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0;
    close(s);
    return ok;
}

inline bool waitForPort(uint16_t port)
{
    const auto until = std::chrono::steady_clock::now() + kPatience;
    while (std::chrono::steady_clock::now() < until) {
        if (acceptsConnections(port))
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

inline std::string readWholeFile(const std::filesystem::path &p)
{
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline void writeWholeFile(const std::filesystem::path &p, std::string_view text)
{
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

// A fresh directory under the system temp dir, removed by the destructor.
class TempDir {
public:
    TempDir()
    {
        std::string tmpl = (std::filesystem::temp_directory_path() / "sotto-gw-XXXXXX").string();
        if (mkdtemp(tmpl.data()) != nullptr)
            m_path = tmpl;
    }
    ~TempDir()
    {
        std::error_code ec;
        if (!m_path.empty())
            std::filesystem::remove_all(m_path, ec);
    }
    const std::filesystem::path &path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

} // namespace sotto::gatewaytest
