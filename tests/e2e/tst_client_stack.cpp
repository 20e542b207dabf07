// SPDX-License-Identifier: GPL-3.0-or-later
// One long-running client (what the Psi+ plugin is) on the real local stack:
// Prosody + sotto-component, nginx relay, sotto-gateway (simulated SEV-SNP),
// the log and its witnesses. check-client.sh starts the stack, runs this
// binary and counts on the gateway's /metrics what reached it.
//
//   SOTTO_STACK_JSON      the stack's stack.json
//   SOTTO_COMPONENT_PID   the component's pid (the last test stops it)
//
// 1. Twenty summarize requests in parallel from one session: one verification
//    shared by all, tokens refilled in batches while they run, all answered.
// 2. With the service discovered and verified, the wallet empty and the token
//    issuer gone, a request stops with NoTokens before anything is sent.
#include "plugin/core/processing_session.h"
#include "plugin/core/qxmpp_channel.h"
#include "tests/client/support/run_result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <memory>
#include <vector>

using namespace sotto::client;
using namespace sotto::client::test;

namespace {

class ClientOnStack : public ::testing::Test {
protected:
    void SetUp() override
    {
        const char *stack = std::getenv("SOTTO_STACK_JSON");
        ASSERT_NE(stack, nullptr) << "SOTTO_STACK_JSON must name the stack's stack.json";
        QString error;
        const auto account = stackAccount(QString::fromLocal8Bit(stack), 0, &error);
        ASSERT_TRUE(account) << error.toStdString();
        QSignalSpy up(&channel, &XmppChannel::connectedChanged);
        channel.connectToServer(*account);
        ASSERT_TRUE(up.wait(60000) || !up.isEmpty());
        ASSERT_TRUE(channel.isConnected());

        SessionOptions options;
        options.profileDir = dir.filePath(QStringLiteral("profile")); // an empty wallet
        options.adminPolicyPath = dir.filePath(QStringLiteral("no-admin-policy.conf"));
        options.developmentStack = true;
        session = std::make_unique<ProcessingSession>(&channel, options);
        const auto status = session->init();
        ASSERT_TRUE(status.ok()) << status.detail();
    }

    static QJsonArray chat(int i)
    {
        return QJsonArray { QJsonObject {
                                { QStringLiteral("from"), QStringLiteral("bob@sotto.test") },
                                { QStringLiteral("time"), QStringLiteral("2026-11-25T10:00:00Z") },
                                { QStringLiteral("text"),
                                    QStringLiteral("Can we ship release %1 on Friday?").arg(i) } },
            QJsonObject { { QStringLiteral("from"), QStringLiteral("alice@sotto.test") },
                { QStringLiteral("time"), QStringLiteral("2026-11-25T10:01:00Z") },
                { QStringLiteral("text"), QStringLiteral("Decided: we ship on Friday.") } } };
    }

    void summarize(int i, Await<RunResult> *w)
    {
        session->summarize(chat(i), {}, QString(), 0,
            [w](const auto &outcome, const auto &failure, const auto &report) {
                w->set(RunResult { outcome, failure, report });
            });
    }

    QTemporaryDir dir;
    QXmppChannel channel;
    std::unique_ptr<ProcessingSession> session;
};

TEST_F(ClientOnStack, TwentyParallelRequestsWhileTheWalletRefills)
{
    session->wallet()->setBatchSize(5);
    session->wallet()->setRefillThreshold(2);
    std::vector<std::unique_ptr<Await<RunResult>>> waits;
    for (int i = 0; i < 20; ++i) {
        waits.push_back(std::make_unique<Await<RunResult>>());
        summarize(i, waits.back().get());
    }
    for (int i = 0; i < 20; ++i) {
        ASSERT_TRUE(waits[i]->wait()) << "request " << i << " never finished";
        const RunResult &r = waits[i]->value();
        ASSERT_FALSE(r.failure.has_value()) << i << ": " << r.failure->describe().toStdString();
        const auto points = r.outcome->result.value(QStringLiteral("summary")).toArray();
        EXPECT_FALSE(points.isEmpty()) << i;
        EXPECT_EQ(r.outcome->verification.toJson().value(QStringLiteral("status")).toString(),
            QStringLiteral("development"));
    }
    // That one verification served all twenty, check-client.sh counts on the
    // gateway's /metrics (one GET /evidence).
    // Twenty tokens were spent from batches of five: the wallet was refilled
    // at least four times while the requests ran, and the server counted it.
    const int remaining = session->wallet()->remainingQuota();
    EXPECT_GE(remaining, 0) << "the component reported no quota";
    EXPECT_GE(1000 - remaining, 20) << "quota-per-day of the stack is 1000";
    const auto history = session->history().entries();
    ASSERT_TRUE(history.ok()) << history.detail();
    EXPECT_EQ(history->size(), 20);
}

TEST_F(ClientOnStack, NoTokensAndTheIssuerGoneSendsNothing)
{
    Await<std::optional<ClientFailure>> verified;
    session->verifyOnly([&verified](const std::optional<ClientFailure> &failure,
                            const VerificationReport &, const std::optional<ServiceConfig> &) {
        verified.set(failure);
    });
    ASSERT_TRUE(verified.wait());
    ASSERT_FALSE(verified.value().has_value()) << verified.value()->describe().toStdString();

    // The service is known and verified; now the token issuer goes away.
    const char *pid = std::getenv("SOTTO_COMPONENT_PID");
    ASSERT_NE(pid, nullptr) << "SOTTO_COMPONENT_PID must name the component";
    ASSERT_EQ(::kill(std::atoi(pid), SIGKILL), 0);

    Await<RunResult> w;
    summarize(0, &w);
    ASSERT_TRUE(w.wait());
    ASSERT_TRUE(w.value().failure.has_value()) << "a request was answered without a token";
    EXPECT_EQ(w.value().failure->code, ClientError::NoTokens);
    EXPECT_EQ(w.value().failure->message(),
        QStringLiteral("No tokens left, and your server could not give new ones"))
        << w.value().failure->describe().toStdString();
}

} // namespace
