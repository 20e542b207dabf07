// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/client/support/http_server.h"

#include <QHostAddress>
#include <QTcpSocket>

#include <memory>

namespace sotto::client::test {

HttpServer::HttpServer(Handler handler, QObject *parent)
    : QObject(parent)
    , m_handler(std::move(handler))
{
    connect(&m_server, &QTcpServer::newConnection, this, &HttpServer::onConnection);
}

bool HttpServer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl HttpServer::url(const QString &path) const
{
    QUrl u;
    u.setScheme(QStringLiteral("http"));
    u.setHost(QStringLiteral("127.0.0.1"));
    u.setPort(m_server.serverPort());
    u.setPath(path);
    return u;
}

void HttpServer::onConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        auto buffer = std::make_shared<QByteArray>();
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer] {
            buffer->append(socket->readAll());
            const auto end = buffer->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            HttpRequest request;
            const QList<QByteArray> lines = buffer->left(end).split('\n');
            const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
            request.method = first.value(0);
            request.target = first.value(1);
            for (int i = 1; i < lines.size(); ++i) {
                const auto colon = lines[i].indexOf(':');
                if (colon > 0)
                    request.headers.insert(lines[i].left(colon).trimmed().toLower(),
                        lines[i].mid(colon + 1).trimmed());
            }
            const int length = request.headers.value("content-length", "0").toInt();
            if (buffer->size() < end + 4 + length)
                return;
            request.body = buffer->mid(end + 4, length);
            buffer->clear();
            m_counts[request.method] += 1;
            const HttpAnswer answer = m_handler(request);
            QByteArray out = "HTTP/1.1 " + QByteArray::number(answer.status) + " X\r\n";
            if (!answer.contentType.isEmpty())
                out += "Content-Type: " + answer.contentType + "\r\n";
            out += "Content-Length: " + QByteArray::number(answer.body.size())
                + "\r\nConnection: close\r\n\r\n";
            out += answer.body;
            socket->write(out);
            socket->disconnectFromHost();
            Q_EMIT requestServed(request.method, request.target);
        });
    }
}

} // namespace sotto::client::test
