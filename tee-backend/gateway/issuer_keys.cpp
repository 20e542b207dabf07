// SPDX-License-Identifier: GPL-3.0-or-later
#include "tee-backend/gateway/issuer_keys.h"

#include "protocol/tlog/base64.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <limits>
#include <sstream>

namespace sotto::gateway {

std::string_view errorName(IssuerKeysError e)
{
    switch (e) {
    case IssuerKeysError::Unreadable:
        return "Unreadable";
    case IssuerKeysError::NotJson:
        return "NotJson";
    case IssuerKeysError::BadField:
        return "BadField";
    case IssuerKeysError::BadKey:
        return "BadKey";
    case IssuerKeysError::NoKeys:
        return "NoKeys";
    }
    return "Unknown";
}

const IssuerKey *IssuerKeySet::find(ByteView tokenKeyId, int64_t now) const
{
    for (const IssuerKey &k : keys) {
        const auto &id = k.key.tokenKeyId();
        if (tokenKeyId.size() == id.size() && std::equal(id.begin(), id.end(), tokenKeyId.begin())
            && now < k.notAfter)
            return &k;
    }
    return nullptr;
}

const IssuerKey *IssuerKeySet::newest() const
{
    const IssuerKey *best = nullptr;
    for (const IssuerKey &k : keys) {
        if (best == nullptr || k.notAfter > best->notAfter)
            best = &k;
    }
    return best;
}

IssuerKeysResult<IssuerKeySet> parseIssuerKeys(std::string_view text, std::string_view origin)
{
    using nlohmann::json;
    const json doc = json::parse(text.begin(), text.end(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return fail(IssuerKeysError::NotJson, "the issuer keys file is not a JSON object");
    for (const auto &[name, value] : doc.items()) {
        if (name != "issuer_name" && name != "keys")
            return fail(IssuerKeysError::BadField, "unknown member \"" + name + "\"");
    }
    if (!doc.contains("issuer_name") || !doc["issuer_name"].is_string())
        return fail(IssuerKeysError::BadField, "\"issuer_name\" must be a string");
    if (!doc.contains("keys") || !doc["keys"].is_array())
        return fail(IssuerKeysError::BadField, "\"keys\" must be an array");

    IssuerKeySet set;
    set.issuerName = doc["issuer_name"].get<std::string>();
    if (set.issuerName.empty() || set.issuerName.size() > 0xFFFF)
        return fail(IssuerKeysError::BadField, "\"issuer_name\" must be 1..65535 bytes");
    size_t index = 0;
    for (const json &entry : doc["keys"]) {
        const std::string where = "keys[" + std::to_string(index++) + "]";
        if (!entry.is_object())
            return fail(IssuerKeysError::BadField, where + " is not an object");
        for (const auto &[name, value] : entry.items()) {
            if (name != "token_key" && name != "token_key_id" && name != "not_after")
                return fail(
                    IssuerKeysError::BadField, where + " has unknown member \"" + name + "\"");
        }
        if (!entry.contains("token_key") || !entry["token_key"].is_string()
            || !entry.contains("token_key_id") || !entry["token_key_id"].is_string()
            || !entry.contains("not_after") || !entry["not_after"].is_number_integer())
            return fail(IssuerKeysError::BadField,
                where + " needs token_key (string), token_key_id (string), not_after (integer)");
        const auto spki = tlog::base64Decode(entry["token_key"].get<std::string>());
        if (!spki)
            return fail(IssuerKeysError::BadField, where + ".token_key is not base64");
        const auto keyId = fromHex(entry["token_key_id"].get<std::string>());
        if (!keyId || keyId->size() != 32)
            return fail(IssuerKeysError::BadField, where + ".token_key_id is not 32 bytes of hex");
        auto key = privacypass::IssuerPublicKey::fromSpkiDer(*spki);
        if (!key.ok())
            return fail(IssuerKeysError::BadKey,
                where + ".token_key: " + std::string(privacypass::errorName(key.error())) + ": "
                    + key.detail());
        const auto &computed = key->tokenKeyId();
        if (!std::equal(computed.begin(), computed.end(), keyId->begin()))
            return fail(IssuerKeysError::BadKey,
                where + ".token_key_id is not SHA-256 of its token_key (expected "
                    + toHex(ByteView(computed.data(), computed.size())) + ")");
        set.keys.push_back(
            IssuerKey { std::move(key).value(), *spki, entry["not_after"].get<int64_t>() });
    }
    if (set.keys.empty())
        return fail(IssuerKeysError::NoKeys, "\"keys\" is empty");

    privacypass::TokenChallenge challenge;
    challenge.issuerName = toBytes(set.issuerName);
    challenge.originInfo = toBytes(origin);
    auto encoded = challenge.encode();
    if (!encoded.ok())
        return fail(IssuerKeysError::BadField,
            "cannot form the TokenChallenge for this issuer and origin: " + encoded.detail());
    set.encodedChallenge = std::move(encoded).value();
    return set;
}

IssuerKeysResult<IssuerKeySet> loadIssuerKeys(
    const std::filesystem::path &file, std::string_view origin)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return fail(IssuerKeysError::Unreadable, "cannot open the issuer keys file");
    std::ostringstream text;
    text << in.rdbuf();
    if (!in.good() && !in.eof())
        return fail(IssuerKeysError::Unreadable, "cannot read the issuer keys file");
    return parseIssuerKeys(text.str(), origin);
}

} // namespace sotto::gateway
