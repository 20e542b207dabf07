// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/privacypass/token.h"

#include "protocol/common/wire.h"
#include "protocol/crypto/constant_time.h"
#include "protocol/crypto/hash.h"
#include "protocol/crypto/random.h"

#include <algorithm>
#include <string>

namespace sotto::privacypass {

std::string_view errorName(TokenError e)
{
    switch (e) {
    case TokenError::Truncated:
        return "Truncated";
    case TokenError::TrailingBytes:
        return "TrailingBytes";
    case TokenError::WrongTokenType:
        return "WrongTokenType";
    case TokenError::InvalidLength:
        return "InvalidLength";
    case TokenError::WrongKeyId:
        return "WrongKeyId";
    case TokenError::WrongChallenge:
        return "WrongChallenge";
    case TokenError::InvalidSignature:
        return "InvalidSignature";
    case TokenError::InvalidKey:
        return "InvalidKey";
    case TokenError::IssuanceFailed:
        return "IssuanceFailed";
    case TokenError::MalformedHeader:
        return "MalformedHeader";
    }
    return "Unknown";
}

namespace {

std::string sizes(size_t expected, size_t got)
{
    return "expected " + std::to_string(expected) + " bytes, got " + std::to_string(got);
}

TokenStatus checkType(uint16_t type)
{
    if (type != kTokenTypeBlindRsa)
        return fail(
            TokenError::WrongTokenType, "token type " + std::to_string(type) + ", expected 2");
    return Done {};
}

template <size_t N> void copyTo(std::array<uint8_t, N> &out, ByteView in)
{
    std::copy(in.begin(), in.end(), out.begin());
}

} // namespace

TokenResult<TokenChallenge> TokenChallenge::decode(ByteView data)
{
    WireReader r(data);
    TokenChallenge c;
    auto type = r.u16();
    if (!type)
        return fail(TokenError::Truncated, "token_type");
    c.tokenType = *type;
    auto issuerLen = r.u16();
    if (!issuerLen)
        return fail(TokenError::Truncated, "issuer_name length");
    if (*issuerLen == 0)
        return fail(TokenError::InvalidLength, "issuer_name is empty, expected 1..65535 bytes");
    auto issuer = r.bytes(*issuerLen);
    if (!issuer)
        return fail(TokenError::Truncated, "issuer_name");
    auto ctxLen = r.u8();
    if (!ctxLen)
        return fail(TokenError::Truncated, "redemption_context length");
    // RFC 9577 Section 2.1.1: redemption_context is empty or 32 bytes.
    if (*ctxLen != 0 && *ctxLen != 32)
        return fail(TokenError::InvalidLength,
            "redemption_context of " + std::to_string(*ctxLen) + " bytes, expected 0 or 32");
    auto ctx = r.bytes(*ctxLen);
    if (!ctx)
        return fail(TokenError::Truncated, "redemption_context");
    auto originLen = r.u16();
    if (!originLen)
        return fail(TokenError::Truncated, "origin_info length");
    auto origin = r.bytes(*originLen);
    if (!origin)
        return fail(TokenError::Truncated, "origin_info");
    if (!r.empty())
        return fail(TokenError::TrailingBytes, std::to_string(r.remaining()) + " trailing bytes");
    c.issuerName.assign(issuer->begin(), issuer->end());
    c.redemptionContext.assign(ctx->begin(), ctx->end());
    c.originInfo.assign(origin->begin(), origin->end());
    return c;
}

TokenResult<Bytes> TokenChallenge::encode() const
{
    if (issuerName.empty() || issuerName.size() > 0xffff)
        return fail(TokenError::InvalidLength, "issuer_name must be 1..65535 bytes");
    if (!redemptionContext.empty() && redemptionContext.size() != 32)
        return fail(TokenError::InvalidLength, "redemption_context must be 0 or 32 bytes");
    if (originInfo.size() > 0xffff)
        return fail(TokenError::InvalidLength, "origin_info must be at most 65535 bytes");
    WireWriter w;
    w.u16(tokenType);
    w.u16(static_cast<uint16_t>(issuerName.size()));
    w.bytes(issuerName);
    w.u8(static_cast<uint8_t>(redemptionContext.size()));
    w.bytes(redemptionContext);
    w.u16(static_cast<uint16_t>(originInfo.size()));
    w.bytes(originInfo);
    return std::move(w).take();
}

TokenResult<TokenRequest> TokenRequest::decode(ByteView data)
{
    constexpr size_t kLen = 2 + 1 + kNk;
    if (data.size() < kLen)
        return fail(TokenError::Truncated, "TokenRequest: " + sizes(kLen, data.size()));
    if (data.size() > kLen)
        return fail(TokenError::TrailingBytes, "TokenRequest: " + sizes(kLen, data.size()));
    WireReader r(data);
    SOTTO_TRY(auto ok, checkType(*r.u16()));
    (void)ok;
    TokenRequest req;
    req.truncatedTokenKeyId = *r.u8();
    ByteView blinded = *r.bytes(kNk);
    req.blindedMsg.assign(blinded.begin(), blinded.end());
    return req;
}

Bytes TokenRequest::encode() const
{
    WireWriter w;
    w.u16(kTokenTypeBlindRsa);
    w.u8(truncatedTokenKeyId);
    w.bytes(blindedMsg);
    return std::move(w).take();
}

TokenResult<TokenResponse> TokenResponse::decode(ByteView data)
{
    if (data.size() < kNk)
        return fail(TokenError::Truncated, "TokenResponse: " + sizes(kNk, data.size()));
    if (data.size() > kNk)
        return fail(TokenError::TrailingBytes, "TokenResponse: " + sizes(kNk, data.size()));
    return TokenResponse { Bytes(data.begin(), data.end()) };
}

TokenResult<Token> Token::decode(ByteView data)
{
    constexpr size_t kLen = 2 + 32 + 32 + 32 + kNk;
    if (data.size() < 2)
        return fail(TokenError::Truncated, "Token: " + sizes(kLen, data.size()));
    WireReader r(data);
    SOTTO_TRY(auto ok, checkType(*r.u16()));
    (void)ok;
    if (data.size() < kLen)
        return fail(TokenError::Truncated, "Token: " + sizes(kLen, data.size()));
    if (data.size() > kLen)
        return fail(TokenError::TrailingBytes, "Token: " + sizes(kLen, data.size()));
    Token t;
    copyTo(t.nonce, *r.bytes(32));
    copyTo(t.challengeDigest, *r.bytes(32));
    copyTo(t.tokenKeyId, *r.bytes(32));
    ByteView auth = *r.bytes(kNk);
    t.authenticator.assign(auth.begin(), auth.end());
    return t;
}

Bytes Token::authenticatorInput() const
{
    WireWriter w;
    w.u16(tokenType);
    w.bytes(nonce);
    w.bytes(challengeDigest);
    w.bytes(tokenKeyId);
    return std::move(w).take();
}

Bytes Token::encode() const
{
    Bytes out = authenticatorInput();
    out.insert(out.end(), authenticator.begin(), authenticator.end());
    return out;
}

TokenResult<IssuerPublicKey> IssuerPublicKey::fromSpkiDer(ByteView der)
{
    auto key = crypto::BlindRsaPublicKey::fromSpkiDer(der);
    if (!key.ok())
        return fail(TokenError::InvalidKey, key.detail());
    if (key.value().modulusBytes() != kNk)
        return fail(TokenError::InvalidKey,
            "modulus of " + std::to_string(key.value().modulusBits()) + " bits, expected 2048");
    IssuerPublicKey k;
    k.m_key = key.value();
    // RFC 9578 Section 6.5: token_key_id = SHA-256 of the exact SPKI bytes.
    copyTo(k.m_keyId, crypto::sha256(der));
    return k;
}

TokenResult<Bytes> IssuerPublicKey::encodeSpki(const crypto::BlindRsaPublicKey &key)
{
    // SubjectPublicKeyInfo { id-RSASSA-PSS, RSASSA-PSS-params { SHA-384,
    // MGF1-SHA-384, saltLength 48 } } with the SHA-384 AlgorithmIdentifiers
    // without NULL parameters, exactly as RFC 9578's pkS (the hash of these
    // bytes is token_key_id, so every byte matters).
    static constexpr uint8_t kPrefix[] = { 0x30, 0x82, 0x01, 0x52, 0x30, 0x3d, 0x06, 0x09, 0x2a,
        0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a, 0x30, 0x30, 0xa0, 0x0d, 0x30, 0x0b, 0x06,
        0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0xa1, 0x1a, 0x30, 0x18, 0x06,
        0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08, 0x30, 0x0b, 0x06, 0x09, 0x60,
        0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0xa2, 0x03, 0x02, 0x01, 0x30, 0x03, 0x82,
        0x01, 0x0f, 0x00, 0x30, 0x82, 0x01, 0x0a, 0x02, 0x82, 0x01, 0x01, 0x00 };
    static constexpr uint8_t kExponent[] = { 0x02, 0x03, 0x01, 0x00, 0x01 };
    const Bytes e = key.publicExponent();
    if (key.modulusBits() != 2048 || e != Bytes { 0x01, 0x00, 0x01 })
        return fail(TokenError::InvalidKey,
            "expected RSA-2048 with e = 65537, got " + std::to_string(key.modulusBits()) + " bits");
    Bytes out(std::begin(kPrefix), std::end(kPrefix));
    const Bytes n = key.modulus();
    out.insert(out.end(), n.begin(), n.end());
    out.insert(out.end(), std::begin(kExponent), std::end(kExponent));
    return out;
}

TokenResult<ClientRequest> createTokenRequest(const Bytes &encodedChallenge,
    const IssuerPublicKey &issuer, const Bytes *testNonce, const Bytes *testSalt,
    const crypto::SecretBytes *testInverse)
{
    SOTTO_TRY(auto challenge, TokenChallenge::decode(encodedChallenge));
    SOTTO_TRY(auto ok, checkType(challenge.tokenType));
    (void)ok;
    ClientRequest out;
    Token &t = out.state.partial;
    Bytes nonce = testNonce ? *testNonce : crypto::randomBytes(kNonceLength);
    if (nonce.size() != kNonceLength)
        return fail(TokenError::InvalidLength, "nonce: " + sizes(kNonceLength, nonce.size()));
    copyTo(t.nonce, nonce);
    copyTo(t.challengeDigest, crypto::sha256(encodedChallenge));
    t.tokenKeyId = issuer.tokenKeyId();
    const Bytes input = t.authenticatorInput();
    std::optional<ByteView> salt;
    if (testSalt)
        salt = ByteView(*testSalt);
    auto blinded = crypto::blindRsaBlind(
        issuer.key(), input, crypto::kBlindRsaSaltLengthPss, salt, testInverse);
    if (!blinded.ok())
        return fail(TokenError::IssuanceFailed, blinded.detail());
    out.request.truncatedTokenKeyId = issuer.truncatedTokenKeyId();
    out.request.blindedMsg = blinded.value().blindedMessage;
    out.state.inverse = blinded.value().inverse;
    return out;
}

TokenResult<Token> finalizeToken(
    const ClientIssuanceState &state, const IssuerPublicKey &issuer, const TokenResponse &response)
{
    Token t = state.partial;
    auto sig = crypto::blindRsaFinalize(issuer.key(), t.authenticatorInput(),
        crypto::kBlindRsaSaltLengthPss, response.blindSig, state.inverse);
    if (!sig.ok())
        return fail(TokenError::InvalidSignature, sig.detail());
    t.authenticator = sig.value();
    return t;
}

TokenResult<TokenResponse> evaluateTokenRequest(const crypto::BlindRsaPrivateKey &sk,
    const IssuerPublicKey &issuer, const TokenRequest &request)
{
    if (request.truncatedTokenKeyId != issuer.truncatedTokenKeyId())
        return fail(TokenError::WrongKeyId,
            "truncated_token_key_id " + std::to_string(request.truncatedTokenKeyId) + ", expected "
                + std::to_string(issuer.truncatedTokenKeyId()));
    auto sig = crypto::blindRsaBlindSign(sk, request.blindedMsg);
    if (!sig.ok())
        return fail(TokenError::IssuanceFailed, sig.detail());
    return TokenResponse { sig.value() };
}

TokenStatus verifyToken(
    const Token &token, const IssuerPublicKey &issuer, const Bytes &expectedEncodedChallenge)
{
    SOTTO_TRY(auto ok, checkType(token.tokenType));
    (void)ok;
    if (!crypto::constantTimeEqual(token.tokenKeyId, issuer.tokenKeyId()))
        return fail(TokenError::WrongKeyId, "token_key_id does not match the issuer key");
    const Bytes digest = crypto::sha256(expectedEncodedChallenge);
    if (!crypto::constantTimeEqual(token.challengeDigest, digest))
        return fail(TokenError::WrongChallenge, "challenge_digest does not match the challenge");
    auto v = crypto::blindRsaVerify(issuer.key(), token.authenticatorInput(),
        crypto::kBlindRsaSaltLengthPss, token.authenticator);
    if (!v.ok())
        return fail(TokenError::InvalidSignature, v.detail());
    return Done {};
}

} // namespace sotto::privacypass
