// SPDX-License-Identifier: GPL-3.0-or-later
// ServiceDiscovery: finds the Sotto component of the account's server
// (XEP-0030 disco#items on the server, then disco#info on each item) and
// reads its urn:sotto:pp:0 form (XEP-0128). The answer is cached for a TTL.
#pragma once

#include "plugin/core/policy.h"
#include "plugin/core/service_config.h"
#include "plugin/core/xmpp_channel.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>

#include <chrono>
#include <functional>
#include <optional>
#include <vector>

namespace sotto::client {

inline const QString kDiscoItemsNs = QStringLiteral("http://jabber.org/protocol/disco#items");
inline const QString kDiscoInfoNs = QStringLiteral("http://jabber.org/protocol/disco#info");
inline const QString kMucNs = QStringLiteral("http://jabber.org/protocol/muc");

// An IQ that did not give a result, as the client's error: timeout,
// disconnection, or the server's error condition and text.
Failure<ClientError> iqFailure(const IqReply &reply, const QString &what);

// Asks a chat room (XEP-0045 6.4: disco#info of the room) whether its
// muc#roominfo form sets kRoomNoProcessingField (policy.h). Fail-closed: a
// room that does not answer, answers an error, or is not a MUC room is an
// error, never "processing allowed". `done` is called once, asynchronously.
void queryRoomProcessing(
    XmppChannel *channel, const QString &room, std::function<void(const ClientResult<bool> &)> done);

class ServiceDiscovery : public QObject {
    Q_OBJECT
public:
    using Callback = std::function<void(const ClientResult<ServiceConfig> &)>;

    explicit ServiceDiscovery(XmppChannel *channel, QObject *parent = nullptr);

    void setTtl(std::chrono::seconds ttl) { m_ttl = ttl; }
    // Calls `done` once, asynchronously: the cached service while it is fresh,
    // otherwise a new lookup.
    void discover(Callback done);
    void invalidate() { m_cached.reset(); }
    // The cached service, if any and fresh.
    std::optional<ServiceConfig> cached() const;

private:
    void queryItems(
        QStringList items, Callback done, std::optional<Failure<ClientError>> firstError);

    void finish(const ClientResult<ServiceConfig> &result);

    QPointer<XmppChannel> m_channel;
    // Callers waiting for the lookup in flight: one lookup serves them all.
    std::vector<Callback> m_waiters;
    std::chrono::seconds m_ttl { 3600 };
    std::optional<ServiceConfig> m_cached;
    QDateTime m_cachedUntil;
};

} // namespace sotto::client
