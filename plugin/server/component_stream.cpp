// SPDX-License-Identifier: GPL-3.0-or-later
#include "plugin/server/component_stream.h"

#include <QCryptographicHash>
#include <QLoggingCategory>
#include <QXmlStreamWriter>

Q_LOGGING_CATEGORY(lcStream, "sotto.component.stream")

namespace sotto::component {

namespace {
const QString kStreamErrorsNs = QStringLiteral("urn:ietf:params:xml:ns:xmpp-streams");
}

ComponentStream::ComponentStream(
    QString componentJid, QString secret, QString host, quint16 port, QObject *parent)
    : QObject(parent)
    , m_jid(std::move(componentJid))
    , m_secret(std::move(secret))
    , m_host(std::move(host))
    , m_port(port)
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &ComponentStream::connectNow);
    connect(&m_keepalive, &QTimer::timeout, this, &ComponentStream::onKeepalive);
    m_handshakeDeadline.setSingleShot(true);
    connect(&m_handshakeDeadline, &QTimer::timeout, this, [this] {
        lose(QStringLiteral("the server did not complete the handshake within %1 s")
                 .arg(2 * m_keepaliveMs / 1000.0));
    });
    connect(&m_socket, &QTcpSocket::connected, this, &ComponentStream::onConnected);
    connect(&m_socket, &QTcpSocket::readyRead, this, &ComponentStream::onReadyRead);
    connect(&m_socket, &QTcpSocket::disconnected, this,
        [this] { lose(QStringLiteral("the server closed the connection")); });
    connect(&m_socket, &QAbstractSocket::errorOccurred, this, &ComponentStream::onSocketError);
}

ComponentStream::~ComponentStream()
{
    // The socket's own destruction must not call back into a half-destroyed stream.
    m_running = false;
    m_socket.disconnect(this);
    m_socket.abort();
}

void ComponentStream::setKeepalive(int intervalMs, const QString &target)
{
    m_keepaliveMs = std::max(0, intervalMs);
    m_pingTarget = target;
}

void ComponentStream::onKeepalive()
{
    if (m_state != State::Ready)
        return;
    if (m_pingOutstanding) {
        lose(QStringLiteral("no answer to a keepalive ping for %1 s: the server seems hung")
                 .arg(m_keepaliveMs / 1000.0));
        return;
    }
    // XEP-0199 Section 4.2: a ping from the component to the server's host.
    XmlNode ping(QStringLiteral("iq"), kComponentNs);
    ping.setAttribute(QStringLiteral("type"), QStringLiteral("get"));
    ping.setAttribute(QStringLiteral("from"), m_jid);
    ping.setAttribute(QStringLiteral("to"), m_pingTarget);
    ping.setAttribute(QStringLiteral("id"), QStringLiteral("keepalive-%1").arg(++m_pingCounter));
    ping.appendChild(XmlNode(QStringLiteral("ping"), QStringLiteral("urn:xmpp:ping")));
    send(ping);
    m_pingOutstanding = true;
}

void ComponentStream::setBackoff(int initialMs, int maxMs)
{
    m_initialBackoffMs = std::max(1, initialMs);
    m_maxBackoffMs = std::max(m_initialBackoffMs, maxMs);
    m_backoffMs = m_initialBackoffMs;
}

void ComponentStream::start()
{
    m_running = true;
    m_backoffMs = m_initialBackoffMs;
    connectNow();
}

void ComponentStream::stop()
{
    m_running = false;
    m_retry.stop();
    m_keepalive.stop();
    m_handshakeDeadline.stop();
    if (m_socket.state() == QAbstractSocket::ConnectedState) {
        m_socket.write("</stream:stream>");
        m_socket.flush();
    }
    m_socket.abort();
    m_state = State::Disconnected;
}

void ComponentStream::connectNow()
{
    if (!m_running)
        return;
    m_socket.abort();
    m_reader.clear();
    m_stack.clear();
    m_streamId.clear();
    m_stanzaStartOffset = 0;
    m_received = 0;
    m_state = State::Connecting;
    qCInfo(lcStream) << "connecting to" << m_host << m_port;
    m_socket.connectToHost(m_host, m_port);
}

void ComponentStream::onConnected()
{
    // Every answer is one write that the client waits for: Nagle's algorithm would only hold
    // it back for the server's delayed ACK.
    m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    // XEP-0114 Section 3: the component opens the stream with to= its own domain.
    QByteArray header;
    QXmlStreamWriter w(&header);
    w.writeStartDocument();
    w.writeNamespace(kStreamNs, QStringLiteral("stream"));
    w.writeDefaultNamespace(kComponentNs);
    w.writeStartElement(kStreamNs, QStringLiteral("stream"));
    w.writeAttribute(QStringLiteral("to"), m_jid);
    // Force the start tag out: the element stays open for the life of the stream.
    w.writeCharacters(QString());
    m_socket.write(header);
    m_state = State::Handshaking;
    if (m_keepaliveMs > 0)
        m_handshakeDeadline.start(2 * m_keepaliveMs);
}

void ComponentStream::onSocketError()
{
    if (m_state == State::Disconnected)
        return;
    lose(QStringLiteral("connection to %1:%2 failed: %3")
             .arg(m_host)
             .arg(m_port)
             .arg(m_socket.errorString()));
}

void ComponentStream::lose(const QString &reason)
{
    if (m_state == State::Disconnected)
        return;
    const bool wasReady = m_state == State::Ready;
    m_state = State::Disconnected;
    m_keepalive.stop();
    m_handshakeDeadline.stop();
    m_socket.abort();
    qCWarning(lcStream).noquote() << "stream lost:" << reason;
    if (wasReady)
        m_backoffMs = m_initialBackoffMs;
    Q_EMIT disconnected(reason);
    scheduleReconnect();
}

void ComponentStream::scheduleReconnect()
{
    if (!m_running)
        return;
    qCInfo(lcStream) << "reconnecting in" << m_backoffMs << "ms";
    m_retry.start(m_backoffMs);
    m_backoffMs = std::min(m_maxBackoffMs, m_backoffMs * 2);
}

bool ComponentStream::send(const XmlNode &stanza)
{
    if (m_state != State::Ready)
        return false;
    m_socket.write(stanza.toXml(kComponentNs));
    return true;
}

void ComponentStream::handleStreamError(const XmlNode &error)
{
    // RFC 6120 Section 4.9: the first child in the streams namespace is the condition.
    QString condition = QStringLiteral("undefined-condition");
    QString text;
    for (const auto &c : error.children()) {
        if (c.ns() != kStreamErrorsNs)
            continue;
        if (c.name() == QLatin1String("text"))
            text = c.text();
        else
            condition = c.name();
    }
    QString reason = QStringLiteral("stream error %1").arg(condition);
    if (condition == QLatin1String("not-authorized"))
        reason += QStringLiteral(
            " (the server refused the handshake: is [component] secret the component_secret of "
            "Component \"%1\" in the Prosody configuration?)")
                      .arg(m_jid);
    else if (condition == QLatin1String("conflict"))
        reason += QStringLiteral(" (another process is connected as %1)").arg(m_jid);
    else if (condition == QLatin1String("host-unknown"))
        reason += QStringLiteral(" (the server has no Component \"%1\")").arg(m_jid);
    if (!text.isEmpty())
        reason += QStringLiteral(": ") + text.left(200);
    lose(reason);
}

void ComponentStream::onReadyRead()
{
    const QByteArray data = m_socket.readAll();
    m_received += data.size();
    m_pingOutstanding = false; // the server is alive
    m_reader.addData(data);
    while (m_state != State::Disconnected) {
        const auto token = m_reader.readNext();
        if (token == QXmlStreamReader::Invalid) {
            if (m_reader.error() == QXmlStreamReader::PrematureEndOfDocumentError)
                break; // wait for more data
            lose(QStringLiteral("malformed XML from the server: %1").arg(m_reader.errorString()));
            return;
        }
        if (token == QXmlStreamReader::StartElement) {
            if (m_streamId.isNull() && m_stack.empty()) {
                // Depth 1: the server's stream header (XEP-0114 Section 3, step 2).
                if (m_reader.name() != QLatin1String("stream")
                    || m_reader.namespaceUri() != kStreamNs) {
                    lose(QStringLiteral("the server did not open an XMPP stream"));
                    return;
                }
                m_streamId = m_reader.attributes().value(QStringLiteral("id")).toString();
                if (m_streamId.isEmpty()) {
                    lose(QStringLiteral("the server's stream header has no id"));
                    return;
                }
                const QByteArray digest = QCryptographicHash::hash(
                    (m_streamId + m_secret).toUtf8(), QCryptographicHash::Sha1)
                                              .toHex();
                XmlNode handshake(QStringLiteral("handshake"), kComponentNs);
                handshake.setText(QString::fromLatin1(digest));
                m_socket.write(handshake.toXml(kComponentNs));
                m_stanzaStartOffset = m_reader.characterOffset();
                continue;
            }
            XmlNode node(m_reader.name().toString(), m_reader.namespaceUri().toString());
            for (const auto &a : m_reader.attributes()) {
                // Namespace declarations are not attributes; prefixed attributes keep their
                // qualified name (xml:lang).
                node.setAttribute(a.qualifiedName().toString(), a.value().toString());
            }
            m_stack.push_back(std::move(node));
            continue;
        }
        if (token == QXmlStreamReader::Characters) {
            if (!m_stack.empty())
                m_stack.back().appendText(m_reader.text());
            continue;
        }
        if (token == QXmlStreamReader::EndElement) {
            if (m_stack.empty()) {
                lose(QStringLiteral("the server closed the stream"));
                return;
            }
            XmlNode done = std::move(m_stack.back());
            m_stack.pop_back();
            if (!m_stack.empty()) {
                m_stack.back().appendChild(std::move(done));
                continue;
            }
            m_stanzaStartOffset = m_reader.characterOffset();
            if (done.ns() == kStreamNs && done.name() == QLatin1String("error")) {
                handleStreamError(done);
                return;
            }
            if (m_state == State::Handshaking) {
                if (done.name() == QLatin1String("handshake") && done.ns() == kComponentNs) {
                    m_state = State::Ready;
                    m_backoffMs = m_initialBackoffMs;
                    m_handshakeDeadline.stop();
                    m_pingOutstanding = false;
                    if (m_keepaliveMs > 0 && !m_pingTarget.isEmpty())
                        m_keepalive.start(m_keepaliveMs);
                    qCInfo(lcStream) << "connected as" << m_jid;
                    Q_EMIT ready();
                } else {
                    lose(QStringLiteral("expected <handshake/>, got <%1/>").arg(done.name()));
                    return;
                }
                continue;
            }
            Q_EMIT stanzaReceived(done);
            continue;
        }
    }
    // QXmlStreamReader buffers an incomplete token without limit: bound what has arrived
    // since the last complete stanza (characters read ~ bytes for the ASCII of XMPP).
    if (m_state != State::Disconnected && m_received - m_stanzaStartOffset > m_maxStanzaBytes)
        lose(QStringLiteral("a stanza larger than %1 bytes").arg(m_maxStanzaBytes));
}

} // namespace sotto::component
