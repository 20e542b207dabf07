// SPDX-License-Identifier: GPL-3.0-or-later
// RFC 9458 Appendix A, byte for byte: the key config and its
// application/ohttp-keys encoding, the Encapsulated Request from (pkR, skE,
// request), the gateway's view of it, the Encapsulated Response with the
// given response_nonce, and the client's view of that, with every
// intermediate value the API exposes.
#include "protocol/ohttp/detail.h"
#include "protocol/ohttp/ohttp.h"
#include "tests/ohttp/ohttp_test_util.h"

#include <gtest/gtest.h>

using namespace sotto;
using namespace sotto::ohttp;
using sotto::ohttp::fixtures::AppendixA;

namespace {

constexpr SymmetricSuite kAes128 { hpke::KdfId::HkdfSha256, hpke::AeadId::Aes128Gcm };

class AppendixATest : public ::testing::Test {
protected:
    void SetUp() override { a = AppendixA::load(); }

    hpke::KeyPair clientEphemeral() const
    {
        auto k = hpke::KeyPair::fromPrivateKey(hpke::KemId::DhkemX25519Sha256, a.clientSkE);
        EXPECT_TRUE(k.ok());
        return std::move(k).value();
    }

    KeyConfig config() const
    {
        auto c = KeyConfig::parse(a.keyConfig);
        EXPECT_OHTTP_OK(c);
        return std::move(c).value();
    }

    AppendixA a;
};

TEST_F(AppendixATest, FixtureLengthsAreTheActualOnes)
{
    // The RFC's HTTP examples say Content-Length 78 and 38; the bytes are 80 and 35.
    EXPECT_EQ(a.keyConfig.size(), 45u);
    EXPECT_EQ(a.requestBhttp.size(), 25u);
    EXPECT_EQ(a.encapsulatedRequest.size(), 80u);
    EXPECT_EQ(a.responseBhttp.size(), 3u);
    EXPECT_EQ(a.encapsulatedResponse.size(), 35u);
}

TEST_F(AppendixATest, KeyConfigParsesToItsFields)
{
    const KeyConfig c = config();
    EXPECT_EQ(c.keyId(), 1);
    EXPECT_EQ(c.kem(), hpke::KemId::DhkemX25519Sha256);
    EXPECT_EQ(c.publicKey(), a.gatewayPkR);
    const std::vector<SymmetricAlgorithm> expected { { 1, 1 }, { 1, 3 } };
    EXPECT_EQ(c.symmetricAlgorithms(), expected);
    const std::vector<SymmetricSuite> suites { kAes128,
        { hpke::KdfId::HkdfSha256, hpke::AeadId::ChaCha20Poly1305 } };
    EXPECT_EQ(c.supportedSuites(), suites);
    EXPECT_EQ(c.serialize(), a.keyConfig);
}

TEST_F(AppendixATest, GatewayBuildsTheSameKeyConfigAndKeyList)
{
    const Gateway gateway = fixtures::appendixAGateway(a);
    const auto configs = gateway.keyConfigs();
    ASSERT_EQ(configs.size(), 1u);
    EXPECT_EQ(configs[0].serialize(), a.keyConfig);
    const auto keys = gateway.encodedKeyConfigs();
    ASSERT_OHTTP_OK(keys);
    EXPECT_EQ(*keys, a.ohttpKeys);

    const auto list = parseKeyConfigList(a.ohttpKeys);
    ASSERT_OHTTP_OK(list);
    ASSERT_EQ(list->size(), 1u);
    EXPECT_EQ((*list)[0].keyId, 1);
    EXPECT_EQ((*list)[0].kemId, 0x0020);
    EXPECT_EQ((*list)[0].encoding, a.keyConfig);
    ASSERT_TRUE((*list)[0].config.has_value());
    EXPECT_EQ(*(*list)[0].config, config());
}

TEST_F(AppendixATest, HeaderAndInfo)
{
    const auto header = RequestHeader::fromRequest(a.encapsulatedRequest);
    ASSERT_OHTTP_OK(header);
    EXPECT_EQ(*header, (RequestHeader { 1, 0x0020, 0x0001, 0x0001 }));
    EXPECT_EQ(header->serialize(), sotto::test::hex("01002000010001"));
    EXPECT_EQ(header->hpkeInfo(), a.hpkeInfo);
}

TEST_F(AppendixATest, ClientEncapsulatesTheRequestByteForByte)
{
    const hpke::KeyPair skE = clientEphemeral();
    EXPECT_EQ(skE.publicKey(), a.clientPkE);
    ClientOptions options;
    options.ephemeralKeyForTesting = &skE;
    const auto request = ClientRequest::encapsulate(config(), kAes128, a.requestBhttp, options);
    ASSERT_OHTTP_OK(request);
    EXPECT_EQ(request->encapsulated, a.encapsulatedRequest);
    EXPECT_EQ(request->context.enc(), a.clientPkE);
    EXPECT_EQ(request->context.keyId(), 1);
    EXPECT_EQ(request->context.responseSecretForTesting().reveal(), a.responseSecret);
}

TEST_F(AppendixATest, GatewayDecapsulatesTheRequest)
{
    const Gateway gateway = fixtures::appendixAGateway(a);
    const auto request = gateway.decapsulateRequest(a.encapsulatedRequest);
    ASSERT_OHTTP_OK(request);
    EXPECT_EQ(request->request.reveal(), a.requestBhttp);
    EXPECT_EQ(request->context.keyId(), 1);
    EXPECT_EQ(request->context.enc(), a.clientPkE);
    EXPECT_EQ(request->context.suite(),
        (hpke::Suite {
            hpke::KemId::DhkemX25519Sha256, hpke::KdfId::HkdfSha256, hpke::AeadId::Aes128Gcm }));
    EXPECT_EQ(request->context.responseSecretForTesting().reveal(), a.responseSecret);
}

TEST_F(AppendixATest, ResponseKeySchedule)
{
    EXPECT_EQ(a.responseSalt, concat({ a.clientPkE, a.responseNonce }));
    const hpke::Suite suite { hpke::KemId::DhkemX25519Sha256, hpke::KdfId::HkdfSha256,
        hpke::AeadId::Aes128Gcm };
    EXPECT_EQ(responseNonceLength(suite.aead), 16u);
    const auto keys
        = detail::deriveResponseKeys(suite, a.responseSecret, a.clientPkE, a.responseNonce);
    ASSERT_OHTTP_OK(keys);
    EXPECT_EQ(keys->prk.reveal(), a.responsePrk);
    EXPECT_EQ(keys->key.reveal(), a.responseKey);
    EXPECT_EQ(keys->nonce.reveal(), a.responseAeadNonce);
}

TEST_F(AppendixATest, GatewayEncapsulatesTheResponseByteForByte)
{
    const Gateway gateway = fixtures::appendixAGateway(a);
    const auto request = gateway.decapsulateRequest(a.encapsulatedRequest);
    ASSERT_OHTTP_OK(request);
    const auto response
        = request->context.encapsulateResponseWithNonceForTesting(a.responseBhttp, a.responseNonce);
    ASSERT_OHTTP_OK(response);
    EXPECT_EQ(*response, a.encapsulatedResponse);
}

TEST_F(AppendixATest, ClientDecapsulatesTheResponse)
{
    const hpke::KeyPair skE = clientEphemeral();
    ClientOptions options;
    options.ephemeralKeyForTesting = &skE;
    const auto request = ClientRequest::encapsulate(config(), kAes128, a.requestBhttp, options);
    ASSERT_OHTTP_OK(request);
    const auto response = request->context.decapsulateResponse(a.encapsulatedResponse);
    ASSERT_OHTTP_OK(response);
    EXPECT_EQ(response->reveal(), a.responseBhttp);
}

TEST_F(AppendixATest, GatewayResponseWithRandomNonceOpensAtTheClient)
{
    const Gateway gateway = fixtures::appendixAGateway(a);
    const hpke::KeyPair skE = clientEphemeral();
    ClientOptions options;
    options.ephemeralKeyForTesting = &skE;
    const auto request = ClientRequest::encapsulate(config(), kAes128, a.requestBhttp, options);
    ASSERT_OHTTP_OK(request);
    const auto atGateway = gateway.decapsulateRequest(request->encapsulated);
    ASSERT_OHTTP_OK(atGateway);
    const auto response = atGateway->context.encapsulateResponse(a.responseBhttp);
    ASSERT_OHTTP_OK(response);
    EXPECT_EQ(response->size(), a.encapsulatedResponse.size());
    EXPECT_NE(*response, a.encapsulatedResponse); // a fresh nonce, not the RFC's
    const auto opened = request->context.decapsulateResponse(*response);
    ASSERT_OHTTP_OK(opened);
    EXPECT_EQ(opened->reveal(), a.responseBhttp);
}

} // namespace
