// SPDX-License-Identifier: GPL-3.0-or-later
// A loopback HTTP/1.1 server for the client's tests (QTcpServer on
// 127.0.0.1, a free port): one request per connection, "Connection: close",
// Content-Length bodies only; just enough for QNetworkAccessManager. It
// counts every request by method, so tests can prove that nothing was POSTed.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QTcpServer>
#include <QUrl>

#include <functional>

namespace sotto::client::test {

struct HttpRequest {
    QByteArray method;
    QByteArray target;                     // path?query as sent
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;
};

struct HttpAnswer {
    int status = 200;
    QByteArray contentType;
    QByteArray body;
};

class HttpServer : public QObject {
    Q_OBJECT
public:
    using Handler = std::function<HttpAnswer(const HttpRequest &)>;

    explicit HttpServer(Handler handler, QObject *parent = nullptr);
    bool listen();
    QUrl url(const QString &path) const;
    int count(const QByteArray &method) const { return m_counts.value(method); }

Q_SIGNALS:
    void requestServed(const QByteArray &method, const QByteArray &target);

private:
    void onConnection();

    QTcpServer m_server;
    Handler m_handler;
    QHash<QByteArray, int> m_counts;
};

} // namespace sotto::client::test
