// SPDX-License-Identifier: GPL-3.0-or-later
// XmppChannel over QXmpp (Debian libqxmpp-dev, QXmpp 1.4), for the sotto CLI
// and bots. QXmpp 1.4 has no IQ futures, so a client extension sees every
// incoming stanza first and takes the answers to our IQs by id.
#pragma once

#include "plugin/core/errors.h"
#include "plugin/core/xmpp_channel.h"

#include <QDateTime>
#include <QHash>
#include <QTimer>
#include <QVector>

#include <memory>
#include <optional>

class QXmppClient;
class QXmppMamManager;

namespace sotto::client {

class IqRouter;

struct XmppAccount {
    QString jid;      // bare JID
    QString password; // kept only until the connection is made
    QString host;     // empty: from the JID's domain (SRV lookup by QXmpp)
    int port = 5222;
    // For the local development stack on loopback (self-signed certificate).
    bool ignoreTlsErrors = false;
};

// Test account `user` (0: the first) of the local development stack's
// stack.json (DESIGN.md "Local stack"): its JID, password and loopback server,
// whose self-signed certificate is accepted. std::nullopt with `error` set
// when the file cannot be read or has no such user.
std::optional<XmppAccount> stackAccount(const QString &stackJson, int user, QString *error);

// One message of a chat, from the server's archive.
struct ArchivedMessage {
    QString from; // bare JID; in a room's archive, the author's nickname
    QDateTime time;
    QString text;
    bool noPrivateProcessing = false; // <no-private-processing xmlns='urn:sotto:acp:0'/>
};

class QXmppChannel : public XmppChannel {
    Q_OBJECT
public:
    explicit QXmppChannel(QObject *parent = nullptr);
    ~QXmppChannel() override;

    // Starts connecting; emits connectedChanged(true) or connectFailed().
    void connectToServer(const XmppAccount &account);
    void disconnectFromServer();

    bool isConnected() const override;
    QString accountJid() const override { return m_jid; }
    void sendIq(
        const QString &to, IqType type, const XmlElement &payload, IqCallback done) override;

    // XEP-0313 (Message Archive Management): the last `max` messages with
    // `with` from the account's own archive, oldest first. XmppError when the
    // server refuses or has no archive, XmppTimeout when it does not answer.
    // Messages are as archived: an end-to-end encrypted chat (OMEMO) gives
    // no text here, and such messages are skipped.
    using ArchiveCallback = std::function<void(const ClientResult<QVector<ArchivedMessage>> &)>;
    void fetchArchive(const QString &with, int max, ArchiveCallback done);
    // The last `max` messages of a chat room, from the room's own archive
    // (XEP-0313 Section 6 on a MUC service), oldest first; authors by
    // nickname. Ask the room first (queryRoomProcessing) whether it allows
    // private processing at all.
    void fetchRoomArchive(const QString &room, int max, ArchiveCallback done);

    // How long an IQ may wait for its answer.
    void setIqTimeout(int milliseconds) { m_iqTimeoutMs = milliseconds; }

Q_SIGNALS:
    void connectFailed(const QString &reason);

private:
    friend class IqRouter;
    void deliver(const QString &id, const IqReply &reply);
    void failAll(IqReply::Kind kind);
    // archive: the archive's JID (empty: the account's own); with: the
    // peer to filter on (empty: all).
    void fetchMam(const QString &archive, const QString &with, int max, ArchiveCallback done);

    std::unique_ptr<QXmppClient> m_client;
    IqRouter *m_router = nullptr;     // owned by m_client
    QXmppMamManager *m_mam = nullptr; // owned by m_client
    QString m_jid;
    int m_iqTimeoutMs = 30000;
    struct Pending {
        IqCallback done;
        QTimer *timer = nullptr;
    };
    QHash<QString, Pending> m_pending;
    quint64 m_nextId = 0;
};

} // namespace sotto::client
