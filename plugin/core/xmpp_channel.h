// SPDX-License-Identifier: GPL-3.0-or-later
// XmppChannel: the one thing plugin/core needs from an XMPP client: send an
// IQ to an entity and get its result or error, asynchronously.
//
// Hosts implement it: QXmppChannel (qxmpp_channel.h) for the CLI, and the
// Psi+ adapter with its host's StanzaSendingHost::sendStanza(account, QString)
// and uniqueId(account), matching answers in IqNamespaceFilter::iqResult /
// iqError (see psi-plugin-abi.md); IqReply::fromStanza turns a received
// <iq/> (as text, or as an XmlElement) into the reply.
#pragma once

#include "plugin/core/xml.h"

#include <QObject>
#include <QString>

#include <functional>

namespace sotto::client {

enum class IqType { Get, Set };

struct IqReply {
    enum class Kind {
        Result,       // type='result'; payload is its first child (may be null)
        Error,        // type='error'; condition and text from <error/> (RFC 6120 8.3)
        Timeout,      // no answer within the channel's timeout
        Disconnected, // the stream closed before an answer
    };
    Kind kind = Kind::Timeout;
    XmlElement payload;
    QString errorCondition; // e.g. "not-authorized", "policy-violation"
    QString errorText;      // the <text/> of the error, when the server gave one

    bool ok() const { return kind == Kind::Result; }
    // From a whole <iq type='result|error'/> stanza (RFC 6120 Section 8.2.3).
    static IqReply fromStanza(const XmlElement &iq);
};

// "get" / "set".
QString iqTypeName(IqType type);
// <iq xmlns='jabber:client' type=... id=... to=...>payload</iq> as text, for
// hosts whose API sends stanzas as strings.
QString buildIqStanza(const QString &id, const QString &to, IqType type, const XmlElement &payload);

class XmppChannel : public QObject {
    Q_OBJECT
public:
    using IqCallback = std::function<void(const IqReply &)>;

    using QObject::QObject;
    ~XmppChannel() override = default;

    virtual bool isConnected() const = 0;
    // The account's bare JID (user@domain).
    virtual QString accountJid() const = 0;
    // The account's server domain: where disco#items starts.
    QString serverDomain() const;

    // Sends <iq type=... to=...> with `payload` as its only child. `done` is
    // called exactly once, never from inside sendIq, with the result, the
    // error, a timeout or Disconnected.
    virtual void sendIq(const QString &to, IqType type, const XmlElement &payload, IqCallback done)
        = 0;

Q_SIGNALS:
    void connectedChanged(bool connected);
};

} // namespace sotto::client
