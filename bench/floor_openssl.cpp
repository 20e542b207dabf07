// SPDX-License-Identifier: GPL-3.0-or-later
// The floor: the cryptographic work of one OHTTP round trip done with bare
// OpenSSL EVP calls, without HPKE's labels, key schedule or any framing.
// This is the reference our OHTTP round trip is compared against in the same
// run (docs/PERFORMANCE.md). It deliberately talks to OpenSSL directly (the
// one place outside protocol/crypto that does; tests/layering allows bench/floor_*).
//
// Per round trip, as RFC 9458 needs:
//   client:  X25519 keygen + DH, HKDF extract + expand (key, nonce), AEAD seal
//   gateway: DH, HKDF extract + expand, AEAD open,
//            HKDF extract + expand for the response, AEAD seal
//   client:  HKDF extract + expand for the response, AEAD open
#include <benchmark/benchmark.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

namespace {

using Buf = std::vector<unsigned char>;

struct PkeyFree {
    void operator()(EVP_PKEY *p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

void check(bool ok)
{
    if (!ok)
        std::abort();
}

Pkey x25519Generate()
{
    EVP_PKEY *p = nullptr;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_X25519, nullptr);
    check(ctx && EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_keygen(ctx, &p) == 1);
    EVP_PKEY_CTX_free(ctx);
    return Pkey(p);
}

Buf rawPublic(EVP_PKEY *k)
{
    Buf out(32);
    size_t len = out.size();
    check(EVP_PKEY_get_raw_public_key(k, out.data(), &len) == 1);
    return out;
}

Buf dh(EVP_PKEY *priv, const Buf &peerPublic)
{
    Pkey peer(EVP_PKEY_new_raw_public_key(
        EVP_PKEY_X25519, nullptr, peerPublic.data(), peerPublic.size()));
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(priv, nullptr);
    Buf out(32);
    size_t len = out.size();
    check(ctx && EVP_PKEY_derive_init(ctx) == 1 && EVP_PKEY_derive_set_peer(ctx, peer.get()) == 1
        && EVP_PKEY_derive(ctx, out.data(), &len) == 1);
    EVP_PKEY_CTX_free(ctx);
    return out;
}

// One HKDF-SHA256 (extract + expand) of `len` bytes.
Buf hkdf(const Buf &salt, const Buf &ikm, const char *info, size_t len)
{
    static EVP_KDF *kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
    EVP_KDF_CTX *ctx = EVP_KDF_CTX_new(kdf);
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char *>("SHA256"), 0),
        OSSL_PARAM_construct_octet_string(
            OSSL_KDF_PARAM_SALT, const_cast<unsigned char *>(salt.data()), salt.size()),
        OSSL_PARAM_construct_octet_string(
            OSSL_KDF_PARAM_KEY, const_cast<unsigned char *>(ikm.data()), ikm.size()),
        OSSL_PARAM_construct_octet_string(
            OSSL_KDF_PARAM_INFO, const_cast<char *>(info), strlen(info)),
        OSSL_PARAM_construct_end(),
    };
    Buf out(len);
    check(ctx && EVP_KDF_derive(ctx, out.data(), out.size(), params) == 1);
    EVP_KDF_CTX_free(ctx);
    return out;
}

Buf gcmSeal(const Buf &key, const Buf &nonce, const Buf &pt)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    Buf out(pt.size() + 16);
    int len = 0;
    int fin = 0;
    check(EVP_EncryptInit_ex(ctx, EVP_aes_128_gcm(), nullptr, key.data(), nonce.data()) == 1
        && EVP_EncryptUpdate(ctx, out.data(), &len, pt.data(), static_cast<int>(pt.size())) == 1
        && EVP_EncryptFinal_ex(ctx, out.data() + len, &fin) == 1
        && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, out.data() + pt.size()) == 1);
    EVP_CIPHER_CTX_free(ctx);
    return out;
}

Buf gcmOpen(const Buf &key, const Buf &nonce, const Buf &ct)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    Buf out(ct.size() - 16);
    int len = 0;
    int fin = 0;
    check(EVP_DecryptInit_ex(ctx, EVP_aes_128_gcm(), nullptr, key.data(), nonce.data()) == 1
        && EVP_DecryptUpdate(ctx, out.data(), &len, ct.data(), static_cast<int>(out.size())) == 1
        && EVP_CIPHER_CTX_ctrl(
               ctx, EVP_CTRL_AEAD_SET_TAG, 16, const_cast<unsigned char *>(ct.data() + out.size()))
            == 1
        && EVP_DecryptFinal_ex(ctx, out.data() + len, &fin) == 1);
    EVP_CIPHER_CTX_free(ctx);
    return out;
}

void BM_Floor_OpenSslRoundTrip(benchmark::State &state)
{
    const size_t size = static_cast<size_t>(state.range(0));
    Buf request(size, 0x61);
    Buf response(size, 0x62);
    Pkey gateway = x25519Generate();
    const Buf gatewayPublic = rawPublic(gateway.get());
    const Buf noSalt(32, 0); // RFC 5869 2.2: an absent salt is HashLen zero bytes
    for (auto _ : state) {
        // client seals
        Pkey eph = x25519Generate();
        Buf enc = rawPublic(eph.get());
        Buf ss = dh(eph.get(), gatewayPublic);
        Buf km = hkdf(noSalt, ss, "request", 28);
        Buf key(km.begin(), km.begin() + 16), nonce(km.begin() + 16, km.end());
        Buf sealed = gcmSeal(key, nonce, request);
        // gateway opens and answers
        Buf ss2 = dh(gateway.get(), enc);
        Buf km2 = hkdf(noSalt, ss2, "request", 28);
        Buf opened
            = gcmOpen(Buf(km2.begin(), km2.begin() + 16), Buf(km2.begin() + 16, km2.end()), sealed);
        Buf rnonce(16);
        check(RAND_bytes(rnonce.data(), 16) == 1);
        Buf rkm = hkdf(rnonce, ss2, "response", 28);
        Buf rsealed = gcmSeal(
            Buf(rkm.begin(), rkm.begin() + 16), Buf(rkm.begin() + 16, rkm.end()), response);
        // client opens the answer
        Buf rkm2 = hkdf(rnonce, ss, "response", 28);
        Buf ropened = gcmOpen(
            Buf(rkm2.begin(), rkm2.begin() + 16), Buf(rkm2.begin() + 16, rkm2.end()), rsealed);
        benchmark::DoNotOptimize(opened.data());
        benchmark::DoNotOptimize(ropened.data());
    }
    state.SetBytesProcessed(
        static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(2 * size));
}

} // namespace

BENCHMARK(BM_Floor_OpenSslRoundTrip)->Arg(100)->Arg(1024)->Arg(16 * 1024)->Arg(64 * 1024);
