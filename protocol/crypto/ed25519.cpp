// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/crypto/ed25519.h"

#include "protocol/crypto/evp_ptr.h"

#include <string>

namespace sotto::crypto {

namespace {

using detail::EvpMdCtxPtr;
using detail::EvpPkeyCtxPtr;
using detail::EvpPkeyPtr;

EvpMdCtxPtr newMdContext()
{
    EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx)
        detail::fatalOpenSslError("EVP_MD_CTX_new");
    return ctx;
}

} // namespace

Ed25519PrivateKey::Ed25519PrivateKey(evp_pkey_st *key)
    : m_key(key, EvpPkeyDeleter {})
{ }

CryptoResult<Ed25519PrivateKey> Ed25519PrivateKey::generate()
{
    EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "ED25519", nullptr));
    EVP_PKEY *raw = nullptr;
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_keygen(ctx.get(), &raw) != 1) {
        detail::clearOpenSslErrors();
        return fail(CryptoError::Internal, "Ed25519 key generation failed");
    }
    return Ed25519PrivateKey(raw);
}

CryptoResult<Ed25519PrivateKey> Ed25519PrivateKey::fromSeed(ByteView seed)
{
    if (seed.size() != kEd25519SeedLength)
        return fail(CryptoError::InvalidPrivateKey,
            "Ed25519 seed must be 32 bytes, got " + std::to_string(seed.size()));
    EVP_PKEY *raw
        = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size());
    if (raw == nullptr)
        detail::fatalOpenSslError("EVP_PKEY_new_raw_private_key");
    return Ed25519PrivateKey(raw);
}

Bytes Ed25519PrivateKey::publicKey() const
{
    Bytes out(kEd25519PublicKeyLength);
    size_t len = out.size();
    if (EVP_PKEY_get_raw_public_key(m_key.get(), out.data(), &len) != 1 || len != out.size())
        detail::fatalOpenSslError("EVP_PKEY_get_raw_public_key");
    return out;
}

SecretBytes Ed25519PrivateKey::seed() const
{
    SecretBytes out(kEd25519SeedLength);
    size_t len = out.size();
    if (EVP_PKEY_get_raw_private_key(m_key.get(), out.data(), &len) != 1 || len != out.size())
        detail::fatalOpenSslError("EVP_PKEY_get_raw_private_key");
    return out;
}

Bytes Ed25519PrivateKey::sign(ByteView message) const
{
    // Ed25519 is a one-shot scheme: EVP_DigestSign with a NULL digest, as
    // OpenSSL requires for EdDSA (the hash is part of the algorithm).
    EvpMdCtxPtr ctx = newMdContext();
    Bytes sig(kEd25519SignatureLength);
    size_t len = sig.size();
    if (EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, m_key.get()) != 1
        || EVP_DigestSign(ctx.get(), sig.data(), &len, message.data(), message.size()) != 1
        || len != sig.size())
        detail::fatalOpenSslError("Ed25519 sign");
    return sig;
}

CryptoStatus ed25519Verify(ByteView publicKey, ByteView message, ByteView signature)
{
    if (publicKey.size() != kEd25519PublicKeyLength)
        return fail(CryptoError::InvalidPublicKey,
            "Ed25519 public key must be 32 bytes, got " + std::to_string(publicKey.size()));
    if (signature.size() != kEd25519SignatureLength)
        return fail(CryptoError::AuthenticationFailed,
            "Ed25519 signature must be 64 bytes, got " + std::to_string(signature.size()));
    EvpPkeyPtr key(
        EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, publicKey.data(), publicKey.size()));
    if (!key) {
        // OpenSSL stores the 32 bytes without decoding the point here; a
        // failure would be allocation, but treat it as a bad key, not a crash.
        detail::clearOpenSslErrors();
        return fail(CryptoError::InvalidPublicKey, "Ed25519 public key rejected");
    }
    EvpMdCtxPtr ctx = newMdContext();
    if (EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1)
        detail::fatalOpenSslError("EVP_DigestVerifyInit");
    const int rc = EVP_DigestVerify(
        ctx.get(), signature.data(), signature.size(), message.data(), message.size());
    if (rc != 1) {
        detail::clearOpenSslErrors();
        return fail(CryptoError::AuthenticationFailed, "Ed25519 signature does not verify");
    }
    return Done {};
}

} // namespace sotto::crypto
