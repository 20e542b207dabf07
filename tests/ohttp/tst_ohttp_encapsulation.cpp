// SPDX-License-Identifier: GPL-3.0-or-later
// Encapsulated requests and responses (RFC 9458 Sections 4.1-4.4) beyond the
// Appendix A bytes: round trips for every supported KEM and AEAD and body
// sizes up to 64 KiB, key rotation, and every failure with its exact code
// (truncation at each byte, each header field, a flipped bit in each byte).
#include "protocol/ohttp/ohttp.h"
#include "tests/ohttp/ohttp_test_util.h"

#include "protocol/crypto/random.h"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

using namespace sotto;
using namespace sotto::ohttp;
using namespace sotto::ohttp::fixtures;
using sotto::test::hex;

namespace {

const std::vector<SymmetricSuite> kAllSuites { kAes128, kAes256, kChaCha };

hpke::KeyPair generate(hpke::KemId kem)
{
    auto k = hpke::KeyPair::generate(kem);
    EXPECT_TRUE(k.ok());
    return std::move(k).value();
}

GatewayKey gatewayKey(uint8_t keyId, hpke::KemId kem, const std::vector<SymmetricSuite> &suites)
{
    auto key = GatewayKey::create(keyId, generate(kem), suites);
    EXPECT_OHTTP_OK(key);
    return std::move(key).value();
}

const char *kemName(hpke::KemId kem)
{
    return kem == hpke::KemId::DhkemX25519Sha256 ? "X25519" : "P256";
}

const char *aeadName(hpke::AeadId aead)
{
    switch (aead) {
    case hpke::AeadId::Aes128Gcm:
        return "Aes128Gcm";
    case hpke::AeadId::Aes256Gcm:
        return "Aes256Gcm";
    case hpke::AeadId::ChaCha20Poly1305:
        return "ChaCha20Poly1305";
    case hpke::AeadId::ExportOnly:
        return "ExportOnly";
    }
    return "?";
}

Bytes flipped(ByteView in, size_t index, unsigned bit)
{
    Bytes out(in.begin(), in.end());
    out[index] ^= static_cast<uint8_t>(1u << bit);
    return out;
}

Bytes withHeader(ByteView request, const RequestHeader &header)
{
    Bytes out = header.serialize();
    out.insert(out.end(), request.begin() + RequestHeader::kSize, request.end());
    return out;
}

// --- Round trips -------------------------------------------------------------------------

class RoundTripTest
    : public ::testing::TestWithParam<std::tuple<hpke::KemId, SymmetricSuite, size_t>> { };

TEST_P(RoundTripTest, RequestAndResponse)
{
    const auto [kem, suite, size] = GetParam();
    Gateway gateway;
    ASSERT_OHTTP_OK(gateway.addKey(gatewayKey(0x42, kem, kAllSuites)));
    const auto keys = gateway.encodedKeyConfigs();
    ASSERT_OHTTP_OK(keys);
    const auto configs = parseSupportedKeyConfigs(*keys);
    ASSERT_OHTTP_OK(configs);
    ASSERT_EQ(configs->size(), 1u);

    const Bytes requestBody = crypto::randomBytes(size);
    const auto request = ClientRequest::encapsulate((*configs)[0], suite, requestBody);
    ASSERT_OHTTP_OK(request);
    // Section 4.1: hdr (7) || enc (Nenc) || ct (plaintext + 16-byte tag).
    EXPECT_EQ(request->encapsulated.size(), 7 + hpke::encLength(kem) + size + 16);
    EXPECT_EQ(request->context.keyId(), 0x42);
    EXPECT_EQ(request->context.suite(), (hpke::Suite { kem, suite.kdf, suite.aead }));

    const auto atGateway = gateway.decapsulateRequest(request->encapsulated);
    ASSERT_OHTTP_OK(atGateway);
    EXPECT_EQ(atGateway->request.reveal(), requestBody);
    EXPECT_EQ(atGateway->context.enc(), request->context.enc());
    EXPECT_EQ(atGateway->context.suite(), request->context.suite());

    const Bytes responseBody = crypto::randomBytes(size);
    const auto response = atGateway->context.encapsulateResponse(responseBody);
    ASSERT_OHTTP_OK(response);
    // Section 4.2: max(Nn, Nk) nonce || ct.
    EXPECT_EQ(response->size(), responseNonceLength(suite.aead) + size + 16);
    const auto opened = request->context.decapsulateResponse(*response);
    ASSERT_OHTTP_OK(opened);
    EXPECT_EQ(opened->reveal(), responseBody);
}

INSTANTIATE_TEST_SUITE_P(AllSuites, RoundTripTest,
    ::testing::Combine(
        ::testing::Values(hpke::KemId::DhkemX25519Sha256, hpke::KemId::DhkemP256Sha256),
        ::testing::ValuesIn(kAllSuites),
        ::testing::Values(size_t { 0 }, size_t { 1 }, size_t { 16 }, size_t { 1000 },
            size_t { 65535 }, size_t { 65536 })),
    [](const auto &param) {
        return std::string(kemName(std::get<0>(param.param))) + "_"
            + aeadName(std::get<1>(param.param).aead) + "_"
            + std::to_string(std::get<2>(param.param));
    });

TEST(EncapsulationTest, ResponseNonceLengthIsMaxOfNnAndNk)
{
    EXPECT_EQ(responseNonceLength(hpke::AeadId::Aes128Gcm), 16u);
    EXPECT_EQ(responseNonceLength(hpke::AeadId::Aes256Gcm), 32u);
    EXPECT_EQ(responseNonceLength(hpke::AeadId::ChaCha20Poly1305), 32u);
}

TEST(EncapsulationTest, EveryRequestUsesAFreshContext)
{
    // Section 6.1: "Clients MUST generate a new HPKE context for every request".
    const AppendixA a = AppendixA::load();
    const auto config = KeyConfig::parse(a.keyConfig);
    ASSERT_OHTTP_OK(config);
    const auto first = ClientRequest::encapsulate(*config, kAes128, a.requestBhttp);
    const auto second = ClientRequest::encapsulate(*config, kAes128, a.requestBhttp);
    ASSERT_OHTTP_OK(first);
    ASSERT_OHTTP_OK(second);
    EXPECT_NE(first->context.enc(), second->context.enc());
    EXPECT_NE(first->encapsulated, second->encapsulated);
    EXPECT_NE(first->context.enc(), a.clientPkE);
}

TEST(EncapsulationTest, EveryResponseUsesAFreshNonce)
{
    // Section 4.4 step 2: response_nonce is random for every response.
    const AppendixA a = AppendixA::load();
    const Gateway gateway = fixtures::appendixAGateway(a);
    const auto request = gateway.decapsulateRequest(a.encapsulatedRequest);
    ASSERT_OHTTP_OK(request);
    const auto first = request->context.encapsulateResponse(a.responseBhttp);
    const auto second = request->context.encapsulateResponse(a.responseBhttp);
    ASSERT_OHTTP_OK(first);
    ASSERT_OHTTP_OK(second);
    EXPECT_NE(
        Bytes(first->begin(), first->begin() + 16), Bytes(second->begin(), second->begin() + 16));
    EXPECT_NE(*first, *second);
}

TEST(EncapsulationTest, ReplayedRequestDecapsulatesWithTheSameEnc)
{
    // This layer has no replay protection (Section 6.5 leaves it to the
    // application); enc is what an application keys its replay cache on.
    const AppendixA a = AppendixA::load();
    const Gateway gateway = fixtures::appendixAGateway(a);
    const auto first = gateway.decapsulateRequest(a.encapsulatedRequest);
    const auto again = gateway.decapsulateRequest(a.encapsulatedRequest);
    ASSERT_OHTTP_OK(first);
    ASSERT_OHTTP_OK(again);
    EXPECT_EQ(first->context.enc(), again->context.enc());
}

// --- Client-side refusals -------------------------------------------------------------------

TEST(ClientTest, SuiteMustBeOfferedByTheConfig)
{
    const AppendixA a = AppendixA::load();
    const auto config = KeyConfig::parse(a.keyConfig); // offers AES-128-GCM and ChaCha20-Poly1305
    ASSERT_OHTTP_OK(config);
    EXPECT_OHTTP_OK(ClientRequest::encapsulate(*config, kChaCha, a.requestBhttp));
    EXPECT_OHTTP_ERROR(
        ClientRequest::encapsulate(*config, kAes256, a.requestBhttp), OhttpError::UnsupportedAead);
    EXPECT_OHTTP_ERROR(ClientRequest::encapsulate(*config,
                           { hpke::KdfId::HkdfSha256, hpke::AeadId::ExportOnly }, a.requestBhttp),
        OhttpError::UnsupportedAead);
    EXPECT_OHTTP_ERROR(
        ClientRequest::encapsulate(
            *config, { static_cast<hpke::KdfId>(2), hpke::AeadId::Aes128Gcm }, a.requestBhttp),
        OhttpError::UnsupportedKdf);
}

TEST(ClientTest, UnsupportedPairListedInTheConfigIsStillRefused)
{
    // A config may list pairs we lack; choosing one is refused by its own code.
    const AppendixA a = AppendixA::load();
    const auto config = KeyConfig::create(
        1, hpke::KemId::DhkemX25519Sha256, a.gatewayPkR, { { 2, 1 }, { 1, 0xffff }, { 1, 1 } });
    ASSERT_OHTTP_OK(config);
    EXPECT_OHTTP_ERROR(
        ClientRequest::encapsulate(
            *config, { static_cast<hpke::KdfId>(2), hpke::AeadId::Aes128Gcm }, a.requestBhttp),
        OhttpError::UnsupportedKdf);
    EXPECT_OHTTP_ERROR(ClientRequest::encapsulate(*config,
                           { hpke::KdfId::HkdfSha256, hpke::AeadId::ExportOnly }, a.requestBhttp),
        OhttpError::UnsupportedAead);
    EXPECT_OHTTP_OK(ClientRequest::encapsulate(*config, kAes128, a.requestBhttp));
}

TEST(ClientTest, EphemeralTestKeyMustMatchTheKem)
{
    const AppendixA a = AppendixA::load();
    const auto config = KeyConfig::parse(a.keyConfig);
    ASSERT_OHTTP_OK(config);
    const hpke::KeyPair p256 = generate(hpke::KemId::DhkemP256Sha256);
    ClientOptions options;
    options.ephemeralKeyForTesting = &p256;
    EXPECT_OHTTP_ERROR(ClientRequest::encapsulate(*config, kAes128, a.requestBhttp, options),
        OhttpError::InvalidArgument);
}

TEST(GatewayResponseTest, TestNonceMustHaveTheNonceLength)
{
    const AppendixA a = AppendixA::load();
    const Gateway gateway = fixtures::appendixAGateway(a);
    const auto request = gateway.decapsulateRequest(a.encapsulatedRequest);
    ASSERT_OHTTP_OK(request);
    for (size_t n : { size_t { 0 }, size_t { 12 }, size_t { 15 }, size_t { 17 }, size_t { 32 } }) {
        SCOPED_TRACE(n);
        EXPECT_OHTTP_ERROR(request->context.encapsulateResponseWithNonceForTesting(
                               a.responseBhttp, Bytes(n, 0x01)),
            OhttpError::InvalidArgument);
    }
}

// --- Gateway-side failures on the Appendix A request ------------------------------------------

class GatewayFailureTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        a = AppendixA::load();
        gateway = fixtures::appendixAGateway(a);
    }
    AppendixA a;
    Gateway gateway;
};

TEST_F(GatewayFailureTest, TruncationAtEveryByte)
{
    // hdr 7 bytes, enc 32, ct 41 (25-byte request + 16-byte tag).
    const size_t encEnd = RequestHeader::kSize + 32;
    for (size_t n = 0; n < a.encapsulatedRequest.size(); ++n) {
        SCOPED_TRACE("prefix of " + std::to_string(n) + " bytes");
        const auto result = gateway.decapsulateRequest(ByteView(a.encapsulatedRequest).first(n));
        if (n < encEnd + 16)
            EXPECT_OHTTP_ERROR(result, OhttpError::Truncated);
        else
            EXPECT_OHTTP_ERROR(result, OhttpError::DecryptionFailed);
    }
    EXPECT_OHTTP_ERROR(gateway.decapsulateRequest({}), OhttpError::Truncated);
}

TEST_F(GatewayFailureTest, TrailingGarbageBreaksTheTag)
{
    EXPECT_OHTTP_ERROR(gateway.decapsulateRequest(concat({ a.encapsulatedRequest, hex("00") })),
        OhttpError::DecryptionFailed);
}

TEST_F(GatewayFailureTest, HeaderFields)
{
    const RequestHeader original { 1, 0x0020, 0x0001, 0x0001 };
    auto with = [&](RequestHeader h) {
        return gateway.decapsulateRequest(withHeader(a.encapsulatedRequest, h));
    };
    RequestHeader h = original;
    h.keyId = 2;
    EXPECT_OHTTP_ERROR(with(h), OhttpError::UnknownKeyId);
    h = original;
    h.kemId = 0x0010; // P-256: a KEM we have, but not this key's
    EXPECT_OHTTP_ERROR(with(h), OhttpError::UnsupportedKem);
    h.kemId = 0x0021; // X448: a KEM we lack
    EXPECT_OHTTP_ERROR(with(h), OhttpError::UnsupportedKem);
    h = original;
    h.kdfId = 0x0002; // HKDF-SHA384
    EXPECT_OHTTP_ERROR(with(h), OhttpError::UnsupportedKdf);
    h = original;
    h.aeadId = 0x0002; // AES-256-GCM: supported, but not accepted for key 1
    EXPECT_OHTTP_ERROR(with(h), OhttpError::UnsupportedAead);
    h.aeadId = 0xffff; // export-only
    EXPECT_OHTTP_ERROR(with(h), OhttpError::UnsupportedAead);
    h.aeadId = 0x0003; // ChaCha20-Poly1305: accepted, but the header is in info
    EXPECT_OHTTP_ERROR(with(h), OhttpError::DecryptionFailed);
}

TEST_F(GatewayFailureTest, FlippedBitInEveryByte)
{
    const Bytes &request = a.encapsulatedRequest;
    for (size_t i = 0; i < request.size(); ++i) {
        for (unsigned bit = 0; bit < 8; ++bit) {
            SCOPED_TRACE("byte " + std::to_string(i) + " bit " + std::to_string(bit));
            const auto result = gateway.decapsulateRequest(flipped(request, i, bit));
            OhttpError expected = OhttpError::DecryptionFailed; // enc, ciphertext and tag
            if (i == 0)
                expected = OhttpError::UnknownKeyId;
            else if (i <= 2)
                expected = OhttpError::UnsupportedKem;
            else if (i <= 4)
                expected = OhttpError::UnsupportedKdf;
            else if (i <= 6)
                // AEAD 0x0001 with bit 1 of the last byte flipped is 0x0003,
                // which key 1 accepts: it gets as far as the AEAD.
                expected = (i == 6 && bit == 1) ? OhttpError::DecryptionFailed
                                                : OhttpError::UnsupportedAead;
            EXPECT_OHTTP_ERROR(result, expected);
        }
    }
}

TEST_F(GatewayFailureTest, LowOrderX25519EncIsInvalid)
{
    // enc = 0 is a small-order point: the DH output is all zero (RFC 9180 7.1.4).
    const Bytes request = concat({ hex("01002000010001"), Bytes(32, 0), Bytes(41, 0x5a) });
    EXPECT_OHTTP_ERROR(gateway.decapsulateRequest(request), OhttpError::InvalidEncapsulatedKey);
}

TEST(GatewayP256Test, FlippedBitInEncIsAnInvalidKey)
{
    Gateway gateway;
    ASSERT_OHTTP_OK(gateway.addKey(gatewayKey(9, hpke::KemId::DhkemP256Sha256, { kAes128 })));
    const auto request = ClientRequest::encapsulate(gateway.keyConfigs()[0], kAes128, hex("00"));
    ASSERT_OHTTP_OK(request);
    const Bytes &wire = request->encapsulated;
    ASSERT_EQ(wire.size(), 7u + 65 + 1 + 16);
    // A changed coordinate is off the curve (a 2^-256 chance otherwise); a
    // changed 0x04 prefix is not an uncompressed point.
    for (size_t i = 7; i < 7 + 65; ++i) {
        SCOPED_TRACE("byte " + std::to_string(i));
        EXPECT_OHTTP_ERROR(gateway.decapsulateRequest(flipped(wire, i, i % 8)),
            OhttpError::InvalidEncapsulatedKey);
    }
    for (size_t i = 7 + 65; i < wire.size(); ++i) {
        SCOPED_TRACE("byte " + std::to_string(i));
        EXPECT_OHTTP_ERROR(
            gateway.decapsulateRequest(flipped(wire, i, i % 8)), OhttpError::DecryptionFailed);
    }
    EXPECT_OHTTP_OK(gateway.decapsulateRequest(wire));
}

// --- Client-side failures on the Appendix A response -------------------------------------------

class ClientFailureTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        a = AppendixA::load();
        auto skE = hpke::KeyPair::fromPrivateKey(hpke::KemId::DhkemX25519Sha256, a.clientSkE);
        ASSERT_TRUE(skE.ok());
        ephemeral.emplace(std::move(skE).value());
        auto config = KeyConfig::parse(a.keyConfig);
        ASSERT_OHTTP_OK(config);
        ClientOptions options;
        options.ephemeralKeyForTesting = &*ephemeral;
        auto r = ClientRequest::encapsulate(*config, kAes128, a.requestBhttp, options);
        ASSERT_OHTTP_OK(r);
        request.emplace(std::move(r).value());
        ASSERT_OHTTP_OK(request->context.decapsulateResponse(a.encapsulatedResponse));
    }
    AppendixA a;
    std::optional<hpke::KeyPair> ephemeral;
    std::optional<ClientRequest> request;
};

TEST_F(ClientFailureTest, TruncationAtEveryByte)
{
    // 16-byte nonce + 16-byte tag = 32: shorter cannot be a response.
    for (size_t n = 0; n < a.encapsulatedResponse.size(); ++n) {
        SCOPED_TRACE("prefix of " + std::to_string(n) + " bytes");
        const auto result
            = request->context.decapsulateResponse(ByteView(a.encapsulatedResponse).first(n));
        EXPECT_OHTTP_ERROR(
            result, n < 32 ? OhttpError::ResponseTooShort : OhttpError::DecryptionFailed);
    }
}

TEST_F(ClientFailureTest, TrailingGarbage)
{
    EXPECT_OHTTP_ERROR(
        request->context.decapsulateResponse(concat({ a.encapsulatedResponse, hex("00") })),
        OhttpError::DecryptionFailed);
}

TEST_F(ClientFailureTest, FlippedBitInEveryByte)
{
    // Nonce (it feeds the salt), ciphertext and tag alike.
    for (size_t i = 0; i < a.encapsulatedResponse.size(); ++i) {
        for (unsigned bit = 0; bit < 8; ++bit) {
            SCOPED_TRACE("byte " + std::to_string(i) + " bit " + std::to_string(bit));
            EXPECT_OHTTP_ERROR(
                request->context.decapsulateResponse(flipped(a.encapsulatedResponse, i, bit)),
                OhttpError::DecryptionFailed);
        }
    }
}

TEST_F(ClientFailureTest, ResponseToAnotherRequest)
{
    // The same request sealed again with a fresh ephemeral key: the gateway's
    // response to it is bound to that enc and that context's secret.
    auto config = KeyConfig::parse(a.keyConfig);
    ASSERT_OHTTP_OK(config);
    const auto other = ClientRequest::encapsulate(*config, kAes128, a.requestBhttp);
    ASSERT_OHTTP_OK(other);
    const Gateway gateway = fixtures::appendixAGateway(a);
    const auto atGateway = gateway.decapsulateRequest(other->encapsulated);
    ASSERT_OHTTP_OK(atGateway);
    const auto response = atGateway->context.encapsulateResponseWithNonceForTesting(
        a.responseBhttp, a.responseNonce);
    ASSERT_OHTTP_OK(response);
    EXPECT_OHTTP_OK(other->context.decapsulateResponse(*response));
    EXPECT_OHTTP_ERROR(
        request->context.decapsulateResponse(*response), OhttpError::DecryptionFailed);
    EXPECT_OHTTP_ERROR(
        other->context.decapsulateResponse(a.encapsulatedResponse), OhttpError::DecryptionFailed);
}

TEST_F(ClientFailureTest, LongerNonceOfAnotherAead)
{
    // A ChaCha20-Poly1305 context expects a 32-byte nonce: 35 bytes are too
    // short for nonce and tag.
    auto config = KeyConfig::parse(a.keyConfig);
    ASSERT_OHTTP_OK(config);
    const auto chacha = ClientRequest::encapsulate(*config, kChaCha, a.requestBhttp);
    ASSERT_OHTTP_OK(chacha);
    EXPECT_OHTTP_ERROR(
        chacha->context.decapsulateResponse(a.encapsulatedResponse), OhttpError::ResponseTooShort);
}

// --- Key rotation (Section 6.4) ---------------------------------------------------------------

TEST(GatewayRotationTest, OverlappingKeysBothWorkAndARemovedKeyIsUnknown)
{
    Gateway gateway;
    ASSERT_OHTTP_OK(gateway.addKey(gatewayKey(1, hpke::KemId::DhkemX25519Sha256, { kAes128 })));
    const auto oldKeys = gateway.encodedKeyConfigs();
    ASSERT_OHTTP_OK(oldKeys);
    const auto oldConfigs = parseSupportedKeyConfigs(*oldKeys);
    ASSERT_OHTTP_OK(oldConfigs);

    // Rotation starts: the new key is added next to the old one.
    ASSERT_OHTTP_OK(gateway.addKey(gatewayKey(2, hpke::KemId::DhkemP256Sha256, { kChaCha })));
    EXPECT_EQ(gateway.keyCount(), 2u);
    const auto bothKeys = gateway.encodedKeyConfigs();
    ASSERT_OHTTP_OK(bothKeys);
    const auto bothConfigs = parseSupportedKeyConfigs(*bothKeys);
    ASSERT_OHTTP_OK(bothConfigs);
    ASSERT_EQ(bothConfigs->size(), 2u);
    EXPECT_EQ((*bothConfigs)[0], (*oldConfigs)[0]);
    EXPECT_EQ((*bothConfigs)[1].keyId(), 2);

    const Bytes body = hex("0140c8");
    const auto toOld = ClientRequest::encapsulate((*oldConfigs)[0], kAes128, body);
    const auto toNew = ClientRequest::encapsulate((*bothConfigs)[1], kChaCha, body);
    ASSERT_OHTTP_OK(toOld);
    ASSERT_OHTTP_OK(toNew);
    for (const ClientRequest *r : { &*toOld, &*toNew }) {
        const auto opened = gateway.decapsulateRequest(r->encapsulated);
        ASSERT_OHTTP_OK(opened);
        EXPECT_EQ(opened->request.reveal(), body);
        EXPECT_EQ(opened->context.keyId(), r->context.keyId());
        const auto response = opened->context.encapsulateResponse(body);
        ASSERT_OHTTP_OK(response);
        EXPECT_OHTTP_OK(r->context.decapsulateResponse(*response));
    }

    // Rotation ends: the old key goes, its requests are now unknown.
    EXPECT_TRUE(gateway.removeKey(1));
    EXPECT_FALSE(gateway.removeKey(1));
    EXPECT_FALSE(gateway.hasKey(1));
    EXPECT_OHTTP_ERROR(gateway.decapsulateRequest(toOld->encapsulated), OhttpError::UnknownKeyId);
    EXPECT_OHTTP_OK(gateway.decapsulateRequest(toNew->encapsulated));
    const auto newKeys = gateway.encodedKeyConfigs();
    ASSERT_OHTTP_OK(newKeys);
    const auto newConfigs = parseSupportedKeyConfigs(*newKeys);
    ASSERT_OHTTP_OK(newConfigs);
    ASSERT_EQ(newConfigs->size(), 1u);
    EXPECT_EQ((*newConfigs)[0].keyId(), 2);
}

TEST(GatewayRotationTest, KeyIdsAreUnique)
{
    Gateway gateway;
    ASSERT_OHTTP_OK(gateway.addKey(gatewayKey(1, hpke::KemId::DhkemX25519Sha256, { kAes128 })));
    EXPECT_OHTTP_ERROR(gateway.addKey(gatewayKey(1, hpke::KemId::DhkemP256Sha256, { kAes128 })),
        OhttpError::DuplicateKeyId);
    EXPECT_EQ(gateway.keyCount(), 1u);

    std::vector<GatewayKey> keys;
    keys.push_back(gatewayKey(3, hpke::KemId::DhkemX25519Sha256, { kAes128 }));
    keys.push_back(gatewayKey(3, hpke::KemId::DhkemX25519Sha256, { kChaCha }));
    EXPECT_OHTTP_ERROR(Gateway::create(std::move(keys)), OhttpError::DuplicateKeyId);

    std::vector<GatewayKey> distinct;
    distinct.push_back(gatewayKey(4, hpke::KemId::DhkemX25519Sha256, { kAes128 }));
    distinct.push_back(gatewayKey(0, hpke::KemId::DhkemP256Sha256, { kChaCha }));
    const auto created = Gateway::create(std::move(distinct));
    ASSERT_OHTTP_OK(created);
    const auto configs = created->keyConfigs();
    ASSERT_EQ(configs.size(), 2u);
    EXPECT_EQ(configs[0].keyId(), 0); // by ascending key id
    EXPECT_EQ(configs[1].keyId(), 4);
}

TEST(GatewayRotationTest, GatewayWithoutKeys)
{
    const Gateway gateway;
    EXPECT_OHTTP_ERROR(gateway.encodedKeyConfigs(), OhttpError::InvalidKeyList);
    const AppendixA a = AppendixA::load();
    EXPECT_OHTTP_ERROR(gateway.decapsulateRequest(a.encapsulatedRequest), OhttpError::UnknownKeyId);
}

} // namespace
