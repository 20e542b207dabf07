// SPDX-License-Identifier: GPL-3.0-or-later
#include "plugin/core/chat_settings.h"

#include "plugin/core/private_file.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace sotto::client {

namespace {

constexpr qint64 kMaxFileBytes = 1024 * 1024;

Failure<ClientError> invalid(const QString &detail)
{
    return fail(ClientError::ChatSettingsInvalid, detail.toStdString());
}

} // namespace

ChatSettings ChatSettings::inProfile(const QString &profileDir)
{
    return ChatSettings(QDir(profileDir).filePath(QStringLiteral("chats.json")));
}

QString ChatSettings::normalize(const QString &jid)
{
    QString bare = jid.trimmed();
    const auto slash = bare.indexOf(QLatin1Char('/'));
    if (slash >= 0)
        bare.truncate(slash);
    const auto at = bare.indexOf(QLatin1Char('@'));
    const QString domain = bare.mid(at + 1);
    if (bare.isEmpty() || domain.isEmpty() || at == 0 || domain.contains(QLatin1Char('@'))
        || bare.contains(QLatin1Char(' ')))
        return {};
    return bare.toLower();
}

ClientResult<QStringList> ChatSettings::turnedOff() const
{
    QFile file(m_path);
    if (!file.exists())
        return QStringList {};
    if (!file.open(QIODevice::ReadOnly))
        return invalid(m_path + QStringLiteral(": ") + file.errorString());
    if (file.size() > kMaxFileBytes)
        return invalid(m_path + QStringLiteral(" is larger than 1 MiB"));
    QJsonParseError error {};
    const auto doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()
        || doc.object().value(QStringLiteral("version")).toInt(-1) != 0
        || !doc.object().value(QStringLiteral("turned_off")).isArray())
        return invalid(m_path + QStringLiteral(" is not a version 0 chat settings file"));
    QStringList chats;
    for (const auto &v : doc.object().value(QStringLiteral("turned_off")).toArray()) {
        const QString jid = normalize(v.toString());
        if (!v.isString() || jid.isEmpty())
            return invalid(m_path + QStringLiteral(": an entry of turned_off is not a JID"));
        chats.append(jid);
    }
    chats.sort();
    chats.removeDuplicates();
    return chats;
}

ClientResult<bool> ChatSettings::isTurnedOff(const QString &chatJid) const
{
    auto chats = turnedOff();
    if (!chats.ok())
        return chats.failure();
    return chats->contains(normalize(chatJid));
}

ClientStatus ChatSettings::setTurnedOff(const QString &chatJid, bool off) const
{
    const QString jid = normalize(chatJid);
    if (jid.isEmpty())
        return invalid(QStringLiteral("\"%1\" is not a chat's address (a JID)").arg(chatJid));
    auto chats = turnedOff();
    if (!chats.ok())
        return chats.failure();
    QStringList next = *chats;
    next.removeAll(jid);
    if (off)
        next.append(jid);
    next.sort();
    if (next == *chats && QFile::exists(m_path))
        return Done {};
    return write(next);
}

ClientStatus ChatSettings::write(const QStringList &chats) const
{
    const QJsonObject root { { QStringLiteral("version"), 0 },
        { QStringLiteral("turned_off"), QJsonArray::fromStringList(chats) } };
    if (const auto why = savePrivateFile(m_path, QJsonDocument(root).toJson(QJsonDocument::Indented)))
        return invalid(*why);
    return Done {};
}

} // namespace sotto::client
