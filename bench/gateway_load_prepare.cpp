// SPDX-License-Identifier: GPL-3.0-or-later
// Prepares the inputs of bench/gateway-load (wrk replaying pre-built
// Encapsulated Requests through nginx to sotto-gateway):
//
//   sotto_bench_gateway_prepare issuer DIR COUNT ORIGIN
//       a fresh RSA-2048 issuer key; DIR/issuer-keys.json (the file the
//       gateway's --issuer-keys reads) and DIR/tokens.txt: COUNT tokens for
//       the TokenChallenge of ORIGIN, one Authorization value per line, minted
//       exactly as client and component do (blind, blind-sign, finalize);
//   sotto_bench_gateway_prepare seal DIR KEYS_FILE
//       one POST /v1/rewrite per token, as Binary HTTP sealed with OHTTP to
//       the first config of KEYS_FILE (application/ohttp-keys bytes), written
//       to DIR/requests.bin as (u32 big-endian length, bytes)*.
#include "protocol/bhttp/bhttp.h"
#include "protocol/ohttp/ohttp.h"
#include "protocol/privacypass/authorization.h"
#include "protocol/privacypass/token.h"
#include "protocol/tlog/base64.h"

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace sotto;

namespace {

int usage()
{
    std::cerr << "usage: sotto_bench_gateway_prepare issuer DIR COUNT ORIGIN\n"
                 "       sotto_bench_gateway_prepare seal DIR KEYS_FILE\n";
    return 2;
}

int issuer(const std::string &dir, size_t count, const std::string &origin)
{
    auto sk = crypto::BlindRsaPrivateKey::generate(2048);
    if (!sk.ok())
        return 1;
    auto spki = privacypass::IssuerPublicKey::encodeSpki(sk->publicKey());
    auto pk = privacypass::IssuerPublicKey::fromSpkiDer(spki.value());
    if (!spki.ok() || !pk.ok())
        return 1;
    const std::string issuerName = "bench-issuer.sotto.test";
    const auto &id = pk->tokenKeyId();
    std::ofstream(dir + "/issuer-keys.json")
        << "{\"issuer_name\":\"" << issuerName << "\",\"keys\":[{\"token_key\":\""
        << tlog::base64Encode(spki.value()) << "\",\"token_key_id\":\""
        << toHex(ByteView(id.data(), id.size())) << "\",\"not_after\":4000000000}]}\n";

    privacypass::TokenChallenge challenge;
    challenge.issuerName = toBytes(issuerName);
    challenge.originInfo = toBytes(origin);
    const Bytes encoded = challenge.encode().value();
    const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::vector<std::string>> minted(threads);
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            for (size_t i = t; i < count; i += threads) {
                auto request = privacypass::createTokenRequest(encoded, pk.value());
                auto response
                    = privacypass::evaluateTokenRequest(sk.value(), pk.value(), request->request);
                auto token
                    = privacypass::finalizeToken(request->state, pk.value(), response.value());
                minted[t].push_back(privacypass::formatAuthorization(token.value()));
            }
        });
    }
    for (std::thread &w : workers)
        w.join();
    std::ofstream out(dir + "/tokens.txt");
    for (const auto &list : minted)
        for (const std::string &t : list)
            out << t << '\n';
    return 0;
}

int seal(const std::string &dir, const std::string &keysFile)
{
    std::ifstream keysIn(keysFile, std::ios::binary);
    std::ostringstream keys;
    keys << keysIn.rdbuf();
    auto configs = ohttp::parseSupportedKeyConfigs(asBytes(keys.str()));
    if (!configs.ok()) {
        std::cerr << "no usable key config in " << keysFile << '\n';
        return 1;
    }
    std::ifstream tokens(dir + "/tokens.txt");
    std::ofstream out(dir + "/requests.bin", std::ios::binary);
    // About the size of a short chat message to rewrite.
    const std::string json
        = R"({"text":")" + std::string(200, 'x') + R"(","style":"formal","lang":"en"})";
    std::string authorization;
    size_t n = 0;
    while (std::getline(tokens, authorization)) {
        bhttp::Request r;
        r.method = "POST";
        r.scheme = "https";
        r.authority = "gateway.sotto.test";
        r.path = "/v1/rewrite";
        r.headers = { { "content-type", "application/json" }, { "authorization", authorization } };
        r.content = toBytes(json);
        auto encoded = bhttp::encodeRequest(r);
        auto sealed = ohttp::ClientRequest::encapsulate(configs->front(),
            { hpke::KdfId::HkdfSha256, hpke::AeadId::Aes128Gcm }, encoded.value());
        if (!sealed.ok())
            return 1;
        const Bytes &body = sealed->encapsulated;
        const uint32_t len = static_cast<uint32_t>(body.size());
        const char prefix[4] = { static_cast<char>(len >> 24), static_cast<char>(len >> 16),
            static_cast<char>(len >> 8), static_cast<char>(len) };
        out.write(prefix, 4);
        out.write(reinterpret_cast<const char *>(body.data()), static_cast<std::streamsize>(len));
        ++n;
    }
    std::cerr << "sealed " << n << " requests\n";
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() == 4 && args[0] == "issuer")
        return issuer(args[1], std::stoul(args[2]), args[3]);
    if (args.size() == 3 && args[0] == "seal")
        return seal(args[1], args[2]);
    return usage();
}
