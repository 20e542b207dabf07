// SPDX-License-Identifier: GPL-3.0-or-later
// Interop with an independent OHTTP peer on the npm HPKE packages
// (@hpke/core + @hpke/dhkem-x25519 + @hpke/chacha20poly1305; see npm/).
//
// Both directions, each with 100 random bodies (including empty and 64 KiB)
// and both AEADs:
//   npm client  -> our gateway: the peer seals, we open; we answer, the peer opens.
//   our client  -> npm gateway: we seal, the peer opens; the peer answers, we open.
#include "protocol/crypto/random.h"
#include "protocol/ohttp/ohttp.h"
#include "tests/interop/npm_peer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

using namespace sotto;
using nlohmann::json;

namespace {

constexpr int kInputsPerDirection = 100;

std::string peerDir()
{
    return SOTTO_NPM_PEER_DIR;
}

// Sizes: empty and 64 KiB always, the rest spread over 1 B .. 64 KiB.
std::vector<size_t> bodySizes(std::mt19937 &rng)
{
    std::vector<size_t> sizes { 0, 64 * 1024, 1, 1024 };
    std::uniform_int_distribution<size_t> small(0, 2048);
    std::uniform_int_distribution<size_t> large(0, 64 * 1024);
    while (sizes.size() < kInputsPerDirection)
        sizes.push_back(sizes.size() % 3 == 0 ? large(rng) : small(rng));
    return sizes;
}

Bytes randomBody(size_t n)
{
    return crypto::randomBytes(n);
}

Bytes unhex(const json &j)
{
    auto b = fromHex(j.get<std::string>());
    EXPECT_TRUE(b.has_value());
    return b.value_or(Bytes {});
}

class NpmOhttpInterop : public ::testing::TestWithParam<hpke::AeadId> {
protected:
    void SetUp() override
    {
        if (!std::filesystem::exists(peerDir() + "/node_modules/@hpke/core"))
            GTEST_SKIP() << "the npm peer is not installed (interop.npm_install was skipped: "
                            "npm registry unreachable?)";
        peer = std::make_unique<test::NpmPeer>("node", "ohttp-peer.mjs", peerDir());
        ASSERT_TRUE(peer->started()) << "cannot start node";
    }

    std::unique_ptr<test::NpmPeer> peer;
};

TEST_P(NpmOhttpInterop, NpmClientToOurGateway)
{
    const hpke::AeadId aead = GetParam();
    auto kp = hpke::KeyPair::generate(hpke::KemId::DhkemX25519Sha256);
    ASSERT_TRUE(kp);
    const ohttp::SymmetricSuite suites[] = { { hpke::KdfId::HkdfSha256, hpke::AeadId::Aes128Gcm },
        { hpke::KdfId::HkdfSha256, hpke::AeadId::ChaCha20Poly1305 } };
    auto key = ohttp::GatewayKey::create(0x2a, std::move(kp).value(), suites);
    ASSERT_TRUE(key);
    const std::string keyConfigHex = toHex(key->config().serialize());
    auto gateway = ohttp::Gateway::create({ std::move(key).value() });
    ASSERT_TRUE(gateway);

    std::mt19937 rng(0x5077);
    int checked = 0;
    for (size_t size : bodySizes(rng)) {
        const Bytes request = randomBody(size);
        const Bytes response = randomBody(size / 2 + 1);
        json sealed = peer->call({ { "op", "client_seal" }, { "keyConfig", keyConfigHex },
            { "aead", static_cast<int>(aead) }, { "request", toHex(request) } });
        ASSERT_FALSE(sealed.contains("error")) << sealed.dump();

        auto opened = gateway->decapsulateRequest(unhex(sealed["encapsulated"]));
        ASSERT_TRUE(opened) << ohttp::errorName(opened.error()) << ": " << opened.detail();
        ASSERT_EQ(opened->request.reveal(), request) << "size " << size;

        auto answer = opened->context.encapsulateResponse(response);
        ASSERT_TRUE(answer);
        json result = peer->call(
            { { "op", "client_open" }, { "id", sealed["id"] }, { "response", toHex(*answer) } });
        ASSERT_FALSE(result.contains("error")) << result.dump();
        ASSERT_EQ(unhex(result["response"]), response) << "size " << size;
        ++checked;
    }
    EXPECT_EQ(checked, kInputsPerDirection);
}

TEST_P(NpmOhttpInterop, OurClientToNpmGateway)
{
    const hpke::AeadId aead = GetParam();
    json keys = peer->call({ { "op", "keygen" }, { "keyId", 7 } });
    ASSERT_FALSE(keys.contains("error")) << keys.dump();
    auto config = ohttp::KeyConfig::parse(unhex(keys["keyConfig"]));
    ASSERT_TRUE(config) << config.detail();
    ASSERT_EQ(config->keyId(), 7);

    std::mt19937 rng(0x5078);
    int checked = 0;
    for (size_t size : bodySizes(rng)) {
        const Bytes request = randomBody(size);
        const Bytes response = randomBody(size / 3 + 2);
        auto sealed = ohttp::ClientRequest::encapsulate(
            *config, { hpke::KdfId::HkdfSha256, aead }, request);
        ASSERT_TRUE(sealed) << sealed.detail();

        json opened = peer->call(
            { { "op", "gateway_open" }, { "encapsulated", toHex(sealed->encapsulated) } });
        ASSERT_FALSE(opened.contains("error")) << opened.dump();
        ASSERT_EQ(unhex(opened["request"]), request) << "size " << size;

        json answer = peer->call(
            { { "op", "gateway_seal" }, { "id", opened["id"] }, { "response", toHex(response) } });
        ASSERT_FALSE(answer.contains("error")) << answer.dump();
        auto result = sealed->context.decapsulateResponse(unhex(answer["encapsulated"]));
        ASSERT_TRUE(result) << ohttp::errorName(result.error()) << ": " << result.detail();
        ASSERT_EQ(result->reveal(), response) << "size " << size;
        ++checked;
    }
    EXPECT_EQ(checked, kInputsPerDirection);
}

// The peer must also refuse what it should: our request with one flipped bit.
TEST_P(NpmOhttpInterop, NpmGatewayRefusesATamperedRequest)
{
    json keys = peer->call({ { "op", "keygen" }, { "keyId", 9 } });
    auto config = ohttp::KeyConfig::parse(unhex(keys["keyConfig"]));
    ASSERT_TRUE(config);
    auto sealed = ohttp::ClientRequest::encapsulate(
        *config, { hpke::KdfId::HkdfSha256, GetParam() }, toBytes("hello"));
    ASSERT_TRUE(sealed);
    Bytes tampered = sealed->encapsulated;
    tampered.back() ^= 0x80;
    json opened = peer->call({ { "op", "gateway_open" }, { "encapsulated", toHex(tampered) } });
    EXPECT_TRUE(opened.contains("error")) << opened.dump();
}

INSTANTIATE_TEST_SUITE_P(Aeads, NpmOhttpInterop,
    ::testing::Values(hpke::AeadId::Aes128Gcm, hpke::AeadId::ChaCha20Poly1305),
    [](const auto &param) {
        return param.param == hpke::AeadId::Aes128Gcm ? "Aes128Gcm" : "ChaCha20Poly1305";
    });

} // namespace
