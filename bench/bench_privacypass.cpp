// SPDX-License-Identifier: GPL-3.0-or-later
// Privacy Pass token type 0x0002 (RFC 9578 Section 6, RSA-2048,
// RSABSSA-SHA384-PSS-Deterministic) on protocol/privacypass, one thread:
//   BM_PrivacyPass_IssuerEvaluate   TokenRequest bytes -> TokenResponse bytes
//                                   (decode, blind-sign, encode): per token the
//                                   component issues; compare BM_Floor_RsaPrivate2048
//   BM_PrivacyPass_Redeem           Authorization field -> verified token (parse,
//                                   challenge digest, RSASSA-PSS verify); compare
//                                   BM_Floor_RsaPssVerify and BM_Floor_RsaPublic2048
//   BM_PrivacyPass_RedeemAndSpend   the same plus the in-memory spent-set entry
//   BM_PrivacyPass_ClientRequest    the client's blind (nonce, EMSA-PSS, r, r^e)
//   BM_PrivacyPass_ClientFinalize   unblind + verify of the finished token
//   BM_SpentSet_MemorySpend         one spend in the in-memory set
#include "protocol/privacypass/authorization.h"
#include "protocol/privacypass/spent_set.h"
#include "protocol/privacypass/token.h"

#include <benchmark/benchmark.h>

#include <cstdlib>

using namespace sotto;
using namespace sotto::privacypass;

namespace {

struct Issuer {
    crypto::BlindRsaPrivateKey sk;
    IssuerPublicKey pk;
    Bytes challenge;
};

template <class R> auto must(R r)
{
    if (!r.ok())
        std::abort();
    return std::move(r).value();
}

const Issuer &issuer()
{
    static const Issuer i = [] {
        auto sk = must(crypto::BlindRsaPrivateKey::generate(2048));
        auto pk
            = must(IssuerPublicKey::fromSpkiDer(must(IssuerPublicKey::encodeSpki(sk.publicKey()))));
        TokenChallenge c;
        c.issuerName = toBytes("pp.example.org");
        c.originInfo = toBytes("gateway.example.org");
        return Issuer { sk, pk, must(c.encode()) };
    }();
    return i;
}

Token freshToken()
{
    const Issuer &i = issuer();
    auto req = must(createTokenRequest(i.challenge, i.pk));
    auto resp = must(evaluateTokenRequest(i.sk, i.pk, req.request));
    return must(finalizeToken(req.state, i.pk, resp));
}

void BM_PrivacyPass_IssuerEvaluate(benchmark::State &state)
{
    const Issuer &i = issuer();
    const Bytes request = must(createTokenRequest(i.challenge, i.pk)).request.encode();
    for (auto _ : state) {
        auto decoded = TokenRequest::decode(request);
        if (!decoded.ok())
            state.SkipWithError("decode failed");
        auto resp = evaluateTokenRequest(i.sk, i.pk, decoded.value());
        if (!resp.ok())
            state.SkipWithError("evaluate failed");
        Bytes out = resp.value().encode();
        benchmark::DoNotOptimize(out.data());
    }
}

void BM_PrivacyPass_Redeem(benchmark::State &state)
{
    const Issuer &i = issuer();
    const std::string header = formatAuthorization(freshToken());
    for (auto _ : state) {
        auto token = parseAuthorization(header);
        if (!token.ok() || !verifyToken(token.value(), i.pk, i.challenge).ok())
            state.SkipWithError("verify failed");
        benchmark::DoNotOptimize(token);
    }
}

void BM_PrivacyPass_RedeemAndSpend(benchmark::State &state)
{
    const Issuer &i = issuer();
    // Verification does not depend on the nonce's value, so one signed token
    // stands for all; each iteration spends a distinct nonce as a real token would.
    const std::string header = formatAuthorization(freshToken());
    MemorySpentTokenSet spent(1u << 30);
    const int64_t retires = systemUnixTime() + 86400;
    uint64_t n = 0;
    for (auto _ : state) {
        auto token = parseAuthorization(header);
        if (!token.ok() || !verifyToken(token.value(), i.pk, i.challenge).ok())
            state.SkipWithError("verify failed");
        auto nonce = token.value().nonce;
        for (int b = 0; b < 8; ++b)
            nonce[b] = static_cast<uint8_t>(n >> (8 * b));
        ++n;
        if (!spent.spend(token.value().tokenKeyId, nonce, retires).ok())
            state.SkipWithError("spend failed");
    }
}

void BM_PrivacyPass_ClientRequest(benchmark::State &state)
{
    const Issuer &i = issuer();
    for (auto _ : state) {
        auto req = createTokenRequest(i.challenge, i.pk);
        if (!req.ok())
            state.SkipWithError("request failed");
        benchmark::DoNotOptimize(req);
    }
}

void BM_PrivacyPass_ClientFinalize(benchmark::State &state)
{
    const Issuer &i = issuer();
    auto req = must(createTokenRequest(i.challenge, i.pk));
    auto resp = must(evaluateTokenRequest(i.sk, i.pk, req.request));
    for (auto _ : state) {
        auto token = finalizeToken(req.state, i.pk, resp);
        if (!token.ok())
            state.SkipWithError("finalize failed");
        benchmark::DoNotOptimize(token);
    }
}

void BM_SpentSet_MemorySpend(benchmark::State &state)
{
    MemorySpentTokenSet spent(1u << 30);
    const Bytes key(32, 0x42);
    Bytes nonce(32, 0x17);
    const int64_t retires = systemUnixTime() + 86400;
    uint64_t n = 0;
    for (auto _ : state) {
        for (int b = 0; b < 8; ++b)
            nonce[b] = static_cast<uint8_t>(n >> (8 * b));
        ++n;
        if (!spent.spend(key, nonce, retires).ok())
            state.SkipWithError("spend failed");
    }
}

} // namespace

BENCHMARK(BM_PrivacyPass_IssuerEvaluate);
BENCHMARK(BM_PrivacyPass_Redeem);
BENCHMARK(BM_PrivacyPass_RedeemAndSpend);
BENCHMARK(BM_PrivacyPass_ClientRequest);
BENCHMARK(BM_PrivacyPass_ClientFinalize);
BENCHMARK(BM_SpentSet_MemorySpend);
