// SPDX-License-Identifier: GPL-3.0-or-later
#include "plugin/core/checkpoint_store.h"

#include "plugin/core/private_file.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>

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
    const std::string body = tlog::formatCheckpoint(checkpoint);
    if (const auto why = savePrivateFile(pathFor(QString::fromStdString(checkpoint.origin)),
            QByteArray::fromStdString(body)))
        return fail(ClientError::TrustStoreFailed, why->toStdString());
    return Done {};
}

} // namespace sotto::client
