// SPDX-License-Identifier: GPL-3.0-or-later
// Reads the files of a static site (a tlog-tiles log) for the CLI: over
// HTTP/1.1 GET (RFC 9110 Section 9.3.1, RFC 9112 framing by Boost.Beast, no
// parser of our own), or from disk for offline audits (file:///dir or a
// plain directory path). Qt-free, synchronous, one keep-alive connection.
//
// Every fetch is bounded: a deadline for each request (connect, write and
// read together) and a cap on the body size, so a hostile or broken server
// cannot hang the CLI or exhaust its memory. Only http:// is supported: the
// log's content is authenticated by its signatures and Merkle proofs, not by
// the transport (C2SP tlog-tiles serves public, signed data).
#pragma once

#include "protocol/common/bytes.h"
#include "protocol/common/result.h"
#include "protocol/tlog/log_client.h"

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace sotto::cli {

enum class FetchError {
    BadUrl,        // not http://host[:port][/prefix], file:///dir or a directory
    UnsafePath,    // a relative path that is absolute, empty or climbs out with ".."
    ConnectFailed, // name resolution or TCP connect failed
    Timeout,       // the deadline passed before the response was complete
    NotFound,      // HTTP 404 or 410, or no such file
    HttpStatus,    // any other status than 200
    TooLarge,      // the body (or the file) exceeds the size limit
    ProtocolError, // a malformed HTTP response, or the connection broke mid-response
    ReadFailed,    // a local file that exists but cannot be read
};

std::string_view errorName(FetchError e);

template <class T> using FetchResult = Result<T, FetchError>;

struct FetchLimits {
    std::chrono::milliseconds timeout { 10000 }; // per request, all phases together
    size_t maxBodyBytes = 16 * 1024 * 1024; // tlog-tiles files are at most 8 KiB + 16 MiB bundles
};

// A base URL and the files under it. Not thread-safe: one per thread.
class HttpFetcher {
public:
    // "http://127.0.0.1:8080/log", "http://host/log/", "file:///srv/log",
    // "/srv/log" or "./log" (a directory that must exist).
    static FetchResult<HttpFetcher> create(std::string_view base, FetchLimits limits = {});
    ~HttpFetcher();
    HttpFetcher(HttpFetcher &&) noexcept;
    HttpFetcher &operator=(HttpFetcher &&) noexcept;

    // GET <base>/<path>. `path` is relative ("checkpoint", "tile/0/000").
    FetchResult<Bytes> get(std::string_view path);
    // The HTTP headers of the last successful HTTP response, lower-case
    // names, in order (empty for files); tests check caching headers.
    const std::vector<std::pair<std::string, std::string>> &lastHeaders() const;
    // The base as given, for messages.
    const std::string &base() const;

    // A tlog::LogFetcher over this fetcher: failures become FetchFailed with
    // the fetch error's name and detail. The fetcher (moved or not) must
    // outlive it.
    tlog::LogFetcher logFetcher();

private:
    struct State;
    static FetchResult<Bytes> fetch(State &state, std::string_view path);
    explicit HttpFetcher(std::unique_ptr<State> state);
    std::unique_ptr<State> m_state;
};

} // namespace sotto::cli
