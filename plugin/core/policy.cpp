// SPDX-License-Identifier: GPL-3.0-or-later
#include "plugin/core/policy.h"

#include <QFileInfo>
#include <QSettings>
#include <QUrl>

#include <algorithm>

namespace sotto::client {

namespace {

QStringList listValue(const QVariant &v)
{
    // QSettings gives a QStringList for "a, b" and a QString for one item.
    QStringList raw = v.toStringList();
    QStringList out;
    for (const auto &item : raw) {
        for (const auto &part : item.split(QLatin1Char(','))) {
            const QString t = part.trimmed();
            if (!t.isEmpty())
                out.append(t);
        }
    }
    return out;
}

std::optional<bool> boolValue(const QVariant &v, bool *ok)
{
    const QString s = v.toString().trimmed().toLower();
    *ok = true;
    if (s == QLatin1String("true") || s == QLatin1String("1") || s == QLatin1String("yes"))
        return true;
    if (s == QLatin1String("false") || s == QLatin1String("0") || s == QLatin1String("no"))
        return false;
    *ok = false;
    return std::nullopt;
}

const QStringList kKnownKeys = {
    QStringLiteral("forced-off"),
    QStringLiteral("allow-simulated"),
    QStringLiteral("minimum-witnesses"),
    QStringLiteral("allowed-relays"),
    QStringLiteral("disabled-features"),
    QStringLiteral("user-may-change"),
};

} // namespace

QString defaultAdminPolicyPath()
{
    return QStringLiteral("/etc/xdg/sotto/policy.conf");
}

ClientResult<AdminPolicy> loadAdminPolicy(const QString &path)
{
    AdminPolicy policy;
    const QFileInfo info(path);
    if (!info.exists())
        return policy;
    const auto bad = [&](const QString &why) {
        return fail(
            ClientError::PolicyFileInvalid, (path + QStringLiteral(": ") + why).toStdString());
    };
    if (!info.isReadable())
        return bad(QStringLiteral("not readable"));
    QSettings s(path, QSettings::IniFormat);
    if (s.status() != QSettings::NoError)
        return bad(QStringLiteral("not valid INI syntax"));
    s.beginGroup(QStringLiteral("policy"));
    for (const auto &key : s.childKeys()) {
        if (!kKnownKeys.contains(key))
            return bad(QStringLiteral("unknown setting \"%1\"").arg(key));
    }
    bool ok = true;
    if (s.contains(QStringLiteral("forced-off"))) {
        policy.forcedOff = boolValue(s.value(QStringLiteral("forced-off")), &ok).value_or(true);
        if (!ok)
            return bad(QStringLiteral("forced-off is not true or false"));
    }
    if (s.contains(QStringLiteral("allow-simulated"))) {
        policy.allowSimulated = boolValue(s.value(QStringLiteral("allow-simulated")), &ok);
        if (!ok)
            return bad(QStringLiteral("allow-simulated is not true or false"));
    }
    if (s.contains(QStringLiteral("minimum-witnesses"))) {
        policy.minimumWitnesses
            = s.value(QStringLiteral("minimum-witnesses")).toString().toInt(&ok);
        if (!ok || policy.minimumWitnesses < 0)
            return bad(QStringLiteral("minimum-witnesses is not a number"));
    }
    if (s.contains(QStringLiteral("allowed-relays")))
        policy.allowedRelays = listValue(s.value(QStringLiteral("allowed-relays")));
    policy.disabledFeatures = listValue(s.value(QStringLiteral("disabled-features")));
    policy.userMayChange = listValue(s.value(QStringLiteral("user-may-change")));
    return policy;
}

bool sameRelay(const QString &a, const QString &b)
{
    const auto norm = [](const QString &s) {
        return QUrl(s).adjusted(QUrl::StripTrailingSlash | QUrl::NormalizePathSegments);
    };
    return norm(a) == norm(b);
}

EffectivePolicy effectivePolicy(
    const ServiceConfig &service, const AdminPolicy &admin, const UserSettings &user)
{
    EffectivePolicy p;
    const auto userMay
        = [&](const char *key) { return admin.userMayChange.contains(QLatin1String(key)); };
    p.enabled = !admin.forcedOff;

    // allow-simulated (DESIGN.md step 4: "verifies only when the admin/dev
    // policy allows it"): the server's form can only offer it, since the
    // server is not trusted with content; this client's administrator (or a
    // user with leave) must accept it too, and a user may always refuse.
    bool clientAllows = admin.allowSimulated.value_or(false);
    if (user.allowSimulated && (!*user.allowSimulated || userMay("allow-simulated")))
        clientAllows = *user.allowSimulated;
    p.allowSimulated = service.allowSimulated && clientAllows;

    // Witnesses: a security floor, so the highest requirement wins; the user
    // may lower the admin's minimum only with leave, never below the server's
    // quorum or one.
    size_t quorum = std::max<size_t>(1, static_cast<size_t>(service.witnessQuorum));
    quorum = std::max(quorum, static_cast<size_t>(admin.minimumWitnesses));
    if (user.minimumWitnesses && *user.minimumWitnesses >= 0) {
        const auto wanted = static_cast<size_t>(*user.minimumWitnesses);
        if (wanted > quorum)
            quorum = wanted;
        else if (userMay("minimum-witnesses"))
            quorum = std::max({ wanted, static_cast<size_t>(service.witnessQuorum), size_t { 1 } });
    }
    p.witnessQuorum = quorum;

    // Relays: the server's, restricted by the admin, then by the user.
    for (const auto &relay : service.relayUrls) {
        const auto listed = [&](const QStringList &list) {
            return std::any_of(
                list.begin(), list.end(), [&](const QString &r) { return sameRelay(r, relay); });
        };
        if (admin.allowedRelays && !listed(*admin.allowedRelays))
            continue;
        if (user.allowedRelays && !listed(*user.allowedRelays))
            continue;
        p.relays.append(relay);
    }

    for (const auto &f : service.features) {
        if (!admin.disabledFeatures.contains(f) && !user.disabledFeatures.contains(f))
            p.features.append(f);
    }

    p.tee.allowedGenerations = service.teePlatforms;
    p.tee.minimumTcb = service.teeMinimumTcb;
    p.tee.allowDebug = false;
    p.tee.allowMigrationAgent = false;
    p.tee.requiredVmpl = 0;
    // protocol/snp refuses simulated evidence unless this says otherwise.
    p.tee.allowSimulated = p.allowSimulated;
    // The measurement is checked against the transparency log, not a list.
    p.tee.allowedMeasurements = std::nullopt;
    return p;
}

ChatDecision decideChatProcessing(const ChatProcessingInput &input)
{
    ChatDecision d;
    if (input.userOptedOut) {
        d.allowed = false;
        d.reason = ClientError::ChatTurnedOff;
        return d;
    }
    if (input.roomForbidsProcessing)
        d.allowed = false;
    for (const auto &m : input.messages) {
        if (m.noPrivateProcessing) {
            d.allowed = false;
            if (!m.from.isEmpty() && !d.requestedBy.contains(m.from))
                d.requestedBy.append(m.from);
        }
    }
    d.reason = ClientError::ChatOptedOut;
    return d;
}

bool messageForbidsProcessing(const XmlElement &message)
{
    return !message.firstChild(QStringLiteral("no-private-processing"), kNoProcessingNs).isNull();
}

bool roomFormForbidsProcessing(const XmlElement &query)
{
    for (const auto &x : query.childrenNamed(QStringLiteral("x"), kDataFormsNs)) {
        for (const auto &field : x.childrenNamed(QStringLiteral("field"))) {
            if (field.attribute(QStringLiteral("var")) != kRoomNoProcessingField)
                continue;
            // XEP-0004 3.3 boolean: "0"/"false" or "1"/"true". A value that is
            // neither is read as the room asking: the safe side.
            const auto value = field.firstChild(QStringLiteral("value"));
            const QString v = value.text().trimmed();
            if (!value.isNull() && v != QLatin1String("0") && v != QLatin1String("false"))
                return true;
        }
    }
    return false;
}

} // namespace sotto::client
