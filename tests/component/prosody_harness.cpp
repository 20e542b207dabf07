// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/component/prosody_harness.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <sys/stat.h>

namespace sotto::test {

Result<QString, HarnessError> runStackScript(const QString &script, const QStringList &args)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral(SOTTO_STACK_SCRIPTS_DIR "/") + script, args);
    // Liveness bound only: Prosody starts in a second, slower on a loaded machine.
    if (!p.waitForFinished(300'000)) {
        p.kill();
        p.waitForFinished();
        return fail(HarnessError::ScriptFailed, script.toStdString() + " did not finish");
    }
    const QString out = QString::fromUtf8(p.readAll());
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return fail(HarnessError::ScriptFailed,
            script.toStdString() + " failed (" + std::to_string(p.exitCode())
                + "): " + out.toStdString());
    return out;
}

Result<std::unique_ptr<ProsodyHarness>, HarnessError> ProsodyHarness::create(
    const ProsodyOptions &o)
{
    std::unique_ptr<ProsodyHarness> h(new ProsodyHarness);
    h->m_options = o;
    h->m_tmp
        = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/sotto-xmpp-XXXXXX"));
    if (!h->m_tmp->isValid())
        return fail(HarnessError::BadState, std::string("cannot create a temporary folder"));
    // PROSODY-NOTES: the prosody user must traverse every parent of its folder.
    ::chmod(QFile::encodeName(h->m_tmp->path()).constData(), 0711);
    h->m_dir = h->m_tmp->path() + QStringLiteral("/prosody");
    QDir().mkpath(h->scratchDir());
    QStringList args { h->m_dir, QStringLiteral("--domain"), o.domain,
        QStringLiteral("--component"), o.component, QStringLiteral("--secret"), o.secret };
    for (const auto &v : o.vhosts)
        args << QStringLiteral("--vhost") << v;
    for (const auto &[name, password] : o.users)
        args << QStringLiteral("--user") << name + QLatin1Char(':') + password;
    if (o.configureOnly)
        args << QStringLiteral("--configure-only");
    auto run = runStackScript(QStringLiteral("prosody-up.sh"), args);
    if (!run.ok())
        return run.failure();
    if (auto s = h->readState(); !s.ok())
        return s.failure();
    return h;
}

ProsodyHarness::~ProsodyHarness()
{
    if (m_pid > 0)
        (void)stop();
}

QString ProsodyHarness::scratchDir() const
{
    return m_tmp->path() + QStringLiteral("/scratch");
}

Status<HarnessError> ProsodyHarness::readState()
{
    QFile f(m_dir + QStringLiteral("/prosody.json"));
    if (!f.open(QIODevice::ReadOnly))
        return fail(HarnessError::BadState, "cannot read " + f.fileName().toStdString());
    const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
    m_pid = o.value(QStringLiteral("pid")).toVariant().toLongLong();
    m_c2sPort = static_cast<quint16>(o.value(QStringLiteral("c2s_port")).toInt());
    m_componentPort = static_cast<quint16>(o.value(QStringLiteral("component_port")).toInt());
    if (m_c2sPort == 0 || m_componentPort == 0)
        return fail(HarnessError::BadState, std::string("prosody.json without ports"));
    return Done {};
}

Status<HarnessError> ProsodyHarness::start()
{
    auto run
        = runStackScript(QStringLiteral("prosody-up.sh"), { m_dir, QStringLiteral("--restart") });
    if (!run.ok())
        return run.failure();
    return readState();
}

Status<HarnessError> ProsodyHarness::stop()
{
    auto run = runStackScript(QStringLiteral("prosody-down.sh"), { m_dir });
    if (!run.ok())
        return run.failure();
    m_pid = 0;
    return Done {};
}

} // namespace sotto::test
