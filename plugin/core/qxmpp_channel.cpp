// SPDX-License-Identifier: GPL-3.0-or-later
#include "plugin/core/qxmpp_channel.h"

#include <QXmppClient.h>
#include <QXmppClientExtension.h>
#include <QXmppConfiguration.h>
#include <QXmppIq.h>
#include <QXmppMamManager.h>
#include <QXmppMessage.h>
#include <QXmppResultSet.h>
#include <QXmppUtils.h>

#include <QDomElement>
#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTextStream>
#include <QXmlStreamWriter>

namespace sotto::client {

namespace {

void writeElement(QXmlStreamWriter *writer, const XmlElement &e, const QString &parentNs)
{
    writer->writeStartElement(e.name());
    if (e.ns() != parentNs)
        writer->writeDefaultNamespace(e.ns());
    for (const auto &[k, v] : e.attributes())
        writer->writeAttribute(k, v);
    if (!e.text().isEmpty())
        writer->writeCharacters(e.text());
    for (const auto &c : e.children())
        writeElement(writer, c, e.ns());
    writer->writeEndElement();
}

// An IQ whose child is an XmlElement; QXmppIq writes the <iq/> around it.
class PayloadIq : public QXmppIq {
public:
    explicit PayloadIq(XmlElement payload)
        : m_payload(std::move(payload))
    { }

protected:
    void toXmlElementFromChild(QXmlStreamWriter *writer) const override
    {
        writeElement(writer, m_payload, QStringLiteral("jabber:client"));
    }

private:
    XmlElement m_payload;
};

} // namespace

class IqRouter : public QXmppClientExtension {
public:
    explicit IqRouter(QXmppChannel *channel)
        : m_channel(channel)
    { }

    bool handleStanza(const QDomElement &stanza) override
    {
        if (stanza.tagName() != QLatin1String("iq"))
            return false;
        const QString type = stanza.attribute(QStringLiteral("type"));
        if (type != QLatin1String("result") && type != QLatin1String("error"))
            return false;
        const QString id = stanza.attribute(QStringLiteral("id"));
        if (!m_channel->m_pending.contains(id))
            return false;
        QString text;
        QTextStream stream(&text);
        stanza.save(stream, -1);
        stream.flush();
        const auto parsed = XmlElement::parse(text);
        IqReply reply;
        if (parsed) {
            reply = IqReply::fromStanza(*parsed);
        } else {
            reply.kind = IqReply::Kind::Error;
            reply.errorCondition = QStringLiteral("undefined-condition");
        }
        m_channel->deliver(id, reply);
        return true;
    }

private:
    QXmppChannel *m_channel;
};

QXmppChannel::QXmppChannel(QObject *parent)
    : XmppChannel(parent)
    , m_client(std::make_unique<QXmppClient>())
{
    m_router = new IqRouter(this);
    // First: QXmppDiscoveryManager (a default extension) would otherwise
    // swallow disco#info/items results before they reach their caller.
    m_client->insertExtension(0, m_router);
    m_mam = new QXmppMamManager;
    m_client->addExtension(m_mam);
    connect(
        m_client.get(), &QXmppClient::connected, this, [this] { Q_EMIT connectedChanged(true); });
    connect(m_client.get(), &QXmppClient::disconnected, this, [this] {
        failAll(IqReply::Kind::Disconnected);
        Q_EMIT connectedChanged(false);
    });
    connect(m_client.get(), &QXmppClient::error, this, [this](QXmppClient::Error e) {
        QString reason;
        switch (e) {
        case QXmppClient::SocketError:
            reason = m_client->socketErrorString();
            break;
        case QXmppClient::KeepAliveError:
            reason = QStringLiteral("no answer to keep-alive");
            break;
        case QXmppClient::XmppStreamError:
            reason = QStringLiteral("XMPP stream error (wrong password or refused login?)");
            break;
        default:
            reason = QStringLiteral("unknown error");
        }
        Q_EMIT connectFailed(reason);
    });
}

QXmppChannel::~QXmppChannel()
{
    // Callers are being torn down too: drop the callbacks without calling them.
    m_pending.clear();
}

void QXmppChannel::connectToServer(const XmppAccount &account)
{
    m_jid = account.jid;
    QXmppConfiguration config;
    config.setJid(account.jid);
    config.setPassword(account.password);
    if (!account.host.isEmpty())
        config.setHost(account.host);
    config.setPort(account.port);
    config.setResource(
        QStringLiteral("sotto-") + QString::number(QRandomGenerator::global()->generate(), 16));
    config.setIgnoreSslErrors(account.ignoreTlsErrors);
    m_client->connectToServer(config);
}

void QXmppChannel::disconnectFromServer()
{
    m_client->disconnectFromServer();
}

bool QXmppChannel::isConnected() const
{
    return m_client->isConnected();
}

void QXmppChannel::sendIq(
    const QString &to, IqType type, const XmlElement &payload, IqCallback done)
{
    const QString id = QStringLiteral("sotto-%1-%2")
                           .arg(++m_nextId)
                           .arg(QRandomGenerator::global()->generate(), 0, 16);
    if (!isConnected()) {
        QTimer::singleShot(0, this, [done] {
            IqReply r;
            r.kind = IqReply::Kind::Disconnected;
            done(r);
        });
        return;
    }
    PayloadIq iq(payload);
    iq.setId(id);
    iq.setTo(to);
    iq.setType(type == IqType::Get ? QXmppIq::Get : QXmppIq::Set);
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [this, id] {
        IqReply r;
        r.kind = IqReply::Kind::Timeout;
        deliver(id, r);
    });
    m_pending.insert(id, Pending { std::move(done), timer });
    timer->start(m_iqTimeoutMs);
    if (!m_client->sendPacket(iq)) {
        QTimer::singleShot(0, this, [this, id] {
            IqReply r;
            r.kind = IqReply::Kind::Disconnected;
            deliver(id, r);
        });
    }
}

void QXmppChannel::fetchArchive(const QString &with, int max, ArchiveCallback done)
{
    fetchMam(QString(), with, max, std::move(done));
}

void QXmppChannel::fetchRoomArchive(const QString &room, int max, ArchiveCallback done)
{
    fetchMam(room, QString(), max, std::move(done));
}

void QXmppChannel::fetchMam(
    const QString &archive, const QString &with, int max, ArchiveCallback done)
{
    if (!isConnected()) {
        QTimer::singleShot(0, this, [done] {
            done(fail(ClientError::NotConnected, std::string("the XMPP account is offline")));
        });
        return;
    }
    QXmppResultSetQuery page;
    page.setMax(max);
    // XEP-0059 Section 2.5: an empty <before/> asks for the last page.
    page.setBefore(QStringLiteral(""));
    struct State {
        QString queryId;
        QVector<ArchivedMessage> messages;
        bool finished = false;
        QList<QMetaObject::Connection> connections;
    };
    auto state = std::make_shared<State>();
    const auto finish = [state, done](const ClientResult<QVector<ArchivedMessage>> &r) {
        if (state->finished)
            return;
        state->finished = true;
        for (const auto &c : state->connections)
            QObject::disconnect(c);
        done(r);
    };
    state->connections.append(connect(m_mam, &QXmppMamManager::archivedMessageReceived, this,
        [state, inRoom = !archive.isEmpty()](const QString &queryId, const QXmppMessage &message) {
            if (queryId != state->queryId || message.body().isEmpty())
                return;
            ArchivedMessage m;
            // A room's messages come from room@service/nick (XEP-0045 7.4).
            m.from = inRoom ? QXmppUtils::jidToResource(message.from())
                            : QXmppUtils::jidToBareJid(message.from());
            m.time = message.stamp().toUTC();
            m.text = message.body();
            for (const auto &e : message.extensions()) {
                if (e.tagName() == QLatin1String("no-private-processing")
                    && (e.attribute(QStringLiteral("xmlns")) == QLatin1String("urn:sotto:acp:0")
                        || e.sourceDomElement().namespaceURI() == QLatin1String("urn:sotto:acp:0")))
                    m.noPrivateProcessing = true;
            }
            state->messages.append(m);
        }));
    state->connections.append(connect(m_mam, &QXmppMamManager::resultsRecieved, this,
        [state, finish](const QString &queryId, const QXmppResultSetReply &, bool) {
            if (queryId == state->queryId)
                finish(state->messages);
        }));
    state->connections.append(connect(m_client.get(), &QXmppClient::disconnected, this, [finish] {
        finish(fail(ClientError::NotConnected, std::string("the XMPP connection closed")));
    }));
    // QXmpp 1.4 reports no archive error: a server without XEP-0313 (or one
    // that refuses) only shows as no answer.
    QTimer::singleShot(m_iqTimeoutMs, this, [finish] {
        finish(fail(ClientError::XmppTimeout,
            std::string("the server's message archive (XEP-0313) did not answer")));
    });
    state->queryId = m_mam->retrieveArchivedMessages(
        archive, QString(), with, QDateTime(), QDateTime(), page);
}

void QXmppChannel::deliver(const QString &id, const IqReply &reply)
{
    auto it = m_pending.find(id);
    if (it == m_pending.end())
        return;
    Pending pending = std::move(it.value());
    m_pending.erase(it);
    pending.timer->deleteLater();
    // Answers come from the socket's signal, never from inside sendIq.
    pending.done(reply);
}

void QXmppChannel::failAll(IqReply::Kind kind)
{
    const auto ids = m_pending.keys();
    for (const auto &id : ids) {
        IqReply r;
        r.kind = kind;
        deliver(id, r);
    }
}

std::optional<XmppAccount> stackAccount(const QString &stackJson, int user, QString *error)
{
    QFile f(stackJson);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1").arg(stackJson);
        return std::nullopt;
    }
    const QJsonObject xmpp
        = QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("xmpp")).toObject();
    const QJsonArray users = xmpp.value(QStringLiteral("users")).toArray();
    if (user < 0 || user >= users.size()) {
        *error = QStringLiteral("%1 has no XMPP user %2").arg(stackJson).arg(user);
        return std::nullopt;
    }
    const QJsonObject u = users.at(user).toObject();
    XmppAccount account;
    account.jid = u.value(QStringLiteral("jid")).toString();
    account.password = u.value(QStringLiteral("password")).toString();
    account.host = xmpp.value(QStringLiteral("host")).toString();
    account.port = xmpp.value(QStringLiteral("port")).toInt(5222);
    // The local stack runs on loopback with a self-signed certificate.
    account.ignoreTlsErrors = QHostAddress(account.host).isLoopback()
        || account.host == QLatin1String("localhost");
    return account;
}

} // namespace sotto::client
