// SPDX-License-Identifier: GPL-3.0-or-later
// sotto-component: the XEP-0114 external component that announces the Sotto service and issues
// anonymous Privacy Pass tokens to the users of its XMPP server (DESIGN.md, docs/ADMIN.md).
//
//   sotto-component [--config FILE]                   run (default /etc/sotto/component.conf)
//   sotto-component --config FILE --check-config      validate the file and explain each error
//   sotto-component --config FILE --print-issuer-keys the issuer keys as JSON for the gateway
#include "plugin/server/component_config.h"
#include "plugin/server/component_service.h"
#include "plugin/server/component_stream.h"
#include "plugin/server/issuer_keys.h"
#include "plugin/server/quota_store.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

using namespace sotto::component;

int g_signalPipe[2] = { -1, -1 };

void onSignal(int)
{
    const char c = 1;
    [[maybe_unused]] const auto n = ::write(g_signalPipe[1], &c, 1);
}

int64_t nowSeconds()
{
    return static_cast<int64_t>(QDateTime::currentSecsSinceEpoch());
}

void printError(const std::string &text)
{
    std::fprintf(stderr, "sotto-component: %s\n", text.c_str());
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("sotto-component"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SOTTO_VERSION));

    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral(
        "Sotto's XMPP component: service discovery and Privacy Pass token issuance"));
    cli.addHelpOption();
    cli.addVersionOption();
    const QCommandLineOption configOption(QStringLiteral("config"),
        QStringLiteral("The configuration file."), QStringLiteral("FILE"),
        QStringLiteral("/etc/sotto/component.conf"));
    const QCommandLineOption checkOption(QStringLiteral("check-config"),
        QStringLiteral("Validate the configuration, explain every error, and exit."));
    const QCommandLineOption keysOption(QStringLiteral("print-issuer-keys"),
        QStringLiteral("Print the issuer public keys as JSON (for sotto-gateway --issuer-keys), "
                       "creating the keys if missing, and exit."));
    const QCommandLineOption retryOption(QStringLiteral("retry-max-ms"),
        QStringLiteral("Longest wait between reconnection attempts (default 5000)."),
        QStringLiteral("MS"), QStringLiteral("5000"));
    const QCommandLineOption keepaliveOption(QStringLiteral("keepalive-seconds"),
        QStringLiteral("Seconds between keepalive pings to the server (default 60; 0: off)."),
        QStringLiteral("S"), QStringLiteral("60"));
    cli.addOptions({ configOption, checkOption, keysOption, retryOption, keepaliveOption });
    cli.process(app);

    const std::string path = cli.value(configOption).toStdString();
    auto config = loadComponentConfig(path);
    if (!config.ok()) {
        printError("the configuration is not valid: " + config.detail());
        return 1;
    }
    if (cli.isSet(checkOption)) {
        // The state folder: created on first start if missing, so only what is there is judged.
        const std::string &state = config->stateDir;
        struct stat st { };
        if (::stat(state.c_str(), &st) == 0) {
            if (!S_ISDIR(st.st_mode)) {
                printError("state-dir " + state + " exists and is not a folder");
                return 1;
            }
            if (::access(state.c_str(), R_OK | W_OK | X_OK) != 0) {
                printError("state-dir " + state
                    + " is not writable by this user (run the check as the service user)");
                return 1;
            }
        }
        std::printf("%s is valid: component %s, connecting to %s:%u, tokens for %zu domain(s), "
                    "%u per user per day, %zu relay(s)\n",
            path.c_str(), config->jid.c_str(), config->serverHost.c_str(),
            static_cast<unsigned>(config->serverPort), config->domains.size(), config->quotaPerDay,
            config->relayUrls.size());
        return 0;
    }

    const std::string keyDir = config->stateDir + "/keys";
    auto keys = IssuerKeyRing::open(keyDir, config->keyRotationDays, nowSeconds());
    if (!keys.ok()) {
        printError("issuer keys: " + keys.detail());
        return 1;
    }
    if (cli.isSet(keysOption)) {
        const std::string json = keys->issuerKeysJson(config->issuerName, nowSeconds());
        std::fwrite(json.data(), 1, json.size(), stdout);
        return 0;
    }

    bool retryOk = false;
    const int retryMaxMs = cli.value(retryOption).toInt(&retryOk);
    if (!retryOk || retryMaxMs < 10) {
        printError("--retry-max-ms wants a number of milliseconds >= 10");
        return 1;
    }
    bool keepaliveOk = false;
    const int keepaliveSeconds = cli.value(keepaliveOption).toInt(&keepaliveOk);
    if (!keepaliveOk || keepaliveSeconds < 0 || keepaliveSeconds > 3600) {
        printError("--keepalive-seconds wants a number of seconds from 0 to 3600");
        return 1;
    }

    QuotaStore quota;
    if (auto s = quota.open(QString::fromStdString(config->stateDir + "/quota.sqlite")); !s.ok()) {
        printError(s.detail());
        return 1;
    }

    ComponentStream stream(QString::fromStdString(config->jid),
        QString::fromStdString(config->secret), QString::fromStdString(config->serverHost),
        config->serverPort);
    stream.setBackoff(std::min(500, retryMaxMs), retryMaxMs);
    // The first user domain is a host of the same server: it answers XEP-0199 pings.
    stream.setKeepalive(keepaliveSeconds * 1000, QString::fromStdString(config->domains.front()));
    ComponentService service(std::move(config).value(), std::move(keys).value(), &stream, &quota);

    // SIGTERM/SIGINT: close the stream politely and exit 0 (systemd stop, tests).
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) != 0) {
        printError("socketpair failed");
        return 1;
    }
    QSocketNotifier notifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &app, [&] {
        char c;
        [[maybe_unused]] const auto n = ::read(g_signalPipe[0], &c, 1);
        stream.stop();
        QCoreApplication::quit();
    });
    struct sigaction sa { };
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);

    stream.start();
    return QCoreApplication::exec();
}
