// SPDX-License-Identifier: GPL-3.0-or-later
// Interop with @cloudflare/privacypass-ts 0.8.1 (npm), token type 0x0002
// (RFC 9578 Section 6), with the TokenChallenge Sotto's tokens answer
// (DESIGN.md: token_type 2, issuer_name = the component's issuer name, empty
// redemption context, origin_info = the gateway origin).
//   our issuer, npm client: npm finalizes tokens from our TokenResponses; they
//     verify in ours (and a replay or a wrong challenge is refused).
//   npm issuer, our client: we finalize from npm's TokenResponses; our tokens
//     verify in npm and in ours.
//   our tokens from our own issuer verify in npm with our SPKI.
//   the header fields both ways: WWW-Authenticate and Authorization.
#include "protocol/privacypass/authorization.h"
#include "protocol/privacypass/spent_set.h"
#include "protocol/privacypass/token.h"
#include "tests/interop/npm_peer.h"

#include "tests/support/result_assert.h"

#include <gtest/gtest.h>

#include <filesystem>

using namespace sotto;
using namespace sotto::privacypass;
using nlohmann::json;

namespace {

constexpr int kTokensPerDirection = 16;
constexpr const char *kIssuerName = "pp.example.org";
constexpr const char *kGatewayOrigin = "gateway.example.org";

Bytes unhex(const json &j)
{
    auto b = fromHex(j.get<std::string>());
    EXPECT_TRUE(b.has_value());
    return b.value_or(Bytes {});
}

Bytes sottoChallenge()
{
    TokenChallenge c;
    c.issuerName = toBytes(kIssuerName);
    c.originInfo = toBytes(kGatewayOrigin);
    auto e = c.encode();
    EXPECT_RESULT_OK(e);
    return e.ok() ? e.value() : Bytes {};
}

// One RSA-2048 issuer key for the whole suite: generating one takes a while.
struct OurIssuer {
    crypto::BlindRsaPrivateKey sk;
    IssuerPublicKey pk;
    Bytes spki;
};

const OurIssuer *ourIssuer()
{
    static const std::optional<OurIssuer> issuer = []() -> std::optional<OurIssuer> {
        auto sk = crypto::BlindRsaPrivateKey::generate(2048);
        if (!sk.ok())
            return std::nullopt;
        auto spki = IssuerPublicKey::encodeSpki(sk.value().publicKey());
        if (!spki.ok())
            return std::nullopt;
        auto pk = IssuerPublicKey::fromSpkiDer(spki.value());
        if (!pk.ok())
            return std::nullopt;
        return OurIssuer { sk.value(), pk.value(), spki.value() };
    }();
    return issuer ? &*issuer : nullptr;
}

class NpmPrivacyPassInterop : public ::testing::Test {
protected:
    void SetUp() override
    {
        const std::string dir = SOTTO_NPM_PEER_DIR;
        if (!std::filesystem::exists(dir + "/node_modules/@cloudflare/privacypass-ts"))
            GTEST_SKIP() << "privacypass-ts is not installed (interop.npm_install was skipped: "
                            "npm registry unreachable?)";
        peer = std::make_unique<test::NpmPeer>("node", "privacypass-peer.mjs", dir);
        ASSERT_TRUE(peer->started()) << "cannot start node";
        issuer = ourIssuer();
        ASSERT_TRUE(issuer) << "cannot generate an RSA-2048 issuer key";
    }

    json call(const json &request)
    {
        json answer = peer->call(request);
        EXPECT_FALSE(answer.contains("error")) << request["op"] << ": " << answer.dump();
        return answer;
    }

    std::unique_ptr<test::NpmPeer> peer;
    const OurIssuer *issuer = nullptr;
};

TEST_F(NpmPrivacyPassInterop, SameTokenChallenge)
{
    json c = call({ { "op", "challenge" }, { "issuerName", kIssuerName },
        { "originInfo", json::array({ kGatewayOrigin }) } });
    EXPECT_EQ(unhex(c["challenge"]), sottoChallenge());
}

TEST_F(NpmPrivacyPassInterop, NpmClientTokensFromOurIssuerVerifyInOurs)
{
    const Bytes challenge = sottoChallenge();
    auto spent = makeMemorySpentTokenSet();
    const int64_t retires = systemUnixTime() + 3600;
    for (int i = 0; i < kTokensPerDirection; ++i) {
        SCOPED_TRACE(i);
        json req = call({ { "op", "client_request" }, { "challenge", toHex(challenge) },
            { "tokenKey", toHex(issuer->spki) } });
        ASSERT_TRUE(req.contains("request"));
        auto request = TokenRequest::decode(unhex(req["request"]));
        ASSERT_RESULT_OK(request);
        EXPECT_EQ(request.value().truncatedTokenKeyId, issuer->pk.truncatedTokenKeyId());
        auto response = evaluateTokenRequest(issuer->sk, issuer->pk, request.value());
        ASSERT_RESULT_OK(response);

        json fin = call({ { "op", "client_finalize" }, { "id", req["id"] },
            { "response", toHex(response.value().encode()) } });
        ASSERT_TRUE(fin.contains("token"));
        // The Authorization field privacypass-ts writes parses in ours, to the same token.
        auto token = parseAuthorization(fin["authorization"].get<std::string>());
        ASSERT_RESULT_OK(token);
        EXPECT_EQ(token.value().encode(), unhex(fin["token"]));
        EXPECT_RESULT_OK(verifyToken(token.value(), issuer->pk, challenge));
        EXPECT_RESULT_OK(spent->spend(token.value().tokenKeyId, token.value().nonce, retires));
        EXPECT_TRUE(
            test::failsWith(spent->spend(token.value().tokenKeyId, token.value().nonce, retires),
                SpendError::AlreadySpent));

        // Bound to its challenge: another origin's challenge does not verify.
        TokenChallenge other;
        other.issuerName = toBytes(kIssuerName);
        other.originInfo = toBytes("other.example.org");
        EXPECT_RESULT_ERROR(verifyToken(token.value(), issuer->pk, other.encode().value()),
            TokenError::WrongChallenge);
        Token flipped = token.value();
        flipped.authenticator[100] ^= 0x01;
        EXPECT_RESULT_ERROR(
            verifyToken(flipped, issuer->pk, challenge), TokenError::InvalidSignature);
    }
}

TEST_F(NpmPrivacyPassInterop, OurTokensFromNpmIssuerVerifyThere)
{
    json keys = call({ { "op", "issuer_keygen" } });
    ASSERT_TRUE(keys.contains("tokenKey"));
    const Bytes npmSpki = unhex(keys["tokenKey"]);
    // privacypass-ts encodes the RSASSA-PSS SPKI byte for byte as we do.
    auto npmIssuer = IssuerPublicKey::fromSpkiDer(npmSpki);
    ASSERT_RESULT_OK(npmIssuer);
    auto reencoded = IssuerPublicKey::encodeSpki(npmIssuer.value().key());
    ASSERT_RESULT_OK(reencoded);
    EXPECT_EQ(reencoded.value(), npmSpki);

    const Bytes challenge = sottoChallenge();
    for (int i = 0; i < kTokensPerDirection; ++i) {
        SCOPED_TRACE(i);
        auto req = createTokenRequest(challenge, npmIssuer.value());
        ASSERT_RESULT_OK(req);
        json resp = call(
            { { "op", "issuer_issue" }, { "request", toHex(req.value().request.encode()) } });
        ASSERT_TRUE(resp.contains("response"));
        auto response = TokenResponse::decode(unhex(resp["response"]));
        ASSERT_RESULT_OK(response);
        auto token = finalizeToken(req.value().state, npmIssuer.value(), response.value());
        ASSERT_RESULT_OK(token);
        EXPECT_RESULT_OK(verifyToken(token.value(), npmIssuer.value(), challenge));

        json v = call({ { "op", "verify" }, { "token", toHex(token.value().encode()) },
            { "tokenKey", toHex(npmSpki) }, { "challenge", toHex(challenge) } });
        EXPECT_EQ(v["signatureValid"], true);
        EXPECT_EQ(v["challengeMatches"], true);
        EXPECT_EQ(v["keyIdMatches"], true);

        // Our Authorization field parses there, to the same token.
        json parsed = call(
            { { "op", "parse_authorization" }, { "header", formatAuthorization(token.value()) } });
        ASSERT_EQ(parsed["tokens"].size(), 1u);
        EXPECT_EQ(unhex(parsed["tokens"][0]), token.value().encode());
    }
}

TEST_F(NpmPrivacyPassInterop, OurTokensFromOurIssuerVerifyThere)
{
    const Bytes challenge = sottoChallenge();
    for (int i = 0; i < kTokensPerDirection; ++i) {
        SCOPED_TRACE(i);
        auto req = createTokenRequest(challenge, issuer->pk);
        ASSERT_RESULT_OK(req);
        auto response = evaluateTokenRequest(issuer->sk, issuer->pk, req.value().request);
        ASSERT_RESULT_OK(response);
        auto token = finalizeToken(req.value().state, issuer->pk, response.value());
        ASSERT_RESULT_OK(token);
        json v = call({ { "op", "verify" }, { "token", toHex(token.value().encode()) },
            { "tokenKey", toHex(issuer->spki) }, { "challenge", toHex(challenge) } });
        EXPECT_EQ(v["signatureValid"], true);
        EXPECT_EQ(v["challengeMatches"], true);
        EXPECT_EQ(v["keyIdMatches"], true);

        // The peer is a real verifier: a flipped authenticator bit fails there too.
        Bytes flipped = token.value().encode();
        flipped.back() ^= 0x01;
        json bad = call({ { "op", "verify" }, { "token", toHex(flipped) },
            { "tokenKey", toHex(issuer->spki) }, { "challenge", toHex(challenge) } });
        EXPECT_EQ(bad["signatureValid"], false);
    }
}

TEST_F(NpmPrivacyPassInterop, WwwAuthenticateBothWays)
{
    PrivateTokenChallenge offer { sottoChallenge(), issuer->spki, 300 };
    auto ours = formatWwwAuthenticate(offer);
    ASSERT_RESULT_OK(ours);
    json parsed = call({ { "op", "parse_www_authenticate" }, { "header", ours.value() } });
    ASSERT_EQ(parsed["challenges"].size(), 1u);
    EXPECT_EQ(unhex(parsed["challenges"][0]["challenge"]), offer.challenge);
    EXPECT_EQ(unhex(parsed["challenges"][0]["tokenKey"]), offer.tokenKey);
    EXPECT_EQ(parsed["challenges"][0]["maxAge"], 300);

    // A challenge whose base64url needs padding, in privacypass-ts's default
    // (unquoted) and quoted forms.
    TokenChallenge padded;
    padded.issuerName = toBytes("issuer.example");
    padded.originInfo = toBytes("o.example.org");
    const Bytes paddedBytes = padded.encode().value();
    ASSERT_NE(paddedBytes.size() % 3, 0u);
    for (bool quoted : { false, true }) {
        SCOPED_TRACE(quoted);
        json theirs
            = call({ { "op", "format_www_authenticate" }, { "challenge", toHex(paddedBytes) },
                { "tokenKey", toHex(issuer->spki) }, { "maxAge", 10 }, { "quoted", quoted } });
        auto got = parseWwwAuthenticate(theirs["header"].get<std::string>());
        ASSERT_RESULT_OK(got);
        ASSERT_EQ(got.value().size(), 1u);
        EXPECT_EQ(got.value()[0].challenge, paddedBytes);
        EXPECT_EQ(got.value()[0].tokenKey, issuer->spki);
        EXPECT_EQ(got.value()[0].maxAge, 10u);
    }
}

TEST_F(NpmPrivacyPassInterop, AuthorizationFromNpmQuotedAndNot)
{
    auto req = createTokenRequest(sottoChallenge(), issuer->pk);
    ASSERT_RESULT_OK(req);
    auto response = evaluateTokenRequest(issuer->sk, issuer->pk, req.value().request);
    ASSERT_RESULT_OK(response);
    auto token = finalizeToken(req.value().state, issuer->pk, response.value());
    ASSERT_RESULT_OK(token);
    for (bool quoted : { false, true }) {
        SCOPED_TRACE(quoted);
        json h = call({ { "op", "format_authorization" },
            { "token", toHex(token.value().encode()) }, { "quoted", quoted } });
        auto parsed = parseAuthorization(h["header"].get<std::string>());
        ASSERT_RESULT_OK(parsed);
        EXPECT_EQ(parsed.value().encode(), token.value().encode());
    }
}

} // namespace
