// SPDX-License-Identifier: GPL-3.0-or-later
// Key configurations (RFC 9458 Section 3.1) and application/ohttp-keys lists
// (Section 3.2): strict parsing with exact error codes, round trips, the
// all-or-nothing rule for lists and the selection of supported configs.
#include "protocol/ohttp/key_config.h"
#include "tests/ohttp/ohttp_test_util.h"

#include "protocol/common/wire.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace sotto;
using namespace sotto::ohttp;
using namespace sotto::ohttp::fixtures;
using sotto::test::hex;

namespace {

// A hand-built Key Config: key id, KEM id, public key, algorithms length
// (as given, so tests can lie about it) and the algorithm bytes.
Bytes rawConfig(uint8_t keyId, uint16_t kem, ByteView publicKey, uint16_t algorithmsLength,
    const std::vector<SymmetricAlgorithm> &algorithms)
{
    WireWriter out;
    out.u8(keyId);
    out.u16(kem);
    out.bytes(publicKey);
    out.u16(algorithmsLength);
    for (const auto &a : algorithms) {
        out.u16(a.kdfId);
        out.u16(a.aeadId);
    }
    return out.take();
}

Bytes rawConfig(uint8_t keyId, uint16_t kem, ByteView publicKey,
    const std::vector<SymmetricAlgorithm> &algorithms)
{
    return rawConfig(
        keyId, kem, publicKey, static_cast<uint16_t>(algorithms.size() * 4), algorithms);
}

Bytes prefixed(std::initializer_list<ByteView> configs)
{
    WireWriter out;
    for (ByteView c : configs) {
        out.u16(static_cast<uint16_t>(c.size()));
        out.bytes(c);
    }
    return out.take();
}

hpke::KeyPair generate(hpke::KemId kem)
{
    auto k = hpke::KeyPair::generate(kem);
    EXPECT_TRUE(k.ok());
    return std::move(k).value();
}

KeyConfig gatewayConfig(uint8_t keyId, hpke::KemId kem, std::vector<SymmetricSuite> suites)
{
    auto c = KeyConfig::forGateway(keyId, generate(kem), suites);
    EXPECT_OHTTP_OK(c);
    return std::move(c).value();
}

// --- One Key Config (Section 3.1) ------------------------------------------------------

TEST(KeyConfigTest, GatewayConfigsRoundTripForBothKems)
{
    for (hpke::KemId kem : { hpke::KemId::DhkemX25519Sha256, hpke::KemId::DhkemP256Sha256 }) {
        const hpke::KeyPair keyPair = generate(kem);
        const SymmetricSuite suites[] = { kChaCha, kAes128, kAes256 };
        const auto config = KeyConfig::forGateway(7, keyPair, suites);
        ASSERT_OHTTP_OK(config);
        EXPECT_EQ(config->keyId(), 7);
        EXPECT_EQ(config->kem(), kem);
        EXPECT_EQ(config->publicKey(), keyPair.publicKey());
        EXPECT_EQ(
            config->supportedSuites(), (std::vector<SymmetricSuite> { kChaCha, kAes128, kAes256 }));
        const Bytes wire = config->serialize();
        EXPECT_EQ(wire.size(), 1 + 2 + hpke::publicKeyLength(kem) + 2 + 12);
        const auto parsed = KeyConfig::parse(wire);
        ASSERT_OHTTP_OK(parsed);
        EXPECT_EQ(*parsed, *config);
        EXPECT_EQ(parsed->serialize(), wire);
    }
}

TEST(KeyConfigTest, EveryTruncationIsInvalid)
{
    const AppendixA a = AppendixA::load();
    const KeyConfig p256 = gatewayConfig(2, hpke::KemId::DhkemP256Sha256, { kAes128 });
    for (const Bytes &full : { a.keyConfig, p256.serialize() }) {
        for (size_t n = 0; n < full.size(); ++n) {
            SCOPED_TRACE("prefix of " + std::to_string(n) + " bytes");
            EXPECT_OHTTP_ERROR(
                KeyConfig::parse(ByteView(full).first(n)), OhttpError::InvalidKeyConfig);
        }
    }
}

TEST(KeyConfigTest, TrailingBytesAreInvalid)
{
    const AppendixA a = AppendixA::load();
    for (const Bytes &tail : { hex("00"), hex("0001"), hex("00010001") }) {
        EXPECT_OHTTP_ERROR(
            KeyConfig::parse(concat({ a.keyConfig, tail })), OhttpError::InvalidKeyConfig);
    }
}

TEST(KeyConfigTest, UnknownKemIsUnsupported)
{
    // DHKEM(X448, HKDF-SHA512) 0x0021, Npk 56: a registered KEM we lack.
    const Bytes x448 = rawConfig(1, 0x0021, Bytes(56, 0x42), { { 1, 1 } });
    EXPECT_OHTTP_ERROR(KeyConfig::parse(x448), OhttpError::UnsupportedKem);
    EXPECT_OHTTP_ERROR(KeyConfig::parse(rawConfig(1, 0x0000, Bytes(32, 1), { { 1, 1 } })),
        OhttpError::UnsupportedKem);
    EXPECT_OHTTP_ERROR(
        KeyConfig::create(1, static_cast<hpke::KemId>(0x0021), Bytes(56, 0), { { 1, 1 } }),
        OhttpError::UnsupportedKem);
}

TEST(KeyConfigTest, AlgorithmsLengthMustBeAMultipleOfFourIn4To65532)
{
    const AppendixA a = AppendixA::load();
    const std::vector<SymmetricAlgorithm> one { { 1, 1 } };
    const std::vector<SymmetricAlgorithm> two { { 1, 1 }, { 1, 3 } };
    // Length 0 with no algorithms, lengths that are not multiples of 4.
    EXPECT_OHTTP_ERROR(
        KeyConfig::parse(rawConfig(1, 0x0020, a.gatewayPkR, 0, {})), OhttpError::InvalidKeyConfig);
    for (int bad : { 1, 2, 3, 5, 6, 7 }) {
        Bytes wire = rawConfig(1, 0x0020, a.gatewayPkR, static_cast<uint16_t>(bad), two);
        wire.resize(
            static_cast<size_t>(1 + 2 + 32 + 2 + bad)); // exactly as many bytes as announced
        SCOPED_TRACE("length " + std::to_string(bad));
        EXPECT_OHTTP_ERROR(KeyConfig::parse(wire), OhttpError::InvalidKeyConfig);
    }
    // Oversize lengths: more than the input holds, and above 65532.
    for (int big : { 8, 12, 0xfffc, 0xfffd, 0xffff }) {
        SCOPED_TRACE("length " + std::to_string(big));
        EXPECT_OHTTP_ERROR(
            KeyConfig::parse(rawConfig(1, 0x0020, a.gatewayPkR, static_cast<uint16_t>(big), one)),
            OhttpError::InvalidKeyConfig);
    }
}

TEST(KeyConfigTest, LargestAlgorithmListParses)
{
    const AppendixA a = AppendixA::load();
    std::vector<SymmetricAlgorithm> many(kMaxSymmetricAlgorithms, SymmetricAlgorithm { 1, 3 });
    const Bytes wire = rawConfig(9, 0x0020, a.gatewayPkR, many);
    const auto parsed = KeyConfig::parse(wire);
    ASSERT_OHTTP_OK(parsed);
    EXPECT_EQ(parsed->symmetricAlgorithms().size(), kMaxSymmetricAlgorithms);
    EXPECT_EQ(parsed->supportedSuites(), (std::vector<SymmetricSuite> { kChaCha })); // no repeats
    EXPECT_EQ(parsed->serialize(), wire);

    many.push_back({ 1, 1 });
    EXPECT_OHTTP_ERROR(KeyConfig::create(9, hpke::KemId::DhkemX25519Sha256, a.gatewayPkR, many),
        OhttpError::InvalidKeyConfig);
    EXPECT_OHTTP_ERROR(KeyConfig::create(9, hpke::KemId::DhkemX25519Sha256, a.gatewayPkR, {}),
        OhttpError::InvalidKeyConfig);
}

TEST(KeyConfigTest, PublicKeyMustFitTheKem)
{
    const AppendixA a = AppendixA::load();
    // A P-256 config whose 65 bytes are not a point on the curve.
    Bytes offCurve(65, 0x11);
    offCurve[0] = 0x04;
    EXPECT_OHTTP_ERROR(KeyConfig::parse(rawConfig(1, 0x0010, offCurve, { { 1, 1 } })),
        OhttpError::InvalidKeyConfig);
    // A compressed point prefix is not HPKE's SerializePublicKey form.
    const KeyConfig good = gatewayConfig(1, hpke::KemId::DhkemP256Sha256, { kAes128 });
    Bytes compressed = good.publicKey();
    compressed[0] = 0x02;
    EXPECT_OHTTP_ERROR(KeyConfig::parse(rawConfig(1, 0x0010, compressed, { { 1, 1 } })),
        OhttpError::InvalidKeyConfig);
    // An X25519 key labelled as P-256 is 32 bytes short, and the reverse is 33 too long.
    EXPECT_OHTTP_ERROR(KeyConfig::parse(rawConfig(1, 0x0010, a.gatewayPkR, { { 1, 1 } })),
        OhttpError::InvalidKeyConfig);
    EXPECT_OHTTP_ERROR(KeyConfig::parse(rawConfig(1, 0x0020, good.publicKey(), { { 1, 1 } })),
        OhttpError::InvalidKeyConfig);
    EXPECT_OHTTP_ERROR(
        KeyConfig::create(1, hpke::KemId::DhkemX25519Sha256, Bytes(31, 1), { { 1, 1 } }),
        OhttpError::InvalidKeyConfig);
}

TEST(KeyConfigTest, UnknownSymmetricIdsAreKeptButNotSupported)
{
    const AppendixA a = AppendixA::load();
    // HKDF-SHA384 (2), an unassigned AEAD, export-only (0xffff), then one we have.
    const std::vector<SymmetricAlgorithm> algorithms { { 2, 1 }, { 1, 0x1234 }, { 1, 0xffff },
        { 1, 2 }, { 1, 2 } };
    const Bytes wire = rawConfig(3, 0x0020, a.gatewayPkR, algorithms);
    const auto parsed = KeyConfig::parse(wire);
    ASSERT_OHTTP_OK(parsed);
    EXPECT_EQ(parsed->symmetricAlgorithms(), algorithms);
    EXPECT_EQ(parsed->supportedSuites(), (std::vector<SymmetricSuite> { kAes256 }));
    EXPECT_TRUE(parsed->offers(kAes256));
    EXPECT_FALSE(parsed->offers(kAes128));
    EXPECT_FALSE(parsed->offers({ hpke::KdfId::HkdfSha256, hpke::AeadId::ExportOnly }));
    EXPECT_EQ(parsed->serialize(), wire);

    const auto none
        = KeyConfig::parse(rawConfig(3, 0x0020, a.gatewayPkR, { { 2, 1 }, { 1, 0xffff } }));
    ASSERT_OHTTP_OK(none);
    EXPECT_TRUE(none->supportedSuites().empty());
}

TEST(KeyConfigTest, ToSupportedSuite)
{
    EXPECT_EQ(toSupportedSuite({ 1, 1 }), kAes128);
    EXPECT_EQ(toSupportedSuite({ 1, 2 }), kAes256);
    EXPECT_EQ(toSupportedSuite({ 1, 3 }), kChaCha);
    EXPECT_FALSE(toSupportedSuite({ 1, 0xffff }));
    EXPECT_FALSE(toSupportedSuite({ 1, 0 }));
    EXPECT_FALSE(toSupportedSuite({ 1, 4 }));
    EXPECT_FALSE(toSupportedSuite({ 0, 1 }));
    EXPECT_FALSE(toSupportedSuite({ 2, 1 }));
    EXPECT_FALSE(toSupportedSuite({ 3, 1 }));
}

TEST(KeyConfigTest, GatewayBuilderRefusesWhatItCannotServe)
{
    const hpke::KeyPair keyPair = generate(hpke::KemId::DhkemX25519Sha256);
    EXPECT_OHTTP_ERROR(KeyConfig::forGateway(1, keyPair, {}), OhttpError::InvalidKeyConfig);
    const SymmetricSuite exportOnly[] = { { hpke::KdfId::HkdfSha256, hpke::AeadId::ExportOnly } };
    EXPECT_OHTTP_ERROR(KeyConfig::forGateway(1, keyPair, exportOnly), OhttpError::UnsupportedAead);
    const SymmetricSuite unknownKdf[]
        = { { static_cast<hpke::KdfId>(2), hpke::AeadId::Aes128Gcm } };
    EXPECT_OHTTP_ERROR(KeyConfig::forGateway(1, keyPair, unknownKdf), OhttpError::UnsupportedKdf);
    const SymmetricSuite twice[] = { kAes128, kChaCha, kAes128 };
    EXPECT_OHTTP_ERROR(KeyConfig::forGateway(1, keyPair, twice), OhttpError::InvalidKeyConfig);
}

// --- application/ohttp-keys (Section 3.2) ---------------------------------------------

TEST(KeyConfigListTest, TwoConfigsRoundTripInOrder)
{
    const KeyConfig p256 = gatewayConfig(0xfe, hpke::KemId::DhkemP256Sha256, { kAes256, kAes128 });
    const KeyConfig x25519 = gatewayConfig(0x00, hpke::KemId::DhkemX25519Sha256, { kChaCha });
    const std::vector<KeyConfig> configs { p256, x25519 };
    const auto body = serializeKeyConfigList(configs);
    ASSERT_OHTTP_OK(body);
    EXPECT_EQ(*body, prefixed({ p256.serialize(), x25519.serialize() }));

    const auto entries = parseKeyConfigList(*body);
    ASSERT_OHTTP_OK(entries);
    ASSERT_EQ(entries->size(), 2u);
    EXPECT_EQ((*entries)[0].keyId, 0xfe);
    EXPECT_EQ((*entries)[0].kemId, 0x0010);
    EXPECT_EQ((*entries)[0].config, p256);
    EXPECT_EQ((*entries)[1].keyId, 0x00);
    EXPECT_EQ((*entries)[1].kemId, 0x0020);
    EXPECT_EQ((*entries)[1].config, x25519);
    EXPECT_EQ(supportedKeyConfigs(*entries), configs);
    const auto reencoded = serializeKeyConfigList(std::span<const KeyConfigListEntry>(*entries));
    ASSERT_OHTTP_OK(reencoded);
    EXPECT_EQ(*reencoded, *body);
    const auto supported = parseSupportedKeyConfigs(*body);
    ASSERT_OHTTP_OK(supported);
    EXPECT_EQ(*supported, configs);
}

TEST(KeyConfigListTest, EmptyListIsInvalid)
{
    EXPECT_OHTTP_ERROR(parseKeyConfigList({}), OhttpError::InvalidKeyList);
    EXPECT_OHTTP_ERROR(parseSupportedKeyConfigs({}), OhttpError::InvalidKeyList);
    EXPECT_OHTTP_ERROR(
        serializeKeyConfigList(std::span<const KeyConfig>()), OhttpError::InvalidKeyList);
    EXPECT_OHTTP_ERROR(
        serializeKeyConfigList(std::span<const KeyConfigListEntry>()), OhttpError::InvalidKeyList);
}

TEST(KeyConfigListTest, EveryTruncationIsInvalid)
{
    const AppendixA a = AppendixA::load();
    const KeyConfig p256 = gatewayConfig(2, hpke::KemId::DhkemP256Sha256, { kAes128 });
    const Bytes two = prefixed({ a.keyConfig, p256.serialize() });
    for (const Bytes &full : { a.ohttpKeys, two }) {
        for (size_t n = 0; n < full.size(); ++n) {
            // A cut right after the first entry leaves a valid one-entry list.
            if (full.size() == two.size() && n == a.ohttpKeys.size())
                continue;
            SCOPED_TRACE("prefix of " + std::to_string(n) + " of " + std::to_string(full.size()));
            EXPECT_OHTTP_ERROR(
                parseKeyConfigList(ByteView(full).first(n)), OhttpError::InvalidKeyList);
        }
    }
    EXPECT_OHTTP_OK(parseKeyConfigList(ByteView(two).first(a.ohttpKeys.size())));
}

TEST(KeyConfigListTest, OneBadEntryDiscardsTheWholeList)
{
    // Section 3.2: no partial recovery, even when the good entry comes first.
    const AppendixA a = AppendixA::load();
    const Bytes badAlgorithms = rawConfig(2, 0x0020, a.gatewayPkR, 6, { { 1, 1 }, { 1, 3 } });
    const Bytes withTrailing = concat({ a.keyConfig, hex("00") });
    const Bytes truncated(a.keyConfig.begin(), a.keyConfig.end() - 1);
    for (const Bytes &bad : { badAlgorithms, withTrailing, truncated }) {
        EXPECT_OHTTP_ERROR(
            parseKeyConfigList(prefixed({ a.keyConfig, bad })), OhttpError::InvalidKeyList);
        EXPECT_OHTTP_ERROR(
            parseKeyConfigList(prefixed({ bad, a.keyConfig })), OhttpError::InvalidKeyList);
        EXPECT_OHTTP_ERROR(
            parseSupportedKeyConfigs(prefixed({ a.keyConfig, bad })), OhttpError::InvalidKeyList);
    }
}

TEST(KeyConfigListTest, LengthPrefixErrors)
{
    const AppendixA a = AppendixA::load();
    // A zero-length entry, a lone length byte, and lengths past the end.
    EXPECT_OHTTP_ERROR(parseKeyConfigList(hex("0000")), OhttpError::InvalidKeyList);
    EXPECT_OHTTP_ERROR(
        parseKeyConfigList(concat({ a.ohttpKeys, hex("0000") })), OhttpError::InvalidKeyList);
    EXPECT_OHTTP_ERROR(
        parseKeyConfigList(concat({ a.ohttpKeys, hex("00") })), OhttpError::InvalidKeyList);
    for (const char *length : { "002e", "0100", "ffff" }) {
        SCOPED_TRACE(length);
        EXPECT_OHTTP_ERROR(
            parseKeyConfigList(concat({ hex(length), a.keyConfig })), OhttpError::InvalidKeyList);
    }
    // A length one short splits the config: the entry is truncated and a
    // stray byte follows.
    EXPECT_OHTTP_ERROR(
        parseKeyConfigList(concat({ hex("002c"), a.keyConfig })), OhttpError::InvalidKeyList);
}

TEST(KeyConfigListTest, UnknownKemEntryIsKeptAndSkipped)
{
    const AppendixA a = AppendixA::load();
    const Bytes x448 = rawConfig(5, 0x0021, Bytes(56, 0x42), { { 3, 1 } });
    const Bytes body = prefixed({ x448, a.keyConfig });
    const auto entries = parseKeyConfigList(body);
    ASSERT_OHTTP_OK(entries);
    ASSERT_EQ(entries->size(), 2u);
    EXPECT_EQ((*entries)[0].keyId, 5);
    EXPECT_EQ((*entries)[0].kemId, 0x0021);
    EXPECT_EQ((*entries)[0].encoding, x448);
    EXPECT_FALSE((*entries)[0].config.has_value());
    EXPECT_TRUE((*entries)[1].config.has_value());

    const auto supported = parseSupportedKeyConfigs(body);
    ASSERT_OHTTP_OK(supported);
    ASSERT_EQ(supported->size(), 1u);
    EXPECT_EQ((*supported)[0].serialize(), a.keyConfig);

    const auto reencoded = serializeKeyConfigList(std::span<const KeyConfigListEntry>(*entries));
    ASSERT_OHTTP_OK(reencoded);
    EXPECT_EQ(*reencoded, body);
}

TEST(KeyConfigListTest, UnknownKemEntryMustBeLongEnoughForAnyConfig)
{
    const AppendixA a = AppendixA::load();
    // key id + KEM + algorithms length + one algorithm = 9 bytes at least.
    EXPECT_OHTTP_OK(parseKeyConfigList(prefixed({ hex("0100210004"
                                                      "00010001"),
        a.keyConfig })));
    for (const char *tooShort : { "01", "0100", "010021", "01002100", "0100210004000100" }) {
        SCOPED_TRACE(tooShort);
        EXPECT_OHTTP_ERROR(parseKeyConfigList(prefixed({ hex(tooShort), a.keyConfig })),
            OhttpError::InvalidKeyList);
    }
}

TEST(KeyConfigListTest, NothingSupportedIsItsOwnError)
{
    const AppendixA a = AppendixA::load();
    const Bytes x448 = rawConfig(5, 0x0021, Bytes(56, 0x42), { { 1, 1 } });
    const Bytes exportOnly = rawConfig(6, 0x0020, a.gatewayPkR, { { 1, 0xffff }, { 2, 1 } });
    const auto entries = parseKeyConfigList(prefixed({ x448, exportOnly }));
    ASSERT_OHTTP_OK(entries);
    EXPECT_EQ(entries->size(), 2u);
    EXPECT_TRUE(supportedKeyConfigs(*entries).empty());
    EXPECT_OHTTP_ERROR(
        parseSupportedKeyConfigs(prefixed({ x448, exportOnly })), OhttpError::NoSupportedKeyConfig);
}

TEST(KeyConfigListTest, DuplicateKeyIdsAreNotAnEncodingError)
{
    // Two configs may share a key id on the wire; it is the gateway that
    // must not (Gateway::addKey). The client just sees two choices.
    const KeyConfig one = gatewayConfig(1, hpke::KemId::DhkemX25519Sha256, { kAes128 });
    const KeyConfig other = gatewayConfig(1, hpke::KemId::DhkemP256Sha256, { kAes128 });
    const auto supported
        = parseSupportedKeyConfigs(prefixed({ one.serialize(), other.serialize() }));
    ASSERT_OHTTP_OK(supported);
    EXPECT_EQ(supported->size(), 2u);
}

TEST(KeyConfigListTest, ConfigTooLongForTheLengthPrefix)
{
    const AppendixA a = AppendixA::load();
    // An X25519 config is 37 + 4n bytes; the 2-byte prefix allows n <= 16374.
    const size_t fits = (0xffff - 37) / 4;
    const auto ok = KeyConfig::create(1, hpke::KemId::DhkemX25519Sha256, a.gatewayPkR,
        std::vector<SymmetricAlgorithm>(fits, SymmetricAlgorithm { 1, 1 }));
    ASSERT_OHTTP_OK(ok);
    const std::vector<KeyConfig> fitting { *ok };
    const auto body = serializeKeyConfigList(fitting);
    ASSERT_OHTTP_OK(body);
    const auto back = parseSupportedKeyConfigs(*body);
    ASSERT_OHTTP_OK(back);
    EXPECT_EQ(*back, fitting);

    const auto tooLong = KeyConfig::create(1, hpke::KemId::DhkemX25519Sha256, a.gatewayPkR,
        std::vector<SymmetricAlgorithm>(fits + 1, SymmetricAlgorithm { 1, 1 }));
    ASSERT_OHTTP_OK(tooLong);
    const std::vector<KeyConfig> notFitting { *tooLong };
    EXPECT_OHTTP_ERROR(serializeKeyConfigList(notFitting), OhttpError::InvalidKeyList);
}

} // namespace
