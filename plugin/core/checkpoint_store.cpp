// SPDX-License-Identifier: GPL-3.0-or-later
#include "plugin/core/checkpoint_store.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QSaveFile>

namespace sotto::client {

QString CheckpointStore::pathFor(const QString &origin) const
{
    // The origin is free text; its hash makes a safe file name.
    const QByteArray h = QCryptographicHash::hash(origin.toUtf8(), QCryptographicHash::Sha256);
    return QDir(m_dir).filePath(
        QStringLiteral("checkpoint-") + QString::fromLatin1(h.toHex().left(32)));
}

ClientResult<std::optional<tlog::Checkpoint>> CheckpointStore::load(const QString &origin) const
{
    QFile file(pathFor(origin));
    if (!file.exists())
        return std::optional<tlog::Checkpoint> {};
    if (!file.open(QIODevice::ReadOnly))
        return fail(ClientError::TrustStoreFailed,
            (file.fileName() + QStringLiteral(": ") + file.errorString()).toStdString());
    const QByteArray text = file.readAll();
    auto checkpoint = tlog::parseCheckpoint(
        std::string_view(text.constData(), static_cast<size_t>(text.size())));
    if (!checkpoint.ok())
        return fail(ClientError::TrustStoreFailed,
            file.fileName().toStdString() + ": " + checkpoint.detail());
    if (QString::fromStdString(checkpoint->origin) != origin)
        return fail(ClientError::TrustStoreFailed,
            file.fileName().toStdString() + ": holds another log's checkpoint");
    return std::optional<tlog::Checkpoint>(std::move(checkpoint).value());
}

ClientStatus CheckpointStore::save(const tlog::Checkpoint &checkpoint) const
{
    if (!QDir().mkpath(m_dir))
        return fail(ClientError::TrustStoreFailed, "cannot create " + m_dir.toStdString());
    QSaveFile file(pathFor(QString::fromStdString(checkpoint.origin)));
    if (!file.open(QIODevice::WriteOnly))
        return fail(ClientError::TrustStoreFailed,
            (file.fileName() + QStringLiteral(": ") + file.errorString()).toStdString());
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    const std::string body = tlog::formatCheckpoint(checkpoint);
    file.write(body.data(), static_cast<qint64>(body.size()));
    if (!file.commit())
        return fail(ClientError::TrustStoreFailed,
            (file.fileName() + QStringLiteral(": ") + file.errorString()).toStdString());
    return Done {};
}

} // namespace sotto::client
