// SPDX-License-Identifier: GPL-3.0-or-later
// The gateway's request path without the network (GatewayCore): every
// outcome of POST /gateway, the key ring's rotation and overlap, the issuer
// keys file, padding, metrics. The end-to-end tests repeat the important
// cases through nginx and the real server.
#include "tee-backend/gateway/echo_engine.h"
#include "tee-backend/gateway/gateway_core.h"
#include "tee-backend/gateway/issuer_keys.h"
#include "tee-backend/gateway/key_ring.h"
#include "tee-backend/gateway/metrics.h"
#include "tests/gateway/gateway_test_util.h"
#include "tests/support/result_assert.h"
#include "tests/support/testdata.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

namespace sotto::gateway {
namespace {

using namespace sotto::gatewaytest;
using nlohmann::json;

constexpr std::string_view kSummarize
    = R"({"messages":[{"from":"alice","time":"2026-01-01T10:00:00Z","text":"lunch at noon?"}],"lang":"en","max_points":3})";
constexpr std::string_view kRewrite
    = R"({"text":"hey can u send it","style":"formal","lang":"en"})";

engines::Deadline farDeadline()
{
    return std::chrono::steady_clock::now() + std::chrono::minutes(5);
}

class GatewayCoreTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        auto ring = KeyRing::create(3600, m_start);
        ASSERT_RESULT_OK(ring);
        m_keys = std::move(ring).value();
        auto set = parseIssuerKeys(issuer().keysJson(m_start + 86400), kOrigin);
        ASSERT_RESULT_OK(set);
        m_issuers = std::make_unique<IssuerKeyStore>(std::move(set).value());
        m_spent = privacypass::makeMemorySpentTokenSet();
        m_core = std::make_unique<GatewayCore>(CoreConfig { std::string(kOrigin), 4096 }, *m_keys,
            *m_issuers, *m_spent, m_engine, m_metrics);
    }

    static TestIssuer &issuer() { return TestIssuer::get("issuer.sotto.test"); }
    Bytes keysBody() { return m_core->keys(m_start).body; }

    HttpAnswer post(ByteView body, std::string_view contentType = "message/ohttp-req")
    {
        return m_core->gateway(body, contentType, farDeadline(), m_start);
    }

    // Seals, posts, opens; fails the test when the outer answer is not an
    // Encapsulated Response.
    Opened roundTrip(ByteView bhttp, Sealed *keep = nullptr)
    {
        Sealed sealed = seal(keysBody(), bhttp);
        const HttpAnswer answer = post(sealed.body);
        EXPECT_EQ(answer.status, 200u);
        EXPECT_EQ(answer.contentType, "message/ohttp-res");
        auto opened = open(sealed, answer.body);
        EXPECT_TRUE(opened.has_value());
        if (keep)
            *keep = sealed;
        return opened ? *opened : Opened {};
    }

    const int64_t m_start = unixNow();
    std::unique_ptr<KeyRing> m_keys;
    std::unique_ptr<IssuerKeyStore> m_issuers;
    std::unique_ptr<privacypass::SpentTokenSet> m_spent;
    EchoEngine m_engine;
    Metrics m_metrics;
    std::unique_ptr<GatewayCore> m_core;
};

TEST_F(GatewayCoreTest, SummarizeWithATokenAnswersInsideTheEncapsulation)
{
    const Opened r = roundTrip(innerRequest("/v1/summarize", kSummarize, issuer().authorization()));
    EXPECT_EQ(r.response.status, 200);
    EXPECT_EQ(r.header("content-type"), "application/json");
    const json body = json::parse(r.body());
    EXPECT_EQ(body["summary"], json::array({ "lunch at noon?" }));
    EXPECT_EQ(body["engine"], "sotto-echo/0 (test only)");
    // Padded to the smallest bucket (RFC 9292 Section 3.8 zero padding).
    EXPECT_EQ(r.bhttpLength, 512u);
}

TEST_F(GatewayCoreTest, RewriteWithChaChaPolySuite)
{
    Sealed sealed
        = seal(keysBody(), innerRequest("/v1/rewrite", kRewrite, issuer().authorization()),
            { hpke::KdfId::HkdfSha256, hpke::AeadId::ChaCha20Poly1305 });
    const HttpAnswer answer = post(sealed.body);
    ASSERT_EQ(answer.status, 200u);
    auto opened = open(sealed, answer.body);
    ASSERT_TRUE(opened);
    EXPECT_EQ(opened->response.status, 200);
    EXPECT_EQ(json::parse(opened->body())["text"], "hey can u send it");
}

TEST_F(GatewayCoreTest, MissingTokenIs401WithTheChallenge)
{
    const Opened r = roundTrip(innerRequest("/v1/summarize", kSummarize, std::nullopt));
    EXPECT_EQ(r.response.status, 401);
    EXPECT_EQ(r.header("content-type"), "application/problem+json");
    EXPECT_EQ(json::parse(r.body())["type"], problem::kTokenMissing);
    auto challenges = privacypass::parseWwwAuthenticate(r.header("www-authenticate"));
    ASSERT_RESULT_OK(challenges);
    ASSERT_EQ(challenges->size(), 1u);
    EXPECT_EQ(challenges->front().challenge, issuer().challenge());
    EXPECT_EQ(challenges->front().tokenKey, issuer().spki());
}

TEST_F(GatewayCoreTest, ATokenIsSpentOnce)
{
    const std::string token = issuer().authorization();
    EXPECT_EQ(roundTrip(innerRequest("/v1/summarize", kSummarize, token)).response.status, 200);
    const Opened again = roundTrip(innerRequest("/v1/rewrite", kRewrite, token));
    EXPECT_EQ(again.response.status, 401);
    EXPECT_EQ(json::parse(again.body())["type"], problem::kTokenSpent);
}

TEST_F(GatewayCoreTest, AReplayedEncapsulatedRequestIsRefused)
{
    Sealed sealed;
    EXPECT_EQ(
        roundTrip(innerRequest("/v1/summarize", kSummarize, issuer().authorization()), &sealed)
            .response.status,
        200);
    const HttpAnswer replay = post(sealed.body);
    ASSERT_EQ(replay.status, 200u); // RFC 9458 Section 5.2: the outer status is 200
    auto opened = open(sealed, replay.body);
    ASSERT_TRUE(opened);
    EXPECT_EQ(opened->response.status, 401);
    EXPECT_EQ(json::parse(opened->body())["type"], problem::kTokenSpent);
}

TEST_F(GatewayCoreTest, TokensOfAnotherIssuerOrOriginAreRefused)
{
    const TestIssuer &other = TestIssuer::get("other-issuer.sotto.test");
    Opened r = roundTrip(innerRequest("/v1/summarize", kSummarize, other.authorization()));
    EXPECT_EQ(r.response.status, 401);
    EXPECT_EQ(json::parse(r.body())["type"], problem::kTokenInvalid);
    // Our issuer's key, but a challenge for another origin.
    r = roundTrip(
        innerRequest("/v1/summarize", kSummarize, issuer().authorization("elsewhere.test")));
    EXPECT_EQ(r.response.status, 401);
    EXPECT_EQ(json::parse(r.body())["type"], problem::kTokenInvalid);
    r = roundTrip(
        innerRequest("/v1/summarize", kSummarize, std::string("PrivateToken token=AAAA")));
    EXPECT_EQ(r.response.status, 401);
    r = roundTrip(innerRequest("/v1/summarize", kSummarize, std::string("Bearer abc")));
    EXPECT_EQ(r.response.status, 401);
}

TEST_F(GatewayCoreTest, TokensOfARetiredIssuerKeyAreRefused)
{
    auto set = parseIssuerKeys(issuer().keysJson(m_start - 1), kOrigin);
    ASSERT_RESULT_OK(set);
    m_issuers->replace(std::move(set).value());
    const Opened r = roundTrip(innerRequest("/v1/summarize", kSummarize, issuer().authorization()));
    EXPECT_EQ(r.response.status, 401);
    EXPECT_EQ(json::parse(r.body())["type"], problem::kTokenInvalid);
}

TEST_F(GatewayCoreTest, RoutingErrorsDoNotSpendTheToken)
{
    const std::string token = issuer().authorization();
    EXPECT_EQ(roundTrip(innerRequest("/v1/translate", kRewrite, token)).response.status, 404);
    const Opened get = roundTrip(innerRequest("/v1/rewrite", "", token, "GET", ""));
    EXPECT_EQ(get.response.status, 405);
    EXPECT_EQ(get.header("allow"), "POST");
    EXPECT_EQ(roundTrip(innerRequest("/v1/rewrite", kRewrite, token, "POST", "text/plain"))
                  .response.status,
        415);
    EXPECT_EQ(roundTrip(innerRequest("/v1/rewrite", kRewrite, token)).response.status, 200);
}

TEST_F(GatewayCoreTest, BadJsonIs400InsideTheEncapsulation)
{
    for (std::string_view body : { "{", "[]", R"({"text":5})", "\xff\xfe" }) {
        const Opened r = roundTrip(innerRequest("/v1/rewrite", body, issuer().authorization()));
        EXPECT_EQ(r.response.status, 400) << body;
        EXPECT_EQ(json::parse(r.body())["type"], problem::kBadRequest);
    }
    const Opened r = roundTrip(
        innerRequest("/v1/summarize", R"({"messages":[{}]})", issuer().authorization()));
    EXPECT_EQ(r.response.status, 400);
}

TEST_F(GatewayCoreTest, GarbageInsideAValidEncapsulationIs400Encapsulated)
{
    const Bytes garbage = toBytes("this is not binary http");
    const Opened r = roundTrip(garbage);
    EXPECT_EQ(r.response.status, 400);
    EXPECT_EQ(json::parse(r.body())["type"], problem::kBadRequest);
}

TEST_F(GatewayCoreTest, DeadlineIsEnforcedByTheEngine)
{
    Sealed sealed = seal(keysBody(),
        innerRequest(
            "/v1/rewrite", R"({"text":"x","echo_delay_ms":600000})", issuer().authorization()));
    const HttpAnswer answer = m_core->gateway(sealed.body, "message/ohttp-req",
        std::chrono::steady_clock::now() + std::chrono::milliseconds(20), m_start);
    ASSERT_EQ(answer.status, 200u);
    auto opened = open(sealed, answer.body);
    ASSERT_TRUE(opened);
    EXPECT_EQ(opened->response.status, 504);
}

TEST_F(GatewayCoreTest, UndecryptableInputGetsPlainErrors)
{
    Sealed sealed
        = seal(keysBody(), innerRequest("/v1/rewrite", kRewrite, issuer().authorization()));
    // Every truncation: a plain 400, never an answer.
    for (size_t n = 0; n < sealed.body.size(); ++n) {
        const HttpAnswer a = post(ByteView(sealed.body.data(), n));
        ASSERT_EQ(a.status, 400u) << n;
        ASSERT_NE(a.contentType, "message/ohttp-res") << n;
    }
    // Another key id: the ohttp-key problem (RFC 9458 Section 5.3).
    Bytes wrongKey = sealed.body;
    wrongKey[0] = static_cast<uint8_t>(wrongKey[0] + 1);
    HttpAnswer a = post(wrongKey);
    EXPECT_EQ(a.status, 400u);
    EXPECT_EQ(a.contentType, "application/problem+json");
    EXPECT_EQ(json::parse(asString(a.body))["type"], ohttp::kProblemTypeOhttpKey);
    // A flipped ciphertext bit: the key did not decrypt, also ohttp-key.
    Bytes flipped = sealed.body;
    flipped.back() ^= 1;
    a = post(flipped);
    EXPECT_EQ(a.status, 400u);
    EXPECT_EQ(json::parse(asString(a.body))["type"], ohttp::kProblemTypeOhttpKey);
    // Wrong media type, oversized (the limit is 4096 here).
    EXPECT_EQ(post(sealed.body, "application/octet-stream").status, 415u);
    EXPECT_EQ(post(Bytes(4097, 0)).status, 413u);
    // Garbage.
    EXPECT_EQ(post(toBytes("GET / HTTP/1.1\r\n\r\n")).status, 400u);
    // The untouched request still works: none of the above spent its token.
    const HttpAnswer good = post(sealed.body);
    ASSERT_EQ(good.status, 200u);
    EXPECT_EQ(open(sealed, good.body)->response.status, 200);
}

TEST_F(GatewayCoreTest, MetricsCountOutcomesWithoutContent)
{
    (void)roundTrip(innerRequest("/v1/summarize", kSummarize, issuer().authorization()));
    (void)roundTrip(innerRequest("/v1/summarize", kSummarize, std::nullopt));
    m_metrics.recordRequest(Endpoint::Gateway, 200, std::chrono::microseconds(700));
    const std::string text = m_metrics.render({ 1, 2 });
    EXPECT_NE(
        text.find("sotto_gateway_inner_responses_total{status=\"200\"} 1"), std::string::npos);
    EXPECT_NE(
        text.find("sotto_gateway_inner_responses_total{status=\"401\"} 1"), std::string::npos);
    EXPECT_NE(text.find("sotto_gateway_requests_total{endpoint=\"gateway\",status=\"200\"} 1"),
        std::string::npos);
    EXPECT_NE(text.find("sotto_gateway_request_duration_seconds_bucket{endpoint=\"gateway\","
                        "le=\"0.001\"} 1"),
        std::string::npos);
    EXPECT_NE(text.find("sotto_gateway_in_flight 1"), std::string::npos);
    EXPECT_NE(text.find("sotto_gateway_queued 2"), std::string::npos);
    EXPECT_EQ(text.find("lunch"), std::string::npos);
}

TEST_F(GatewayCoreTest, KeysAndEvidenceQueries)
{
    const HttpAnswer keys = m_core->keys(m_start);
    EXPECT_EQ(keys.contentType, "application/ohttp-keys");
    auto configs = ohttp::parseSupportedKeyConfigs(keys.body);
    ASSERT_RESULT_OK(configs);
    ASSERT_EQ(configs->size(), 1u);
    EXPECT_EQ(configs->front().kem(), hpke::KemId::DhkemX25519Sha256);
    EXPECT_EQ(configs->front().supportedSuites().size(), 2u);
    for (const std::string &q : std::vector<std::string> { "", "nonce=", "nonce=00",
             "nonce=" + std::string(63, 'a'), "nonce=" + std::string(64, 'g'),
             "nonce=" + std::string(64, 'a') + "&x=1", "x=1&nonce=" + std::string(64, 'a') })
        EXPECT_EQ(m_core->evidence(q).status, 400u) << q;
    // No provider in this fixture: a well-formed request cannot be answered.
    EXPECT_EQ(m_core->evidence("nonce=" + std::string(64, 'a')).status, 503u);
}

TEST(GatewayPadding, Buckets)
{
    EXPECT_EQ(paddedLength(0), 512u);
    EXPECT_EQ(paddedLength(512), 512u);
    EXPECT_EQ(paddedLength(513), 1024u);
    EXPECT_EQ(paddedLength(40000), 65536u);
    EXPECT_EQ(paddedLength(65537), 131072u);
    EXPECT_EQ(paddedLength(200000), 262144u);
}

TEST(GatewayKeyRing, RotatesWithOverlapAndForgetsRetiredKeys)
{
    const int64_t t0 = 1'800'000'000;
    auto created = KeyRing::create(100, t0);
    ASSERT_RESULT_OK(created);
    KeyRing &ring = *created.value();
    const auto first = ring.current();
    EXPECT_EQ(first->notAfter, t0 + 200);
    EXPECT_EQ(first->nextRotation, t0 + 100);
    EXPECT_FALSE(ring.rotateIfDue(t0 + 99));

    // A request sealed to the first key.
    auto firstConfigs = ohttp::parseSupportedKeyConfigs(first->encodedConfigs);
    ASSERT_RESULT_OK(firstConfigs);
    auto request = ohttp::ClientRequest::encapsulate(
        firstConfigs->front(), { hpke::KdfId::HkdfSha256, hpke::AeadId::Aes128Gcm }, toBytes("x"));
    ASSERT_RESULT_OK(request);

    EXPECT_TRUE(ring.rotateIfDue(t0 + 100));
    const auto second = ring.current();
    EXPECT_NE(second->publishedKeyId, first->publishedKeyId);
    EXPECT_NE(second->encodedConfigs, first->encodedConfigs);
    EXPECT_EQ(second->gateway.keyCount(), 2u);
    // Overlap: the first key still decrypts.
    EXPECT_RESULT_OK(second->gateway.decapsulateRequest(request->encapsulated));

    EXPECT_TRUE(ring.rotateIfDue(t0 + 200));
    const auto third = ring.current();
    EXPECT_EQ(third->gateway.keyCount(), 2u);
    EXPECT_FALSE(third->gateway.hasKey(first->publishedKeyId));
    EXPECT_RESULT_ERROR(
        third->gateway.decapsulateRequest(request->encapsulated), ohttp::OhttpError::UnknownKeyId);
    // After a long pause only the new key is left.
    EXPECT_TRUE(ring.rotateIfDue(t0 + 1000));
    EXPECT_EQ(ring.current()->gateway.keyCount(), 1u);
    EXPECT_RESULT_ERROR(KeyRing::create(0, t0), ohttp::OhttpError::InvalidArgument);
}

TEST(GatewayIssuerKeys, StrictParsing)
{
    const TestIssuer &issuer = TestIssuer::get("issuer.sotto.test");
    auto good = parseIssuerKeys(issuer.keysJson(2'000'000'000), kOrigin);
    ASSERT_RESULT_OK(good);
    EXPECT_EQ(good->issuerName, "issuer.sotto.test");
    EXPECT_EQ(good->encodedChallenge, issuer.challenge());
    const auto &id = issuer.publicKey().tokenKeyId();
    EXPECT_NE(good->find(ByteView(id.data(), id.size()), 1'999'999'999), nullptr);
    EXPECT_EQ(good->find(ByteView(id.data(), id.size()), 2'000'000'000), nullptr);

    EXPECT_RESULT_ERROR(parseIssuerKeys("", kOrigin), IssuerKeysError::NotJson);
    EXPECT_RESULT_ERROR(parseIssuerKeys("[]", kOrigin), IssuerKeysError::NotJson);
    EXPECT_RESULT_ERROR(
        parseIssuerKeys(R"({"issuer_name":"a","keys":[]})", kOrigin), IssuerKeysError::NoKeys);
    EXPECT_RESULT_ERROR(parseIssuerKeys(R"({"issuer_name":"a","keys":[],"x":1})", kOrigin),
        IssuerKeysError::BadField);
    EXPECT_RESULT_ERROR(
        parseIssuerKeys(R"({"issuer_name":5,"keys":[]})", kOrigin), IssuerKeysError::BadField);
    EXPECT_RESULT_ERROR(
        parseIssuerKeys(R"({"issuer_name":"a","keys":[{"token_key":"!!","token_key_id":")"
                + std::string(64, '0') + R"(","not_after":1}]})",
            kOrigin),
        IssuerKeysError::BadField);
    // A key id that is not the SPKI's hash.
    std::string wrongId = issuer.keysJson(1);
    wrongId.replace(wrongId.find("token_key_id\":\"") + 15, 2, "zz");
    EXPECT_RESULT_ERROR(parseIssuerKeys(wrongId, kOrigin), IssuerKeysError::BadField);
    std::string otherId = issuer.keysJson(1);
    const size_t at = otherId.find("token_key_id\":\"") + 15;
    otherId[at] = otherId[at] == '0' ? '1' : '0';
    EXPECT_RESULT_ERROR(parseIssuerKeys(otherId, kOrigin), IssuerKeysError::BadKey);
    // Not an RSASSA-PSS SPKI.
    EXPECT_RESULT_ERROR(
        parseIssuerKeys(R"({"issuer_name":"a","keys":[{"token_key":"AAAA","token_key_id":")"
                + std::string(64, '0') + R"(","not_after":1}]})",
            kOrigin),
        IssuerKeysError::BadKey);
    EXPECT_RESULT_ERROR(
        loadIssuerKeys("does-not-exist.json", kOrigin), IssuerKeysError::Unreadable);
}

} // namespace
} // namespace sotto::gateway

namespace sotto::gateway {
namespace {

// The seeds of tests/fuzz/fuzz_gateway_request.cpp reach what they are
// meant to reach: with the fuzz target's issuer (RFC 9578's test key) and
// TokenChallenge, the seeds' token (vector 2 of RFC 9578) is accepted.
TEST(GatewayFuzzSeeds, TheTokenSeedsReachTheEngine)
{
    const auto vectors = test::readJson("privacypass/rfc9578-type2-vectors.json");
    const Bytes spki = test::hex(vectors[1]["pkS"].get<std::string>());
    auto key = privacypass::IssuerPublicKey::fromSpkiDer(spki);
    ASSERT_RESULT_OK(key);
    const auto &id = key->tokenKeyId();
    auto set = parseIssuerKeys("{\"issuer_name\":\"issuer.example\",\"keys\":[{\"token_key\":\""
            + tlog::base64Encode(spki) + "\",\"token_key_id\":\""
            + toHex(ByteView(id.data(), id.size())) + "\",\"not_after\":4000000000}]}",
        "origin.example");
    ASSERT_RESULT_OK(set);
    IssuerKeyStore issuers(std::move(set).value());
    auto ring = KeyRing::create(3600, 1'800'000'000);
    ASSERT_RESULT_OK(ring);
    EchoEngine engine;
    Metrics metrics;
    const std::pair<std::string, int> seeds[] = { { "rewrite_with_rfc9578_token", 200 },
        { "summarize_with_rfc9578_token", 200 }, { "rewrite_without_token", 401 } };
    for (const auto &[name, status] : seeds) {
        auto spent = privacypass::makeMemorySpentTokenSet(1024);
        GatewayCore core(CoreConfig { "origin.example", 1 << 20 }, *ring.value(), issuers, *spent,
            engine, metrics);
        const std::string seed = test::readFile("../fuzz/corpus/gateway_request/" + name);
        ASSERT_FALSE(seed.empty());
        ASSERT_EQ(seed[0], 1);
        Sealed sealed = seal(ring.value()->current()->encodedConfigs, asBytes(seed).subspan(1));
        const HttpAnswer a
            = core.gateway(sealed.body, "message/ohttp-req", farDeadline(), 1'800'000'000);
        ASSERT_EQ(a.status, 200u);
        auto opened = open(sealed, a.body);
        ASSERT_TRUE(opened);
        EXPECT_EQ(opened->response.status, status) << name << ": " << opened->body();
    }
}

} // namespace
} // namespace sotto::gateway
