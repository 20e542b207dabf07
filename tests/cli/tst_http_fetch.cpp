// SPDX-License-Identifier: GPL-3.0-or-later
// HttpFetcher: URL and path checks, local directories, and HTTP against a
// deliberately crude loopback server (a thread of this test, on a port the
// kernel picks) that misbehaves on request: errors, oversized bodies, no
// answer at all, garbage, closed connections. Each outcome has its own
// FetchError. The well-behaved case against the real nginx is in
// check-log-nginx.sh.
#include "tools/sotto/http_fetch.h"

#include "tests/support/result_assert.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace sotto::cli {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

// One thread, one connection at a time; requests are answered by path.
class CrudeServer {
public:
    CrudeServer()
    {
        m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr {};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        if (::bind(m_listen, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0
            || ::listen(m_listen, 16) != 0)
            std::abort();
        socklen_t len = sizeof addr;
        ::getsockname(m_listen, reinterpret_cast<sockaddr *>(&addr), &len);
        m_port = ntohs(addr.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    ~CrudeServer()
    {
        ::shutdown(m_listen, SHUT_RDWR);
        ::close(m_listen);
        m_thread.join();
        for (int fd : m_held)
            ::close(fd);
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port) + "/log"; }
    int connections() const { return m_connections; }

private:
    void serve()
    {
        for (;;) {
            const int fd = ::accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd < 0)
                return;
            ++m_connections;
            if (!answer(fd))
                m_held.push_back(fd); // "/log/slow": never answered, never closed
            else
                ::close(fd);
        }
    }
    static void send(int fd, const std::string &s) { (void)!::write(fd, s.data(), s.size()); }
    // Answers requests on one connection; false to hold it open unanswered.
    bool answer(int fd)
    {
        std::string buffer;
        for (;;) {
            size_t end;
            while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
                char chunk[4096];
                const ssize_t n = ::read(fd, chunk, sizeof chunk);
                if (n <= 0)
                    return true;
                buffer.append(chunk, size_t(n));
            }
            const std::string request = buffer.substr(0, end);
            buffer.erase(0, end + 4);
            const size_t sp = request.find(' ');
            const std::string path = request.substr(sp + 1, request.find(' ', sp + 1) - sp - 1);
            if (path == "/log/ok") {
                send(fd,
                    "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nCache-Control: no-cache\r\n\r\nhello");
            } else if (path == "/log/chunked") {
                send(fd,
                    "HTTP/1.1 200 OK\r\nTransfer-Encoding: "
                    "chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
            } else if (path == "/log/bigchunked") {
                std::string body = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
                for (int i = 0; i < 5; ++i)
                    body += "12c\r\n" + std::string(300, 'y') + "\r\n";
                send(fd, body + "0\r\n\r\n");
            } else if (path == "/log/missing") {
                send(fd, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
            } else if (path == "/log/error") {
                send(fd, "HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n");
            } else if (path == "/log/big") {
                send(
                    fd, "HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n" + std::string(2000, 'x'));
            } else if (path == "/log/garbage") {
                send(fd, "SMTP READY\r\n\r\n");
                return true;
            } else if (path == "/log/close") {
                send(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
                return true;
            } else if (path == "/log/cut") {
                send(fd, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
                return true;
            } else if (path == "/log/slow") {
                return false;
            } else {
                send(fd, "HTTP/1.1 400 Bad\r\nContent-Length: 0\r\n\r\n");
            }
        }
    }

    int m_listen = -1;
    uint16_t m_port = 0;
    std::thread m_thread;
    std::atomic<int> m_connections { 0 };
    std::vector<int> m_held;
};

FetchLimits smallLimits()
{
    FetchLimits l;
    l.maxBodyBytes = 1000;
    // Only the slow case waits for its (shorter) deadline; this one is long
    // enough for a loaded machine to answer every other request.
    l.timeout = 60000ms;
    return l;
}

TEST(HttpFetcher, HttpOutcomes)
{
    CrudeServer server;
    auto f = HttpFetcher::create(server.url(), smallLimits());
    ASSERT_RESULT_OK(f);
    auto ok = f->get("ok");
    ASSERT_RESULT_OK(ok);
    EXPECT_EQ(asString(*ok), "hello");
    EXPECT_EQ(
        f->lastHeaders().at(1), (std::pair<std::string, std::string>("cache-control", "no-cache")));
    auto chunked = f->get("chunked");
    ASSERT_RESULT_OK(chunked);
    EXPECT_EQ(asString(*chunked), "abcde");
    EXPECT_EQ(server.connections(), 1) << "keep-alive: one connection for both";

    EXPECT_RESULT_ERROR(f->get("missing"), FetchError::NotFound);
    EXPECT_RESULT_ERROR(f->get("error"), FetchError::HttpStatus);
    EXPECT_RESULT_ERROR(f->get("big"), FetchError::TooLarge);
    EXPECT_RESULT_ERROR(f->get("bigchunked"), FetchError::TooLarge);
    EXPECT_RESULT_ERROR(f->get("garbage"), FetchError::ProtocolError);
    EXPECT_RESULT_ERROR(f->get("cut"), FetchError::ProtocolError);
    auto closing = f->get("close");
    ASSERT_RESULT_OK(closing);
    EXPECT_RESULT_OK(f->get("ok")); // reconnects by itself
    EXPECT_RESULT_ERROR(f->get("../secret"), FetchError::UnsafePath);

    FetchLimits quick = smallLimits();
    quick.timeout = 200ms;
    auto impatient = HttpFetcher::create(server.url(), quick);
    ASSERT_RESULT_OK(impatient);
    EXPECT_RESULT_ERROR(impatient->get("slow"), FetchError::Timeout);

    // Through the LogFetcher adapter: one TlogError, the fetch error named.
    auto missing = f->logFetcher()("missing");
    EXPECT_RESULT_ERROR(missing, tlog::TlogError::FetchFailed);
    EXPECT_NE(missing.detail().find("NotFound"), std::string::npos);
}

TEST(HttpFetcher, ConnectionRefused)
{
    // A port that was just free: bind, read its number, close.
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len);
    ::close(fd);
    auto f = HttpFetcher::create("http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)));
    ASSERT_RESULT_OK(f);
    EXPECT_RESULT_ERROR(f->get("checkpoint"), FetchError::ConnectFailed);
}

TEST(HttpFetcher, BaseUrls)
{
    for (const char *bad : { "ftp://host/log", "https://host/log", "http://", "http:///log",
             "http://host:0/", "http://host:65536/", "http://host:80x/", "http://[::1/log",
             "http://user@host/", "http://host/log?x=1", "http://ho st/", "file://relative/dir", "",
             "/nonexistent/directory/for/sure" })
        EXPECT_RESULT_ERROR(HttpFetcher::create(bad), FetchError::BadUrl) << bad;
    for (const char *good : { "http://127.0.0.1:8080/log", "http://127.0.0.1:8080/log/",
             "http://localhost", "http://[::1]:8080/x", "/", "file:///" })
        EXPECT_RESULT_OK(HttpFetcher::create(good)) << good;
}

TEST(HttpFetcher, Directories)
{
    std::string tmpl = (fs::temp_directory_path() / "tst_http_fetch.XXXXXX").string();
    const fs::path dir = ::mkdtemp(tmpl.data());
    fs::create_directories(dir / "tile/0");
    std::ofstream(dir / "checkpoint") << "text\n";
    std::ofstream(dir / "tile/0/000") << std::string(1001, 'h');
    fs::create_directories(dir / "tile/1/000");

    auto f = HttpFetcher::create(dir.string(), smallLimits());
    ASSERT_RESULT_OK(f);
    auto cp = f->get("checkpoint");
    ASSERT_RESULT_OK(cp);
    EXPECT_EQ(asString(*cp), "text\n");
    EXPECT_TRUE(f->lastHeaders().empty());
    auto url = HttpFetcher::create("file://" + dir.string(), smallLimits());
    ASSERT_RESULT_OK(url);
    EXPECT_RESULT_OK(url->get("checkpoint"));

    EXPECT_RESULT_ERROR(f->get("tile/0/000"), FetchError::TooLarge);
    EXPECT_RESULT_ERROR(f->get("tile/1/000"), FetchError::ReadFailed);
    EXPECT_RESULT_ERROR(f->get("tile/0/001"), FetchError::NotFound);
    EXPECT_RESULT_ERROR(f->get("checkpoint/x"), FetchError::NotFound);
    for (const char *unsafe : { "", "/etc/passwd", "../x", "tile/../../x", "tile//0",
             "./checkpoint", "tile/0/", "a b", "tile\\0", "checkpoint%00", "x\n" })
        EXPECT_RESULT_ERROR(f->get(unsafe), FetchError::UnsafePath) << unsafe;
    fs::remove_all(dir);
}

} // namespace
} // namespace sotto::cli
