// SPDX-License-Identifier: GPL-3.0-or-later
// The Oblivious HTTP round trip (RFC 9458) as the client and gateway run it:
// client encapsulates, gateway decapsulates and encapsulates the response,
// client decapsulates. Sizes are the Binary HTTP payloads in each direction.
// Reference in the same run: BM_Floor_OpenSslRoundTrip (floor_openssl.cpp),
// the same X25519 + HKDF + AEAD work with bare OpenSSL and no framing.
#include "protocol/ohttp/ohttp.h"

#include <benchmark/benchmark.h>

#include <cstdlib>

using namespace sotto;

namespace {

struct Fixture {
    ohttp::Gateway gateway;
    ohttp::KeyConfig config;
};

const Fixture &fixture()
{
    static const Fixture f = [] {
        auto kp = hpke::KeyPair::generate(hpke::KemId::DhkemX25519Sha256);
        const ohttp::SymmetricSuite suites[]
            = { { hpke::KdfId::HkdfSha256, hpke::AeadId::Aes128Gcm },
                  { hpke::KdfId::HkdfSha256, hpke::AeadId::ChaCha20Poly1305 } };
        if (!kp)
            std::abort();
        auto key = ohttp::GatewayKey::create(1, std::move(kp).value(), suites);
        if (!key)
            std::abort();
        ohttp::KeyConfig config = key->config();
        auto gw = ohttp::Gateway::create({ std::move(key).value() });
        if (!gw)
            std::abort();
        return Fixture { std::move(gw).value(), config };
    }();
    return f;
}

void BM_OhttpRoundTrip(benchmark::State &state)
{
    const auto aead = static_cast<hpke::AeadId>(state.range(0));
    const size_t size = static_cast<size_t>(state.range(1));
    const Bytes request(size, 0x61);
    const Bytes response(size, 0x62);
    const auto &f = fixture();
    for (auto _ : state) {
        auto sealed = ohttp::ClientRequest::encapsulate(
            f.config, { hpke::KdfId::HkdfSha256, aead }, request);
        auto opened = f.gateway.decapsulateRequest(sealed->encapsulated);
        auto answer = opened->context.encapsulateResponse(response);
        auto result = sealed->context.decapsulateResponse(*answer);
        if (!result || result->size() != size)
            state.SkipWithError("round trip failed");
        benchmark::DoNotOptimize(result);
    }
    state.SetBytesProcessed(
        static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(2 * size));
}

void BM_OhttpClientEncapsulate(benchmark::State &state)
{
    const Bytes request(static_cast<size_t>(state.range(0)), 0x61);
    const auto &f = fixture();
    for (auto _ : state) {
        auto sealed = ohttp::ClientRequest::encapsulate(
            f.config, { hpke::KdfId::HkdfSha256, hpke::AeadId::Aes128Gcm }, request);
        benchmark::DoNotOptimize(sealed);
    }
}

void BM_OhttpGatewayDecapsulate(benchmark::State &state)
{
    const Bytes request(static_cast<size_t>(state.range(0)), 0x61);
    const auto &f = fixture();
    auto sealed = ohttp::ClientRequest::encapsulate(
        f.config, { hpke::KdfId::HkdfSha256, hpke::AeadId::Aes128Gcm }, request);
    for (auto _ : state) {
        auto opened = f.gateway.decapsulateRequest(sealed->encapsulated);
        if (!opened)
            state.SkipWithError("decapsulation failed");
        benchmark::DoNotOptimize(opened);
    }
}

void roundTripArgs(benchmark::internal::Benchmark *b)
{
    b->ArgNames({ "aead", "bytes" });
    for (int64_t aead : { 1, 3 })
        for (int64_t size : { 100, 1024, 16 * 1024, 64 * 1024 })
            b->Args({ aead, size });
}

} // namespace

BENCHMARK(BM_OhttpRoundTrip)->Apply(roundTripArgs);
BENCHMARK(BM_OhttpClientEncapsulate)->Arg(1024);
BENCHMARK(BM_OhttpGatewayDecapsulate)->Arg(1024);
