// SPDX-License-Identifier: GPL-3.0-or-later
// The client side of the release log as a Sotto client runs it: LogClient
// and LogAuditor reading through HttpFetcher from the real nginx (Debian's
// /usr/sbin/nginx with deploy/nginx/log.conf, started here on a free
// loopback port and stopped by pid). The log is written by LogWriter and
// cosigned by two witnesses that also read it over HTTP.
#include "protocol/tlog/audit.h"
#include "protocol/tlog/log_writer.h"
#include "protocol/tlog/witness.h"
#include "tools/sotto/http_fetch.h"

#include "tests/support/result_assert.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace sotto::cli {
namespace {
namespace fs = std::filesystem;
using namespace sotto::tlog;

const std::string kOrigin = "log.example/sotto-releases";
const char *kNginx = "/usr/sbin/nginx";

uint16_t freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0)
        std::abort();
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

bool accepts(uint16_t port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

// nginx serving `logDir` under /log/ with the deploy configuration.
class Nginx {
public:
    Nginx(const fs::path &work, const fs::path &logDir)
    {
        const fs::path dir = work / "nginx";
        fs::create_directories(dir / "tmp");
        // Another process may take the port between our probe and nginx's
        // bind: then nginx exits and the next port is tried.
        for (int attempt = 0; attempt < 5 && m_pid < 0; ++attempt) {
            m_port = freePort();
            std::ofstream(dir / "nginx.conf")
                << "worker_processes 1;\npid nginx.pid;\nerror_log error.log warn;\n"
                   "events { worker_connections 64; }\nhttp {\n  access_log off;\n"
                   "  client_body_temp_path tmp/client_body;\n  proxy_temp_path tmp/proxy;\n"
                   "  fastcgi_temp_path tmp/fastcgi;\n  uwsgi_temp_path tmp/uwsgi;\n"
                   "  scgi_temp_path tmp/scgi;\n  server {\n    listen 127.0.0.1:"
                << m_port << ";\n    set $sotto_log_dir " << logDir.string() << ";\n    include "
                << SOTTO_LOG_CONF << ";\n  }\n}\n";
            const pid_t pid = ::fork();
            if (pid == 0) {
                const std::string prefix = dir.string(), conf = (dir / "nginx.conf").string(),
                                  err = (dir / "error.log").string();
                ::execl(kNginx, kNginx, "-p", prefix.c_str(), "-c", conf.c_str(), "-e", err.c_str(),
                    "-g", "daemon off;", static_cast<char *>(nullptr));
                ::_exit(127);
            }
            // Bounded wait for it to listen, or to exit.
            for (int i = 0; i < 600; ++i) {
                if (accepts(m_port)) {
                    m_pid = pid;
                    break;
                }
                int status = 0;
                if (::waitpid(pid, &status, WNOHANG) == pid)
                    break;
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
            if (m_pid < 0) {
                ::kill(pid, SIGTERM);
                ::waitpid(pid, nullptr, 0);
            }
        }
    }
    ~Nginx()
    {
        if (m_pid > 0) {
            ::kill(m_pid, SIGTERM);
            ::waitpid(m_pid, nullptr, 0);
        }
    }
    bool running() const { return m_pid > 0; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port) + "/log"; }

private:
    pid_t m_pid = -1;
    uint16_t m_port = 0;
};

struct TempDir {
    fs::path path;
    TempDir()
    {
        std::string tmpl = (fs::temp_directory_path() / "tst_log_nginx.XXXXXX").string();
        path = ::mkdtemp(tmpl.data());
        // nginx's workers may run as another user than a root master.
        ::chmod(path.c_str(), 0755);
    }
    ~TempDir()
    {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

NoteVerifier verifierOf(const NoteSigner &s)
{
    auto v = NoteVerifier::parse(s.verifierKey());
    if (!v)
        std::abort();
    return *v;
}

TEST(LogOverNginx, LogClientAuditorAndWitnessesOverHttp)
{
    if (::access(kNginx, X_OK) != 0)
        GTEST_SKIP() << "no nginx at " << kNginx;
    TempDir tmp;
    const fs::path logDir = tmp.path / "log";
    auto logKey = NoteSigner::generate(kOrigin, KeyType::Ed25519);
    ASSERT_RESULT_OK(logKey);
    auto writer = LogWriter::create(logDir, *logKey);
    ASSERT_RESULT_OK(writer);
    std::vector<Bytes> entries;
    for (int i = 0; i < 300; ++i)
        entries.push_back(toBytes("release " + std::to_string(i)));
    ASSERT_RESULT_OK(writer->append(entries));

    Nginx nginx(tmp.path, logDir);
    ASSERT_TRUE(nginx.running()) << "nginx did not start; see its error.log";
    auto fetcher = HttpFetcher::create(nginx.url());
    ASSERT_RESULT_OK(fetcher);

    // Two witnesses, each reading over HTTP.
    auto w1 = NoteSigner::generate("witness.example/w1", KeyType::CosignatureV1);
    auto w2 = NoteSigner::generate("witness.example/w2", KeyType::CosignatureV1);
    ASSERT_RESULT_OK(w1);
    ASSERT_RESULT_OK(w2);
    const LogClient plain(
        LogClientConfig { kOrigin, verifierOf(*logKey), {}, 0 }, fetcher->logFetcher());
    auto c1 = witnessCheckpoint(plain, *w1, std::nullopt, 1700000000);
    auto c2 = witnessCheckpoint(plain, *w2, std::nullopt, 1700000000);
    ASSERT_RESULT_OK(c1);
    ASSERT_RESULT_OK(c2);
    const std::vector<NoteVerifier> witnesses = { verifierOf(*w1), verifierOf(*w2) };
    const std::vector<NoteSignature> cosignatures = { c1->cosignature, c2->cosignature };
    ASSERT_RESULT_OK(writer->addCosignatures(cosignatures, witnesses));

    // The client: quorum 2, every entry fetched and proven, over HTTP.
    const LogClient client(
        LogClientConfig { kOrigin, verifierOf(*logKey), witnesses, 2 }, fetcher->logFetcher());
    auto cp = client.fetchCheckpoint();
    ASSERT_RESULT_OK(cp);
    EXPECT_EQ(cp->checkpoint.size, 300u);
    EXPECT_EQ(cp->witnesses.size(), 2u);
    for (uint64_t i = 0; i < 300; i += 13) {
        auto entry = client.fetchEntry(i, cp->checkpoint);
        ASSERT_RESULT_OK(entry);
        EXPECT_EQ(*entry, entries[i]);
    }
    EXPECT_RESULT_ERROR(client.fetchEntry(300, cp->checkpoint), TlogError::EntryNotInLog);

    // The log grows; the client checks consistency with what it trusted.
    const Checkpoint trusted = cp->checkpoint;
    ASSERT_RESULT_OK(writer->append(entries));
    auto grown = LogClient(
        LogClientConfig { kOrigin, verifierOf(*logKey), witnesses, 0 }, fetcher->logFetcher())
                     .fetchCheckpoint();
    ASSERT_RESULT_OK(grown);
    EXPECT_EQ(grown->checkpoint.size, 600u);
    EXPECT_RESULT_OK(client.checkConsistency(trusted, grown->checkpoint));
    EXPECT_RESULT_ERROR(client.fetchCheckpoint(), TlogError::WitnessQuorumNotMet);

    // The auditor over HTTP.
    const LogAuditor auditor(
        LogClientConfig { kOrigin, verifierOf(*logKey), {}, 0 }, fetcher->logFetcher());
    AuditOptions since;
    since.since = trusted;
    auto report = auditor.run(since);
    ASSERT_RESULT_OK(report);
    EXPECT_EQ(report->entries, 600u);

    // nginx refuses what is not the log, and the fetcher reports it.
    EXPECT_RESULT_ERROR(fetcher->get("signer.key"), FetchError::NotFound);
    EXPECT_RESULT_ERROR(fetcher->get(".lock"), FetchError::NotFound);
    auto checkpointFile = fetcher->get("checkpoint");
    ASSERT_RESULT_OK(checkpointFile);
    bool noCache = false;
    for (const auto &[name, value] : fetcher->lastHeaders())
        noCache = noCache || (name == "cache-control" && value == "no-cache");
    EXPECT_TRUE(noCache);
}

} // namespace
} // namespace sotto::cli
