// SPDX-License-Identifier: GPL-3.0-or-later
// RFC 9180 (HPKE) built from the primitives in protocol/crypto: DH, HKDF and
// AEAD. Nothing here touches OpenSSL directly. Section numbers in comments are
// those of RFC 9180 unless another document is named.
#include "protocol/hpke/hpke.h"

#include "protocol/crypto/hash.h"
#include "protocol/crypto/hkdf.h"

#include <limits>
#include <optional>
#include <string>
#include <utility>

namespace sotto::hpke {

namespace {

using crypto::CryptoError;

// Section 4: every labeled KDF call is prefixed with this version string.
constexpr std::string_view kVersionLabel = "HPKE-v1";
// Section 7.3, Table 5: Nt for every AEAD this implementation supports.
constexpr size_t kTagLength = crypto::kAeadTagLength;

std::string sizeDetail(std::string_view what, size_t expected, size_t got)
{
    return std::string(what) + ": expected " + std::to_string(expected) + " bytes, got "
        + std::to_string(got);
}

// Translates a protocol/crypto failure. The codes with an HPKE meaning keep it;
// anything else (an unexpected OpenSSL failure) becomes `fallback`, the error
// of the operation that was being attempted.
Failure<HpkeError> fromCrypto(
    const Failure<CryptoError> &f, HpkeError fallback, std::string_view what)
{
    HpkeError code = fallback;
    switch (f.code) {
    case CryptoError::InvalidPrivateKey:
        code = HpkeError::InvalidPrivateKey;
        break;
    case CryptoError::InvalidPublicKey:
        code = HpkeError::InvalidPublicKey;
        break;
    case CryptoError::InvalidSharedSecret:
        code = HpkeError::DhFailed;
        break;
    case CryptoError::AuthenticationFailed:
        code = HpkeError::OpenFailed;
        break;
    case CryptoError::OutputTooLong:
        code = HpkeError::ExportTooLong;
        break;
    case CryptoError::InputTooLong:
        code = HpkeError::InputTooLong;
        break;
    case CryptoError::DeriveKeyPairFailed:
        code = HpkeError::DeriveKeyPairFailed;
        break;
    case CryptoError::InvalidKeyLength:
    case CryptoError::InvalidNonceLength:
    case CryptoError::Internal:
        break;
    }
    std::string detail = std::string(what) + ": " + std::string(crypto::errorName(f.code));
    if (!f.detail.empty())
        detail += " (" + f.detail + ")";
    return fail(code, std::move(detail));
}

bool isSupported(KemId kem)
{
    return kem == KemId::DhkemX25519Sha256 || kem == KemId::DhkemP256Sha256;
}

bool isSupported(KdfId kdf)
{
    return kdf == KdfId::HkdfSha256;
}

bool isSupported(AeadId aead)
{
    switch (aead) {
    case AeadId::Aes128Gcm:
    case AeadId::Aes256Gcm:
    case AeadId::ChaCha20Poly1305:
    case AeadId::ExportOnly:
        return true;
    }
    return false;
}

std::string hexId(uint16_t id)
{
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string hex = "0x";
    for (int shift = 12; shift >= 0; shift -= 4)
        hex += kDigits[(id >> shift) & 0xf];
    return hex;
}

std::string idDetail(std::string_view what, uint16_t id)
{
    return "unsupported " + std::string(what) + " id " + hexId(id);
}

Status<HpkeError> checkKem(KemId kem)
{
    if (!isSupported(kem))
        return fail(HpkeError::UnsupportedKem, idDetail("KEM", static_cast<uint16_t>(kem)));
    return Done {};
}

Status<HpkeError> checkSuite(const Suite &suite)
{
    if (auto s = checkKem(suite.kem); !s)
        return s.failure();
    if (!isSupported(suite.kdf))
        return fail(HpkeError::UnsupportedKdf, idDetail("KDF", static_cast<uint16_t>(suite.kdf)));
    if (!isSupported(suite.aead))
        return fail(
            HpkeError::UnsupportedAead, idDetail("AEAD", static_cast<uint16_t>(suite.aead)));
    return Done {};
}

Status<HpkeError> checkInputLength(
    std::string_view what, ByteView input, size_t limit = kMaxInputLength)
{
    // Section 7.2.1: an implementation bounds the application inputs.
    if (input.size() > limit)
        return fail(HpkeError::InputTooLong,
            std::string(what) + ": at most " + std::to_string(limit) + " bytes accepted, got "
                + std::to_string(input.size()));
    return Done {};
}

crypto::AeadAlg aeadAlg(AeadId aead)
{
    switch (aead) {
    case AeadId::Aes256Gcm:
        return crypto::AeadAlg::Aes256Gcm;
    case AeadId::ChaCha20Poly1305:
        return crypto::AeadAlg::ChaCha20Poly1305;
    case AeadId::Aes128Gcm:
    case AeadId::ExportOnly:
        break;
    }
    return crypto::AeadAlg::Aes128Gcm;
}

// Both supported KEMs use HKDF-SHA256 internally (Section 7.1, Table 2), and
// so does the only supported KDF (Section 7.2, Table 3).
constexpr crypto::HashAlg kHash = crypto::HashAlg::Sha256;

void appendU16(Bytes &out, uint16_t v)
{
    out.push_back(static_cast<uint8_t>(v >> 8));
    out.push_back(static_cast<uint8_t>(v));
}

// Section 4.1: inside a DHKEM, suite_id = concat("KEM", I2OSP(kem_id, 2)).
Bytes kemSuiteId(KemId kem)
{
    Bytes id = toBytes("KEM");
    appendU16(id, static_cast<uint16_t>(kem));
    return id;
}

// Section 5.1: elsewhere, suite_id = concat("HPKE", I2OSP(kem_id, 2),
// I2OSP(kdf_id, 2), I2OSP(aead_id, 2)).
Bytes hpkeSuiteId(const Suite &suite)
{
    Bytes id = toBytes("HPKE");
    appendU16(id, static_cast<uint16_t>(suite.kem));
    appendU16(id, static_cast<uint16_t>(suite.kdf));
    appendU16(id, static_cast<uint16_t>(suite.aead));
    return id;
}

// LabeledExtract and LabeledExpand (Section 4) for one suite_id. The labels
// give domain separation between the KEM, the key schedule and the exporter.
class LabeledKdf {
public:
    explicit LabeledKdf(Bytes suiteId)
        : m_suiteId(std::move(suiteId))
    { }

    // labeled_ikm = concat("HPKE-v1", suite_id, label, ikm). ikm may be a DH
    // output or a PSK, so the concatenation lives in SecretBytes.
    SecretBytes extract(ByteView salt, std::string_view label, ByteView ikm) const
    {
        SecretBytes labeledIkm;
        labeledIkm.reserve(kVersionLabel.size() + m_suiteId.size() + label.size() + ikm.size());
        labeledIkm.append(asBytes(kVersionLabel));
        labeledIkm.append(m_suiteId);
        labeledIkm.append(asBytes(label));
        labeledIkm.append(ikm);
        return crypto::hkdfExtract(kHash, salt, labeledIkm);
    }

    // labeled_info = concat(I2OSP(L, 2), "HPKE-v1", suite_id, label, info).
    HpkeResult<SecretBytes> expand(
        ByteView prk, std::string_view label, ByteView info, size_t length) const
    {
        // Expand's own bound (RFC 5869 Section 2.3) is L <= 255 * Nh, which
        // also keeps L inside I2OSP(L, 2).
        const size_t limit = 255 * crypto::hashLength(kHash);
        if (length > limit)
            return fail(HpkeError::ExportTooLong,
                std::string(label) + ": L at most " + std::to_string(limit) + ", got "
                    + std::to_string(length));
        // A zero-length output is the empty string; export-only suites ask
        // for Nk = Nn = 0 (Section 5.3), which HKDF need not be asked for.
        if (length == 0)
            return SecretBytes {};
        Bytes labeledInfo;
        labeledInfo.reserve(
            2 + kVersionLabel.size() + m_suiteId.size() + label.size() + info.size());
        appendU16(labeledInfo, static_cast<uint16_t>(length));
        labeledInfo.insert(labeledInfo.end(), kVersionLabel.begin(), kVersionLabel.end());
        labeledInfo.insert(labeledInfo.end(), m_suiteId.begin(), m_suiteId.end());
        labeledInfo.insert(labeledInfo.end(), label.begin(), label.end());
        labeledInfo.insert(labeledInfo.end(), info.begin(), info.end());
        auto out = crypto::hkdfExpand(kHash, prk, labeledInfo, length);
        if (!out)
            return fromCrypto(out.failure(), HpkeError::InvalidParameters, label);
        return std::move(out).value();
    }

private:
    Bytes m_suiteId;
};

// DeserializePublicKey plus the validation of Section 7.1.4: the length is
// Npk, and a P-256 point is on the curve and not the point at infinity
// (partial public key validation, done by crypto::validatePublicKey).
Status<HpkeError> checkPublicKey(KemId kem, ByteView pk, std::string_view what)
{
    if (pk.size() != publicKeyLength(kem))
        return fail(HpkeError::InvalidPublicKey, sizeDetail(what, publicKeyLength(kem), pk.size()));
    if (auto v = crypto::validatePublicKey(dhGroup(kem), pk); !v)
        return fromCrypto(v.failure(), HpkeError::InvalidPublicKey, what);
    return Done {};
}

// DH(sk, pk) of Section 4.1. The all-zero X25519 output must be refused
// (Section 7.1.4, RFC 7748 Section 6.1); crypto reports it as
// InvalidSharedSecret, which becomes DhFailed.
HpkeResult<SecretBytes> diffieHellman(
    const crypto::DhPrivateKey &sk, ByteView pk, std::string_view what)
{
    auto dh = sk.dh(pk);
    if (!dh)
        return fromCrypto(dh.failure(), HpkeError::DhFailed, what);
    return std::move(dh).value();
}

// ExtractAndExpand of Section 4.1, with the KEM's suite_id. Nsecret is 32 for
// both supported KEMs (Table 2).
HpkeResult<SecretBytes> extractAndExpand(KemId kem, ByteView dh, ByteView kemContext)
{
    constexpr size_t kNsecret = 32;
    const LabeledKdf kdf(kemSuiteId(kem));
    const SecretBytes eaePrk = kdf.extract({}, "eae_prk", dh);
    return kdf.expand(eaePrk, "shared_secret", kemContext, kNsecret);
}

struct Encapsulation {
    SecretBytes sharedSecret;
    Bytes enc;
};

// Encap(pkR) and AuthEncap(pkR, skS) of Section 4.1; `sender` is null for
// Encap. The ephemeral key pair is made by the caller.
HpkeResult<Encapsulation> encapsulate(
    KemId kem, ByteView pkR, const KeyPair &ephemeral, const KeyPair *sender)
{
    // Section 7.1.4: the sender MUST validate the recipient's public key.
    if (auto v = checkPublicKey(kem, pkR, "pkR"); !v)
        return v.failure();
    SOTTO_TRY(SecretBytes dh, diffieHellman(ephemeral.dhKey(), pkR, "DH(skE, pkR)"));
    Bytes enc = ephemeral.publicKey();
    // pkRm = SerializePublicKey(pkR): the validated bytes are already the
    // one serialization this KEM has (Section 7.1.1).
    Bytes kemContext = concat({ enc, pkR });
    if (sender) {
        SOTTO_TRY(SecretBytes dhS, diffieHellman(sender->dhKey(), pkR, "DH(skS, pkR)"));
        dh.append(dhS);
        kemContext.insert(kemContext.end(), sender->publicKey().begin(), sender->publicKey().end());
    }
    SOTTO_TRY(SecretBytes sharedSecret, extractAndExpand(kem, dh, kemContext));
    return Encapsulation { std::move(sharedSecret), std::move(enc) };
}

// Decap(enc, skR) and AuthDecap(enc, skR, pkS) of Section 4.1; an empty pkS
// means Decap.
HpkeResult<SecretBytes> decapsulate(KemId kem, ByteView enc, const KeyPair &recipient, ByteView pkS)
{
    // Section 7.1.4: the recipient MUST validate pkE (carried in enc) and, in
    // the authenticated modes, pkS.
    if (auto v = checkPublicKey(kem, enc, "enc"); !v)
        return v.failure();
    if (!pkS.empty()) {
        if (auto v = checkPublicKey(kem, pkS, "pkS"); !v)
            return v.failure();
    }
    SOTTO_TRY(SecretBytes dh, diffieHellman(recipient.dhKey(), enc, "DH(skR, pkE)"));
    Bytes kemContext = concat({ enc, recipient.publicKey() });
    if (!pkS.empty()) {
        SOTTO_TRY(SecretBytes dhS, diffieHellman(recipient.dhKey(), pkS, "DH(skR, pkS)"));
        dh.append(dhS);
        kemContext.insert(kemContext.end(), pkS.begin(), pkS.end());
    }
    return extractAndExpand(kem, dh, kemContext);
}

// VerifyPSKInputs of Section 5.1. Our API derives the mode from which inputs
// are present, so the mode checks can only fail through a psk without a
// psk_id or the reverse; they are kept to mirror the RFC.
Status<HpkeError> verifyPskInputs(Mode mode, ByteView psk, ByteView pskId)
{
    const bool gotPsk = !psk.empty();
    const bool gotPskId = !pskId.empty();
    if (gotPsk != gotPskId)
        return fail(HpkeError::InconsistentPsk,
            gotPsk ? "psk given without psk_id" : "psk_id given without psk");
    const bool modeWantsPsk = mode == Mode::Psk || mode == Mode::AuthPsk;
    if (gotPsk && !modeWantsPsk)
        return fail(HpkeError::InconsistentPsk, "PSK input provided when not needed");
    if (!gotPsk && modeWantsPsk)
        return fail(HpkeError::InconsistentPsk, "missing required PSK input");
    // Sections 5.1.2 and 9.5: a PSK needs at least 32 bytes of entropy.
    if (gotPsk && psk.size() < kMinPskLength)
        return fail(HpkeError::InvalidParameters,
            "psk: at least " + std::to_string(kMinPskLength) + " bytes required, got "
                + std::to_string(psk.size()));
    return Done {};
}

// Checks shared by both setup sides, before any public key operation: the
// suite, the input lengths (Section 7.2.1) and the PSK inputs (Section 5.1).
// Returns the mode the inputs select.
HpkeResult<Mode> prepareSetup(
    const Suite &suite, ByteView info, ByteView psk, ByteView pskId, bool authenticated)
{
    if (auto s = checkSuite(suite); !s)
        return s.failure();
    if (auto s = checkInputLength("info", info); !s)
        return s.failure();
    if (auto s = checkInputLength("psk", psk); !s)
        return s.failure();
    if (auto s = checkInputLength("psk_id", pskId); !s)
        return s.failure();
    const bool wantsPsk = !psk.empty() || !pskId.empty();
    const Mode mode = authenticated ? (wantsPsk ? Mode::AuthPsk : Mode::Auth)
                                    : (wantsPsk ? Mode::Psk : Mode::Base);
    if (auto s = verifyPskInputs(mode, psk, pskId); !s)
        return s.failure();
    return mode;
}

Status<HpkeError> checkKeyKem(const KeyPair &key, KemId kem, std::string_view what)
{
    if (key.kem() != kem)
        return fail(HpkeError::InvalidParameters,
            std::string(what) + ": key pair is for KEM " + hexId(static_cast<uint16_t>(key.kem()))
                + ", suite uses " + hexId(static_cast<uint16_t>(kem)));
    return Done {};
}

// RFC 7748 Section 5, decodeScalar25519: the clamping that Section 7.1.2
// requires of DeserializePrivateKey and SerializePrivateKey for X25519.
void clampX25519(SecretBytes &sk)
{
    sk.data()[0] &= 248;
    sk.data()[31] &= 127;
    sk.data()[31] |= 64;
}

} // namespace

// The key schedule of Section 5.1. A class (rather than a free function) so
// that it can use Context's private constructor.
class KeySchedule {
public:
    static HpkeResult<Context> run(const Suite &suite, Context::Role role, Mode mode,
        ByteView sharedSecret, ByteView info, ByteView psk, ByteView pskId)
    {
        // VerifyPSKInputs already ran in prepareSetup, before the KEM.
        const LabeledKdf kdf(hpkeSuiteId(suite));
        const SecretBytes pskIdHash = kdf.extract({}, "psk_id_hash", pskId);
        const SecretBytes infoHash = kdf.extract({}, "info_hash", info);
        // key_schedule_context = concat(mode, psk_id_hash, info_hash): hashes
        // of public values, so an ordinary byte string.
        Bytes keyScheduleContext;
        keyScheduleContext.push_back(static_cast<uint8_t>(mode));
        keyScheduleContext.insert(
            keyScheduleContext.end(), pskIdHash.view().begin(), pskIdHash.view().end());
        keyScheduleContext.insert(
            keyScheduleContext.end(), infoHash.view().begin(), infoHash.view().end());

        const SecretBytes secret = kdf.extract(sharedSecret, "secret", psk);
        // Nk = Nn = 0 for export-only: key and base_nonce stay empty (Section 5.3).
        SOTTO_TRY(SecretBytes key,
            kdf.expand(secret, "key", keyScheduleContext, aeadKeyLength(suite.aead)));
        SOTTO_TRY(SecretBytes baseNonce,
            kdf.expand(secret, "base_nonce", keyScheduleContext, aeadNonceLength(suite.aead)));
        SOTTO_TRY(SecretBytes exporterSecret,
            kdf.expand(secret, "exp", keyScheduleContext, kdfHashLength(suite.kdf)));
        return Context(
            suite, role, std::move(key), std::move(baseNonce), std::move(exporterSecret));
    }
};

std::string_view errorName(HpkeError e)
{
    switch (e) {
    case HpkeError::UnsupportedKem:
        return "UnsupportedKem";
    case HpkeError::UnsupportedKdf:
        return "UnsupportedKdf";
    case HpkeError::UnsupportedAead:
        return "UnsupportedAead";
    case HpkeError::InvalidPrivateKey:
        return "InvalidPrivateKey";
    case HpkeError::InvalidPublicKey:
        return "InvalidPublicKey";
    case HpkeError::DeriveKeyPairFailed:
        return "DeriveKeyPairFailed";
    case HpkeError::DhFailed:
        return "DhFailed";
    case HpkeError::InconsistentPsk:
        return "InconsistentPsk";
    case HpkeError::InvalidParameters:
        return "InvalidParameters";
    case HpkeError::MessageLimitReached:
        return "MessageLimitReached";
    case HpkeError::OpenFailed:
        return "OpenFailed";
    case HpkeError::ExportOnly:
        return "ExportOnly";
    case HpkeError::ExportTooLong:
        return "ExportTooLong";
    case HpkeError::InputTooLong:
        return "InputTooLong";
    }
    return "Unknown";
}

HpkeResult<Suite> Suite::create(uint16_t kem, uint16_t kdf, uint16_t aead)
{
    Suite suite { static_cast<KemId>(kem), static_cast<KdfId>(kdf), static_cast<AeadId>(aead) };
    if (auto s = checkSuite(suite); !s)
        return s.failure();
    return suite;
}

// Section 7.1, Table 2.
size_t encLength(KemId kem)
{
    return publicKeyLength(kem);
}

size_t publicKeyLength(KemId kem)
{
    switch (kem) {
    case KemId::DhkemX25519Sha256:
        return 32;
    case KemId::DhkemP256Sha256:
        return 65;
    }
    return 0;
}

size_t privateKeyLength(KemId kem)
{
    return isSupported(kem) ? 32 : 0;
}

// Section 7.2, Table 3.
size_t kdfHashLength(KdfId kdf)
{
    return kdf == KdfId::HkdfSha256 ? 32 : 0;
}

// Section 7.3, Table 5.
size_t aeadKeyLength(AeadId aead)
{
    switch (aead) {
    case AeadId::Aes128Gcm:
        return 16;
    case AeadId::Aes256Gcm:
    case AeadId::ChaCha20Poly1305:
        return 32;
    case AeadId::ExportOnly:
        break;
    }
    return 0;
}

size_t aeadNonceLength(AeadId aead)
{
    switch (aead) {
    case AeadId::Aes128Gcm:
    case AeadId::Aes256Gcm:
    case AeadId::ChaCha20Poly1305:
        return 12;
    case AeadId::ExportOnly:
        break;
    }
    return 0;
}

crypto::DhGroup dhGroup(KemId kem)
{
    return kem == KemId::DhkemP256Sha256 ? crypto::DhGroup::P256 : crypto::DhGroup::X25519;
}

// --- KeyPair -----------------------------------------------------------------

KeyPair::KeyPair(KemId kem, crypto::DhPrivateKey key)
    : m_kem(kem)
    , m_private(std::move(key))
    , m_publicKey(m_private.publicKey())
{ }

HpkeResult<KeyPair> KeyPair::generate(KemId kem)
{
    if (auto s = checkKem(kem); !s)
        return s.failure();
    auto key = crypto::DhPrivateKey::generate(dhGroup(kem));
    if (!key)
        return fromCrypto(key.failure(), HpkeError::InvalidPrivateKey, "GenerateKeyPair");
    return KeyPair(kem, std::move(key).value());
}

HpkeResult<KeyPair> KeyPair::fromPrivateKey(KemId kem, ByteView skBytes)
{
    if (auto s = checkKem(kem); !s)
        return s.failure();
    if (skBytes.size() != privateKeyLength(kem))
        return fail(HpkeError::InvalidPrivateKey,
            sizeDetail("private key", privateKeyLength(kem), skBytes.size()));
    SecretBytes sk(skBytes);
    // Section 7.1.2: DeserializePrivateKey MUST clamp an X25519 key. For P-256
    // crypto refuses 0 and values >= order (the SHOULD check of 7.1.2).
    if (kem == KemId::DhkemX25519Sha256)
        clampX25519(sk);
    auto key = crypto::DhPrivateKey::fromBytes(dhGroup(kem), sk);
    if (!key)
        return fromCrypto(key.failure(), HpkeError::InvalidPrivateKey, "DeserializePrivateKey");
    return KeyPair(kem, std::move(key).value());
}

HpkeResult<KeyPair> KeyPair::derive(KemId kem, ByteView ikm)
{
    if (auto s = checkKem(kem); !s)
        return s.failure();
    if (auto s = checkInputLength("ikm", ikm); !s)
        return s.failure();
    // Section 7.1.3: all KDF calls use the KEM's suite_id and KDF.
    const LabeledKdf kdf(kemSuiteId(kem));
    const SecretBytes dkpPrk = kdf.extract({}, "dkp_prk", ikm);
    const size_t nsk = privateKeyLength(kem);

    if (kem == KemId::DhkemX25519Sha256) {
        // sk = LabeledExpand(dkp_prk, "sk", "", Nsk): every 32-byte string is
        // a valid X25519 key once clamped.
        SOTTO_TRY(SecretBytes sk, kdf.expand(dkpPrk, "sk", {}, nsk));
        return fromPrivateKey(kem, sk);
    }

    // P-256: rejection sampling over candidates until one lies in
    // [1, order - 1]; bitmask is 0xff for P-256, so no bits are cleared.
    constexpr uint8_t kBitmask = 0xff;
    for (unsigned counter = 0; counter <= 255; ++counter) {
        const uint8_t counterByte = static_cast<uint8_t>(counter);
        SOTTO_TRY(
            SecretBytes candidate, kdf.expand(dkpPrk, "candidate", ByteView(&counterByte, 1), nsk));
        candidate.data()[0] &= kBitmask;
        auto key = crypto::DhPrivateKey::fromBytes(crypto::DhGroup::P256, candidate);
        if (key)
            return KeyPair(kem, std::move(key).value());
        // InvalidPrivateKey means 0 or >= order: draw the next candidate.
        if (key.error() != CryptoError::InvalidPrivateKey)
            return fromCrypto(key.failure(), HpkeError::DeriveKeyPairFailed, "DeriveKeyPair");
    }
    return fail(HpkeError::DeriveKeyPairFailed,
        "DeriveKeyPair: no candidate in [1, order - 1] within 256 tries");
}

// --- Context -----------------------------------------------------------------

Context::Context(
    Suite suite, Role role, SecretBytes key, SecretBytes baseNonce, SecretBytes exporterSecret)
    : m_suite(suite)
    , m_role(role)
    , m_key(std::move(key))
    , m_baseNonce(std::move(baseNonce))
    , m_exporterSecret(std::move(exporterSecret))
{ }

// ComputeNonce of Section 5.2: base_nonce XOR I2OSP(seq, Nn). The sequence
// number is 64 bits, shorter than Nn = 12 bytes, which Section 5.2 allows as
// long as overflow is an error: the value 2^64 - 1 is never used, just as the
// RFC's IncrementSeq never lets the last value of its counter be used.
HpkeResult<Bytes> Context::nextNonce()
{
    if (m_seq == std::numeric_limits<uint64_t>::max())
        return fail(HpkeError::MessageLimitReached, "sequence number would overflow its 64 bits");
    Bytes nonce = m_baseNonce.reveal();
    for (size_t i = 0; i < sizeof(m_seq) && i < nonce.size(); ++i)
        nonce[nonce.size() - 1 - i] ^= static_cast<uint8_t>(m_seq >> (8 * i));
    return nonce;
}

// ContextS.Seal of Section 5.2.
HpkeResult<Bytes> Context::seal(ByteView aad, ByteView plaintext)
{
    if (m_suite.aead == AeadId::ExportOnly)
        return fail(HpkeError::ExportOnly, "seal on an export-only context (AEAD 0xffff)");
    if (m_role != Role::Sender)
        return fail(HpkeError::InvalidParameters,
            "a recipient context MUST NOT be used for encryption (Section 5.2)");
    SOTTO_TRY(Bytes nonce, nextNonce());
    auto ct = crypto::aeadSeal(aeadAlg(m_suite.aead), m_key, nonce, aad, plaintext);
    if (!ct)
        return fromCrypto(ct.failure(), HpkeError::InvalidParameters, "Seal");
    // IncrementSeq: only after the message was sealed.
    ++m_seq;
    return std::move(ct).value();
}

// ContextR.Open of Section 5.2. A failed open leaves the sequence number
// where it was, so the next message in order still opens.
HpkeResult<SecretBytes> Context::open(ByteView aad, ByteView ciphertext)
{
    if (m_suite.aead == AeadId::ExportOnly)
        return fail(HpkeError::ExportOnly, "open on an export-only context (AEAD 0xffff)");
    if (m_role != Role::Recipient)
        return fail(HpkeError::InvalidParameters,
            "a sender context MUST NOT be used for decryption (Section 5.2)");
    if (ciphertext.size() < kTagLength)
        return fail(HpkeError::OpenFailed,
            "ciphertext: at least " + std::to_string(kTagLength) + " bytes (the tag) expected, got "
                + std::to_string(ciphertext.size()));
    SOTTO_TRY(Bytes nonce, nextNonce());
    auto pt = crypto::aeadOpen(aeadAlg(m_suite.aead), m_key, nonce, aad, ciphertext);
    if (!pt) {
        // Every failure to open is OpenError to the caller, except an input
        // that is refused for its size (public information anyway).
        const HpkeError code = pt.error() == CryptoError::InputTooLong ? HpkeError::InputTooLong
                                                                       : HpkeError::OpenFailed;
        return fail(code, "Open: " + std::string(crypto::errorName(pt.error())));
    }
    ++m_seq;
    return std::move(pt).value();
}

// Context.Export of Section 5.3: LabeledExpand(exporter_secret, "sec",
// exporter_context, L), L <= 255 * Nh.
HpkeResult<SecretBytes> Context::exportSecret(ByteView exporterContext, size_t length) const
{
    if (auto s = checkInputLength("exporter_context", exporterContext, kMaxExporterContextLength);
        !s)
        return s.failure();
    const size_t limit = 255 * kdfHashLength(m_suite.kdf);
    if (length > limit)
        return fail(HpkeError::ExportTooLong,
            "Export: L at most " + std::to_string(limit) + ", got " + std::to_string(length));
    const LabeledKdf kdf(hpkeSuiteId(m_suite));
    return kdf.expand(m_exporterSecret, "sec", exporterContext, length);
}

// --- Setup (Section 5.1.1 - 5.1.4) ---------------------------------------------

HpkeResult<SenderSetup> setupSender(
    const Suite &suite, ByteView recipientPublicKey, const SenderOptions &options)
{
    SOTTO_TRY(const Mode mode,
        prepareSetup(
            suite, options.info, options.psk, options.pskId, options.senderKey != nullptr));
    if (options.senderKey) {
        if (auto s = checkKeyKem(*options.senderKey, suite.kem, "sender key"); !s)
            return s.failure();
    }
    std::optional<KeyPair> fresh;
    const KeyPair *ephemeral = options.ephemeralKeyForTesting;
    if (ephemeral) {
        if (auto s = checkKeyKem(*ephemeral, suite.kem, "ephemeral key"); !s)
            return s.failure();
    } else {
        // Encap's GenerateKeyPair (Section 4.1): a fresh key for every setup.
        SOTTO_TRY(KeyPair generated, KeyPair::generate(suite.kem));
        fresh.emplace(std::move(generated));
        ephemeral = &*fresh;
    }
    SOTTO_TRY(Encapsulation encap,
        encapsulate(suite.kem, recipientPublicKey, *ephemeral, options.senderKey));
    SOTTO_TRY(Context context,
        KeySchedule::run(suite, Context::Role::Sender, mode, encap.sharedSecret, options.info,
            options.psk, options.pskId));
    return SenderSetup { std::move(encap.enc), std::move(context) };
}

HpkeResult<Context> setupRecipient(
    const Suite &suite, ByteView enc, const KeyPair &recipient, const RecipientOptions &options)
{
    SOTTO_TRY(const Mode mode,
        prepareSetup(
            suite, options.info, options.psk, options.pskId, !options.senderPublicKey.empty()));
    if (auto s = checkKeyKem(recipient, suite.kem, "recipient key"); !s)
        return s.failure();
    SOTTO_TRY(
        SecretBytes sharedSecret, decapsulate(suite.kem, enc, recipient, options.senderPublicKey));
    return KeySchedule::run(suite, Context::Role::Recipient, mode, sharedSecret, options.info,
        options.psk, options.pskId);
}

// --- Single-shot APIs (Section 6) ----------------------------------------------

HpkeResult<Sealed> seal(const Suite &suite, ByteView recipientPublicKey, ByteView aad,
    ByteView plaintext, const SenderOptions &options)
{
    SOTTO_TRY(SenderSetup setup, setupSender(suite, recipientPublicKey, options));
    SOTTO_TRY(Bytes ciphertext, setup.context.seal(aad, plaintext));
    return Sealed { std::move(setup.enc), std::move(ciphertext) };
}

HpkeResult<SecretBytes> open(const Suite &suite, ByteView enc, const KeyPair &recipient,
    ByteView aad, ByteView ciphertext, const RecipientOptions &options)
{
    SOTTO_TRY(Context context, setupRecipient(suite, enc, recipient, options));
    return context.open(aad, ciphertext);
}

HpkeResult<SentExport> sendExport(const Suite &suite, ByteView recipientPublicKey,
    ByteView exporterContext, size_t length, const SenderOptions &options)
{
    SOTTO_TRY(SenderSetup setup, setupSender(suite, recipientPublicKey, options));
    SOTTO_TRY(SecretBytes exported, setup.context.exportSecret(exporterContext, length));
    return SentExport { std::move(setup.enc), std::move(exported) };
}

HpkeResult<SecretBytes> receiveExport(const Suite &suite, ByteView enc, const KeyPair &recipient,
    ByteView exporterContext, size_t length, const RecipientOptions &options)
{
    SOTTO_TRY(const Context context, setupRecipient(suite, enc, recipient, options));
    return context.exportSecret(exporterContext, length);
}

} // namespace sotto::hpke
