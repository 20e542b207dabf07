// SPDX-License-Identifier: GPL-3.0-or-later
// PrivateRequest: one request to the gateway (DESIGN.md step 5): a Binary
// HTTP (RFC 9292) POST https://<gateway-origin>/v1/<feature> with a JSON body
// and "Authorization: PrivateToken token=..." (RFC 9577 Section 2.2), padded
// to a size bucket (RFC 9292 Section 3.8), sealed as an Oblivious HTTP
// request (RFC 9458 Section 4.3) to a verified key and POSTed to a relay as
// message/ohttp-req; the answer is opened (Section 4.4) and parsed.
#pragma once

#include "plugin/core/errors.h"
#include "plugin/core/evidence_verifier.h"
#include "plugin/core/http.h"

#include "protocol/privacypass/token.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <functional>

namespace sotto::client {

// The padded size of a Binary HTTP message of n bytes: the next power of two
// from 1 KiB up to 64 KiB, then the next multiple of 64 KiB. An observer of
// the relay sees only the bucket.
size_t paddedSize(size_t n);

// The padded Binary HTTP request. RequestTooLarge when the JSON body is over
// maxBodyBytes.
ClientResult<Bytes> buildInnerRequest(const QString &authority, const QString &path,
    const QByteArray &json, const privacypass::Token &token, qint64 maxBodyBytes);

// The gateway's Binary HTTP response: 200 with a JSON object, or a problem
// (RFC 9457) mapped to TokenRejected (401/403) or GatewayRefused, with the
// problem's title and detail.
ClientResult<QJsonObject> parseInnerResponse(ByteView bhttpResponse);

// The relay's plain answer (not encapsulated): 200 message/ohttp-res is the
// only success; 400 with the ohttp-key problem type (RFC 9458 Section 5.3)
// is StaleKey; anything else FetchFailed.
ClientStatus checkRelayResponse(const HttpResponse &response);

class PrivateRequest : public QObject {
    Q_OBJECT
public:
    using Callback = std::function<void(const ClientResult<QJsonObject> &)>;

    explicit PrivateRequest(HttpClient *http, QObject *parent = nullptr);

    // `done` is called once, asynchronously. Nothing is POSTed unless the
    // request could be built and sealed.
    void send(const VerifiedService &service, const QUrl &relay, const QString &gatewayAuthority,
        const QString &path, const QByteArray &json, const privacypass::Token &token,
        qint64 maxBodyBytes, Callback done);

private:
    QPointer<HttpClient> m_http;
};

} // namespace sotto::client
