// SPDX-License-Identifier: GPL-3.0-or-later
// What the gateway tests share: a Privacy Pass issuer made in the test (a
// fresh RSA-2048 key, tokens minted with protocol/privacypass exactly as the
// component and the client do), and an OHTTP client built on protocol/ohttp
// and protocol/bhttp.
#pragma once

#include "protocol/bhttp/bhttp.h"
#include "protocol/ohttp/ohttp.h"
#include "protocol/privacypass/authorization.h"
#include "protocol/privacypass/token.h"
#include "protocol/tlog/base64.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <ctime>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace sotto::gatewaytest {

inline constexpr std::string_view kOrigin = "gateway.sotto.test";

inline int64_t unixNow()
{
    return static_cast<int64_t>(std::time(nullptr));
}

class TestIssuer {
public:
    // RSA-2048 key generation takes a while: one key per name per process.
    static TestIssuer &get(const std::string &name)
    {
        static std::map<std::string, std::unique_ptr<TestIssuer>> issuers;
        auto &slot = issuers[name];
        if (!slot)
            slot.reset(new TestIssuer(name));
        return *slot;
    }

    const std::string &name() const { return m_name; }
    const privacypass::IssuerPublicKey &publicKey() const { return *m_public; }
    const Bytes &spki() const { return m_spki; }

    // The component's issuer keys file for this issuer.
    std::string keysJson(int64_t notAfter) const
    {
        const auto &id = m_public->tokenKeyId();
        return "{\"issuer_name\":\"" + m_name + "\",\"keys\":[{\"token_key\":\""
            + tlog::base64Encode(m_spki) + "\",\"token_key_id\":\""
            + toHex(ByteView(id.data(), id.size())) + "\",\"not_after\":" + std::to_string(notAfter)
            + "}]}";
    }

    Bytes challenge(std::string_view origin = kOrigin) const
    {
        privacypass::TokenChallenge c;
        c.issuerName = toBytes(m_name);
        c.originInfo = toBytes(origin);
        auto encoded = c.encode();
        EXPECT_TRUE(encoded.ok());
        return encoded.ok() ? encoded.value() : Bytes {};
    }

    // A token for this issuer's challenge at `origin` (blind, sign, finalize).
    std::string authorization(std::string_view origin = kOrigin) const
    {
        const Bytes c = challenge(origin);
        auto request = privacypass::createTokenRequest(c, *m_public);
        EXPECT_TRUE(request.ok());
        auto response = privacypass::evaluateTokenRequest(*m_private, *m_public, request->request);
        EXPECT_TRUE(response.ok());
        auto token = privacypass::finalizeToken(request->state, *m_public, response.value());
        EXPECT_TRUE(token.ok());
        return privacypass::formatAuthorization(token.value());
    }

private:
    explicit TestIssuer(std::string name)
        : m_name(std::move(name))
    {
        auto sk = crypto::BlindRsaPrivateKey::generate(2048);
        EXPECT_TRUE(sk.ok());
        m_private.emplace(std::move(sk).value());
        auto spki = privacypass::IssuerPublicKey::encodeSpki(m_private->publicKey());
        EXPECT_TRUE(spki.ok());
        m_spki = spki.value();
        auto pk = privacypass::IssuerPublicKey::fromSpkiDer(m_spki);
        EXPECT_TRUE(pk.ok());
        m_public.emplace(std::move(pk).value());
    }

    std::string m_name;
    std::optional<crypto::BlindRsaPrivateKey> m_private;
    std::optional<privacypass::IssuerPublicKey> m_public;
    Bytes m_spki;
};

// The Binary HTTP request a client sends (DESIGN.md "Inner requests").
inline Bytes innerRequest(std::string_view path, std::string_view json,
    const std::optional<std::string> &authorization, std::string_view method = "POST",
    std::string_view contentType = "application/json")
{
    bhttp::Request r;
    r.method = std::string(method);
    r.scheme = "https";
    r.authority = std::string(kOrigin);
    r.path = std::string(path);
    if (!contentType.empty())
        r.headers.push_back({ "content-type", std::string(contentType) });
    if (authorization)
        r.headers.push_back({ "authorization", *authorization });
    r.content = toBytes(json);
    auto encoded = bhttp::encodeRequest(r);
    EXPECT_TRUE(encoded.ok());
    return encoded.ok() ? encoded.value() : Bytes {};
}

struct Sealed {
    Bytes body;
    std::shared_ptr<ohttp::ClientContext> context;
};

// Seals `bhttp` for the first usable config of an application/ohttp-keys body.
inline Sealed seal(ByteView keys, ByteView bhttp,
    ohttp::SymmetricSuite suite = { hpke::KdfId::HkdfSha256, hpke::AeadId::Aes128Gcm })
{
    auto configs = ohttp::parseSupportedKeyConfigs(keys);
    EXPECT_TRUE(configs.ok());
    if (!configs.ok())
        return {};
    auto request = ohttp::ClientRequest::encapsulate(configs->front(), suite, bhttp);
    EXPECT_TRUE(request.ok());
    if (!request.ok())
        return {};
    return { request->encapsulated, std::make_shared<ohttp::ClientContext>(request->context) };
}

struct Opened {
    bhttp::Response response;
    size_t bhttpLength = 0; // with the padding
    std::string body() const { return std::string(asString(response.content)); }
    std::string header(std::string_view name) const
    {
        for (const auto &f : response.headers) {
            if (f.name == name)
                return f.value;
        }
        return {};
    }
};

inline std::optional<Opened> open(const Sealed &sealed, ByteView encapsulatedResponse)
{
    auto plain = sealed.context->decapsulateResponse(encapsulatedResponse);
    if (!plain.ok())
        return std::nullopt;
    auto response = bhttp::decodeResponse(plain->view());
    if (!response.ok())
        return std::nullopt;
    return Opened { std::move(response).value(), plain->size() };
}

} // namespace sotto::gatewaytest
