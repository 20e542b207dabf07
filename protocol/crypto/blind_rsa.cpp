// SPDX-License-Identifier: GPL-3.0-or-later
// RSA blind signatures (RFC 9474) on BIGNUM: OpenSSL 3.0 has no blind RSA API.
// The private exponentiation (RSASP1) is OpenSSL's raw RSA private operation
// (EVP_PKEY_decrypt, RSA_NO_PADDING: CRT, constant-time exponentiation, base
// blinding) when the key's CRT parameters are known, which is about four times
// faster than without them; otherwise BN_mod_exp_mont_consttime with d. Either
// way the result is checked with the public exponent before it leaves.
#include "protocol/crypto/blind_rsa.h"

#include "protocol/crypto/evp_ptr.h"
#include "protocol/crypto/hash.h"
#include "protocol/crypto/random.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <algorithm>
#include <string>
#include <vector>

namespace sotto::crypto {

using detail::BignumPtr;
using detail::BnCtxPtr;
using detail::EvpPkeyPtr;

std::string_view errorName(BlindRsaError e)
{
    switch (e) {
    case BlindRsaError::InvalidKey:
        return "InvalidKey";
    case BlindRsaError::InvalidLength:
        return "InvalidLength";
    case BlindRsaError::OutOfRange:
        return "OutOfRange";
    case BlindRsaError::SigningFailed:
        return "SigningFailed";
    case BlindRsaError::InvalidSignature:
        return "InvalidSignature";
    case BlindRsaError::MessageTooLong:
        return "MessageTooLong";
    case BlindRsaError::Internal:
        return "Internal";
    }
    return "Unknown";
}

struct BlindRsaAccess {
    static const BIGNUM *n(const BlindRsaPublicKey &k) { return k.m_n.get(); }
    static const BIGNUM *e(const BlindRsaPublicKey &k) { return k.m_e.get(); }
    static const BIGNUM *d(const BlindRsaPrivateKey &k) { return k.m_d.get(); }
    static void setPublic(BlindRsaPublicKey &k, BIGNUM *n, BIGNUM *e)
    {
        k.m_n = BignumHandle(n, BN_free);
        k.m_e = BignumHandle(e, BN_free);
    }
    static void setPrivate(BlindRsaPrivateKey &k, const BlindRsaPublicKey &pub, BIGNUM *d)
    {
        k.m_public = pub;
        BN_set_flags(d, BN_FLG_CONSTTIME);
        k.m_d = BignumHandle(d, BN_clear_free);
    }
    static EVP_PKEY *crt(const BlindRsaPrivateKey &k) { return k.m_crt.get(); }
    static void setCrt(BlindRsaPrivateKey &k, EVP_PKEY *pkey)
    {
        k.m_crt = std::shared_ptr<evp_pkey_st>(pkey, EVP_PKEY_free);
    }
};

namespace {

constexpr size_t kHashLen = 48; // SHA-384

BignumPtr fromBytes(ByteView b)
{
    BignumPtr bn(BN_bin2bn(b.data(), static_cast<int>(b.size()), nullptr));
    if (!bn)
        detail::fatalOpenSslError("BN_bin2bn");
    return bn;
}

BignumPtr newBn()
{
    BignumPtr bn(BN_new());
    if (!bn)
        detail::fatalOpenSslError("BN_new");
    return bn;
}

BnCtxPtr newCtx()
{
    BnCtxPtr ctx(BN_CTX_secure_new());
    if (!ctx)
        detail::fatalOpenSslError("BN_CTX_new");
    return ctx;
}

// I2OSP (RFC 8017 Section 4.1); the caller has checked x < 256^len.
Bytes toBytes(const BIGNUM *x, size_t len)
{
    Bytes out(len);
    if (BN_bn2binpad(x, out.data(), static_cast<int>(len)) < 0)
        detail::fatalOpenSslError("BN_bn2binpad");
    return out;
}

SecretBytes toSecret(const BIGNUM *x, size_t len)
{
    SecretBytes out(len);
    if (BN_bn2binpad(x, out.data(), static_cast<int>(len)) < 0)
        detail::fatalOpenSslError("BN_bn2binpad");
    return out;
}

// out = a^-1 mod n in time independent of the secret a: the product a*b with
// a fresh uniform b says nothing about a, so it is inverted with the fast
// variable-time algorithm and b is multiplied back in: a^-1 = (a*b)^-1 * b.
// (The blinded inversion BoringSSL's bn_mod_inverse_blinded does for RSA; it
// is several times faster than OpenSSL's constant-time BN_mod_inverse and
// BN_gcd for 2048-bit n.) False when a is not invertible, or, with negligible
// probability (b would reveal a factor of n), when b is not.
bool blindedModInverse(BIGNUM *out, const BIGNUM *a, const BIGNUM *n, BN_CTX *ctx)
{
    BignumPtr b(BN_secure_new());
    BignumPtr t(BN_secure_new());
    BignumPtr tInverse(BN_secure_new());
    if (!b || !t || !tInverse)
        detail::fatalOpenSslError("BN_secure_new");
    do {
        if (!BN_priv_rand_range(b.get(), n))
            detail::fatalOpenSslError("BN_priv_rand_range");
    } while (BN_is_zero(b.get()));
    if (!BN_mod_mul(t.get(), a, b.get(), n, ctx))
        detail::fatalOpenSslError("BN_mod_mul");
    if (!BN_mod_inverse(tInverse.get(), t.get(), n, ctx)) {
        detail::clearOpenSslErrors();
        return false;
    }
    if (!BN_mod_mul(out, tInverse.get(), b.get(), n, ctx))
        detail::fatalOpenSslError("BN_mod_mul");
    return true;
}

// MGF1 with SHA-384 (RFC 8017 Appendix B.2.1).
Bytes mgf1Sha384(ByteView seed, size_t maskLen)
{
    Bytes mask;
    mask.reserve(maskLen + kHashLen);
    Bytes block(seed.begin(), seed.end());
    block.resize(seed.size() + 4);
    for (uint32_t counter = 0; mask.size() < maskLen; ++counter) {
        block[seed.size()] = static_cast<uint8_t>(counter >> 24);
        block[seed.size() + 1] = static_cast<uint8_t>(counter >> 16);
        block[seed.size() + 2] = static_cast<uint8_t>(counter >> 8);
        block[seed.size() + 3] = static_cast<uint8_t>(counter);
        Bytes h = digest(HashAlg::Sha384, block);
        mask.insert(mask.end(), h.begin(), h.end());
    }
    mask.resize(maskLen);
    return mask;
}

Bytes pssHash(ByteView mHash, ByteView salt)
{
    // M' = 0x00 x 8 || mHash || salt (RFC 8017 Section 9.1.1 step 5).
    Bytes mPrime(8, 0);
    mPrime.insert(mPrime.end(), mHash.begin(), mHash.end());
    mPrime.insert(mPrime.end(), salt.begin(), salt.end());
    return digest(HashAlg::Sha384, mPrime);
}

// EMSA-PSS-VERIFY (RFC 8017 Section 9.1.2).
bool emsaPssVerifySha384(ByteView message, ByteView em, size_t emBits, size_t sLen)
{
    const size_t emLen = (emBits + 7) / 8;
    if (em.size() != emLen || emLen < kHashLen + sLen + 2 || em.back() != 0xbc)
        return false;
    const size_t dbLen = emLen - kHashLen - 1;
    ByteView maskedDb = em.subspan(0, dbLen);
    ByteView h = em.subspan(dbLen, kHashLen);
    const unsigned topBits = static_cast<unsigned>(8 * emLen - emBits);
    const uint8_t topMask = static_cast<uint8_t>(0xff << (8 - topBits));
    if (topBits != 0 && (maskedDb[0] & topMask) != 0)
        return false;
    Bytes db = mgf1Sha384(h, dbLen);
    for (size_t i = 0; i < dbLen; ++i)
        db[i] ^= maskedDb[i];
    if (topBits != 0)
        db[0] &= static_cast<uint8_t>(~topMask);
    const size_t psLen = emLen - kHashLen - sLen - 2;
    for (size_t i = 0; i < psLen; ++i)
        if (db[i] != 0)
            return false;
    if (db[psLen] != 0x01)
        return false;
    ByteView salt = ByteView(db).subspan(dbLen - sLen, sLen);
    Bytes mHash = digest(HashAlg::Sha384, message);
    Bytes hPrime = pssHash(mHash, salt);
    return std::equal(hPrime.begin(), hPrime.end(), h.begin());
}

BlindRsaResult<BlindRsaPublicKey> publicFromPkey(EVP_PKEY *pkey)
{
    const int id = EVP_PKEY_get_base_id(pkey);
    if (id != EVP_PKEY_RSA && id != EVP_PKEY_RSA_PSS)
        return fail(BlindRsaError::InvalidKey, "not an RSA key");
    BIGNUM *n = nullptr;
    BIGNUM *e = nullptr;
    if (!EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &n)
        || !EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e)) {
        BN_free(n);
        BN_free(e);
        detail::clearOpenSslErrors();
        return fail(BlindRsaError::InvalidKey, "RSA key without n or e");
    }
    Bytes nb = toBytes(n, static_cast<size_t>(BN_num_bytes(n)));
    Bytes eb = toBytes(e, static_cast<size_t>(BN_num_bytes(e)));
    BN_free(n);
    BN_free(e);
    return BlindRsaPublicKey::fromComponents(nb, eb);
}

// The key rebuilt as a plain rsaEncryption EVP_PKEY from n, e, d and the CRT
// parameters (an RSASSA-PSS key cannot do the raw private operation); null
// when the key lacks any of them (a two-prime key is expected).
EVP_PKEY *crtKeyFrom(EVP_PKEY *pkey, const BIGNUM *d)
{
    const char *names[] = { OSSL_PKEY_PARAM_RSA_N, OSSL_PKEY_PARAM_RSA_E,
        OSSL_PKEY_PARAM_RSA_FACTOR1, OSSL_PKEY_PARAM_RSA_FACTOR2, OSSL_PKEY_PARAM_RSA_EXPONENT1,
        OSSL_PKEY_PARAM_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_COEFFICIENT1 };
    std::vector<BignumPtr> values;
    for (const char *name : names) {
        BIGNUM *v = BN_secure_new();
        if (!v)
            detail::fatalOpenSslError("BN_secure_new");
        values.emplace_back(v);
        if (!EVP_PKEY_get_bn_param(pkey, name, &v)) {
            detail::clearOpenSslErrors();
            return nullptr;
        }
    }
    detail::OsslParamBldPtr bld(OSSL_PARAM_BLD_new());
    if (!bld)
        detail::fatalOpenSslError("OSSL_PARAM_BLD_new");
    bool ok = OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_D, d);
    for (size_t i = 0; i < values.size(); ++i)
        ok = ok && OSSL_PARAM_BLD_push_BN(bld.get(), names[i], values[i].get());
    detail::OsslParamPtr params(ok ? OSSL_PARAM_BLD_to_param(bld.get()) : nullptr);
    detail::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
    EVP_PKEY *out = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1
        || EVP_PKEY_fromdata(ctx.get(), &out, EVP_PKEY_KEYPAIR, params.get()) != 1) {
        detail::clearOpenSslErrors();
        return nullptr;
    }
    return out;
}

BlindRsaResult<BlindRsaPrivateKey> privateFromPkey(EVP_PKEY *pkey)
{
    SOTTO_TRY(auto pub, publicFromPkey(pkey));
    BIGNUM *d = BN_secure_new();
    if (!d)
        detail::fatalOpenSslError("BN_secure_new");
    if (!EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_D, &d)) {
        BN_clear_free(d);
        detail::clearOpenSslErrors();
        return fail(BlindRsaError::InvalidKey, "RSA key without a private exponent");
    }
    BlindRsaPrivateKey sk;
    BlindRsaAccess::setPrivate(sk, pub, d);
    if (EVP_PKEY *crt = crtKeyFrom(pkey, d))
        BlindRsaAccess::setCrt(sk, crt);
    return sk;
}

} // namespace

BlindRsaResult<BlindRsaPublicKey> BlindRsaPublicKey::fromComponents(ByteView n, ByteView e)
{
    BignumPtr nb = fromBytes(n);
    BignumPtr eb = fromBytes(e);
    // RFC 9474 Section 6.2 assumes moduli of at least 2048 bits; the
    // Appendix A vectors use 4096. Reject toy keys and even moduli.
    const int bits = BN_num_bits(nb.get());
    if (bits < 2048 || bits > 8192)
        return fail(BlindRsaError::InvalidKey,
            "modulus of " + std::to_string(bits) + " bits, expected 2048..8192");
    if (!BN_is_odd(nb.get()) || !BN_is_odd(eb.get()) || BN_cmp(eb.get(), BN_value_one()) <= 0
        || BN_cmp(eb.get(), nb.get()) >= 0)
        return fail(BlindRsaError::InvalidKey, "n or e out of range");
    BlindRsaPublicKey k;
    BlindRsaAccess::setPublic(k, nb.release(), eb.release());
    return k;
}

BlindRsaResult<BlindRsaPublicKey> BlindRsaPublicKey::fromPem(std::string_view pem)
{
    detail::OsslPtr<BIO, BIO_free_all> bio(
        BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio)
        detail::fatalOpenSslError("BIO_new_mem_buf");
    EvpPkeyPtr pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
    if (!pkey) {
        detail::clearOpenSslErrors();
        return fail(BlindRsaError::InvalidKey, "not a PEM public key");
    }
    return publicFromPkey(pkey.get());
}

BlindRsaResult<BlindRsaPublicKey> BlindRsaPublicKey::fromSpkiDer(ByteView der)
{
    const unsigned char *p = der.data();
    EvpPkeyPtr pkey(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
    if (!pkey) {
        detail::clearOpenSslErrors();
        return fail(BlindRsaError::InvalidKey, "not a DER SubjectPublicKeyInfo");
    }
    if (p != der.data() + der.size())
        return fail(BlindRsaError::InvalidKey, "trailing bytes after the SubjectPublicKeyInfo");
    return publicFromPkey(pkey.get());
}

size_t BlindRsaPublicKey::modulusBytes() const
{
    return static_cast<size_t>(BN_num_bytes(m_n.get()));
}
size_t BlindRsaPublicKey::modulusBits() const
{
    return static_cast<size_t>(BN_num_bits(m_n.get()));
}
Bytes BlindRsaPublicKey::modulus() const
{
    return toBytes(m_n.get(), modulusBytes());
}
Bytes BlindRsaPublicKey::publicExponent() const
{
    return toBytes(m_e.get(), static_cast<size_t>(BN_num_bytes(m_e.get())));
}

BlindRsaResult<BlindRsaPrivateKey> BlindRsaPrivateKey::fromComponents(
    ByteView n, ByteView e, const SecretBytes &d)
{
    SOTTO_TRY(auto pub, BlindRsaPublicKey::fromComponents(n, e));
    BIGNUM *db = BN_secure_new();
    if (!db || !BN_bin2bn(d.data(), static_cast<int>(d.size()), db))
        detail::fatalOpenSslError("BN_bin2bn");
    if (BN_is_zero(db) || BN_cmp(db, BlindRsaAccess::n(pub)) >= 0) {
        BN_clear_free(db);
        return fail(BlindRsaError::InvalidKey, "d out of range");
    }
    BlindRsaPrivateKey sk;
    BlindRsaAccess::setPrivate(sk, pub, db);
    return sk;
}

BlindRsaResult<BlindRsaPrivateKey> BlindRsaPrivateKey::fromPem(std::string_view pem)
{
    detail::OsslPtr<BIO, BIO_free_all> bio(
        BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio)
        detail::fatalOpenSslError("BIO_new_mem_buf");
    EvpPkeyPtr pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!pkey) {
        detail::clearOpenSslErrors();
        return fail(BlindRsaError::InvalidKey, "not a PEM private key");
    }
    return privateFromPkey(pkey.get());
}

BlindRsaResult<BlindRsaPrivateKey> BlindRsaPrivateKey::generate(unsigned bits)
{
    if (bits < 2048 || bits > 8192)
        return fail(
            BlindRsaError::InvalidKey, "expected 2048..8192 bits, got " + std::to_string(bits));
    EvpPkeyPtr pkey(EVP_RSA_gen(bits));
    if (!pkey)
        detail::fatalOpenSslError("EVP_RSA_gen");
    return privateFromPkey(pkey.get());
}

BlindRsaResult<Bytes> emsaPssEncodeSha384(ByteView message, size_t emBits, ByteView salt)
{
    // RFC 8017 Section 9.1.1.
    const size_t emLen = (emBits + 7) / 8;
    if (emLen < kHashLen + salt.size() + 2)
        return fail(BlindRsaError::MessageTooLong, "emLen " + std::to_string(emLen) + " too small");
    Bytes mHash = digest(HashAlg::Sha384, message);
    Bytes h = pssHash(mHash, salt);
    const size_t dbLen = emLen - kHashLen - 1;
    Bytes db(dbLen - salt.size() - 1, 0); // PS
    db.push_back(0x01);
    db.insert(db.end(), salt.begin(), salt.end());
    Bytes mask = mgf1Sha384(h, dbLen);
    for (size_t i = 0; i < dbLen; ++i)
        db[i] ^= mask[i];
    const unsigned topBits = static_cast<unsigned>(8 * emLen - emBits);
    if (topBits != 0)
        db[0] &= static_cast<uint8_t>(0xff >> topBits);
    db.insert(db.end(), h.begin(), h.end());
    db.push_back(0xbc);
    return db;
}

BlindRsaResult<SecretBytes> blindRsaInverseOf(const BlindRsaPublicKey &pk, const SecretBytes &r)
{
    const BIGNUM *n = BlindRsaAccess::n(pk);
    BignumPtr rb(BN_secure_new());
    BignumPtr inv(BN_secure_new());
    if (!rb || !inv || !BN_bin2bn(r.data(), static_cast<int>(r.size()), rb.get()))
        detail::fatalOpenSslError("BN_bin2bn");
    BnCtxPtr ctx = newCtx();
    if (BN_is_zero(rb.get()) || BN_cmp(rb.get(), n) >= 0
        || !BN_mod_inverse(inv.get(), rb.get(), n, ctx.get())) {
        detail::clearOpenSslErrors();
        return fail(BlindRsaError::OutOfRange, "blind not invertible mod n");
    }
    return toSecret(inv.get(), pk.modulusBytes());
}

BlindRsaResult<BlindOutput> blindRsaBlind(const BlindRsaPublicKey &pk, ByteView preparedMessage,
    size_t saltLength, std::optional<ByteView> testSalt, const SecretBytes *testInverse)
{
    const BIGNUM *n = BlindRsaAccess::n(pk);
    const size_t k = pk.modulusBytes();
    Bytes salt;
    if (testSalt) {
        if (testSalt->size() != saltLength)
            return fail(BlindRsaError::InvalidLength,
                "salt of " + std::to_string(testSalt->size()) + " bytes, expected "
                    + std::to_string(saltLength));
        salt.assign(testSalt->begin(), testSalt->end());
    } else {
        salt = randomBytes(saltLength);
    }
    // Step 1: encoded_msg = EMSA-PSS-ENCODE(msg, bit_len(n) - 1).
    SOTTO_TRY(auto encoded, emsaPssEncodeSha384(preparedMessage, pk.modulusBits() - 1, salt));
    BnCtxPtr ctx = newCtx();
    BignumPtr m = fromBytes(encoded);
    BignumPtr r(BN_secure_new());
    BignumPtr inv(BN_secure_new());
    BignumPtr scratch(BN_secure_new());
    if (!r || !inv || !scratch)
        detail::fatalOpenSslError("BN_secure_new");
    BN_set_flags(r.get(), BN_FLG_CONSTTIME);
    if (testInverse) {
        // Step 4: m must be invertible mod n (else it reveals a factor of n).
        if (!blindedModInverse(scratch.get(), m.get(), n, ctx.get()))
            return fail(BlindRsaError::OutOfRange, "encoded message not invertible mod n");
        if (!BN_bin2bn(testInverse->data(), static_cast<int>(testInverse->size()), inv.get()))
            detail::fatalOpenSslError("BN_bin2bn");
        if (BN_is_zero(inv.get()) || BN_cmp(inv.get(), n) >= 0
            || !BN_mod_inverse(r.get(), inv.get(), n, ctx.get())) {
            detail::clearOpenSslErrors();
            return fail(BlindRsaError::OutOfRange, "blinding inverse not invertible mod n");
        }
    } else {
        // Steps 4-7 with one inversion: r uniform in [1, n-1]; (m*r)^-1 exists
        // iff m and r are both invertible, and then inv = r^-1 = (m*r)^-1 * m.
        // A non-invertible r (it would reveal a factor of n) has negligible
        // probability, so a failure is m's.
        do {
            if (!BN_priv_rand_range(r.get(), n))
                detail::fatalOpenSslError("BN_priv_rand_range");
        } while (BN_is_zero(r.get()));
        BignumPtr mr(BN_secure_new());
        if (!mr || !BN_mod_mul(mr.get(), m.get(), r.get(), n, ctx.get()))
            detail::fatalOpenSslError("BN_mod_mul");
        if (!blindedModInverse(scratch.get(), mr.get(), n, ctx.get()))
            return fail(BlindRsaError::OutOfRange, "encoded message not invertible mod n");
        if (!BN_mod_mul(inv.get(), scratch.get(), m.get(), n, ctx.get()))
            detail::fatalOpenSslError("BN_mod_mul");
    }
    // Steps 8-10: x = RSAVP1(pk, r); z = m * x mod n.
    BignumPtr x(BN_secure_new());
    BignumPtr z = newBn();
    if (!x || !BN_mod_exp_mont(x.get(), r.get(), BlindRsaAccess::e(pk), n, ctx.get(), nullptr)
        || !BN_mod_mul(z.get(), m.get(), x.get(), n, ctx.get()))
        detail::fatalOpenSslError("BN_mod_exp_mont");
    return BlindOutput { toBytes(z.get(), k), BlindingInverse(toSecret(inv.get(), k)) };
}

BlindRsaResult<Bytes> blindRsaBlindSign(const BlindRsaPrivateKey &sk, ByteView blindedMessage)
{
    const BlindRsaPublicKey &pk = sk.publicKey();
    const BIGNUM *n = BlindRsaAccess::n(pk);
    const size_t k = pk.modulusBytes();
    if (blindedMessage.size() != k)
        return fail(BlindRsaError::InvalidLength,
            "blinded message of " + std::to_string(blindedMessage.size()) + " bytes, expected "
                + std::to_string(k));
    BignumPtr m = fromBytes(blindedMessage);
    if (BN_cmp(m.get(), n) >= 0)
        return fail(BlindRsaError::OutOfRange, "blinded message >= n");
    BnCtxPtr ctx = newCtx();
    // RSASP1 (RFC 8017 Section 5.2.1) in constant time.
    BignumPtr s(BN_secure_new());
    BignumPtr check = newBn();
    if (!s)
        detail::fatalOpenSslError("BN_secure_new");
    if (EVP_PKEY *crt = BlindRsaAccess::crt(sk)) {
        detail::EvpPkeyCtxPtr pctx(EVP_PKEY_CTX_new(crt, nullptr));
        Bytes out(k);
        size_t outLen = out.size();
        if (!pctx || EVP_PKEY_decrypt_init(pctx.get()) != 1
            || EVP_PKEY_CTX_set_rsa_padding(pctx.get(), RSA_NO_PADDING) != 1
            || EVP_PKEY_decrypt(
                   pctx.get(), out.data(), &outLen, blindedMessage.data(), blindedMessage.size())
                != 1
            || outLen != k) {
            detail::clearOpenSslErrors();
            return fail(BlindRsaError::Internal, "the RSA private operation failed");
        }
        if (!BN_bin2bn(out.data(), static_cast<int>(out.size()), s.get()))
            detail::fatalOpenSslError("BN_bin2bn");
    } else if (!BN_mod_exp_mont_consttime(
                   s.get(), m.get(), BlindRsaAccess::d(sk), n, ctx.get(), nullptr)) {
        detail::fatalOpenSslError("BN_mod_exp_mont_consttime");
    }
    // RFC 9474 Section 4.3 steps 3-4: m' = RSAVP1(pk, s) must equal m.
    if (!BN_mod_exp_mont(check.get(), s.get(), BlindRsaAccess::e(pk), n, ctx.get(), nullptr))
        detail::fatalOpenSslError("BN_mod_exp_mont");
    if (BN_cmp(check.get(), m.get()) != 0)
        return fail(BlindRsaError::SigningFailed, "signature does not verify under the public key");
    return toBytes(s.get(), k);
}

BlindRsaResult<Bytes> blindRsaFinalize(const BlindRsaPublicKey &pk, ByteView preparedMessage,
    size_t saltLength, ByteView blindSignature, const BlindingInverse &inverse)
{
    const BIGNUM *n = BlindRsaAccess::n(pk);
    const size_t k = pk.modulusBytes();
    if (blindSignature.size() != k)
        return fail(BlindRsaError::InvalidLength,
            "blind signature of " + std::to_string(blindSignature.size()) + " bytes, expected "
                + std::to_string(k));
    if (inverse.bytes().size() != k)
        return fail(BlindRsaError::InvalidLength,
            "blinding inverse of " + std::to_string(inverse.bytes().size()) + " bytes, expected "
                + std::to_string(k));
    BignumPtr z = fromBytes(blindSignature);
    if (BN_cmp(z.get(), n) >= 0)
        return fail(BlindRsaError::OutOfRange, "blind signature >= n");
    BignumPtr inv(BN_secure_new());
    if (!inv || !BN_bin2bn(inverse.bytes().data(), static_cast<int>(k), inv.get()))
        detail::fatalOpenSslError("BN_bin2bn");
    BnCtxPtr ctx = newCtx();
    // Step 3: s = z * inv mod n.
    BignumPtr s = newBn();
    if (!BN_mod_mul(s.get(), z.get(), inv.get(), n, ctx.get()))
        detail::fatalOpenSslError("BN_mod_mul");
    Bytes sig = toBytes(s.get(), k);
    // Steps 5-6: the result must verify.
    SOTTO_TRY(auto ok, blindRsaVerify(pk, preparedMessage, saltLength, sig));
    (void)ok;
    return sig;
}

BlindRsaStatus blindRsaVerify(
    const BlindRsaPublicKey &pk, ByteView preparedMessage, size_t saltLength, ByteView signature)
{
    const BIGNUM *n = BlindRsaAccess::n(pk);
    const size_t k = pk.modulusBytes();
    // RFC 8017 Section 8.1.2 step 1: the length check.
    if (signature.size() != k)
        return fail(BlindRsaError::InvalidSignature,
            "signature of " + std::to_string(signature.size()) + " bytes, expected "
                + std::to_string(k));
    BignumPtr s = fromBytes(signature);
    if (BN_cmp(s.get(), n) >= 0)
        return fail(BlindRsaError::InvalidSignature, "signature representative >= n");
    BnCtxPtr ctx = newCtx();
    BignumPtr m = newBn();
    if (!BN_mod_exp_mont(m.get(), s.get(), BlindRsaAccess::e(pk), n, ctx.get(), nullptr))
        detail::fatalOpenSslError("BN_mod_exp_mont");
    const size_t emBits = pk.modulusBits() - 1;
    const size_t emLen = (emBits + 7) / 8;
    if (static_cast<size_t>(BN_num_bytes(m.get())) > emLen)
        return fail(BlindRsaError::InvalidSignature, "encoded message too long");
    Bytes em = toBytes(m.get(), emLen);
    if (!emsaPssVerifySha384(preparedMessage, em, emBits, saltLength))
        return fail(BlindRsaError::InvalidSignature, "EMSA-PSS verification failed");
    return Done {};
}

} // namespace sotto::crypto
