// SPDX-License-Identifier: GPL-3.0-or-later
#include "plugin/server/quota_store.h"

#include <QCryptographicHash>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <atomic>

namespace sotto::component {

namespace {

QString userKey(const std::string &bareJid)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(QByteArray::fromStdString(bareJid), QCryptographicHash::Sha256)
            .toHex());
}

Failure<IssuanceError> dbFailure(const QString &what, const QSqlError &e)
{
    return fail(IssuanceError::Internal,
        (QStringLiteral("quota database: %1 failed: %2").arg(what, e.text())).toStdString());
}

} // namespace

QuotaStore::~QuotaStore()
{
    if (m_connection.isEmpty())
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

IssuanceStatus QuotaStore::open(const QString &path)
{
    static std::atomic<int> counter { 0 };
    m_connection = QStringLiteral("sotto-quota-%1").arg(counter++);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    if (!db.isValid())
        return fail(IssuanceError::Internal,
            std::string("the Qt SQLite driver (QSQLITE) is not available: install "
                        "libqt5sql5-sqlite"));
    db.setDatabaseName(path);
    if (!db.open())
        return dbFailure(QStringLiteral("opening ") + path, db.lastError());
    QSqlQuery q(db);
    // WAL with synchronous = NORMAL: a commit is an append to the WAL in the OS's cache before
    // the tokens leave, so a crash or restart of the component loses no charge; only a power
    // failure may forget the last moments' charges (fsync happens at checkpoints). FULL would
    // add an fsync to every issuance: 10 ms instead of 2 ms here (docs/PERFORMANCE.md).
    for (const auto *sql :
        { "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA busy_timeout = 5000",
            "CREATE TABLE IF NOT EXISTS quota (user TEXT NOT NULL, day INTEGER NOT NULL, "
            "used INTEGER NOT NULL, PRIMARY KEY (user, day))" }) {
        if (!q.exec(QString::fromLatin1(sql)))
            return dbFailure(QString::fromLatin1(sql), q.lastError());
    }
    return Done {};
}

IssuanceResult<uint32_t> QuotaStore::used(const std::string &bareJid, int64_t day)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT used FROM quota WHERE user = ? AND day = ?"));
    q.addBindValue(userKey(bareJid));
    q.addBindValue(static_cast<qlonglong>(day));
    if (!q.exec())
        return dbFailure(QStringLiteral("reading the quota"), q.lastError());
    if (!q.next())
        return 0u;
    return static_cast<uint32_t>(q.value(0).toLongLong());
}

IssuanceResult<uint32_t> QuotaStore::charge(const std::string &bareJid, int64_t day,
    const std::function<IssuanceResult<uint32_t>(uint32_t used)> &decide)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery q(db);
    // IMMEDIATE: a second process on the same file waits instead of double-spending a quota.
    if (!q.exec(QStringLiteral("BEGIN IMMEDIATE")))
        return dbFailure(QStringLiteral("starting a transaction"), q.lastError());
    const auto rollback = [&] { QSqlQuery(db).exec(QStringLiteral("ROLLBACK")); };
    auto usedNow = used(bareJid, day);
    if (!usedNow.ok()) {
        rollback();
        return usedNow.failure();
    }
    auto issued = decide(*usedNow);
    if (!issued.ok()) {
        rollback();
        return issued.failure();
    }
    q.prepare(QStringLiteral("INSERT INTO quota (user, day, used) VALUES (?, ?, ?) "
                             "ON CONFLICT (user, day) DO UPDATE SET used = used + excluded.used"));
    q.addBindValue(userKey(bareJid));
    q.addBindValue(static_cast<qlonglong>(day));
    q.addBindValue(static_cast<qlonglong>(*issued));
    if (!q.exec()) {
        auto f = dbFailure(QStringLiteral("recording the quota"), q.lastError());
        rollback();
        return f;
    }
    if (!q.exec(QStringLiteral("COMMIT"))) {
        auto f = dbFailure(QStringLiteral("committing the quota"), q.lastError());
        rollback();
        return f;
    }
    return issued;
}

IssuanceStatus QuotaStore::pruneBefore(int64_t day)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery q(db);
    q.prepare(QStringLiteral("DELETE FROM quota WHERE day < ?"));
    q.addBindValue(static_cast<qlonglong>(day));
    if (!q.exec())
        return dbFailure(QStringLiteral("pruning old days"), q.lastError());
    return Done {};
}

} // namespace sotto::component
