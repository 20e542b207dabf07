// SPDX-License-Identifier: GPL-3.0-or-later
// `sotto ohttp keys decode [FILE]`: reads an application/ohttp-keys body
// (RFC 9458 Section 3.2) from FILE or standard input and lists its key
// configurations, so an admin can check what a gateway publishes.
#include "protocol/ohttp/key_config.h"
#include "tools/sotto/commands.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

namespace sotto::cli {
namespace {

const char *kemName(uint16_t id)
{
    switch (id) {
    case 0x0010:
        return "DHKEM(P-256, HKDF-SHA256)";
    case 0x0020:
        return "DHKEM(X25519, HKDF-SHA256)";
    default:
        return "unsupported KEM";
    }
}

const char *aeadName(uint16_t id)
{
    switch (id) {
    case 0x0001:
        return "AES-128-GCM";
    case 0x0002:
        return "AES-256-GCM";
    case 0x0003:
        return "ChaCha20-Poly1305";
    case 0xFFFF:
        return "export-only";
    default:
        return "unknown AEAD";
    }
}

int usage()
{
    std::fprintf(
        stderr, "usage: sotto ohttp keys decode [FILE]   (reads standard input without FILE)\n");
    return kExitUsage;
}

int decodeKeys(Args args)
{
    if (args.size() > 1)
        return usage();
    std::string body;
    if (args.empty() || args[0] == "-") {
        body.assign(std::istreambuf_iterator<char>(std::cin), {});
    } else {
        std::ifstream in { std::string(args[0]), std::ios::binary };
        if (!in) {
            std::fprintf(stderr, "sotto: cannot read %.*s\n", static_cast<int>(args[0].size()),
                args[0].data());
            return kExitFailure;
        }
        body.assign(std::istreambuf_iterator<char>(in), {});
    }
    auto entries = ohttp::parseKeyConfigList(asBytes(body));
    if (!entries) {
        std::fprintf(stderr, "sotto: not a valid application/ohttp-keys body: %s (%s)\n",
            std::string(ohttp::errorName(entries.error())).c_str(), entries.detail().c_str());
        return kExitFailure;
    }
    std::printf("%zu key configuration(s)\n", entries->size());
    for (const auto &e : *entries) {
        std::printf("key id %u: KEM 0x%04x %s\n", e.keyId, e.kemId, kemName(e.kemId));
        if (!e.config)
            continue;
        std::printf("  public key %s\n", toHex(e.config->publicKey()).c_str());
        for (const auto &alg : e.config->symmetricAlgorithms())
            std::printf("  KDF 0x%04x%s, AEAD 0x%04x %s\n", alg.kdfId,
                alg.kdfId == 1 ? " HKDF-SHA256" : " unknown KDF", alg.aeadId, aeadName(alg.aeadId));
    }
    return kExitOk;
}

} // namespace

int runOhttp(Args args)
{
    if (args.size() >= 2 && args[0] == "keys" && args[1] == "decode")
        return decodeKeys(args.subspan(2));
    return usage();
}

} // namespace sotto::cli
