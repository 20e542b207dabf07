// SPDX-License-Identifier: GPL-3.0-or-later
// ComponentStream: the XEP-0114 (Jabber Component Protocol) connection to the XMPP server.
// Opens a stream in jabber:component:accept to the component's domain, proves the shared
// secret with <handshake>hex(SHA-1(stream id || secret))</handshake> (XEP-0114 Section 3),
// then delivers each top-level stanza as an XmlNode. On any loss (connection refused or
// closed, stream error, wrong secret, malformed XML, an oversized stanza) it reconnects with
// exponential backoff, so it survives server restarts and a server that starts later.
#pragma once

#include "plugin/server/xml_node.h"

#include <QObject>
#include <QTcpSocket>
#include <QTimer>
#include <QXmlStreamReader>

#include <vector>

namespace sotto::component {

class ComponentStream : public QObject {
    Q_OBJECT
public:
    enum class State { Disconnected, Connecting, Handshaking, Ready };

    ComponentStream(QString componentJid, QString secret, QString host, quint16 port,
        QObject *parent = nullptr);
    ~ComponentStream() override;

    void start();
    void stop();
    State state() const { return m_state; }
    // Writes a stanza when Ready; false (and nothing sent) otherwise.
    bool send(const XmlNode &stanza);

    void setBackoff(int initialMs, int maxMs);
    // Every `intervalMs` while Ready, an XEP-0199 ping to `target` (a host of the server);
    // when nothing at all has arrived for a whole interval after a ping, the server is taken
    // as hung and the stream is dropped and reopened. The handshake must complete within
    // two intervals. 0 turns both off.
    void setKeepalive(int intervalMs, const QString &target);
    // Stanzas larger than this (bytes of XML received) close the stream.
    void setMaxStanzaBytes(qint64 bytes) { m_maxStanzaBytes = bytes; }

    static inline const QString kComponentNs = QStringLiteral("jabber:component:accept");
    static inline const QString kStreamNs = QStringLiteral("http://etherx.jabber.org/streams");

Q_SIGNALS:
    void ready();
    void disconnected(const QString &reason);
    void stanzaReceived(const sotto::component::XmlNode &stanza);

private:
    void connectNow();
    void onConnected();
    void onReadyRead();
    void onSocketError();
    void lose(const QString &reason);
    void scheduleReconnect();
    void handleStreamError(const XmlNode &error);
    void onKeepalive();

    QString m_jid;
    QString m_secret;
    QString m_host;
    quint16 m_port;
    QTcpSocket m_socket;
    QTimer m_retry;
    QTimer m_keepalive;
    QTimer m_handshakeDeadline;
    int m_keepaliveMs = 60'000;
    QString m_pingTarget;
    bool m_pingOutstanding = false;
    quint64 m_pingCounter = 0;
    QXmlStreamReader m_reader;
    State m_state = State::Disconnected;
    bool m_running = false;
    int m_initialBackoffMs = 500;
    int m_maxBackoffMs = 5000;
    int m_backoffMs = 500;
    qint64 m_maxStanzaBytes = 1024 * 1024;
    qint64 m_stanzaStartOffset = 0;
    qint64 m_received = 0;
    QString m_streamId;
    std::vector<XmlNode> m_stack; // the stanza being read, root first
};

} // namespace sotto::component
