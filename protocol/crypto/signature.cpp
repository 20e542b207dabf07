// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/crypto/signature.h"

#include "protocol/crypto/evp_ptr.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <algorithm>
#include <string>

namespace sotto::crypto {

namespace {

using detail::BignumPtr;
using detail::EvpMdCtxPtr;
using detail::EvpPkeyPtr;
using EcdsaSigPtr = detail::OsslPtr<ECDSA_SIG, ECDSA_SIG_free>;

// RFC 8017 Section 9.1: sLen. AMD signs with sLen = hLen = 48 for SHA-384.
constexpr int kPssSaltLength = 48;

void freePkey(evp_pkey_st *p)
{
    EVP_PKEY_free(p);
}

PublicKeyType classify(EVP_PKEY *key)
{
    if (EVP_PKEY_is_a(key, "RSA"))
        return PublicKeyType::Rsa;
    if (EVP_PKEY_is_a(key, "EC")) {
        char group[64] = {};
        size_t len = 0;
        if (EVP_PKEY_get_utf8_string_param(
                key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &len)
                == 1
            && std::string(group, len) == "secp384r1")
            return PublicKeyType::EcP384;
    }
    return PublicKeyType::Other;
}

// One EVP_DigestVerify with SHA-384; `configure` sets padding on the
// context OpenSSL made for the key.
template <class F>
CryptoStatus digestVerify(EVP_PKEY *key, ByteView message, ByteView signature, F configure)
{
    EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx)
        detail::fatalOpenSslError("EVP_MD_CTX_new");
    EVP_PKEY_CTX *pctx = nullptr;
    if (EVP_DigestVerifyInit_ex(ctx.get(), &pctx, "SHA384", nullptr, nullptr, key, nullptr) != 1
        || !configure(pctx)) {
        detail::clearOpenSslErrors();
        return fail(CryptoError::Internal, "could not set up SHA-384 signature verification");
    }
    const int rc = EVP_DigestVerify(
        ctx.get(), signature.data(), signature.size(), message.data(), message.size());
    detail::clearOpenSslErrors();
    if (rc != 1)
        return fail(CryptoError::AuthenticationFailed, "signature does not verify");
    return Done {};
}

} // namespace

PublicKey::PublicKey(PublicKeyType type, evp_pkey_st *key)
    : m_type(type)
    , m_key(key, freePkey)
{ }

CryptoResult<PublicKey> PublicKey::adopt(evp_pkey_st *key)
{
    if (!key)
        return fail(CryptoError::InvalidPublicKey, "no public key");
    return PublicKey(classify(key), key);
}

CryptoResult<PublicKey> PublicKey::fromSpki(ByteView der)
{
    const unsigned char *p = der.data();
    EvpPkeyPtr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
    if (!key) {
        detail::clearOpenSslErrors();
        return fail(CryptoError::InvalidPublicKey, "not a DER SubjectPublicKeyInfo");
    }
    const size_t used = static_cast<size_t>(p - der.data());
    if (used != der.size())
        return fail(CryptoError::InvalidPublicKey,
            "SubjectPublicKeyInfo is " + std::to_string(used) + " bytes, input has "
                + std::to_string(der.size()));
    return adopt(key.release());
}

size_t PublicKey::bits() const
{
    return static_cast<size_t>(EVP_PKEY_get_bits(m_key.get()));
}

Bytes PublicKey::spki() const
{
    unsigned char *out = nullptr;
    const int len = i2d_PUBKEY(m_key.get(), &out);
    if (len <= 0)
        detail::fatalOpenSslError("i2d_PUBKEY");
    Bytes result(out, out + len);
    OPENSSL_free(out);
    return result;
}

CryptoStatus verifyEcdsaP384Sha384(const PublicKey &key, ByteView message, ByteView derSignature)
{
    if (key.type() != PublicKeyType::EcP384)
        return fail(CryptoError::InvalidPublicKey, "ECDSA P-384 needs a P-384 key");
    // OpenSSL 3 re-encodes the parsed signature and compares it with the
    // input, so BER and non-minimal DER are refused (Wycheproof relies on it).
    return digestVerify(key.get(), message, derSignature, [](EVP_PKEY_CTX *) { return true; });
}

CryptoResult<Bytes> snpScalarToBigEndian(ByteView field)
{
    if (field.size() != kSnpEcdsaScalarFieldLength)
        return fail(CryptoError::AuthenticationFailed,
            "signature scalar field is " + std::to_string(field.size()) + " bytes, expected "
                + std::to_string(kSnpEcdsaScalarFieldLength));
    // ABI spec 56860, "ECDSA P-384 with SHA-384 Signature Format": R and S
    // are zero-extended little-endian; a scalar of P-384 fits in 48 bytes.
    const auto high = field.subspan(kP384ScalarLength);
    if (!std::all_of(high.begin(), high.end(), [](uint8_t b) { return b == 0; }))
        return fail(
            CryptoError::AuthenticationFailed, "signature scalar has non-zero bytes above byte 48");
    Bytes be(field.begin(), field.begin() + kP384ScalarLength);
    std::reverse(be.begin(), be.end());
    return be;
}

CryptoStatus verifyEcdsaP384Sha384LittleEndian(
    const PublicKey &key, ByteView message, ByteView rLittleEndian, ByteView sLittleEndian)
{
    SOTTO_TRY(const Bytes r, snpScalarToBigEndian(rLittleEndian));
    SOTTO_TRY(const Bytes s, snpScalarToBigEndian(sLittleEndian));
    BignumPtr rn(BN_bin2bn(r.data(), static_cast<int>(r.size()), nullptr));
    BignumPtr sn(BN_bin2bn(s.data(), static_cast<int>(s.size()), nullptr));
    EcdsaSigPtr sig(ECDSA_SIG_new());
    if (!rn || !sn || !sig)
        detail::fatalOpenSslError("ECDSA_SIG_new");
    if (ECDSA_SIG_set0(sig.get(), rn.get(), sn.get()) != 1)
        detail::fatalOpenSslError("ECDSA_SIG_set0");
    rn.release(); // now owned by sig
    sn.release();
    unsigned char *der = nullptr;
    const int len = i2d_ECDSA_SIG(sig.get(), &der);
    if (len <= 0)
        detail::fatalOpenSslError("i2d_ECDSA_SIG");
    const Bytes derSig(der, der + len);
    OPENSSL_free(der);
    return verifyEcdsaP384Sha384(key, message, derSig);
}

CryptoStatus verifyRsaPssSha384(const PublicKey &key, ByteView message, ByteView signature)
{
    if (key.type() != PublicKeyType::Rsa)
        return fail(CryptoError::InvalidPublicKey, "RSASSA-PSS needs an RSA key");
    return digestVerify(key.get(), message, signature, [](EVP_PKEY_CTX *pctx) {
        return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1
            && EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, "SHA384", nullptr) == 1
            && EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, kPssSaltLength) == 1;
    });
}

} // namespace sotto::crypto
