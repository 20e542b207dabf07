// SPDX-License-Identifier: GPL-3.0-or-later
// The issuer's RSA-2048 keys (RFC 9578 Section 6), one per epoch. Epoch n covers
// [n * L, (n + 1) * L) for a rotation period L; its key signs tokens during epoch n, and its
// tokens stay redeemable until the end of epoch n + 1 (wallets fetch ahead of time). The key
// of epoch n + 1 exists (and is published to gateways) before it is used, so a gateway that
// reads the key list once per epoch never sees an unknown key. Keys are PKCS#8 PEM files,
// mode 0600, created atomically (a racing second process loads the winner's key). Qt-free.
#pragma once

#include "protocol/common/result.h"
#include "protocol/crypto/blind_rsa.h"
#include "protocol/privacypass/token.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sotto::component {

enum class KeyError {
    Io,         // the key folder or a key file cannot be read or written
    InvalidKey, // a key file that is not an RSA-2048 private key
};

std::string_view errorName(KeyError e);

struct IssuerKey {
    int64_t epoch = 0;
    int64_t notBefore = 0; // starts signing
    int64_t signsUntil = 0;
    int64_t notAfter = 0; // its tokens are accepted until then
    crypto::BlindRsaPrivateKey secretKey;
    privacypass::IssuerPublicKey publicKey;
    Bytes spki; // RSASSA-PSS SubjectPublicKeyInfo DER (RFC 9578 Section 6.5)
    std::string tokenKeyIdHex() const;
};

class IssuerKeyRing {
public:
    // Loads (creating when missing) the keys of the current and the next epoch in `dir`
    // (created 0700 if missing), and the previous epoch's key if its file is there.
    static Result<IssuerKeyRing, KeyError> open(
        const std::string &dir, uint32_t rotationDays, int64_t now);

    // Moves to the epoch of `now` when it has changed (creating the next key).
    Status<KeyError> advance(int64_t now);

    const IssuerKey &current() const { return *m_keys.at(1); }
    // Keys whose tokens may still be redeemed at `now`, oldest first: the previous epoch's
    // (while its tokens live), the current and the next.
    std::vector<const IssuerKey *> published(int64_t now) const;
    int64_t epochSeconds() const { return m_period; }

    // {"issuer_name": ..., "keys": [{"token_key": base64 SPKI, "token_key_id": hex,
    //   "not_after": unix seconds}]}, the file the gateway reads with --issuer-keys.
    std::string issuerKeysJson(const std::string &issuerName, int64_t now) const;

private:
    IssuerKeyRing() = default;
    Status<KeyError> loadEpochs(int64_t epoch);

    std::string m_dir;
    int64_t m_period = 0;
    int64_t m_epoch = 0;
    // [previous (may be null), current, next]
    std::vector<std::shared_ptr<IssuerKey>> m_keys;
};

// Loads or creates the key of one epoch; exposed for tests.
Result<std::shared_ptr<IssuerKey>, KeyError> loadOrCreateEpochKey(
    const std::string &dir, int64_t epoch, int64_t period, bool create);

} // namespace sotto::component
