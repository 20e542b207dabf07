// SPDX-License-Identifier: GPL-3.0-or-later
// Oblivious HTTP key configurations, RFC 9458 Section 3.
//
// A Key Config (Section 3.1) is parsed strictly: the public key is exactly
// Npk bytes for its KEM and a valid point, the algorithms length is a
// multiple of 4 in 4..65532, and nothing follows the last algorithm.
//
// An application/ohttp-keys list (Section 3.2) is all or nothing: one
// encoding error anywhere and the whole list is refused (InvalidKeyList),
// because clients that recover different subsets of a broken list could be
// told apart (Section 3.2). What is NOT an encoding error is an identifier
// this implementation does not know: Section 3 makes the client "select a
// preferred key configuration from those it supports", so a config with an
// unknown KEM, or unknown KDF/AEAD pairs, is kept in the raw parse and
// skipped by the selection (supportedKeyConfigs). A config whose KEM is
// unknown cannot be split into its fields (Npk comes from the KEM), so for it
// only the length prefix, the key id and the KEM id are checked.
#pragma once

#include "protocol/common/bytes.h"
#include "protocol/hpke/hpke.h"
#include "protocol/ohttp/error.h"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace sotto::ohttp {

// One "HPKE Symmetric Algorithms" entry of a Key Config (Section 3.1) as it
// is on the wire. The ids may name algorithms this implementation lacks.
struct SymmetricAlgorithm {
    uint16_t kdfId = 0;
    uint16_t aeadId = 0;
    friend bool operator==(const SymmetricAlgorithm &, const SymmetricAlgorithm &) = default;
};

// A KDF and AEAD pair this implementation can use for OHTTP: the client's
// choice for a request, and what a gateway accepts for a key.
struct SymmetricSuite {
    hpke::KdfId kdf = hpke::KdfId::HkdfSha256;
    hpke::AeadId aead = hpke::AeadId::Aes128Gcm;
    friend bool operator==(const SymmetricSuite &, const SymmetricSuite &) = default;
};

// Whether OHTTP can use this pair here: both ids implemented and the AEAD is
// not export-only (Section 4.3 needs Seal, Section 4.4 needs the AEAD).
std::optional<SymmetricSuite> toSupportedSuite(SymmetricAlgorithm algorithm);

// The wire form of a Key Config: key_id(1) kem_id(2) pkR(Npk) length(2)
// (kdf_id(2) aead_id(2))*. Its bytes are at most 3 + 65 + 2 + 65532.
inline constexpr size_t kMinSymmetricAlgorithmsLength = 4;
inline constexpr size_t kMaxSymmetricAlgorithmsLength = 65532;
inline constexpr size_t kMaxSymmetricAlgorithms = kMaxSymmetricAlgorithmsLength / 4;

class KeyConfig {
public:
    // Checks what parse() checks: a KEM this implementation supports, a valid
    // public key of Npk bytes, 1..16383 algorithms. Unknown KDF/AEAD ids are
    // allowed (a config may offer more than this implementation can use).
    static OhttpResult<KeyConfig> create(uint8_t keyId, hpke::KemId kem, ByteView publicKey,
        std::vector<SymmetricAlgorithm> algorithms);
    // The gateway's side (Section 3): the config that announces `keyPair`
    // under `keyId` with the pairs it accepts, in that order. Refuses an
    // empty or repeated list and pairs OHTTP cannot use (export-only).
    static OhttpResult<KeyConfig> forGateway(
        uint8_t keyId, const hpke::KeyPair &keyPair, std::span<const SymmetricSuite> accepted);

    // Section 3.1, strictly: the whole input is one Key Config. An unknown
    // KEM fails with UnsupportedKem (its Npk is unknown, so the rest cannot
    // be read); every other problem is InvalidKeyConfig.
    static OhttpResult<KeyConfig> parse(ByteView encoded);
    Bytes serialize() const;

    uint8_t keyId() const { return m_keyId; }
    hpke::KemId kem() const { return m_kem; }
    const Bytes &publicKey() const { return m_publicKey; }
    const std::vector<SymmetricAlgorithm> &symmetricAlgorithms() const { return m_algorithms; }

    // The listed pairs this implementation can use, in the config's order
    // (the gateway's order of preference, if it has one), without repeats.
    std::vector<SymmetricSuite> supportedSuites() const;
    bool offers(SymmetricSuite suite) const;

    friend bool operator==(const KeyConfig &, const KeyConfig &) = default;

private:
    KeyConfig() = default;
    uint8_t m_keyId = 0;
    hpke::KemId m_kem = hpke::KemId::DhkemX25519Sha256;
    Bytes m_publicKey;
    std::vector<SymmetricAlgorithm> m_algorithms;
};

// One element of an application/ohttp-keys list, as received.
struct KeyConfigListEntry {
    uint8_t keyId = 0;
    uint16_t kemId = 0;
    Bytes encoding;                  // the Key Config bytes, without the length prefix
    std::optional<KeyConfig> config; // set when the KEM is one this implementation supports
    friend bool operator==(const KeyConfigListEntry &, const KeyConfigListEntry &) = default;
};

// Section 3.2: one or more Key Configs, each prefixed with its 2-byte length.
// Any encoding error, including an empty body, fails with InvalidKeyList
// (the detail says which entry and why). Entries keep the list's order.
OhttpResult<std::vector<KeyConfigListEntry>> parseKeyConfigList(ByteView body);

// Section 3: the configs a client can use (KEM supported, at least one usable
// KDF/AEAD pair), in list order.
std::vector<KeyConfig> supportedKeyConfigs(std::span<const KeyConfigListEntry> entries);

// parseKeyConfigList then supportedKeyConfigs; NoSupportedKeyConfig when the
// list is valid but nothing in it is usable.
OhttpResult<std::vector<KeyConfig>> parseSupportedKeyConfigs(ByteView body);

// The application/ohttp-keys body for these configs. InvalidKeyList when the
// list is empty or a config is longer than a 2-byte length can state.
OhttpResult<Bytes> serializeKeyConfigList(std::span<const KeyConfig> configs);
// Re-encodes parsed entries (their `encoding` bytes); for a list that parsed,
// this gives back the same bytes.
OhttpResult<Bytes> serializeKeyConfigList(std::span<const KeyConfigListEntry> entries);

} // namespace sotto::ohttp
