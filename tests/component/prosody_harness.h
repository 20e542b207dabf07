// SPDX-License-Identifier: GPL-3.0-or-later
// A real Prosody for tests, through deploy/stack/prosody-up.sh and prosody-down.sh (the same
// scripts `./sotto stack up` uses): loopback only, free ports, registered users, started as
// the prosody user and stopped by its pid. Each harness owns a fresh temporary folder.
#pragma once

#include "protocol/common/result.h"

#include <QString>
#include <QTemporaryDir>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace sotto::test {

enum class HarnessError {
    ScriptFailed, // a deploy/stack script exited non-zero (the detail has its output)
    BadState,     // prosody.json missing or malformed
};

struct ProsodyOptions {
    QString domain = QStringLiteral("sotto.test");
    QString component = QStringLiteral("pp.sotto.test");
    QString secret = QStringLiteral("component-secret-0123456789");
    QStringList vhosts;                             // extra VirtualHosts
    std::vector<std::pair<QString, QString>> users; // name[@vhost], password
    bool configureOnly = false;                     // write and register, do not start
};

class ProsodyHarness {
public:
    static Result<std::unique_ptr<ProsodyHarness>, HarnessError> create(const ProsodyOptions &o);
    ~ProsodyHarness();

    // Starts again from the same folder (same ports and users): prosody-up.sh --restart.
    Status<HarnessError> start();
    // Stops by pid (prosody-down.sh); a stopped harness may start() again.
    Status<HarnessError> stop();

    bool running() const { return m_pid > 0; }
    qint64 pid() const { return m_pid; }
    quint16 c2sPort() const { return m_c2sPort; }
    quint16 componentPort() const { return m_componentPort; }
    const ProsodyOptions &options() const { return m_options; }
    // A folder beside Prosody's for the test's own files (component config, state).
    QString scratchDir() const;

private:
    ProsodyHarness() = default;
    Status<HarnessError> readState();

    ProsodyOptions m_options;
    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_dir;
    qint64 m_pid = 0;
    quint16 m_c2sPort = 0;
    quint16 m_componentPort = 0;
};

// Runs a script in deploy/stack with arguments; its exit status and merged output.
Result<QString, HarnessError> runStackScript(const QString &script, const QStringList &args);

} // namespace sotto::test
