// SPDX-License-Identifier: GPL-3.0-or-later
#include "plugin/core/private_file.h"

#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

namespace sotto::client {

std::optional<QString> savePrivateFile(const QString &path, const QByteArray &bytes)
{
    const QString dir = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(dir))
        return QStringLiteral("cannot create ") + dir;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return path + QStringLiteral(": ") + file.errorString();
    if (!file.setPermissions(kOwnerOnly))
        return path + QStringLiteral(": cannot restrict permissions");
    if (file.write(bytes) != bytes.size() || !file.commit())
        return path + QStringLiteral(": ") + file.errorString();
    return std::nullopt;
}

} // namespace sotto::client
