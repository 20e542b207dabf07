// SPDX-License-Identifier: GPL-3.0-or-later
#include "tee-backend/gateway/gateway_core.h"

#include "protocol/bhttp/bhttp.h"
#include "protocol/crypto/secret_bytes.h"
#include "protocol/ohttp/http.h"
#include "protocol/ohttp/ohttp.h"
#include "protocol/privacypass/authorization.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace sotto::gateway {

namespace {

constexpr std::string_view kMediaTypeJson = "application/json";

void wipe(std::string &s)
{
    crypto::secureWipe(s.data(), s.size());
    s.clear();
}

void wipe(Bytes &b)
{
    crypto::secureWipe(b.data(), b.size());
    b.clear();
}

void wipe(bhttp::Request &request)
{
    wipe(request.content);
    for (bhttp::Field &f : request.headers)
        wipe(f.value);
    for (bhttp::Field &f : request.trailers)
        wipe(f.value);
    wipe(request.path);
}

// RFC 9110 Section 8.3.1: the media type is case-insensitive and may carry
// parameters; only the type/subtype is compared.
bool hasMediaType(std::string_view value, std::string_view expected)
{
    const size_t semicolon = value.find(';');
    std::string_view type = value.substr(0, semicolon);
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t'))
        type.remove_suffix(1);
    while (!type.empty() && (type.front() == ' ' || type.front() == '\t'))
        type.remove_prefix(1);
    return type.size() == expected.size()
        && std::equal(type.begin(), type.end(), expected.begin(),
            [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
}

// RFC 9457 Section 3: type, title, status, and a detail that is one of our
// own constant sentences (never request content).
std::string problemJson(
    unsigned status, std::string_view type, std::string_view title, std::string_view detail)
{
    nlohmann::json body { { "type", type }, { "title", title }, { "status", status } };
    if (!detail.empty())
        body["detail"] = detail;
    return body.dump();
}

bhttp::Response problemResponse(unsigned status, std::string_view type, std::string_view title,
    std::string_view detail, bhttp::FieldSection extra = {})
{
    bhttp::Response r;
    r.status = static_cast<uint16_t>(status);
    r.headers.push_back({ "content-type", std::string(ohttp::kMediaTypeProblemJson) });
    for (bhttp::Field &f : extra)
        r.headers.push_back(std::move(f));
    r.content = toBytes(problemJson(status, type, title, detail));
    return r;
}

std::optional<engines::Feature> featureOf(std::string_view path)
{
    if (path == "/v1/summarize")
        return engines::Feature::Summarize;
    if (path == "/v1/rewrite")
        return engines::Feature::Rewrite;
    return std::nullopt;
}

const bhttp::Field *findField(
    const bhttp::FieldSection &fields, std::string_view name, size_t *count)
{
    const bhttp::Field *found = nullptr;
    *count = 0;
    for (const bhttp::Field &f : fields) {
        if (f.name == name) {
            found = &f;
            ++*count;
        }
    }
    return found;
}

} // namespace

size_t paddedLength(size_t length)
{
    constexpr size_t kLargest = 64 * 1024;
    for (size_t bucket = 512; bucket <= kLargest; bucket *= 2) {
        if (length <= bucket)
            return bucket;
    }
    return (length + kLargest - 1) / kLargest * kLargest;
}

struct GatewayCore::Inner {
    bhttp::Response response;
};

GatewayCore::GatewayCore(CoreConfig config, const KeyRing &keys, const IssuerKeyStore &issuers,
    privacypass::SpentTokenSet &spent, engines::Engine &engine, Metrics &metrics,
    EvidenceSource evidence)
    : m_config(std::move(config))
    , m_keys(keys)
    , m_issuers(issuers)
    , m_spent(spent)
    , m_engine(engine)
    , m_metrics(metrics)
    , m_evidence(std::move(evidence))
{ }

HttpAnswer GatewayCore::plainProblem(unsigned status, std::string_view title)
{
    HttpAnswer a;
    a.status = status;
    a.contentType = std::string(ohttp::kMediaTypeProblemJson);
    a.body = toBytes(problemJson(status, "about:blank", title, {}));
    return a;
}

HttpAnswer GatewayCore::healthz()
{
    HttpAnswer a;
    a.contentType = "text/plain";
    a.body = toBytes("ok\n");
    return a;
}

HttpAnswer GatewayCore::keys(int64_t now) const
{
    const auto snapshot = m_keys.current();
    HttpAnswer a;
    a.contentType = std::string(ohttp::kMediaTypeKeys);
    a.headers.emplace_back("Cache-Control",
        "max-age=" + std::to_string(std::max<int64_t>(0, snapshot->nextRotation - now)));
    a.body = snapshot->encodedConfigs;
    return a;
}

GatewayCore::Inner GatewayCore::innerResponse(
    ByteView bhttpRequest, engines::Deadline deadline, int64_t now)
{
    auto decoded = bhttp::decodeRequest(bhttpRequest);
    if (!decoded.ok())
        return { problemResponse(400, problem::kBadRequest, "Bad Request",
            "The encapsulated request is not a valid Binary HTTP request.") };
    bhttp::Request request = std::move(decoded).value();
    struct WipeOnExit {
        bhttp::Request &r;
        ~WipeOnExit() { wipe(r); }
    } wipeRequest { request };

    const auto feature = featureOf(request.path);
    if (!feature)
        return { problemResponse(
            404, problem::kNotFound, "Not Found", "Use /v1/summarize or /v1/rewrite.") };
    if (request.method != "POST")
        return { problemResponse(405, problem::kMethodNotAllowed, "Method Not Allowed", "Use POST.",
            { { "allow", "POST" } }) };
    size_t count = 0;
    const bhttp::Field *contentType = findField(request.headers, "content-type", &count);
    if (contentType == nullptr || count != 1 || !hasMediaType(contentType->value, kMediaTypeJson))
        return { problemResponse(415, problem::kUnsupportedMediaType, "Unsupported Media Type",
            "The body must be application/json.") };

    // RFC 9577 Section 2.1: a 401 names the challenge and the key that
    // tokens for it are signed with.
    const auto issuers = m_issuers.current();
    auto unauthorized
        = [&](std::string_view type, std::string_view title, std::string_view detail) {
              bhttp::FieldSection extra;
              if (const IssuerKey *newest = issuers->newest()) {
                  privacypass::PrivateTokenChallenge challenge;
                  challenge.challenge = issuers->encodedChallenge;
                  challenge.tokenKey = newest->spki;
                  if (auto value = privacypass::formatWwwAuthenticate(challenge); value.ok())
                      extra.push_back({ "www-authenticate", std::move(value).value() });
              }
              return Inner { problemResponse(401, type, title, detail, std::move(extra)) };
          };
    const bhttp::Field *authorization = findField(request.headers, "authorization", &count);
    if (authorization == nullptr)
        return unauthorized(problem::kTokenMissing, "Token Required",
            "Send Authorization: PrivateToken token=... (RFC 9577).");
    if (count != 1)
        return unauthorized(
            problem::kTokenInvalid, "Token Invalid", "Send one Authorization field.");
    auto token = privacypass::parseAuthorization(authorization->value);
    if (!token.ok())
        return unauthorized(problem::kTokenInvalid, "Token Invalid",
            "The Authorization field is not a PrivateToken token of type 2.");
    const auto &keyId = token->tokenKeyId;
    const IssuerKey *issuerKey = issuers->find(ByteView(keyId.data(), keyId.size()), now);
    if (issuerKey == nullptr)
        return unauthorized(problem::kTokenInvalid, "Token Invalid",
            "The token was not issued with a current key of this gateway's issuer.");
    if (!privacypass::verifyToken(*token, issuerKey->key, issuers->encodedChallenge).ok())
        return unauthorized(problem::kTokenInvalid, "Token Invalid",
            "The token does not verify for this issuer and origin.");
    const auto spent = m_spent.spend(ByteView(keyId.data(), keyId.size()),
        ByteView(token->nonce.data(), token->nonce.size()), issuerKey->notAfter);
    if (!spent.ok()) {
        if (spent.error() == privacypass::SpendError::AlreadySpent)
            return unauthorized(
                problem::kTokenSpent, "Token Spent", "This token has been redeemed before.");
        if (spent.error() == privacypass::SpendError::Retired)
            return unauthorized(
                problem::kTokenInvalid, "Token Invalid", "The token's issuer key has retired.");
        return { problemResponse(503, problem::kUnavailable, "Service Unavailable",
            "Tokens cannot be checked right now.") };
    }

    auto answer = m_engine.run(*feature, asString(request.content), deadline);
    if (!answer.ok()) {
        switch (answer.error()) {
        case engines::EngineError::BadRequest:
            return { problemResponse(400, problem::kBadRequest, "Bad Request",
                "The JSON body does not match the request schema.") };
        case engines::EngineError::Unsupported:
            return { problemResponse(422, problem::kEngine, "Unprocessable Content",
                "The style or language is not supported.") };
        case engines::EngineError::TooLarge:
            return { problemResponse(
                413, problem::kTooLarge, "Content Too Large", "The request is over the limits.") };
        case engines::EngineError::DeadlineExceeded:
            return { problemResponse(504, problem::kDeadline, "Deadline Exceeded",
                "The request did not finish in time.") };
        case engines::EngineError::Unavailable:
            return { problemResponse(503, problem::kUnavailable, "Service Unavailable",
                "The engine is not available.") };
        case engines::EngineError::Internal:
            break;
        }
        return { problemResponse(
            500, problem::kEngine, "Internal Server Error", "The engine failed.") };
    }
    Inner ok;
    ok.response.status = 200;
    ok.response.headers.push_back({ "content-type", std::string(kMediaTypeJson) });
    ok.response.content = toBytes(answer.value());
    wipe(answer.value());
    return ok;
}

HttpAnswer GatewayCore::gateway(
    ByteView body, std::string_view contentType, engines::Deadline deadline, int64_t now)
{
    if (!hasMediaType(contentType, ohttp::kMediaTypeRequest))
        return plainProblem(415, "Unsupported Media Type");
    if (body.size() > m_config.maxRequestBytes)
        return plainProblem(413, "Content Too Large");

    const auto snapshot = m_keys.current();
    auto decapsulated = snapshot->gateway.decapsulateRequest(body);
    if (!decapsulated.ok()) {
        // RFC 9458 Section 5.2/5.3: plain errors; only the registered type
        // and title leave the gateway.
        const auto e = ohttp::gatewayErrorResponse(decapsulated.error());
        HttpAnswer a;
        a.status = static_cast<unsigned>(e.status);
        const std::string json = e.problemJson();
        if (json.empty()) {
            a = plainProblem(a.status, e.title);
        } else {
            a.contentType = std::string(ohttp::kMediaTypeProblemJson);
            a.body = toBytes(json);
        }
        return a;
    }

    Inner inner = innerResponse(decapsulated->request.view(), deadline, now);
    m_metrics.recordInnerStatus(inner.response.status);
    auto unpadded = bhttp::encodeResponse(inner.response);
    if (!unpadded.ok()) {
        wipe(inner.response.content);
        return plainProblem(500, "Internal Server Error");
    }
    bhttp::EncodeOptions options;
    options.padding = paddedLength(unpadded->size()) - unpadded->size();
    wipe(unpadded.value());
    // Encoded again with the padding: encodeResponse appends the zero bytes.
    auto padded = bhttp::encodeResponse(inner.response, options);
    wipe(inner.response.content);
    if (!padded.ok())
        return plainProblem(500, "Internal Server Error");
    auto sealed = decapsulated->context.encapsulateResponse(padded.value());
    wipe(padded.value());
    if (!sealed.ok())
        return plainProblem(500, "Internal Server Error");
    HttpAnswer a;
    a.contentType = std::string(ohttp::kMediaTypeResponse);
    a.headers.emplace_back("Cache-Control", "no-store");
    a.body = std::move(sealed).value();
    return a;
}

} // namespace sotto::gateway
