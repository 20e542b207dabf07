// SPDX-License-Identifier: GPL-3.0-or-later
// Internals shared by the client and gateway halves of protocol/ohttp. Not
// part of the public API; tests include it to check the intermediate values
// of RFC 9458 Appendix A.
#pragma once

#include "protocol/common/bytes.h"
#include "protocol/crypto/secret_bytes.h"
#include "protocol/hpke/hpke.h"
#include "protocol/ohttp/error.h"
#include "protocol/ohttp/key_config.h"

#include <string>
#include <string_view>

namespace sotto::ohttp::detail {

using crypto::SecretBytes;

// Section 4.3 step 2 and Section 4.4 step 1 (the labels of Section 4.6 for
// message/bhttp).
inline constexpr std::string_view kRequestInfoLabel = "message/bhttp request";
inline constexpr std::string_view kResponseExportLabel = "message/bhttp response";

// The AEAD tag length of every AEAD OHTTP can use here (RFC 9180 Table 5).
inline constexpr size_t kTagLength = 16;

// Section 4.4 steps 3-5.
struct ResponseKeys {
    SecretBytes prk;   // Extract(enc || response_nonce, secret)
    SecretBytes key;   // Expand(prk, "key", Nk)
    SecretBytes nonce; // Expand(prk, "nonce", Nn)
};
OhttpResult<ResponseKeys> deriveResponseKeys(
    const hpke::Suite &suite, ByteView secret, ByteView enc, ByteView responseNonce);

// Section 4.4 step 1: context.Export("message/bhttp response", max(Nn, Nk)).
OhttpResult<SecretBytes> exportResponseSecret(const hpke::Context &context);

// Section 4.4 steps 3-7 (sealing with a given nonce) and the client's reverse.
OhttpResult<Bytes> sealResponse(const hpke::Suite &suite, ByteView secret, ByteView enc,
    ByteView responseNonce, ByteView response);
OhttpResult<SecretBytes> openResponse(
    const hpke::Suite &suite, ByteView secret, ByteView enc, ByteView encapsulatedResponse);

// Section 4.3 step 1b and its client-side counterpart: the pair must be one
// the config lists (and this implementation supports). Reports UnsupportedKdf
// when no listed pair has this KDF, else UnsupportedAead.
OhttpStatus checkOffered(const KeyConfig &config, SymmetricAlgorithm pair, std::string_view who);

std::string hexId(uint16_t id);

} // namespace sotto::ohttp::detail
