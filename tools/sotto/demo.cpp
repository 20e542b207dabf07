// SPDX-License-Identifier: GPL-3.0-or-later
// `sotto demo`: one private request, end to end, in this process, with every
// step a user would otherwise not see printed: the gateway's key
// configuration, the Binary HTTP request, its Oblivious HTTP encapsulation
// (what a relay would carry), the gateway's view, and the sealed answer.
//
// It shows the protocol core only. The whole path (tokens from the Prosody
// component, attestation, the log and its witnesses, the nginx relay, the
// gateway and its engines) is `./sotto demo`, which uses `sotto summarize` and
// `sotto rewrite` against the local stack.
#include "protocol/bhttp/bhttp.h"
#include "protocol/common/bytes.h"
#include "protocol/crypto/random.h"
#include "protocol/ohttp/ohttp.h"
#include "tools/sotto/commands.h"

#include <chrono>
#include <cstdio>
#include <string>

namespace sotto::cli {
namespace {

// The demo chat. Its text must never appear in the encapsulated bytes.
constexpr std::string_view kChatJson
    = R"({"messages":[)"
      R"({"from":"alice@example.org","time":"2026-11-25T09:00:00Z","text":"Can we move the review to Thursday? Marker: sotto-demo-7f3a."},)"
      R"({"from":"bob@example.org","time":"2026-11-25T09:01:00Z","text":"Thursday works. I will send the slides tonight."},)"
      R"({"from":"alice@example.org","time":"2026-11-25T09:02:00Z","text":"Great, decided then: Thursday 10:00."}],)"
      R"("lang":"en","max_points":3})";
constexpr std::string_view kMarker = "sotto-demo-7f3a";

// Requests are padded to a size bucket so the relay learns little from sizes
// (DESIGN.md step 5). Binary HTTP allows trailing zero padding (RFC 9292 3.8).
size_t paddingFor(size_t size)
{
    size_t bucket = 1024;
    while (bucket < size)
        bucket *= 2;
    return bucket - size;
}

bool contains(ByteView haystack, std::string_view needle)
{
    return asString(haystack).find(needle) != std::string_view::npos;
}

void step(int n, const char *title)
{
    std::printf("\n[%d] %s\n", n, title);
}

double msSince(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// The part of the gateway that exists today: decapsulate, parse, answer.
// No engine runs yet, so it answers with what it can state without keeping
// anything: the route, the number of messages and the body size.
Result<Bytes, std::string> gatewayHandle(const ohttp::Gateway &gateway, ByteView encapsulated)
{
    auto decapsulated = gateway.decapsulateRequest(encapsulated);
    if (!decapsulated)
        return fail<std::string>("gateway: " + std::string(ohttp::errorName(decapsulated.error()))
            + ": " + decapsulated.detail());
    auto request = bhttp::decodeRequest(decapsulated->request);
    if (!request)
        return fail<std::string>(
            "gateway: bad Binary HTTP: " + std::string(bhttp::errorName(request.error())));
    const std::string body(asString(request->content));
    size_t messages = 0;
    for (size_t pos = body.find("\"from\""); pos != std::string::npos;
         pos = body.find("\"from\"", pos + 1))
        ++messages;
    std::printf("    gateway saw: %s %s, %zu body bytes, %zu messages (content not logged)\n",
        request->method.c_str(), request->path.c_str(), request->content.size(), messages);

    bhttp::Response response;
    response.status = 200;
    response.headers = { { "content-type", "application/json" } };
    const std::string answer = R"({"route":")" + request->path + R"(","messages":)"
        + std::to_string(messages) + R"j(,"engine":"none (issue 8)"})j";
    response.content = toBytes(answer);
    auto encoded = bhttp::encodeResponse(response);
    if (!encoded)
        return fail<std::string>("gateway: cannot encode the response");
    auto sealed = decapsulated->context.encapsulateResponse(*encoded);
    if (!sealed)
        return fail<std::string>("gateway: cannot encapsulate the response");
    return std::move(sealed).value();
}

int runOnce(hpke::AeadId aead, const char *aeadName)
{
    std::printf(
        "\n=== Oblivious HTTP round trip, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, %s ===\n",
        aeadName);
    const auto t0 = std::chrono::steady_clock::now();

    step(1, "gateway: fresh HPKE key in memory, key configuration published");
    auto keyPair = hpke::KeyPair::generate(hpke::KemId::DhkemX25519Sha256);
    const ohttp::SymmetricSuite suites[] = { { hpke::KdfId::HkdfSha256, hpke::AeadId::Aes128Gcm },
        { hpke::KdfId::HkdfSha256, hpke::AeadId::ChaCha20Poly1305 } };
    if (!keyPair)
        return kExitFailure;
    const uint8_t keyId = crypto::randomBytes(1)[0];
    auto key = ohttp::GatewayKey::create(keyId, std::move(keyPair).value(), suites);
    if (!key)
        return kExitFailure;
    auto gateway = ohttp::Gateway::create({ std::move(key).value() });
    if (!gateway)
        return kExitFailure;
    auto keysBody = gateway->encodedKeyConfigs();
    if (!keysBody)
        return kExitFailure;
    std::printf("    application/ohttp-keys: %zu bytes, key id %u\n", keysBody->size(), keyId);

    step(2, "client: parses the key list and builds the Binary HTTP request");
    auto configs = ohttp::parseSupportedKeyConfigs(*keysBody);
    if (!configs || configs->empty()) {
        std::fprintf(stderr, "sotto demo: the key list does not parse\n");
        return kExitFailure;
    }
    bhttp::Request request;
    request.method = "POST";
    request.scheme = "https";
    request.authority = "gateway.sotto.invalid";
    request.path = "/v1/summarize";
    request.headers = { { "content-type", "application/json" } };
    request.content = toBytes(kChatJson);
    const size_t unpadded = bhttp::encodeRequest(request)->size();
    auto bhttpRequest = bhttp::encodeRequest(request, { .padding = paddingFor(unpadded) });
    if (!bhttpRequest)
        return kExitFailure;
    std::printf("    POST /v1/summarize, %zu bytes of JSON, padded to %zu bytes\n",
        request.content.size(), bhttpRequest->size());

    step(3, "client: seals it for the gateway (RFC 9458, message/ohttp-req)");
    auto sealed = ohttp::ClientRequest::encapsulate(
        configs->front(), { hpke::KdfId::HkdfSha256, aead }, *bhttpRequest);
    if (!sealed) {
        std::fprintf(stderr, "sotto demo: %s\n", sealed.detail().c_str());
        return kExitFailure;
    }
    std::printf("    %zu bytes: key id, suite, 32-byte ephemeral key, ciphertext\n",
        sealed->encapsulated.size());
    std::printf("    relay's view: the chat text is %s in these bytes\n",
        contains(sealed->encapsulated, kMarker) ? "VISIBLE (bug)" : "not visible");
    if (contains(sealed->encapsulated, kMarker))
        return kExitFailure;

    step(4, "gateway: opens the request and answers (message/ohttp-res)");
    auto response = gatewayHandle(*gateway, sealed->encapsulated);
    if (!response) {
        std::fprintf(stderr, "sotto demo: %s\n", response.detail().c_str());
        return kExitFailure;
    }
    std::printf("    %zu bytes back, sealed to this request's context only\n", response->size());

    step(5, "client: opens the answer");
    auto opened = sealed->context.decapsulateResponse(*response);
    if (!opened) {
        std::fprintf(stderr, "sotto demo: %s\n", opened.detail().c_str());
        return kExitFailure;
    }
    auto decoded = bhttp::decodeResponse(*opened);
    if (!decoded) {
        std::fprintf(stderr, "sotto demo: the answer is not Binary HTTP\n");
        return kExitFailure;
    }
    std::printf(
        "    HTTP %u %s\n", decoded->status, std::string(asString(decoded->content)).c_str());

    step(6, "an altered answer is refused");
    Bytes tampered = *response;
    tampered.back() ^= 0x01;
    auto refused = sealed->context.decapsulateResponse(tampered);
    std::printf("    flipped one bit: %s\n",
        refused ? "ACCEPTED (bug)" : std::string(ohttp::errorName(refused.error())).c_str());
    if (refused)
        return kExitFailure;
    std::printf("    round trip in %.2f ms\n", msSince(t0));
    return kExitOk;
}

} // namespace

int runDemo(Args args)
{
    if (!args.empty()) {
        std::fprintf(stderr, "usage: sotto demo\n");
        return kExitUsage;
    }
    std::printf(
        "Sotto demo: the protocol core (HPKE, Binary HTTP, Oblivious HTTP), in one process.\n");
    int status = runOnce(hpke::AeadId::Aes128Gcm, "AES-128-GCM");
    if (status == kExitOk)
        status = runOnce(hpke::AeadId::ChaCha20Poly1305, "ChaCha20-Poly1305");
    if (status != kExitOk) {
        std::fprintf(stderr, "\nsotto demo: FAILED\n");
        return status;
    }
    std::printf("\nThis is the protocol core in one process. The whole path, with tokens\n"
                "from Prosody, SEV-SNP evidence (simulated TEE), the transparency log and its\n"
                "witnesses, the nginx relay and the engines, is `./sotto demo` from the source tree.\n");
    return kExitOk;
}

} // namespace sotto::cli
