// SPDX-License-Identifier: GPL-3.0-or-later
// The client's side of RFC 9458: encapsulating a request (Section 4.3) and
// decapsulating the response (Section 4.4).
#include "protocol/ohttp/detail.h"
#include "protocol/ohttp/ohttp.h"

#include <string>

namespace sotto::ohttp {

ClientContext::ClientContext(uint8_t keyId, hpke::Suite suite, Bytes enc, SecretBytes secret)
    : m_keyId(keyId)
    , m_suite(suite)
    , m_enc(std::move(enc))
    , m_secret(std::move(secret))
{ }

OhttpResult<SecretBytes> ClientContext::decapsulateResponse(ByteView encapsulatedResponse) const
{
    // Section 4.4: "Clients decrypt an Encapsulated Response by reversing
    // this process", with the secret exported from the sending context.
    return detail::openResponse(m_suite, m_secret, m_enc, encapsulatedResponse);
}

OhttpResult<ClientRequest> ClientRequest::encapsulate(const KeyConfig &config,
    SymmetricSuite choice, ByteView bhttpRequest, const ClientOptions &options)
{
    // Section 4.3: the KDF/AEAD pair is one "that the Client selects from
    // those in the key configuration".
    const SymmetricAlgorithm pair { static_cast<uint16_t>(choice.kdf),
        static_cast<uint16_t>(choice.aead) };
    if (auto offered = detail::checkOffered(config, pair, "encapsulate request"); !offered)
        return offered.failure();
    const hpke::Suite suite { config.kem(), choice.kdf, choice.aead };
    if (options.ephemeralKeyForTesting && options.ephemeralKeyForTesting->kem() != suite.kem)
        return fail(OhttpError::InvalidArgument,
            "encapsulate request: ephemeral test key is for KEM "
                + detail::hexId(static_cast<uint16_t>(options.ephemeralKeyForTesting->kem()))
                + ", the key config uses " + detail::hexId(static_cast<uint16_t>(suite.kem)));

    // Steps 1 and 2: hdr and info.
    const RequestHeader header { config.keyId(), static_cast<uint16_t>(suite.kem),
        static_cast<uint16_t>(suite.kdf), static_cast<uint16_t>(suite.aead) };
    const Bytes info = header.hpkeInfo();

    // Step 3: SetupBaseS(pkR, info). Base mode only: OHTTP has no PSK or
    // sender authentication.
    hpke::SenderOptions senderOptions;
    senderOptions.info = info;
    senderOptions.ephemeralKeyForTesting = options.ephemeralKeyForTesting;
    auto setup = hpke::setupSender(suite, config.publicKey(), senderOptions);
    if (!setup) {
        // KeyConfig::create validated pkR, so a refusal here is not the
        // input's fault.
        return fail(OhttpError::Internal,
            "encapsulate request: HPKE SetupBaseS failed ("
                + std::string(hpke::errorName(setup.error())) + ": " + setup.detail() + ")");
    }
    hpke::SenderSetup sender = std::move(setup).value();

    // Step 4: ct = sctxt.Seal("", request).
    auto ct = sender.context.seal({}, bhttpRequest);
    if (!ct)
        return fail(OhttpError::Internal,
            "encapsulate request: HPKE Seal failed (" + std::string(hpke::errorName(ct.error()))
                + ")");
    // Section 4.4 step 1, done now so that only the exported secret is kept
    // for the response, not a context that could seal more requests.
    SOTTO_TRY(SecretBytes secret, detail::exportResponseSecret(sender.context));

    // Step 5: enc_request = concat(hdr, enc, ct).
    Bytes encapsulated = concat({ header.serialize(), sender.enc, ct.value() });
    return ClientRequest { std::move(encapsulated),
        ClientContext(config.keyId(), suite, std::move(sender.enc), std::move(secret)) };
}

} // namespace sotto::ohttp
