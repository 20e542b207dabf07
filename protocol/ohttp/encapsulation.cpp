// SPDX-License-Identifier: GPL-3.0-or-later
// The pieces of RFC 9458 Section 4 that client and gateway share: the request
// header and info string (Section 4.3) and the response key schedule and
// AEAD (Section 4.4).
#include "protocol/ohttp/detail.h"
#include "protocol/ohttp/ohttp.h"

#include "protocol/common/wire.h"
#include "protocol/crypto/aead.h"
#include "protocol/crypto/hkdf.h"

#include <algorithm>
#include <cstdio>

namespace sotto::ohttp {

// --- Request header (Section 4.1, 4.3) ------------------------------------------

OhttpResult<RequestHeader> RequestHeader::fromRequest(ByteView encapsulatedRequest)
{
    WireReader in(encapsulatedRequest);
    const auto keyId = in.u8();
    const auto kemId = in.u16();
    const auto kdfId = in.u16();
    const auto aeadId = in.u16();
    if (!keyId || !kemId || !kdfId || !aeadId)
        return fail(OhttpError::Truncated,
            "encapsulated request: 7-byte header (key id, KEM, KDF, AEAD) expected, got "
                + std::to_string(encapsulatedRequest.size()) + " bytes");
    return RequestHeader { *keyId, *kemId, *kdfId, *aeadId };
}

// Section 4.3 step 1: key_id as one 8-bit integer and kem_id, kdf_id and
// aead_id as three 16-bit integers, in network byte order.
Bytes RequestHeader::serialize() const
{
    WireWriter out;
    out.u8(keyId);
    out.u16(kemId);
    out.u16(kdfId);
    out.u16(aeadId);
    return out.take();
}

// Section 4.3 step 2. The header in info binds the key id and algorithm ids
// to the HPKE context, so changing them in transit breaks decryption.
Bytes RequestHeader::hpkeInfo() const
{
    WireWriter out;
    out.bytes(asBytes(detail::kRequestInfoLabel));
    out.u8(0);
    out.bytes(serialize());
    return out.take();
}

size_t responseNonceLength(hpke::AeadId aead)
{
    // Section 4.2: "The Nonce field is either Nn or Nk bytes long, whichever
    // is larger."
    return std::max(hpke::aeadNonceLength(aead), hpke::aeadKeyLength(aead));
}

namespace detail {

std::string hexId(uint16_t id)
{
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%04x", static_cast<unsigned>(id));
    return buf;
}

namespace {

// The KDF's hash for Extract/Expand. Section 4.4 uses the plain KDF
// functions of the suite, not HPKE's labeled ones.
std::optional<crypto::HashAlg> kdfHash(hpke::KdfId kdf)
{
    switch (kdf) {
    case hpke::KdfId::HkdfSha256:
        return crypto::HashAlg::Sha256;
    }
    return std::nullopt;
}

std::optional<crypto::AeadAlg> aeadAlg(hpke::AeadId aead)
{
    switch (aead) {
    case hpke::AeadId::Aes128Gcm:
        return crypto::AeadAlg::Aes128Gcm;
    case hpke::AeadId::Aes256Gcm:
        return crypto::AeadAlg::Aes256Gcm;
    case hpke::AeadId::ChaCha20Poly1305:
        return crypto::AeadAlg::ChaCha20Poly1305;
    case hpke::AeadId::ExportOnly:
        break;
    }
    return std::nullopt;
}

} // namespace

OhttpResult<ResponseKeys> deriveResponseKeys(
    const hpke::Suite &suite, ByteView secret, ByteView enc, ByteView responseNonce)
{
    const auto hash = kdfHash(suite.kdf);
    if (!hash || !aeadAlg(suite.aead))
        return fail(OhttpError::Internal,
            "response keys: suite KDF " + hexId(static_cast<uint16_t>(suite.kdf)) + " / AEAD "
                + hexId(static_cast<uint16_t>(suite.aead)) + " has no response encapsulation");
    // Section 4.4 step 3: salt = concat(enc, response_nonce); prk = Extract(salt, secret).
    const Bytes salt = concat({ enc, responseNonce });
    ResponseKeys keys;
    keys.prk = crypto::hkdfExtract(*hash, salt, secret);
    // Steps 4 and 5: aead_key = Expand(prk, "key", Nk), aead_nonce = Expand(prk, "nonce", Nn).
    auto key = crypto::hkdfExpand(*hash, keys.prk, asBytes("key"), hpke::aeadKeyLength(suite.aead));
    auto nonce
        = crypto::hkdfExpand(*hash, keys.prk, asBytes("nonce"), hpke::aeadNonceLength(suite.aead));
    if (!key || !nonce)
        return fail(OhttpError::Internal, "response keys: HKDF-Expand failed");
    keys.key = std::move(key).value();
    keys.nonce = std::move(nonce).value();
    return keys;
}

OhttpResult<SecretBytes> exportResponseSecret(const hpke::Context &context)
{
    auto secret = context.exportSecret(
        asBytes(kResponseExportLabel), responseNonceLength(context.suite().aead));
    if (!secret)
        return fail(OhttpError::Internal,
            "response secret: HPKE Export failed (" + std::string(hpke::errorName(secret.error()))
                + ")");
    return std::move(secret).value();
}

OhttpResult<Bytes> sealResponse(const hpke::Suite &suite, ByteView secret, ByteView enc,
    ByteView responseNonce, ByteView response)
{
    SOTTO_TRY(const ResponseKeys keys, deriveResponseKeys(suite, secret, enc, responseNonce));
    // Step 6: Seal(aead_key, aead_nonce, "", response).
    auto ct = crypto::aeadSeal(*aeadAlg(suite.aead), keys.key, keys.nonce, {}, response);
    if (!ct)
        return fail(OhttpError::Internal,
            "encapsulate response: AEAD seal failed (" + std::string(crypto::errorName(ct.error()))
                + ")");
    // Step 7: enc_response = concat(response_nonce, ct).
    return concat({ responseNonce, ct.value() });
}

OhttpResult<SecretBytes> openResponse(
    const hpke::Suite &suite, ByteView secret, ByteView enc, ByteView encapsulatedResponse)
{
    // Section 4.2: Nonce (max(Nn, Nk) bytes) then the AEAD-protected
    // response, which is never shorter than the tag.
    const size_t nonceLength = responseNonceLength(suite.aead);
    if (encapsulatedResponse.size() < nonceLength + kTagLength)
        return fail(OhttpError::ResponseTooShort,
            "encapsulated response: at least " + std::to_string(nonceLength + kTagLength)
                + " bytes (" + std::to_string(nonceLength) + "-byte nonce and "
                + std::to_string(kTagLength) + "-byte tag) expected, got "
                + std::to_string(encapsulatedResponse.size()));
    const ByteView responseNonce = encapsulatedResponse.first(nonceLength);
    const ByteView ct = encapsulatedResponse.subspan(nonceLength);
    SOTTO_TRY(const ResponseKeys keys, deriveResponseKeys(suite, secret, enc, responseNonce));
    auto response = crypto::aeadOpen(*aeadAlg(suite.aead), keys.key, keys.nonce, {}, ct);
    if (!response)
        return fail(OhttpError::DecryptionFailed,
            "decapsulate response: AEAD open failed ("
                + std::string(crypto::errorName(response.error())) + ")");
    return std::move(response).value();
}

OhttpStatus checkOffered(const KeyConfig &config, SymmetricAlgorithm pair, std::string_view who)
{
    const auto &listed = config.symmetricAlgorithms();
    if (toSupportedSuite(pair) && std::find(listed.begin(), listed.end(), pair) != listed.end())
        return Done {};
    const bool kdfListed = std::any_of(listed.begin(), listed.end(),
        [&](const SymmetricAlgorithm &a) { return a.kdfId == pair.kdfId; });
    const bool kdfSupported = pair.kdfId == static_cast<uint16_t>(hpke::KdfId::HkdfSha256);
    const OhttpError code
        = kdfListed && kdfSupported ? OhttpError::UnsupportedAead : OhttpError::UnsupportedKdf;
    return fail(code,
        std::string(who) + ": KDF " + hexId(pair.kdfId) + " / AEAD " + hexId(pair.aeadId)
            + " is not offered for key id " + std::to_string(config.keyId()));
}

} // namespace detail

} // namespace sotto::ohttp
