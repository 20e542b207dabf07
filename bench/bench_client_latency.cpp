// SPDX-License-Identifier: GPL-3.0-or-later
// Click-to-answer latency of the client pipeline (issue 9) through the local
// stack, broken down by step: one cold request (discovery, tokens, evidence
// and log verification, request) and N warm ones (everything cached but the
// request itself). The reference in the same run is the gateway's own time
// for the same requests, read from its /metrics histogram: the warm overhead
// is the client's total minus the gateway's time (goal: under 20 ms).
//
//   sotto_bench_client --stack build/stack/stack.json [--requests N] [--json]
//
// bench/run-client starts the stack, runs this, and stops the stack.
#include "plugin/core/processing_session.h"
#include "plugin/core/qxmpp_channel.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStringList>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <vector>

using namespace sotto::client;

namespace {

struct GatewayTime {
    double sumSeconds = 0;
    double count = 0;
};

// The metrics port is on the gateway's command line (stack.sh passes --metrics).
std::optional<QUrl> metricsUrl(const QJsonObject &stack)
{
    const int pid
        = stack.value(QStringLiteral("pids")).toObject().value(QStringLiteral("gateway0")).toInt();
    QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
    if (pid <= 0 || !cmdline.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QList<QByteArray> args = cmdline.readAll().split('\0');
    const int i = args.indexOf("--metrics");
    if (i < 0 || i + 1 >= args.size())
        return std::nullopt;
    return QUrl(
        QStringLiteral("http://") + QString::fromLatin1(args[i + 1]) + QStringLiteral("/metrics"));
}

std::optional<GatewayTime> gatewayTime(HttpClient &http, const QUrl &url)
{
    auto body = http.getBlocking(url);
    if (!body.ok())
        return std::nullopt;
    GatewayTime t;
    const QString text = QString::fromUtf8(*body);
    const QRegularExpression sum(
        QStringLiteral(
            R"(^sotto_gateway_request_duration_seconds_sum\{endpoint="gateway"\} (\S+)$)"),
        QRegularExpression::MultilineOption);
    const QRegularExpression count(
        QStringLiteral(
            R"(^sotto_gateway_request_duration_seconds_count\{endpoint="gateway"\} (\S+)$)"),
        QRegularExpression::MultilineOption);
    const auto s = sum.match(text);
    const auto c = count.match(text);
    if (!s.hasMatch() || !c.hasMatch())
        return std::nullopt;
    t.sumSeconds = s.captured(1).toDouble();
    t.count = c.captured(1).toDouble();
    return t;
}

double median(std::vector<double> v)
{
    if (v.empty())
        return -1;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

const QStringList kSteps = { QStringLiteral("discovery"), QStringLiteral("fetch_keys_evidence"),
    QStringLiteral("attestation"), QStringLiteral("log"), QStringLiteral("verification_total"),
    QStringLiteral("token"), QStringLiteral("request"), QStringLiteral("total") };

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QString stackPath;
    int requests = 20;
    bool json = false;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--stack") && i + 1 < args.size())
            stackPath = args[++i];
        else if (args[i] == QLatin1String("--requests") && i + 1 < args.size())
            requests = std::max(1, args[++i].toInt());
        else if (args[i] == QLatin1String("--json"))
            json = true;
        else {
            std::fprintf(
                stderr, "usage: sotto_bench_client --stack STACK.json [--requests N] [--json]\n");
            return 2;
        }
    }
    QString error;
    const auto stackUser = stackAccount(stackPath, 0, &error);
    if (!stackUser) {
        std::fprintf(stderr, "sotto_bench_client: %s\n", error.toLocal8Bit().constData());
        return 2;
    }
    const XmppAccount account = *stackUser;
    QFile f(stackPath);
    if (!f.open(QIODevice::ReadOnly))
        return 2;
    const QJsonObject stack = QJsonDocument::fromJson(f.readAll()).object();

    QTemporaryDir profile; // a new user: the first request is truly cold
    QXmppChannel channel;
    SessionOptions options;
    options.profileDir = profile.path();
    options.adminPolicyPath = profile.filePath(QStringLiteral("no-admin-policy.conf"));
    options.developmentStack = true;
    ProcessingSession session(&channel, options);
    if (!session.init().ok())
        return 1;
    const auto metrics = metricsUrl(stack);

    QJsonArray messages;
    for (int i = 0; i < 12; ++i)
        messages.append(QJsonObject { { QStringLiteral("from"), QStringLiteral("bob@sotto.test") },
            { QStringLiteral("time"),
                QStringLiteral("2026-11-25T10:%1:00Z").arg(i, 2, 10, QLatin1Char('0')) },
            { QStringLiteral("text"),
                QStringLiteral("Shall we move the release review to Thursday? Item %1.")
                    .arg(i) } });

    std::vector<VerificationReport> reports;
    std::optional<GatewayTime> warmStart;
    std::optional<GatewayTime> warmEnd;
    int failures = 0;
    std::function<void()> next = [&] {
        if (static_cast<int>(reports.size()) == requests + 1) {
            if (metrics)
                warmEnd = gatewayTime(*session.http(), *metrics);
            QCoreApplication::exit(0);
            return;
        }
        if (reports.size() == 1 && metrics)
            warmStart = gatewayTime(*session.http(), *metrics);
        session.summarize(messages, {}, QStringLiteral("en"), 5,
            [&](const auto &, const std::optional<ClientFailure> &failure,
                const VerificationReport &report) {
                if (failure) {
                    std::fprintf(stderr, "request failed: %s\n",
                        failure->describe().toLocal8Bit().constData());
                    ++failures;
                    QCoreApplication::exit(1);
                    return;
                }
                reports.push_back(report);
                next();
            });
    };
    QObject::connect(&channel, &XmppChannel::connectedChanged, [&](bool up) {
        if (up && reports.empty())
            next();
    });
    QObject::connect(&channel, &QXmppChannel::connectFailed, [](const QString &why) {
        std::fprintf(stderr, "cannot connect: %s\n", why.toLocal8Bit().constData());
        QCoreApplication::exit(1);
    });
    channel.connectToServer(account);
    if (app.exec() != 0 || failures)
        return 1;

    const VerificationReport &cold = reports.front();
    QJsonObject coldJson;
    QJsonObject warmJson;
    std::vector<double> warmTotals;
    for (size_t i = 1; i < reports.size(); ++i)
        warmTotals.push_back(reports[i].timingMs(QStringLiteral("total")));
    for (const auto &step : kSteps) {
        coldJson.insert(step, cold.timingMs(step));
        std::vector<double> v;
        for (size_t i = 1; i < reports.size(); ++i) {
            const double ms = reports[i].timingMs(step);
            if (ms >= 0)
                v.push_back(ms);
        }
        warmJson.insert(step, median(v));
    }
    double gatewayMs = -1;
    if (warmStart && warmEnd && warmEnd->count > warmStart->count)
        gatewayMs = (warmEnd->sumSeconds - warmStart->sumSeconds)
            / (warmEnd->count - warmStart->count) * 1000.0;
    double warmMean = 0;
    for (double t : warmTotals)
        warmMean += t;
    warmMean /= static_cast<double>(warmTotals.size());
    const double overhead = gatewayMs >= 0 ? warmMean - gatewayMs : -1;

    if (json) {
        const QJsonObject o { { QStringLiteral("requests_warm"), requests },
            { QStringLiteral("cold_ms"), coldJson }, { QStringLiteral("warm_median_ms"), warmJson },
            { QStringLiteral("warm_mean_total_ms"), warmMean },
            { QStringLiteral("gateway_mean_ms"), gatewayMs },
            { QStringLiteral("warm_overhead_ms"), overhead }, { QStringLiteral("goal_ms"), 20 } };
        std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
    } else {
        std::printf("%-22s %12s %16s\n", "step", "cold (ms)", "warm median (ms)");
        // A step that did not run (served from a cache) prints as "cached".
        const auto cell = [](double ms) {
            return ms < 0 ? QStringLiteral("cached") : QString::number(ms, 'f', 2);
        };
        for (const auto &step : kSteps)
            std::printf("%-22s %12s %16s\n", step.toLatin1().constData(),
                cell(coldJson.value(step).toDouble()).toLatin1().constData(),
                cell(warmJson.value(step).toDouble()).toLatin1().constData());
        std::printf("\nwarm: mean total %.2f ms over %d requests; gateway's own time %.2f ms (its "
                    "/metrics)\n",
            warmMean, requests, gatewayMs);
        std::printf("warm client overhead: %.2f ms (goal: under 20 ms) %s\n", overhead,
            overhead >= 0 && overhead < 20 ? "MET"
                                           : (overhead < 0 ? "(no gateway metrics)" : "NOT MET"));
    }
    return 0;
}
