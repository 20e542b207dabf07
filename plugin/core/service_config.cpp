// SPDX-License-Identifier: GPL-3.0-or-later
#include "plugin/core/service_config.h"

#include "protocol/privacypass/token.h"
#include "protocol/tlog/note.h"

#include <QHash>

namespace sotto::client {

namespace {

using Fields = QHash<QString, QStringList>;

Failure<ClientError> invalid(const QString &why)
{
    return fail(ClientError::ServiceFormInvalid, why.toStdString());
}

// XEP-0004 Section 3.2: each <field var=...> holds zero or more <value/>.
Fields readFields(const XmlElement &form)
{
    Fields fields;
    for (const auto &field : form.childrenNamed(QStringLiteral("field"))) {
        QStringList values;
        for (const auto &v : field.childrenNamed(QStringLiteral("value")))
            values.append(v.text());
        fields.insert(field.attribute(QStringLiteral("var")), values);
    }
    return fields;
}

QString single(const Fields &f, const QString &var)
{
    const auto it = f.find(var);
    if (it == f.end() || it->isEmpty())
        return {};
    return it->front().trimmed();
}

// text-multi and list-multi fields; text-multi values may also carry one
// item per line (XEP-0004 Section 3.3 allows either reading).
QStringList multi(const Fields &f, const QString &var)
{
    QStringList out;
    for (const auto &v : f.value(var)) {
        for (const auto &line : v.split(QLatin1Char('\n'))) {
            const QString t = line.trimmed();
            if (!t.isEmpty())
                out.append(t);
        }
    }
    return out;
}

bool isHttpUrl(const QUrl &url)
{
    return url.isValid() && !url.isRelative() && !url.host().isEmpty()
        && (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https"));
}

// XEP-0004 Section 3.3 boolean: "0"/"false" or "1"/"true".
std::optional<bool> parseBool(const QString &v)
{
    if (v == QLatin1String("1") || v == QLatin1String("true"))
        return true;
    if (v == QLatin1String("0") || v == QLatin1String("false") || v.isEmpty())
        return false;
    return std::nullopt;
}

} // namespace

QString ServiceConfig::gatewayAuthority() const
{
    const auto scheme = gatewayOrigin.indexOf(QLatin1String("://"));
    QString authority = scheme >= 0 ? gatewayOrigin.mid(scheme + 3) : gatewayOrigin;
    const auto slash = authority.indexOf(QLatin1Char('/'));
    if (slash >= 0)
        authority.truncate(slash);
    return authority;
}

QString ServiceConfig::logOrigin() const
{
    // A verifier key is "<name>+<hex key id>+<base64 key>".
    return logKey.section(QLatin1Char('+'), 0, 0);
}

ClientResult<snp::TcbMinimum> parseTcbMinimum(const QString &text)
{
    snp::TcbMinimum tcb;
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return tcb;
    for (const auto &part : trimmed.split(QLatin1Char(','))) {
        const auto kv = part.split(QLatin1Char('='));
        bool ok = false;
        const uint v = kv.size() == 2 ? kv[1].trimmed().toUInt(&ok) : 0;
        if (!ok || v > 255)
            return invalid(QStringLiteral("tee-min-tcb: \"%1\" is not name=0..255").arg(part));
        const QString name = kv[0].trimmed();
        const auto b = static_cast<uint8_t>(v);
        if (name == QLatin1String("bootloader"))
            tcb.bootloader = b;
        else if (name == QLatin1String("tee"))
            tcb.tee = b;
        else if (name == QLatin1String("snp"))
            tcb.snp = b;
        else if (name == QLatin1String("microcode"))
            tcb.microcode = b;
        else if (name == QLatin1String("fmc"))
            tcb.fmc = b;
        else
            return invalid(QStringLiteral("tee-min-tcb: unknown component \"%1\"").arg(name));
    }
    return tcb;
}

ClientResult<ServiceConfig> parseServiceForm(const XmlElement &query, const QString &componentJid)
{
    const XmlElement *form = nullptr;
    Fields fields;
    for (const auto &x : query.children()) {
        if (x.name() != QLatin1String("x") || x.ns() != kDataFormsNs)
            continue;
        Fields f = readFields(x);
        // XEP-0128: the FORM_TYPE hidden field names the form.
        if (single(f, QStringLiteral("FORM_TYPE")) == kServiceFormType) {
            if (form)
                return invalid(QStringLiteral("two urn:sotto:pp:0 forms"));
            form = &x;
            fields = std::move(f);
        }
    }
    if (!form)
        return fail(ClientError::ServiceNotFound,
            componentJid.toStdString() + " has no urn:sotto:pp:0 form");

    ServiceConfig c;
    c.componentJid = componentJid;
    c.relayUrls = multi(fields, QStringLiteral("relay-url"));
    if (c.relayUrls.isEmpty())
        return invalid(QStringLiteral("relay-url: at least one relay is required"));
    for (const auto &r : c.relayUrls) {
        if (!isHttpUrl(QUrl(r)))
            return invalid(
                QStringLiteral("relay-url: \"%1\" is not an absolute http(s) URL").arg(r));
    }
    c.gatewayOrigin = single(fields, QStringLiteral("gateway-origin"));
    if (c.gatewayOrigin.isEmpty() || c.gatewayAuthority().isEmpty())
        return invalid(QStringLiteral("gateway-origin is missing"));

    const auto url = [&](const QString &var, QUrl &out) -> ClientStatus {
        out = QUrl(single(fields, var));
        if (!isHttpUrl(out))
            return invalid(QStringLiteral("%1: \"%2\" is not an absolute http(s) URL")
                               .arg(var, single(fields, var)));
        return Done {};
    };
    for (auto [var, out] : { std::pair { QStringLiteral("keys-url"), &c.keysUrl },
             std::pair { QStringLiteral("evidence-url"), &c.evidenceUrl },
             std::pair { QStringLiteral("log-url"), &c.logUrl } }) {
        if (auto s = url(var, *out); !s.ok())
            return s.failure();
    }

    c.logKey = single(fields, QStringLiteral("log-key"));
    if (auto v = tlog::NoteVerifier::parse(c.logKey.toStdString()); !v.ok())
        return invalid(QStringLiteral("log-key: ") + QString::fromStdString(v.detail()));
    c.witnessKeys = multi(fields, QStringLiteral("witness-key"));
    for (const auto &w : c.witnessKeys) {
        if (auto v = tlog::NoteVerifier::parse(w.toStdString()); !v.ok())
            return invalid(QStringLiteral("witness-key: ") + QString::fromStdString(v.detail()));
    }
    bool ok = false;
    const QString quorum = single(fields, QStringLiteral("witness-quorum"));
    c.witnessQuorum = quorum.isEmpty() ? 0 : quorum.toInt(&ok);
    if ((!quorum.isEmpty() && !ok) || c.witnessQuorum < 0 || c.witnessQuorum > c.witnessKeys.size())
        return invalid(QStringLiteral("witness-quorum: \"%1\" with %2 witness keys")
                           .arg(quorum)
                           .arg(c.witnessKeys.size()));

    c.issuerName = single(fields, QStringLiteral("issuer-name"));
    if (c.issuerName.isEmpty())
        return invalid(QStringLiteral("issuer-name is missing"));
    c.tokenKey = QByteArray::fromBase64(single(fields, QStringLiteral("token-key")).toLatin1());
    {
        const Bytes der(c.tokenKey.begin(), c.tokenKey.end());
        if (auto k = privacypass::IssuerPublicKey::fromSpkiDer(der); !k.ok())
            return invalid(QStringLiteral("token-key: ") + QString::fromStdString(k.detail()));
    }

    const QStringList platforms = multi(fields, QStringLiteral("tee-platform"));
    if (platforms.isEmpty()) {
        c.teePlatforms = { snp::Generation::Milan, snp::Generation::Genoa, snp::Generation::Turin };
    }
    for (const auto &p : platforms) {
        if (p == QLatin1String("milan"))
            c.teePlatforms.push_back(snp::Generation::Milan);
        else if (p == QLatin1String("genoa"))
            c.teePlatforms.push_back(snp::Generation::Genoa);
        else if (p == QLatin1String("turin"))
            c.teePlatforms.push_back(snp::Generation::Turin);
        else
            return invalid(QStringLiteral("tee-platform: unknown platform \"%1\"").arg(p));
    }
    auto tcb = parseTcbMinimum(single(fields, QStringLiteral("tee-min-tcb")));
    if (!tcb.ok())
        return tcb.failure();
    c.teeMinimumTcb = *tcb;
    const auto simulated = parseBool(single(fields, QStringLiteral("allow-simulated")));
    if (!simulated)
        return invalid(QStringLiteral("allow-simulated is not a boolean"));
    c.allowSimulated = *simulated;

    c.features = multi(fields, QStringLiteral("feature"));
    if (c.features.isEmpty())
        return invalid(QStringLiteral("feature: the service offers no feature"));
    const QString maxBytes = single(fields, QStringLiteral("max-request-bytes"));
    if (!maxBytes.isEmpty()) {
        c.maxRequestBytes = maxBytes.toLongLong(&ok);
        if (!ok || c.maxRequestBytes <= 0)
            return invalid(QStringLiteral("max-request-bytes: \"%1\"").arg(maxBytes));
    }
    const QString quota = single(fields, QStringLiteral("quota-per-day"));
    if (!quota.isEmpty()) {
        c.quotaPerDay = quota.toInt(&ok);
        if (!ok || c.quotaPerDay < 0)
            return invalid(QStringLiteral("quota-per-day: \"%1\"").arg(quota));
    }
    return c;
}

} // namespace sotto::client
