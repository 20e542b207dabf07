// SPDX-License-Identifier: GPL-3.0-or-later
// The rules of token issuance (DESIGN.md "Token issuance", namespace urn:sotto:pp:tokens:0),
// apart from XML and sockets so that they are unit-testable and fuzzable: who may ask (the
// configured domains and the optional allow-list), what a well-formed request is (RFC 9578
// Section 6.1 TokenRequests under the current issuer key, at most batch-limit of them), and
// how the per-user daily quota is spent. Qt-free.
#pragma once

#include "plugin/server/issuer_keys.h"

#include "protocol/common/result.h"
#include "protocol/privacypass/token.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sotto::component {

// Each maps to one RFC 6120 Section 8.3.3 condition, as DESIGN.md lists them.
enum class IssuanceError {
    NotAuthorized,   // not a user of a configured domain, or not on the allow-list
    PolicyViolation, // today's quota is spent
    BadRequest,      // malformed, wrong key id, too many requests
    Internal,        // signing failed or the quota store is unavailable
};

std::string_view errorName(IssuanceError e);
// "not-authorized", "policy-violation", "bad-request", "internal-server-error".
std::string_view xmppCondition(IssuanceError e);

template <class T> using IssuanceResult = Result<T, IssuanceError>;
using IssuanceStatus = Status<IssuanceError>;

// Who may ask for tokens: bare JIDs of the configured domains; when `restricted`, only
// those in `allow` (which may then be empty: nobody). Prosody stamps the sender's full JID on every
// stanza it routes to a component (XEP-0114 Section 2), so `from` is authenticated by the server.
class AccessPolicy {
public:
    AccessPolicy(std::vector<std::string> domains, std::vector<std::string> allow);
    AccessPolicy(std::vector<std::string> domains, std::vector<std::string> allow, bool restricted);
    // The bare JID that is charged, or NotAuthorized with a sentence saying why.
    IssuanceResult<std::string> check(std::string_view fromJid) const;

private:
    std::vector<std::string> m_domains;
    std::vector<std::string> m_allow;
    bool m_restricted = false;
};

// What the XML layer extracts from <request xmlns='urn:sotto:pp:tokens:0'/>: the
// token-key-id attribute and the text of each <token-request/>, in order.
struct IssuanceRequestPayload {
    std::string tokenKeyId;
    std::vector<std::string> tokenRequests;
    bool hasOtherChildren = false; // an element other than <token-request/>
};

// The largest text a <token-request/> may hold: base64 of type(2) + id(1) + Nk(256).
inline constexpr size_t kTokenRequestBase64Length = 4 * ((2 + 1 + privacypass::kNk + 2) / 3);

// Checks everything that does not depend on the user: the count (before decoding anything,
// so that 10,000 requests cost nothing), the key id (hex, the current issuer key), and each
// TokenRequest (standard base64, RFC 9578 Section 6.1 layout, type 0x0002, truncated key id).
IssuanceResult<std::vector<privacypass::TokenRequest>> validateIssuanceRequest(
    const IssuanceRequestPayload &payload, const IssuerKey &current, uint32_t batchLimit);

// The quota of one bare JID on one UTC day. Issuance grants min(asked, left) tokens, and is a
// PolicyViolation only when nothing is left.
struct QuotaGrant {
    uint32_t granted = 0;
    uint32_t remainingAfter = 0;
};
IssuanceResult<QuotaGrant> decideQuota(uint32_t usedToday, uint32_t asked, uint32_t perDay);

// The UTC day number of a unix time: the quota's period.
int64_t utcDay(int64_t unixSeconds);

// Blind-signs each request with the current key (RFC 9578 Section 6.2); Internal on failure.
IssuanceResult<std::vector<Bytes>> signTokenRequests(
    const IssuerKey &key, const std::vector<privacypass::TokenRequest> &requests);

} // namespace sotto::component
