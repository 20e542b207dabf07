// SPDX-License-Identifier: GPL-3.0-or-later
// Assertions for OhttpResult (print the error name and detail on failure,
// check the exact code of a failure) and the RFC 9458 Appendix A fixture.
#pragma once

#include "protocol/ohttp/ohttp.h"
#include "tests/support/result_assert.h"
#include "tests/support/testdata.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>

namespace sotto::ohttp {

// GoogleTest finds this by argument-dependent lookup.
inline void PrintTo(OhttpError e, std::ostream *os)
{
    *os << errorName(e);
}

} // namespace sotto::ohttp

#define ASSERT_OHTTP_OK(expr) ASSERT_RESULT_OK(expr)
#define EXPECT_OHTTP_OK(expr) EXPECT_RESULT_OK(expr)
#define EXPECT_OHTTP_ERROR(expr, code) EXPECT_RESULT_ERROR(expr, code)

namespace sotto::ohttp::fixtures {

// The symmetric suites the tests use with HKDF-SHA256.
inline constexpr SymmetricSuite kAes128 { hpke::KdfId::HkdfSha256, hpke::AeadId::Aes128Gcm };
inline constexpr SymmetricSuite kAes256 { hpke::KdfId::HkdfSha256, hpke::AeadId::Aes256Gcm };
inline constexpr SymmetricSuite kChaCha { hpke::KdfId::HkdfSha256, hpke::AeadId::ChaCha20Poly1305 };

// tests/data/ohttp/rfc9458-appendix-a.json, decoded.
struct AppendixA {
    Bytes gatewaySkR;
    Bytes gatewayPkR;
    Bytes keyConfig;
    Bytes ohttpKeys;
    Bytes requestBhttp;
    Bytes clientSkE;
    Bytes clientPkE;
    Bytes hpkeInfo;
    Bytes encapsulatedRequest;
    Bytes responseBhttp;
    Bytes responseSecret;
    Bytes responseNonce;
    Bytes responseSalt;
    Bytes responsePrk;
    Bytes responseKey;
    Bytes responseAeadNonce;
    Bytes encapsulatedResponse;

    static AppendixA load()
    {
        const auto j = sotto::test::readJson("ohttp/rfc9458-appendix-a.json");
        auto h = [&](const char *name) { return sotto::test::hex(j.at(name).get<std::string>()); };
        return AppendixA { h("gateway_skR"), h("gateway_pkR"), h("key_config"),
            h("key_config_ohttp_keys_encoding_derived"), h("request_bhttp"), h("client_skE"),
            h("client_pkE_enc"), h("hpke_info"), h("encapsulated_request"), h("response_bhttp"),
            h("response_exported_secret"), h("response_nonce"), h("response_salt"),
            h("response_prk"), h("response_aead_key"), h("response_aead_nonce"),
            h("encapsulated_response") };
    }
};

// The gateway of Appendix A: X25519 key id 1 accepting (HKDF-SHA256,
// AES-128-GCM) and (HKDF-SHA256, ChaCha20-Poly1305), as in its key config.
inline Gateway appendixAGateway(const AppendixA &a)
{
    auto keyPair = hpke::KeyPair::fromPrivateKey(hpke::KemId::DhkemX25519Sha256, a.gatewaySkR);
    EXPECT_TRUE(keyPair.ok());
    const SymmetricSuite suites[] = { { hpke::KdfId::HkdfSha256, hpke::AeadId::Aes128Gcm },
        { hpke::KdfId::HkdfSha256, hpke::AeadId::ChaCha20Poly1305 } };
    auto key = GatewayKey::create(1, std::move(keyPair).value(), suites);
    EXPECT_OHTTP_OK(key);
    Gateway gateway;
    EXPECT_OHTTP_OK(gateway.addKey(std::move(key).value()));
    return gateway;
}

} // namespace sotto::ohttp::fixtures
