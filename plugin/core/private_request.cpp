// SPDX-License-Identifier: GPL-3.0-or-later
#include "plugin/core/private_request.h"

#include "protocol/bhttp/bhttp.h"
#include "protocol/ohttp/ohttp.h"
#include "protocol/privacypass/authorization.h"

#include <QJsonDocument>
#include <QTimer>

#include <memory>

namespace sotto::client {

size_t paddedSize(size_t n)
{
    size_t bucket = 1024;
    while (bucket < n && bucket < 64 * 1024)
        bucket *= 2;
    if (n <= bucket)
        return bucket;
    const size_t step = 64 * 1024;
    return (n + step - 1) / step * step;
}

ClientResult<Bytes> buildInnerRequest(const QString &authority, const QString &path,
    const QByteArray &json, const privacypass::Token &token, qint64 maxBodyBytes)
{
    if (json.size() > maxBodyBytes)
        return fail(ClientError::RequestTooLarge,
            std::to_string(json.size()) + " bytes, the service accepts at most "
                + std::to_string(maxBodyBytes));
    bhttp::Request request;
    request.method = "POST";
    request.scheme = "https";
    request.authority = authority.toStdString();
    request.path = path.toStdString();
    request.headers = {
        { "content-type", "application/json" },
        { "accept", "application/json" },
        { "authorization", privacypass::formatAuthorization(token) },
    };
    request.content.assign(json.begin(), json.end());
    auto plain = bhttp::encodeRequest(request);
    if (!plain.ok())
        return fail(ClientError::EncapsulationFailed,
            "binary HTTP: " + std::string(bhttp::errorName(plain.error())) + " " + plain.detail());
    bhttp::EncodeOptions options;
    options.padding = paddedSize(plain->size()) - plain->size();
    auto padded = bhttp::encodeRequest(request, options);
    if (!padded.ok())
        return fail(ClientError::EncapsulationFailed, "binary HTTP: " + padded.detail());
    return std::move(padded).value();
}

namespace {

std::string headerValue(const bhttp::FieldSection &headers, std::string_view name)
{
    for (const auto &f : headers) {
        if (f.name == name)
            return f.value;
    }
    return {};
}

} // namespace

ClientResult<QJsonObject> parseInnerResponse(ByteView bytes)
{
    auto response = bhttp::decodeResponse(bytes);
    if (!response.ok())
        return fail(ClientError::ResponseInvalid,
            "binary HTTP: " + std::string(bhttp::errorName(response.error())) + " "
                + response.detail());
    const QByteArray body(reinterpret_cast<const char *>(response->content.data()),
        static_cast<int>(response->content.size()));
    const std::string type = headerValue(response->headers, "content-type");
    QJsonParseError error {};
    const auto doc = QJsonDocument::fromJson(body, &error);
    if (response->status == 200) {
        if (type.rfind("application/json", 0) != 0 || error.error != QJsonParseError::NoError
            || !doc.isObject())
            return fail(ClientError::ResponseInvalid,
                "expected a JSON object (application/json), got \"" + type + "\"");
        return doc.object();
    }
    // RFC 9457 Section 3.1: type, title, status, detail.
    std::string what = "HTTP " + std::to_string(response->status);
    if (doc.isObject()) {
        const auto o = doc.object();
        const QString title = o.value(QStringLiteral("title")).toString();
        const QString detail = o.value(QStringLiteral("detail")).toString();
        if (!title.isEmpty())
            what += ": " + title.toStdString();
        if (!detail.isEmpty())
            what += " (" + detail.toStdString() + ")";
    }
    if (response->status == 401 || response->status == 403)
        return fail(ClientError::TokenRejected, what);
    if (response->status == 413)
        return fail(ClientError::RequestTooLarge, what);
    return fail(ClientError::GatewayRefused, what);
}

ClientStatus checkRelayResponse(const HttpResponse &response)
{
    if (response.status == 200) {
        if (!response.contentType.startsWith("message/ohttp-res"))
            return fail(ClientError::ResponseInvalid,
                "the relay answered 200 with \"" + response.contentType.toStdString()
                    + "\", not message/ohttp-res");
        return Done {};
    }
    if (response.contentType.startsWith("application/problem+json")) {
        const auto o = QJsonDocument::fromJson(response.body).object();
        if (o.value(QStringLiteral("type")).toString().toStdString() == ohttp::kProblemTypeOhttpKey)
            return fail(
                ClientError::StaleKey, std::string("the gateway refused the key configuration"));
    }
    return fail(
        ClientError::FetchFailed, "the relay answered HTTP " + std::to_string(response.status));
}

PrivateRequest::PrivateRequest(HttpClient *http, QObject *parent)
    : QObject(parent)
    , m_http(http)
{ }

void PrivateRequest::send(const VerifiedService &service, const QUrl &relay,
    const QString &gatewayAuthority, const QString &path, const QByteArray &json,
    const privacypass::Token &token, qint64 maxBodyBytes, Callback done)
{
    const auto later = [this, done](const Failure<ClientError> &f) {
        QTimer::singleShot(0, this, [done, f] { done(f); });
    };
    if (!m_http)
        return later(fail(ClientError::FetchFailed, std::string("no HTTP client")));
    auto inner = buildInnerRequest(gatewayAuthority, path, json, token, maxBodyBytes);
    if (!inner.ok())
        return later(inner.failure());
    const auto suites = service.keyConfig.supportedSuites();
    if (suites.empty())
        return later(
            fail(ClientError::KeyConfigInvalid, std::string("the key offers no usable suite")));
    auto sealed = ohttp::ClientRequest::encapsulate(service.keyConfig, suites.front(), *inner);
    if (!sealed.ok())
        return later(fail(ClientError::EncapsulationFailed, sealed.detail()));
    auto context = std::make_shared<ohttp::ClientContext>(sealed->context);
    const QByteArray body(reinterpret_cast<const char *>(sealed->encapsulated.data()),
        static_cast<int>(sealed->encapsulated.size()));
    m_http->post(relay, QByteArrayLiteral("message/ohttp-req"),
        QByteArrayLiteral("message/ohttp-res"), body,
        [context, done](const ClientResult<HttpResponse> &r) {
            if (!r.ok())
                return done(r.failure());
            if (auto s = checkRelayResponse(*r); !s.ok())
                return done(s.failure());
            auto opened = context->decapsulateResponse(
                ByteView(reinterpret_cast<const uint8_t *>(r->body.constData()),
                    static_cast<size_t>(r->body.size())));
            if (!opened.ok())
                return done(
                    fail(ClientError::ResponseInvalid, "OHTTP response: " + opened.detail()));
            // The answer is the user's content: it leaves secure memory only
            // to be parsed and shown.
            const Bytes plain = opened->reveal();
            done(parseInnerResponse(plain));
        });
}

} // namespace sotto::client
