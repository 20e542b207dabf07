// SPDX-License-Identifier: GPL-3.0-or-later
// The service as the server announces it: the XEP-0128 form of FORM_TYPE
// urn:sotto:pp:0 in the component's disco#info (DESIGN.md "Discovery form").
#pragma once

#include "plugin/core/errors.h"
#include "plugin/core/xml.h"

#include "protocol/snp/policy.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <vector>

namespace sotto::client {

inline const QString kServiceFormType = QStringLiteral("urn:sotto:pp:0");
inline const QString kDataFormsNs = QStringLiteral("jabber:x:data");

struct ServiceConfig {
    QString componentJid;
    QStringList relayUrls; // absolute URLs of the relays' POST /relay
    QString gatewayOrigin; // as announced; also the TokenChallenge origin_info
    QUrl keysUrl;          // GET through a relay (application/ohttp-keys)
    QUrl evidenceUrl;      // GET through a relay (?nonce=<64 hex>)
    QUrl logUrl;           // prefix of the tlog-tiles log
    QString logKey;        // signed-note verifier key; its name is the log's origin
    QStringList witnessKeys;
    int witnessQuorum = 0;
    QString issuerName;
    QByteArray tokenKey; // RSASSA-PSS SPKI DER (RFC 9578 Section 6.5)
    std::vector<snp::Generation> teePlatforms;
    snp::TcbMinimum teeMinimumTcb;
    bool allowSimulated = false;
    QStringList features; // summarize, rewrite:formal, ...
    qint64 maxRequestBytes = 64 * 1024;
    int quotaPerDay = -1; // -1: not announced

    // The host[:port] the inner request is addressed to.
    QString gatewayAuthority() const;
    // The checkpoint origin: the log key's name (C2SP signed-note).
    QString logOrigin() const;
};

// Reads the urn:sotto:pp:0 form among the <x xmlns='jabber:x:data'/> children
// of a disco#info <query/>. ServiceNotFound when there is no such form,
// ServiceFormInvalid (naming the field) when it is incomplete or malformed:
// every URL absolute, keys parse, quorum <= witnesses, known platforms.
ClientResult<ServiceConfig> parseServiceForm(
    const XmlElement &discoInfoQuery, const QString &componentJid);

// "bootloader=3,tee=0,snp=8,microcode=115[,fmc=0]" (any subset, any order);
// empty means no minimum.
ClientResult<snp::TcbMinimum> parseTcbMinimum(const QString &text);

} // namespace sotto::client
