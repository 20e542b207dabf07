// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/component/component_harness.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QThread>

#include <csignal>

namespace sotto::test {

QString componentConfigText(const ComponentSettings &s)
{
    QString t;
    t += QStringLiteral("# written by a test\n[component]\n");
    t += QStringLiteral("jid = %1\nsecret = %2\nserver-host = 127.0.0.1\nserver-port = %3\n")
             .arg(s.jid, s.secret)
             .arg(s.port);
    t += QStringLiteral("state-dir = %1\n\n[issuance]\n").arg(s.stateDir);
    for (const auto &d : s.domains)
        t += QStringLiteral("domain = %1\n").arg(d);
    for (const auto &a : s.allow)
        t += QStringLiteral("allow = %1\n").arg(a);
    t += QStringLiteral("quota-per-day = %1\nbatch-limit = %2\nissuer-name = %3\n")
             .arg(s.quotaPerDay)
             .arg(s.batchLimit)
             .arg(s.issuerName);
    t += QStringLiteral("key-rotation-days = 30\n\n[service]\n");
    t += QStringLiteral("relay-url = http://127.0.0.1:8080/relay\n"
                        "relay-url = http://127.0.0.1:8081/relay\n");
    t += QStringLiteral("gateway-origin = %1\n").arg(s.gatewayOrigin);
    t += QStringLiteral("keys-url = http://127.0.0.1:8080/keys\n"
                        "evidence-url = http://127.0.0.1:8080/evidence\n"
                        "log-url = http://127.0.0.1:8082/log/\n"
                        "log-key = log.example.com+e6aa887b+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/"
                        "LDE4izWy10TW\n"
                        "witness-key = witness.example.net+b13d9f00+BBpc2QcUPDhMQegwxbzhKqiBfsVkmq"
                        "q/LDE4izWy10TW\n"
                        "witness-quorum = 1\n"
                        "tee-platform = milan\ntee-platform = genoa\n"
                        "tee-min-tcb = bootloader=3,tee=0,snp=8,microcode=115\n"
                        "allow-simulated = true\n"
                        "feature = summarize\nfeature = rewrite:formal\n"
                        "max-request-bytes = 32768\n");
    return t;
}

bool writeComponentConfig(const QString &path, const ComponentSettings &s)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return f.write(componentConfigText(s).toUtf8()) > 0;
}

bool waitUntil(const std::function<bool()> &done, int limitMs)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > limitMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    return true;
}

ComponentProcess::ComponentProcess(QString configPath)
    : m_config(std::move(configPath))
{ }

ComponentProcess::~ComponentProcess()
{
    if (running())
        stop();
}

bool ComponentProcess::start(const QStringList &extraArgs)
{
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_log.clear();
    m_process->start(QStringLiteral(SOTTO_COMPONENT_BINARY),
        QStringList { QStringLiteral("--config"), m_config, QStringLiteral("--retry-max-ms"),
            QStringLiteral("500") }
            + extraArgs);
    return m_process->waitForStarted(60'000);
}

QString ComponentProcess::log()
{
    if (m_process)
        m_log += QString::fromUtf8(m_process->readAll());
    return m_log;
}

int ComponentProcess::logCount(const QString &needle)
{
    return static_cast<int>(log().count(needle));
}

bool ComponentProcess::waitForLog(const QString &needle, int count, int limitMs)
{
    QElapsedTimer t;
    t.start();
    while (logCount(needle) < count) {
        if (!running() || t.elapsed() > limitMs)
            return logCount(needle) >= count;
        m_process->waitForReadyRead(200);
    }
    return true;
}

bool ComponentProcess::running() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

int ComponentProcess::stop()
{
    if (!m_process)
        return -1;
    if (m_process->state() != QProcess::NotRunning) {
        ::kill(static_cast<pid_t>(m_process->processId()), SIGTERM);
        if (!m_process->waitForFinished(120'000)) {
            m_process->kill();
            m_process->waitForFinished();
        }
    }
    log();
    return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
}

void ComponentProcess::kill()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        ::kill(static_cast<pid_t>(m_process->processId()), SIGKILL);
        m_process->waitForFinished(120'000);
    }
    log();
}

ToolRun runComponentTool(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(SOTTO_COMPONENT_BINARY), args);
    ToolRun r;
    if (!p.waitForFinished(300'000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

} // namespace sotto::test
