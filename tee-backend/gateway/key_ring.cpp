// SPDX-License-Identifier: GPL-3.0-or-later
#include "tee-backend/gateway/key_ring.h"

#include "protocol/crypto/random.h"

#include <algorithm>
#include <array>

namespace sotto::gateway {

namespace {

// The pairs accepted with every key, in order of preference (RFC 9458
// Section 3.1 lists them in the key config).
constexpr std::array<ohttp::SymmetricSuite, 2> kAcceptedSuites {
    ohttp::SymmetricSuite { hpke::KdfId::HkdfSha256, hpke::AeadId::Aes128Gcm },
    ohttp::SymmetricSuite { hpke::KdfId::HkdfSha256, hpke::AeadId::ChaCha20Poly1305 },
};

} // namespace

ohttp::OhttpResult<std::unique_ptr<KeyRing>> KeyRing::create(int64_t rotationSeconds, int64_t now)
{
    if (rotationSeconds < 1)
        return fail(ohttp::OhttpError::InvalidArgument, "key rotation must be at least 1 second");
    // A random first key id: key ids say nothing about how long this
    // process has been running.
    uint8_t firstId = 0;
    crypto::randomFill(std::span<uint8_t>(&firstId, 1));
    std::unique_ptr<KeyRing> ring(new KeyRing(rotationSeconds, firstId));
    const std::lock_guard lock(ring->m_mutex);
    auto added = ring->addKey(now);
    if (!added.ok())
        return added.failure();
    ring->publish(now);
    return ring;
}

ohttp::OhttpStatus KeyRing::addKey(int64_t now)
{
    auto pair = hpke::KeyPair::generate(hpke::KemId::DhkemX25519Sha256);
    if (!pair.ok())
        return fail(ohttp::OhttpError::Internal, "X25519 key generation failed");
    // Skip ids still held (with two keys held this never loops far).
    while (std::any_of(
        m_keys.begin(), m_keys.end(), [&](const HeldKey &k) { return k.key.keyId() == m_nextId; }))
        ++m_nextId;
    auto key = ohttp::GatewayKey::create(m_nextId++, std::move(pair).value(), kAcceptedSuites);
    if (!key.ok())
        return key.failure();
    m_keys.push_back(HeldKey { std::move(key).value(), now });
    return Done {};
}

void KeyRing::publish(int64_t now)
{
    // Keys past their second period are gone from the new snapshot.
    std::erase_if(m_keys, [&](const HeldKey &k) { return now >= k.created + 2 * m_rotation; });
    auto snapshot = std::make_shared<KeySnapshot>();
    for (const HeldKey &k : m_keys)
        (void)snapshot->gateway.addKey(k.key); // ids are distinct by construction
    const HeldKey &newest = m_keys.back();
    const std::array<ohttp::KeyConfig, 1> published { newest.key.config() };
    auto encoded = ohttp::serializeKeyConfigList(published);
    snapshot->encodedConfigs = encoded.ok() ? std::move(encoded).value() : Bytes {};
    snapshot->publishedKeyId = newest.key.keyId();
    snapshot->notAfter = newest.created + 2 * m_rotation;
    snapshot->nextRotation = newest.created + m_rotation;
    m_snapshot = std::move(snapshot);
}

std::shared_ptr<const KeySnapshot> KeyRing::current() const
{
    const std::lock_guard lock(m_mutex);
    return m_snapshot;
}

bool KeyRing::rotateIfDue(int64_t now)
{
    const std::lock_guard lock(m_mutex);
    const bool due = now >= m_keys.back().created + m_rotation;
    const bool retiring = now >= m_keys.front().created + 2 * m_rotation;
    if (!due && !retiring)
        return false;
    if (due && !addKey(now).ok())
        return false; // keep serving the current key; the next tick tries again
    publish(now);
    return true;
}

} // namespace sotto::gateway
