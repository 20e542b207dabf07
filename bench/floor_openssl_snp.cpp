// SPDX-License-Identifier: GPL-3.0-or-later
// The floor for SEV-SNP verification (bench_snp.cpp): only the signature
// checks, with bare OpenSSL and everything else done before the timing:
//   BM_Floor_SnpEcdsaReport   one ECDSA P-384/SHA-384 verify of the report's
//                             signed range (R/S already converted to DER)
//   BM_Floor_SnpRsaPssCert    one X509_verify of the VCEK by the ASK's key
//                             (RSA-4096, PSS SHA-384 salt 48)
//   BM_Floor_SnpChainAndReport  X509_verify of ARK (self), ASK, VCEK + the
//                             ECDSA verify: the least a cold verification does
// Like floor_openssl.cpp it talks to OpenSSL directly (tests/layering allows
// bench/floor_*).
#include <benchmark/benchmark.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

using Buf = std::vector<unsigned char>;

void check(bool ok)
{
    if (!ok)
        std::abort();
}

Buf readData(const std::string &name)
{
    std::ifstream in(std::string(SOTTO_BENCH_DATA_DIR) + "/snp/" + name, std::ios::binary);
    Buf b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    check(!b.empty());
    return b;
}

struct Fixture {
    Buf report;
    Buf derSignature;
    X509 *vcek = nullptr;
    X509 *ask = nullptr;
    X509 *ark = nullptr;
    EVP_PKEY *vcekKey = nullptr;
    EVP_PKEY *askKey = nullptr;
    EVP_PKEY *arkKey = nullptr;

    Fixture()
        : report(readData("virtee_report_milan.bin"))
    {
        const Buf vcekDer = readData("virtee_vcek_milan.der");
        const unsigned char *p = vcekDer.data();
        vcek = d2i_X509(nullptr, &p, static_cast<long>(vcekDer.size()));
        const Buf pem = readData("ask_ark_milan.pem");
        BIO *bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
        ask = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr); // the ASK comes first
        ark = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
        BIO_free(bio);
        check(vcek && ask && ark);
        vcekKey = X509_get0_pubkey(vcek);
        askKey = X509_get0_pubkey(ask);
        arkKey = X509_get0_pubkey(ark);
        // R at 0x2A0 and S at 0x2E8, 72-byte little-endian fields.
        BIGNUM *r = BN_lebin2bn(report.data() + 0x2A0, 72, nullptr);
        BIGNUM *s = BN_lebin2bn(report.data() + 0x2E8, 72, nullptr);
        ECDSA_SIG *sig = ECDSA_SIG_new();
        check(r && s && sig && ECDSA_SIG_set0(sig, r, s) == 1);
        unsigned char *der = nullptr;
        const int len = i2d_ECDSA_SIG(sig, &der);
        check(len > 0);
        derSignature.assign(der, der + len);
        OPENSSL_free(der);
        ECDSA_SIG_free(sig);
    }
};

const Fixture &fixture()
{
    static const Fixture f;
    return f;
}

bool ecdsaVerify(const Fixture &f)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    const bool ok
        = EVP_DigestVerifyInit_ex(ctx, nullptr, "SHA384", nullptr, nullptr, f.vcekKey, nullptr) == 1
        && EVP_DigestVerify(
               ctx, f.derSignature.data(), f.derSignature.size(), f.report.data(), 0x2A0)
            == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

void BM_Floor_SnpEcdsaReport(benchmark::State &state)
{
    const Fixture &f = fixture();
    for (auto _ : state)
        check(ecdsaVerify(f));
}
BENCHMARK(BM_Floor_SnpEcdsaReport);

void BM_Floor_SnpRsaPssCert(benchmark::State &state)
{
    const Fixture &f = fixture();
    for (auto _ : state)
        check(X509_verify(f.vcek, f.askKey) == 1);
}
BENCHMARK(BM_Floor_SnpRsaPssCert);

void BM_Floor_SnpChainAndReport(benchmark::State &state)
{
    const Fixture &f = fixture();
    for (auto _ : state) {
        check(X509_verify(f.ark, f.arkKey) == 1);
        check(X509_verify(f.ask, f.arkKey) == 1);
        check(X509_verify(f.vcek, f.askKey) == 1);
        check(ecdsaVerify(f));
    }
}
BENCHMARK(BM_Floor_SnpChainAndReport);

} // namespace
