// SPDX-License-Identifier: GPL-3.0-or-later
// SEV-SNP report verification as a client does it per evidence fetch
// (protocol/snp verifyReport): report parsing, the VCEK's X.509 parsing and
// extensions, ARK -> ASK -> VCEK (three RSA-4096 PSS verifications) and the
// report's ECDSA P-384 signature; "cold" every time, and with a
// VerifiedChainCache that remembers the VCEK's verified chain. Compare with
// the BM_Floor_Snp* references (floor_openssl_snp.cpp) in the same run: bare
// OpenSSL doing only the signature checks. Data: the real virtee Milan report.
#include "protocol/snp/chain.h"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

using namespace sotto;

namespace {

constexpr int64_t kNow = 1735689600; // 2025-01-01, inside the VCEK's validity

Bytes readData(const std::string &name)
{
    std::ifstream in(std::string(SOTTO_BENCH_DATA_DIR) + "/snp/" + name, std::ios::binary);
    Bytes b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (b.empty())
        std::abort();
    return b;
}

void BM_SnpVerifyCold(benchmark::State &state)
{
    const Bytes report = readData("virtee_report_milan.bin");
    const Bytes vcek = readData("virtee_vcek_milan.der");
    snp::pinnedAmdChains(); // load the pinned roots outside the timing
    for (auto _ : state) {
        auto r = snp::verifyReport(report, vcek, kNow);
        if (!r)
            state.SkipWithError("verification failed");
        benchmark::DoNotOptimize(r);
    }
}
BENCHMARK(BM_SnpVerifyCold);

void BM_SnpVerifyCachedChain(benchmark::State &state)
{
    const Bytes report = readData("virtee_report_milan.bin");
    const Bytes vcek = readData("virtee_vcek_milan.der");
    snp::VerifiedChainCache cache;
    if (!snp::verifyReport(report, vcek, kNow, snp::pinnedAmdChains(), cache))
        std::abort();
    for (auto _ : state) {
        auto r = snp::verifyReport(report, vcek, kNow, snp::pinnedAmdChains(), cache);
        if (!r)
            state.SkipWithError("verification failed");
        benchmark::DoNotOptimize(r);
    }
}
BENCHMARK(BM_SnpVerifyCachedChain);

} // namespace
