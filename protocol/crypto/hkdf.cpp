// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/crypto/hkdf.h"

#include "protocol/crypto/evp_names.h"
#include "protocol/crypto/evp_ptr.h"

#include <openssl/core_names.h>

#include <algorithm>
#include <array>
#include <string>

namespace sotto::crypto {

namespace {

// The bound on HKDF-Expand's info: OpenSSL 3.0.0's own HKDF kept `info` in a
// fixed 1024-byte buffer (HKDF_MAXBUF). HKDF here runs on HMAC and has no such
// buffer, but keeps the bound so callers (HPKE's exporter context limit) do
// not depend on which HKDF runs underneath; HPKE and OHTTP infos are a few
// dozen bytes.
constexpr size_t kMaxInfoLength = 1024;

const void *keyData(ByteView b)
{
    // EVP_MAC_init treats a null key as "keep the previous key"; an empty
    // key must still be a key.
    static const uint8_t empty = 0;
    return b.empty() ? &empty : b.data();
}

// One HMAC context per hash with its digest already set, made once. Every
// HMAC below duplicates it (EVP_MAC_CTX_dup, supported for HMAC in 3.0,
// unlike EVP_KDF_CTX_dup for HKDF), so the digest is not fetched by name on
// each of the dozen HKDF steps an HPKE setup takes.
const EVP_MAC_CTX *hmacTemplate(HashAlg hash)
{
    static const std::array<detail::EvpMacCtxPtr, 3> templates = [] {
        detail::EvpMacPtr mac(EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr));
        if (!mac)
            detail::fatalOpenSslError("EVP_MAC_fetch(HMAC)");
        std::array<detail::EvpMacCtxPtr, 3> made;
        const HashAlg hashes[] = { HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512 };
        for (size_t i = 0; i < made.size(); ++i) {
            made[i].reset(EVP_MAC_CTX_new(mac.get()));
            OSSL_PARAM params[] = {
                OSSL_PARAM_construct_utf8_string(
                    OSSL_MAC_PARAM_DIGEST, const_cast<char *>(detail::digestName(hashes[i])), 0),
                OSSL_PARAM_construct_end(),
            };
            if (!made[i] || EVP_MAC_CTX_set_params(made[i].get(), params) != 1)
                detail::fatalOpenSslError("HMAC context");
        }
        return made;
    }();
    return templates[static_cast<size_t>(hash)].get();
}

// HMAC-Hash(key, parts...) into out (exactly HashLen bytes).
void hmac(HashAlg hash, ByteView key, std::initializer_list<ByteView> parts, std::span<uint8_t> out)
{
    detail::EvpMacCtxPtr ctx(EVP_MAC_CTX_dup(hmacTemplate(hash)));
    if (!ctx
        || EVP_MAC_init(
               ctx.get(), static_cast<const unsigned char *>(keyData(key)), key.size(), nullptr)
            != 1)
        detail::fatalOpenSslError("EVP_MAC_init(HMAC)");
    for (ByteView part : parts) {
        if (!part.empty() && EVP_MAC_update(ctx.get(), part.data(), part.size()) != 1)
            detail::fatalOpenSslError("EVP_MAC_update(HMAC)");
    }
    size_t written = 0;
    if (EVP_MAC_final(ctx.get(), out.data(), &written, out.size()) != 1 || written != out.size())
        detail::fatalOpenSslError("EVP_MAC_final(HMAC)");
}

} // namespace

// RFC 5869 Section 2.2: PRK = HMAC-Hash(salt, IKM).
SecretBytes hkdfExtract(HashAlg hash, ByteView salt, ByteView ikm)
{
    // "if not provided, [salt] is set to a string of HashLen zeros". HMAC pads
    // its key with zeros anyway, but passing the zeros keeps this independent
    // of how the provider treats an empty salt.
    const Bytes zeroSalt(hashLength(hash), 0);
    const ByteView effectiveSalt = salt.empty() ? ByteView(zeroSalt) : salt;

    // PRK = HMAC-Hash(salt, IKM)
    SecretBytes prk(hashLength(hash));
    hmac(hash, effectiveSalt, { ikm }, prk.span());
    return prk;
}

// RFC 5869 Section 2.3: T(i) = HMAC-Hash(PRK, T(i-1) | info | i), L <= 255*HashLen.
CryptoResult<SecretBytes> hkdfExpand(HashAlg hash, ByteView prk, ByteView info, size_t length)
{
    const size_t maxLength = 255 * hashLength(hash);
    if (length > maxLength)
        return fail(CryptoError::OutputTooLong,
            "HKDF-Expand length " + std::to_string(length)
                + " exceeds 255*HashLen = " + std::to_string(maxLength));
    if (info.size() > kMaxInfoLength)
        return fail(CryptoError::InputTooLong,
            "HKDF-Expand info of " + std::to_string(info.size()) + " bytes exceeds the supported "
                + std::to_string(kMaxInfoLength));
    // Section 2.3 requires PRK to be "at least HashLen octets"; a shorter one
    // is not the output of Extract and would weaken the key.
    if (prk.size() < hashLength(hash))
        return fail(CryptoError::InvalidKeyLength,
            "HKDF-Expand PRK must be at least " + std::to_string(hashLength(hash)) + " bytes, got "
                + std::to_string(prk.size()));

    // T(0) = empty; T(i) = HMAC-Hash(PRK, T(i-1) | info | i); OKM = first L
    // octets of T(1) | T(2) | ...
    const size_t hashLen = hashLength(hash);
    SecretBytes okm(length);
    SecretBytes block(hashLen);
    size_t previous = 0; // length of T(i-1) inside block: 0 for T(0)
    for (size_t done = 0, i = 1; done < length; ++i) {
        const uint8_t counter = static_cast<uint8_t>(i);
        hmac(hash, prk, { ByteView(block.data(), previous), info, ByteView(&counter, 1) },
            block.span());
        previous = hashLen;
        const size_t take = std::min(hashLen, length - done);
        std::copy_n(block.data(), take, okm.data() + done);
        done += take;
    }
    return okm;
}

// RFC 5869 Section 2: HKDF(salt, IKM, info, L) = Expand(Extract(salt, IKM), info, L).
CryptoResult<SecretBytes> hkdf(
    HashAlg hash, ByteView salt, ByteView ikm, ByteView info, size_t length)
{
    const SecretBytes prk = hkdfExtract(hash, salt, ikm);
    return hkdfExpand(hash, prk, info, length);
}

} // namespace sotto::crypto
