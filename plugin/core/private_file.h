// SPDX-License-Identifier: GPL-3.0-or-later
// The profile's files (tokens, trusted checkpoints, per-chat settings) are
// the user's alone: written whole or not at all, 0600 from the first byte.
#pragma once

#include <QByteArray>
#include <QFileDevice>
#include <QString>

#include <optional>

namespace sotto::client {

inline constexpr auto kOwnerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

// Replaces `path` with `bytes` through QSaveFile (a temporary file, fsynced,
// renamed over the old one: a crash leaves the old file or the new one),
// restricted to the owner before anything is written, creating the parent
// folder. std::nullopt on success, else why not (naming the file).
std::optional<QString> savePrivateFile(const QString &path, const QByteArray &bytes);

} // namespace sotto::client
