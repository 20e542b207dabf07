// SPDX-License-Identifier: GPL-3.0-or-later
// ProcessingSession, fail-closed: the full flow succeeds against the loopback
// service; then each verification failure is injected and the request must
// stop with its typed error before anything is POSTed to the relay (the
// relay's POST counter proves it). Also: the stale-key retry, a fork after a
// trusted checkpoint, and 20 requests in parallel.
#include "plugin/core/processing_session.h"
#include "tests/client/support/test_service.h"
#include "tests/client/support/run_result.h"
#include "tests/client/support/wait.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace sotto;
using namespace sotto::client;
using namespace sotto::client::test;

namespace {

class Pipeline : public ::testing::Test {
protected:
    void SetUp() override
    {
        service = TestService::create(dir.path());
        ASSERT_TRUE(service);
        channel = std::make_unique<InProcessComponent>(service.get());
    }

    // A new session (a new client process) over the same profile.
    std::unique_ptr<ProcessingSession> session()
    {
        SessionOptions options;
        options.profileDir = dir.filePath(QStringLiteral("profile"));
        options.adminPolicyPath = dir.filePath(QStringLiteral("policy.conf"));
        options.developmentStack = developmentStack;
        auto s = std::make_unique<ProcessingSession>(channel.get(), options);
        const auto status = s->init();
        EXPECT_TRUE(status.ok()) << status.detail();
        s->wallet()->setBatchSize(3);
        return s;
    }

    void adminPolicy(const QByteArray &ini)
    {
        QFile f(dir.filePath(QStringLiteral("policy.conf")));
        ASSERT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("[policy]\n" + ini);
    }

    RunResult summarize(ProcessingSession &s, bool marker = false, const QString &chatJid = {})
    {
        const QJsonArray messages {
            QJsonObject { { QStringLiteral("from"), QStringLiteral("bob@sotto.test") },
                { QStringLiteral("time"), QStringLiteral("2026-11-25T10:00:00Z") },
                { QStringLiteral("text"), QStringLiteral("Shall we ship on Friday?") } },
            QJsonObject { { QStringLiteral("from"), QStringLiteral("carol@sotto.test") },
                { QStringLiteral("time"), QStringLiteral("2026-11-25T10:01:00Z") },
                { QStringLiteral("text"), QStringLiteral("Yes, after the review.") } },
        };
        ChatProcessingInput chat;
        chat.chatJid = chatJid;
        chat.messages = { { QStringLiteral("bob@sotto.test"), false },
            { QStringLiteral("carol@sotto.test"), marker } };
        Await<RunResult> done;
        s.summarize(messages, chat, QStringLiteral("en"), 5,
            [&done](const auto &outcome, const auto &failure, const auto &report) {
                done.set(RunResult { outcome, failure, report });
            });
        EXPECT_TRUE(done.wait());
        return done.value();
    }

    // Runs a summary that must fail with `code` and `message`, with no POST.
    // Returns the report the failure came with.
    VerificationReport expectRefused(ClientError code, const QString &message)
    {
        auto s = session();
        const int before = service->posts();
        const RunResult r = summarize(*s);
        if (!r.failure.has_value()) {
            ADD_FAILURE() << "the request went through";
            return r.report;
        }
        EXPECT_FALSE(r.outcome.has_value());
        EXPECT_EQ(errorName(r.failure->code), errorName(code)) << r.failure->detail.toStdString();
        EXPECT_EQ(r.failure->message(), message);
        EXPECT_EQ(service->posts(), before) << "something was sent to the relay";
        return r.report;
    }

    QTemporaryDir dir;
    bool developmentStack = true;
    std::unique_ptr<TestService> service;
    std::unique_ptr<InProcessComponent> channel;
};

} // namespace

TEST_F(Pipeline, SummarizeSucceedsWithAVerificationReport)
{
    auto s = session();
    const RunResult r = summarize(*s);
    ASSERT_FALSE(r.failure.has_value()) << r.failure->describe().toStdString();
    ASSERT_TRUE(r.outcome.has_value());
    EXPECT_EQ(r.outcome->result.value(QStringLiteral("summary")).toArray().at(0).toString(),
        QStringLiteral("2 messages"));
    const VerificationReport &v = r.outcome->verification;
    EXPECT_TRUE(v.simulated);
    EXPECT_EQ(v.provider, QStringLiteral("simulated"));
    EXPECT_EQ(v.platform, QStringLiteral("sev-snp"));
    EXPECT_EQ(v.measurement, service->measurement());
    EXPECT_EQ(v.logOrigin, QStringLiteral("log.sotto.test"));
    EXPECT_EQ(v.logIndex, 1u);
    EXPECT_EQ(v.checkpointSize, 2u);
    EXPECT_EQ(v.witnesses.size(), 2);
    EXPECT_EQ(v.relay, service->config().relayUrls.front());
    EXPECT_EQ(v.keyId, 1);
    EXPECT_EQ(v.toJson().value(QStringLiteral("status")).toString(), QStringLiteral("development"));
    EXPECT_EQ(service->posts(), 1);

    // The history records the request without its content.
    auto history = s->history().entries();
    ASSERT_TRUE(history.ok());
    ASSERT_EQ(history->size(), 1);
    const QByteArray recorded = QJsonDocument(history->front()).toJson();
    EXPECT_FALSE(recorded.contains("Friday"));
    EXPECT_FALSE(recorded.contains("bob@sotto.test"));
    EXPECT_TRUE(history->front().value(QStringLiteral("ok")).toBool());
}

TEST_F(Pipeline, RewriteSucceeds)
{
    auto s = session();
    Await<RunResult> done;
    s->rewrite(QStringLiteral("please ship it"), QStringLiteral("formal"), QStringLiteral("en"),
        [&done](const auto &outcome, const auto &failure, const auto &report) {
            done.set(RunResult { outcome, failure, report });
        });
    ASSERT_TRUE(done.wait());
    ASSERT_FALSE(done.value().failure.has_value())
        << done.value().failure->describe().toStdString();
    EXPECT_EQ(done.value().outcome->result.value(QStringLiteral("text")).toString(),
        QStringLiteral("PLEASE SHIP IT"));
    EXPECT_EQ(service->posts(), 1);
}

TEST_F(Pipeline, WrongMeasurementSendsNothing)
{
    service->wrongLoggedMeasurement = true;
    ASSERT_TRUE(service->publishLog());
    const auto report = expectRefused(ClientError::MeasurementMismatch,
        QStringLiteral("The service runs code other than the code in the public log"));
    // The report shows what was checked, and that the whole was not verified.
    EXPECT_EQ(
        report.toJson().value(QStringLiteral("status")).toString(), QStringLiteral("not-verified"));
    EXPECT_EQ(report.measurement, service->measurement());
    EXPECT_EQ(report.logIndex, 1u);
}

TEST_F(Pipeline, MeasurementNotInLogSendsNothing)
{
    service->releaseNotLogged = true;
    ASSERT_TRUE(service->publishLog());
    expectRefused(
        ClientError::NotInLog, QStringLiteral("The service's code is not in the public log"));
}

TEST_F(Pipeline, TooFewWitnessesSendsNothing)
{
    service->cosigningWitnesses = 1; // quorum is 2
    ASSERT_TRUE(service->publishLog());
    expectRefused(ClientError::WitnessQuorumNotMet,
        QStringLiteral("Too few independent witnesses confirmed the public log"));
}

TEST_F(Pipeline, ExpiredEvidenceSendsNothing)
{
    service->notAfterFromNow = -60;
    expectRefused(
        ClientError::EvidenceExpired, QStringLiteral("The service's attestation has expired"));
}

TEST_F(Pipeline, ReportDataNotBindingTheKeysSendsNothing)
{
    service->bindOtherKeys = true;
    expectRefused(ClientError::BindingMismatch,
        QStringLiteral("The attestation was not made for these keys"));
}

TEST_F(Pipeline, SimulatedTeeRefusedByPolicySendsNothing)
{
    adminPolicy("allow-simulated = false\n");
    expectRefused(ClientError::SimulatedRefused,
        QStringLiteral("The service runs on a simulated TEE, which your policy refuses"));
}

TEST_F(Pipeline, SimulatedTeeRefusedWhenOnlyTheServerAllowsIt)
{
    // The server's form says allow-simulated = true; without an admin file
    // (and outside the development stack) the client's default refuses.
    developmentStack = false;
    expectRefused(ClientError::SimulatedRefused,
        QStringLiteral("The service runs on a simulated TEE, which your policy refuses"));
}

TEST_F(Pipeline, RelayNotAllowedSendsNothing)
{
    adminPolicy("allowed-relays = https://relay.elsewhere.example/relay\n");
    expectRefused(ClientError::RelayNotAllowed,
        QStringLiteral("None of the service's relays is allowed by your policy"));
    EXPECT_EQ(service->gets(), 0)
        << "keys or evidence were fetched through a relay that is not allowed";
}

TEST_F(Pipeline, NoTokensAndIssuerUnreachableSendsNothing)
{
    channel->tokens = InProcessComponent::Tokens::Unreachable;
    expectRefused(ClientError::NoTokens,
        QStringLiteral("No tokens left, and your server could not give new ones"));
    EXPECT_GT(service->gets(), 0);
}

TEST_F(Pipeline, ChatMarkerStopsBeforeAnyNetwork)
{
    auto s = session();
    const RunResult r = summarize(*s, true);
    ASSERT_TRUE(r.failure.has_value());
    EXPECT_EQ(r.failure->code, ClientError::ChatOptedOut);
    EXPECT_TRUE(r.failure->detail.contains(QStringLiteral("carol@sotto.test")));
    EXPECT_EQ(service->posts(), 0);
    EXPECT_EQ(service->gets(), 0);
}

TEST_F(Pipeline, ChatTurnedOffByTheUserStopsBeforeAnyNetwork)
{
    auto s = session();
    ASSERT_TRUE(s->chatSettings().setTurnedOff(QStringLiteral("Bob@Sotto.test"), true).ok());
    const RunResult r = summarize(*s, false, QStringLiteral("bob@sotto.test/laptop"));
    ASSERT_TRUE(r.failure.has_value());
    EXPECT_EQ(r.failure->code, ClientError::ChatTurnedOff);
    EXPECT_EQ(service->posts(), 0);
    EXPECT_EQ(service->gets(), 0);
    // Another chat is not concerned; allowed again, this one goes through.
    const RunResult other = summarize(*s, false, QStringLiteral("carol@sotto.test"));
    EXPECT_FALSE(other.failure.has_value()) << other.failure->describe().toStdString();
    ASSERT_TRUE(s->chatSettings().setTurnedOff(QStringLiteral("bob@sotto.test"), false).ok());
    const RunResult again = summarize(*s, false, QStringLiteral("bob@sotto.test"));
    EXPECT_FALSE(again.failure.has_value()) << again.failure->describe().toStdString();
}

TEST_F(Pipeline, UnreadableChatSettingsSendNothing)
{
    auto s = session();
    QFile f(s->chatSettings().path());
    ASSERT_TRUE(QDir().mkpath(QFileInfo(f).absolutePath()));
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("{\"version\": 0, \"turned_off\": \"bob@sotto.test\"}");
    f.close();
    const RunResult r = summarize(*s, false, QStringLiteral("bob@sotto.test"));
    ASSERT_TRUE(r.failure.has_value());
    EXPECT_EQ(r.failure->code, ClientError::ChatSettingsInvalid);
    EXPECT_EQ(service->posts(), 0);
    EXPECT_EQ(service->gets(), 0);
}

TEST_F(Pipeline, ForcedOffSendsNothing)
{
    adminPolicy("forced-off = true\n");
    expectRefused(ClientError::ProcessingDisabled,
        QStringLiteral("Private processing is turned off by your administrator"));
}

TEST_F(Pipeline, LogForkAfterATrustedCheckpointIsAnAttack)
{
    {
        auto s = session();
        const RunResult first = summarize(*s);
        ASSERT_FALSE(first.failure.has_value()) << first.failure->describe().toStdString();
    }
    ASSERT_EQ(service->posts(), 1);
    // The log now shows this client another history under the same key.
    ASSERT_TRUE(service->forkLog());
    expectRefused(ClientError::LogFork,
        QStringLiteral(
            "ATTACK WARNING: the public log shows you a different history than before (fork)"));
}

TEST_F(Pipeline, StaleKeyIsRetriedOnceAfterANewVerification)
{
    auto s = session();
    const RunResult first = summarize(*s);
    ASSERT_FALSE(first.failure.has_value()) << first.failure->describe().toStdString();
    ASSERT_TRUE(service->rotateKey());
    const RunResult second = summarize(*s);
    ASSERT_FALSE(second.failure.has_value()) << second.failure->describe().toStdString();
    EXPECT_EQ(second.outcome->verification.keyId, 2);
    EXPECT_FALSE(second.outcome->verification.fromCache);
    // One for the first request, the refused one with the old key, the retry.
    EXPECT_EQ(service->posts(), 3);
}

TEST_F(Pipeline, TwentyParallelRequestsShareOneVerification)
{
    auto s = session();
    s->wallet()->setBatchSize(10);
    std::vector<std::unique_ptr<Await<RunResult>>> waits;
    const QJsonArray messages { QJsonObject {
        { QStringLiteral("from"), QStringLiteral("bob@sotto.test") },
        { QStringLiteral("time"), QStringLiteral("2026-11-25T10:00:00Z") },
        { QStringLiteral("text"), QStringLiteral("hi") } } };
    for (int i = 0; i < 20; ++i) {
        waits.push_back(std::make_unique<Await<RunResult>>());
        auto *w = waits.back().get();
        s->summarize(messages, {}, QString(), 0,
            [w](const auto &outcome, const auto &failure, const auto &report) {
                w->set(RunResult { outcome, failure, report });
            });
    }
    for (auto &w : waits) {
        ASSERT_TRUE(w->wait());
        EXPECT_FALSE(w->value().failure.has_value())
            << w->value().failure->describe().toStdString();
    }
    EXPECT_EQ(service->posts(), 20);
}

// Requests are padded to a size bucket (DESIGN.md step 5): the relay sees the
// same encapsulated size for a short and a much longer text of one bucket,
// and a larger one only past the bucket.
TEST_F(Pipeline, RequestsArePaddedToSizeBuckets)
{
    auto s = session();
    const auto rewrite = [&](const QString &text) {
        Await<RunResult> done;
        s->rewrite(text, QStringLiteral("proofread"), QStringLiteral("en"),
            [&done](const auto &outcome, const auto &failure, const auto &report) {
                done.set(RunResult { outcome, failure, report });
            });
        EXPECT_TRUE(done.wait());
        EXPECT_FALSE(done.value().failure.has_value())
            << done.value().failure->describe().toStdString();
    };
    rewrite(QStringLiteral("ok"));
    rewrite(QString(250, QLatin1Char('a'))); // the token and headers take ~700 bytes
    rewrite(QString(3000, QLatin1Char('a')));
    ASSERT_EQ(service->postSizes.size(), 3u);
    EXPECT_EQ(service->postSizes[0], service->postSizes[1]) << "the length of the text shows";
    EXPECT_GT(service->postSizes[2], service->postSizes[1]);
    // The buckets are powers of two from 1 KiB; the encapsulation adds its
    // fixed header and tag (RFC 9458 Section 4.3) on top.
    EXPECT_GE(service->postSizes[0], 1024u);
    EXPECT_LT(service->postSizes[0], 1024u + 128u);
}

// Each request goes through a relay chosen at random among those offered
// and allowed (DESIGN.md step 1). With two relays, twenty requests all on one
// would happen with probability 2^-19.
TEST_F(Pipeline, RelayIsChosenAtRandomAmongTheAllowed)
{
    service->relays = 2;
    auto s = session();
    s->wallet()->setBatchSize(10);
    for (int i = 0; i < 20; ++i) {
        const RunResult r = summarize(*s);
        ASSERT_FALSE(r.failure.has_value()) << r.failure->describe().toStdString();
        EXPECT_TRUE(r.outcome->verification.relay.endsWith(service->postPaths.last()));
    }
    EXPECT_GT(service->postPaths.count(QStringLiteral("/relay")), 0);
    EXPECT_GT(service->postPaths.count(QStringLiteral("/relay2")), 0);
    // An admin who allows only the second relay gets only that one.
    adminPolicy("allowed-relays = " + service->config().relayUrls.at(1).toUtf8() + "\n");
    auto restricted = session();
    service->postPaths.clear();
    for (int i = 0; i < 5; ++i)
        ASSERT_FALSE(summarize(*restricted).failure.has_value());
    EXPECT_EQ(service->postPaths.count(QStringLiteral("/relay2")), 5);
}

// The service form is asked for once and kept for its TTL; after it the
// next request asks again (a changed form is seen without a restart).
TEST_F(Pipeline, DiscoveryIsCachedForItsTtl)
{
    auto s = session();
    ASSERT_FALSE(summarize(*s).failure.has_value());
    ASSERT_FALSE(summarize(*s).failure.has_value());
    EXPECT_EQ(channel->discoInfoRequests, 1);
    // A TTL of 0: the form is asked for again on every request.
    auto uncached = session();
    uncached->discovery()->setTtl(std::chrono::seconds(0));
    ASSERT_FALSE(summarize(*uncached).failure.has_value());
    ASSERT_FALSE(summarize(*uncached).failure.has_value());
    EXPECT_EQ(channel->discoInfoRequests, 3);
}
