// SPDX-License-Identifier: GPL-3.0-or-later
// Hybrid Public Key Encryption, RFC 9180.
//
// Suites: DHKEM(X25519, HKDF-SHA256) and DHKEM(P-256, HKDF-SHA256); KDF
// HKDF-SHA256; AEADs AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305 and
// export-only. All four modes (base, psk, auth, auth_psk), multi-message
// contexts, single-shot seal/open and the secret export interface.
// OpenSSL 3.0 has no HPKE API, so this is built on protocol/crypto.
#pragma once

#include "protocol/common/bytes.h"
#include "protocol/common/result.h"
#include "protocol/crypto/aead.h"
#include "protocol/crypto/dh.h"
#include "protocol/crypto/secret_bytes.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace sotto::hpke {

using crypto::SecretBytes;

// RFC 9180 Section 5, Table 1.
enum class Mode : uint8_t { Base = 0x00, Psk = 0x01, Auth = 0x02, AuthPsk = 0x03 };

// RFC 9180 Section 7.1, 7.2, 7.3 identifiers.
enum class KemId : uint16_t { DhkemP256Sha256 = 0x0010, DhkemX25519Sha256 = 0x0020 };
enum class KdfId : uint16_t { HkdfSha256 = 0x0001 };
enum class AeadId : uint16_t {
    Aes128Gcm = 0x0001,
    Aes256Gcm = 0x0002,
    ChaCha20Poly1305 = 0x0003,
    ExportOnly = 0xFFFF,
};

enum class HpkeError {
    UnsupportedKem,
    UnsupportedKdf,
    UnsupportedAead,
    InvalidPrivateKey,   // malformed or out-of-range private key
    InvalidPublicKey,    // pkR, pkS or enc malformed / not on the curve
    DeriveKeyPairFailed, // RFC 9180 Section 7.1.3
    DhFailed,            // DH produced an invalid (all-zero) shared secret
    InconsistentPsk,     // psk and psk_id must both be given or both be empty (Section 5.1)
    InvalidParameters,   // e.g. a sender key in base mode, missing sender key in auth mode
    MessageLimitReached, // sequence number would overflow (Section 5.2)
    OpenFailed,          // AEAD authentication failed
    ExportOnly,          // Seal/Open on an export-only context
    ExportTooLong,       // L > 255 * Nh (Section 5.3)
    InputTooLong,        // an input over the implementation's limit (Section 7.2.1)
};

std::string_view errorName(HpkeError e);

template <class T> using HpkeResult = Result<T, HpkeError>;

// This implementation's bound on the variable-length application inputs psk,
// psk_id, info, exporter_context and ikm (RFC 9180 Section 7.2.1). The RFC's
// bounds for HKDF-SHA256 are about 2^61 bytes; 64 KiB is far above what any
// protocol passes (ECH's info carries a whole ECHConfig, a few hundred bytes)
// and keeps hostile input from making us hash unbounded data. Longer inputs
// fail with InputTooLong.
inline constexpr size_t kMaxInputLength = 64 * 1024;
// exporter_context is HKDF-Expand info, which protocol/crypto bounds at 1024
// bytes (OpenSSL 3.0's HKDF limit); LabeledExpand's prefix takes 22 of them
// (2-byte L, "HPKE-v1", the 10-byte suite_id, "sec").
inline constexpr size_t kMaxExporterContextLength = 1024 - 22;
// "The PSK MUST have at least 32 bytes of entropy" (Section 5.1.2, 9.5): a
// shorter PSK cannot meet that, so it is refused with InvalidParameters.
inline constexpr size_t kMinPskLength = 32;

struct Suite {
    KemId kem = KemId::DhkemX25519Sha256;
    KdfId kdf = KdfId::HkdfSha256;
    AeadId aead = AeadId::Aes128Gcm;

    // Checks the three ids are ones this implementation supports.
    static HpkeResult<Suite> create(uint16_t kem, uint16_t kdf, uint16_t aead);
    friend bool operator==(const Suite &, const Suite &) = default;
};

// Sizes from RFC 9180 Section 7 (Table 2, 3, 5). Nk/Nn are 0 for export-only.
size_t encLength(KemId kem);         // Nenc
size_t publicKeyLength(KemId kem);   // Npk
size_t privateKeyLength(KemId kem);  // Nsk
size_t kdfHashLength(KdfId kdf);     // Nh
size_t aeadKeyLength(AeadId aead);   // Nk
size_t aeadNonceLength(AeadId aead); // Nn
crypto::DhGroup dhGroup(KemId kem);

// A KEM key pair. The private half lives in crypto::DhPrivateKey (an OpenSSL
// key object) and is exported only through SerializePrivateKey.
class KeyPair {
public:
    static HpkeResult<KeyPair> generate(KemId kem);
    // DeriveKeyPair(ikm), RFC 9180 Section 7.1.3.
    static HpkeResult<KeyPair> derive(KemId kem, ByteView ikm);
    // DeserializePrivateKey, Section 7.1.2.
    static HpkeResult<KeyPair> fromPrivateKey(KemId kem, ByteView skBytes);

    KemId kem() const { return m_kem; }
    const Bytes &publicKey() const { return m_publicKey; }
    SecretBytes privateKey() const { return m_private.privateKeyBytes(); }
    const crypto::DhPrivateKey &dhKey() const { return m_private; }

private:
    KeyPair(KemId kem, crypto::DhPrivateKey key);
    KemId m_kem;
    crypto::DhPrivateKey m_private;
    Bytes m_publicKey;
};

// The key schedule's output (Section 5.1) and the encryption context
// (Section 5.2). Sender and recipient share this type: a context made by
// setupSender seals, one made by setupRecipient opens. Nonces are
// base_nonce XOR the big-endian sequence number.
class Context {
public:
    enum class Role { Sender, Recipient };

    HpkeResult<Bytes> seal(ByteView aad, ByteView plaintext);
    HpkeResult<SecretBytes> open(ByteView aad, ByteView ciphertext);
    // Export(exporter_context, L), Section 5.3.
    HpkeResult<SecretBytes> exportSecret(ByteView exporterContext, size_t length) const;

    const Suite &suite() const { return m_suite; }
    Role role() const { return m_role; }
    uint64_t sequence() const { return m_seq; }

    // For test vectors only: the derived key schedule values.
    const SecretBytes &keyForTesting() const { return m_key; }
    const SecretBytes &baseNonceForTesting() const { return m_baseNonce; }
    const SecretBytes &exporterSecretForTesting() const { return m_exporterSecret; }
    // For tests of the sequence-number limit (Section 5.2) only.
    void setSequenceForTesting(uint64_t seq) { m_seq = seq; }

private:
    friend class KeySchedule;
    Context(
        Suite suite, Role role, SecretBytes key, SecretBytes baseNonce, SecretBytes exporterSecret);
    HpkeResult<Bytes> nextNonce();

    Suite m_suite;
    Role m_role;
    SecretBytes m_key;
    SecretBytes m_baseNonce;
    SecretBytes m_exporterSecret;
    uint64_t m_seq = 0;
};

// Mode parameters. The mode follows from which are set:
// psk+pskId -> psk; senderKey (sender side) / senderPublicKey (recipient side) -> auth.
struct SenderOptions {
    ByteView info;
    ByteView psk;
    ByteView pskId;
    const KeyPair *senderKey = nullptr; // auth and auth_psk modes
    // Deterministic encapsulation for test vectors (RFC 9180 Appendix A uses
    // fixed ikmE). Leave null in production: a fresh key is generated.
    const KeyPair *ephemeralKeyForTesting = nullptr;
};

struct RecipientOptions {
    ByteView info;
    ByteView psk;
    ByteView pskId;
    ByteView senderPublicKey; // auth and auth_psk modes
};

struct SenderSetup {
    Bytes enc;
    Context context;
};

// SetupBaseS / SetupPSKS / SetupAuthS / SetupAuthPSKS (Section 5.1.1-5.1.4).
HpkeResult<SenderSetup> setupSender(
    const Suite &suite, ByteView recipientPublicKey, const SenderOptions &options = {});
// SetupBaseR / SetupPSKR / SetupAuthR / SetupAuthPSKR.
HpkeResult<Context> setupRecipient(const Suite &suite, ByteView enc, const KeyPair &recipient,
    const RecipientOptions &options = {});

// Single-shot APIs, Section 6.
struct Sealed {
    Bytes enc;
    Bytes ciphertext;
};
HpkeResult<Sealed> seal(const Suite &suite, ByteView recipientPublicKey, ByteView aad,
    ByteView plaintext, const SenderOptions &options = {});
HpkeResult<SecretBytes> open(const Suite &suite, ByteView enc, const KeyPair &recipient,
    ByteView aad, ByteView ciphertext, const RecipientOptions &options = {});
struct SentExport {
    Bytes enc;
    SecretBytes exported;
};
HpkeResult<SentExport> sendExport(const Suite &suite, ByteView recipientPublicKey,
    ByteView exporterContext, size_t length, const SenderOptions &options = {});
HpkeResult<SecretBytes> receiveExport(const Suite &suite, ByteView enc, const KeyPair &recipient,
    ByteView exporterContext, size_t length, const RecipientOptions &options = {});

} // namespace sotto::hpke
