// SPDX-License-Identifier: GPL-3.0-or-later
// Privacy Pass publicly verifiable tokens: token type 0x0002, Blind RSA
// (RFC 9578 Section 6), the TokenChallenge (RFC 9577 Section 2.1.1) and the
// Token (RFC 9577 Section 2.2). Nk = 256 (RSA-2048).
#pragma once

#include "protocol/common/result.h"
#include "protocol/crypto/blind_rsa.h"

#include <array>
#include <string_view>

namespace sotto::privacypass {

enum class TokenError {
    Truncated,        // fewer bytes than the structure needs
    TrailingBytes,    // more bytes than the structure holds
    WrongTokenType,   // not 0x0002
    InvalidLength,    // a length prefix out of its RFC range
    WrongKeyId,       // token_key_id / truncated id does not match the issuer key
    WrongChallenge,   // challenge_digest does not match the expected challenge
    InvalidSignature, // the authenticator does not verify
    InvalidKey,       // the issuer key is not RSA-2048
    IssuanceFailed,   // blind/blind-sign/finalize failed
    MalformedHeader,  // an Authorization value that is not PrivateToken token=<base64url>
};

std::string_view errorName(TokenError e);

template <class T> using TokenResult = Result<T, TokenError>;
using TokenStatus = Status<TokenError>;

inline constexpr uint16_t kTokenTypeBlindRsa = 0x0002;
inline constexpr size_t kNk = 256;
inline constexpr size_t kNonceLength = 32;

// RFC 9577 Section 2.1.1.
struct TokenChallenge {
    uint16_t tokenType = kTokenTypeBlindRsa;
    Bytes issuerName;        // <1..2^16-1>
    Bytes redemptionContext; // 0 or 32 bytes
    Bytes originInfo;        // <0..2^16-1>

    static TokenResult<TokenChallenge> decode(ByteView data);
    TokenResult<Bytes> encode() const;
};

// RFC 9578 Section 6.1.
struct TokenRequest {
    uint8_t truncatedTokenKeyId = 0;
    Bytes blindedMsg; // Nk

    static TokenResult<TokenRequest> decode(ByteView data);
    Bytes encode() const;
};

// RFC 9578 Section 6.2.
struct TokenResponse {
    Bytes blindSig; // Nk

    static TokenResult<TokenResponse> decode(ByteView data);
    Bytes encode() const { return blindSig; }
};

// RFC 9577 Section 2.2.
struct Token {
    uint16_t tokenType = kTokenTypeBlindRsa;
    std::array<uint8_t, 32> nonce {};
    std::array<uint8_t, 32> challengeDigest {};
    std::array<uint8_t, 32> tokenKeyId {};
    Bytes authenticator; // Nk

    static TokenResult<Token> decode(ByteView data);
    Bytes encode() const;
    // The signed prefix: everything before the authenticator.
    Bytes authenticatorInput() const;
};

// An issuer public key as its RSASSA-PSS SPKI DER (RFC 9578 Section 6.5).
class IssuerPublicKey {
public:
    static TokenResult<IssuerPublicKey> fromSpkiDer(ByteView der);
    // The RSASSA-PSS SPKI of RFC 9578 Section 6.5 for an RSA-2048 key with
    // e = 65537 (the DER is then fixed but for n); InvalidKey otherwise.
    static TokenResult<Bytes> encodeSpki(const crypto::BlindRsaPublicKey &key);
    const std::array<uint8_t, 32> &tokenKeyId() const { return m_keyId; }
    uint8_t truncatedTokenKeyId() const { return m_keyId[31]; }
    const crypto::BlindRsaPublicKey &key() const { return m_key; }

private:
    crypto::BlindRsaPublicKey m_key;
    std::array<uint8_t, 32> m_keyId {};
};

// Client state between request and finalize.
struct ClientIssuanceState {
    Token partial; // all but the authenticator
    crypto::BlindingInverse inverse;
};

struct ClientRequest {
    TokenRequest request;
    ClientIssuanceState state;
};

// RFC 9578 Section 6.1. testNonce/testSalt/testInverse only for vectors.
TokenResult<ClientRequest> createTokenRequest(const Bytes &encodedChallenge,
    const IssuerPublicKey &issuer, const Bytes *testNonce = nullptr,
    const Bytes *testSalt = nullptr, const crypto::SecretBytes *testInverse = nullptr);
// RFC 9578 Section 6.3.
TokenResult<Token> finalizeToken(
    const ClientIssuanceState &state, const IssuerPublicKey &issuer, const TokenResponse &response);
// RFC 9578 Section 6.2: the issuer; the caller has picked the key by the truncated id.
TokenResult<TokenResponse> evaluateTokenRequest(const crypto::BlindRsaPrivateKey &sk,
    const IssuerPublicKey &issuer, const TokenRequest &request);
// RFC 9578 Section 6.4 / RFC 9577 Section 2.2: redemption check.
TokenStatus verifyToken(
    const Token &token, const IssuerPublicKey &issuer, const Bytes &expectedEncodedChallenge);

} // namespace sotto::privacypass
