// SPDX-License-Identifier: GPL-3.0-or-later
// The end-to-end harness: a real sotto-gateway and a real nginx relay
// (deploy/nginx/relay.conf.in) on 127.0.0.1, started by the test and
// stopped by pid, and a small HTTP/1.1 client (Boost.Beast).
#pragma once

#include "tests/gateway/gateway_test_util.h"
#include "tests/gateway/test_process.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <sys/socket.h>
#include <sys/time.h>

#include <map>
#include <string>
#include <vector>

namespace sotto::gatewaytest {

struct HttpResult {
    bool transported = false; // a complete response arrived
    unsigned status = 0;
    std::string contentType;
    std::map<std::string, std::string> headers; // lowercase names
    std::string body;
    Bytes bytes() const { return toBytes(body); }
};

// One request on a fresh connection; the socket gives up after kPatience
// so a stuck peer fails the test instead of hanging it.
inline HttpResult httpRequest(uint16_t port, std::string_view method, std::string_view target,
    std::string_view body = {}, std::string_view contentType = {},
    const std::vector<std::pair<std::string, std::string>> &extra = {})
{
    namespace asio = boost::asio;
    namespace http = boost::beast::http;
    HttpResult result;
    try {
        asio::io_context io;
        asio::ip::tcp::socket socket(io);
        socket.connect({ asio::ip::make_address("127.0.0.1"), port });
        const timeval limit { static_cast<time_t>(kPatience.count()), 0 };
        setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
        http::request<http::string_body> req(
            http::string_to_verb(std::string(method)), std::string(target), 11);
        req.set(http::field::host, "127.0.0.1");
        if (!contentType.empty())
            req.set(http::field::content_type, std::string(contentType));
        for (const auto &[name, value] : extra)
            req.set(name, value);
        req.body() = std::string(body);
        req.prepare_payload();
        http::write(socket, req);
        boost::beast::flat_buffer buffer;
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);
        http::read(socket, buffer, parser);
        const auto &res = parser.get();
        result.transported = true;
        result.status = res.result_int();
        for (const auto &field : res) {
            std::string name(field.name_string());
            for (char &c : name)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            result.headers[name] = std::string(field.value());
        }
        result.contentType = result.headers["content-type"];
        result.body = res.body();
    } catch (const std::exception &) {
        result.transported = false;
    }
    return result;
}

struct GatewayProcess {
    ChildProcess process;
    uint16_t port = 0;
    uint16_t metricsPort = 0;

    // Starts `binary` with the given options plus listeners on free ports;
    // waits for its "listening on" lines.
    bool start(const std::string &binary, const std::vector<std::string> &options,
        const std::filesystem::path &logFile)
    {
        std::vector<std::string> argv { binary, "--listen", "127.0.0.1:0", "--metrics",
            "127.0.0.1:0" };
        argv.insert(argv.end(), options.begin(), options.end());
        if (!process.start(argv, logFile))
            return false;
        auto portOf = [](const std::optional<std::string> &line, std::string_view prefix) {
            if (!line || line->rfind(prefix, 0) != 0)
                return 0;
            return std::atoi(line->c_str() + line->rfind(':') + 1);
        };
        port = static_cast<uint16_t>(
            portOf(process.readLine(), "sotto-gateway listening on http://127.0.0.1:"));
        metricsPort = static_cast<uint16_t>(
            portOf(process.readLine(), "sotto-gateway metrics listening on http://127.0.0.1:"));
        return port != 0 && metricsPort != 0;
    }

    // A value of the /metrics page ("name" or "name{labels}"), -1 if absent.
    long metric(std::string_view series) const
    {
        const HttpResult r = httpRequest(metricsPort, "GET", "/metrics");
        const std::string needle = std::string(series) + " ";
        const size_t at = r.body.find("\n" + needle);
        if (at == std::string::npos)
            return -1;
        return std::atol(r.body.c_str() + at + 1 + needle.size());
    }

    // Polls /metrics until `series` reaches `value` (bounded by kPatience);
    // with atMost, until it is down to `value`.
    bool waitForMetric(std::string_view series, long value, bool atMost = false) const
    {
        const auto until = std::chrono::steady_clock::now() + kPatience;
        while (std::chrono::steady_clock::now() < until) {
            const long now = metric(series);
            if (atMost ? (now >= 0 && now <= value) : now >= value)
                return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return false;
    }
};

struct RelayProcess {
    ChildProcess process;
    uint16_t port = 0;

    // deploy/nginx/relay.conf.in in `dir`, in front of 127.0.0.1:`upstream`.
    bool start(const std::filesystem::path &dir, uint16_t upstream, std::string maxBody = "128k")
    {
        std::string conf = readWholeFile(SOTTO_RELAY_TEMPLATE);
        port = freePort();
        auto replace = [&conf](std::string_view key, const std::string &value) {
            for (size_t at; (at = conf.find(key)) != std::string::npos;)
                conf.replace(at, key.size(), value);
        };
        replace("@RELAY_LISTEN@", "127.0.0.1:" + std::to_string(port));
        replace("@GATEWAY@", "127.0.0.1:" + std::to_string(upstream));
        replace("@MAX_BODY@", maxBody);
        std::filesystem::create_directories(dir / "tmp");
        writeWholeFile(dir / "nginx.conf", conf);
        const std::string prefix = dir.string() + "/";
        if (!process.start({ SOTTO_NGINX_BIN, "-p", prefix, "-c", prefix + "nginx.conf", "-e",
                               prefix + "error.log", "-g", "daemon off;" },
                dir / "nginx.stderr"))
            return false;
        return waitForPort(port);
    }
    ~RelayProcess() { process.kill(SIGTERM); } // the master stops its workers
};

} // namespace sotto::gatewaytest
