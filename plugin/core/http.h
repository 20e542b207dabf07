// SPDX-License-Identifier: GPL-3.0-or-later
// HTTP for the client, on QNetworkAccessManager: GETs of key configs,
// evidence and log tiles through a relay, and the POST of an encapsulated
// request. Every transfer has a timeout and a size cap. No cookies, no cache,
// no credentials: the relay must learn nothing but the bytes.
#pragma once

#include "plugin/core/errors.h"

#include "protocol/common/bytes.h"
#include "protocol/tlog/log_client.h"

#include <QByteArray>
#include <QObject>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace sotto::client {

struct HttpResponse {
    int status = 0;
    QByteArray contentType;
    QByteArray body;
};

class HttpClient : public QObject {
    Q_OBJECT
public:
    using Callback = std::function<void(const ClientResult<HttpResponse> &)>;

    explicit HttpClient(QObject *parent = nullptr);
    ~HttpClient() override;

    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    void setMaxBodyBytes(qint64 n) { m_maxBody = n; }

    // A non-2xx status is a response, not a failure: callers decide. Failures
    // are FetchFailed (connection, timeout, body too large).
    void get(const QUrl &url, const QByteArray &accept, Callback done);
    void post(const QUrl &url, const QByteArray &contentType, const QByteArray &accept,
        const QByteArray &body, Callback done);

    // Runs a local event loop until the GET is done: LogClient's fetcher is
    // synchronous. 2xx or FetchFailed.
    ClientResult<QByteArray> getBlocking(const QUrl &url);

    // A tlog::LogFetcher for the log under `prefix` (a directory URL).
    tlog::LogFetcher logFetcher(const QUrl &prefix);

private:
    void watch(QNetworkReply *reply, const QUrl &url, Callback done);

    QNetworkAccessManager *m_nam;
    int m_timeoutMs = 30000;
    qint64 m_maxBody = 4 * 1024 * 1024;
};

} // namespace sotto::client
