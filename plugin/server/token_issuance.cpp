// SPDX-License-Identifier: GPL-3.0-or-later
#include "plugin/server/token_issuance.h"

#include "plugin/server/component_config.h"

#include "protocol/tlog/base64.h"

#include <algorithm>

namespace sotto::component {

std::string_view errorName(IssuanceError e)
{
    switch (e) {
    case IssuanceError::NotAuthorized:
        return "NotAuthorized";
    case IssuanceError::PolicyViolation:
        return "PolicyViolation";
    case IssuanceError::BadRequest:
        return "BadRequest";
    case IssuanceError::Internal:
        return "Internal";
    }
    return "?";
}

std::string_view xmppCondition(IssuanceError e)
{
    switch (e) {
    case IssuanceError::NotAuthorized:
        return "not-authorized";
    case IssuanceError::PolicyViolation:
        return "policy-violation";
    case IssuanceError::BadRequest:
        return "bad-request";
    case IssuanceError::Internal:
        return "internal-server-error";
    }
    return "internal-server-error";
}

AccessPolicy::AccessPolicy(std::vector<std::string> domains, std::vector<std::string> allow)
    : AccessPolicy(std::move(domains), allow, !allow.empty())
{ }

AccessPolicy::AccessPolicy(
    std::vector<std::string> domains, std::vector<std::string> allow, bool restricted)
    : m_domains(std::move(domains))
    , m_allow(std::move(allow))
    , m_restricted(restricted)
{ }

IssuanceResult<std::string> AccessPolicy::check(std::string_view fromJid) const
{
    const std::string bare = bareJidOf(fromJid);
    if (bare.empty())
        return fail(IssuanceError::NotAuthorized,
            "tokens are issued to user accounts only, and the sender is not a user@domain JID");
    const std::string domain = bare.substr(bare.find('@') + 1);
    if (std::find(m_domains.begin(), m_domains.end(), domain) == m_domains.end())
        return fail(IssuanceError::NotAuthorized,
            "tokens are issued to users of this server only, and " + domain
                + " is not one of "
                  "its domains");
    if (m_restricted && std::find(m_allow.begin(), m_allow.end(), bare) == m_allow.end())
        return fail(IssuanceError::NotAuthorized,
            "the administrator allows tokens for a list of accounts, and this account is not on "
            "it");
    return bare;
}

IssuanceResult<std::vector<privacypass::TokenRequest>> validateIssuanceRequest(
    const IssuanceRequestPayload &payload, const IssuerKey &current, uint32_t batchLimit)
{
    if (payload.hasOtherChildren)
        return fail(
            IssuanceError::BadRequest, "the request holds an element other than <token-request/>");
    const size_t n = payload.tokenRequests.size();
    if (n == 0)
        return fail(IssuanceError::BadRequest, "the request holds no <token-request/>");
    if (n > batchLimit)
        return fail(IssuanceError::BadRequest,
            std::to_string(n) + " token requests in one request, at most "
                + std::to_string(batchLimit) + " are allowed");
    const std::string expectedId = current.tokenKeyIdHex();
    if (payload.tokenKeyId.empty())
        return fail(IssuanceError::BadRequest, "the token-key-id attribute is missing");
    std::string keyId = payload.tokenKeyId;
    std::transform(keyId.begin(), keyId.end(), keyId.begin(),
        [](char c) { return c >= 'A' && c <= 'F' ? static_cast<char>(c - 'A' + 'a') : c; });
    if (keyId != expectedId)
        return fail(IssuanceError::BadRequest,
            "token-key-id " + payload.tokenKeyId.substr(0, 64) + " is not the current issuer key "
                + expectedId + "; read the service's form again");

    std::vector<privacypass::TokenRequest> requests;
    requests.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        const std::string &text = payload.tokenRequests[i];
        const std::string where = "token-request " + std::to_string(i) + ": ";
        if (text.size() != kTokenRequestBase64Length)
            return fail(IssuanceError::BadRequest,
                where + "expected " + std::to_string(kTokenRequestBase64Length)
                    + " base64 characters, got " + std::to_string(text.size()));
        const auto raw = tlog::base64Decode(text);
        if (!raw)
            return fail(IssuanceError::BadRequest,
                where
                    + "not standard base64 (RFC 4648 "
                      "Section 4, padded)");
        auto request = privacypass::TokenRequest::decode(*raw);
        if (!request.ok()) {
            if (request.error() == privacypass::TokenError::WrongTokenType)
                return fail(IssuanceError::BadRequest,
                    where + "token type is not 0x0002 (blind RSA): " + request.detail());
            return fail(IssuanceError::BadRequest, where + request.detail());
        }
        if (request->truncatedTokenKeyId != current.publicKey.truncatedTokenKeyId())
            return fail(IssuanceError::BadRequest,
                where + "truncated_token_key_id does not match the issuer key");
        requests.push_back(std::move(request).value());
    }
    return requests;
}

IssuanceResult<QuotaGrant> decideQuota(uint32_t usedToday, uint32_t asked, uint32_t perDay)
{
    const uint32_t left = usedToday >= perDay ? 0 : perDay - usedToday;
    if (left == 0)
        return fail(IssuanceError::PolicyViolation,
            "today's quota of " + std::to_string(perDay)
                + " tokens is used up; it renews at midnight UTC");
    const uint32_t granted = std::min(asked, left);
    return QuotaGrant { granted, left - granted };
}

int64_t utcDay(int64_t unixSeconds)
{
    // Floor division, so that times before 1970 do not share day 0.
    return unixSeconds >= 0 ? unixSeconds / 86400 : -((-unixSeconds + 86399) / 86400);
}

IssuanceResult<std::vector<Bytes>> signTokenRequests(
    const IssuerKey &key, const std::vector<privacypass::TokenRequest> &requests)
{
    std::vector<Bytes> out;
    out.reserve(requests.size());
    for (const auto &r : requests) {
        auto response = privacypass::evaluateTokenRequest(key.secretKey, key.publicKey, r);
        if (!response.ok()) {
            // A blinded message >= n is the client's mistake (RFC 9474 Section 4.3).
            return fail(IssuanceError::BadRequest,
                "a token request cannot be signed: " + response.detail());
        }
        out.push_back(response->encode());
    }
    return out;
}

} // namespace sotto::component
