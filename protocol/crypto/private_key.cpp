// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/crypto/private_key.h"

#include "protocol/crypto/evp_ptr.h"

#include <openssl/core_names.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <string>

namespace sotto::crypto {

namespace {

using detail::EvpMdCtxPtr;
using detail::EvpPkeyPtr;
using EcdsaSigPtr = detail::OsslPtr<ECDSA_SIG, ECDSA_SIG_free>;
using Pkcs8Ptr = detail::OsslPtr<PKCS8_PRIV_KEY_INFO, PKCS8_PRIV_KEY_INFO_free>;

constexpr int kPssSaltLength = 48; // RFC 8017 9.1 sLen = hLen for SHA-384, as AMD signs
constexpr size_t kMinRsaBits = 2048;
constexpr size_t kMaxRsaBits = 8192;

void freePkey(evp_pkey_st *p)
{
    EVP_PKEY_free(p);
}

CryptoResult<PublicKey> publicPart(EVP_PKEY *key)
{
    unsigned char *der = nullptr;
    const int len = i2d_PUBKEY(key, &der);
    if (len <= 0) {
        detail::clearOpenSslErrors();
        return fail(CryptoError::Internal, "could not encode the public key");
    }
    const Bytes spki(der, der + len);
    OPENSSL_free(der);
    return PublicKey::fromSpki(spki);
}

// One EVP_DigestSign with SHA-384.
template <class F> CryptoResult<Bytes> digestSign(EVP_PKEY *key, ByteView message, F configure)
{
    EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx)
        detail::fatalOpenSslError("EVP_MD_CTX_new");
    EVP_PKEY_CTX *pctx = nullptr;
    size_t len = 0;
    if (EVP_DigestSignInit_ex(ctx.get(), &pctx, "SHA384", nullptr, nullptr, key, nullptr) != 1
        || !configure(pctx)
        || EVP_DigestSign(ctx.get(), nullptr, &len, message.data(), message.size()) != 1) {
        detail::clearOpenSslErrors();
        return fail(CryptoError::Internal, "could not set up SHA-384 signing");
    }
    Bytes sig(len);
    if (EVP_DigestSign(ctx.get(), sig.data(), &len, message.data(), message.size()) != 1) {
        detail::clearOpenSslErrors();
        return fail(CryptoError::Internal, "signing failed");
    }
    sig.resize(len);
    return sig;
}

} // namespace

PrivateKey::PrivateKey(PublicKeyType type, std::shared_ptr<evp_pkey_st> key, PublicKey pub)
    : m_type(type)
    , m_key(std::move(key))
    , m_public(std::move(pub))
{ }

CryptoResult<PrivateKey> PrivateKey::generateRsa(size_t bits)
{
    if (bits < kMinRsaBits || bits > kMaxRsaBits)
        return fail(CryptoError::InvalidKeyLength,
            "RSA key of " + std::to_string(bits) + " bits, expected 2048..8192");
    EVP_PKEY *key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", bits);
    if (!key)
        detail::fatalOpenSslError("EVP_PKEY_Q_keygen(RSA)");
    std::shared_ptr<evp_pkey_st> owned(key, freePkey);
    SOTTO_TRY(PublicKey pub, publicPart(key));
    return PrivateKey(PublicKeyType::Rsa, std::move(owned), std::move(pub));
}

CryptoResult<PrivateKey> PrivateKey::generateEcP384()
{
    EVP_PKEY *key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
    if (!key)
        detail::fatalOpenSslError("EVP_PKEY_Q_keygen(EC P-384)");
    std::shared_ptr<evp_pkey_st> owned(key, freePkey);
    SOTTO_TRY(PublicKey pub, publicPart(key));
    return PrivateKey(PublicKeyType::EcP384, std::move(owned), std::move(pub));
}

CryptoResult<PrivateKey> PrivateKey::fromPkcs8(ByteView der)
{
    const unsigned char *p = der.data();
    Pkcs8Ptr info(d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, static_cast<long>(der.size())));
    if (!info || static_cast<size_t>(p - der.data()) != der.size()) {
        detail::clearOpenSslErrors();
        return fail(CryptoError::InvalidPrivateKey, "not exactly one DER PKCS#8 PrivateKeyInfo");
    }
    EVP_PKEY *key = EVP_PKCS82PKEY(info.get());
    if (!key) {
        detail::clearOpenSslErrors();
        return fail(CryptoError::InvalidPrivateKey, "the PKCS#8 key could not be loaded");
    }
    std::shared_ptr<evp_pkey_st> owned(key, freePkey);
    SOTTO_TRY(PublicKey pub, publicPart(key));
    const PublicKeyType type = pub.type();
    if (type == PublicKeyType::Other)
        return fail(CryptoError::InvalidPrivateKey, "the key is neither RSA nor ECDSA P-384");
    if (type == PublicKeyType::Rsa && (pub.bits() < kMinRsaBits || pub.bits() > kMaxRsaBits))
        return fail(CryptoError::InvalidKeyLength,
            "RSA key of " + std::to_string(pub.bits()) + " bits, expected 2048..8192");
    return PrivateKey(type, std::move(owned), std::move(pub));
}

SecretBytes PrivateKey::pkcs8() const
{
    Pkcs8Ptr info(EVP_PKEY2PKCS8(m_key.get()));
    if (!info)
        detail::fatalOpenSslError("EVP_PKEY2PKCS8");
    const int len = i2d_PKCS8_PRIV_KEY_INFO(info.get(), nullptr);
    if (len <= 0)
        detail::fatalOpenSslError("i2d_PKCS8_PRIV_KEY_INFO");
    SecretBytes out(static_cast<size_t>(len));
    unsigned char *p = out.data();
    if (i2d_PKCS8_PRIV_KEY_INFO(info.get(), &p) != len)
        detail::fatalOpenSslError("i2d_PKCS8_PRIV_KEY_INFO");
    return out;
}

CryptoResult<Bytes> signRsaPssSha384(const PrivateKey &key, ByteView message)
{
    if (key.type() != PublicKeyType::Rsa)
        return fail(CryptoError::InvalidPrivateKey, "RSASSA-PSS needs an RSA key");
    return digestSign(key.get(), message, [](EVP_PKEY_CTX *pctx) {
        return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1
            && EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, "SHA384", nullptr) == 1
            && EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, kPssSaltLength) == 1;
    });
}

CryptoResult<Bytes> signEcdsaP384Sha384(const PrivateKey &key, ByteView message)
{
    if (key.type() != PublicKeyType::EcP384)
        return fail(CryptoError::InvalidPrivateKey, "ECDSA P-384 needs a P-384 key");
    return digestSign(key.get(), message, [](EVP_PKEY_CTX *) { return true; });
}

CryptoResult<SnpSignature> signEcdsaP384Sha384LittleEndian(const PrivateKey &key, ByteView message)
{
    SOTTO_TRY(const Bytes der, signEcdsaP384Sha384(key, message));
    const unsigned char *p = der.data();
    EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
    if (!sig)
        detail::fatalOpenSslError("d2i_ECDSA_SIG");
    SnpSignature out { Bytes(kSnpEcdsaScalarFieldLength), Bytes(kSnpEcdsaScalarFieldLength) };
    // BN_bn2lebinpad zero-fills above the value: the 72-byte field's padding.
    if (BN_bn2lebinpad(ECDSA_SIG_get0_r(sig.get()), out.r.data(), static_cast<int>(out.r.size()))
            != static_cast<int>(out.r.size())
        || BN_bn2lebinpad(ECDSA_SIG_get0_s(sig.get()), out.s.data(), static_cast<int>(out.s.size()))
            != static_cast<int>(out.s.size()))
        detail::fatalOpenSslError("BN_bn2lebinpad");
    return out;
}

} // namespace sotto::crypto
