// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the gateway side of RFC 9458 (Section 4.3): arbitrary
// bytes arrive as an Encapsulated Request and are decapsulated with the fixed
// gateway of fuzz_ohttp_fixture.h (key id 1: the Appendix A X25519 key; key
// id 2: a P-256 key). Besides "no crash, no leak", it checks:
//   - a failure is one decapsulateRequest documents, and its HTTP mapping is
//     400 (Section 5.2); Internal never happens for network input;
//   - a success has the plaintext length the format implies (input minus
//     header, enc and tag), a context for the header's key id and suite, and
//     that context can encapsulate a response.
//
// Seeds (corpus/ohttp_request/): rfc9458_a_x25519_aes128gcm is Appendix A's
// encapsulated_request; rfc9458_a_x25519_chacha20poly1305 is the same request
// and ephemeral key with ChaCha20-Poly1305; rfc9458_a_p256_aes256gcm is the
// same request to key id 2 with AES-256-GCM. All three decapsulate, so
// mutation starts from the deepest path. tests/ohttp/tst_ohttp_fuzz_seeds.cpp
// rebuilds them and compares.
#include "tests/fuzz/fuzz_ohttp_fixture.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace sotto;
using namespace sotto::ohttp;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort();
}

const Gateway &gateway()
{
    static const Gateway g = fuzzfixture::makeGateway();
    return g;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const ByteView in(data, size);
    const auto request = gateway().decapsulateRequest(in);
    if (!request.ok()) {
        switch (request.error()) {
        case OhttpError::Truncated:
        case OhttpError::UnknownKeyId:
        case OhttpError::UnsupportedKem:
        case OhttpError::UnsupportedKdf:
        case OhttpError::UnsupportedAead:
        case OhttpError::InvalidEncapsulatedKey:
        case OhttpError::DecryptionFailed:
            break;
        default:
            std::abort();
        }
        check(gatewayErrorResponse(request.error()).status == 400);
        return 0;
    }
    const auto header = RequestHeader::fromRequest(in);
    check(header.ok());
    const hpke::Suite &suite = request->context.suite();
    check(request->context.keyId() == header->keyId);
    check(static_cast<uint16_t>(suite.kem) == header->kemId);
    check(static_cast<uint16_t>(suite.kdf) == header->kdfId);
    check(static_cast<uint16_t>(suite.aead) == header->aeadId);
    const size_t nenc = hpke::encLength(suite.kem);
    check(request->request.size() == size - RequestHeader::kSize - nenc - 16);
    check(request->context.enc() == Bytes(in.begin() + 7, in.begin() + 7 + nenc));
    const auto response = request->context.encapsulateResponse(request->request);
    check(response.ok());
    check(response->size() == responseNonceLength(suite.aead) + request->request.size() + 16);
    return 0;
}
