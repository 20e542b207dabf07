// SPDX-License-Identifier: GPL-3.0-or-later
// ChatSettings: the chats for which the user turned private processing off
// (issue 9, "per-chat opt-out"), kept in the profile as one 0600 file:
//     {"version": 0, "turned_off": ["bob@example.org", "team@rooms.example.org"]}
// Chats are bare JIDs (a contact or a room), compared with the domain and
// the local part lowercased (RFC 7622: both are case-insensitive for the
// ASCII letters addresses here use). ProcessingSession asks it for every
// chat it knows the address of; the Psi+ plugin's per-chat switch and
// `sotto chat off|on` write it. A file that cannot be read is an error, so
// a request never goes out because the user's choice could not be read.
#pragma once

#include "plugin/core/errors.h"

#include <QString>
#include <QStringList>

namespace sotto::client {

class ChatSettings {
public:
    explicit ChatSettings(QString filePath)
        : m_path(std::move(filePath))
    { }
    // The settings of a profile folder: its chats.json.
    static ChatSettings inProfile(const QString &profileDir);

    // The chat's bare JID as it is stored: no resource, domain and local part
    // lowercased. An empty string for what is not a JID.
    static QString normalize(const QString &jid);

    ClientResult<bool> isTurnedOff(const QString &chatJid) const;
    ClientResult<QStringList> turnedOff() const; // sorted
    // Turns processing off (or back on) for the chat; atomic (a crash leaves
    // the old file or the new one).
    ClientStatus setTurnedOff(const QString &chatJid, bool off) const;

    const QString &path() const { return m_path; }

private:
    ClientStatus write(const QStringList &chats) const;
    QString m_path;
};

} // namespace sotto::client
