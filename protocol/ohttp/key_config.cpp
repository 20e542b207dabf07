// SPDX-License-Identifier: GPL-3.0-or-later
// Key configurations and application/ohttp-keys lists, RFC 9458 Section 3.
#include "protocol/ohttp/key_config.h"

#include "protocol/common/wire.h"
#include "protocol/crypto/dh.h"
#include "protocol/ohttp/detail.h"

#include <algorithm>
#include <limits>
#include <string>

namespace sotto::ohttp {

namespace {

// Section 3.1 refers to RFC 9180 Section 7.1 for KEM ids; these are the two
// this implementation has (hpke.h).
std::optional<hpke::KemId> kemFromId(uint16_t id)
{
    switch (id) {
    case static_cast<uint16_t>(hpke::KemId::DhkemP256Sha256):
        return hpke::KemId::DhkemP256Sha256;
    case static_cast<uint16_t>(hpke::KemId::DhkemX25519Sha256):
        return hpke::KemId::DhkemX25519Sha256;
    }
    return std::nullopt;
}

std::string sizeText(size_t n)
{
    return std::to_string(n) + (n == 1 ? " byte" : " bytes");
}

// The smallest Key Config any KEM can have: key id, KEM id, an algorithms
// length and one algorithm (Section 3.1), with an empty public key.
constexpr size_t kMinKeyConfigLength = 1 + 2 + 2 + kMinSymmetricAlgorithmsLength;

} // namespace

std::optional<SymmetricSuite> toSupportedSuite(SymmetricAlgorithm algorithm)
{
    // RFC 9180 Section 7.2 / 7.3 ids. Export-only (0xffff) is left out on
    // purpose: Section 4.3 seals the request and Section 4.4 needs Nk and Nn.
    if (algorithm.kdfId != static_cast<uint16_t>(hpke::KdfId::HkdfSha256))
        return std::nullopt;
    switch (algorithm.aeadId) {
    case static_cast<uint16_t>(hpke::AeadId::Aes128Gcm):
    case static_cast<uint16_t>(hpke::AeadId::Aes256Gcm):
    case static_cast<uint16_t>(hpke::AeadId::ChaCha20Poly1305):
        return SymmetricSuite { hpke::KdfId::HkdfSha256,
            static_cast<hpke::AeadId>(algorithm.aeadId) };
    }
    return std::nullopt;
}

// --- KeyConfig ---------------------------------------------------------------

OhttpResult<KeyConfig> KeyConfig::create(
    uint8_t keyId, hpke::KemId kem, ByteView publicKey, std::vector<SymmetricAlgorithm> algorithms)
{
    if (!kemFromId(static_cast<uint16_t>(kem)))
        return fail(OhttpError::UnsupportedKem,
            "key config: KEM " + detail::hexId(static_cast<uint16_t>(kem)) + " not supported");
    // Section 3.1: "The length of the public key is Npk, which is determined
    // by the choice of HPKE KEM".
    const size_t npk = hpke::publicKeyLength(kem);
    if (publicKey.size() != npk)
        return fail(OhttpError::InvalidKeyConfig,
            "key config: public key of Npk = " + sizeText(npk) + " expected, got "
                + sizeText(publicKey.size()));
    // RFC 9180 Section 7.1.4: a P-256 key must be a point on the curve. A
    // config carrying a key nobody can encrypt to is not a usable encoding.
    if (auto valid = crypto::validatePublicKey(hpke::dhGroup(kem), publicKey); !valid)
        return fail(OhttpError::InvalidKeyConfig,
            "key config: public key is not a valid "
                + std::string(kem == hpke::KemId::DhkemP256Sha256 ? "P-256" : "X25519") + " key ("
                + std::string(crypto::errorName(valid.error())) + ")");
    // Section 3.1: HPKE Symmetric Algorithms Length = 4..65532, i.e. one to
    // 16383 pairs.
    if (algorithms.empty() || algorithms.size() > kMaxSymmetricAlgorithms)
        return fail(OhttpError::InvalidKeyConfig,
            "key config: 1 to " + std::to_string(kMaxSymmetricAlgorithms)
                + " symmetric algorithms expected, got " + std::to_string(algorithms.size()));
    KeyConfig config;
    config.m_keyId = keyId;
    config.m_kem = kem;
    config.m_publicKey.assign(publicKey.begin(), publicKey.end());
    config.m_algorithms = std::move(algorithms);
    return config;
}

OhttpResult<KeyConfig> KeyConfig::forGateway(
    uint8_t keyId, const hpke::KeyPair &keyPair, std::span<const SymmetricSuite> accepted)
{
    if (accepted.empty())
        return fail(OhttpError::InvalidKeyConfig,
            "gateway key config: at least one accepted KDF/AEAD pair expected (Section 3.1)");
    std::vector<SymmetricAlgorithm> algorithms;
    algorithms.reserve(accepted.size());
    for (const SymmetricSuite &suite : accepted) {
        const SymmetricAlgorithm raw { static_cast<uint16_t>(suite.kdf),
            static_cast<uint16_t>(suite.aead) };
        // A gateway must not announce a pair it cannot decapsulate with.
        if (!toSupportedSuite(raw)) {
            const bool kdfKnown = raw.kdfId == static_cast<uint16_t>(hpke::KdfId::HkdfSha256);
            return fail(kdfKnown ? OhttpError::UnsupportedAead : OhttpError::UnsupportedKdf,
                "gateway key config: KDF " + detail::hexId(raw.kdfId) + " / AEAD "
                    + detail::hexId(raw.aeadId) + " cannot be used for OHTTP");
        }
        if (std::find(algorithms.begin(), algorithms.end(), raw) != algorithms.end())
            return fail(OhttpError::InvalidKeyConfig,
                "gateway key config: KDF " + detail::hexId(raw.kdfId) + " / AEAD "
                    + detail::hexId(raw.aeadId) + " listed twice");
        algorithms.push_back(raw);
    }
    return create(keyId, keyPair.kem(), keyPair.publicKey(), std::move(algorithms));
}

// Section 3.1, Figure 2.
OhttpResult<KeyConfig> KeyConfig::parse(ByteView encoded)
{
    WireReader in(encoded);
    const auto keyId = in.u8();
    const auto kemId = in.u16();
    if (!keyId || !kemId)
        return fail(OhttpError::InvalidKeyConfig,
            "key config: key id and KEM id (3 bytes) expected, got " + sizeText(encoded.size()));
    const auto kem = kemFromId(*kemId);
    if (!kem)
        return fail(OhttpError::UnsupportedKem,
            "key config: KEM " + detail::hexId(*kemId)
                + " not supported, so its public key length is unknown");
    const size_t npk = hpke::publicKeyLength(*kem);
    const auto publicKey = in.bytes(npk);
    if (!publicKey)
        return fail(OhttpError::InvalidKeyConfig,
            "key config: public key of Npk = " + sizeText(npk) + " expected, "
                + sizeText(in.remaining()) + " left");
    const auto algorithmsLength = in.u16();
    if (!algorithmsLength)
        return fail(OhttpError::InvalidKeyConfig,
            "key config: 2-byte symmetric algorithms length expected, " + sizeText(in.remaining())
                + " left");
    if (*algorithmsLength < kMinSymmetricAlgorithmsLength
        || *algorithmsLength > kMaxSymmetricAlgorithmsLength || *algorithmsLength % 4 != 0)
        return fail(OhttpError::InvalidKeyConfig,
            "key config: symmetric algorithms length must be a multiple of 4 in 4..65532, got "
                + std::to_string(*algorithmsLength));
    const auto algorithmBytes = in.bytes(*algorithmsLength);
    if (!algorithmBytes)
        return fail(OhttpError::InvalidKeyConfig,
            "key config: " + sizeText(*algorithmsLength) + " of symmetric algorithms announced, "
                + sizeText(in.remaining()) + " left");
    // One config is exactly its fields; anything after them is not part of
    // the encoding (the list format of Section 3.2 gives each its length).
    if (!in.empty())
        return fail(OhttpError::InvalidKeyConfig,
            "key config: " + sizeText(in.remaining()) + " after the symmetric algorithms");

    std::vector<SymmetricAlgorithm> algorithms;
    algorithms.reserve(*algorithmsLength / 4);
    WireReader pairs(*algorithmBytes);
    while (!pairs.empty()) {
        const auto kdf = pairs.u16();
        const auto aead = pairs.u16();
        algorithms.push_back({ *kdf, *aead }); // length is a multiple of 4: both present
    }
    return create(*keyId, *kem, *publicKey, std::move(algorithms));
}

Bytes KeyConfig::serialize() const
{
    WireWriter out;
    out.u8(m_keyId);
    out.u16(static_cast<uint16_t>(m_kem));
    out.bytes(m_publicKey);
    out.u16(static_cast<uint16_t>(m_algorithms.size() * 4)); // <= 65532 by create()
    for (const SymmetricAlgorithm &a : m_algorithms) {
        out.u16(a.kdfId);
        out.u16(a.aeadId);
    }
    return out.take();
}

std::vector<SymmetricSuite> KeyConfig::supportedSuites() const
{
    std::vector<SymmetricSuite> suites;
    for (const SymmetricAlgorithm &a : m_algorithms) {
        const auto suite = toSupportedSuite(a);
        if (suite && std::find(suites.begin(), suites.end(), *suite) == suites.end())
            suites.push_back(*suite);
    }
    return suites;
}

bool KeyConfig::offers(SymmetricSuite suite) const
{
    const SymmetricAlgorithm raw { static_cast<uint16_t>(suite.kdf),
        static_cast<uint16_t>(suite.aead) };
    return toSupportedSuite(raw)
        && std::find(m_algorithms.begin(), m_algorithms.end(), raw) != m_algorithms.end();
}

// --- application/ohttp-keys (Section 3.2) ----------------------------------------

OhttpResult<std::vector<KeyConfigListEntry>> parseKeyConfigList(ByteView body)
{
    // "one or more key configuration encodings": an empty body lists none.
    if (body.empty())
        return fail(OhttpError::InvalidKeyList,
            "key list: empty, at least one key config expected (Section 3.2)");
    std::vector<KeyConfigListEntry> entries;
    WireReader in(body);
    for (size_t index = 0; !in.empty(); ++index) {
        const std::string where = "key list entry " + std::to_string(index) + ": ";
        const auto length = in.u16();
        if (!length)
            return fail(OhttpError::InvalidKeyList,
                where + "2-byte length expected, " + sizeText(in.remaining()) + " left");
        const auto encoding = in.bytes(*length);
        if (!encoding)
            return fail(OhttpError::InvalidKeyList,
                where + sizeText(*length) + " announced, " + sizeText(in.remaining()) + " left");

        auto parsed = KeyConfig::parse(*encoding);
        KeyConfigListEntry entry;
        if (parsed) {
            entry.config = std::move(parsed).value();
        } else if (parsed.error() == OhttpError::UnsupportedKem) {
            // Not an encoding error: a KEM we do not know. The fields after
            // the KEM id cannot be located, but the entry must at least be
            // long enough to be some Key Config.
            if (encoding->size() < kMinKeyConfigLength)
                return fail(OhttpError::InvalidKeyList,
                    where + sizeText(encoding->size()) + " cannot be a key config (at least "
                        + sizeText(kMinKeyConfigLength) + ")");
        } else {
            // Section 3.2: "Clients MUST discard incorrectly encoded key
            // configuration collections" -- the whole list, not the entry.
            return fail(OhttpError::InvalidKeyList, where + parsed.detail());
        }
        entry.keyId = (*encoding)[0];
        entry.kemId = static_cast<uint16_t>(((*encoding)[1] << 8) | (*encoding)[2]);
        entry.encoding.assign(encoding->begin(), encoding->end());
        entries.push_back(std::move(entry));
    }
    return entries;
}

std::vector<KeyConfig> supportedKeyConfigs(std::span<const KeyConfigListEntry> entries)
{
    std::vector<KeyConfig> configs;
    for (const KeyConfigListEntry &entry : entries) {
        if (entry.config && !entry.config->supportedSuites().empty())
            configs.push_back(*entry.config);
    }
    return configs;
}

OhttpResult<std::vector<KeyConfig>> parseSupportedKeyConfigs(ByteView body)
{
    SOTTO_TRY(const auto entries, parseKeyConfigList(body));
    auto configs = supportedKeyConfigs(entries);
    if (configs.empty())
        return fail(OhttpError::NoSupportedKeyConfig,
            "key list: none of " + std::to_string(entries.size())
                + " key configs uses a supported KEM with a supported KDF/AEAD pair");
    return configs;
}

namespace {

OhttpStatus appendPrefixed(WireWriter &out, ByteView encoding, size_t index)
{
    if (encoding.size() > std::numeric_limits<uint16_t>::max())
        return fail(OhttpError::InvalidKeyList,
            "key list entry " + std::to_string(index) + ": " + sizeText(encoding.size())
                + " do not fit the 2-byte length prefix (Section 3.2)");
    out.u16(static_cast<uint16_t>(encoding.size()));
    out.bytes(encoding);
    return Done {};
}

} // namespace

OhttpResult<Bytes> serializeKeyConfigList(std::span<const KeyConfig> configs)
{
    if (configs.empty())
        return fail(
            OhttpError::InvalidKeyList, "key list: at least one key config expected (Section 3.2)");
    WireWriter out;
    for (size_t i = 0; i < configs.size(); ++i) {
        if (auto s = appendPrefixed(out, configs[i].serialize(), i); !s)
            return s.failure();
    }
    return out.take();
}

OhttpResult<Bytes> serializeKeyConfigList(std::span<const KeyConfigListEntry> entries)
{
    if (entries.empty())
        return fail(
            OhttpError::InvalidKeyList, "key list: at least one key config expected (Section 3.2)");
    WireWriter out;
    for (size_t i = 0; i < entries.size(); ++i) {
        if (auto s = appendPrefixed(out, entries[i].encoding, i); !s)
            return s.failure();
    }
    return out.take();
}

} // namespace sotto::ohttp
