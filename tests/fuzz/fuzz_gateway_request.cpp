// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the gateway's request path (tee-backend/gateway,
// GatewayCore::gateway): OHTTP decapsulation -> BHTTP decoding -> routing ->
// Authorization: PrivateToken (parse, issuer key, signature, spend) -> the
// echo engine -> padded BHTTP response -> encapsulation.
//
// The first byte selects how the rest is used:
//   even  the rest is the body of POST /gateway as it arrives from the relay
//         (an Encapsulated Request; the key is random per run, so this
//         exercises the header checks and the plain error answers);
//   odd   the rest is a Binary HTTP request that the target first seals to
//         the gateway's current key, so mutations reach everything past
//         decryption.
// Besides "no crash, no leak" it checks the contract: a validly sealed
// request always gets outer status 200 with an Encapsulated Response that
// the client can open, holding a BHTTP response whose length is a padding
// bucket and whose status is one the gateway documents; an unsealed body
// never gets 200 and never 500.
//
// The issuer is RFC 9578's test key (pkS of tests/data/privacypass/
// rfc9578-type2-vectors.json) and the gateway's TokenChallenge is that of
// vector 2 (index 1: issuer "issuer.example", no redemption context, origin
// "origin.example"), so the vector's token verifies here. A new spent-token
// set per input keeps every input independent of the ones before.
//
// Seeds (corpus/gateway_request/): 0x01 + a BHTTP POST /v1/rewrite and a POST
// /v1/summarize carrying vector 2's token (Authorization: PrivateToken
// token=<base64url>), 0x01 + the rewrite without a token, 0x00 + the RFC 9458
// Appendix A encapsulated request (a key id this gateway never has).
#include "protocol/bhttp/bhttp.h"
#include "protocol/tlog/base64.h"
#include "tee-backend/gateway/echo_engine.h"
#include "tee-backend/gateway/gateway_core.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace sotto;
using namespace sotto::gateway;

namespace {

// RFC 9578 Appendix A, pkS (the RSASSA-PSS SPKI DER of the test issuer key).
constexpr std::string_view kPkS
    = "30820152303d06092a864886f70d01010a3030a00d300b0609608648016503040202a11a301806092a86"
      "4886f70d010108300b0609608648016503040202a2030201300382010f003082010a0282010100cb1aed"
      "6b6a95f5b1ce013a4cfcab25b94b2e64a23034e4250a7eab43c0df3a8c12993af12b111908d4b471bec3"
      "1d4b6c9ad9cdda90612a2ee903523e6de5a224d6b02f09e5c374d0cfe01d8f529c500a78a2f67908fa68"
      "2b5a2b430c81eaf1af72d7b5e794fc98a3139276879757ce453b526ef9bf6ceb99979b8423b90f4461a2"
      "2af37aab0cf5733f7597abe44d31c732db68a181c6cbbe607d8c0e52e0655fd9996dc584eca0be87afbc"
      "d78a337d17b1dba9e828bbd81e291317144e7ff89f55619709b096cbb9ea474cead264c2073fe49740c0"
      "1f00e109106066983d21e5f83f086e2e823c879cd43cef700d2a352a9babd612d03cad02db134b7e225a"
      "5f0203010001";

constexpr int64_t kNow = 1'800'000'000;

void check(bool condition)
{
    if (!condition)
        std::abort();
}

struct Fixture {
    std::unique_ptr<KeyRing> keys;
    std::unique_ptr<IssuerKeyStore> issuers;
    EchoEngine engine;
    Metrics metrics;
    hpke::KeyPair ephemeral;

    static Fixture &get()
    {
        static Fixture *f = make();
        return *f;
    }

private:
    static Fixture *make()
    {
        auto spki = fromHex(kPkS);
        check(spki.has_value());
        auto key = privacypass::IssuerPublicKey::fromSpkiDer(*spki);
        check(key.ok());
        const auto &id = key->tokenKeyId();
        const std::string json = "{\"issuer_name\":\"issuer.example\",\"keys\":[{\"token_key\":\""
            + tlog::base64Encode(*spki) + "\",\"token_key_id\":\""
            + toHex(ByteView(id.data(), id.size())) + "\",\"not_after\":4000000000}]}";
        auto set = parseIssuerKeys(json, "origin.example");
        check(set.ok());
        auto ring = KeyRing::create(3600, kNow);
        check(ring.ok());
        auto eph = hpke::KeyPair::derive(
            hpke::KemId::DhkemX25519Sha256, asBytes("sotto fuzz_gateway_request ephemeral"));
        check(eph.ok());
        return new Fixture { std::move(ring).value(),
            std::make_unique<IssuerKeyStore>(std::move(set).value()), {}, {},
            std::move(eph).value() };
    }
};

bool isBucket(size_t n)
{
    return n == paddedLength(n);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    Fixture &f = Fixture::get();
    auto spent = privacypass::makeMemorySpentTokenSet(1024);
    GatewayCore core(CoreConfig { "origin.example", 1024 * 1024 }, *f.keys, *f.issuers, *spent,
        f.engine, f.metrics);
    // A deadline in the past: the echo engine never sleeps here.
    const auto deadline = std::chrono::steady_clock::now();
    const ByteView rest(data + 1, size - 1);

    if ((data[0] & 1) == 0) {
        const HttpAnswer a = core.gateway(rest, "message/ohttp-req", deadline, kNow);
        check(a.status == 400 || a.status == 413);
        check(a.contentType != "message/ohttp-res");
        return 0;
    }

    auto configs = ohttp::parseSupportedKeyConfigs(f.keys->current()->encodedConfigs);
    check(configs.ok());
    ohttp::ClientOptions options;
    options.ephemeralKeyForTesting = &f.ephemeral;
    auto sealed = ohttp::ClientRequest::encapsulate(
        configs->front(), { hpke::KdfId::HkdfSha256, hpke::AeadId::Aes128Gcm }, rest, options);
    check(sealed.ok());
    const HttpAnswer a = core.gateway(sealed->encapsulated, "message/ohttp-req", deadline, kNow);
    check(a.status == 200);
    check(a.contentType == "message/ohttp-res");
    auto plain = sealed->context.decapsulateResponse(a.body);
    check(plain.ok());
    check(isBucket(plain->size()));
    auto response = bhttp::decodeResponse(plain->view());
    check(response.ok());
    switch (response->status) {
    case 200:
    case 400:
    case 401:
    case 404:
    case 405:
    case 413:
    case 415:
    case 422:
    case 503:
    case 504:
        break;
    default:
        std::abort();
    }
    return 0;
}
