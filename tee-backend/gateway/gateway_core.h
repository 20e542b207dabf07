// SPDX-License-Identifier: GPL-3.0-or-later
// What the gateway does with one HTTP request, without the network: the
// Beast server (server.cpp) reads a request, calls one of these on a worker
// thread and writes the HttpAnswer back. Tests and the fuzz target call them
// directly.
//
// POST /gateway, the request path (RFC 9458 Sections 4.3, 4.4, 5.2):
//   1. Content-Type message/ohttp-req and the size limit (plain 415 / 413);
//   2. decapsulate with the key the key id names (plain 400, with the
//      "ohttp-key" problem type when the key is unknown or does not decrypt:
//      gatewayErrorResponse in protocol/ohttp/http.h);
//   3. from here on every answer is an Encapsulated Response with outer
//      status 200 (Section 5.2): BHTTP decode (400), route POST /v1/summarize
//      or /v1/rewrite (404, 405), Content-Type application/json (415),
//      Authorization: PrivateToken checked against the issuer keys and the
//      TokenChallenge of this origin (401 with WWW-Authenticate, RFC 9577
//      Section 2.1), spent once (401 when spent before), the engine, and
//      errors as application/problem+json (RFC 9457);
//   4. the BHTTP response is padded with zero bytes (RFC 9292 Section 3.8)
//      to a size bucket (paddedLength), so its length says little about the
//      answer, then encapsulated.
// Plaintexts are wiped as soon as they are no longer needed (and the
// gateway binary's allocator wipes every freed block).
#pragma once

#include "protocol/common/bytes.h"
#include "protocol/privacypass/spent_set.h"
#include "tee-backend/engines/engine.h"
#include "tee-backend/gateway/issuer_keys.h"
#include "tee-backend/gateway/key_ring.h"
#include "tee-backend/gateway/metrics.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sotto::attestation {
class Provider;
}

namespace sotto::gateway {

struct HttpAnswer {
    unsigned status = 200;
    std::string contentType;
    std::vector<std::pair<std::string, std::string>> headers; // besides Content-Type/Length
    Bytes body;
};

// Problem types of the encapsulated errors (RFC 9457 Section 3.1.1 "type").
namespace problem {
inline constexpr std::string_view kBadRequest = "urn:sotto:problem:bad-request";
inline constexpr std::string_view kNotFound = "urn:sotto:problem:not-found";
inline constexpr std::string_view kMethodNotAllowed = "urn:sotto:problem:method-not-allowed";
inline constexpr std::string_view kUnsupportedMediaType
    = "urn:sotto:problem:unsupported-media-type";
inline constexpr std::string_view kTokenMissing = "urn:sotto:problem:token-missing";
inline constexpr std::string_view kTokenInvalid = "urn:sotto:problem:token-invalid";
inline constexpr std::string_view kTokenSpent = "urn:sotto:problem:token-spent";
inline constexpr std::string_view kUnavailable = "urn:sotto:problem:unavailable";
inline constexpr std::string_view kEngine = "urn:sotto:problem:engine";
inline constexpr std::string_view kTooLarge = "urn:sotto:problem:too-large";
inline constexpr std::string_view kDeadline = "urn:sotto:problem:deadline";
} // namespace problem

// The length a BHTTP response of `length` bytes is padded to: the next of
// 512, 1 KiB, 2 KiB, ... 64 KiB, then the next multiple of 64 KiB.
size_t paddedLength(size_t length);

// Where the evidence comes from (GET /evidence).
struct EvidenceSource {
    attestation::Provider *provider = nullptr; // null: /evidence answers 503
    std::string releaseStatement;              // canonical JSON; empty: 503
    uint64_t logIndex = 0;
};

struct CoreConfig {
    std::string origin;
    size_t maxRequestBytes = 128 * 1024;
};

class GatewayCore {
public:
    GatewayCore(CoreConfig config, const KeyRing &keys, const IssuerKeyStore &issuers,
        privacypass::SpentTokenSet &spent, engines::Engine &engine, Metrics &metrics,
        EvidenceSource evidence = {});

    // POST /gateway. `now` is unix seconds (issuer key validity).
    HttpAnswer gateway(
        ByteView body, std::string_view contentType, engines::Deadline deadline, int64_t now);
    // GET /ohttp-keys.
    HttpAnswer keys(int64_t now) const;
    // GET /evidence?<query>.
    HttpAnswer evidence(std::string_view query) const;
    // GET /healthz.
    static HttpAnswer healthz();
    // A plain (unencapsulated) error with an RFC 9457 body.
    static HttpAnswer plainProblem(unsigned status, std::string_view title);

private:
    struct Inner;
    Inner innerResponse(ByteView bhttpRequest, engines::Deadline deadline, int64_t now);

    CoreConfig m_config;
    const KeyRing &m_keys;
    const IssuerKeyStore &m_issuers;
    privacypass::SpentTokenSet &m_spent;
    engines::Engine &m_engine;
    Metrics &m_metrics;
    EvidenceSource m_evidence;
};

} // namespace sotto::gateway
