// SPDX-License-Identifier: GPL-3.0-or-later
// The gateway's Oblivious HTTP keys (RFC 9458 Section 3 and 6.4): HPKE
// DHKEM(X25519, HKDF-SHA256) key pairs generated inside the process, never
// written anywhere, rotated on a schedule with overlap.
//
// Every `rotation` seconds a new key is made and becomes the only published
// one (/ohttp-keys and the evidence bind exactly its config). A key is kept
// for two periods: published for the first, still accepted for the second,
// so a client that fetched the config just before a rotation has a whole
// period to use it. Its not_after (created + 2 * rotation) is what the
// evidence promises. A retired key is dropped from every new snapshot; its
// EVP_PKEY is freed (and wiped by OpenSSL) when the last request that
// holds an older snapshot finishes. X25519 private keys live in OpenSSL's
// secure heap when the process set one up (crypto::initSecureHeap): mlock'ed
// memory, wiped on free.
//
// Time is passed in (unix seconds) so that tests can drive rotation.
#pragma once

#include "protocol/common/bytes.h"
#include "protocol/ohttp/ohttp.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace sotto::gateway {

struct KeySnapshot {
    ohttp::Gateway gateway; // every key still accepted
    Bytes encodedConfigs;   // application/ohttp-keys: the published key only
    uint8_t publishedKeyId = 0;
    int64_t notAfter = 0;     // the published key is accepted until then
    int64_t nextRotation = 0; // when the next key is made
};

class KeyRing {
public:
    // Makes the first key. Fails only when key generation fails.
    static ohttp::OhttpResult<std::unique_ptr<KeyRing>> create(
        int64_t rotationSeconds, int64_t now);

    std::shared_ptr<const KeySnapshot> current() const;
    // Makes a new key if its time has come and drops retired keys. True when
    // something changed.
    bool rotateIfDue(int64_t now);
    int64_t rotationSeconds() const { return m_rotation; }

private:
    struct HeldKey {
        ohttp::GatewayKey key;
        int64_t created;
    };
    KeyRing(int64_t rotation, uint8_t nextId)
        : m_rotation(rotation)
        , m_nextId(nextId)
    { }
    ohttp::OhttpStatus addKey(int64_t now);
    void publish(int64_t now);

    const int64_t m_rotation;
    mutable std::mutex m_mutex;
    uint8_t m_nextId;
    std::vector<HeldKey> m_keys; // oldest first
    std::shared_ptr<const KeySnapshot> m_snapshot;
};

} // namespace sotto::gateway
