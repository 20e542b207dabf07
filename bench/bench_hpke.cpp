// SPDX-License-Identifier: GPL-3.0-or-later
// HPKE (RFC 9180) single-shot seal and open, base mode, DHKEM(X25519) +
// HKDF-SHA256 with each AEAD. Compare with BM_Floor_OpenSslRoundTrip
// (floor_openssl.cpp) in the same run.
#include "protocol/hpke/hpke.h"

#include <benchmark/benchmark.h>

#include <cstdlib>

using namespace sotto;

namespace {

hpke::Suite suiteFor(int64_t aead)
{
    return hpke::Suite { hpke::KemId::DhkemX25519Sha256, hpke::KdfId::HkdfSha256,
        static_cast<hpke::AeadId>(aead) };
}

const hpke::KeyPair &recipient()
{
    static auto kp = hpke::KeyPair::generate(hpke::KemId::DhkemX25519Sha256);
    if (!kp)
        std::abort();
    return *kp;
}

void BM_HpkeSeal(benchmark::State &state)
{
    const auto suite = suiteFor(state.range(0));
    const Bytes pt(static_cast<size_t>(state.range(1)), 0x61);
    hpke::SenderOptions opts;
    opts.info = asBytes("bench");
    for (auto _ : state) {
        auto sealed = hpke::seal(suite, recipient().publicKey(), {}, pt, opts);
        if (!sealed)
            state.SkipWithError("seal failed");
        benchmark::DoNotOptimize(sealed);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(1));
}

void BM_HpkeOpen(benchmark::State &state)
{
    const auto suite = suiteFor(state.range(0));
    const Bytes pt(static_cast<size_t>(state.range(1)), 0x61);
    hpke::SenderOptions opts;
    opts.info = asBytes("bench");
    auto sealed = hpke::seal(suite, recipient().publicKey(), {}, pt, opts);
    if (!sealed)
        std::abort();
    hpke::RecipientOptions ropts;
    ropts.info = asBytes("bench");
    for (auto _ : state) {
        auto opened = hpke::open(suite, sealed->enc, recipient(), {}, sealed->ciphertext, ropts);
        if (!opened)
            state.SkipWithError("open failed");
        benchmark::DoNotOptimize(opened);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(1));
}

// Args: AEAD id (1 AES-128-GCM, 3 ChaCha20-Poly1305), plaintext bytes.
void hpkeArgs(benchmark::internal::Benchmark *b)
{
    b->ArgNames({ "aead", "bytes" });
    for (int64_t aead : { 1, 3 })
        for (int64_t size : { 100, 1024, 16 * 1024, 64 * 1024 })
            b->Args({ aead, size });
}

} // namespace

BENCHMARK(BM_HpkeSeal)->Apply(hpkeArgs);
BENCHMARK(BM_HpkeOpen)->Apply(hpkeArgs);
