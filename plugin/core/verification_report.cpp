// SPDX-License-Identifier: GPL-3.0-or-later
#include "plugin/core/verification_report.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace sotto::client {

QJsonObject VerificationReport::toJson() const
{
    QJsonObject timings;
    // Milliseconds with microsecond resolution: the warm overhead is a few ms.
    for (const auto &[step, us] : timingsUs)
        timings.insert(step, static_cast<double>(us) / 1000.0);
    return QJsonObject {
        { QStringLiteral("platform"), platform },
        { QStringLiteral("generation"), generation },
        { QStringLiteral("provider"), provider },
        { QStringLiteral("simulated"), simulated },
        // "verified" only when every check passed on real hardware; a report
        // that stopped early says so.
        { QStringLiteral("status"),
            !complete       ? QStringLiteral("not-verified")
                : simulated ? QStringLiteral("development")
                            : QStringLiteral("verified") },
        { QStringLiteral("measurement"), measurement },
        { QStringLiteral("reported_tcb"), reportedTcb },
        { QStringLiteral("vmpl"), static_cast<qint64>(vmpl) },
        { QStringLiteral("guest_svn"), static_cast<qint64>(guestSvn) },
        { QStringLiteral("vcek_sha256"), vcekSha256 },
        { QStringLiteral("not_after"), notAfter },
        { QStringLiteral("log"),
            QJsonObject {
                { QStringLiteral("origin"), logOrigin },
                { QStringLiteral("checkpoint_size"), static_cast<qint64>(checkpointSize) },
                { QStringLiteral("checkpoint_root"), checkpointRoot },
                { QStringLiteral("index"), static_cast<qint64>(logIndex) },
                { QStringLiteral("witnesses"), QJsonArray::fromStringList(witnesses) },
                { QStringLiteral("witness_quorum"), witnessQuorum },
                { QStringLiteral("consistent_with_size"),
                    static_cast<qint64>(previousCheckpointSize) },
            } },
        { QStringLiteral("release"),
            QJsonObject {
                { QStringLiteral("version"), releaseVersion },
                { QStringLiteral("source"), releaseSource },
                { QStringLiteral("image"), releaseImage },
            } },
        { QStringLiteral("key_id"), keyId },
        { QStringLiteral("key_configs_sha256"), keyConfigsSha256 },
        { QStringLiteral("relay"), relay },
        { QStringLiteral("component"), component },
        { QStringLiteral("from_cache"), fromCache },
        { QStringLiteral("timings_ms"), timings },
    };
}

double VerificationReport::timingMs(const QString &step) const
{
    for (const auto &[name, us] : timingsUs) {
        if (name == step)
            return static_cast<double>(us) / 1000.0;
    }
    return -1;
}

QString VerificationReport::summary() const
{
    const QString status = simulated ? QCoreApplication::translate("sotto::client",
                               "DEVELOPMENT (simulated TEE, not verified hardware)")
                                     : QCoreApplication::translate("sotto::client", "verified");
    if (relay.isEmpty())
        return QCoreApplication::translate("sotto::client",
            "%1: %2 %3, measurement %4…, TCB %5\n"
            "log %6: entry %7 of %8, cosigned by %9; key %10")
            .arg(status, platform, generation, measurement.left(16), reportedTcb, logOrigin)
            .arg(logIndex)
            .arg(checkpointSize)
            .arg(witnesses.join(QStringLiteral(", ")))
            .arg(keyId);
    return QCoreApplication::translate("sotto::client",
        "%1: %2 %3, measurement %4…, TCB %5\n"
        "log %6: entry %7 of %8, cosigned by %9; relay %10, key %11")
        .arg(status, platform, generation, measurement.left(16), reportedTcb, logOrigin)
        .arg(logIndex)
        .arg(checkpointSize)
        .arg(witnesses.join(QStringLiteral(", ")), relay)
        .arg(keyId);
}

} // namespace sotto::client
