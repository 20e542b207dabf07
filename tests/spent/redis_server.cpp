// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/spent/redis_server.h"

#include <hiredis/hiredis.h>

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace sotto::test {

namespace {

// A port the kernel just handed out for 127.0.0.1; another process may take
// it before redis-server binds it, so start() retries with a new one.
int pickFreePort()
{
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    int port = 0;
    if (bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0
        && getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) == 0)
        port = ntohs(addr.sin_port);
    close(fd);
    return port;
}

bool answersPing(int port)
{
    redisContext *c = redisConnectWithTimeout("127.0.0.1", port, timeval { 1, 0 });
    if (!c)
        return false;
    bool ok = false;
    if (!c->err) {
        auto *r = static_cast<redisReply *>(redisCommand(c, "PING"));
        ok = r && r->type == REDIS_REPLY_STATUS && std::strcmp(r->str, "PONG") == 0;
        if (r)
            freeReplyObject(r);
    }
    redisFree(c);
    return ok;
}

} // namespace

std::unique_ptr<RedisServer> RedisServer::start(std::string *error)
{
    std::unique_ptr<RedisServer> server(new RedisServer);
    const char *tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/sotto-redis-XXXXXX";
    if (!mkdtemp(pattern.data())) {
        *error = "mkdtemp failed: " + std::string(std::strerror(errno));
        return nullptr;
    }
    server->m_dir = pattern;
    for (int attempt = 0; attempt < 5; ++attempt) {
        server->m_port = pickFreePort();
        if (server->m_port != 0 && server->launch(error))
            return server;
    }
    return nullptr;
}

bool RedisServer::launch(std::string *error)
{
    const std::string port = std::to_string(m_port);
    const std::string log = m_dir + "/redis.log";
    const pid_t pid = fork();
    if (pid < 0) {
        *error = "fork failed: " + std::string(std::strerror(errno));
        return false;
    }
    if (pid == 0) {
        const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd >= 0) {
            dup2(fd, STDOUT_FILENO);
            dup2(fd, STDERR_FILENO);
        }
        execlp("redis-server", "redis-server", "--port", port.c_str(), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--dir", m_dir.c_str(), "--daemonize", "no",
            static_cast<char *>(nullptr));
        _exit(127);
    }
    m_pid = pid;
    // Wait until it answers, or has exited (port taken, not installed). The
    // bound only guards against a server that hangs; a loaded machine may
    // need seconds.
    for (int i = 0; i < 3000; ++i) {
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            m_pid = -1;
            *error = WIFEXITED(status) && WEXITSTATUS(status) == 127
                ? "redis-server is not installed"
                : "redis-server exited at start (port " + port + "), see " + log;
            return false;
        }
        if (answersPing(m_port))
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    signalAndWait(SIGKILL);
    *error = "redis-server did not answer PING on port " + port;
    return false;
}

void RedisServer::signalAndWait(int signal)
{
    if (m_pid <= 0)
        return;
    ::kill(m_pid, signal);
    ::kill(m_pid, SIGCONT); // a paused server acts on the signal only once continued
    int status = 0;
    while (waitpid(m_pid, &status, 0) < 0 && errno == EINTR) { }
    m_pid = -1;
}

void RedisServer::stop()
{
    signalAndWait(SIGTERM);
}

void RedisServer::kill()
{
    signalAndWait(SIGKILL);
}

void RedisServer::pause()
{
    if (m_pid > 0)
        ::kill(m_pid, SIGSTOP);
}

void RedisServer::resume()
{
    if (m_pid > 0)
        ::kill(m_pid, SIGCONT);
}

bool RedisServer::restart(std::string *error)
{
    if (running()) {
        *error = "redis-server is still running";
        return false;
    }
    return launch(error);
}

RedisServer::~RedisServer()
{
    stop();
    std::error_code ec;
    std::filesystem::remove_all(m_dir, ec);
}

} // namespace sotto::test
