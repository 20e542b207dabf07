// SPDX-License-Identifier: GPL-3.0-or-later
// sotto-component with real parts: Debian's Prosody (started by the test on loopback as the
// prosody user, deploy/stack/prosody-up.sh), the sotto-component binary, and a real XMPP
// client on QXmpp (plugin/core's QXmppChannel, ServiceDiscovery and TokenWallet). The tokens
// are checked by what the gateway does at redemption: its issuer-keys parser reads the
// component's --print-issuer-keys output, protocol/privacypass verifies each token, and the
// in-memory SpentTokenSet accepts it once.
#include "tests/component/component_harness.h"
#include "tests/component/prosody_harness.h"

#include "plugin/core/qxmpp_channel.h"
#include "plugin/core/service_discovery.h"
#include "plugin/core/token_wallet.h"
#include "protocol/privacypass/spent_set.h"
#include "protocol/privacypass/token.h"
#include "tee-backend/gateway/issuer_keys.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <csignal>

namespace sotto::test {
namespace {

using client::IqReply;
using client::IqType;
using client::XmlElement;

const QString kTokensNs = QStringLiteral("urn:sotto:pp:tokens:0");

void ensureApp()
{
    static int argc = 1;
    static char arg0[] = "tst_component_e2e";
    static char *argv[] = { arg0, nullptr };
    static QCoreApplication app(argc, argv);
    (void)app;
}

QByteArray toQt(ByteView b)
{
    return QByteArray(reinterpret_cast<const char *>(b.data()), static_cast<int>(b.size()));
}

Bytes fromQt(const QByteArray &b)
{
    return Bytes(b.begin(), b.end());
}

class ComponentE2E : public ::testing::Test {
protected:
    void SetUp() override { ensureApp(); }

    void startProsody(ProsodyOptions o = {})
    {
        if (o.users.empty())
            o.users = { { QStringLiteral("alice"), QStringLiteral("alice-pw") },
                { QStringLiteral("bob"), QStringLiteral("bob-pw") } };
        auto h = ProsodyHarness::create(o);
        ASSERT_TRUE(h.ok()) << h.detail();
        prosody = std::move(h).value();
    }

    QString configPath() const { return prosody->scratchDir() + QStringLiteral("/component.conf"); }

    void startComponent(bool waitConnected = true, const QStringList &extraArgs = {})
    {
        settings.port = prosody->componentPort();
        settings.stateDir = prosody->scratchDir() + QStringLiteral("/state");
        ASSERT_TRUE(writeComponentConfig(configPath(), settings));
        component = std::make_unique<ComponentProcess>(configPath());
        ASSERT_TRUE(component->start(extraArgs));
        if (waitConnected) {
            ASSERT_TRUE(component->waitForLog(QStringLiteral("connected as")))
                << component->log().toStdString();
        }
    }

    std::unique_ptr<client::QXmppChannel> connectClient(const QString &jid, const QString &password)
    {
        auto channel = std::make_unique<client::QXmppChannel>();
        channel->setIqTimeout(300'000);
        QString failure;
        QObject::connect(channel.get(), &client::QXmppChannel::connectFailed,
            [&](const QString &why) { failure = why; });
        client::XmppAccount account;
        account.jid = jid;
        account.password = password;
        account.host = QStringLiteral("127.0.0.1");
        account.port = prosody->c2sPort();
        channel->connectToServer(account);
        auto *c = channel.get();
        EXPECT_TRUE(waitUntil([&] { return c->isConnected() || !failure.isEmpty(); }));
        EXPECT_TRUE(c->isConnected()) << failure.toStdString();
        return channel;
    }

    IqReply sendIq(client::XmppChannel &channel, IqType type, const XmlElement &payload,
        const QString &to = QStringLiteral("pp.sotto.test"))
    {
        IqReply reply;
        bool done = false;
        channel.sendIq(to, type, payload, [&](const IqReply &r) {
            reply = r;
            done = true;
        });
        EXPECT_TRUE(waitUntil([&] { return done; }));
        return reply;
    }

    // The issuer keys as the gateway reads them (--issuer-keys FILE).
    gateway::IssuerKeySet issuerKeys()
    {
        const ToolRun run = runComponentTool(
            { QStringLiteral("--config"), configPath(), QStringLiteral("--print-issuer-keys") });
        EXPECT_EQ(run.exitCode, 0) << run.err.toStdString();
        auto set
            = gateway::parseIssuerKeys(run.out.toStdString(), settings.gatewayOrigin.toStdString());
        EXPECT_TRUE(set.ok()) << set.detail();
        return set.ok() ? std::move(set).value() : gateway::IssuerKeySet {};
    }

    privacypass::IssuerPublicKey currentKey(const gateway::IssuerKeySet &set)
    {
        return set.keys.front().key; // the current epoch's key comes before the next one's
    }

    // N fresh TokenRequests for the current key, with the client state to finalize them.
    std::vector<privacypass::ClientRequest> makeRequests(const gateway::IssuerKeySet &set, size_t n)
    {
        std::vector<privacypass::ClientRequest> out;
        for (size_t i = 0; i < n; ++i) {
            auto r = privacypass::createTokenRequest(set.encodedChallenge, currentKey(set));
            EXPECT_TRUE(r.ok()) << r.detail();
            out.push_back(std::move(r).value());
        }
        return out;
    }

    static XmlElement requestPayload(const QString &keyIdHex, const QStringList &texts)
    {
        XmlElement request(QStringLiteral("request"), kTokensNs);
        if (!keyIdHex.isNull())
            request.setAttribute(QStringLiteral("token-key-id"), keyIdHex);
        for (const auto &t : texts) {
            XmlElement tr(QStringLiteral("token-request"), kTokensNs);
            tr.setText(t);
            request.appendChild(tr);
        }
        return request;
    }

    static QStringList base64Of(const std::vector<privacypass::ClientRequest> &requests)
    {
        QStringList out;
        for (const auto &r : requests)
            out << QString::fromLatin1(toQt(r.request.encode()).toBase64());
        return out;
    }

    static QString keyIdHex(const privacypass::IssuerPublicKey &k)
    {
        return QString::fromStdString(toHex(k.tokenKeyId()));
    }

    // Sends N valid requests; on success finalizes and verifies every token it got back.
    IqReply requestTokens(client::XmppChannel &channel, const gateway::IssuerKeySet &set, size_t n,
        std::vector<privacypass::Token> *tokens = nullptr)
    {
        auto requests = makeRequests(set, n);
        IqReply reply = sendIq(
            channel, IqType::Set, requestPayload(keyIdHex(currentKey(set)), base64Of(requests)));
        if (!reply.ok())
            return reply;
        const auto responses
            = reply.payload.childrenNamed(QStringLiteral("token-response"), kTokensNs);
        EXPECT_LE(static_cast<size_t>(responses.size()), n);
        for (int i = 0; i < responses.size(); ++i) {
            auto resp = privacypass::TokenResponse::decode(
                fromQt(QByteArray::fromBase64(responses[i].text().toLatin1())));
            EXPECT_TRUE(resp.ok()) << resp.detail();
            if (!resp.ok())
                continue;
            auto token = privacypass::finalizeToken(
                requests[static_cast<size_t>(i)].state, currentKey(set), *resp);
            EXPECT_TRUE(token.ok()) << token.detail();
            if (token.ok() && tokens)
                tokens->push_back(std::move(token).value());
        }
        return reply;
    }

    static int responseCount(const IqReply &r)
    {
        return static_cast<int>(
            r.payload.childrenNamed(QStringLiteral("token-response"), kTokensNs).size());
    }

    static void expectError(const IqReply &r, const char *condition, const char *textPart)
    {
        EXPECT_EQ(r.kind, IqReply::Kind::Error);
        EXPECT_EQ(r.errorCondition.toStdString(), condition) << r.errorText.toStdString();
        EXPECT_TRUE(r.errorText.contains(QLatin1String(textPart)))
            << "error text \"" << r.errorText.toStdString() << "\" lacks \"" << textPart << "\"";
    }

    ComponentSettings settings;
    std::unique_ptr<ProsodyHarness> prosody;
    std::unique_ptr<ComponentProcess> component;
};

TEST_F(ComponentE2E, DiscoversIssuesAndTokensRedeemOnce)
{
    ASSERT_NO_FATAL_FAILURE(startProsody());
    ASSERT_NO_FATAL_FAILURE(startComponent());
    auto alice = connectClient(QStringLiteral("alice@sotto.test"), QStringLiteral("alice-pw"));
    ASSERT_TRUE(alice->isConnected());

    // XEP-0030 on the server finds the component; its form parses in the real client.
    client::ServiceDiscovery discovery(alice.get());
    std::optional<client::ClientResult<client::ServiceConfig>> found;
    discovery.discover([&](const client::ClientResult<client::ServiceConfig> &r) { found = r; });
    ASSERT_TRUE(waitUntil([&] { return found.has_value(); }));
    ASSERT_TRUE(found->ok()) << found->detail();
    const client::ServiceConfig &service = found->value();
    EXPECT_EQ(service.componentJid, QStringLiteral("pp.sotto.test"));
    EXPECT_EQ(service.issuerName, QStringLiteral("pp.sotto.test"));
    EXPECT_EQ(service.gatewayOrigin, settings.gatewayOrigin);
    EXPECT_EQ(service.relayUrls.size(), 2);
    EXPECT_EQ(service.witnessKeys.size(), 1);
    EXPECT_EQ(service.witnessQuorum, 1);
    EXPECT_TRUE(service.allowSimulated);
    EXPECT_EQ(service.features,
        (QStringList { QStringLiteral("summarize"), QStringLiteral("rewrite:formal") }));
    EXPECT_EQ(service.maxRequestBytes, 32768);
    EXPECT_EQ(service.quotaPerDay, 50);
    EXPECT_EQ(service.teeMinimumTcb.snp, 8);

    // The form's token-key is the current key of --print-issuer-keys.
    const gateway::IssuerKeySet keys = issuerKeys();
    ASSERT_EQ(keys.keys.size(), 2u); // current and next epoch
    EXPECT_EQ(fromQt(service.tokenKey), keys.keys.front().spki);
    EXPECT_EQ(keys.issuerName, "pp.sotto.test");

    // The client's wallet fetches a batch and finalizes it.
    client::TokenWallet wallet(prosody->scratchDir() + QStringLiteral("/wallet.json"), alice.get());
    ASSERT_TRUE(wallet.load().ok());
    wallet.setBatchSize(5);
    std::optional<client::ClientStatus> refilled;
    wallet.refill(service, [&](const client::ClientStatus &s) { refilled = s; });
    ASSERT_TRUE(waitUntil([&] { return refilled.has_value(); }));
    ASSERT_TRUE(refilled->ok()) << refilled->detail();
    EXPECT_EQ(wallet.count(service), 5);
    EXPECT_EQ(wallet.remainingQuota(), 45);

    // Redemption as the gateway does it: verify, then spend once.
    auto spent = privacypass::makeMemorySpentTokenSet();
    const int64_t now = QDateTime::currentSecsSinceEpoch();
    for (int i = 0; i < 2; ++i) {
        auto token = wallet.take(service);
        ASSERT_TRUE(token.ok()) << token.detail();
        const gateway::IssuerKey *key = keys.find(token->tokenKeyId, now);
        ASSERT_NE(key, nullptr);
        EXPECT_TRUE(privacypass::verifyToken(*token, key->key, keys.encodedChallenge).ok());
        EXPECT_TRUE(spent->spend(token->tokenKeyId, token->nonce, key->notAfter).ok());
        auto again = spent->spend(token->tokenKeyId, token->nonce, key->notAfter);
        ASSERT_FALSE(again.ok());
        EXPECT_EQ(again.error(), privacypass::SpendError::AlreadySpent);
    }
}

TEST_F(ComponentE2E, RefusesMalformedRequestsWithReasons)
{
    ASSERT_NO_FATAL_FAILURE(startProsody());
    ASSERT_NO_FATAL_FAILURE(startComponent());
    auto alice = connectClient(QStringLiteral("alice@sotto.test"), QStringLiteral("alice-pw"));
    ASSERT_TRUE(alice->isConnected());
    const gateway::IssuerKeySet keys = issuerKeys();
    ASSERT_FALSE(keys.keys.empty());
    const QString keyId = keyIdHex(currentKey(keys));
    const QStringList valid = base64Of(makeRequests(keys, 1));

    // Malformed base64 of the right length.
    expectError(
        sendIq(*alice, IqType::Set, requestPayload(keyId, { QString(348, QLatin1Char('!')) })),
        "bad-request", "base64");
    // Base64 of the wrong length.
    expectError(sendIq(*alice, IqType::Set, requestPayload(keyId, { QStringLiteral("AAAA") })),
        "bad-request", "expected 348 base64 characters");
    // Token type 0x0001 (VOPRF) instead of 0x0002.
    {
        Bytes raw = makeRequests(keys, 1).front().request.encode();
        raw[1] = 0x01;
        expectError(sendIq(*alice, IqType::Set,
                        requestPayload(keyId, { QString::fromLatin1(toQt(raw).toBase64()) })),
            "bad-request", "token type is not 0x0002");
    }
    // A truncated key id that is not the issuer key's.
    {
        Bytes raw = makeRequests(keys, 1).front().request.encode();
        raw[2] ^= 0xff;
        expectError(sendIq(*alice, IqType::Set,
                        requestPayload(keyId, { QString::fromLatin1(toQt(raw).toBase64()) })),
            "bad-request", "truncated_token_key_id");
    }
    // The next epoch's key (known, not yet signing), and a key id that is no key at all.
    expectError(sendIq(*alice, IqType::Set, requestPayload(keyIdHex(keys.keys.back().key), valid)),
        "bad-request", "is not the current issuer key");
    expectError(sendIq(*alice, IqType::Set, requestPayload(QString(64, QLatin1Char('0')), valid)),
        "bad-request", "is not the current issuer key");
    expectError(sendIq(*alice, IqType::Set, requestPayload(QString(), valid)), "bad-request",
        "token-key-id attribute is missing");
    // 10,000 requests in one IQ (empty ones, so that the stanza fits Prosody's c2s limit):
    // refused by count before anything is decoded.
    QStringList tenThousand;
    for (int i = 0; i < 10'000; ++i)
        tenThousand << QString();
    expectError(sendIq(*alice, IqType::Set, requestPayload(keyId, tenThousand)), "bad-request",
        "10000 token requests in one request, at most 20");
    // One more than the batch limit, all valid.
    expectError(
        sendIq(*alice, IqType::Set, requestPayload(keyId, base64Of(makeRequests(keys, 21)))),
        "bad-request", "21 token requests");
    expectError(sendIq(*alice, IqType::Set, requestPayload(keyId, {})), "bad-request",
        "no <token-request/>");
    // An element that is not a token-request.
    {
        XmlElement request = requestPayload(keyId, valid);
        request.appendChild(XmlElement(QStringLiteral("extra"), kTokensNs));
        expectError(sendIq(*alice, IqType::Set, request), "bad-request", "other than");
    }
    // Issuance is a set, not a get.
    expectError(sendIq(*alice, IqType::Get, requestPayload(keyId, valid)), "bad-request", "IQ set");
    // Something the component does not do.
    expectError(sendIq(*alice, IqType::Get,
                    XmlElement(QStringLiteral("query"), QStringLiteral("jabber:iq:version"))),
        "service-unavailable", "does not answer");
    // XEP-0199 ping.
    EXPECT_TRUE(sendIq(
        *alice, IqType::Get, XmlElement(QStringLiteral("ping"), QStringLiteral("urn:xmpp:ping")))
                    .ok());

    // Still alive, and none of the refusals cost quota.
    std::vector<privacypass::Token> tokens;
    const IqReply ok = requestTokens(*alice, keys, 3, &tokens);
    ASSERT_TRUE(ok.ok()) << ok.errorCondition.toStdString() << ": " << ok.errorText.toStdString();
    EXPECT_EQ(tokens.size(), 3u);
    EXPECT_EQ(ok.payload.attribute(QStringLiteral("remaining")), QStringLiteral("47"));
    EXPECT_TRUE(component->running());
    EXPECT_FALSE(component->log().contains(valid.front())); // no blinded message in the log
}

TEST_F(ComponentE2E, OnlyUsersOfItsDomainsAndAllowList)
{
    ProsodyOptions o;
    o.vhosts = QStringList { QStringLiteral("other.test") };
    o.users = { { QStringLiteral("alice"), QStringLiteral("alice-pw") },
        { QStringLiteral("bob"), QStringLiteral("bob-pw") },
        { QStringLiteral("eve@other.test"), QStringLiteral("eve-pw") } };
    ASSERT_NO_FATAL_FAILURE(startProsody(o));
    settings.allow = QStringList { QStringLiteral("bob@sotto.test") };
    ASSERT_NO_FATAL_FAILURE(startComponent());
    const gateway::IssuerKeySet keys = issuerKeys();
    ASSERT_FALSE(keys.keys.empty());

    auto eve = connectClient(QStringLiteral("eve@other.test"), QStringLiteral("eve-pw"));
    ASSERT_TRUE(eve->isConnected());
    expectError(requestTokens(*eve, keys, 1), "not-authorized", "other.test is not one of");

    auto alice = connectClient(QStringLiteral("alice@sotto.test"), QStringLiteral("alice-pw"));
    ASSERT_TRUE(alice->isConnected());
    expectError(requestTokens(*alice, keys, 1), "not-authorized", "not on it");

    auto bob = connectClient(QStringLiteral("bob@sotto.test"), QStringLiteral("bob-pw"));
    ASSERT_TRUE(bob->isConnected());
    std::vector<privacypass::Token> tokens;
    const IqReply r = requestTokens(*bob, keys, 2, &tokens);
    ASSERT_TRUE(r.ok()) << r.errorText.toStdString();
    EXPECT_EQ(tokens.size(), 2u);
}

TEST_F(ComponentE2E, QuotaIsPerUserAndSurvivesRestart)
{
    ASSERT_NO_FATAL_FAILURE(startProsody());
    settings.quotaPerDay = 5;
    ASSERT_NO_FATAL_FAILURE(startComponent());
    const gateway::IssuerKeySet keys = issuerKeys();
    ASSERT_FALSE(keys.keys.empty());
    auto alice = connectClient(QStringLiteral("alice@sotto.test"), QStringLiteral("alice-pw"));
    ASSERT_TRUE(alice->isConnected());

    IqReply r = requestTokens(*alice, keys, 3);
    ASSERT_TRUE(r.ok()) << r.errorText.toStdString();
    EXPECT_EQ(responseCount(r), 3);
    EXPECT_EQ(r.payload.attribute(QStringLiteral("remaining")), QStringLiteral("2"));
    // Asking for more than is left gets what is left.
    r = requestTokens(*alice, keys, 3);
    ASSERT_TRUE(r.ok()) << r.errorText.toStdString();
    EXPECT_EQ(responseCount(r), 2);
    EXPECT_EQ(r.payload.attribute(QStringLiteral("remaining")), QStringLiteral("0"));
    expectError(requestTokens(*alice, keys, 1), "policy-violation", "quota of 5 tokens is used up");

    // A crash and restart of the component does not give alice a fresh day.
    component->kill();
    component = std::make_unique<ComponentProcess>(configPath());
    ASSERT_TRUE(component->start());
    ASSERT_TRUE(component->waitForLog(QStringLiteral("connected as")));
    expectError(requestTokens(*alice, keys, 1), "policy-violation", "used up");
    // Nor does an orderly restart.
    EXPECT_EQ(component->stop(), 0);
    component = std::make_unique<ComponentProcess>(configPath());
    ASSERT_TRUE(component->start());
    ASSERT_TRUE(component->waitForLog(QStringLiteral("connected as")));
    expectError(requestTokens(*alice, keys, 1), "policy-violation", "used up");

    // The quota is per user.
    auto bob = connectClient(QStringLiteral("bob@sotto.test"), QStringLiteral("bob-pw"));
    ASSERT_TRUE(bob->isConnected());
    r = requestTokens(*bob, keys, 5);
    ASSERT_TRUE(r.ok()) << r.errorText.toStdString();
    EXPECT_EQ(responseCount(r), 5);
}

TEST_F(ComponentE2E, WrongSecretIsExplainedAndRetried)
{
    ASSERT_NO_FATAL_FAILURE(startProsody());
    settings.secret = QStringLiteral("not-the-component-secret");
    ASSERT_NO_FATAL_FAILURE(startComponent(false));
    ASSERT_TRUE(component->waitForLog(QStringLiteral("stream error not-authorized"), 2))
        << component->log().toStdString();
    EXPECT_TRUE(component->log().contains(QStringLiteral("component_secret")));
    EXPECT_TRUE(component->running());
    EXPECT_EQ(component->stop(), 0);
}

TEST_F(ComponentE2E, WaitsForProsodyThatStartsLater)
{
    ProsodyOptions o;
    o.configureOnly = true;
    ASSERT_NO_FATAL_FAILURE(startProsody(o));
    ASSERT_NO_FATAL_FAILURE(startComponent(false));
    ASSERT_TRUE(component->waitForLog(QStringLiteral("Connection refused"), 2))
        << component->log().toStdString();
    EXPECT_TRUE(component->running());

    ASSERT_TRUE(prosody->start().ok());
    ASSERT_TRUE(component->waitForLog(QStringLiteral("connected as")))
        << component->log().toStdString();
    auto alice = connectClient(QStringLiteral("alice@sotto.test"), QStringLiteral("alice-pw"));
    ASSERT_TRUE(alice->isConnected());
    const gateway::IssuerKeySet keys = issuerKeys();
    ASSERT_FALSE(keys.keys.empty());
    const IqReply r = requestTokens(*alice, keys, 1);
    EXPECT_TRUE(r.ok()) << r.errorText.toStdString();
}

TEST_F(ComponentE2E, ReconnectsAfterProsodyRestart)
{
    ASSERT_NO_FATAL_FAILURE(startProsody());
    ASSERT_NO_FATAL_FAILURE(startComponent());
    const gateway::IssuerKeySet keys = issuerKeys();
    ASSERT_FALSE(keys.keys.empty());

    ASSERT_TRUE(prosody->stop().ok());
    ASSERT_TRUE(component->waitForLog(QStringLiteral("stream lost")));
    ASSERT_TRUE(prosody->start().ok());
    ASSERT_TRUE(component->waitForLog(QStringLiteral("connected as"), 2))
        << component->log().toStdString();

    auto alice = connectClient(QStringLiteral("alice@sotto.test"), QStringLiteral("alice-pw"));
    ASSERT_TRUE(alice->isConnected());
    std::vector<privacypass::Token> tokens;
    const IqReply r = requestTokens(*alice, keys, 2, &tokens);
    ASSERT_TRUE(r.ok()) << r.errorText.toStdString();
    EXPECT_EQ(tokens.size(), 2u);
}

// The administrator's commands: --check-config explains, --print-issuer-keys writes what the
// gateway reads (and creates private keys on first use).
TEST(ComponentCli, CheckConfigAndPrintIssuerKeys)
{
    ensureApp();
    const ToolRun example = runComponentTool({ QStringLiteral("--config"),
        QStringLiteral(SOTTO_SOURCE_DIR "/deploy/prosody/component.conf.example"),
        QStringLiteral("--check-config") });
    EXPECT_EQ(example.exitCode, 0) << example.err.toStdString();
    EXPECT_TRUE(example.out.contains(QStringLiteral("is valid: component pp.example.org")));

    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString bad = dir.path() + QStringLiteral("/bad.conf");
    {
        QFile f(bad);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write("[component]\njid = pp.sotto.test\nsecret = short\n");
    }
    const ToolRun invalid
        = runComponentTool({ QStringLiteral("--config"), bad, QStringLiteral("--check-config") });
    EXPECT_EQ(invalid.exitCode, 1);
    EXPECT_TRUE(
        invalid.err.contains(QStringLiteral("line 3: secret: the component secret is shorter")))
        << invalid.err.toStdString();
    EXPECT_TRUE(invalid.err.contains(QStringLiteral("missing key: 'relay-url' in [service]")));

    const ToolRun missing = runComponentTool({ QStringLiteral("--config"),
        dir.path() + QStringLiteral("/none.conf"), QStringLiteral("--check-config") });
    EXPECT_EQ(missing.exitCode, 1);
    EXPECT_TRUE(missing.err.contains(QStringLiteral("cannot open"))) << missing.err.toStdString();

    ComponentSettings settings;
    settings.port = 5347;
    settings.stateDir = bad; // a file, not a folder
    const QString good = dir.path() + QStringLiteral("/component.conf");
    ASSERT_TRUE(writeComponentConfig(good, settings));
    const ToolRun notFolder
        = runComponentTool({ QStringLiteral("--config"), good, QStringLiteral("--check-config") });
    EXPECT_EQ(notFolder.exitCode, 1);
    EXPECT_TRUE(notFolder.err.contains(QStringLiteral("is not a folder")))
        << notFolder.err.toStdString();
    settings.stateDir = dir.path() + QStringLiteral("/state");
    ASSERT_TRUE(writeComponentConfig(good, settings));
    const ToolRun keys = runComponentTool(
        { QStringLiteral("--config"), good, QStringLiteral("--print-issuer-keys") });
    ASSERT_EQ(keys.exitCode, 0) << keys.err.toStdString();
    auto set = gateway::parseIssuerKeys(keys.out.toStdString(), "gateway.sotto.test");
    ASSERT_TRUE(set.ok()) << set.detail();
    EXPECT_EQ(set->keys.size(), 2u);
    const QFileInfoList files = QDir(settings.stateDir + QStringLiteral("/keys"))
                                    .entryInfoList({ QStringLiteral("*.pem") }, QDir::Files);
    ASSERT_EQ(files.size(), 2);
    for (const auto &f : files)
        EXPECT_EQ(f.permissions()
                & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
            QFile::Permissions {})
            << f.fileName().toStdString();
    // The same keys on the next call.
    const ToolRun again = runComponentTool(
        { QStringLiteral("--config"), good, QStringLiteral("--print-issuer-keys") });
    EXPECT_EQ(again.out, keys.out);
}

// A Prosody that hangs (SIGSTOP) keeps its sockets open: only the keepalive ping notices. The
// component drops the stream, keeps trying (connections that get no handshake time out), and
// is back once Prosody runs again.
TEST_F(ComponentE2E, NoticesAHungProsodyAndReconnects)
{
    ASSERT_NO_FATAL_FAILURE(startProsody());
    ASSERT_NO_FATAL_FAILURE(
        startComponent(true, { QStringLiteral("--keepalive-seconds"), QStringLiteral("1") }));
    ASSERT_EQ(::kill(static_cast<pid_t>(prosody->pid()), SIGSTOP), 0);
    const bool noticed = component->waitForLog(QStringLiteral("no answer to a keepalive ping"));
    const bool retried
        = noticed && component->waitForLog(QStringLiteral("did not complete the handshake"));
    ASSERT_EQ(::kill(static_cast<pid_t>(prosody->pid()), SIGCONT), 0);
    ASSERT_TRUE(noticed) << component->log().toStdString();
    EXPECT_TRUE(retried) << component->log().toStdString();
    ASSERT_TRUE(component->waitForLog(QStringLiteral("connected as"), 2))
        << component->log().toStdString();

    auto alice = connectClient(QStringLiteral("alice@sotto.test"), QStringLiteral("alice-pw"));
    ASSERT_TRUE(alice->isConnected());
    const gateway::IssuerKeySet keys = issuerKeys();
    ASSERT_FALSE(keys.keys.empty());
    const IqReply r = requestTokens(*alice, keys, 1);
    EXPECT_TRUE(r.ok()) << r.errorText.toStdString();
}

// Debian's python3-slixmpp as a second, independent client: discovery, a batch, and the
// policy-violation that slixmpp cannot name (read from the XML by the script).
TEST_F(ComponentE2E, SlixmppClientGetsTokensAndTheQuotaError)
{
    ASSERT_NO_FATAL_FAILURE(startProsody());
    settings.quotaPerDay = 3;
    ASSERT_NO_FATAL_FAILURE(startComponent());
    const gateway::IssuerKeySet keys = issuerKeys();
    ASSERT_FALSE(keys.keys.empty());
    const auto requests = makeRequests(keys, 3);
    const QString requestFile = prosody->scratchDir() + QStringLiteral("/requests.txt");
    {
        QFile f(requestFile);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        for (const auto &line : base64Of(requests))
            f.write(line.toLatin1() + "\n");
    }
    QProcess python;
    python.start(QStringLiteral("/usr/bin/python3"),
        { QStringLiteral(SOTTO_SLIXMPP_CLIENT), QStringLiteral("--host"),
            QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
            QString::number(prosody->c2sPort()), QStringLiteral("--jid"),
            QStringLiteral("alice@sotto.test"), QStringLiteral("--password"),
            QStringLiteral("alice-pw"), QStringLiteral("--component"),
            QStringLiteral("pp.sotto.test"), QStringLiteral("--key-id"), keyIdHex(currentKey(keys)),
            QStringLiteral("--requests"), requestFile });
    ASSERT_TRUE(python.waitForFinished(600'000));
    const QByteArray err = python.readAllStandardError();
    ASSERT_EQ(python.exitCode(), 0) << err.toStdString();
    const QJsonObject out = QJsonDocument::fromJson(python.readAllStandardOutput()).object();

    EXPECT_TRUE(
        out.value(QStringLiteral("items")).toArray().contains(QStringLiteral("pp.sotto.test")));
    const QJsonObject form = out.value(QStringLiteral("form")).toObject();
    EXPECT_EQ(form.value(QStringLiteral("FORM_TYPE")).toArray().first().toString(),
        QStringLiteral("urn:sotto:pp:0"));
    EXPECT_EQ(fromQt(QByteArray::fromBase64(
                  form.value(QStringLiteral("token-key")).toArray().first().toString().toLatin1())),
        keys.keys.front().spki);

    const QJsonObject first = out.value(QStringLiteral("first")).toObject();
    EXPECT_EQ(first.value(QStringLiteral("remaining")).toString(), QStringLiteral("0"));
    const QJsonArray responses = first.value(QStringLiteral("responses")).toArray();
    ASSERT_EQ(responses.size(), 3);
    auto spent = privacypass::makeMemorySpentTokenSet();
    for (int i = 0; i < 3; ++i) {
        auto resp = privacypass::TokenResponse::decode(
            fromQt(QByteArray::fromBase64(responses[i].toString().toLatin1())));
        ASSERT_TRUE(resp.ok()) << resp.detail();
        auto token = privacypass::finalizeToken(
            requests[static_cast<size_t>(i)].state, currentKey(keys), *resp);
        ASSERT_TRUE(token.ok()) << token.detail();
        EXPECT_TRUE(privacypass::verifyToken(*token, currentKey(keys), keys.encodedChallenge).ok());
        EXPECT_TRUE(spent->spend(token->tokenKeyId, token->nonce, keys.keys.front().notAfter).ok());
    }
    const QJsonObject second = out.value(QStringLiteral("second")).toObject();
    EXPECT_EQ(
        second.value(QStringLiteral("condition")).toString(), QStringLiteral("policy-violation"));
    EXPECT_TRUE(
        second.value(QStringLiteral("text")).toString().contains(QStringLiteral("used up")));
}

} // namespace
} // namespace sotto::test
