// SPDX-License-Identifier: GPL-3.0-or-later
#include "plugin/server/component_service.h"

#include "plugin/server/discovery_form.h"

#include <QDateTime>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcService, "sotto.component.service")

namespace sotto::component {

namespace {

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

XmlNode replyTo(const XmlNode &iq, const QString &type)
{
    XmlNode reply(QStringLiteral("iq"), ComponentStream::kComponentNs);
    reply.setAttribute(QStringLiteral("type"), type);
    reply.setAttribute(QStringLiteral("from"), iq.attribute(QStringLiteral("to")));
    reply.setAttribute(QStringLiteral("to"), iq.attribute(QStringLiteral("from")));
    reply.setAttribute(QStringLiteral("id"), iq.attribute(QStringLiteral("id")));
    return reply;
}

// RFC 6120 Section 8.3: <error type=...><condition/><text/></error>.
XmlNode errorReply(const XmlNode &iq, const QString &condition, const QString &text)
{
    QString type = QStringLiteral("cancel");
    if (condition == QLatin1String("bad-request"))
        type = QStringLiteral("modify");
    else if (condition == QLatin1String("not-authorized"))
        type = QStringLiteral("auth");
    else if (condition == QLatin1String("policy-violation"))
        type = QStringLiteral("wait");
    XmlNode reply = replyTo(iq, QStringLiteral("error"));
    XmlNode error(QStringLiteral("error"), ComponentStream::kComponentNs);
    error.setAttribute(QStringLiteral("type"), type);
    error.appendChild(XmlNode(condition, kStanzaErrorNs));
    XmlNode t(QStringLiteral("text"), kStanzaErrorNs);
    t.setAttribute(QStringLiteral("xml:lang"), QStringLiteral("en"));
    t.setText(text);
    error.appendChild(std::move(t));
    reply.appendChild(std::move(error));
    return reply;
}

XmlNode issuanceError(const XmlNode &iq, const Failure<IssuanceError> &f)
{
    qCInfo(lcService).noquote() << "token request refused:" << qs(std::string(errorName(f.code)));
    return errorReply(iq, qs(std::string(xmppCondition(f.code))), qs(f.detail));
}

} // namespace

IssuanceRequestPayload readIssuanceRequest(const XmlNode &request)
{
    IssuanceRequestPayload p;
    p.tokenKeyId = request.attribute(QStringLiteral("token-key-id")).toStdString();
    for (const auto &c : request.children()) {
        if (c.name() == QLatin1String("token-request") && c.ns() == kTokensNs)
            p.tokenRequests.push_back(c.text().trimmed().toStdString());
        else
            p.hasOtherChildren = true;
    }
    return p;
}

ComponentService::ComponentService(ComponentConfig config, IssuerKeyRing keys,
    ComponentStream *stream, QuotaStore *quota, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_keys(std::move(keys))
    , m_access(m_config.domains, m_config.allow, restrictedToAllowList(m_config))
    , m_stream(stream)
    , m_quota(quota)
    , m_clock([] { return static_cast<int64_t>(QDateTime::currentSecsSinceEpoch()); })
{
    if (m_stream) {
        connect(m_stream, &ComponentStream::stanzaReceived, this, [this](const XmlNode &s) {
            const XmlNode answer = handle(s);
            if (!answer.name().isEmpty())
                m_stream->send(answer);
        });
    }
}

XmlNode ComponentService::handle(const XmlNode &stanza)
{
    if (stanza.name() != QLatin1String("iq") || stanza.ns() != ComponentStream::kComponentNs)
        return {}; // messages and presence: nothing to say
    const QString type = stanza.attribute(QStringLiteral("type"));
    if (type != QLatin1String("get") && type != QLatin1String("set"))
        return {}; // results and errors are never answered (RFC 6120 Section 8.2.3)
    // RFC 6120 Section 8.2.3: exactly one payload child.
    if (stanza.children().size() != 1)
        return errorReply(stanza, QStringLiteral("bad-request"),
            QStringLiteral("an IQ %1 must carry exactly one child element").arg(type));
    const XmlNode &payload = stanza.children().front();

    if (type == QLatin1String("get") && payload.name() == QLatin1String("query")
        && payload.ns() == kDiscoInfoNs) {
        if (auto s = m_keys.advance(m_clock()); !s.ok())
            return errorReply(stanza, QStringLiteral("internal-server-error"),
                QStringLiteral("the issuer key is unavailable"));
        XmlNode reply = replyTo(stanza, QStringLiteral("result"));
        reply.appendChild(discoInfo());
        return reply;
    }
    if (type == QLatin1String("get") && payload.name() == QLatin1String("query")
        && payload.ns() == kDiscoItemsNs) {
        XmlNode reply = replyTo(stanza, QStringLiteral("result"));
        reply.appendChild(XmlNode(QStringLiteral("query"), kDiscoItemsNs));
        return reply;
    }
    if (type == QLatin1String("get") && payload.name() == QLatin1String("ping")
        && payload.ns() == kPingNs)
        return replyTo(stanza, QStringLiteral("result"));
    if (payload.ns() == kTokensNs) {
        if (type != QLatin1String("set") || payload.name() != QLatin1String("request"))
            return errorReply(stanza, QStringLiteral("bad-request"),
                QStringLiteral("token issuance is an IQ set carrying <request xmlns='%1'/>")
                    .arg(kTokensNs));
        return issueTokens(stanza, payload);
    }
    return errorReply(stanza, QStringLiteral("service-unavailable"),
        QStringLiteral("this component does not answer <%1 xmlns='%2'/>")
            .arg(payload.name(), payload.ns()));
}

XmlNode ComponentService::discoInfo() const
{
    XmlNode query(QStringLiteral("query"), kDiscoInfoNs);
    XmlNode identity(QStringLiteral("identity"), kDiscoInfoNs);
    identity.setAttribute(QStringLiteral("category"), QStringLiteral("component"));
    identity.setAttribute(QStringLiteral("type"), QStringLiteral("generic"));
    identity.setAttribute(QStringLiteral("name"), QStringLiteral("Sotto private processing"));
    query.appendChild(std::move(identity));
    for (const auto &f : { kDiscoInfoNs, kDiscoItemsNs, kPingNs, kTokensNs,
             QString::fromStdString(std::string(kServiceFormType)) }) {
        XmlNode feature(QStringLiteral("feature"), kDiscoInfoNs);
        feature.setAttribute(QStringLiteral("var"), f);
        query.appendChild(std::move(feature));
    }
    // XEP-0128 Section 2: the extension is a form of type "result" inside the query.
    XmlNode form(QStringLiteral("x"), kDataFormsNs);
    form.setAttribute(QStringLiteral("type"), QStringLiteral("result"));
    for (const auto &f : discoveryFormFields(m_config, m_keys.current().spki)) {
        XmlNode field(QStringLiteral("field"), kDataFormsNs);
        field.setAttribute(QStringLiteral("var"), qs(f.var));
        field.setAttribute(QStringLiteral("type"), qs(f.type));
        for (const auto &v : f.values) {
            XmlNode value(QStringLiteral("value"), kDataFormsNs);
            value.setText(qs(v));
            field.appendChild(std::move(value));
        }
        form.appendChild(std::move(field));
    }
    query.appendChild(std::move(form));
    return query;
}

XmlNode ComponentService::issueTokens(const XmlNode &iq, const XmlNode &request)
{
    const int64_t now = m_clock();
    auto who = m_access.check(iq.attribute(QStringLiteral("from")).toStdString());
    if (!who.ok())
        return issuanceError(iq, who.failure());
    if (auto s = m_keys.advance(now); !s.ok()) {
        qCWarning(lcService).noquote() << "issuer key:" << qs(s.detail());
        return errorReply(iq, QStringLiteral("internal-server-error"),
            QStringLiteral("the issuer key is unavailable"));
    }
    // Yesterday still matters (clocks differ); older days are forgotten once a day.
    if (const int64_t keepFrom = utcDay(now) - 1; keepFrom > m_prunedBefore) {
        if (auto s = m_quota->pruneBefore(keepFrom); s.ok())
            m_prunedBefore = keepFrom;
        else
            qCWarning(lcService).noquote() << qs(s.detail());
    }
    const IssuerKey &key = m_keys.current();
    auto requests = validateIssuanceRequest(readIssuanceRequest(request), key, m_config.batchLimit);
    if (!requests.ok())
        return issuanceError(iq, requests.failure());

    std::vector<Bytes> responses;
    uint32_t remaining = 0;
    const uint32_t asked = static_cast<uint32_t>(requests->size());
    auto charged
        = m_quota->charge(*who, utcDay(now), [&](uint32_t used) -> IssuanceResult<uint32_t> {
              SOTTO_TRY(const QuotaGrant grant, decideQuota(used, asked, m_config.quotaPerDay));
              std::vector<privacypass::TokenRequest> granted(
                  requests->begin(), requests->begin() + grant.granted);
              SOTTO_TRY(responses, signTokenRequests(key, granted));
              remaining = grant.remainingAfter;
              return grant.granted;
          });
    if (!charged.ok()) {
        if (charged.error() == IssuanceError::Internal)
            qCWarning(lcService).noquote() << qs(charged.detail());
        return issuanceError(iq, charged.failure());
    }

    XmlNode reply = replyTo(iq, QStringLiteral("result"));
    XmlNode response(QStringLiteral("response"), kTokensNs);
    response.setAttribute(QStringLiteral("remaining"), QString::number(remaining));
    for (const auto &r : responses) {
        XmlNode tr(QStringLiteral("token-response"), kTokensNs);
        tr.setText(QString::fromLatin1(
            QByteArray(reinterpret_cast<const char *>(r.data()), static_cast<int>(r.size()))
                .toBase64()));
        response.appendChild(std::move(tr));
    }
    reply.appendChild(std::move(response));
    qCInfo(lcService) << "issued" << responses.size() << "of" << asked << "tokens";
    return reply;
}

} // namespace sotto::component
