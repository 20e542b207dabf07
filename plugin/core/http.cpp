// SPDX-License-Identifier: GPL-3.0-or-later
#include "plugin/core/http.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <memory>

namespace sotto::client {

HttpClient::HttpClient(QObject *parent)
    : QObject(parent)
    , m_nam(new QNetworkAccessManager(this))
{
    // No proxy from the environment: the relay is the only intermediary.
    m_nam->setProxy(QNetworkProxy::NoProxy);
    m_nam->setCookieJar(nullptr);
}

HttpClient::~HttpClient() = default;

namespace {

QNetworkRequest makeRequest(const QUrl &url, const QByteArray &accept, int timeoutMs)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(
        QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setAttribute(
        QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setTransferTimeout(timeoutMs);
    if (!accept.isEmpty())
        request.setRawHeader("Accept", accept);
    // A fixed, uninformative User-Agent: every client looks the same.
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("sotto"));
    return request;
}

} // namespace

void HttpClient::watch(QNetworkReply *reply, const QUrl &url, Callback done)
{
    const qint64 max = m_maxBody;
    auto tooLarge = std::make_shared<bool>(false);
    connect(reply, &QNetworkReply::downloadProgress, reply,
        [reply, max, tooLarge](qint64 received, qint64) {
            if (received > max) {
                *tooLarge = true;
                reply->abort();
            }
        });
    connect(reply, &QNetworkReply::finished, this, [reply, url, done, tooLarge, max] {
        reply->deleteLater();
        const QString where = url.toString(QUrl::RemoveQuery);
        if (*tooLarge) {
            done(fail(ClientError::FetchFailed,
                (where + QStringLiteral(": body larger than %1 bytes").arg(max)).toStdString()));
            return;
        }
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        if (!status.isValid()) {
            done(fail(ClientError::FetchFailed,
                (where + QStringLiteral(": ") + reply->errorString()).toStdString()));
            return;
        }
        HttpResponse r;
        r.status = status.toInt();
        r.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
        r.body = reply->readAll();
        done(r);
    });
}

void HttpClient::get(const QUrl &url, const QByteArray &accept, Callback done)
{
    watch(m_nam->get(makeRequest(url, accept, m_timeoutMs)), url, std::move(done));
}

void HttpClient::post(const QUrl &url, const QByteArray &contentType, const QByteArray &accept,
    const QByteArray &body, Callback done)
{
    QNetworkRequest request = makeRequest(url, accept, m_timeoutMs);
    request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    // One connection per request. Qt 5.15 writes the headers and the body of
    // a POST in two writes without TCP_NODELAY, so on a reused connection
    // Nagle's algorithm holds the body until the relay's delayed ACK (about
    // 40 ms, seen with strace); a new connection is still in quick-ACK mode.
    // It also keeps two requests from sharing a connection at the relay.
    request.setRawHeader("Connection", "close");
    watch(m_nam->post(request, body), url, std::move(done));
}

ClientResult<QByteArray> HttpClient::getBlocking(const QUrl &url)
{
    QEventLoop loop;
    std::optional<ClientResult<HttpResponse>> result;
    get(url, {}, [&](const ClientResult<HttpResponse> &r) {
        result = r;
        loop.quit();
    });
    if (!result)
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    if (!result->ok())
        return result->failure();
    if ((*result)->status / 100 != 2)
        return fail(ClientError::FetchFailed,
            (url.toString(QUrl::RemoveQuery) + QStringLiteral(": HTTP %1").arg((*result)->status))
                .toStdString());
    return (*result)->body;
}

tlog::LogFetcher HttpClient::logFetcher(const QUrl &prefix)
{
    QUrl base = prefix;
    if (!base.path().endsWith(QLatin1Char('/')))
        base.setPath(base.path() + QLatin1Char('/'));
    return [this, base](const std::string &path) -> tlog::TlogResult<Bytes> {
        // tlog-tiles paths are relative and plain ASCII ("tile/0/x001/234.p/9").
        const QUrl url = base.resolved(QUrl(QString::fromStdString(path)));
        auto body = getBlocking(url);
        if (!body.ok())
            return fail(tlog::TlogError::FetchFailed, body.detail());
        return Bytes(body->begin(), body->end());
    };
}

} // namespace sotto::client
