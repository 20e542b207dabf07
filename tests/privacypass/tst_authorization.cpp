// SPDX-License-Identifier: GPL-3.0-or-later
// The PrivateToken HTTP authentication scheme (RFC 9577 Section 2): the
// three WWW-Authenticate examples of RFC 9577 Appendix A (Basic and grease
// challenges, unknown attributes), format/parse round trips, the form
// @cloudflare/privacypass-ts sends (unquoted, padded), a whole challenge →
// issuance → Authorization → verify flow, and the rejections, each by code.
#include "protocol/privacypass/authorization.h"

#include "tests/support/result_assert.h"
#include "tests/support/testdata.h"

#include <gtest/gtest.h>

namespace sotto::privacypass {
namespace {

using test::hex;

Bytes vectorToken()
{
    const auto vectors = test::readJson("privacypass/rfc9578-type2-vectors.json");
    return hex(vectors[0]["token"].get<std::string>());
}

TEST(PrivacyPassWwwAuthenticate, Rfc9577HeaderVectors)
{
    const auto j = test::readJson("privacypass/rfc9577-auth-scheme-vectors.json");
    const auto &vectors = j["http_header_vectors"];
    ASSERT_EQ(vectors.size(), 3u);
    int index = 0;
    for (const auto &v : vectors) {
        SCOPED_TRACE(++index);
        auto parsed = parseWwwAuthenticate(v["www_authenticate"].get<std::string>());
        ASSERT_RESULT_OK(parsed);
        const auto &c = v["challenges"];
        size_t expected = 0;
        while (c.contains("token-type-" + std::to_string(expected)))
            ++expected;
        ASSERT_EQ(parsed.value().size(), expected);
        for (size_t i = 0; i < expected; ++i) {
            SCOPED_TRACE(i);
            const std::string n = std::to_string(i);
            const auto &got = parsed.value()[i];
            EXPECT_EQ(got.challenge, hex(c["token-challenge-" + n].get<std::string>()));
            EXPECT_EQ(got.tokenKey, hex(c["token-key-" + n].get<std::string>()));
            EXPECT_EQ(
                got.tokenType(), std::stoul(c["token-type-" + n].get<std::string>(), nullptr, 16));
            if (c.contains("max-age-" + n)) {
                EXPECT_EQ(got.maxAge, std::stoull(c["max-age-" + n].get<std::string>()));
            } else {
                EXPECT_FALSE(got.maxAge);
            }
        }
    }
}

TEST(PrivacyPassWwwAuthenticate, VectorKeyIsTheIssuerKey)
{
    const auto j = test::readJson("privacypass/rfc9577-auth-scheme-vectors.json");
    auto parsed
        = parseWwwAuthenticate(j["http_header_vectors"][0]["www_authenticate"].get<std::string>());
    ASSERT_RESULT_OK(parsed);
    ASSERT_EQ(parsed.value().size(), 1u);
    auto issuer = IssuerPublicKey::fromSpkiDer(parsed.value()[0].tokenKey);
    ASSERT_RESULT_OK(issuer);
    EXPECT_EQ(toHex(issuer.value().tokenKeyId()),
        "ca572f8982a9ca248a3056186322d93ca147266121ddeb5632c07f1f71cd2708");
    auto challenge = TokenChallenge::decode(parsed.value()[0].challenge);
    ASSERT_RESULT_OK(challenge);
    EXPECT_EQ(asString(challenge.value().issuerName), "issuer.example");
}

TEST(PrivacyPassWwwAuthenticate, FormatRoundTrip)
{
    const auto j = test::readJson("privacypass/rfc9577-auth-scheme-vectors.json");
    const auto &c = j["http_header_vectors"][0]["challenges"];
    PrivateTokenChallenge in;
    in.challenge = hex(c["token-challenge-0"].get<std::string>());
    in.tokenKey = hex(c["token-key-0"].get<std::string>());
    in.maxAge = 10;
    auto header = formatWwwAuthenticate(in);
    ASSERT_RESULT_OK(header);
    // The same attribute values as the RFC's header, in quoted strings.
    const std::string rfc = j["http_header_vectors"][0]["www_authenticate"].get<std::string>();
    EXPECT_EQ(header.value().substr(0, header.value().find(',')), rfc.substr(0, rfc.find(',')));
    auto parsed = parseWwwAuthenticate(header.value());
    ASSERT_RESULT_OK(parsed);
    ASSERT_EQ(parsed.value().size(), 1u);
    EXPECT_EQ(parsed.value()[0].challenge, in.challenge);
    EXPECT_EQ(parsed.value()[0].tokenKey, in.tokenKey);
    EXPECT_EQ(parsed.value()[0].maxAge, in.maxAge);

    // No key, no max-age; challenge lengths needing 0, 1 and 2 padding characters.
    for (size_t n : { 2, 3, 4, 5, 6, 7 }) {
        SCOPED_TRACE(n);
        PrivateTokenChallenge bare;
        bare.challenge = Bytes(n, 0xfb);
        bare.challenge[1] = 0x02;
        auto h = formatWwwAuthenticate(bare);
        ASSERT_RESULT_OK(h);
        EXPECT_EQ(h.value().find("token-key"), std::string::npos);
        auto p = parseWwwAuthenticate(h.value());
        ASSERT_RESULT_OK(p);
        ASSERT_EQ(p.value().size(), 1u);
        EXPECT_EQ(p.value()[0].challenge, bare.challenge);
        EXPECT_TRUE(p.value()[0].tokenKey.empty());
        EXPECT_FALSE(p.value()[0].maxAge);
    }
    EXPECT_RESULT_ERROR(formatWwwAuthenticate(PrivateTokenChallenge { Bytes(1, 0), {}, {} }),
        TokenError::InvalidLength);
}

// What @cloudflare/privacypass-ts's WWWAuthenticateHeader.toString() sends by
// default: unquoted values with '=' padding. Several challenges in one field,
// scheme in another case, extra spaces and empty list elements.
TEST(PrivacyPassWwwAuthenticate, AcceptsUnquotedPaddedValuesAndLists)
{
    const Bytes challenge = hex("0002000e6973737565722e6578616d706c6500000000"); // 22 bytes
    const std::string b64 = base64UrlEncode(challenge, Base64Padding::Include);
    ASSERT_EQ(b64.back(), '=');
    const std::string key = base64UrlEncode(hex("01020304"), Base64Padding::Include);
    auto parsed = parseWwwAuthenticate(" , Basic realm=\"x, y\", privatetoken challenge=" + b64
        + ",token-key=" + key + " ,, MAX-AGE = 0 ,PrivateToken   challenge=\"" + b64
        + "\", Negotiate abc==, Bearer");
    ASSERT_RESULT_OK(parsed);
    ASSERT_EQ(parsed.value().size(), 2u);
    EXPECT_EQ(parsed.value()[0].challenge, challenge);
    EXPECT_EQ(parsed.value()[0].tokenKey, hex("01020304"));
    EXPECT_EQ(parsed.value()[0].maxAge, 0u);
    EXPECT_EQ(parsed.value()[1].challenge, challenge);
    EXPECT_TRUE(parsed.value()[1].tokenKey.empty());
    // Only other schemes: an empty list, not an error.
    auto none = parseWwwAuthenticate("Basic realm=\"a\\\"b\"");
    ASSERT_RESULT_OK(none);
    EXPECT_TRUE(none.value().empty());
}

TEST(PrivacyPassWwwAuthenticate, Rejections)
{
    const std::string c
        = "\"" + base64UrlEncode(hex("0002000161000000"), Base64Padding::Include) + "\"";
    const std::string good = "PrivateToken challenge=" + c;
    ASSERT_RESULT_OK(parseWwwAuthenticate(good));
    const struct {
        std::string value;
        TokenError code;
    } cases[] = {
        { "PrivateToken", TokenError::MalformedHeader },                        // no challenge
        { "PrivateToken token-key=\"AAAA\"", TokenError::MalformedHeader },     // no challenge
        { "PrivateToken abcdef==", TokenError::MalformedHeader },               // token68
        { good + ", challenge=" + c, TokenError::MalformedHeader },             // duplicate
        { good + ", Challenge=" + c, TokenError::MalformedHeader },             // duplicate (case)
        { "PrivateToken challenge=\"AAIA", TokenError::MalformedHeader },       // unterminated
        { "PrivateToken challenge=\"AA\x01IA\"", TokenError::MalformedHeader }, // control char
        { "PrivateToken challenge=\"AAI+AA==\"", TokenError::MalformedHeader }, // std alphabet
        { "PrivateToken challenge=\"AAIAAA=\"", TokenError::MalformedHeader },  // bad padding
        { "PrivateToken challenge=\"AAIAA===\"", TokenError::MalformedHeader }, // bad padding
        { "PrivateToken challenge=\"\"", TokenError::InvalidLength },           // empty
        { "PrivateToken challenge=\"AA==\"", TokenError::InvalidLength },       // 1 byte
        { good + ", token-key=\"\"", TokenError::MalformedHeader },             // empty key
        { good + ", token-key=\"a*b\"", TokenError::MalformedHeader },
        { good + ", max-age=\"\"", TokenError::MalformedHeader },
        { good + ", max-age=-1", TokenError::MalformedHeader },
        { good + ", max-age=1.5", TokenError::MalformedHeader },
        { good + ", max-age=abc", TokenError::MalformedHeader },
        { good + ", max-age=99999999999999999999", TokenError::MalformedHeader },
        { good + " junk", TokenError::MalformedHeader },      // text after a parameter
        { good + ", =x", TokenError::MalformedHeader },       // no name
        { "PrivateToken=" + c, TokenError::MalformedHeader }, // no space after the scheme
        { "\"PrivateToken\" challenge=" + c, TokenError::MalformedHeader },
        { "PrivateToken challenge=" + c + "x", TokenError::MalformedHeader },
        { "Basic a==b", TokenError::MalformedHeader }, // broken token68 in another scheme
        { "PrivateToken challenge=\xc3\xa9", TokenError::MalformedHeader }, // not a token
    };
    for (const auto &tc : cases) {
        SCOPED_TRACE(tc.value);
        EXPECT_RESULT_ERROR(parseWwwAuthenticate(tc.value), tc.code);
    }
    EXPECT_RESULT_ERROR(
        parseWwwAuthenticate(good + ", x=\"" + std::string(kMaxAuthHeaderLength, 'a') + "\""),
        TokenError::MalformedHeader);
}

// Every prefix of a valid field ending inside the challenge value fails;
// every prefix parses or fails without crashing.
TEST(PrivacyPassWwwAuthenticate, TruncatedAtEveryByte)
{
    const auto j = test::readJson("privacypass/rfc9577-auth-scheme-vectors.json");
    const std::string header = j["http_header_vectors"][2]["www_authenticate"].get<std::string>();
    const size_t challengeValue = header.find("PrivateToken challenge=\"") + 24;
    const size_t challengeEnd = header.find('"', challengeValue);
    ASSERT_NE(challengeEnd, std::string::npos);
    for (size_t n = 0; n < header.size(); ++n) {
        auto r = parseWwwAuthenticate(std::string_view(header).substr(0, n));
        if (n >= challengeValue - 1 && n <= challengeEnd) {
            EXPECT_FALSE(r.ok()) << "prefix of " << n;
        }
    }
}

TEST(PrivacyPassAuthorization, FormatsWithPaddingRules)
{
    const Bytes tokenBytes = vectorToken();
    auto token = Token::decode(tokenBytes);
    ASSERT_RESULT_OK(token);
    // 354 bytes: a whole number of base64 quanta, so no padding and no quotes.
    const std::string header = formatAuthorization(token.value());
    EXPECT_EQ(header, "PrivateToken token=" + base64UrlEncode(tokenBytes));
    EXPECT_EQ(base64UrlEncode(tokenBytes, Base64Padding::Include), base64UrlEncode(tokenBytes));
    EXPECT_EQ(base64UrlEncode(hex("fb"), Base64Padding::Include), "-w==");
    EXPECT_EQ(base64UrlEncode(hex("fbff"), Base64Padding::Include), "-_8=");
    EXPECT_EQ(base64UrlDecode("-w=="), hex("fb"));
    EXPECT_EQ(base64UrlDecode("-w"), hex("fb"));
    EXPECT_FALSE(base64UrlDecode("-w="));
    EXPECT_FALSE(base64UrlDecode("-w==="));
    EXPECT_FALSE(base64UrlDecode("-_8=="));
    EXPECT_FALSE(base64UrlDecode("="));
    EXPECT_EQ(base64UrlDecode(""), Bytes {});
}

TEST(PrivacyPassAuthorization, StrictCredentials)
{
    const Bytes tokenBytes = vectorToken();
    const std::string b64 = base64UrlEncode(tokenBytes);
    EXPECT_RESULT_OK(parseAuthorization("PrivateToken token=" + b64));
    EXPECT_RESULT_OK(parseAuthorization("  PRIVATETOKEN   TOKEN = \"" + b64 + "\" , x=y  "));
    EXPECT_RESULT_OK(parseAuthorization("PrivateToken extensions=\"AAA=\", token=" + b64));
    // A quoted-pair inside the value is unescaped before base64url decoding.
    EXPECT_RESULT_OK(
        parseAuthorization("PrivateToken token=\"\\" + b64.substr(0, 1) + b64.substr(1) + "\""));

    const std::string cases[] = {
        "",
        "PrivateToken",
        "PrivateToken " + b64,                                       // token68
        "PrivateToken token=" + b64 + ", token=" + b64,              // duplicate
        "PrivateToken token=" + b64 + ", PrivateToken token=" + b64, // two credentials
        "PrivateToken token=" + b64 + " trailing",
        "PrivateToken token=" + b64 + ";",
        "Bearer token=" + b64,
        "PrivateToken token=\"" + b64,
        "PrivateToken token=" + b64 + "=", // padding that does not fit
        "PrivateToken token=" + b64.substr(0, b64.size() - 1) + "+",
        "PrivateToken token=" + std::string(kMaxAuthHeaderLength, 'A'),
    };
    for (const auto &value : cases) {
        SCOPED_TRACE(value.substr(0, 60));
        EXPECT_RESULT_ERROR(parseAuthorization(value), TokenError::MalformedHeader);
    }
    // Well-formed field, wrong contents: the Token decoder's own errors.
    EXPECT_RESULT_ERROR(parseAuthorization("PrivateToken token=AAI="), TokenError::Truncated);
    Bytes wrongType = tokenBytes;
    wrongType[1] = 0x01;
    EXPECT_RESULT_ERROR(parseAuthorization("PrivateToken token=" + base64UrlEncode(wrongType)),
        TokenError::WrongTokenType);
    Bytes longer = tokenBytes;
    longer.push_back(0);
    EXPECT_RESULT_ERROR(parseAuthorization("PrivateToken token=\""
                            + base64UrlEncode(longer, Base64Padding::Include) + "\""),
        TokenError::TrailingBytes);
}

// The whole exchange as Sotto runs it: the origin's challenge in
// WWW-Authenticate, issuance with the key from that header, the token back in
// Authorization, verification against the exact challenge bytes.
TEST(PrivacyPassAuthorization, ChallengeToVerifiedToken)
{
    const auto vectors = test::readJson("privacypass/rfc9578-type2-vectors.json");
    const Bytes pem = hex(vectors[0]["skS"].get<std::string>());
    auto sk = crypto::BlindRsaPrivateKey::fromPem(asString(pem));
    ASSERT_RESULT_OK(sk);
    TokenChallenge tc;
    tc.issuerName = toBytes("pp.example.org");
    tc.originInfo = toBytes("gateway.example.org");
    auto encoded = tc.encode();
    ASSERT_RESULT_OK(encoded);
    PrivateTokenChallenge offer { encoded.value(), hex(vectors[0]["pkS"].get<std::string>()), 60 };
    auto header = formatWwwAuthenticate(offer);
    ASSERT_RESULT_OK(header);

    auto got = parseWwwAuthenticate(header.value());
    ASSERT_RESULT_OK(got);
    ASSERT_EQ(got.value().size(), 1u);
    ASSERT_EQ(got.value()[0].tokenType(), kTokenTypeBlindRsa);
    auto issuer = IssuerPublicKey::fromSpkiDer(got.value()[0].tokenKey);
    ASSERT_RESULT_OK(issuer);
    auto req = createTokenRequest(got.value()[0].challenge, issuer.value());
    ASSERT_RESULT_OK(req);
    auto resp = evaluateTokenRequest(sk.value(), issuer.value(), req.value().request);
    ASSERT_RESULT_OK(resp);
    auto token = finalizeToken(req.value().state, issuer.value(), resp.value());
    ASSERT_RESULT_OK(token);

    auto presented = parseAuthorization(formatAuthorization(token.value()));
    ASSERT_RESULT_OK(presented);
    EXPECT_RESULT_OK(verifyToken(presented.value(), issuer.value(), encoded.value()));
    auto otherOrigin = tc;
    otherOrigin.originInfo = toBytes("elsewhere.example");
    EXPECT_RESULT_ERROR(
        verifyToken(presented.value(), issuer.value(), otherOrigin.encode().value()),
        TokenError::WrongChallenge);
}

} // namespace
} // namespace sotto::privacypass
