// SPDX-License-Identifier: GPL-3.0-or-later
// Fixed keys and contexts for the OHTTP fuzz targets (fuzz_ohttp_request,
// fuzz_ohttp_response) and the seeds in corpus/ohttp_*/, all derived from
// RFC 9458 Appendix A. tests/ohttp/tst_ohttp_fuzz_seeds.cpp checks these
// constants against tests/data/ohttp/rfc9458-appendix-a.json and that every
// seed file is exactly what seedFiles() builds.
//
// The gateway has two keys:
//   key id 1  the Appendix A X25519 key (gateway_skR), accepting
//             (HKDF-SHA256, AES-128-GCM) and (HKDF-SHA256, ChaCha20-Poly1305),
//             exactly its Appendix A key config;
//   key id 2  a P-256 key from DeriveKeyPair(kP256GatewayIkm), accepting all
//             three AEADs.
// The client contexts are Appendix A's request (request_bhttp) encapsulated
// with the ephemeral key client_skE (X25519) or DeriveKeyPair(kP256EphemeralIkm)
// (P-256), so the AES-128-GCM one is the RFC's exchange itself.
#pragma once

#include "protocol/ohttp/ohttp.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sotto::ohttp::fuzzfixture {

// RFC 9458 Appendix A.
inline constexpr std::string_view kGatewaySkR
    = "3c168975674b2fa8e465970b79c8dcf09f1c741626480bd4c6162fc5b6a98e1a";
inline constexpr std::string_view kClientSkE
    = "bc51d5e930bda26589890ac7032f70ad12e4ecb37abb1b65b1256c9c48999c73";
inline constexpr std::string_view kKeyConfig = "01002031e1f05a740102115220e9af918f738674aec95f54"
                                               "db6e04eb705aae8e79815500080001000100010003";
inline constexpr std::string_view kRequestBhttp
    = "00034745540568747470730b6578616d706c652e636f6d012f";
inline constexpr std::string_view kResponseBhttp = "0140c8";
inline constexpr std::string_view kResponseNonce = "c789e7151fcba46158ca84b04464910d";

// Not from the RFC: inputs to DeriveKeyPair for the P-256 keys.
inline constexpr std::string_view kP256GatewayIkm = "sotto fuzz_ohttp P-256 gateway key";
inline constexpr std::string_view kP256EphemeralIkm = "sotto fuzz_ohttp P-256 ephemeral key";

inline constexpr SymmetricSuite kAes128 { hpke::KdfId::HkdfSha256, hpke::AeadId::Aes128Gcm };
inline constexpr SymmetricSuite kAes256 { hpke::KdfId::HkdfSha256, hpke::AeadId::Aes256Gcm };
inline constexpr SymmetricSuite kChaCha { hpke::KdfId::HkdfSha256, hpke::AeadId::ChaCha20Poly1305 };

[[noreturn]] inline void die(const char *what)
{
    std::fprintf(stderr, "ohttp fuzz fixture: %s\n", what);
    std::abort();
}

template <class T, class E> T must(Result<T, E> r, const char *what)
{
    if (!r.ok())
        die(what);
    return std::move(r).value();
}

inline Bytes bytes(std::string_view hexText)
{
    auto b = fromHex(hexText);
    if (!b)
        die("bad hex constant");
    return *b;
}

inline hpke::KeyPair p256Key(std::string_view ikm)
{
    return must(hpke::KeyPair::derive(hpke::KemId::DhkemP256Sha256, asBytes(ikm)), "P-256 key");
}

inline Gateway makeGateway()
{
    Gateway gateway;
    const SymmetricSuite appendixA[] = { kAes128, kChaCha };
    const SymmetricSuite all[] = { kAes128, kAes256, kChaCha };
    auto x25519
        = must(hpke::KeyPair::fromPrivateKey(hpke::KemId::DhkemX25519Sha256, bytes(kGatewaySkR)),
            "gateway X25519 key");
    if (!gateway.addKey(must(GatewayKey::create(1, std::move(x25519), appendixA), "key 1")).ok())
        die("add key 1");
    if (!gateway.addKey(must(GatewayKey::create(2, p256Key(kP256GatewayIkm), all), "key 2")).ok())
        die("add key 2");
    return gateway;
}

// The client's side of one fixed exchange.
struct Exchange {
    const char *name; // seed file name
    ClientRequest request;
};

inline std::vector<Exchange> makeExchanges(const Gateway &gateway)
{
    const Bytes request = bytes(kRequestBhttp);
    const KeyConfig appendixA = must(KeyConfig::parse(bytes(kKeyConfig)), "Appendix A config");
    const hpke::KeyPair skE = must(
        hpke::KeyPair::fromPrivateKey(hpke::KemId::DhkemX25519Sha256, bytes(kClientSkE)), "skE");
    const hpke::KeyPair p256E = p256Key(kP256EphemeralIkm);
    const std::vector<KeyConfig> configs = gateway.keyConfigs(); // key 1, key 2
    if (configs.size() != 2 || configs[0] != appendixA)
        die("gateway configs");

    ClientOptions x25519Options;
    x25519Options.ephemeralKeyForTesting = &skE;
    ClientOptions p256Options;
    p256Options.ephemeralKeyForTesting = &p256E;
    std::vector<Exchange> out;
    out.push_back({ "rfc9458_a_x25519_aes128gcm",
        must(ClientRequest::encapsulate(appendixA, kAes128, request, x25519Options), "aes128") });
    out.push_back({ "rfc9458_a_x25519_chacha20poly1305",
        must(ClientRequest::encapsulate(appendixA, kChaCha, request, x25519Options), "chacha") });
    out.push_back({ "rfc9458_a_p256_aes256gcm",
        must(ClientRequest::encapsulate(configs[1], kAes256, request, p256Options), "p256") });
    return out;
}

// The response_nonce of each exchange: Appendix A's 16 bytes, repeated to
// reach max(Nn, Nk) = 32 for AES-256-GCM and ChaCha20-Poly1305.
inline Bytes responseNonceFor(const hpke::Suite &suite)
{
    const Bytes nonce = bytes(kResponseNonce);
    Bytes out;
    while (out.size() < responseNonceLength(suite.aead))
        out.insert(out.end(), nonce.begin(), nonce.end());
    out.resize(responseNonceLength(suite.aead));
    return out;
}

// Every seed: {"<target>/<file>", bytes}.
inline std::vector<std::pair<std::string, Bytes>> seedFiles()
{
    const Gateway gateway = makeGateway();
    std::vector<std::pair<std::string, Bytes>> seeds;
    seeds.emplace_back("ohttp_keys/rfc9458_a_key_config", bytes(kKeyConfig));
    seeds.emplace_back("ohttp_keys/rfc9458_a_ohttp_keys",
        must(serializeKeyConfigList(std::vector<KeyConfig> { gateway.keyConfigs()[0] }), "list"));
    seeds.emplace_back("ohttp_keys/rfc9458_a_plus_p256_ohttp_keys",
        must(gateway.encodedKeyConfigs(), "list of two"));
    for (const Exchange &e : makeExchanges(gateway)) {
        seeds.emplace_back(std::string("ohttp_request/") + e.name, e.request.encapsulated);
        const auto atGateway
            = must(gateway.decapsulateRequest(e.request.encapsulated), "seed decapsulation");
        seeds.emplace_back(std::string("ohttp_response/") + e.name,
            must(atGateway.context.encapsulateResponseWithNonceForTesting(
                     bytes(kResponseBhttp), responseNonceFor(atGateway.context.suite())),
                "seed response"));
    }
    return seeds;
}

} // namespace sotto::ohttp::fuzzfixture
