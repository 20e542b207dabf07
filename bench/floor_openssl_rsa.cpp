// SPDX-License-Identifier: GPL-3.0-or-later
// The floor for Privacy Pass token type 0x0002 (RFC 9578 Section 6): the bare
// OpenSSL RSA-2048 operations that issuing and redeeming a token cannot do
// without, through EVP with no padding, no framing and no token structure.
//   BM_Floor_RsaPrivate2048  one private operation x^d mod n (OpenSSL uses CRT
//                            and base blinding): the least a blind signature costs
//   BM_Floor_RsaPublic2048   one public operation s^e mod n (e = 65537)
//   BM_Floor_RsaPssVerify    RSASSA-PSS SHA-384, salt 48 verify of a 98-byte
//                            message: what verifying a token's authenticator is
// Compared against bench_privacypass.cpp in the same run (docs/PERFORMANCE.md).
// It talks to OpenSSL directly, as tests/layering allows bench/floor_* to.
#include <benchmark/benchmark.h>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include <cstdlib>
#include <memory>
#include <vector>

namespace {

using Buf = std::vector<unsigned char>;

struct PkeyFree {
    void operator()(EVP_PKEY *p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
struct CtxFree {
    void operator()(EVP_PKEY_CTX *c) const { EVP_PKEY_CTX_free(c); }
};
using Ctx = std::unique_ptr<EVP_PKEY_CTX, CtxFree>;

void check(bool ok)
{
    if (!ok)
        std::abort();
}

EVP_PKEY *rsaKey()
{
    static Pkey key(EVP_RSA_gen(2048));
    check(key != nullptr);
    return key.get();
}

// A value below n: a random 256-byte string with its top byte cleared.
Buf belowModulus()
{
    Buf m(256);
    check(RAND_bytes(m.data(), static_cast<int>(m.size())) == 1);
    m[0] = 0;
    return m;
}

void BM_Floor_RsaPrivate2048(benchmark::State &state)
{
    Ctx ctx(EVP_PKEY_CTX_new(rsaKey(), nullptr));
    check(ctx && EVP_PKEY_decrypt_init(ctx.get()) == 1
        && EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_NO_PADDING) == 1);
    const Buf in = belowModulus();
    Buf out(256);
    for (auto _ : state) {
        size_t len = out.size();
        check(EVP_PKEY_decrypt(ctx.get(), out.data(), &len, in.data(), in.size()) == 1);
        benchmark::DoNotOptimize(out.data());
    }
}

void BM_Floor_RsaPublic2048(benchmark::State &state)
{
    Ctx ctx(EVP_PKEY_CTX_new(rsaKey(), nullptr));
    check(ctx && EVP_PKEY_encrypt_init(ctx.get()) == 1
        && EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_NO_PADDING) == 1);
    const Buf in = belowModulus();
    Buf out(256);
    for (auto _ : state) {
        size_t len = out.size();
        check(EVP_PKEY_encrypt(ctx.get(), out.data(), &len, in.data(), in.size()) == 1);
        benchmark::DoNotOptimize(out.data());
    }
}

void BM_Floor_RsaPssVerify(benchmark::State &state)
{
    Buf msg(98, 0x5a);
    Buf sig(256);
    {
        EVP_MD_CTX *md = EVP_MD_CTX_new();
        EVP_PKEY_CTX *pctx = nullptr;
        size_t len = sig.size();
        check(md && EVP_DigestSignInit(md, &pctx, EVP_sha384(), nullptr, rsaKey()) == 1
            && EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1
            && EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 48) == 1
            && EVP_DigestSign(md, sig.data(), &len, msg.data(), msg.size()) == 1);
        EVP_MD_CTX_free(md);
    }
    for (auto _ : state) {
        EVP_MD_CTX *md = EVP_MD_CTX_new();
        EVP_PKEY_CTX *pctx = nullptr;
        check(md && EVP_DigestVerifyInit(md, &pctx, EVP_sha384(), nullptr, rsaKey()) == 1
            && EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1
            && EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 48) == 1
            && EVP_DigestVerify(md, sig.data(), sig.size(), msg.data(), msg.size()) == 1);
        EVP_MD_CTX_free(md);
    }
}

} // namespace

BENCHMARK(BM_Floor_RsaPrivate2048);
BENCHMARK(BM_Floor_RsaPublic2048);
BENCHMARK(BM_Floor_RsaPssVerify);
