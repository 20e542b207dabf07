// SPDX-License-Identifier: GPL-3.0-or-later
// Errors of the Oblivious HTTP unit (RFC 9458). Every failure of a parser,
// of encapsulation or of decapsulation is one of these codes plus a detail
// sentence; the detail names sizes and identifiers, never key material or
// message content.
#pragma once

#include "protocol/common/result.h"

#include <string_view>

namespace sotto::ohttp {

enum class OhttpError {
    // Encapsulated Request (Section 4.1) shorter than its 7-byte header, the
    // header plus Nenc, or that plus the 16-byte AEAD tag.
    Truncated,
    // The gateway holds no key with the request's key identifier (Section 4.3
    // step 1); the key may have been rotated out (Section 6.4).
    UnknownKeyId,
    // A KEM this implementation does not support, or (gateway) a KEM that is
    // not the one of the key named by the key identifier (Section 4.3 step 1a).
    UnsupportedKem,
    // A KDF / AEAD that is not implemented, not offered by the key
    // configuration (client), or not accepted for that key (gateway, Section
    // 4.3 step 1b). A pair whose KDF appears in no offered pair is reported as
    // UnsupportedKdf, otherwise as UnsupportedAead. The export-only AEAD
    // (0xffff) is always UnsupportedAead: OHTTP needs Seal and Open.
    UnsupportedKdf,
    UnsupportedAead,
    // enc is not a valid public key for the KEM, or X25519 gave the all-zero
    // shared secret (RFC 9180 Section 7.1.4).
    InvalidEncapsulatedKey,
    // The AEAD did not authenticate the request (gateway) or the response
    // (client): tampering, the wrong key, or a response to another request.
    DecryptionFailed,
    // A Key Config that is not a valid Section 3.1 encoding, or arguments
    // that cannot make one.
    InvalidKeyConfig,
    // An application/ohttp-keys body with any encoding error (Section 3.2:
    // the whole collection is discarded), or an empty one.
    InvalidKeyList,
    // A well-formed key list in which no configuration uses a KEM, KDF and
    // AEAD that this implementation supports (Section 3: a client selects
    // from the configurations it supports).
    NoSupportedKeyConfig,
    // Two gateway keys with one key identifier.
    DuplicateKeyId,
    // Encapsulated Response (Section 4.2) shorter than max(Nn, Nk) plus the
    // 16-byte AEAD tag.
    ResponseTooShort,
    // A caller mistake that is not about wire data, e.g. a test nonce of the
    // wrong length or an ephemeral test key for another KEM.
    InvalidArgument,
    // The cryptographic library failed where it should not (a bug or an
    // exhausted resource), not because of the input.
    Internal,
};

std::string_view errorName(OhttpError e);

template <class T> using OhttpResult = Result<T, OhttpError>;
using OhttpStatus = Status<OhttpError>;

} // namespace sotto::ohttp
