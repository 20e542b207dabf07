// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/crypto/hkdf.h"

#include "protocol/crypto/evp_names.h"
#include "protocol/crypto/evp_ptr.h"

#include <openssl/core_names.h>

#include <string>

namespace sotto::crypto {

namespace {

// OpenSSL 3.0.0 kept HKDF `info` in a fixed 1024-byte buffer (HKDF_MAXBUF in
// providers/implementations/kdfs/hkdf.c); later 3.0.x releases allow 32 KiB.
// We enforce the smallest limit so behaviour does not depend on the patch
// release; HPKE and OHTTP infos are a few dozen bytes.
constexpr size_t kOpenSslMaxInfoLength = 1024;

// OSSL_PARAM_construct_octet_string wants a non-const pointer (it is never
// written through for inputs) and a non-null one even for an empty string:
// the provider treats a null data pointer as "parameter missing".
void *paramData(ByteView b)
{
    static uint8_t empty = 0;
    return b.empty() ? &empty : const_cast<uint8_t *>(b.data());
}

// Fetched once per process: an explicit fetch looks the algorithm up in the
// provider store under a lock, which would otherwise cost more than the HMACs
// of a short HKDF. The fetched method is immutable and safe to share between
// threads; it is released at exit, before OpenSSL's own atexit cleanup (it was
// created after OpenSSL registered that handler).
EVP_KDF *hkdfMethod()
{
    static const detail::EvpKdfPtr kdf = [] {
        detail::EvpKdfPtr fetched(EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_HKDF, nullptr));
        if (!fetched)
            detail::fatalOpenSslError("EVP_KDF_fetch(HKDF)");
        return fetched;
    }();
    return kdf.get();
}

// One EVP_KDF "HKDF" run in the given mode. `key` is IKM (extract) or PRK
// (expand); `saltOrInfo` is the salt (extract) or info (expand).
bool runHkdf(HashAlg hash, int mode, ByteView key, ByteView saltOrInfo, std::span<uint8_t> out)
{
    detail::EvpKdfCtxPtr ctx(EVP_KDF_CTX_new(hkdfMethod()));
    if (!ctx)
        detail::fatalOpenSslError("EVP_KDF_CTX_new");

    const bool extract = mode == EVP_KDF_HKDF_MODE_EXTRACT_ONLY;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode),
        OSSL_PARAM_construct_utf8_string(
            OSSL_KDF_PARAM_DIGEST, const_cast<char *>(detail::digestName(hash)), 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, paramData(key), key.size()),
        OSSL_PARAM_construct_octet_string(extract ? OSSL_KDF_PARAM_SALT : OSSL_KDF_PARAM_INFO,
            paramData(saltOrInfo), saltOrInfo.size()),
        OSSL_PARAM_construct_end(),
    };
    const bool ok = EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) == 1;
    if (!ok)
        detail::clearOpenSslErrors();
    return ok;
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

    SecretBytes prk(hashLength(hash));
    if (!runHkdf(hash, EVP_KDF_HKDF_MODE_EXTRACT_ONLY, ikm, effectiveSalt, prk.span()))
        detail::fatalOpenSslError("HKDF-Extract");
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
    if (info.size() > kOpenSslMaxInfoLength)
        return fail(CryptoError::InputTooLong,
            "HKDF-Expand info of " + std::to_string(info.size()) + " bytes exceeds the supported "
                + std::to_string(kOpenSslMaxInfoLength));
    // Section 2.3 requires PRK to be "at least HashLen octets"; a shorter one
    // is not the output of Extract and would weaken the key.
    if (prk.size() < hashLength(hash))
        return fail(CryptoError::InvalidKeyLength,
            "HKDF-Expand PRK must be at least " + std::to_string(hashLength(hash)) + " bytes, got "
                + std::to_string(prk.size()));

    SecretBytes okm(length);
    if (length == 0)
        return okm; // the empty prefix of T; OpenSSL refuses a zero-length derive
    if (!runHkdf(hash, EVP_KDF_HKDF_MODE_EXPAND_ONLY, prk, info, okm.span()))
        return fail(CryptoError::Internal, "EVP_KDF HKDF expand failed");
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
