// SPDX-License-Identifier: GPL-3.0-or-later
// End to end: client (protocol/ohttp + privacypass) -> real nginx relay
// (deploy/nginx/relay.conf.in) -> real sotto-gateway (echo engine), all on
// 127.0.0.1, started here and stopped by pid.
#include "protocol/formats/evidence.h"
#include "protocol/snp/binding.h"
#include "protocol/snp/report.h"
#include "tests/gateway/e2e_harness.h"
#include "tests/support/result_assert.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <set>

namespace sotto::gatewaytest {
namespace {

using nlohmann::json;

constexpr std::string_view kRewrite = R"({"text":"see you at ten","style":"formal","lang":"en"})";
constexpr std::string_view kSummarize
    = R"({"messages":[{"from":"a","time":"2026-01-01T10:00:00Z","text":"ship it friday"}],"lang":"en","max_points":3})";
constexpr std::string_view kRelease
    = R"({"image":"sha256:1111111111111111111111111111111111111111111111111111111111111111","issued":"2026-11-25T10:00:00Z","measurement":"222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222","platform":"sev-snp","policy":"0x30000","schema":"sotto-release/0","source":"3333333333333333333333333333333333333333","version":"0.1.0"})";

TestIssuer &issuer()
{
    return TestIssuer::get("issuer.sotto.test");
}

class RelayE2E : public ::testing::Test {
protected:
    // A gateway (extra options appended) behind a relay.
    void startStack(const std::vector<std::string> &extra = {}, std::string relayMaxBody = "128k")
    {
        writeWholeFile(dir() / "issuer-keys.json", issuer().keysJson(unixNow() + 86400));
        writeWholeFile(dir() / "release.json", kRelease);
        std::vector<std::string> options { "--issuer-keys", (dir() / "issuer-keys.json").string(),
            "--origin", std::string(kOrigin), "--engine", "echo", "--attestation", "simulated",
            "--simulated-dir", (dir() / "simulated").string(), "--release",
            (dir() / "release.json").string(), "--log-index", "5", "--max-request-bytes", "8192" };
        options.insert(options.end(), extra.begin(), extra.end());
        ASSERT_TRUE(m_gateway.start(SOTTO_GATEWAY_BIN, options, dir() / "gateway.log"));
        ASSERT_TRUE(m_relay.start(dir() / "relay", m_gateway.port, std::move(relayMaxBody)));
    }

    const std::filesystem::path &dir() const { return m_dir.path(); }

    Bytes fetchKeys()
    {
        const HttpResult keys = httpRequest(m_relay.port, "GET", "/keys");
        EXPECT_EQ(keys.status, 200u);
        EXPECT_EQ(keys.contentType, "application/ohttp-keys");
        return keys.bytes();
    }

    HttpResult postRelay(ByteView body, std::string_view type = "message/ohttp-req")
    {
        return httpRequest(m_relay.port, "POST", "/relay", asString(body), type);
    }

    // Seal, relay, open: the inner response (or nullopt).
    std::optional<Opened> exchange(ByteView bhttp, Sealed *keep = nullptr)
    {
        Sealed sealed = seal(fetchKeys(), bhttp);
        const HttpResult r = postRelay(sealed.body);
        EXPECT_EQ(r.status, 200u);
        EXPECT_EQ(r.contentType, "message/ohttp-res");
        if (keep)
            *keep = sealed;
        return open(sealed, r.bytes());
    }

    TempDir m_dir;
    GatewayProcess m_gateway;
    RelayProcess m_relay;
};

TEST_F(RelayE2E, SummarizeAndRewriteThroughTheRelay)
{
    startStack();
    auto r = exchange(innerRequest("/v1/summarize", kSummarize, issuer().authorization()));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->response.status, 200);
    EXPECT_EQ(json::parse(r->body())["summary"], json::array({ "ship it friday" }));
    r = exchange(innerRequest("/v1/rewrite", kRewrite, issuer().authorization()));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->response.status, 200);
    EXPECT_EQ(json::parse(r->body())["text"], "see you at ten");
    EXPECT_EQ(m_gateway.metric("sotto_gateway_inner_responses_total{status=\"200\"}"), 2);
}

TEST_F(RelayE2E, ReplayedRequestAndDoubleSpentToken)
{
    startStack();
    const std::string token = issuer().authorization();
    Sealed first;
    auto r = exchange(innerRequest("/v1/rewrite", kRewrite, token), &first);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->response.status, 200);
    // The same bytes again (a relay or network attacker replaying).
    const HttpResult replay = postRelay(first.body);
    ASSERT_EQ(replay.status, 200u);
    auto replayed = open(first, replay.bytes());
    ASSERT_TRUE(replayed);
    EXPECT_EQ(replayed->response.status, 401);
    EXPECT_EQ(json::parse(replayed->body())["type"], "urn:sotto:problem:token-spent");
    // The same token in a new encapsulation.
    r = exchange(innerRequest("/v1/summarize", kSummarize, token));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->response.status, 401);
    EXPECT_EQ(json::parse(r->body())["type"], "urn:sotto:problem:token-spent");
}

TEST_F(RelayE2E, TokenFromAnotherIssuerIsRefused)
{
    startStack();
    auto r = exchange(innerRequest(
        "/v1/rewrite", kRewrite, TestIssuer::get("other-issuer.sotto.test").authorization()));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->response.status, 401);
    EXPECT_EQ(json::parse(r->body())["type"], "urn:sotto:problem:token-invalid");
    EXPECT_FALSE(r->header("www-authenticate").empty());
}

TEST_F(RelayE2E, TruncatedOversizedAndGarbageBodies)
{
    startStack({}, "64k");
    Sealed sealed
        = seal(fetchKeys(), innerRequest("/v1/rewrite", kRewrite, issuer().authorization()));
    for (size_t n :
        { size_t { 0 }, size_t { 3 }, size_t { 7 }, size_t { 40 }, sealed.body.size() - 1 }) {
        const HttpResult r = postRelay(ByteView(sealed.body.data(), n));
        EXPECT_EQ(r.status, 400u) << n;
        EXPECT_NE(r.contentType, "message/ohttp-res");
    }
    EXPECT_EQ(postRelay(toBytes(std::string(500, 'x'))).status, 400u);
    EXPECT_EQ(postRelay(sealed.body, "application/json").status, 415u);
    // Over the gateway's --max-request-bytes (8192), under the relay's limit.
    EXPECT_EQ(postRelay(Bytes(10'000, 1)).status, 413u);
    // Over the relay's client_max_body_size: nginx refuses it.
    EXPECT_EQ(postRelay(Bytes(70'000, 1)).status, 413u);
    // The relay exposes only its three paths and methods.
    EXPECT_EQ(httpRequest(m_relay.port, "GET", "/relay").status, 403u);
    EXPECT_EQ(httpRequest(m_relay.port, "GET", "/gateway").status, 404u);
    EXPECT_EQ(httpRequest(m_relay.port, "GET", "/healthz").status, 404u);
    EXPECT_EQ(httpRequest(m_relay.port, "POST", "/keys", "x", "text/plain").status, 403u);
    // After all that the intact request is still answered.
    const HttpResult good = postRelay(sealed.body);
    ASSERT_EQ(good.status, 200u);
    EXPECT_EQ(open(sealed, good.bytes())->response.status, 200);
}

TEST_F(RelayE2E, EvidenceBindsTheServedKeysAndTheNonce)
{
    startStack();
    const Bytes keys = fetchKeys();
    const std::string nonceHex = std::string(32, 'a') + std::string(32, '5');
    const HttpResult r = httpRequest(m_relay.port, "GET", "/evidence?nonce=" + nonceHex);
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.contentType, "application/json");
    auto bundle = formats::parseEvidenceBundle(r.body);
    ASSERT_RESULT_OK(bundle);
    EXPECT_EQ(bundle->provider, "simulated");
    EXPECT_EQ(bundle->keyConfigs, keys);
    EXPECT_EQ(bundle->logIndex, 5u);
    EXPECT_EQ(bundle->release, kRelease);
    auto report = snp::AttestationReport::parse(bundle->report);
    ASSERT_RESULT_OK(report);
    EXPECT_RESULT_OK(snp::checkEvidenceBinding(
        report->reportData(), bundle->keyConfigs, *fromHex(nonceHex), bundle->notAfter));
    EXPECT_RESULT_ERROR(snp::checkEvidenceBinding(report->reportData(), bundle->keyConfigs,
                            Bytes(32, 0), bundle->notAfter),
        snp::SnpError::ReportDataMismatch);
    EXPECT_EQ(httpRequest(m_relay.port, "GET", "/evidence?nonce=abc").status, 400u);
    EXPECT_EQ(httpRequest(m_relay.port, "GET", "/evidence").status, 400u);
}

TEST_F(RelayE2E, UnknownKeyIdAfterRotationThenRefetch)
{
    startStack({ "--key-rotation", "1" });
    const Bytes oldKeys = fetchKeys();
    // Wait (bounded) until two newer keys have been published: the old
    // one has then retired.
    std::set<Bytes> seen { oldKeys };
    const auto until = std::chrono::steady_clock::now() + kPatience;
    while (seen.size() < 3 && std::chrono::steady_clock::now() < until) {
        seen.insert(fetchKeys());
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_GE(m_gateway.metric("sotto_gateway_key_rotations_total"), 2);
    std::this_thread::sleep_for(std::chrono::milliseconds(1100)); // one more tick: retired
    const std::string token = issuer().authorization();
    Sealed stale = seal(oldKeys, innerRequest("/v1/rewrite", kRewrite, token));
    const HttpResult refused = postRelay(stale.body);
    EXPECT_EQ(refused.status, 400u);
    EXPECT_EQ(refused.contentType, "application/problem+json");
    EXPECT_EQ(json::parse(refused.body)["type"], ohttp::kProblemTypeOhttpKey);
    // RFC 9458 Section 5.3: the client refetches the keys and tries again;
    // the token was not spent by the refused request. (Keys here live two
    // seconds, so a very slow machine may need another refetch.)
    std::optional<Opened> r;
    for (int attempt = 0; attempt < 5 && !r; ++attempt) {
        Sealed fresh = seal(fetchKeys(), innerRequest("/v1/rewrite", kRewrite, token));
        const HttpResult answer = postRelay(fresh.body);
        if (answer.status == 200u)
            r = open(fresh, answer.bytes());
    }
    ASSERT_TRUE(r);
    EXPECT_EQ(r->response.status, 200);
}

TEST_F(RelayE2E, OverloadIs503AndAKilledGatewayLeavesNoClientHanging)
{
    startStack({ "--workers", "1", "--queue", "1", "--deadline-ms", "600000" });
    const Bytes keys = fetchKeys();
    auto slowRequest = [&] {
        Sealed s = seal(keys,
            innerRequest("/v1/rewrite", R"({"text":"slow","echo_delay_ms":600000})",
                issuer().authorization()));
        return std::async(std::launch::async, [this, body = s.body] { return postRelay(body); });
    };
    auto first = slowRequest(); // occupies the only worker
    ASSERT_TRUE(m_gateway.waitForMetric("sotto_gateway_in_flight", 1));
    auto second = slowRequest(); // waits in the queue
    ASSERT_TRUE(m_gateway.waitForMetric("sotto_gateway_queued", 1));
    // The queue is full: refused at once, without decrypting it.
    Sealed third = seal(keys, innerRequest("/v1/rewrite", kRewrite, issuer().authorization()));
    const HttpResult busy = postRelay(third.body);
    EXPECT_EQ(busy.status, 503u);
    EXPECT_EQ(m_gateway.metric("sotto_gateway_rejected_total"), 1);

    // The gateway dies mid-request: both clients get an error from the relay.
    m_gateway.process.kill(SIGKILL);
    const HttpResult a = first.get();
    const HttpResult b = second.get();
    EXPECT_TRUE(a.transported);
    EXPECT_EQ(a.status, 502u);
    EXPECT_TRUE(b.transported);
    EXPECT_EQ(b.status, 502u);
    // Relay up, gateway down.
    EXPECT_EQ(postRelay(third.body).status, 502u);
    EXPECT_EQ(httpRequest(m_relay.port, "GET", "/keys").status, 502u);
}

TEST_F(RelayE2E, SighupReloadsTheIssuerKeys)
{
    startStack();
    const TestIssuer &next = TestIssuer::get("other-issuer.sotto.test");
    auto r = exchange(innerRequest("/v1/rewrite", kRewrite, next.authorization()));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->response.status, 401);
    writeWholeFile(dir() / "issuer-keys.json", next.keysJson(unixNow() + 86400));
    kill(m_gateway.process.pid(), SIGHUP);
    ASSERT_TRUE(
        m_gateway.waitForMetric("sotto_gateway_issuer_key_reloads_total{result=\"ok\"}", 1));
    r = exchange(innerRequest("/v1/rewrite", kRewrite, next.authorization()));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->response.status, 200);
    // A broken file is refused and the keys in use stay.
    writeWholeFile(dir() / "issuer-keys.json", "{");
    kill(m_gateway.process.pid(), SIGHUP);
    ASSERT_TRUE(
        m_gateway.waitForMetric("sotto_gateway_issuer_key_reloads_total{result=\"failed\"}", 1));
    r = exchange(innerRequest("/v1/rewrite", kRewrite, next.authorization()));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->response.status, 200);
}

TEST_F(RelayE2E, GatewayEndpointsAndMetricsListener)
{
    startStack();
    EXPECT_EQ(httpRequest(m_gateway.port, "GET", "/healthz").status, 200u);
    EXPECT_EQ(httpRequest(m_gateway.port, "POST", "/healthz", "x", "text/plain").status, 405u);
    EXPECT_EQ(httpRequest(m_gateway.port, "GET", "/gateway").status, 405u);
    EXPECT_EQ(httpRequest(m_gateway.port, "GET", "/metrics").status, 404u);
    EXPECT_EQ(httpRequest(m_gateway.port, "GET", "/nope").status, 404u);
    const HttpResult metrics = httpRequest(m_gateway.metricsPort, "GET", "/metrics");
    EXPECT_EQ(metrics.status, 200u);
    EXPECT_NE(metrics.body.find("sotto_gateway_requests_total"), std::string::npos);
    EXPECT_EQ(httpRequest(m_gateway.metricsPort, "GET", "/gateway").status, 404u);
    // HTTP/1.1 keep-alive: several requests on one connection.
    {
        namespace asio = boost::asio;
        namespace http = boost::beast::http;
        asio::io_context io;
        asio::ip::tcp::socket socket(io);
        socket.connect({ asio::ip::make_address("127.0.0.1"), m_gateway.port });
        boost::beast::flat_buffer buffer;
        for (const char *target : { "/healthz", "/ohttp-keys", "/healthz" }) {
            http::request<http::empty_body> req(http::verb::get, target, 11);
            req.set(http::field::host, "gateway");
            http::write(socket, req);
            http::response<http::string_body> res;
            http::read(socket, buffer, res);
            EXPECT_EQ(res.result_int(), 200u) << target;
            EXPECT_TRUE(res.keep_alive()) << target;
        }
    }
    // SIGTERM: a clean exit.
    const int status = m_gateway.process.kill(SIGTERM);
    EXPECT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
}

#ifdef SOTTO_GATEWAY_HAS_REDIS
// Two replicas (each with its own keys) share the spent tokens through a
// real redis-server: a token redeemed at one is refused at the other, and
// without Redis a spend fails closed (503 inside the encapsulation).
TEST(GatewayReplicas, SpentTokensAreSharedThroughRedis)
{
    if (!std::filesystem::exists("/usr/bin/redis-server"))
        GTEST_SKIP() << "redis-server is not installed";
    TempDir dir;
    const uint16_t redisPort = freePort();
    ChildProcess redis;
    ASSERT_TRUE(redis.start(
        { "/usr/bin/redis-server", "--port", std::to_string(redisPort), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--dir", dir.path().string() },
        dir.path() / "redis.log"));
    ASSERT_TRUE(waitForPort(redisPort));
    const TestIssuer &issuer = TestIssuer::get("issuer.sotto.test");
    writeWholeFile(dir.path() / "issuer-keys.json", issuer.keysJson(unixNow() + 86400));
    GatewayProcess a;
    GatewayProcess b;
    for (GatewayProcess *g : { &a, &b }) {
        ASSERT_TRUE(g->start(SOTTO_GATEWAY_BIN,
            { "--issuer-keys", (dir.path() / "issuer-keys.json").string(), "--origin",
                std::string(kOrigin), "--engine", "echo", "--redis",
                "127.0.0.1:" + std::to_string(redisPort) },
            dir.path() / "gateway.log"));
    }
    auto send = [](const GatewayProcess &g, const std::string &token) -> std::optional<Opened> {
        const HttpResult keys = httpRequest(g.port, "GET", "/ohttp-keys");
        Sealed sealed = seal(keys.bytes(),
            innerRequest("/v1/rewrite", R"({"text":"hello","style":"formal","lang":"en"})", token));
        const HttpResult r
            = httpRequest(g.port, "POST", "/gateway", asString(sealed.body), "message/ohttp-req");
        if (r.status != 200)
            return std::nullopt;
        return open(sealed, r.bytes());
    };
    const std::string token = issuer.authorization();
    auto first = send(a, token);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->response.status, 200);
    auto second = send(b, token);
    ASSERT_TRUE(second);
    EXPECT_EQ(second->response.status, 401);
    EXPECT_EQ(json::parse(second->body())["type"], "urn:sotto:problem:token-spent");
    // Redis gone: fail closed.
    redis.kill(SIGTERM);
    auto closed = send(b, issuer.authorization());
    ASSERT_TRUE(closed);
    EXPECT_EQ(closed->response.status, 503);
    EXPECT_EQ(json::parse(closed->body())["type"], "urn:sotto:problem:unavailable");
}

// --engine llm with no model server listening: the LLM engine falls back to
// the built-in one, and the request is still answered.
TEST_F(RelayE2E, LlmEngineFallsBackWhenTheModelServerIsDown)
{
    writeWholeFile(dir() / "issuer-keys.json", issuer().keysJson(unixNow() + 86400));
    ASSERT_TRUE(m_gateway.start(SOTTO_GATEWAY_BIN,
        { "--issuer-keys", (dir() / "issuer-keys.json").string(), "--origin", std::string(kOrigin),
            "--engine", "llm", "--llm", "127.0.0.1:" + std::to_string(freePort()) },
        dir() / "gateway.log"));
    ASSERT_TRUE(m_relay.start(dir() / "relay", m_gateway.port));
    auto r = exchange(innerRequest("/v1/rewrite",
        R"({"text":"hey can u send me the file","style":"formal","lang":"en"})",
        issuer().authorization()));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->response.status, 200) << r->body();
    EXPECT_TRUE(json::parse(r->body())["text"].is_string());
}
#endif

// The production build hardens itself at start: no core dumps, OpenSSL's
// allocator wipes, the secure heap holds the keys.
TEST(GatewayHardening, ProductionBuildRefusesCoreDumps)
{
    TempDir dir;
    const TestIssuer &issuer = TestIssuer::get("issuer.sotto.test");
    writeWholeFile(dir.path() / "issuer-keys.json", issuer.keysJson(unixNow() + 86400));
    GatewayProcess g;
    ASSERT_TRUE(g.start(SOTTO_GATEWAY_BIN,
        { "--issuer-keys", (dir.path() / "issuer-keys.json").string(), "--origin",
            std::string(kOrigin), "--engine", "echo" },
        dir.path() / "gateway.log"));
    const std::string limits
        = readWholeFile("/proc/" + std::to_string(g.process.pid()) + "/limits");
    const size_t core = limits.find("Max core file size");
    ASSERT_NE(core, std::string::npos);
    std::istringstream line(limits.substr(core + 18, limits.find('\n', core) - core - 18));
    std::string soft, hard;
    line >> soft >> hard;
    EXPECT_EQ(soft, "0");
    EXPECT_EQ(hard, "0");
    g.process.kill(SIGTERM);
    const std::string log = readWholeFile(dir.path() / "gateway.log");
    EXPECT_NE(log.find("openssl_zeroing_allocator=1"), std::string::npos) << log;
    EXPECT_NE(log.find("core_dumps_off=1"), std::string::npos) << log;
    EXPECT_NE(log.find("secure_heap_locked=1"), std::string::npos) << log;
    // The production build has no way to turn this off.
    ChildProcess refused;
    ASSERT_TRUE(refused.start(
        { SOTTO_GATEWAY_BIN, "--allow-core-dump", "--issuer-keys", "x", "--origin", "o" },
        dir.path() / "refused.log"));
    const int status = refused.wait();
    EXPECT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 2);
}

#ifdef SOTTO_GATEWAY_HAS_BUILTIN_ENGINE
// The real engine (tee-backend/engines) behind the real relay.
TEST_F(RelayE2E, BuiltinEngineAnswersThroughTheRelay)
{
    writeWholeFile(dir() / "issuer-keys.json", issuer().keysJson(unixNow() + 86400));
    ASSERT_TRUE(m_gateway.start(SOTTO_GATEWAY_BIN,
        { "--issuer-keys", (dir() / "issuer-keys.json").string(), "--origin", std::string(kOrigin),
            "--engine", "builtin" },
        dir() / "gateway.log"));
    ASSERT_TRUE(m_relay.start(dir() / "relay", m_gateway.port));
    const std::string chat
        = R"({"messages":[)"
          R"({"from":"alice","time":"2026-11-25T09:00:00Z","text":"We decided to ship the release on Friday."},)"
          R"({"from":"bob","time":"2026-11-25T09:01:00Z","text":"Can you update the changelog before then?"}],"lang":"en","max_points":3})";
    auto r = exchange(innerRequest("/v1/summarize", chat, issuer().authorization()));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->response.status, 200) << r->body();
    EXPECT_EQ(json::parse(r->body())["engine"], "sotto-builtin/1");
    r = exchange(innerRequest("/v1/rewrite",
        R"({"text":"hey can u send me the file","style":"formal","lang":"en"})",
        issuer().authorization()));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->response.status, 200) << r->body();
    EXPECT_TRUE(json::parse(r->body())["text"].is_string());
}
#endif

// The relay forwards no client header but Content-Type (and the length nginx
// computes): checked on the wire with a capturing upstream.
TEST(RelayHeaders, EveryClientHeaderButContentTypeIsDropped)
{
    namespace asio = boost::asio;
    TempDir dir;
    asio::io_context io;
    asio::ip::tcp::acceptor acceptor(io, { asio::ip::make_address("127.0.0.1"), 0 });
    std::string captured;
    std::thread upstream([&] {
        asio::ip::tcp::socket s(io);
        acceptor.accept(s);
        boost::asio::streambuf buf;
        boost::system::error_code ec;
        asio::read_until(s, buf, "\r\n\r\n", ec);
        captured.assign(asio::buffers_begin(buf.data()), asio::buffers_end(buf.data()));
        const std::string answer
            = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        asio::write(s, asio::buffer(answer), ec);
    });
    RelayProcess relay;
    ASSERT_TRUE(relay.start(dir.path(), acceptor.local_endpoint().port()));
    const HttpResult r
        = httpRequest(relay.port, "POST", "/relay", "encapsulated", "message/ohttp-req",
            { { "Cookie", "session=alice" }, { "User-Agent", "Psi+ 1.5" },
                { "X-Forwarded-For", "198.51.100.7" }, { "Authorization", "Basic YWxpY2U6" },
                { "Accept-Language", "de-CH" }, { "Forwarded", "for=198.51.100.7" } });
    upstream.join();
    EXPECT_EQ(r.status, 200u);
    std::set<std::string> names;
    std::istringstream lines(captured);
    std::string line;
    std::getline(lines, line);
    EXPECT_EQ(line.rfind("POST /gateway HTTP/1.1", 0), 0u) << line;
    while (std::getline(lines, line) && line != "\r") {
        std::string name = line.substr(0, line.find(':'));
        std::transform(name.begin(), name.end(), name.begin(), ::tolower);
        names.insert(name);
    }
    EXPECT_EQ(names, (std::set<std::string> { "host", "content-type", "content-length" }))
        << captured;
    EXPECT_NE(captured.find("Content-Type: message/ohttp-req"), std::string::npos);
    EXPECT_EQ(captured.find("alice"), std::string::npos);
    EXPECT_EQ(captured.find("198.51.100.7"), std::string::npos);
    // No access log, and the error log holds no client address.
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "access.log"));
    EXPECT_EQ(readWholeFile(dir.path() / "error.log").find("198.51.100.7"), std::string::npos);
}

} // namespace
} // namespace sotto::gatewaytest
