// SPDX-License-Identifier: GPL-3.0-or-later
// RFC 9180 official test vectors (tests/data/hpke/README.md): every vector,
// every encryption, every export, on both the sender and the recipient side.
#include "protocol/hpke/hpke.h"
#include "tests/hpke/hpke_test_util.h"
#include "tests/support/testdata.h"

#include <gtest/gtest.h>

#include <array>
#include <string>

using namespace sotto;
using namespace sotto::hpke;
using sotto::test::hex;

namespace {

const char *kVectorFile = "hpke/rfc9180-test-vectors-filtered.json";

const nlohmann::json &vectors()
{
    static const nlohmann::json v = test::readJson(kVectorFile);
    return v;
}

// The file's contents as its README lists them; the test checks each vector
// against this row, so a reordered or shortened file cannot pass.
struct ExpectedVector {
    const char *name;
    int mode;
    int kem;
    int aead;
    size_t encryptions;
    size_t exports;
};

constexpr std::array<ExpectedVector, 13> kExpected { {
    { "X25519_Aes128Gcm_Base", 0, 0x20, 0x1, 257, 3 },
    { "X25519_Aes128Gcm_Psk", 1, 0x20, 0x1, 257, 3 },
    { "X25519_Aes128Gcm_Auth", 2, 0x20, 0x1, 257, 3 },
    { "X25519_Aes128Gcm_AuthPsk", 3, 0x20, 0x1, 257, 3 },
    { "X25519_ChaCha20Poly1305_Base", 0, 0x20, 0x3, 257, 3 },
    { "X25519_ChaCha20Poly1305_Psk", 1, 0x20, 0x3, 257, 3 },
    { "X25519_ChaCha20Poly1305_Auth", 2, 0x20, 0x3, 257, 3 },
    { "X25519_ChaCha20Poly1305_AuthPsk", 3, 0x20, 0x3, 257, 3 },
    { "X25519_ExportOnly_Base", 0, 0x20, 0xffff, 0, 3 },
    { "X25519_ExportOnly_Psk", 1, 0x20, 0xffff, 0, 3 },
    { "X25519_ExportOnly_Auth", 2, 0x20, 0xffff, 0, 3 },
    { "X25519_ExportOnly_AuthPsk", 3, 0x20, 0xffff, 0, 3 },
    { "P256_Aes128Gcm_Base", 0, 0x10, 0x1, 257, 3 },
} };

Bytes field(const nlohmann::json &v, const char *name)
{
    return v.contains(name) ? hex(v.at(name).get<std::string>()) : Bytes {};
}

// RFC 9180 Section 7.1.2: X25519's SerializePrivateKey clamps, while the JSON
// lists DeriveKeyPair's unclamped output. Both are the same X25519 scalar.
Bytes serializedPrivateKey(KemId kem, Bytes sk)
{
    if (kem == KemId::DhkemX25519Sha256 && sk.size() == 32) {
        sk[0] &= 248;
        sk[31] &= 127;
        sk[31] |= 64;
    }
    return sk;
}

// DeriveKeyPair(ikm) must give (sk, pk), and DeserializePrivateKey(sk) the
// same pk.
void checkDerivedKey(KemId kem, const nlohmann::json &v, const char *ikm, const char *sk,
    const char *pk, std::optional<KeyPair> &out)
{
    SCOPED_TRACE(ikm);
    auto derived = KeyPair::derive(kem, field(v, ikm));
    ASSERT_HPKE_OK(derived);
    EXPECT_EQ(toHex(derived->publicKey()), toHex(field(v, pk)));
    EXPECT_EQ(
        toHex(derived->privateKey().reveal()), toHex(serializedPrivateKey(kem, field(v, sk))));
    auto imported = KeyPair::fromPrivateKey(kem, field(v, sk));
    ASSERT_HPKE_OK(imported);
    EXPECT_EQ(toHex(imported->publicKey()), toHex(field(v, pk)));
    out.emplace(std::move(derived).value());
}

} // namespace

TEST(HpkeVectorFile, HasThirteenVectorsWith2313EncryptionsAnd39Exports)
{
    const auto &all = vectors();
    ASSERT_TRUE(all.is_array());
    ASSERT_EQ(all.size(), 13u);
    size_t encryptions = 0;
    size_t exports = 0;
    for (const auto &v : all) {
        encryptions += v.at("encryptions").size();
        exports += v.at("exports").size();
    }
    EXPECT_EQ(encryptions, 9u * 257u);
    EXPECT_EQ(exports, 39u);
}

class HpkeVector : public ::testing::TestWithParam<size_t> { };

TEST_P(HpkeVector, SenderAndRecipientReproduceTheVector)
{
    const ExpectedVector &want = kExpected.at(GetParam());
    ASSERT_GT(vectors().size(), GetParam());
    const nlohmann::json &v = vectors().at(GetParam());
    ASSERT_EQ(v.at("mode").get<int>(), want.mode);
    ASSERT_EQ(v.at("kem_id").get<int>(), want.kem);
    ASSERT_EQ(v.at("kdf_id").get<int>(), 1);
    ASSERT_EQ(v.at("aead_id").get<int>(), want.aead);

    auto suiteResult = Suite::create(v.at("kem_id").get<uint16_t>(), v.at("kdf_id").get<uint16_t>(),
        v.at("aead_id").get<uint16_t>());
    ASSERT_HPKE_OK(suiteResult);
    const Suite suite = *suiteResult;
    const bool auth = want.mode == 2 || want.mode == 3;

    // DeriveKeyPair (Section 7.1.3) for every key in the vector.
    std::optional<KeyPair> ephemeral, recipient, sender;
    checkDerivedKey(suite.kem, v, "ikmE", "skEm", "pkEm", ephemeral);
    checkDerivedKey(suite.kem, v, "ikmR", "skRm", "pkRm", recipient);
    if (auth)
        checkDerivedKey(suite.kem, v, "ikmS", "skSm", "pkSm", sender);
    ASSERT_TRUE(ephemeral && recipient && (!auth || sender));

    const Bytes info = field(v, "info");
    const Bytes psk = field(v, "psk");
    const Bytes pskId = field(v, "psk_id");
    EXPECT_EQ(psk.empty(), want.mode == 0 || want.mode == 2);
    const Bytes pkSm = field(v, "pkSm");

    SenderOptions so;
    so.info = info;
    so.psk = psk;
    so.pskId = pskId;
    so.senderKey = auth ? &*sender : nullptr;
    so.ephemeralKeyForTesting = &*ephemeral;
    auto setup = setupSender(suite, field(v, "pkRm"), so);
    ASSERT_HPKE_OK(setup);
    Context &sctx = setup->context;
    EXPECT_EQ(toHex(setup->enc), toHex(field(v, "enc")));
    EXPECT_EQ(toHex(sctx.keyForTesting().reveal()), toHex(field(v, "key")));
    EXPECT_EQ(toHex(sctx.baseNonceForTesting().reveal()), toHex(field(v, "base_nonce")));
    EXPECT_EQ(toHex(sctx.exporterSecretForTesting().reveal()), toHex(field(v, "exporter_secret")));

    RecipientOptions ro;
    ro.info = info;
    ro.psk = psk;
    ro.pskId = pskId;
    ro.senderPublicKey = auth ? ByteView(pkSm) : ByteView {};
    auto rctxResult = setupRecipient(suite, field(v, "enc"), *recipient, ro);
    ASSERT_HPKE_OK(rctxResult);
    Context &rctx = *rctxResult;
    EXPECT_EQ(toHex(rctx.keyForTesting().reveal()), toHex(field(v, "key")));
    EXPECT_EQ(toHex(rctx.baseNonceForTesting().reveal()), toHex(field(v, "base_nonce")));
    EXPECT_EQ(toHex(rctx.exporterSecretForTesting().reveal()), toHex(field(v, "exporter_secret")));

    // Section 5.2: every encryption, in sequence, sealed byte for byte and
    // opened by the recipient.
    size_t checked = 0;
    for (const auto &e : v.at("encryptions")) {
        SCOPED_TRACE("sequence number " + std::to_string(checked));
        const Bytes aad = field(e, "aad");
        const Bytes pt = field(e, "pt");
        const Bytes ct = field(e, "ct");
        ASSERT_EQ(sctx.sequence(), checked);
        auto sealed = sctx.seal(aad, pt);
        ASSERT_HPKE_OK(sealed);
        ASSERT_EQ(toHex(*sealed), toHex(ct));
        auto opened = rctx.open(aad, ct);
        ASSERT_HPKE_OK(opened);
        ASSERT_EQ(toHex(opened->reveal()), toHex(pt));
        ASSERT_EQ(rctx.sequence(), checked + 1);
        ++checked;
    }
    EXPECT_EQ(checked, want.encryptions);
    if (suite.aead == AeadId::ExportOnly) {
        EXPECT_HPKE_ERROR(sctx.seal({}, {}), HpkeError::ExportOnly);
        EXPECT_HPKE_ERROR(rctx.open({}, Bytes(16, 0)), HpkeError::ExportOnly);
    }

    // Section 5.3: every export on both sides.
    size_t exported = 0;
    for (const auto &x : v.at("exports")) {
        const Bytes exporterContext = field(x, "exporter_context");
        const size_t length = x.at("L").get<size_t>();
        const std::string value = x.at("exported_value").get<std::string>();
        auto fromSender = sctx.exportSecret(exporterContext, length);
        auto fromRecipient = rctx.exportSecret(exporterContext, length);
        ASSERT_HPKE_OK(fromSender);
        ASSERT_HPKE_OK(fromRecipient);
        EXPECT_EQ(toHex(fromSender->reveal()), value);
        EXPECT_EQ(toHex(fromRecipient->reveal()), value);
        ++exported;
    }
    EXPECT_EQ(exported, want.exports);

    // Section 6: the single-shot APIs give the same first ciphertext / export.
    if (want.encryptions > 0) {
        const auto &first = v.at("encryptions").at(0);
        auto sealed
            = hpke::seal(suite, field(v, "pkRm"), field(first, "aad"), field(first, "pt"), so);
        ASSERT_HPKE_OK(sealed);
        EXPECT_EQ(toHex(sealed->enc), toHex(field(v, "enc")));
        EXPECT_EQ(toHex(sealed->ciphertext), toHex(field(first, "ct")));
        auto opened = hpke::open(
            suite, field(v, "enc"), *recipient, field(first, "aad"), field(first, "ct"), ro);
        ASSERT_HPKE_OK(opened);
        EXPECT_EQ(toHex(opened->reveal()), toHex(field(first, "pt")));
    }
    const auto &firstExport = v.at("exports").at(0);
    const size_t length = firstExport.at("L").get<size_t>();
    auto sent
        = sendExport(suite, field(v, "pkRm"), field(firstExport, "exporter_context"), length, so);
    ASSERT_HPKE_OK(sent);
    EXPECT_EQ(toHex(sent->exported.reveal()), firstExport.at("exported_value").get<std::string>());
    auto received = receiveExport(
        suite, field(v, "enc"), *recipient, field(firstExport, "exporter_context"), length, ro);
    ASSERT_HPKE_OK(received);
    EXPECT_EQ(toHex(received->reveal()), firstExport.at("exported_value").get<std::string>());
}

INSTANTIATE_TEST_SUITE_P(Rfc9180, HpkeVector, ::testing::Range<size_t>(0, kExpected.size()),
    [](const ::testing::TestParamInfo<size_t> &param) {
        std::string n = std::to_string(param.param);
        return (n.size() < 2 ? "v0" : "v") + n + "_" + kExpected.at(param.param).name;
    });
