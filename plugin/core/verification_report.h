// SPDX-License-Identifier: GPL-3.0-or-later
// VerificationReport: everything the user is shown about one request's
// verification (issue 9): platform and generation, measurement, TCB,
// simulated or not, log origin, checkpoint size, entry index, the witnesses
// that cosigned, relay used, key id, the time each step took. It holds no
// content, no token and no JID of the user.
#pragma once

#include <QElapsedTimer>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>

#include <utility>

namespace sotto::client {

struct VerificationReport {
    // Attestation.
    QString platform;       // "sev-snp"
    QString generation;     // "Milan", "Genoa", "Turin"
    QString provider;       // "configfs-tsm", "sev-guest", "simulated"
    bool simulated = false; // shown as "development", never as verified
    bool complete = false;  // every check passed (set by the verifier, last)
    QString measurement;    // hex, 48 bytes
    QString reportedTcb;    // "bootloader=3 tee=0 snp=8 microcode=115"
    quint32 vmpl = 0;
    quint32 guestSvn = 0;
    QString vcekSha256;  // hex
    qint64 notAfter = 0; // unix seconds: the keys are trusted until then
    // Transparency log.
    QString logOrigin;
    quint64 checkpointSize = 0;
    QString checkpointRoot; // base64, as in the checkpoint
    quint64 logIndex = 0;
    QStringList witnesses; // names of the witnesses whose cosignature verified
    int witnessQuorum = 0;
    quint64 previousCheckpointSize
        = 0; // the trusted checkpoint it was proven consistent with (0: first)
    QString releaseVersion;
    QString releaseSource;
    QString releaseImage;
    // Keys and request.
    int keyId = -1;
    QString keyConfigsSha256; // hex of the application/ohttp-keys bytes
    QString relay;
    QString component; // the service's component JID
    bool fromCache = false;
    QVector<std::pair<QString, qint64>> timingsUs; // step name, microseconds

    // Records the time since `timer` started as `step` and restarts it.
    void addTiming(const QString &step, QElapsedTimer &timer)
    {
        timingsUs.append({ step, timer.nsecsElapsed() / 1000 });
        timer.restart();
    }
    // The recorded time of `step` in milliseconds, -1 if not recorded.
    double timingMs(const QString &step) const;
    QJsonObject toJson() const;
    // One or two lines for a terminal.
    QString summary() const;
};

} // namespace sotto::client
