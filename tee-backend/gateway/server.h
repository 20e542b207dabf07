// SPDX-License-Identifier: GPL-3.0-or-later
// The gateway's HTTP/1.1 server (Boost.Beast on Asio): keep-alive
// connections on one network thread, the work on a WorkerPool, and a
// second listener that serves only GET /metrics. Beast stays inside
// server.cpp (it is slow to compile and no other file needs it).
#pragma once

#include "protocol/common/result.h"
#include "tee-backend/gateway/gateway_core.h"
#include "tee-backend/gateway/metrics.h"
#include "tee-backend/gateway/worker_pool.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace sotto::gateway {

enum class ServerError {
    BadAddress, // not an IP address literal
    BindFailed, // the address is taken or not ours
};

std::string_view errorName(ServerError e);

struct ListenAddress {
    std::string host;
    uint16_t port = 0;
};

struct ServerConfig {
    ListenAddress listen;
    ListenAddress metrics;
    size_t maxRequestBytes = 128 * 1024;
    std::chrono::milliseconds deadline { 10'000 };
    std::chrono::seconds idleTimeout { 60 };
};

struct ServerHooks {
    std::function<void()> everySecond; // key rotation
    std::function<void()> onHangup;    // SIGHUP: reload the issuer keys
};

class Server {
public:
    static Result<std::unique_ptr<Server>, ServerError> create(const ServerConfig &config,
        GatewayCore &core, Metrics &metrics, WorkerPool &pool, ServerHooks hooks);
    ~Server();

    uint16_t port() const;
    uint16_t metricsPort() const;
    // Serves until SIGTERM or SIGINT, on the calling thread.
    void run();

private:
    struct Impl;
    explicit Server(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace sotto::gateway
