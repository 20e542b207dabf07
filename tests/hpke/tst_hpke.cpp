// SPDX-License-Identifier: GPL-3.0-or-later
// HPKE (RFC 9180) beyond the official vectors: round trips for every supported
// suite and mode with random keys, and the failure paths with their exact
// error codes.
#include "protocol/hpke/hpke.h"
#include "tests/hpke/hpke_test_util.h"
#include "tests/support/testdata.h"

#include "protocol/crypto/random.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <initializer_list>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

using namespace sotto;
using namespace sotto::hpke;
using sotto::test::hex;

namespace {

const Suite kX25519Aes128 { KemId::DhkemX25519Sha256, KdfId::HkdfSha256, AeadId::Aes128Gcm };
const Suite kP256Aes128 { KemId::DhkemP256Sha256, KdfId::HkdfSha256, AeadId::Aes128Gcm };

const Bytes kInfo = toBytes("Sotto HPKE test info");
const Bytes kPskId = toBytes("Sotto test psk id");

const char *kemName(KemId kem)
{
    return kem == KemId::DhkemX25519Sha256 ? "X25519" : "P256";
}

const char *aeadName(AeadId aead)
{
    switch (aead) {
    case AeadId::Aes128Gcm:
        return "Aes128Gcm";
    case AeadId::Aes256Gcm:
        return "Aes256Gcm";
    case AeadId::ChaCha20Poly1305:
        return "ChaCha20Poly1305";
    case AeadId::ExportOnly:
        return "ExportOnly";
    }
    return "?";
}

const char *modeName(Mode mode)
{
    switch (mode) {
    case Mode::Base:
        return "Base";
    case Mode::Psk:
        return "Psk";
    case Mode::Auth:
        return "Auth";
    case Mode::AuthPsk:
        return "AuthPsk";
    }
    return "?";
}

KeyPair mustGenerate(KemId kem)
{
    auto k = KeyPair::generate(kem);
    EXPECT_HPKE_OK(k);
    return std::move(k).value();
}

// A sender and a recipient context set up for one suite and mode, with the
// inputs kept alive for the test body.
struct Pair {
    Suite suite;
    Mode mode;
    KeyPair recipient;
    std::optional<KeyPair> sender;
    Bytes psk;
    SenderOptions senderOptions;
    RecipientOptions recipientOptions;
};

Pair makePair(const Suite &suite, Mode mode)
{
    Pair p { suite, mode, mustGenerate(suite.kem), std::nullopt, {}, {}, {} };
    const bool auth = mode == Mode::Auth || mode == Mode::AuthPsk;
    const bool psk = mode == Mode::Psk || mode == Mode::AuthPsk;
    if (auth)
        p.sender.emplace(mustGenerate(suite.kem));
    if (psk)
        p.psk = crypto::randomBytes(32);
    return p;
}

// Options point into `p`, so they are filled once `p` has its final address.
void fillOptions(Pair &p)
{
    const bool psk = !p.psk.empty();
    p.senderOptions.info = kInfo;
    p.recipientOptions.info = kInfo;
    if (psk) {
        p.senderOptions.psk = p.psk;
        p.senderOptions.pskId = kPskId;
        p.recipientOptions.psk = p.psk;
        p.recipientOptions.pskId = kPskId;
    }
    if (p.sender) {
        p.senderOptions.senderKey = &*p.sender;
        p.recipientOptions.senderPublicKey = p.sender->publicKey();
    }
}

Bytes flipBit(Bytes b, size_t bit)
{
    b.at(bit / 8) ^= static_cast<uint8_t>(1u << (bit % 8));
    return b;
}

// X25519 public keys whose DH output is all zero for every private key: the
// small-order points of Curve25519 and their non-canonical encodings
// (RFC 7748 Section 6.1 describes the check; the list is the well-known one
// of points of order 1, 2, 4 and 8).
const char *kX25519LowOrder[] = {
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0100000000000000000000000000000000000000000000000000000000000000",
    "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
    "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
};

} // namespace

// ---------------------------------------------------------------------------
// Round trips: every supported suite x every mode, random keys.

using SuiteMode = std::tuple<KemId, AeadId, Mode>;
class HpkeRoundTrip : public ::testing::TestWithParam<SuiteMode> { };

TEST_P(HpkeRoundTrip, SealOpenAndExportAgree)
{
    const auto [kem, aead, mode] = GetParam();
    const Suite suite { kem, KdfId::HkdfSha256, aead };
    Pair p = makePair(suite, mode);
    fillOptions(p);

    auto setup = setupSender(suite, p.recipient.publicKey(), p.senderOptions);
    ASSERT_HPKE_OK(setup);
    EXPECT_EQ(setup->enc.size(), encLength(kem));
    auto rctx = setupRecipient(suite, setup->enc, p.recipient, p.recipientOptions);
    ASSERT_HPKE_OK(rctx);
    EXPECT_EQ(setup->context.role(), Context::Role::Sender);
    EXPECT_EQ(rctx->role(), Context::Role::Recipient);
    EXPECT_EQ(rctx->suite(), suite);
    EXPECT_EQ(setup->context.keyForTesting(), rctx->keyForTesting());
    EXPECT_EQ(setup->context.keyForTesting().size(), aeadKeyLength(aead));
    EXPECT_EQ(setup->context.baseNonceForTesting().size(), aeadNonceLength(aead));

    // Empty, short and 64 KiB plaintexts, in sequence.
    const Bytes sizes[]
        = { Bytes {}, toBytes("x"), crypto::randomBytes(64 * 1024), crypto::randomBytes(1000) };
    if (aead == AeadId::ExportOnly) {
        EXPECT_HPKE_ERROR(setup->context.seal({}, sizes[1]), HpkeError::ExportOnly);
        EXPECT_HPKE_ERROR(rctx->open({}, Bytes(17, 0)), HpkeError::ExportOnly);
        EXPECT_HPKE_ERROR(hpke::seal(suite, p.recipient.publicKey(), {}, {}, p.senderOptions),
            HpkeError::ExportOnly);
    } else {
        uint64_t seq = 0;
        for (const Bytes &pt : sizes) {
            const Bytes aad = toBytes("aad " + std::to_string(seq));
            auto ct = setup->context.seal(aad, pt);
            ASSERT_HPKE_OK(ct);
            EXPECT_EQ(ct->size(), pt.size() + 16);
            auto opened = rctx->open(aad, *ct);
            ASSERT_HPKE_OK(opened);
            EXPECT_EQ(opened->reveal(), pt);
            ++seq;
            EXPECT_EQ(setup->context.sequence(), seq);
            EXPECT_EQ(rctx->sequence(), seq);
        }
        // Single-shot, with the empty and the 64 KiB plaintext.
        for (const Bytes &pt : { sizes[0], sizes[2] }) {
            auto sealed = hpke::seal(suite, p.recipient.publicKey(), kInfo, pt, p.senderOptions);
            ASSERT_HPKE_OK(sealed);
            auto opened = hpke::open(
                suite, sealed->enc, p.recipient, kInfo, sealed->ciphertext, p.recipientOptions);
            ASSERT_HPKE_OK(opened);
            EXPECT_EQ(opened->reveal(), pt);
        }
    }

    // Exports of several lengths, up to the maximum 255 * Nh.
    for (size_t length : { size_t { 0 }, size_t { 1 }, size_t { 32 }, size_t { 255 * 32 } }) {
        auto a = setup->context.exportSecret(toBytes("ctx"), length);
        auto b = rctx->exportSecret(toBytes("ctx"), length);
        ASSERT_HPKE_OK(a);
        ASSERT_HPKE_OK(b);
        EXPECT_EQ(a->size(), length);
        EXPECT_EQ(*a, *b);
    }
    auto sent = sendExport(suite, p.recipient.publicKey(), toBytes("ctx"), 48, p.senderOptions);
    ASSERT_HPKE_OK(sent);
    auto received
        = receiveExport(suite, sent->enc, p.recipient, toBytes("ctx"), 48, p.recipientOptions);
    ASSERT_HPKE_OK(received);
    EXPECT_EQ(sent->exported, *received);
}

INSTANTIATE_TEST_SUITE_P(AllSuites, HpkeRoundTrip,
    ::testing::Combine(::testing::Values(KemId::DhkemX25519Sha256, KemId::DhkemP256Sha256),
        ::testing::Values(
            AeadId::Aes128Gcm, AeadId::Aes256Gcm, AeadId::ChaCha20Poly1305, AeadId::ExportOnly),
        ::testing::Values(Mode::Base, Mode::Psk, Mode::Auth, Mode::AuthPsk)),
    [](const ::testing::TestParamInfo<SuiteMode> &param) {
        return std::string(kemName(std::get<0>(param.param))) + "_"
            + aeadName(std::get<1>(param.param)) + "_" + modeName(std::get<2>(param.param));
    });

// ---------------------------------------------------------------------------
// Identifiers and sizes (Section 7).

TEST(HpkeSuite, SupportedIdsAreAccepted)
{
    for (uint16_t kem : std::initializer_list<uint16_t> { 0x0010, 0x0020 })
        for (uint16_t aead : std::initializer_list<uint16_t> { 0x0001, 0x0002, 0x0003, 0xffff }) {
            auto s = Suite::create(kem, 0x0001, aead);
            ASSERT_HPKE_OK(s);
            EXPECT_EQ(static_cast<uint16_t>(s->kem), kem);
            EXPECT_EQ(static_cast<uint16_t>(s->aead), aead);
        }
}

TEST(HpkeSuite, UnsupportedIdsAreRefusedWithTheirOwnCode)
{
    // P-384, P-521, X448 and the reserved 0 are not implemented.
    for (uint16_t kem : std::initializer_list<uint16_t> { 0x0000, 0x0011, 0x0012, 0x0021, 0xffff })
        EXPECT_HPKE_ERROR(Suite::create(kem, 0x0001, 0x0001), HpkeError::UnsupportedKem);
    for (uint16_t kdf : std::initializer_list<uint16_t> { 0x0000, 0x0002, 0x0003 })
        EXPECT_HPKE_ERROR(Suite::create(0x0020, kdf, 0x0001), HpkeError::UnsupportedKdf);
    for (uint16_t aead : std::initializer_list<uint16_t> { 0x0000, 0x0004, 0xfffe })
        EXPECT_HPKE_ERROR(Suite::create(0x0020, 0x0001, aead), HpkeError::UnsupportedAead);
}

TEST(HpkeSuite, SetupRefusesASuiteWithUnsupportedIds)
{
    KeyPair r = mustGenerate(KemId::DhkemX25519Sha256);
    Suite badKem = kX25519Aes128;
    badKem.kem = static_cast<KemId>(0x0011);
    Suite badKdf = kX25519Aes128;
    badKdf.kdf = static_cast<KdfId>(0x0002);
    Suite badAead = kX25519Aes128;
    badAead.aead = static_cast<AeadId>(0x0004);
    EXPECT_HPKE_ERROR(setupSender(badKem, r.publicKey()), HpkeError::UnsupportedKem);
    EXPECT_HPKE_ERROR(setupSender(badKdf, r.publicKey()), HpkeError::UnsupportedKdf);
    EXPECT_HPKE_ERROR(setupSender(badAead, r.publicKey()), HpkeError::UnsupportedAead);
    const Bytes enc(32, 9);
    EXPECT_HPKE_ERROR(setupRecipient(badKem, enc, r), HpkeError::UnsupportedKem);
    EXPECT_HPKE_ERROR(setupRecipient(badKdf, enc, r), HpkeError::UnsupportedKdf);
    EXPECT_HPKE_ERROR(setupRecipient(badAead, enc, r), HpkeError::UnsupportedAead);
    EXPECT_HPKE_ERROR(KeyPair::generate(static_cast<KemId>(0x0021)), HpkeError::UnsupportedKem);
    EXPECT_HPKE_ERROR(
        KeyPair::derive(static_cast<KemId>(0x0012), Bytes(32, 1)), HpkeError::UnsupportedKem);
    EXPECT_HPKE_ERROR(KeyPair::fromPrivateKey(static_cast<KemId>(0x0011), Bytes(48, 1)),
        HpkeError::UnsupportedKem);
}

TEST(HpkeSuite, SizesMatchTheRfcTables)
{
    EXPECT_EQ(encLength(KemId::DhkemX25519Sha256), 32u);
    EXPECT_EQ(publicKeyLength(KemId::DhkemX25519Sha256), 32u);
    EXPECT_EQ(privateKeyLength(KemId::DhkemX25519Sha256), 32u);
    EXPECT_EQ(encLength(KemId::DhkemP256Sha256), 65u);
    EXPECT_EQ(publicKeyLength(KemId::DhkemP256Sha256), 65u);
    EXPECT_EQ(privateKeyLength(KemId::DhkemP256Sha256), 32u);
    EXPECT_EQ(kdfHashLength(KdfId::HkdfSha256), 32u);
    EXPECT_EQ(aeadKeyLength(AeadId::Aes128Gcm), 16u);
    EXPECT_EQ(aeadKeyLength(AeadId::Aes256Gcm), 32u);
    EXPECT_EQ(aeadKeyLength(AeadId::ChaCha20Poly1305), 32u);
    EXPECT_EQ(aeadKeyLength(AeadId::ExportOnly), 0u);
    EXPECT_EQ(aeadNonceLength(AeadId::Aes128Gcm), 12u);
    EXPECT_EQ(aeadNonceLength(AeadId::ChaCha20Poly1305), 12u);
    EXPECT_EQ(aeadNonceLength(AeadId::ExportOnly), 0u);
    EXPECT_EQ(dhGroup(KemId::DhkemX25519Sha256), crypto::DhGroup::X25519);
    EXPECT_EQ(dhGroup(KemId::DhkemP256Sha256), crypto::DhGroup::P256);
}

TEST(HpkeSuite, EveryErrorHasADistinctName)
{
    std::set<std::string_view> names;
    for (int e = 0; e <= static_cast<int>(HpkeError::InputTooLong); ++e) {
        const auto name = errorName(static_cast<HpkeError>(e));
        EXPECT_NE(name, "Unknown");
        names.insert(name);
    }
    EXPECT_EQ(names.size(), static_cast<size_t>(HpkeError::InputTooLong) + 1);
}

// ---------------------------------------------------------------------------
// Keys (Section 7.1.2, 7.1.3).

TEST(HpkeKeys, DeriveKeyPairIsDeterministicAndIkmDependent)
{
    for (KemId kem : { KemId::DhkemX25519Sha256, KemId::DhkemP256Sha256 }) {
        auto a = KeyPair::derive(kem, Bytes(32, 0x42));
        auto b = KeyPair::derive(kem, Bytes(32, 0x42));
        auto c = KeyPair::derive(kem, Bytes(32, 0x43));
        ASSERT_HPKE_OK(a);
        ASSERT_HPKE_OK(b);
        ASSERT_HPKE_OK(c);
        EXPECT_EQ(a->publicKey(), b->publicKey());
        EXPECT_EQ(a->privateKey(), b->privateKey());
        EXPECT_NE(a->publicKey(), c->publicKey());
        EXPECT_EQ(a->kem(), kem);
        // An empty ikm is allowed (only a SHOULD on its length, Section 7.1.3).
        EXPECT_HPKE_OK(KeyPair::derive(kem, {}));
    }
}

TEST(HpkeKeys, OverlongIkmIsRefused)
{
    EXPECT_HPKE_ERROR(KeyPair::derive(KemId::DhkemX25519Sha256, Bytes(kMaxInputLength + 1, 1)),
        HpkeError::InputTooLong);
    EXPECT_HPKE_OK(KeyPair::derive(KemId::DhkemX25519Sha256, Bytes(kMaxInputLength, 1)));
}

TEST(HpkeKeys, PrivateKeyRoundTripsThroughSerialization)
{
    for (KemId kem : { KemId::DhkemX25519Sha256, KemId::DhkemP256Sha256 }) {
        KeyPair k = mustGenerate(kem);
        EXPECT_EQ(k.publicKey().size(), publicKeyLength(kem));
        EXPECT_EQ(k.privateKey().size(), privateKeyLength(kem));
        auto again = KeyPair::fromPrivateKey(kem, k.privateKey());
        ASSERT_HPKE_OK(again);
        EXPECT_EQ(again->publicKey(), k.publicKey());
    }
}

TEST(HpkeKeys, X25519PrivateKeysAreClampedOnDeserialization)
{
    // Section 7.1.2: DeserializePrivateKey and SerializePrivateKey clamp.
    const Bytes raw(32, 0xff);
    auto k = KeyPair::fromPrivateKey(KemId::DhkemX25519Sha256, raw);
    ASSERT_HPKE_OK(k);
    Bytes clamped = raw;
    clamped[0] = 0xf8;
    clamped[31] = 0x7f;
    EXPECT_EQ(k->privateKey().reveal(), clamped);
    auto fromClamped = KeyPair::fromPrivateKey(KemId::DhkemX25519Sha256, clamped);
    ASSERT_HPKE_OK(fromClamped);
    EXPECT_EQ(fromClamped->publicKey(), k->publicKey());
}

TEST(HpkeKeys, MalformedPrivateKeysAreRefused)
{
    const Bytes order = hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
    Bytes orderMinusOne = order;
    orderMinusOne.back() = 0x50;
    EXPECT_HPKE_ERROR(KeyPair::fromPrivateKey(KemId::DhkemP256Sha256, Bytes(32, 0)),
        HpkeError::InvalidPrivateKey);
    EXPECT_HPKE_ERROR(
        KeyPair::fromPrivateKey(KemId::DhkemP256Sha256, order), HpkeError::InvalidPrivateKey);
    EXPECT_HPKE_ERROR(KeyPair::fromPrivateKey(KemId::DhkemP256Sha256, Bytes(32, 0xff)),
        HpkeError::InvalidPrivateKey);
    EXPECT_HPKE_OK(KeyPair::fromPrivateKey(KemId::DhkemP256Sha256, orderMinusOne));
    for (size_t n : { 0, 31, 33, 65 }) {
        EXPECT_HPKE_ERROR(KeyPair::fromPrivateKey(KemId::DhkemP256Sha256, Bytes(n, 1)),
            HpkeError::InvalidPrivateKey);
        EXPECT_HPKE_ERROR(KeyPair::fromPrivateKey(KemId::DhkemX25519Sha256, Bytes(n, 1)),
            HpkeError::InvalidPrivateKey);
    }
}

// ---------------------------------------------------------------------------
// Open must fail for anything that differs from what was sealed.

class HpkeOpenFails : public ::testing::Test {
protected:
    void SetUp() override
    {
        SenderOptions so;
        so.info = kInfo;
        auto s = hpke::seal(kX25519Aes128, recipient.publicKey(), aad, plaintext, so);
        ASSERT_HPKE_OK(s);
        sealed = std::move(s).value();
        RecipientOptions ro;
        ro.info = kInfo;
        // The untouched message opens: the failures below are the changes'.
        EXPECT_HPKE_OK(
            hpke::open(kX25519Aes128, sealed.enc, recipient, aad, sealed.ciphertext, ro));
    }

    HpkeResult<SecretBytes> openWith(
        ByteView enc, ByteView ad, ByteView ct, ByteView info = kInfo) const
    {
        RecipientOptions ro;
        ro.info = info;
        return hpke::open(kX25519Aes128, enc, recipient, ad, ct, ro);
    }

    KeyPair recipient = mustGenerate(KemId::DhkemX25519Sha256);
    const Bytes aad = toBytes("associated data");
    const Bytes plaintext = toBytes("a message for the recipient only");
    Sealed sealed;
};

TEST_F(HpkeOpenFails, WithTheWrongRecipientKey)
{
    KeyPair other = mustGenerate(KemId::DhkemX25519Sha256);
    RecipientOptions ro;
    ro.info = kInfo;
    EXPECT_HPKE_ERROR(hpke::open(kX25519Aes128, sealed.enc, other, aad, sealed.ciphertext, ro),
        HpkeError::OpenFailed);
}

TEST_F(HpkeOpenFails, WithTheWrongInfo)
{
    EXPECT_HPKE_ERROR(
        openWith(sealed.enc, aad, sealed.ciphertext, toBytes("other info")), HpkeError::OpenFailed);
    EXPECT_HPKE_ERROR(openWith(sealed.enc, aad, sealed.ciphertext, {}), HpkeError::OpenFailed);
}

TEST_F(HpkeOpenFails, WithTheWrongAad)
{
    EXPECT_HPKE_ERROR(
        openWith(sealed.enc, toBytes("associated dat4"), sealed.ciphertext), HpkeError::OpenFailed);
    EXPECT_HPKE_ERROR(openWith(sealed.enc, {}, sealed.ciphertext), HpkeError::OpenFailed);
}

TEST_F(HpkeOpenFails, WithAnyCiphertextBitFlipped)
{
    for (size_t bit = 0; bit < sealed.ciphertext.size() * 8; ++bit)
        EXPECT_HPKE_ERROR(
            openWith(sealed.enc, aad, flipBit(sealed.ciphertext, bit)), HpkeError::OpenFailed);
}

TEST_F(HpkeOpenFails, WithAnEncBitFlipped)
{
    // X25519 takes any 32 bytes as a public key, so a changed enc gives a
    // different shared secret (or a small-order point): never the plaintext.
    for (size_t bit = 0; bit < sealed.enc.size() * 8; ++bit) {
        auto r = openWith(flipBit(sealed.enc, bit), aad, sealed.ciphertext);
        ASSERT_FALSE(r.ok()) << "bit " << bit;
        EXPECT_TRUE(r.error() == HpkeError::OpenFailed || r.error() == HpkeError::DhFailed)
            << errorName(r.error());
    }
}

TEST_F(HpkeOpenFails, WithTheTagTruncated)
{
    const Bytes &ct = sealed.ciphertext;
    for (size_t cut :
        { size_t { 1 }, size_t { 4 }, size_t { 15 }, size_t { 16 }, ct.size() - 1, ct.size() }) {
        const Bytes shorter(ct.begin(), ct.end() - static_cast<std::ptrdiff_t>(cut));
        EXPECT_HPKE_ERROR(openWith(sealed.enc, aad, shorter), HpkeError::OpenFailed);
    }
    Bytes longer = ct;
    longer.push_back(0);
    EXPECT_HPKE_ERROR(openWith(sealed.enc, aad, longer), HpkeError::OpenFailed);
}

TEST(HpkePsk, WrongPskOrPskIdFailsToOpen)
{
    Pair p = makePair(kX25519Aes128, Mode::Psk);
    fillOptions(p);
    auto sealed = hpke::seal(p.suite, p.recipient.publicKey(), {}, toBytes("pt"), p.senderOptions);
    ASSERT_HPKE_OK(sealed);
    EXPECT_HPKE_OK(
        hpke::open(p.suite, sealed->enc, p.recipient, {}, sealed->ciphertext, p.recipientOptions));

    const Bytes otherPsk = crypto::randomBytes(32);
    RecipientOptions wrongPsk = p.recipientOptions;
    wrongPsk.psk = otherPsk;
    EXPECT_HPKE_ERROR(
        hpke::open(p.suite, sealed->enc, p.recipient, {}, sealed->ciphertext, wrongPsk),
        HpkeError::OpenFailed);
    const Bytes otherId = toBytes("another psk id");
    RecipientOptions wrongId = p.recipientOptions;
    wrongId.pskId = otherId;
    EXPECT_HPKE_ERROR(
        hpke::open(p.suite, sealed->enc, p.recipient, {}, sealed->ciphertext, wrongId),
        HpkeError::OpenFailed);
    // Opening a psk-mode message in base mode fails too.
    RecipientOptions base;
    base.info = kInfo;
    EXPECT_HPKE_ERROR(hpke::open(p.suite, sealed->enc, p.recipient, {}, sealed->ciphertext, base),
        HpkeError::OpenFailed);
}

TEST(HpkePsk, PskAndPskIdMustComeTogether)
{
    KeyPair r = mustGenerate(KemId::DhkemX25519Sha256);
    const Bytes psk = crypto::randomBytes(32);
    SenderOptions pskOnly;
    pskOnly.psk = psk;
    SenderOptions idOnly;
    idOnly.pskId = kPskId;
    EXPECT_HPKE_ERROR(
        setupSender(kX25519Aes128, r.publicKey(), pskOnly), HpkeError::InconsistentPsk);
    EXPECT_HPKE_ERROR(
        setupSender(kX25519Aes128, r.publicKey(), idOnly), HpkeError::InconsistentPsk);

    auto good = setupSender(kX25519Aes128, r.publicKey());
    ASSERT_HPKE_OK(good);
    RecipientOptions rPskOnly;
    rPskOnly.psk = psk;
    RecipientOptions rIdOnly;
    rIdOnly.pskId = kPskId;
    EXPECT_HPKE_ERROR(
        setupRecipient(kX25519Aes128, good->enc, r, rPskOnly), HpkeError::InconsistentPsk);
    EXPECT_HPKE_ERROR(
        setupRecipient(kX25519Aes128, good->enc, r, rIdOnly), HpkeError::InconsistentPsk);

    // Also in auth_psk mode.
    KeyPair s = mustGenerate(KemId::DhkemX25519Sha256);
    pskOnly.senderKey = &s;
    EXPECT_HPKE_ERROR(
        setupSender(kX25519Aes128, r.publicKey(), pskOnly), HpkeError::InconsistentPsk);
}

TEST(HpkePsk, ShortPskIsRefused)
{
    KeyPair r = mustGenerate(KemId::DhkemX25519Sha256);
    const Bytes shortPsk(kMinPskLength - 1, 7);
    SenderOptions so;
    so.psk = shortPsk;
    so.pskId = kPskId;
    EXPECT_HPKE_ERROR(setupSender(kX25519Aes128, r.publicKey(), so), HpkeError::InvalidParameters);
    const Bytes okPsk(kMinPskLength, 7);
    so.psk = okPsk;
    EXPECT_HPKE_OK(setupSender(kX25519Aes128, r.publicKey(), so));
}

TEST(HpkeAuth, WrongOrMissingSenderPublicKeyFailsToOpen)
{
    for (const Suite &suite : { kX25519Aes128, kP256Aes128 }) {
        SCOPED_TRACE(kemName(suite.kem));
        Pair p = makePair(suite, Mode::Auth);
        fillOptions(p);
        auto sealed
            = hpke::seal(suite, p.recipient.publicKey(), {}, toBytes("pt"), p.senderOptions);
        ASSERT_HPKE_OK(sealed);
        EXPECT_HPKE_OK(hpke::open(
            suite, sealed->enc, p.recipient, {}, sealed->ciphertext, p.recipientOptions));

        KeyPair impostor = mustGenerate(suite.kem);
        RecipientOptions wrong = p.recipientOptions;
        wrong.senderPublicKey = impostor.publicKey();
        EXPECT_HPKE_ERROR(
            hpke::open(suite, sealed->enc, p.recipient, {}, sealed->ciphertext, wrong),
            HpkeError::OpenFailed);
        RecipientOptions none;
        none.info = kInfo;
        EXPECT_HPKE_ERROR(hpke::open(suite, sealed->enc, p.recipient, {}, sealed->ciphertext, none),
            HpkeError::OpenFailed);
    }
}

TEST(HpkeAuth, MalformedSenderPublicKeyIsRefused)
{
    KeyPair r = mustGenerate(KemId::DhkemP256Sha256);
    auto setup = setupSender(kP256Aes128, r.publicKey());
    ASSERT_HPKE_OK(setup);
    RecipientOptions ro;
    const Bytes shortKey(64, 4);
    ro.senderPublicKey = shortKey;
    EXPECT_HPKE_ERROR(setupRecipient(kP256Aes128, setup->enc, r, ro), HpkeError::InvalidPublicKey);
    Bytes offCurve = r.publicKey();
    offCurve.back() ^= 1;
    ro.senderPublicKey = offCurve;
    EXPECT_HPKE_ERROR(setupRecipient(kP256Aes128, setup->enc, r, ro), HpkeError::InvalidPublicKey);
}

// ---------------------------------------------------------------------------
// Invalid encapsulations and public keys (Section 7.1.4).

TEST(HpkeEnc, WrongLengthIsAnInvalidPublicKey)
{
    for (const Suite &suite : { kX25519Aes128, kP256Aes128 }) {
        KeyPair r = mustGenerate(suite.kem);
        const size_t n = encLength(suite.kem);
        for (size_t len : { size_t { 0 }, size_t { 1 }, n - 1, n + 1, size_t { 2 * n } }) {
            EXPECT_HPKE_ERROR(setupRecipient(suite, Bytes(len, 4), r), HpkeError::InvalidPublicKey);
            EXPECT_HPKE_ERROR(setupSender(suite, Bytes(len, 4)), HpkeError::InvalidPublicKey);
        }
    }
}

TEST(HpkeEnc, P256PointOffTheCurveIsAnInvalidPublicKey)
{
    KeyPair r = mustGenerate(KemId::DhkemP256Sha256);
    auto setup = setupSender(kP256Aes128, r.publicKey());
    ASSERT_HPKE_OK(setup);
    // Changing y moves the point off the curve.
    Bytes offCurve = setup->enc;
    offCurve.back() ^= 1;
    EXPECT_HPKE_ERROR(setupRecipient(kP256Aes128, offCurve, r), HpkeError::InvalidPublicKey);
    EXPECT_HPKE_ERROR(setupSender(kP256Aes128, offCurve), HpkeError::InvalidPublicKey);
    // Compressed and hybrid prefixes are not the uncompressed encoding of
    // Section 7.1.1; all-zero is the point at infinity's stand-in.
    for (uint8_t prefix : std::initializer_list<uint8_t> { 0x00, 0x02, 0x03, 0x06, 0x07 }) {
        Bytes b = setup->enc;
        b[0] = prefix;
        EXPECT_HPKE_ERROR(setupRecipient(kP256Aes128, b, r), HpkeError::InvalidPublicKey);
    }
    EXPECT_HPKE_ERROR(setupRecipient(kP256Aes128, Bytes(65, 0), r), HpkeError::InvalidPublicKey);
    // Coordinates >= p are out of range: x = p (the field prime) with y of
    // the original point.
    Bytes bigX = setup->enc;
    const Bytes p = hex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
    std::copy(p.begin(), p.end(), bigX.begin() + 1);
    EXPECT_HPKE_ERROR(setupRecipient(kP256Aes128, bigX, r), HpkeError::InvalidPublicKey);
}

TEST(HpkeEnc, X25519LowOrderPointGivesDhFailed)
{
    KeyPair r = mustGenerate(KemId::DhkemX25519Sha256);
    for (const char *point : kX25519LowOrder) {
        SCOPED_TRACE(point);
        const Bytes enc = hex(point);
        EXPECT_HPKE_ERROR(setupRecipient(kX25519Aes128, enc, r), HpkeError::DhFailed);
        // The sender refuses such a recipient key the same way.
        EXPECT_HPKE_ERROR(setupSender(kX25519Aes128, enc), HpkeError::DhFailed);
        // And an auth-mode sender public key that is low order.
        auto good = setupSender(kX25519Aes128, r.publicKey());
        ASSERT_HPKE_OK(good);
        RecipientOptions ro;
        ro.senderPublicKey = enc;
        EXPECT_HPKE_ERROR(setupRecipient(kX25519Aes128, good->enc, r, ro), HpkeError::DhFailed);
    }
}

TEST(HpkeEnc, KeyPairOfAnotherKemIsRefused)
{
    KeyPair x = mustGenerate(KemId::DhkemX25519Sha256);
    KeyPair p = mustGenerate(KemId::DhkemP256Sha256);
    auto setup = setupSender(kP256Aes128, p.publicKey());
    ASSERT_HPKE_OK(setup);
    EXPECT_HPKE_ERROR(setupRecipient(kX25519Aes128, Bytes(32, 9), p), HpkeError::InvalidParameters);
    SenderOptions so;
    so.senderKey = &x;
    EXPECT_HPKE_ERROR(setupSender(kP256Aes128, p.publicKey(), so), HpkeError::InvalidParameters);
    SenderOptions eph;
    eph.ephemeralKeyForTesting = &x;
    EXPECT_HPKE_ERROR(setupSender(kP256Aes128, p.publicKey(), eph), HpkeError::InvalidParameters);
}

// ---------------------------------------------------------------------------
// Context behaviour (Section 5.2, 5.3).

TEST(HpkeContext, OutOfOrderOpenFailsAndDoesNotAdvance)
{
    Pair p = makePair(kX25519Aes128, Mode::Base);
    fillOptions(p);
    auto setup = setupSender(p.suite, p.recipient.publicKey(), p.senderOptions);
    ASSERT_HPKE_OK(setup);
    std::vector<Bytes> cts;
    for (int i = 0; i < 3; ++i) {
        auto ct = setup->context.seal({}, toBytes("message " + std::to_string(i)));
        ASSERT_HPKE_OK(ct);
        cts.push_back(*ct);
    }
    auto rctx = setupRecipient(p.suite, setup->enc, p.recipient, p.recipientOptions);
    ASSERT_HPKE_OK(rctx);
    EXPECT_HPKE_ERROR(rctx->open({}, cts[1]), HpkeError::OpenFailed);
    EXPECT_HPKE_ERROR(rctx->open({}, cts[2]), HpkeError::OpenFailed);
    EXPECT_EQ(rctx->sequence(), 0u);
    for (int i = 0; i < 3; ++i) {
        auto pt = rctx->open({}, cts[i]);
        ASSERT_HPKE_OK(pt);
        EXPECT_EQ(pt->reveal(), toBytes("message " + std::to_string(i)));
    }
    // A replay of an already opened message fails as well.
    EXPECT_HPKE_ERROR(rctx->open({}, cts[2]), HpkeError::OpenFailed);
    EXPECT_EQ(rctx->sequence(), 3u);
}

TEST(HpkeContext, RolesAreOneWay)
{
    Pair p = makePair(kX25519Aes128, Mode::Base);
    fillOptions(p);
    auto setup = setupSender(p.suite, p.recipient.publicKey(), p.senderOptions);
    ASSERT_HPKE_OK(setup);
    auto ct = setup->context.seal({}, toBytes("pt"));
    ASSERT_HPKE_OK(ct);
    auto rctx = setupRecipient(p.suite, setup->enc, p.recipient, p.recipientOptions);
    ASSERT_HPKE_OK(rctx);
    EXPECT_HPKE_ERROR(setup->context.open({}, *ct), HpkeError::InvalidParameters);
    EXPECT_HPKE_ERROR(rctx->seal({}, toBytes("pt")), HpkeError::InvalidParameters);
    EXPECT_EQ(rctx->sequence(), 0u);
    EXPECT_HPKE_OK(rctx->open({}, *ct));
}

TEST(HpkeContext, SequenceNumberOverflowIsMessageLimitReached)
{
    Pair p = makePair(kX25519Aes128, Mode::Base);
    fillOptions(p);
    auto setup = setupSender(p.suite, p.recipient.publicKey(), p.senderOptions);
    ASSERT_HPKE_OK(setup);
    auto rctx = setupRecipient(p.suite, setup->enc, p.recipient, p.recipientOptions);
    ASSERT_HPKE_OK(rctx);
    constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
    setup->context.setSequenceForTesting(kMax - 1);
    rctx->setSequenceForTesting(kMax - 1);
    // The last usable sequence number works, and both sides agree on its nonce.
    auto ct = setup->context.seal({}, toBytes("last"));
    ASSERT_HPKE_OK(ct);
    auto pt = rctx->open({}, *ct);
    ASSERT_HPKE_OK(pt);
    EXPECT_EQ(pt->reveal(), toBytes("last"));
    EXPECT_EQ(setup->context.sequence(), kMax);
    EXPECT_HPKE_ERROR(
        setup->context.seal({}, toBytes("one too many")), HpkeError::MessageLimitReached);
    EXPECT_HPKE_ERROR(rctx->open({}, *ct), HpkeError::MessageLimitReached);
    EXPECT_EQ(setup->context.sequence(), kMax);
    // Exports do not depend on the sequence number.
    EXPECT_HPKE_OK(setup->context.exportSecret({}, 32));
}

TEST(HpkeContext, HighSequenceNumbersStillAgree)
{
    // The nonce XOR reaches beyond the low bytes of base_nonce.
    Pair p = makePair(kX25519Aes128, Mode::Base);
    fillOptions(p);
    auto setup = setupSender(p.suite, p.recipient.publicKey(), p.senderOptions);
    ASSERT_HPKE_OK(setup);
    auto rctx = setupRecipient(p.suite, setup->enc, p.recipient, p.recipientOptions);
    ASSERT_HPKE_OK(rctx);
    for (uint64_t seq : { uint64_t { 1 } << 32, uint64_t { 0x0123456789abcdef } }) {
        setup->context.setSequenceForTesting(seq);
        rctx->setSequenceForTesting(seq);
        auto ct = setup->context.seal({}, toBytes("pt"));
        ASSERT_HPKE_OK(ct);
        EXPECT_HPKE_OK(rctx->open({}, *ct));
        // A context at another sequence number cannot open it.
        rctx->setSequenceForTesting(seq + 1);
        EXPECT_HPKE_ERROR(rctx->open({}, *ct), HpkeError::OpenFailed);
    }
}

TEST(HpkeContext, ExportLengthAboveTheLimitIsExportTooLong)
{
    for (const Suite &suite : { kX25519Aes128,
             Suite { KemId::DhkemP256Sha256, KdfId::HkdfSha256, AeadId::ExportOnly } }) {
        KeyPair r = mustGenerate(suite.kem);
        auto setup = setupSender(suite, r.publicKey());
        ASSERT_HPKE_OK(setup);
        auto rctx = setupRecipient(suite, setup->enc, r);
        ASSERT_HPKE_OK(rctx);
        const size_t max = 255 * kdfHashLength(suite.kdf);
        EXPECT_HPKE_OK(setup->context.exportSecret({}, max));
        EXPECT_HPKE_ERROR(setup->context.exportSecret({}, max + 1), HpkeError::ExportTooLong);
        EXPECT_HPKE_ERROR(rctx->exportSecret({}, max + 1), HpkeError::ExportTooLong);
        EXPECT_HPKE_ERROR(
            rctx->exportSecret({}, std::numeric_limits<size_t>::max()), HpkeError::ExportTooLong);
        EXPECT_HPKE_ERROR(sendExport(suite, r.publicKey(), {}, max + 1), HpkeError::ExportTooLong);
        EXPECT_HPKE_ERROR(receiveExport(suite, setup->enc, r, {}, 70000), HpkeError::ExportTooLong);
    }
}

TEST(HpkeContext, ExportDependsOnContextAndLength)
{
    KeyPair r = mustGenerate(KemId::DhkemX25519Sha256);
    auto setup = setupSender(kX25519Aes128, r.publicKey());
    ASSERT_HPKE_OK(setup);
    auto a = setup->context.exportSecret(toBytes("a"), 32);
    auto b = setup->context.exportSecret(toBytes("b"), 32);
    auto a64 = setup->context.exportSecret(toBytes("a"), 64);
    ASSERT_HPKE_OK(a);
    ASSERT_HPKE_OK(b);
    ASSERT_HPKE_OK(a64);
    EXPECT_NE(a->reveal(), b->reveal());
    // L is part of labeled_info, so the 64-byte export is not an extension.
    const Bytes longer = a64->reveal();
    EXPECT_NE(a->reveal(), Bytes(longer.begin(), longer.begin() + 32));
}

// ---------------------------------------------------------------------------
// Input length limits (Section 7.2.1).

TEST(HpkeLimits, OverlongInputsAreInputTooLong)
{
    KeyPair r = mustGenerate(KemId::DhkemX25519Sha256);
    const Bytes tooLong(kMaxInputLength + 1, 1);
    const Bytes atLimit(kMaxInputLength, 1);

    SenderOptions info;
    info.info = tooLong;
    EXPECT_HPKE_ERROR(setupSender(kX25519Aes128, r.publicKey(), info), HpkeError::InputTooLong);
    SenderOptions psk;
    psk.psk = tooLong;
    psk.pskId = kPskId;
    EXPECT_HPKE_ERROR(setupSender(kX25519Aes128, r.publicKey(), psk), HpkeError::InputTooLong);
    SenderOptions pskId;
    pskId.psk = Bytes(32, 1);
    pskId.pskId = tooLong;
    EXPECT_HPKE_ERROR(setupSender(kX25519Aes128, r.publicKey(), pskId), HpkeError::InputTooLong);
    RecipientOptions rinfo;
    rinfo.info = tooLong;
    EXPECT_HPKE_ERROR(
        setupRecipient(kX25519Aes128, r.publicKey(), r, rinfo), HpkeError::InputTooLong);

    // At the limit everything still works end to end.
    SenderOptions so;
    so.info = atLimit;
    so.psk = atLimit;
    so.pskId = atLimit;
    RecipientOptions ro;
    ro.info = atLimit;
    ro.psk = atLimit;
    ro.pskId = atLimit;
    auto sealed = hpke::seal(kX25519Aes128, r.publicKey(), {}, toBytes("pt"), so);
    ASSERT_HPKE_OK(sealed);
    EXPECT_HPKE_OK(hpke::open(kX25519Aes128, sealed->enc, r, {}, sealed->ciphertext, ro));

    auto setup = setupSender(kX25519Aes128, r.publicKey());
    ASSERT_HPKE_OK(setup);
    EXPECT_HPKE_OK(setup->context.exportSecret(Bytes(kMaxExporterContextLength, 2), 32));
    EXPECT_HPKE_ERROR(setup->context.exportSecret(Bytes(kMaxExporterContextLength + 1, 2), 32),
        HpkeError::InputTooLong);
}
