// SPDX-License-Identifier: GPL-3.0-or-later
// The Privacy Pass issuer keys whose tokens the gateway redeems, as the
// component publishes them (one JSON file, reloaded on SIGHUP):
//
//   {"issuer_name": "pp.example.org",
//    "keys": [{"token_key": "<base64 RSASSA-PSS SPKI>",
//              "token_key_id": "<hex SHA-256 of the SPKI>",
//              "not_after": <unix seconds>}]}
//
// Every key is checked (RSA-2048 RSASSA-PSS SPKI, RFC 9578 Section 6.5; the
// id is recomputed), and the TokenChallenge the tokens must answer is fixed
// here: token_type 0x0002, this issuer_name, an empty redemption_context and
// origin_info = the gateway's origin (DESIGN.md "Token issuance").
#pragma once

#include "protocol/common/bytes.h"
#include "protocol/common/result.h"
#include "protocol/privacypass/token.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace sotto::gateway {

enum class IssuerKeysError {
    Unreadable, // the file cannot be read
    NotJson,    // not JSON, or not an object with the two members
    BadField,   // a member of the wrong type, an unknown member, a bad base64/hex
    BadKey,     // not an RSA-2048 RSASSA-PSS SPKI, or token_key_id does not match it
    NoKeys,     // "keys" is empty
};

std::string_view errorName(IssuerKeysError e);

template <class T> using IssuerKeysResult = Result<T, IssuerKeysError>;

struct IssuerKey {
    privacypass::IssuerPublicKey key;
    Bytes spki;       // the DER the component published (the token-key)
    int64_t notAfter; // unix seconds; tokens of this key are refused afterwards
};

struct IssuerKeySet {
    std::string issuerName;
    std::vector<IssuerKey> keys;
    Bytes encodedChallenge; // the TokenChallenge every token must answer

    // The key with this token_key_id that is still valid at `now`, or null.
    const IssuerKey *find(ByteView tokenKeyId, int64_t now) const;
    // The key with the latest not_after (announced in WWW-Authenticate).
    const IssuerKey *newest() const;
};

IssuerKeysResult<IssuerKeySet> parseIssuerKeys(std::string_view json, std::string_view origin);
IssuerKeysResult<IssuerKeySet> loadIssuerKeys(
    const std::filesystem::path &file, std::string_view origin);

// The current set, swapped whole on reload so that a request sees one set.
class IssuerKeyStore {
public:
    explicit IssuerKeyStore(IssuerKeySet initial)
        : m_set(std::make_shared<const IssuerKeySet>(std::move(initial)))
    { }
    std::shared_ptr<const IssuerKeySet> current() const
    {
        const std::lock_guard lock(m_mutex);
        return m_set;
    }
    void replace(IssuerKeySet next)
    {
        auto set = std::make_shared<const IssuerKeySet>(std::move(next));
        const std::lock_guard lock(m_mutex);
        m_set = std::move(set);
    }

private:
    mutable std::mutex m_mutex;
    std::shared_ptr<const IssuerKeySet> m_set;
};

} // namespace sotto::gateway
