// SPDX-License-Identifier: GPL-3.0-or-later
#include "plugin/core/xmpp_channel.h"

namespace sotto::client {

namespace {
const QString kStanzasNs = QStringLiteral("urn:ietf:params:xml:ns:xmpp-stanzas");
}

IqReply IqReply::fromStanza(const XmlElement &iq)
{
    IqReply reply;
    const QString type = iq.attribute(QStringLiteral("type"));
    if (type == QLatin1String("result")) {
        reply.kind = Kind::Result;
        if (!iq.children().isEmpty())
            reply.payload = iq.children().front();
        return reply;
    }
    reply.kind = Kind::Error;
    // RFC 6120 Section 8.3.2: <error type=...> holds one defined condition
    // element and an optional <text/>, both in the stanzas namespace.
    const XmlElement error = iq.firstChild(QStringLiteral("error"));
    for (const auto &c : error.children()) {
        if (c.ns() != kStanzasNs)
            continue;
        if (c.name() == QLatin1String("text"))
            reply.errorText = c.text();
        else if (reply.errorCondition.isEmpty())
            reply.errorCondition = c.name();
    }
    if (reply.errorCondition.isEmpty())
        reply.errorCondition = QStringLiteral("undefined-condition");
    return reply;
}

QString iqTypeName(IqType type)
{
    return type == IqType::Get ? QStringLiteral("get") : QStringLiteral("set");
}

QString buildIqStanza(const QString &id, const QString &to, IqType type, const XmlElement &payload)
{
    XmlElement iq(QStringLiteral("iq"), QStringLiteral("jabber:client"));
    iq.setAttribute(QStringLiteral("type"), iqTypeName(type));
    iq.setAttribute(QStringLiteral("id"), id);
    iq.setAttribute(QStringLiteral("to"), to);
    iq.appendChild(payload);
    return iq.toString();
}

QString XmppChannel::serverDomain() const
{
    QString jid = accountJid();
    const auto slash = jid.indexOf(QLatin1Char('/'));
    if (slash >= 0)
        jid.truncate(slash);
    const auto at = jid.indexOf(QLatin1Char('@'));
    return at >= 0 ? jid.mid(at + 1) : jid;
}

} // namespace sotto::client
