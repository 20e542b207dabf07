// SPDX-License-Identifier: GPL-3.0-or-later
#include "tools/sotto/http_fetch.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/vector_body.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>

namespace sotto::cli {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace fs = std::filesystem;
using boost::system::error_code;

std::string_view errorName(FetchError e)
{
    switch (e) {
    case FetchError::BadUrl:
        return "BadUrl";
    case FetchError::UnsafePath:
        return "UnsafePath";
    case FetchError::ConnectFailed:
        return "ConnectFailed";
    case FetchError::Timeout:
        return "Timeout";
    case FetchError::NotFound:
        return "NotFound";
    case FetchError::HttpStatus:
        return "HttpStatus";
    case FetchError::TooLarge:
        return "TooLarge";
    case FetchError::ProtocolError:
        return "ProtocolError";
    case FetchError::ReadFailed:
        return "ReadFailed";
    }
    return "Unknown";
}

struct HttpFetcher::State {
    std::string base;
    FetchLimits limits;
    bool isDirectory = false;
    fs::path directory;
    std::string host; // for connect
    std::string port;
    std::string hostHeader; // RFC 9110 Section 7.2: host[:port] as in the URL
    std::string prefix;     // request-target prefix, begins and ends with '/'
    asio::io_context io;
    std::optional<beast::tcp_stream> stream;
    beast::flat_buffer buffer;
    std::vector<std::pair<std::string, std::string>> headers;
};

namespace {

// The relative paths a tlog-tiles log serves are made of these characters
// ("checkpoint", "tile/entries/x001/234.p/9"); anything else is refused so a
// path can neither escape the base directory nor need URL escaping.
FetchResult<std::string> checkRelativePath(std::string_view path)
{
    const auto bad = [&](const char *why) {
        return fail(FetchError::UnsafePath, "path '" + std::string(path) + "' " + why);
    };
    if (path.empty() || path.front() == '/' || path.back() == '/')
        return bad("must be relative and name a file");
    for (const char c : path) {
        const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '.'
            || c == '-' || c == '_';
        if (!ok)
            return bad("has a character outside [A-Za-z0-9._/-]");
    }
    size_t begin = 0;
    while (begin <= path.size()) {
        const size_t end = std::min(path.find('/', begin), path.size());
        const std::string_view segment = path.substr(begin, end - begin);
        if (segment.empty() || segment == "." || segment == "..")
            return bad("has an empty, '.' or '..' element");
        begin = end + 1;
    }
    return std::string(path);
}

FetchResult<Bytes> readLocalFile(const fs::path &file, size_t maxBytes)
{
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        if (err == ENOENT || err == ENOTDIR)
            return fail(FetchError::NotFound, "no file " + file.string());
        return fail(
            FetchError::ReadFailed, "cannot open " + file.string() + ": " + std::strerror(err));
    }
    struct stat st { };
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return fail(FetchError::ReadFailed, file.string() + " is not a regular file");
    }
    if (uint64_t(st.st_size) > maxBytes) {
        ::close(fd);
        return fail(FetchError::TooLarge,
            file.string() + " is " + std::to_string(st.st_size) + " bytes, the limit is "
                + std::to_string(maxBytes));
    }
    Bytes data(size_t(st.st_size));
    size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::read(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const int err = n < 0 ? errno : 0;
            ::close(fd);
            return fail(FetchError::ReadFailed,
                "cannot read " + file.string()
                    + (err ? std::string(": ") + std::strerror(err)
                           : std::string(": file shrank")));
        }
        done += size_t(n);
    }
    ::close(fd);
    return data;
}

// Runs the pending asynchronous operations to completion; the tcp_stream's
// expiry turns a stalled one into beast::error::timeout.
void runIo(asio::io_context &io)
{
    io.restart();
    io.run();
}

} // namespace

HttpFetcher::HttpFetcher(std::unique_ptr<State> state)
    : m_state(std::move(state))
{ }
HttpFetcher::~HttpFetcher() = default;
HttpFetcher::HttpFetcher(HttpFetcher &&) noexcept = default;
HttpFetcher &HttpFetcher::operator=(HttpFetcher &&) noexcept = default;

FetchResult<HttpFetcher> HttpFetcher::create(std::string_view base, FetchLimits limits)
{
    auto state = std::make_unique<State>();
    state->base = std::string(base);
    state->limits = limits;
    const auto badUrl = [&](const std::string &why) {
        return fail(FetchError::BadUrl, "'" + std::string(base) + "': " + why);
    };
    for (const char c : base) {
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
            return badUrl("contains a space or control character");
    }

    constexpr std::string_view kHttp = "http://";
    constexpr std::string_view kFile = "file://";
    if (base.starts_with(kFile) || base.find("://") == std::string_view::npos) {
        std::string_view dir = base.starts_with(kFile) ? base.substr(kFile.size()) : base;
        if (base.starts_with(kFile) && !dir.starts_with("/"))
            return badUrl("a file URL must be file:///absolute/path");
        if (dir.empty())
            return badUrl("empty directory");
        std::error_code ec;
        if (!fs::is_directory(fs::path(dir), ec))
            return badUrl("not a directory");
        state->isDirectory = true;
        state->directory = fs::path(dir);
        return HttpFetcher(std::move(state));
    }
    if (!base.starts_with(kHttp))
        return badUrl("only http://, file:// and directories are supported");

    std::string_view rest = base.substr(kHttp.size());
    const size_t slash = rest.find('/');
    const std::string_view authority = rest.substr(0, slash);
    std::string_view path = slash == std::string_view::npos ? "/" : rest.substr(slash);
    if (authority.empty() || authority.find('@') != std::string_view::npos)
        return badUrl("needs a host (and no user information)");
    if (path.find_first_of("?#") != std::string_view::npos)
        return badUrl("a query or fragment has no meaning for a log prefix");
    std::string_view hostPart = authority;
    std::string_view portPart;
    if (authority.front() == '[') { // RFC 3986 IP-literal: [v6]:port
        const size_t close = authority.find(']');
        if (close == std::string_view::npos)
            return badUrl("unterminated IPv6 literal");
        hostPart = authority.substr(1, close - 1);
        const std::string_view after = authority.substr(close + 1);
        if (!after.empty() && after.front() != ':')
            return badUrl("junk after the IPv6 literal");
        portPart = after.empty() ? after : after.substr(1);
    } else if (const size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
        hostPart = authority.substr(0, colon);
        portPart = authority.substr(colon + 1);
    }
    if (hostPart.empty())
        return badUrl("empty host");
    if (portPart.empty())
        portPart = "80";
    if (portPart.size() > 5
        || !std::all_of(
            portPart.begin(), portPart.end(), [](char c) { return c >= '0' && c <= '9'; })
        || std::stoul(std::string(portPart)) == 0 || std::stoul(std::string(portPart)) > 65535)
        return badUrl("port must be 1..65535");
    state->host = std::string(hostPart);
    state->port = std::string(portPart);
    state->hostHeader = std::string(authority);
    state->prefix = std::string(path);
    if (state->prefix.back() != '/')
        state->prefix += '/';
    return HttpFetcher(std::move(state));
}

const std::string &HttpFetcher::base() const
{
    return m_state->base;
}

const std::vector<std::pair<std::string, std::string>> &HttpFetcher::lastHeaders() const
{
    return m_state->headers;
}

FetchResult<Bytes> HttpFetcher::get(std::string_view relative)
{
    return fetch(*m_state, relative);
}

FetchResult<Bytes> HttpFetcher::fetch(State &s, std::string_view relative)
{
    SOTTO_TRY(const std::string path, checkRelativePath(relative));
    if (s.isDirectory) {
        s.headers.clear();
        return readLocalFile(s.directory / path, s.limits.maxBodyBytes);
    }

    const std::string target = s.prefix + path;
    const std::string url = "http://" + s.hostHeader + target;
    // A kept-alive connection may have been closed by the server since the
    // last request; then one fresh connection is tried before giving up.
    for (int attempt = 0; attempt < 2; ++attempt) {
        const bool reused = s.stream.has_value();
        error_code ec;
        if (!s.stream) {
            s.stream.emplace(s.io);
            s.buffer.clear();
            s.stream->expires_after(s.limits.timeout);
            asio::ip::tcp::resolver resolver(s.io);
            asio::ip::tcp::resolver::results_type endpoints;
            resolver.async_resolve(
                s.host, s.port, [&](error_code e, asio::ip::tcp::resolver::results_type r) {
                    ec = e;
                    endpoints = std::move(r);
                });
            runIo(s.io);
            if (!ec) {
                s.stream->async_connect(
                    endpoints, [&](error_code e, const asio::ip::tcp::endpoint &) { ec = e; });
                runIo(s.io);
            }
            if (ec) {
                const bool timedOut = ec == beast::error::timeout;
                s.stream.reset();
                return fail(timedOut ? FetchError::Timeout : FetchError::ConnectFailed,
                    "cannot connect to " + s.hostHeader + ": " + ec.message());
            }
        }
        s.stream->expires_after(s.limits.timeout);

        http::request<http::empty_body> request { http::verb::get, target, 11 };
        request.set(http::field::host, s.hostHeader);
        request.set(http::field::user_agent, "sotto-cli");
        request.keep_alive(true);
        http::async_write(*s.stream, request, [&](error_code e, size_t) { ec = e; });
        runIo(s.io);

        http::response_parser<http::vector_body<uint8_t>> parser;
        parser.body_limit(s.limits.maxBodyBytes);
        parser.header_limit(64 * 1024);
        if (!ec) {
            http::async_read_header(
                *s.stream, s.buffer, parser, [&](error_code e, size_t) { ec = e; });
            runIo(s.io);
        }
        // Checked here, not left to the parser: Boost.Beast 1.74's eager
        // parsing (what async_read does) drops the body_limit error when the
        // header and the start of the body arrive in one read.
        if (!ec && parser.content_length() && *parser.content_length() > s.limits.maxBodyBytes)
            ec = http::error::body_limit;
        if (!ec && !parser.is_done()) {
            http::async_read(*s.stream, s.buffer, parser, [&](error_code e, size_t) { ec = e; });
            runIo(s.io);
        }
        if (ec) {
            s.stream.reset();
            s.buffer.clear();
            if (ec == beast::error::timeout)
                return fail(FetchError::Timeout,
                    url + ": no complete response within "
                        + std::to_string(s.limits.timeout.count()) + " ms");
            if (ec == http::error::body_limit)
                return fail(FetchError::TooLarge,
                    url + ": body larger than " + std::to_string(s.limits.maxBodyBytes) + " bytes");
            if (reused && !parser.got_some() && attempt == 0)
                continue;
            return fail(FetchError::ProtocolError, url + ": " + ec.message());
        }

        auto &response = parser.get();
        s.headers.clear();
        for (const auto &field : response) {
            std::string name(field.name_string());
            std::transform(name.begin(), name.end(), name.begin(),
                [](unsigned char c) { return char(std::tolower(c)); });
            s.headers.emplace_back(std::move(name), std::string(field.value()));
        }
        if (!parser.keep_alive()) {
            error_code ignored;
            s.stream->socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
            s.stream.reset();
            s.buffer.clear();
        }
        const unsigned status = response.result_int();
        if (status == 404 || status == 410)
            return fail(FetchError::NotFound, url + ": HTTP " + std::to_string(status));
        if (status != 200)
            return fail(FetchError::HttpStatus,
                url + ": HTTP " + std::to_string(status) + ", expected 200");
        return std::move(response.body());
    }
    return fail(FetchError::ProtocolError, url + ": the server closed the connection");
}

tlog::LogFetcher HttpFetcher::logFetcher()
{
    // The state, not `this`: it stays where it is when the fetcher is moved.
    State *state = m_state.get();
    return [state](const std::string &path) -> tlog::TlogResult<Bytes> {
        auto body = fetch(*state, path);
        if (!body)
            return fail(tlog::TlogError::FetchFailed,
                std::string(errorName(body.error())) + ": " + body.detail());
        return std::move(*body);
    };
}

} // namespace sotto::cli
