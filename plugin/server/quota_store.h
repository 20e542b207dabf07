// SPDX-License-Identifier: GPL-3.0-or-later
// QuotaStore: tokens issued per bare JID per UTC day, in SQLite (Qt Sql), so that a restart
// of the component does not hand out a second day's worth. The JID is stored as its SHA-256
// (hex): the table says how many tokens someone took, not who, to a casual reader. Each
// issuance runs in one IMMEDIATE transaction: read, decide, sign, write, commit.
#pragma once

#include "plugin/server/token_issuance.h"

#include <QSqlDatabase>
#include <QString>

#include <functional>

namespace sotto::component {

class QuotaStore {
public:
    QuotaStore() = default;
    ~QuotaStore();
    QuotaStore(const QuotaStore &) = delete;
    QuotaStore &operator=(const QuotaStore &) = delete;

    // Opens (creating) the database file; Internal with the reason on failure.
    IssuanceStatus open(const QString &path);

    // Tokens already issued to `bareJid` on `day`.
    IssuanceResult<uint32_t> used(const std::string &bareJid, int64_t day);

    // Within one transaction: reads today's use, lets `decide(used)` return how many tokens
    // it issued (or a failure, which rolls back), and adds that many.
    IssuanceResult<uint32_t> charge(const std::string &bareJid, int64_t day,
        const std::function<IssuanceResult<uint32_t>(uint32_t used)> &decide);

    // Forgets days before `day` (their quota no longer matters).
    IssuanceStatus pruneBefore(int64_t day);

private:
    QString m_connection;
};

} // namespace sotto::component
