// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/interop/npm_peer.h"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace sotto::test {

NpmPeer::NpmPeer(const std::string &node, const std::string &script, const std::string &workdir)
{
    int in[2];
    int out[2];
    if (pipe2(in, O_CLOEXEC) != 0)
        return;
    if (pipe2(out, O_CLOEXEC) != 0) {
        close(in[0]);
        close(in[1]);
        return;
    }
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], STDIN_FILENO);
        dup2(out[1], STDOUT_FILENO);
        if (chdir(workdir.c_str()) != 0)
            _exit(127);
        execlp(node.c_str(), node.c_str(), script.c_str(), static_cast<char *>(nullptr));
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    if (pid < 0) {
        close(in[1]);
        close(out[0]);
        return;
    }
    m_pid = pid;
    m_toPeer = in[1];
    m_fromPeer = out[0];
    signal(SIGPIPE, SIG_IGN); // a dead peer must give an error, not kill the test
}

NpmPeer::~NpmPeer()
{
    if (m_toPeer >= 0)
        close(m_toPeer); // EOF ends the peer's read loop
    if (m_fromPeer >= 0)
        close(m_fromPeer);
    if (m_pid > 0) {
        int status = 0;
        waitpid(m_pid, &status, 0);
    }
}

nlohmann::json NpmPeer::call(const nlohmann::json &request)
{
    if (!started())
        return { { "error", "peer not started" } };
    const std::string line = request.dump() + "\n";
    size_t off = 0;
    while (off < line.size()) {
        const ssize_t n = write(m_toPeer, line.data() + off, line.size() - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return { { "error", "peer closed its input" } };
        off += static_cast<size_t>(n);
    }
    for (;;) {
        const size_t nl = m_buffer.find('\n');
        if (nl != std::string::npos) {
            std::string answer = m_buffer.substr(0, nl);
            m_buffer.erase(0, nl + 1);
            auto parsed = nlohmann::json::parse(answer, nullptr, false);
            if (parsed.is_discarded())
                return { { "error", "peer answered something that is not JSON" } };
            return parsed;
        }
        char chunk[65536];
        const ssize_t n = read(m_fromPeer, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return { { "error", "peer exited" } };
        m_buffer.append(chunk, static_cast<size_t>(n));
    }
}

} // namespace sotto::test
