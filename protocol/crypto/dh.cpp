// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/crypto/dh.h"

#include "protocol/crypto/evp_ptr.h"

#include <openssl/core_names.h>
#include <openssl/obj_mac.h>

#include <string>

namespace sotto::crypto {

namespace {

using detail::EvpPkeyCtxPtr;
using detail::EvpPkeyPtr;

constexpr size_t kX25519Length = 32;
constexpr size_t kP256ScalarLength = 32;
constexpr size_t kP256UncompressedLength = 65; // 0x04 || X || Y (SEC 1 Section 2.3.3)
constexpr uint8_t kSec1Uncompressed = 0x04;
// OpenSSL's name for the P-256 group in OSSL_PKEY_PARAM_GROUP_NAME.
constexpr const char *kP256GroupName = "prime256v1";

// The order n of the P-256 base point (SEC 2 Section 2.4.2, FIPS 186-4 D.1.2.3).
constexpr uint8_t kP256Order[kP256ScalarLength] = {
    0xff,
    0xff,
    0xff,
    0xff,
    0x00,
    0x00,
    0x00,
    0x00,
    0xff,
    0xff,
    0xff,
    0xff,
    0xff,
    0xff,
    0xff,
    0xff,
    0xbc,
    0xe6,
    0xfa,
    0xad,
    0xa7,
    0x17,
    0x9e,
    0x84,
    0xf3,
    0xb9,
    0xca,
    0xc2,
    0xfc,
    0x63,
    0x25,
    0x51,
};

// True when the big-endian scalar is in [1, n-1]. Runs over every byte with
// no data-dependent branch: the scalar is secret, only the verdict is not.
bool p256ScalarInRange(ByteView scalar)
{
    unsigned nonZero = 0;
    unsigned borrow = 0; // borrow out of scalar - n; set iff scalar < n
    for (size_t i = kP256ScalarLength; i-- > 0;) {
        nonZero |= scalar[i];
        const unsigned diff = unsigned { scalar[i] } - unsigned { kP256Order[i] } - borrow;
        borrow = (diff >> 8) & 1u;
    }
    return (nonZero != 0) & (borrow == 1);
}

bool isAllZero(ByteView b)
{
    unsigned acc = 0;
    for (uint8_t v : b)
        acc |= v;
    return acc == 0;
}

EvpPkeyCtxPtr contextForName(const char *name)
{
    EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, name, nullptr));
    if (!ctx)
        detail::fatalOpenSslError("EVP_PKEY_CTX_new_from_name");
    return ctx;
}

// Builds an EC key on P-256 from OSSL_PARAMs (EVP_PKEY_fromdata); null on
// rejection, with OpenSSL's error queue cleared.
EvpPkeyPtr p256FromParams(const OSSL_PARAM *params, int selection)
{
    EvpPkeyCtxPtr ctx = contextForName("EC");
    EVP_PKEY *raw = nullptr;
    if (EVP_PKEY_fromdata_init(ctx.get()) != 1
        || EVP_PKEY_fromdata(ctx.get(), &raw, selection, const_cast<OSSL_PARAM *>(params)) != 1) {
        detail::clearOpenSslErrors();
        return nullptr;
    }
    return EvpPkeyPtr(raw);
}

// RFC 9180 Section 7.1.1 DeserializePublicKey: X25519 takes any 32 bytes
// (RFC 7748 Section 5); P-256 takes only the SEC 1 uncompressed encoding of
// a point on the curve that is not the point at infinity.
CryptoResult<EvpPkeyPtr> decodePublicKey(DhGroup g, ByteView pk)
{
    if (g == DhGroup::X25519) {
        if (pk.size() != kX25519Length)
            return fail(CryptoError::InvalidPublicKey,
                "X25519 public key must be 32 bytes, got " + std::to_string(pk.size()));
        EvpPkeyPtr key(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, pk.data(), pk.size()));
        if (!key)
            detail::fatalOpenSslError("EVP_PKEY_new_raw_public_key");
        return key;
    }

    if (pk.size() != kP256UncompressedLength)
        return fail(CryptoError::InvalidPublicKey,
            "P-256 public key must be the 65-byte uncompressed point, got "
                + std::to_string(pk.size()) + " bytes");
    if (pk[0] != kSec1Uncompressed)
        return fail(CryptoError::InvalidPublicKey,
            "P-256 public key must start with 0x04 (uncompressed), got 0x" + toHex(pk.first(1)));

    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(
            OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char *>(kP256GroupName), 0),
        OSSL_PARAM_construct_octet_string(
            OSSL_PKEY_PARAM_PUB_KEY, const_cast<uint8_t *>(pk.data()), pk.size()),
        OSSL_PARAM_construct_end(),
    };
    EvpPkeyPtr key = p256FromParams(params, EVP_PKEY_PUBLIC_KEY);
    if (!key)
        return fail(CryptoError::InvalidPublicKey, "P-256 public key is not a point on the curve");

    // Full SP 800-56A 5.6.2.3.3 validation: coordinates in range, on the
    // curve, not infinity, and n*Q = infinity.
    EvpPkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
    if (!check)
        detail::fatalOpenSslError("EVP_PKEY_CTX_new_from_pkey");
    if (EVP_PKEY_public_check(check.get()) != 1) {
        detail::clearOpenSslErrors();
        return fail(CryptoError::InvalidPublicKey, "P-256 public key failed validation");
    }
    return key;
}

// SEC 1 Section 3.2.1: the public key is Q = d*G. OpenSSL 3.0's fromdata does
// not derive Q from d, so it is computed here and imported with d.
CryptoResult<EvpPkeyPtr> p256FromScalar(ByteView sk)
{
    if (sk.size() != kP256ScalarLength)
        return fail(CryptoError::InvalidPrivateKey,
            "P-256 private key must be 32 bytes, got " + std::to_string(sk.size()));
    if (!p256ScalarInRange(sk))
        return fail(CryptoError::InvalidPrivateKey, "P-256 private key is not in [1, n-1]");

    // BN_secure_new: OSSL_PARAM_BLD then keeps the copy in memory it wipes.
    detail::BignumPtr d(BN_secure_new());
    detail::BnCtxPtr bnCtx(BN_CTX_secure_new());
    detail::EcGroupPtr group(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
    if (!d || !bnCtx || !group || !BN_bin2bn(sk.data(), static_cast<int>(sk.size()), d.get()))
        detail::fatalOpenSslError("P-256 key setup");
    BN_set_flags(d.get(), BN_FLG_CONSTTIME);

    detail::EcPointPtr q(EC_POINT_new(group.get()));
    uint8_t pub[kP256UncompressedLength];
    if (!q || EC_POINT_mul(group.get(), q.get(), d.get(), nullptr, nullptr, bnCtx.get()) != 1
        || EC_POINT_point2oct(
               group.get(), q.get(), POINT_CONVERSION_UNCOMPRESSED, pub, sizeof pub, bnCtx.get())
            != sizeof pub)
        detail::fatalOpenSslError("P-256 public key computation");

    detail::OsslParamBldPtr bld(OSSL_PARAM_BLD_new());
    if (!bld
        || OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, kP256GroupName, 0)
            != 1
        || OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof pub)
            != 1
        || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()) != 1)
        detail::fatalOpenSslError("OSSL_PARAM_BLD");
    detail::OsslParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
    if (!params)
        detail::fatalOpenSslError("OSSL_PARAM_BLD_to_param");

    EvpPkeyPtr key = p256FromParams(params.get(), EVP_PKEY_KEYPAIR);
    if (!key)
        return fail(CryptoError::Internal, "OpenSSL refused a valid P-256 key pair");
    return key;
}

} // namespace

void EvpPkeyDeleter::operator()(evp_pkey_st *p) const
{
    EVP_PKEY_free(p);
}

size_t dhPublicKeyLength(DhGroup g)
{
    return g == DhGroup::X25519 ? kX25519Length : kP256UncompressedLength;
}

size_t dhPrivateKeyLength(DhGroup)
{
    return 32;
}

size_t dhSharedLength(DhGroup)
{
    return 32;
}

DhPrivateKey::DhPrivateKey(DhGroup g, evp_pkey_st *key)
    : m_group(g)
    , m_key(key, EvpPkeyDeleter {})
{ }

CryptoResult<DhPrivateKey> DhPrivateKey::generate(DhGroup g)
{
    EvpPkeyCtxPtr ctx = contextForName(g == DhGroup::X25519 ? "X25519" : "EC");
    EVP_PKEY *raw = nullptr;
    if (EVP_PKEY_keygen_init(ctx.get()) != 1
        || (g == DhGroup::P256 && EVP_PKEY_CTX_set_group_name(ctx.get(), kP256GroupName) != 1)
        || EVP_PKEY_keygen(ctx.get(), &raw) != 1) {
        detail::clearOpenSslErrors();
        return fail(CryptoError::Internal, "key generation failed");
    }
    return DhPrivateKey(g, raw);
}

CryptoResult<DhPrivateKey> DhPrivateKey::fromBytes(DhGroup g, ByteView sk)
{
    if (g == DhGroup::X25519) {
        // RFC 7748 Section 5: every 32-byte string is a scalar; clamping
        // happens inside X25519 itself, so the bytes are kept as given.
        if (sk.size() != kX25519Length)
            return fail(CryptoError::InvalidPrivateKey,
                "X25519 private key must be 32 bytes, got " + std::to_string(sk.size()));
        EVP_PKEY *raw
            = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, sk.data(), sk.size());
        if (raw == nullptr)
            detail::fatalOpenSslError("EVP_PKEY_new_raw_private_key");
        return DhPrivateKey(g, raw);
    }
    SOTTO_TRY(EvpPkeyPtr key, p256FromScalar(sk));
    return DhPrivateKey(g, key.release());
}

Bytes DhPrivateKey::publicKey() const
{
    Bytes out(dhPublicKeyLength(m_group));
    size_t len = out.size();
    const bool ok = m_group == DhGroup::X25519
        ? EVP_PKEY_get_raw_public_key(m_key.get(), out.data(), &len) == 1
        // Our P-256 keys use OpenSSL's default uncompressed point format.
        : EVP_PKEY_get_octet_string_param(
              m_key.get(), OSSL_PKEY_PARAM_PUB_KEY, out.data(), out.size(), &len)
                == 1
            && out[0] == kSec1Uncompressed;
    if (!ok || len != out.size())
        detail::fatalOpenSslError("publicKey");
    return out;
}

SecretBytes DhPrivateKey::privateKeyBytes() const
{
    SecretBytes out(dhPrivateKeyLength(m_group));
    if (m_group == DhGroup::X25519) {
        // The 32 bytes as imported or generated (unclamped), as RFC 9180's
        // test vectors list skRm.
        size_t len = out.size();
        if (EVP_PKEY_get_raw_private_key(m_key.get(), out.data(), &len) != 1 || len != out.size())
            detail::fatalOpenSslError("EVP_PKEY_get_raw_private_key");
        return out;
    }
    // RFC 9180 Section 7.1.2: SerializePrivateKey for P-256 is the scalar as a
    // 32-byte big-endian integer (Field-Element-to-Octet-String, padded).
    BIGNUM *raw = nullptr;
    if (EVP_PKEY_get_bn_param(m_key.get(), OSSL_PKEY_PARAM_PRIV_KEY, &raw) != 1)
        detail::fatalOpenSslError("EVP_PKEY_get_bn_param");
    detail::BignumPtr d(raw);
    if (BN_bn2binpad(d.get(), out.data(), static_cast<int>(out.size()))
        != static_cast<int>(out.size()))
        detail::fatalOpenSslError("BN_bn2binpad");
    return out;
}

// RFC 9180 Section 4.1 DH(skX, pkY); RFC 7748 Section 5 (X25519) and
// SEC 1 Section 3.3.1 (P-256 ECDH: the x-coordinate of d*Q, 32 bytes).
CryptoResult<SecretBytes> DhPrivateKey::dh(ByteView peerPublicKey) const
{
    SOTTO_TRY(EvpPkeyPtr peer, decodePublicKey(m_group, peerPublicKey));

    EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, m_key.get(), nullptr));
    if (!ctx)
        detail::fatalOpenSslError("EVP_PKEY_CTX_new_from_pkey");
    if (EVP_PKEY_derive_init(ctx.get()) != 1)
        detail::fatalOpenSslError("EVP_PKEY_derive_init");
    if (EVP_PKEY_derive_set_peer_ex(ctx.get(), peer.get(), 1) != 1) {
        detail::clearOpenSslErrors();
        return fail(CryptoError::InvalidPublicKey, "peer public key rejected");
    }

    SecretBytes shared(dhSharedLength(m_group));
    size_t len = shared.size();
    const bool derived = EVP_PKEY_derive(ctx.get(), shared.data(), &len) == 1;
    if (!derived)
        detail::clearOpenSslErrors();
    if (m_group == DhGroup::X25519) {
        // RFC 7748 Section 6.1: a small-order peer key gives the all-zero
        // output, which "MAY" be checked; RFC 9180 Section 7.1.4 requires it.
        // OpenSSL's X25519 refuses that output itself, which is the only way
        // derivation fails for a well-formed 32-byte key.
        if (!derived || isAllZero(shared))
            return fail(CryptoError::InvalidSharedSecret,
                "X25519 produced the all-zero shared secret (small-order peer key)");
    } else if (!derived) {
        return fail(CryptoError::Internal, "P-256 ECDH derivation failed");
    }
    if (len != shared.size())
        return fail(CryptoError::Internal,
            "DH output of " + std::to_string(len) + " bytes, expected "
                + std::to_string(shared.size()));
    return shared;
}

CryptoStatus validatePublicKey(DhGroup g, ByteView pk)
{
    SOTTO_TRY(EvpPkeyPtr key, decodePublicKey(g, pk));
    (void)key;
    return Done {};
}

} // namespace sotto::crypto
