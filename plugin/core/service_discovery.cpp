// SPDX-License-Identifier: GPL-3.0-or-later
#include "plugin/core/service_discovery.h"

#include <QTimer>

namespace sotto::client {

ServiceDiscovery::ServiceDiscovery(XmppChannel *channel, QObject *parent)
    : QObject(parent)
    , m_channel(channel)
{ }

std::optional<ServiceConfig> ServiceDiscovery::cached() const
{
    if (m_cached && QDateTime::currentDateTimeUtc() < m_cachedUntil)
        return m_cached;
    return std::nullopt;
}

Failure<ClientError> iqFailure(const IqReply &reply, const QString &what)
{
    switch (reply.kind) {
    case IqReply::Kind::Timeout:
        return fail(ClientError::XmppTimeout, what.toStdString());
    case IqReply::Kind::Disconnected:
        return fail(ClientError::NotConnected, what.toStdString());
    default:
        return fail(ClientError::XmppError,
            (what + QStringLiteral(": ") + reply.errorCondition
                + (reply.errorText.isEmpty() ? QString() : QStringLiteral(" ") + reply.errorText))
                .toStdString());
    }
}

void queryRoomProcessing(
    XmppChannel *channel, const QString &room, std::function<void(const ClientResult<bool> &)> done)
{
    if (!channel || !channel->isConnected()) {
        QTimer::singleShot(0, [done] {
            done(fail(ClientError::NotConnected, std::string("the XMPP account is offline")));
        });
        return;
    }
    channel->sendIq(room, IqType::Get, XmlElement(QStringLiteral("query"), kDiscoInfoNs),
        [room, done](const IqReply &reply) {
            const QString what = QStringLiteral("disco#info of the room ") + room;
            if (!reply.ok())
                return done(iqFailure(reply, what));
            bool isRoom = false;
            for (const auto &f : reply.payload.childrenNamed(QStringLiteral("feature")))
                isRoom = isRoom || f.attribute(QStringLiteral("var")) == kMucNs;
            if (!isRoom)
                return done(fail(ClientError::XmppError,
                    (what + QStringLiteral(": no ") + kMucNs + QStringLiteral(" feature, not a room"))
                        .toStdString()));
            done(roomFormForbidsProcessing(reply.payload));
        });
}

void ServiceDiscovery::discover(Callback done)
{
    if (auto c = cached()) {
        QTimer::singleShot(0, this, [done, c = *c] { done(c); });
        return;
    }
    if (!m_channel || !m_channel->isConnected()) {
        QTimer::singleShot(0, this, [done] {
            done(fail(ClientError::NotConnected, std::string("the XMPP account is offline")));
        });
        return;
    }
    m_waiters.push_back(std::move(done));
    if (m_waiters.size() > 1)
        return;
    const QString domain = m_channel->serverDomain();
    QPointer<ServiceDiscovery> self(this);
    // Every path below ends in finish(), which answers all the waiters.
    done = [self](const ClientResult<ServiceConfig> &r) {
        if (self)
            self->finish(r);
    };
    m_channel->sendIq(domain, IqType::Get, XmlElement(QStringLiteral("query"), kDiscoItemsNs),
        [self, done, domain](const IqReply &reply) {
            if (!self)
                return;
            if (!reply.ok()) {
                done(iqFailure(reply, QStringLiteral("disco#items of ") + domain));
                return;
            }
            QStringList items;
            for (const auto &item : reply.payload.childrenNamed(QStringLiteral("item"))) {
                const QString jid = item.attribute(QStringLiteral("jid"));
                // Components are addressed by a domain JID (no node, no resource).
                if (!jid.isEmpty() && !jid.contains(QLatin1Char('@'))
                    && !item.hasAttribute(QStringLiteral("node")))
                    items.append(jid);
            }
            self->queryItems(items, done, std::nullopt);
        });
}

void ServiceDiscovery::finish(const ClientResult<ServiceConfig> &result)
{
    auto waiters = std::move(m_waiters);
    m_waiters.clear();
    for (auto &w : waiters)
        w(result);
}

void ServiceDiscovery::queryItems(
    QStringList items, Callback done, std::optional<Failure<ClientError>> firstError)
{
    if (items.isEmpty()) {
        if (firstError && firstError->code != ClientError::ServiceNotFound)
            done(*firstError);
        else
            done(fail(ClientError::ServiceNotFound,
                (m_channel ? m_channel->serverDomain() : QString()).toStdString()
                    + " lists no component with the urn:sotto:pp:0 form"));
        return;
    }
    const QString jid = items.takeFirst();
    QPointer<ServiceDiscovery> self(this);
    if (!m_channel) {
        done(fail(ClientError::NotConnected, std::string("the XMPP account is gone")));
        return;
    }
    m_channel->sendIq(jid, IqType::Get, XmlElement(QStringLiteral("query"), kDiscoInfoNs),
        [self, done, jid, items, firstError](const IqReply &reply) {
            if (!self)
                return;
            if (!reply.ok()) {
                // Another item may still be the service; remember the first
                // error in case none is.
                self->queryItems(items, done,
                    firstError
                        ? firstError
                        : std::optional(iqFailure(reply, QStringLiteral("disco#info of ") + jid)));
                return;
            }
            auto config = parseServiceForm(reply.payload, jid);
            if (!config.ok() && config.error() == ClientError::ServiceNotFound) {
                self->queryItems(items, done, firstError);
                return;
            }
            if (config.ok()) {
                self->m_cached = *config;
                self->m_cachedUntil = QDateTime::currentDateTimeUtc().addSecs(
                    static_cast<qint64>(self->m_ttl.count()));
            }
            done(config);
        });
}

} // namespace sotto::client
