// SPDX-License-Identifier: GPL-3.0-or-later
// The real sotto-component as a child process for tests: a configuration file written from
// ComponentSettings, the process started with it, its log read to know when it is connected,
// and SIGTERM by pid to stop it. Plus waitUntil(), which runs the Qt event loop until a
// condition holds (bounded only to end a hung test, never as an assertion about speed).
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace sotto::test {

struct ComponentSettings {
    QString jid = QStringLiteral("pp.sotto.test");
    QString secret = QStringLiteral("component-secret-0123456789");
    quint16 port = 0;
    QString stateDir;
    QStringList domains { QStringLiteral("sotto.test") };
    QStringList allow;
    int quotaPerDay = 50;
    int batchLimit = 20;
    QString issuerName = QStringLiteral("pp.sotto.test");
    QString gatewayOrigin = QStringLiteral("gateway.sotto.test");
};

// The INI text of /etc/sotto/component.conf for these settings.
QString componentConfigText(const ComponentSettings &s);
bool writeComponentConfig(const QString &path, const ComponentSettings &s);

// Runs the Qt event loop until `done()` or `limitMs` (a liveness bound) passes.
bool waitUntil(const std::function<bool()> &done, int limitMs = 120'000);

class ComponentProcess {
public:
    explicit ComponentProcess(QString configPath);
    ~ComponentProcess();

    bool start(const QStringList &extraArgs = {});
    // Waits until the log shows `needle` at least `count` times (or the process ends).
    bool waitForLog(const QString &needle, int count = 1, int limitMs = 120'000);
    int logCount(const QString &needle);
    QString log();
    bool running() const;
    // SIGTERM by pid, then waits for the exit; the exit code (-1 if it crashed).
    int stop();
    // SIGKILL: a crash, no chance to close anything.
    void kill();

private:
    QString m_config;
    std::unique_ptr<QProcess> m_process;
    QString m_log;
};

// Runs sotto-component to completion (--check-config, --print-issuer-keys).
struct ToolRun {
    int exitCode = -1;
    QString out;
    QString err;
};
ToolRun runComponentTool(const QStringList &args);

} // namespace sotto::test
