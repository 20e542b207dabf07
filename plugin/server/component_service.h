// SPDX-License-Identifier: GPL-3.0-or-later
// ComponentService: what sotto-component answers once its stream is up.
//   - XEP-0030 disco#info: identity, features and the urn:sotto:pp:0 form (XEP-0128);
//     disco#items: empty.
//   - XEP-0199 ping.
//   - Token issuance (DESIGN.md, urn:sotto:pp:tokens:0): access policy, batch validation,
//     the daily quota (QuotaStore) and blind signatures with the current issuer key.
//   - Any other IQ get/set: service-unavailable (RFC 6120 Section 8.4).
// It logs counts and error conditions only: never tokens, blinded messages or JIDs.
#pragma once

#include "plugin/server/component_config.h"
#include "plugin/server/component_stream.h"
#include "plugin/server/issuer_keys.h"
#include "plugin/server/quota_store.h"

#include <QObject>

#include <functional>

namespace sotto::component {

inline const QString kTokensNs = QStringLiteral("urn:sotto:pp:tokens:0");
inline const QString kDiscoInfoNs = QStringLiteral("http://jabber.org/protocol/disco#info");
inline const QString kDiscoItemsNs = QStringLiteral("http://jabber.org/protocol/disco#items");
inline const QString kDataFormsNs = QStringLiteral("jabber:x:data");
inline const QString kPingNs = QStringLiteral("urn:xmpp:ping");
inline const QString kStanzaErrorNs = QStringLiteral("urn:ietf:params:xml:ns:xmpp-stanzas");

// What the XML layer reads from <request xmlns='urn:sotto:pp:tokens:0'/>.
IssuanceRequestPayload readIssuanceRequest(const XmlNode &request);

class ComponentService : public QObject {
    Q_OBJECT
public:
    using Clock = std::function<int64_t()>; // unix seconds

    ComponentService(ComponentConfig config, IssuerKeyRing keys, ComponentStream *stream,
        QuotaStore *quota, QObject *parent = nullptr);

    void setClock(Clock clock) { m_clock = std::move(clock); }

    // The answer to one stanza (empty name: no answer). Public for tests.
    XmlNode handle(const XmlNode &stanza);

private:
    XmlNode discoInfo() const;
    XmlNode issueTokens(const XmlNode &iq, const XmlNode &request);

    ComponentConfig m_config;
    IssuerKeyRing m_keys;
    AccessPolicy m_access;
    ComponentStream *m_stream;
    QuotaStore *m_quota;
    Clock m_clock;
    int64_t m_prunedBefore = 0; // quota days before this one are gone
};

} // namespace sotto::component
