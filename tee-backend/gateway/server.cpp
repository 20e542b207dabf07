// SPDX-License-Identifier: GPL-3.0-or-later
#include "tee-backend/gateway/server.h"

#include "protocol/crypto/secret_bytes.h"
#include "protocol/ohttp/http.h"
#include "tee-backend/gateway/log.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <ctime>

namespace sotto::gateway {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string_view errorName(ServerError e)
{
    switch (e) {
    case ServerError::BadAddress:
        return "BadAddress";
    case ServerError::BindFailed:
        return "BindFailed";
    }
    return "Unknown";
}

namespace {

// The request body (an Encapsulated Request, or nothing) is kept in memory
// that is wiped when released.
using RequestBody = http::vector_body<uint8_t, crypto::WipingAllocator<uint8_t>>;
using Request = http::request<RequestBody>;
using Response = http::response<http::vector_body<uint8_t>>;
using Clock = std::chrono::steady_clock;

constexpr size_t kHeaderLimit = 16 * 1024;

int64_t unixNow()
{
    return static_cast<int64_t>(std::time(nullptr));
}

struct Shared {
    ServerConfig config;
    GatewayCore &core;
    Metrics &metrics;
    WorkerPool &pool;
};

class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, Shared &shared, bool metricsOnly)
        : m_stream(std::move(socket))
        , m_shared(shared)
        , m_metricsOnly(metricsOnly)
    { }

    void start()
    {
        asio::dispatch(m_stream.get_executor(), [self = shared_from_this()] { self->read(); });
    }

private:
    void read()
    {
        m_parser.emplace();
        m_parser->header_limit(kHeaderLimit);
        m_parser->body_limit(m_metricsOnly ? 0 : m_shared.config.maxRequestBytes);
        m_stream.expires_after(m_shared.config.idleTimeout);
        http::async_read(m_stream, m_buffer, *m_parser,
            [self = shared_from_this()](beast::error_code ec, size_t) { self->onRead(ec); });
    }

    void onRead(beast::error_code ec)
    {
        if (ec == http::error::end_of_stream || ec == asio::error::eof
            || ec == beast::error::timeout || ec == asio::error::operation_aborted
            || ec == asio::error::connection_reset)
            return close();
        m_started = Clock::now();
        if (ec == http::error::body_limit) {
            return reply(
                Endpoint::Other, GatewayCore::plainProblem(413, "Content Too Large"), false);
        }
        if (ec == http::error::header_limit)
            return reply(Endpoint::Other,
                GatewayCore::plainProblem(431, "Request Header Fields Too Large"), false);
        if (ec)
            return reply(Endpoint::Other, GatewayCore::plainProblem(400, "Bad Request"), false);

        auto request = std::make_shared<Request>(m_parser->release());
        m_keepAlive = request->keep_alive();
        const auto rawTarget = request->target();
        const std::string_view target(rawTarget.data(), rawTarget.size());
        const size_t question = target.find('?');
        const std::string_view path = target.substr(0, question);
        const std::string query(
            question == std::string_view::npos ? std::string_view {} : target.substr(question + 1));
        const http::verb method = request->method();

        if (m_metricsOnly) {
            if (path != "/metrics")
                return reply(
                    Endpoint::Other, GatewayCore::plainProblem(404, "Not Found"), m_keepAlive);
            if (method != http::verb::get)
                return methodNotAllowed("GET");
            HttpAnswer a;
            a.contentType = "text/plain; version=0.0.4";
            a.body = toBytes(
                m_shared.metrics.render({ m_shared.pool.busy(), m_shared.pool.queued() }));
            return reply(Endpoint::Other, std::move(a), m_keepAlive, false);
        }

        if (path == "/healthz") {
            if (method != http::verb::get)
                return methodNotAllowed("GET");
            return reply(Endpoint::Healthz, GatewayCore::healthz(), m_keepAlive);
        }
        if (path == "/ohttp-keys") {
            if (method != http::verb::get)
                return methodNotAllowed("GET");
            return reply(Endpoint::Keys, m_shared.core.keys(unixNow()), m_keepAlive);
        }
        if (path == "/evidence") {
            if (method != http::verb::get)
                return methodNotAllowed("GET");
            return offload(Endpoint::Evidence,
                [query](GatewayCore &core, Clock::time_point) { return core.evidence(query); });
        }
        if (path == "/gateway") {
            if (method != http::verb::post)
                return methodNotAllowed("POST");
            if (!query.empty())
                return reply(
                    Endpoint::Gateway, GatewayCore::plainProblem(400, "Bad Request"), m_keepAlive);
            return offload(
                Endpoint::Gateway, [request](GatewayCore &core, Clock::time_point deadline) {
                    const auto &body = request->body();
                    const std::string contentType(request->base()[http::field::content_type]);
                    auto answer = core.gateway(
                        ByteView(body.data(), body.size()), contentType, deadline, unixNow());
                    request->body().clear();
                    request->body().shrink_to_fit();
                    return answer;
                });
        }
        reply(Endpoint::Other, GatewayCore::plainProblem(404, "Not Found"), m_keepAlive);
    }

    void methodNotAllowed(std::string_view allow)
    {
        HttpAnswer a = GatewayCore::plainProblem(405, "Method Not Allowed");
        a.headers.emplace_back("Allow", std::string(allow));
        reply(Endpoint::Other, std::move(a), m_keepAlive);
    }

    // Runs `work` on a worker; answers 503 at once when the queue is full,
    // and without running it when the deadline passed while it waited.
    template <class Work> void offload(Endpoint endpoint, Work work)
    {
        const auto deadline = m_started + m_shared.config.deadline;
        auto self = shared_from_this();
        const bool queued = m_shared.pool.trySubmit([self, endpoint, deadline, work]() mutable {
            HttpAnswer answer = Clock::now() >= deadline
                ? GatewayCore::plainProblem(503, "Service Unavailable")
                : work(self->m_shared.core, deadline);
            asio::post(self->m_stream.get_executor(),
                [self, endpoint, answer = std::move(answer)]() mutable {
                    self->reply(endpoint, std::move(answer), self->m_keepAlive);
                });
        });
        if (!queued) {
            m_shared.metrics.recordRejected();
            HttpAnswer busy = GatewayCore::plainProblem(503, "Service Unavailable");
            busy.headers.emplace_back("Retry-After", "1");
            reply(endpoint, std::move(busy), m_keepAlive);
        }
    }

    void reply(Endpoint endpoint, HttpAnswer answer, bool keepAlive, bool record = true)
    {
        auto response = std::make_shared<Response>(static_cast<http::status>(answer.status), 11);
        if (!answer.contentType.empty())
            response->set(http::field::content_type, answer.contentType);
        for (const auto &[name, value] : answer.headers)
            response->set(name, value);
        response->body() = std::move(answer.body);
        response->keep_alive(keepAlive);
        response->prepare_payload();
        if (record)
            m_shared.metrics.recordRequest(endpoint, answer.status, Clock::now() - m_started);
        m_stream.expires_after(m_shared.config.idleTimeout);
        http::async_write(m_stream, *response,
            [self = shared_from_this(), response, keepAlive](beast::error_code ec, size_t) {
                if (ec || !keepAlive)
                    return self->close();
                self->read();
            });
    }

    void close()
    {
        beast::error_code ignored;
        m_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        m_stream.close();
    }

    beast::tcp_stream m_stream;
    beast::flat_buffer m_buffer;
    std::optional<http::request_parser<RequestBody>> m_parser;
    Shared &m_shared;
    const bool m_metricsOnly;
    bool m_keepAlive = false;
    Clock::time_point m_started;
};

class Listener : public std::enable_shared_from_this<Listener> {
public:
    Listener(asio::io_context &io, Shared &shared, bool metricsOnly)
        : m_io(io)
        , m_acceptor(io)
        , m_shared(shared)
        , m_metricsOnly(metricsOnly)
    { }

    Status<ServerError> open(const ListenAddress &address)
    {
        beast::error_code ec;
        const auto ip = asio::ip::make_address(address.host, ec);
        if (ec)
            return fail(ServerError::BadAddress, "not an IP address: " + address.host);
        const tcp::endpoint endpoint(ip, address.port);
        m_acceptor.open(endpoint.protocol(), ec);
        if (!ec)
            m_acceptor.set_option(asio::socket_base::reuse_address(true), ec);
        if (!ec)
            m_acceptor.bind(endpoint, ec);
        if (!ec)
            m_acceptor.listen(asio::socket_base::max_listen_connections, ec);
        if (ec)
            return fail(ServerError::BindFailed,
                "cannot listen on " + address.host + ":" + std::to_string(address.port) + ": "
                    + ec.message());
        return Done {};
    }

    uint16_t port() const { return m_acceptor.local_endpoint().port(); }

    void accept()
    {
        m_acceptor.async_accept(asio::make_strand(m_io),
            [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
                if (!ec) {
                    beast::error_code ignored;
                    socket.set_option(tcp::no_delay(true), ignored);
                    std::make_shared<Session>(
                        std::move(socket), self->m_shared, self->m_metricsOnly)
                        ->start();
                }
                if (self->m_acceptor.is_open())
                    self->accept();
            });
    }

    void close()
    {
        beast::error_code ignored;
        m_acceptor.close(ignored);
    }

private:
    asio::io_context &m_io;
    tcp::acceptor m_acceptor;
    Shared &m_shared;
    const bool m_metricsOnly;
};

} // namespace

struct Server::Impl {
    Impl(const ServerConfig &config, GatewayCore &core, Metrics &metrics, WorkerPool &pool,
        ServerHooks h)
        : shared { config, core, metrics, pool }
        , hooks(std::move(h))
        , signals(io, SIGTERM, SIGINT, SIGHUP)
        , timer(io)
    { }
    asio::io_context io { 1 };
    Shared shared;
    ServerHooks hooks;
    asio::signal_set signals;
    asio::steady_timer timer;
    std::shared_ptr<Listener> mainListener;
    std::shared_ptr<Listener> metricsListener;

    void waitSignal()
    {
        signals.async_wait([this](beast::error_code ec, int signal) {
            if (ec)
                return;
            if (signal == SIGHUP) {
                if (hooks.onHangup)
                    hooks.onHangup();
                return waitSignal();
            }
            logEvent("stopping");
            mainListener->close();
            metricsListener->close();
            timer.cancel();
            io.stop();
        });
    }

    void tick()
    {
        timer.expires_after(std::chrono::seconds(1));
        timer.async_wait([this](beast::error_code ec) {
            if (ec)
                return;
            if (hooks.everySecond)
                hooks.everySecond();
            tick();
        });
    }
};

Server::Server(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{ }

Server::~Server() = default;

Result<std::unique_ptr<Server>, ServerError> Server::create(const ServerConfig &config,
    GatewayCore &core, Metrics &metrics, WorkerPool &pool, ServerHooks hooks)
{
    auto impl = std::make_unique<Impl>(config, core, metrics, pool, std::move(hooks));
    impl->mainListener = std::make_shared<Listener>(impl->io, impl->shared, false);
    if (auto s = impl->mainListener->open(config.listen); !s.ok())
        return s.failure();
    impl->metricsListener = std::make_shared<Listener>(impl->io, impl->shared, true);
    if (auto s = impl->metricsListener->open(config.metrics); !s.ok())
        return s.failure();
    return std::unique_ptr<Server>(new Server(std::move(impl)));
}

uint16_t Server::port() const
{
    return m_impl->mainListener->port();
}
uint16_t Server::metricsPort() const
{
    return m_impl->metricsListener->port();
}

void Server::run()
{
    m_impl->mainListener->accept();
    m_impl->metricsListener->accept();
    m_impl->waitSignal();
    m_impl->tick();
    m_impl->io.run();
}

} // namespace sotto::gateway
