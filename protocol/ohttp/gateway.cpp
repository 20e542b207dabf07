// SPDX-License-Identifier: GPL-3.0-or-later
// The Oblivious Gateway Resource's side of RFC 9458: decapsulating a request
// (Section 4.3) and encapsulating the response (Section 4.4).
#include "protocol/ohttp/detail.h"
#include "protocol/ohttp/ohttp.h"

#include "protocol/crypto/random.h"

#include <string>

namespace sotto::ohttp {

// --- GatewayKey -------------------------------------------------------------------

GatewayKey::GatewayKey(hpke::KeyPair keyPair, KeyConfig config)
    : m_keyPair(std::move(keyPair))
    , m_config(std::move(config))
{ }

OhttpResult<GatewayKey> GatewayKey::create(
    uint8_t keyId, hpke::KeyPair keyPair, std::span<const SymmetricSuite> accepted)
{
    SOTTO_TRY(KeyConfig config, KeyConfig::forGateway(keyId, keyPair, accepted));
    return GatewayKey(std::move(keyPair), std::move(config));
}

// --- GatewayResponseContext ------------------------------------------------------

GatewayResponseContext::GatewayResponseContext(
    uint8_t keyId, hpke::Suite suite, Bytes enc, SecretBytes secret)
    : m_keyId(keyId)
    , m_suite(suite)
    , m_enc(std::move(enc))
    , m_secret(std::move(secret))
{ }

OhttpResult<Bytes> GatewayResponseContext::encapsulateResponse(ByteView bhttpResponse) const
{
    // Section 4.4 step 2: "Generate a random value of length max(Nn, Nk)
    // bytes, called response_nonce." It is sent in the clear, so it is not a
    // secret; its freshness gives each response its own key (Section 6.5).
    const Bytes responseNonce = crypto::randomBytes(responseNonceLength(m_suite.aead));
    return detail::sealResponse(m_suite, m_secret, m_enc, responseNonce, bhttpResponse);
}

OhttpResult<Bytes> GatewayResponseContext::encapsulateResponseWithNonceForTesting(
    ByteView bhttpResponse, ByteView responseNonce) const
{
    const size_t expected = responseNonceLength(m_suite.aead);
    if (responseNonce.size() != expected)
        return fail(OhttpError::InvalidArgument,
            "encapsulate response: test nonce of max(Nn, Nk) = " + std::to_string(expected)
                + " bytes expected, got " + std::to_string(responseNonce.size()));
    return detail::sealResponse(m_suite, m_secret, m_enc, responseNonce, bhttpResponse);
}

// --- Gateway ------------------------------------------------------------------------

OhttpResult<Gateway> Gateway::create(std::vector<GatewayKey> keys)
{
    Gateway gateway;
    for (GatewayKey &key : keys) {
        if (auto added = gateway.addKey(std::move(key)); !added)
            return added.failure();
    }
    return gateway;
}

OhttpStatus Gateway::addKey(GatewayKey key)
{
    const uint8_t keyId = key.keyId();
    // Section 4.3 step 1 finds skR by key_id alone, so one id names one key.
    if (m_keys.count(keyId) != 0)
        return fail(OhttpError::DuplicateKeyId,
            "gateway: key id " + std::to_string(keyId) + " is already in use");
    m_keys.emplace(keyId, std::move(key));
    return Done {};
}

bool Gateway::removeKey(uint8_t keyId)
{
    return m_keys.erase(keyId) != 0;
}

std::vector<KeyConfig> Gateway::keyConfigs() const
{
    std::vector<KeyConfig> configs;
    configs.reserve(m_keys.size());
    for (const auto &[id, key] : m_keys)
        configs.push_back(key.config());
    return configs;
}

OhttpResult<Bytes> Gateway::encodedKeyConfigs() const
{
    return serializeKeyConfigList(keyConfigs());
}

OhttpResult<DecapsulatedRequest> Gateway::decapsulateRequest(ByteView encapsulatedRequest) const
{
    // Step 1: parse key_id, kem_id, kdf_id, aead_id, enc and ct.
    SOTTO_TRY(const RequestHeader header, RequestHeader::fromRequest(encapsulatedRequest));
    const auto found = m_keys.find(header.keyId);
    if (found == m_keys.end())
        return fail(OhttpError::UnknownKeyId,
            "decapsulate request: no key with key id " + std::to_string(header.keyId));
    const GatewayKey &key = found->second;
    const KeyConfig &config = key.config();

    // Step 1a: "If key_id does not identify a key matching the type of
    // kem_id, the Oblivious Gateway Resource returns an error."
    if (header.kemId != static_cast<uint16_t>(config.kem()))
        return fail(OhttpError::UnsupportedKem,
            "decapsulate request: KEM " + detail::hexId(header.kemId) + " is not the KEM "
                + detail::hexId(static_cast<uint16_t>(config.kem())) + " of key id "
                + std::to_string(header.keyId));
    // Step 1b: a KDF/AEAD combination the gateway "is unwilling to use with
    // skR". The gateway's config lists exactly the pairs it accepts, all of
    // them supported (KeyConfig::forGateway).
    if (auto offered = detail::checkOffered(
            config, SymmetricAlgorithm { header.kdfId, header.aeadId }, "decapsulate request");
        !offered)
        return offered.failure();
    const hpke::Suite suite { config.kem(), static_cast<hpke::KdfId>(header.kdfId),
        static_cast<hpke::AeadId>(header.aeadId) };

    // Section 4.1: enc is exactly Nenc bytes, so the ciphertext is the rest.
    // A ciphertext shorter than the AEAD tag cannot be a Seal output.
    const size_t nenc = hpke::encLength(suite.kem);
    const ByteView body = encapsulatedRequest.subspan(RequestHeader::kSize);
    if (body.size() < nenc + detail::kTagLength)
        return fail(OhttpError::Truncated,
            "encapsulated request: " + std::to_string(nenc)
                + "-byte enc and a ciphertext of at least " + std::to_string(detail::kTagLength)
                + " bytes expected after the header, got " + std::to_string(body.size())
                + " bytes");
    const ByteView enc = body.first(nenc);
    const ByteView ct = body.subspan(nenc);

    // Steps 2 and 3: info from the received header, SetupBaseR(enc, skR, info).
    const Bytes info = header.hpkeInfo();
    hpke::RecipientOptions recipientOptions;
    recipientOptions.info = info;
    auto context = hpke::setupRecipient(suite, enc, key.keyPair(), recipientOptions);
    if (!context) {
        const hpke::HpkeError e = context.error();
        const bool badEnc
            = e == hpke::HpkeError::InvalidPublicKey || e == hpke::HpkeError::DhFailed;
        return fail(badEnc ? OhttpError::InvalidEncapsulatedKey : OhttpError::Internal,
            "decapsulate request: HPKE SetupBaseR failed (" + std::string(hpke::errorName(e))
                + ")");
    }

    // Step 4: request, error = rctxt.Open("", ct).
    auto request = context->open({}, ct);
    if (!request)
        return fail(OhttpError::DecryptionFailed,
            "decapsulate request: HPKE Open failed ("
                + std::string(hpke::errorName(request.error())) + ")");

    // "The Oblivious Gateway Resource retains the HPKE context, rctxt, so
    // that it can encapsulate a response." Only the exported secret is
    // needed for that (Section 4.4 step 1), so only it is kept.
    SOTTO_TRY(SecretBytes secret, detail::exportResponseSecret(context.value()));
    return DecapsulatedRequest { std::move(request).value(),
        GatewayResponseContext(
            header.keyId, suite, Bytes(enc.begin(), enc.end()), std::move(secret)) };
}

} // namespace sotto::ohttp
