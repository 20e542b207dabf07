// SPDX-License-Identifier: GPL-3.0-or-later
// Binary HTTP (RFC 9292) encode and decode of the request shape Sotto sends:
// POST /v1/summarize with a few header fields and a JSON body of N bytes.
#include "protocol/bhttp/bhttp.h"

#include <benchmark/benchmark.h>

using namespace sotto;

namespace {

bhttp::Request sampleRequest(size_t bodySize)
{
    bhttp::Request r;
    r.method = "POST";
    r.scheme = "https";
    r.authority = "gateway.example.org";
    r.path = "/v1/summarize";
    r.headers = { { "content-type", "application/json" },
        { "authorization", "PrivateToken token=" + std::string(540, 'A') } };
    r.content.assign(bodySize, '{');
    return r;
}

void BM_BhttpEncodeRequest(benchmark::State &state)
{
    const auto req = sampleRequest(static_cast<size_t>(state.range(0)));
    for (auto _ : state) {
        auto enc = bhttp::encodeRequest(req);
        benchmark::DoNotOptimize(enc);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}

void BM_BhttpDecodeRequest(benchmark::State &state)
{
    const auto enc = bhttp::encodeRequest(sampleRequest(static_cast<size_t>(state.range(0))));
    if (!enc)
        std::abort();
    for (auto _ : state) {
        auto dec = bhttp::decodeRequest(*enc);
        if (!dec)
            state.SkipWithError("decode failed");
        benchmark::DoNotOptimize(dec);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}

} // namespace

BENCHMARK(BM_BhttpEncodeRequest)->Arg(100)->Arg(1024)->Arg(16 * 1024)->Arg(64 * 1024);
BENCHMARK(BM_BhttpDecodeRequest)->Arg(100)->Arg(1024)->Arg(16 * 1024)->Arg(64 * 1024);
