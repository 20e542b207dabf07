// SPDX-License-Identifier: GPL-3.0-or-later
// Oblivious HTTP, RFC 9458: encapsulation of Binary HTTP (RFC 9292) requests
// and responses with HPKE (RFC 9180), for the client and the gateway.
//
//   Client:  ClientRequest::encapsulate(config, suite, bhttpRequest)
//              -> encapsulated bytes (message/ohttp-req) + ClientContext
//            context.decapsulateResponse(message/ohttp-res bytes) -> plaintext
//   Gateway: Gateway{GatewayKey...}.decapsulateRequest(message/ohttp-req bytes)
//              -> plaintext + GatewayResponseContext
//            context.encapsulateResponse(bhttpResponse) -> message/ohttp-res bytes
//
// Plaintexts are SecretBytes: they are a user's messages. Section numbers
// are those of RFC 9458 unless another document is named.
#pragma once

#include "protocol/common/bytes.h"
#include "protocol/crypto/secret_bytes.h"
#include "protocol/hpke/hpke.h"
#include "protocol/ohttp/error.h"
#include "protocol/ohttp/http.h"
#include "protocol/ohttp/key_config.h"

#include <cstdint>
#include <map>
#include <vector>

namespace sotto::ohttp {

using crypto::SecretBytes;

// The 7-byte header of an Encapsulated Request (Section 4.1), hdr in
// Section 4.3. The ids are kept as sent: the gateway judges them.
struct RequestHeader {
    static constexpr size_t kSize = 7;

    uint8_t keyId = 0;
    uint16_t kemId = 0;
    uint16_t kdfId = 0;
    uint16_t aeadId = 0;

    // Reads the header at the start of an Encapsulated Request (the rest of
    // the input is not looked at). Truncated when fewer than 7 bytes.
    static OhttpResult<RequestHeader> fromRequest(ByteView encapsulatedRequest);
    Bytes serialize() const;
    // Section 4.3 step 2: "message/bhttp request" || 0x00 || hdr.
    Bytes hpkeInfo() const;

    friend bool operator==(const RequestHeader &, const RequestHeader &) = default;
};

// Section 4.2: max(Nn, Nk) of the AEAD, the length of response_nonce and of
// the secret exported for the response. 0 for export-only.
size_t responseNonceLength(hpke::AeadId aead);

// --- Client (Sections 4.3 and 4.4) ---------------------------------------

struct ClientOptions {
    // Deterministic encapsulation for test vectors (RFC 9458 Appendix A fixes
    // skE). Leave null in production: Section 6.1 requires a new HPKE context,
    // and so a fresh ephemeral key, for every request.
    const hpke::KeyPair *ephemeralKeyForTesting = nullptr;
};

// What the client keeps to open the response to one request: the suite, enc
// and the secret exported for the response (Section 4.4). The HPKE sending
// context itself is dropped after the request is sealed.
class ClientContext {
public:
    // Section 4.4, the client's side: parse response_nonce || ct, derive the
    // AEAD key and nonce as the gateway did, Open. ResponseTooShort when the
    // input cannot hold the nonce and the tag; DecryptionFailed when it does
    // not authenticate (altered, or meant for another request).
    OhttpResult<SecretBytes> decapsulateResponse(ByteView encapsulatedResponse) const;

    uint8_t keyId() const { return m_keyId; }
    const hpke::Suite &suite() const { return m_suite; }
    const Bytes &enc() const { return m_enc; }
    // For test vectors only: Export("message/bhttp response", max(Nn, Nk)).
    const SecretBytes &responseSecretForTesting() const { return m_secret; }

private:
    friend struct ClientRequest;
    ClientContext(uint8_t keyId, hpke::Suite suite, Bytes enc, SecretBytes secret);
    uint8_t m_keyId;
    hpke::Suite m_suite;
    Bytes m_enc;
    SecretBytes m_secret;
};

struct ClientRequest {
    Bytes encapsulated; // hdr || enc || ct, the message/ohttp-req content
    ClientContext context;

    // Section 4.3: seals `bhttpRequest` for the gateway of `config` with the
    // chosen KDF/AEAD pair, which must be one the config offers
    // (UnsupportedKdf / UnsupportedAead otherwise).
    static OhttpResult<ClientRequest> encapsulate(const KeyConfig &config, SymmetricSuite suite,
        ByteView bhttpRequest, const ClientOptions &options = {});
};

// --- Gateway (Sections 4.3 and 4.4) ---------------------------------------

// One key the gateway accepts requests for: the HPKE key pair, its key id and
// the KDF/AEAD pairs accepted with it; config() is what clients are given.
class GatewayKey {
public:
    // See KeyConfig::forGateway for what is refused.
    static OhttpResult<GatewayKey> create(
        uint8_t keyId, hpke::KeyPair keyPair, std::span<const SymmetricSuite> accepted);

    uint8_t keyId() const { return m_config.keyId(); }
    const KeyConfig &config() const { return m_config; }
    const hpke::KeyPair &keyPair() const { return m_keyPair; }

private:
    GatewayKey(hpke::KeyPair keyPair, KeyConfig config);
    hpke::KeyPair m_keyPair;
    KeyConfig m_config;
};

// What the gateway keeps to answer one request: the suite, enc and the secret
// exported for the response (Section 4.4). Nothing here can open the request.
class GatewayResponseContext {
public:
    // Section 4.4: a fresh random response_nonce of max(Nn, Nk) bytes, then
    // response_nonce || Seal(aead_key, aead_nonce, "", response). Each call
    // draws a new nonce, so every response gets its own key and nonce.
    OhttpResult<Bytes> encapsulateResponse(ByteView bhttpResponse) const;
    // For test vectors only (RFC 9458 Appendix A fixes response_nonce). A
    // repeated nonce would reuse the AEAD key and nonce: never in production.
    OhttpResult<Bytes> encapsulateResponseWithNonceForTesting(
        ByteView bhttpResponse, ByteView responseNonce) const;

    uint8_t keyId() const { return m_keyId; }
    const hpke::Suite &suite() const { return m_suite; }
    // enc is unique per request; Section 6.5 suggests it as the anti-replay key.
    const Bytes &enc() const { return m_enc; }
    // For test vectors only: Export("message/bhttp response", max(Nn, Nk)).
    const SecretBytes &responseSecretForTesting() const { return m_secret; }

private:
    friend class Gateway;
    GatewayResponseContext(uint8_t keyId, hpke::Suite suite, Bytes enc, SecretBytes secret);
    uint8_t m_keyId;
    hpke::Suite m_suite;
    Bytes m_enc;
    SecretBytes m_secret;
};

struct DecapsulatedRequest {
    SecretBytes request; // the Binary HTTP request
    GatewayResponseContext context;
};

// The keys of one Oblivious Gateway Resource, by key id. More than one key is
// how rotation works (Section 6.4): add the new key, publish both configs,
// remove the old key once clients have moved on; a request for a removed key
// then fails with UnknownKeyId. The gateway never tries other keys than the
// one the key id names (trial decryption would partition clients, Section 7).
//
// decapsulateRequest is const and may run concurrently; addKey/removeKey must
// not run at the same time as anything else (swap whole Gateway objects, e.g.
// behind a shared_ptr, to rotate under load).
class Gateway {
public:
    Gateway() = default;
    // DuplicateKeyId when two keys share a key id.
    static OhttpResult<Gateway> create(std::vector<GatewayKey> keys);

    OhttpStatus addKey(GatewayKey key);
    // False when there was no such key.
    bool removeKey(uint8_t keyId);
    bool hasKey(uint8_t keyId) const { return m_keys.count(keyId) != 0; }
    size_t keyCount() const { return m_keys.size(); }

    // The configs of all keys, by ascending key id.
    std::vector<KeyConfig> keyConfigs() const;
    // The application/ohttp-keys body to publish. InvalidKeyList when the
    // gateway has no key (an empty list is not a valid body, Section 3.2).
    OhttpResult<Bytes> encodedKeyConfigs() const;

    // Section 4.3, the gateway's side. Failures, in the order they are checked:
    // Truncated (no full header), UnknownKeyId, UnsupportedKem (not the key's
    // KEM), UnsupportedKdf / UnsupportedAead (a pair not accepted for the
    // key), Truncated (no full enc, or a ciphertext shorter than the tag),
    // InvalidEncapsulatedKey, DecryptionFailed. Map a failure to the plain
    // HTTP answer with gatewayErrorResponse() (http.h).
    OhttpResult<DecapsulatedRequest> decapsulateRequest(ByteView encapsulatedRequest) const;

private:
    std::map<uint8_t, GatewayKey> m_keys;
};

} // namespace sotto::ohttp
