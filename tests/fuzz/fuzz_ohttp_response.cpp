// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the client side of RFC 9458 (Section 4.4): arbitrary
// bytes arrive as an Encapsulated Response and are decapsulated with three
// fixed client contexts (fuzz_ohttp_fixture.h): Appendix A's own exchange
// (X25519, AES-128-GCM, 16-byte nonce), the same request with
// ChaCha20-Poly1305 (32-byte nonce) and the P-256 / AES-256-GCM request.
// Besides "no crash, no leak", it checks:
//   - a failure is ResponseTooShort exactly when the input is shorter than
//     max(Nn, Nk) + 16, and DecryptionFailed otherwise;
//   - a success re-encapsulates to the same bytes: the gateway's context for
//     that exchange, given the input's nonce and the plaintext, gives back
//     the input.
//
// Seeds (corpus/ohttp_response/): rfc9458_a_x25519_aes128gcm is Appendix A's
// encapsulated_response; the other two are response_bhttp sealed for the
// other two exchanges with response_nonce repeated to 32 bytes.
// tests/ohttp/tst_ohttp_fuzz_seeds.cpp rebuilds them and compares.
#include "tests/fuzz/fuzz_ohttp_fixture.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

using namespace sotto;
using namespace sotto::ohttp;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort();
}

struct Pair {
    ClientRequest client;
    GatewayResponseContext gateway;
};

const std::vector<Pair> &pairs()
{
    static const std::vector<Pair> all = [] {
        const Gateway gateway = fuzzfixture::makeGateway();
        std::vector<Pair> out;
        for (fuzzfixture::Exchange &e : fuzzfixture::makeExchanges(gateway)) {
            auto atGateway = fuzzfixture::must(
                gateway.decapsulateRequest(e.request.encapsulated), "fixture decapsulation");
            out.push_back({ std::move(e.request), std::move(atGateway.context) });
        }
        return out;
    }();
    return all;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const ByteView in(data, size);
    for (const Pair &pair : pairs()) {
        const size_t nonceLength = responseNonceLength(pair.client.context.suite().aead);
        const auto response = pair.client.context.decapsulateResponse(in);
        if (!response.ok()) {
            check(response.error()
                == (size < nonceLength + 16 ? OhttpError::ResponseTooShort
                                            : OhttpError::DecryptionFailed));
            continue;
        }
        check(response->size() == size - nonceLength - 16);
        const auto again
            = pair.gateway.encapsulateResponseWithNonceForTesting(*response, in.first(nonceLength));
        check(again.ok() && *again == Bytes(in.begin(), in.end()));
    }
    return 0;
}
