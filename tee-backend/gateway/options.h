// SPDX-License-Identifier: GPL-3.0-or-later
// sotto-gateway's command line (tee-backend/README.md documents it).
#pragma once

#include "protocol/common/result.h"
#include "tee-backend/gateway/server.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sotto::gateway {

enum class OptionsError {
    BadSyntax, // an unknown option, a missing value, a value of the wrong type
    BadValue,  // a value out of range or not in the allowed set
    Missing,   // a required option is absent
};

std::string_view errorName(OptionsError e);

struct GatewayOptions {
    ListenAddress listen { "127.0.0.1", 8081 };
    ListenAddress metrics { "127.0.0.1", 9464 };
    std::string attestation = "auto";
    std::string simulatedDir;
    std::string releaseFile;
    uint64_t logIndex = 0;
    std::string issuerKeysFile;
    std::string origin;
    std::optional<ListenAddress> redis;
    std::string engine = "builtin";
    ListenAddress llm { "127.0.0.1", 8080 }; // --engine llm: the model server (loopback)
    std::string llmModel = "default";
    int64_t keyRotationSeconds = 3600;
    size_t maxRequestBytes = 128 * 1024;
    int64_t deadlineMs = 10'000;
    size_t queue = 256;
    size_t workers = 0; // 0: one per core
    bool allowCoreDump = false;
    bool help = false;
    // --config: settings the simulated TEE measures with the binary.
    std::string configFile;
};

// True in the canary test build (sotto-gateway-canary), whose only extra is
// --allow-core-dump.
bool isCanaryBuild();

Result<GatewayOptions, OptionsError> parseOptions(int argc, const char *const *argv);
std::string helpText();
// "HOST:PORT" with an IPv4/IPv6 literal host ("[::1]:80" for IPv6).
std::optional<ListenAddress> parseHostPort(std::string_view text);

} // namespace sotto::gateway
