// SPDX-License-Identifier: GPL-3.0-or-later
#include "plugin/core/request_history.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

namespace sotto::client {

QJsonObject HistoryEntry::toJson() const
{
    return QJsonObject {
        { QStringLiteral("time"), time.toUTC().toString(Qt::ISODate) },
        { QStringLiteral("feature"), feature },
        { QStringLiteral("ok"), !error.has_value() },
        { QStringLiteral("error"), error ? errorName(*error) : QString() },
        { QStringLiteral("verification"), verification.toJson() },
    };
}

ClientStatus RequestHistory::append(const HistoryEntry &entry) const
{
    const QFileInfo info(m_path);
    if (!QDir().mkpath(info.absolutePath()))
        return fail(
            ClientError::WalletStorageFailed, "cannot create " + info.absolutePath().toStdString());
    QFile file(m_path);
    const bool existed = file.exists();
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append))
        return fail(ClientError::WalletStorageFailed,
            (m_path + QStringLiteral(": ") + file.errorString()).toStdString());
    if (!existed)
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(QJsonDocument(entry.toJson()).toJson(QJsonDocument::Compact) + '\n');
    return Done {};
}

ClientResult<QVector<QJsonObject>> RequestHistory::entries() const
{
    QVector<QJsonObject> out;
    QFile file(m_path);
    if (!file.exists())
        return out;
    if (!file.open(QIODevice::ReadOnly))
        return fail(ClientError::WalletStorageFailed,
            (m_path + QStringLiteral(": ") + file.errorString()).toStdString());
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (line.isEmpty())
            continue;
        const auto doc = QJsonDocument::fromJson(line);
        if (doc.isObject())
            out.append(doc.object());
    }
    return out;
}

} // namespace sotto::client
