// SPDX-License-Identifier: GPL-3.0-or-later
// Private to protocol/crypto: owning smart pointers for OpenSSL objects, so that
// every early return releases what was allocated. Never included by a public
// header (the layering check keeps OpenSSL out of the rest of protocol/).
#pragma once

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>
#include <openssl/params.h>

#include <memory>

namespace sotto::crypto::detail {

template <class T, void (*Free)(T *)> struct OsslDeleter {
    void operator()(T *p) const { Free(p); }
};

template <class T, void (*Free)(T *)> using OsslPtr = std::unique_ptr<T, OsslDeleter<T, Free>>;

using EvpPkeyPtr = OsslPtr<EVP_PKEY, EVP_PKEY_free>;
using EvpPkeyCtxPtr = OsslPtr<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using EvpCipherCtxPtr = OsslPtr<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>;
using EvpCipherPtr = OsslPtr<EVP_CIPHER, EVP_CIPHER_free>;
using EvpMdCtxPtr = OsslPtr<EVP_MD_CTX, EVP_MD_CTX_free>;
using EvpMdPtr = OsslPtr<EVP_MD, EVP_MD_free>;
using EvpKdfPtr = OsslPtr<EVP_KDF, EVP_KDF_free>;
using EvpKdfCtxPtr = OsslPtr<EVP_KDF_CTX, EVP_KDF_CTX_free>;
using EvpMacPtr = OsslPtr<EVP_MAC, EVP_MAC_free>;
using EvpMacCtxPtr = OsslPtr<EVP_MAC_CTX, EVP_MAC_CTX_free>;
// Private scalars live in BIGNUMs: BN_clear_free wipes them on release.
using BignumPtr = OsslPtr<BIGNUM, BN_clear_free>;
using BnCtxPtr = OsslPtr<BN_CTX, BN_CTX_free>;
using EcGroupPtr = OsslPtr<EC_GROUP, EC_GROUP_free>;
using EcPointPtr = OsslPtr<EC_POINT, EC_POINT_clear_free>;
using OsslParamBldPtr = OsslPtr<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>;
using OsslParamPtr = OsslPtr<OSSL_PARAM, OSSL_PARAM_free>;

// For failures that cannot happen with valid inputs (allocation, a missing
// built-in algorithm) in functions whose contract has no error channel.
// Prints OpenSSL's error queue and aborts: carrying on would be unsafe.
[[noreturn]] void fatalOpenSslError(const char *what);

// Drops whatever OpenSSL queued while we handled an expected failure (a bad
// tag, an invalid point), so the next caller starts with a clean queue.
void clearOpenSslErrors();

} // namespace sotto::crypto::detail
