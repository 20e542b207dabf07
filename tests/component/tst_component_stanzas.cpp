// SPDX-License-Identifier: GPL-3.0-or-later
// The Qt side of sotto-component without Prosody: ComponentService answering stanzas (the
// form, errors, a fuzz-style sweep of truncated and corrupted issuance IQs: every one gets an
// answer, none crashes), QuotaStore across reopening, and ComponentStream against a scripted
// TCP peer for what a real Prosody never sends (malformed XML, oversized stanzas) and for the
// XEP-0114 handshake digest.
#include "plugin/server/component_service.h"
#include "plugin/server/component_stream.h"
#include "plugin/server/quota_store.h"

#include "protocol/privacypass/token.h"
#include "protocol/tlog/base64.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QElapsedTimer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace sotto::component {
namespace {

void ensureApp()
{
    static int argc = 1;
    static char arg0[] = "tst_component_stanzas";
    static char *argv[] = { arg0, nullptr };
    static QCoreApplication app(argc, argv);
    (void)app;
}

bool waitUntil(const std::function<bool()> &done, int limitMs = 120'000)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > limitMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(2);
    }
    return true;
}

ComponentConfig testConfig(const QString &stateDir)
{
    std::ifstream in(SOTTO_TEST_DATA_DIR "/../../deploy/prosody/component.conf.example");
    std::ostringstream s;
    s << in.rdbuf();
    auto c = parseComponentConfig(s.str());
    EXPECT_TRUE(c.ok()) << c.detail();
    ComponentConfig config = c.ok() ? *c : ComponentConfig {};
    config.jid = "pp.sotto.test";
    config.domains = { "sotto.test" };
    config.issuerName = "pp.sotto.test";
    config.gatewayOrigin = "gateway.sotto.test";
    config.stateDir = stateDir.toStdString();
    config.quotaPerDay = 1'000'000;
    return config;
}

class ServiceFixture : public ::testing::Test {
protected:
    void SetUp() override
    {
        ensureApp();
        ASSERT_TRUE(dir.isValid());
        auto keys = IssuerKeyRing::open((dir.path() + QStringLiteral("/keys")).toStdString(), 30,
            QDateTime::currentSecsSinceEpoch());
        ASSERT_TRUE(keys.ok()) << keys.detail();
        keyIdHex = QString::fromStdString(keys->current().tokenKeyIdHex());
        publicKey = keys->current().publicKey;
        ASSERT_TRUE(quota.open(dir.path() + QStringLiteral("/quota.sqlite")).ok());
        service = std::make_unique<ComponentService>(
            testConfig(dir.path()), std::move(keys).value(), nullptr, &quota);
    }

    XmlNode answer(const QByteArray &xml)
    {
        auto node = XmlNode::fromXml(xml);
        EXPECT_TRUE(node) << xml.toStdString();
        return node ? service->handle(*node) : XmlNode {};
    }

    QByteArray issuanceIq(int n, const QString &from = QStringLiteral("alice@sotto.test/r"))
    {
        privacypass::TokenChallenge c;
        c.issuerName = toBytes("pp.sotto.test");
        c.originInfo = toBytes("gateway.sotto.test");
        QByteArray xml = QStringLiteral("<iq xmlns='jabber:component:accept' type='set' id='i1' "
                                        "from='%1' to='pp.sotto.test'><request "
                                        "xmlns='urn:sotto:pp:tokens:0' token-key-id='%2'>")
                             .arg(from, keyIdHex)
                             .toUtf8();
        for (int i = 0; i < n; ++i) {
            auto r = privacypass::createTokenRequest(*c.encode(), publicKey);
            EXPECT_TRUE(r.ok());
            xml += "<token-request>"
                + QByteArray::fromStdString(tlog::base64Encode(r->request.encode()))
                + "</token-request>";
        }
        return xml + "</request></iq>";
    }

    static QString condition(const XmlNode &reply)
    {
        const XmlNode *error = reply.firstChild(QStringLiteral("error"));
        if (!error)
            return {};
        for (const auto &c : error->children()) {
            if (c.ns() == kStanzaErrorNs && c.name() != QLatin1String("text"))
                return c.name();
        }
        return {};
    }

    QTemporaryDir dir;
    QuotaStore quota;
    QString keyIdHex;
    privacypass::IssuerPublicKey publicKey;
    std::unique_ptr<ComponentService> service;
};

TEST_F(ServiceFixture, DiscoInfoHasIdentityFeaturesAndForm)
{
    const XmlNode reply = answer("<iq xmlns='jabber:component:accept' type='get' id='d1' "
                                 "from='alice@sotto.test/r' to='pp.sotto.test'><query "
                                 "xmlns='http://jabber.org/protocol/disco#info'/></iq>");
    EXPECT_EQ(reply.attribute(QStringLiteral("type")), QStringLiteral("result"));
    EXPECT_EQ(reply.attribute(QStringLiteral("id")), QStringLiteral("d1"));
    EXPECT_EQ(reply.attribute(QStringLiteral("to")), QStringLiteral("alice@sotto.test/r"));
    const XmlNode *query = reply.firstChild(QStringLiteral("query"), kDiscoInfoNs);
    ASSERT_NE(query, nullptr);
    ASSERT_NE(query->firstChild(QStringLiteral("identity")), nullptr);
    QStringList features;
    for (const auto &c : query->children()) {
        if (c.name() == QLatin1String("feature"))
            features << c.attribute(QStringLiteral("var"));
    }
    EXPECT_TRUE(features.contains(kTokensNs));
    EXPECT_TRUE(features.contains(kPingNs));
    const XmlNode *form = query->firstChild(QStringLiteral("x"), kDataFormsNs);
    ASSERT_NE(form, nullptr);
    EXPECT_EQ(form->attribute(QStringLiteral("type")), QStringLiteral("result"));
    ASSERT_FALSE(form->children().isEmpty());
    EXPECT_EQ(
        form->children().front().attribute(QStringLiteral("var")), QStringLiteral("FORM_TYPE"));
    // The XML round-trips: what is sent parses back to the same form.
    auto again = XmlNode::fromXml(reply.toXml(QString()));
    ASSERT_TRUE(again);
    EXPECT_EQ(again->toXml(QString()), reply.toXml(QString()));
}

TEST_F(ServiceFixture, StanzasThatGetNoAnswerOrAnError)
{
    EXPECT_TRUE(answer("<message xmlns='jabber:component:accept' from='a@sotto.test/r'><body>"
                       "hi</body></message>")
                    .name()
                    .isEmpty());
    EXPECT_TRUE(
        answer("<iq xmlns='jabber:component:accept' type='result' id='x'/>").name().isEmpty());
    EXPECT_TRUE(
        answer("<iq xmlns='jabber:component:accept' type='error' id='x'/>").name().isEmpty());
    EXPECT_EQ(condition(answer("<iq xmlns='jabber:component:accept' type='get' id='x'/>")),
        QStringLiteral("bad-request"));
    EXPECT_EQ(condition(answer("<iq xmlns='jabber:component:accept' type='get' id='x'><a "
                               "xmlns='urn:x'/><b xmlns='urn:x'/></iq>")),
        QStringLiteral("bad-request"));
    EXPECT_EQ(condition(answer("<iq xmlns='jabber:component:accept' type='set' id='x'><a "
                               "xmlns='urn:x'/></iq>")),
        QStringLiteral("service-unavailable"));
    EXPECT_EQ(condition(answer(issuanceIq(1, QStringLiteral("sotto.test")))),
        QStringLiteral("not-authorized"));
    const XmlNode ok = answer(issuanceIq(2));
    ASSERT_EQ(ok.attribute(QStringLiteral("type")), QStringLiteral("result"));
    const XmlNode *response = ok.firstChild(QStringLiteral("response"), kTokensNs);
    ASSERT_NE(response, nullptr);
    EXPECT_EQ(response->children().size(), 2);
}

TEST_F(ServiceFixture, QuotaOfPastDaysIsForgotten)
{
    // The first hour of the current 30-day key epoch: two days on, the same key still signs.
    const int64_t epoch = 30 * 86400;
    int64_t now = QDateTime::currentSecsSinceEpoch() / epoch * epoch + 3600;
    service->setClock([&] { return now; });
    ASSERT_EQ(answer(issuanceIq(2)).attribute(QStringLiteral("type")), QStringLiteral("result"));
    const int64_t day = utcDay(now);
    EXPECT_EQ(*quota.used("alice@sotto.test", day), 2u);
    now += 86400;
    ASSERT_EQ(answer(issuanceIq(1)).attribute(QStringLiteral("type")), QStringLiteral("result"));
    EXPECT_EQ(*quota.used("alice@sotto.test", day), 2u); // yesterday is kept
    EXPECT_EQ(*quota.used("alice@sotto.test", day + 1), 1u);
    now += 86400;
    ASSERT_EQ(answer(issuanceIq(1)).attribute(QStringLiteral("type")), QStringLiteral("result"));
    EXPECT_EQ(*quota.used("alice@sotto.test", day), 0u);
    EXPECT_EQ(*quota.used("alice@sotto.test", day + 1), 1u);
}

// Fuzz-style sweep over the IQ payload parser: every truncation that is still well-formed
// XML and a corruption of every byte each get a result or an error, and never a crash.
TEST_F(ServiceFixture, SweepOfTruncatedAndCorruptedIssuanceIqs)
{
    const QByteArray iq = issuanceIq(1);
    int answered = 0;
    int wellFormed = 0;
    const auto check = [&](const QByteArray &xml) {
        auto node = XmlNode::fromXml(xml);
        if (!node)
            return;
        ++wellFormed;
        const XmlNode reply = service->handle(*node);
        if (reply.name().isEmpty())
            return;
        const QString type = reply.attribute(QStringLiteral("type"));
        EXPECT_TRUE(type == QLatin1String("result") || type == QLatin1String("error"));
        if (type == QLatin1String("error")) {
            const XmlNode *error = reply.firstChild(QStringLiteral("error"));
            ASSERT_NE(error, nullptr);
            const XmlNode *text = error->firstChild(QStringLiteral("text"), kStanzaErrorNs);
            ASSERT_NE(text, nullptr);
            EXPECT_FALSE(text->text().isEmpty());
        }
        ++answered;
    };
    for (int n = 0; n <= iq.size(); ++n)
        check(iq.left(n));
    const char replacements[] = { 'A', '/', '=', '<', '"', '\'', '0', ' ' };
    for (int i = 0; i < iq.size(); ++i) {
        QByteArray corrupted = iq;
        corrupted[i] = replacements[i % sizeof(replacements)];
        check(corrupted);
    }
    EXPECT_GT(wellFormed, iq.size() / 2);
    EXPECT_GT(answered, 0);
}

TEST(ComponentQuotaStore, KeepsCountsAcrossReopen)
{
    ensureApp();
    QTemporaryDir dir;
    const QString path = dir.path() + QStringLiteral("/quota.sqlite");
    {
        QuotaStore q;
        ASSERT_TRUE(q.open(path).ok());
        auto charged = q.charge("alice@sotto.test", 20000,
            [](uint32_t used) -> IssuanceResult<uint32_t> { return used + 7 - used; });
        ASSERT_TRUE(charged.ok()) << charged.detail();
        // A refusal rolls back.
        auto refused
            = q.charge("alice@sotto.test", 20000, [](uint32_t) -> IssuanceResult<uint32_t> {
                  return fail(IssuanceError::PolicyViolation, std::string("no"));
              });
        EXPECT_FALSE(refused.ok());
    }
    QuotaStore q;
    ASSERT_TRUE(q.open(path).ok());
    auto used = q.used("alice@sotto.test", 20000);
    ASSERT_TRUE(used.ok());
    EXPECT_EQ(*used, 7u);
    EXPECT_EQ(*q.used("bob@sotto.test", 20000), 0u);
    EXPECT_EQ(*q.used("alice@sotto.test", 20001), 0u);
    ASSERT_TRUE(q.pruneBefore(20001).ok());
    EXPECT_EQ(*q.used("alice@sotto.test", 20000), 0u);
    // An unopenable file is an error with the path in it.
    QuotaStore bad;
    auto s = bad.open(QStringLiteral("/proc/sotto-no/quota.sqlite"));
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.detail().find("quota database"), std::string::npos);
}

// A scripted XEP-0114 server on loopback.
class ScriptedServer : public QObject {
public:
    ScriptedServer()
    {
        server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&server, &QTcpServer::newConnection, [this] {
            socket = server.nextPendingConnection();
            ++connections;
            received.clear();
            QObject::connect(
                socket, &QTcpSocket::readyRead, [this, s = socket] { received += s->readAll(); });
        });
    }
    quint16 port() const { return server.serverPort(); }
    QTcpServer server;
    QTcpSocket *socket = nullptr;
    QByteArray received;
    int connections = 0;
};

const QByteArray kServerHeader = "<?xml version='1.0'?><stream:stream "
                                 "xmlns:stream='http://etherx.jabber.org/streams' "
                                 "xmlns='jabber:component:accept' id='3BF96D32' "
                                 "from='pp.sotto.test'>";

TEST(ComponentStreamPeer, HandshakeDigestThenSurvivesGarbageAndHugeStanzas)
{
    ensureApp();
    ScriptedServer peer;
    int readies = 0;
    QStringList losses;
    ComponentStream stream(QStringLiteral("pp.sotto.test"), QStringLiteral("sunny-secret"),
        QStringLiteral("127.0.0.1"), peer.port());
    stream.setBackoff(10, 50);
    stream.setMaxStanzaBytes(64 * 1024);
    QObject::connect(&stream, &ComponentStream::ready, [&] { ++readies; });
    QObject::connect(
        &stream, &ComponentStream::disconnected, [&](const QString &why) { losses << why; });
    stream.start();

    // XEP-0114 Section 3: handshake = lower-case hex SHA-1(stream id + secret).
    ASSERT_TRUE(waitUntil([&] {
        return peer.received.contains("to='pp.sotto.test'")
            || peer.received.contains("to=\"pp.sotto.test\"");
    }));
    peer.socket->write(kServerHeader);
    const QByteArray digest
        = QCryptographicHash::hash("3BF96D32sunny-secret", QCryptographicHash::Sha1).toHex();
    ASSERT_TRUE(waitUntil([&] { return peer.received.contains(digest); }))
        << peer.received.toStdString();
    peer.socket->write("<handshake/>");
    ASSERT_TRUE(waitUntil([&] { return readies == 1; }));

    // Malformed XML: the stream is dropped and opened again.
    peer.socket->write("<iq type='get'><<</iq>");
    ASSERT_TRUE(waitUntil([&] { return peer.connections == 2; }));
    ASSERT_TRUE(waitUntil([&] { return !losses.isEmpty(); }));
    EXPECT_TRUE(losses.back().contains(QStringLiteral("malformed XML")))
        << losses.back().toStdString();
    ASSERT_TRUE(waitUntil([&] { return peer.received.contains("stream:stream"); }));
    peer.socket->write(kServerHeader);
    ASSERT_TRUE(waitUntil([&] { return peer.received.contains(digest); }));
    peer.socket->write("<handshake/>");
    ASSERT_TRUE(waitUntil([&] { return readies == 2; }));

    // A stanza larger than the limit, sent in pieces.
    peer.socket->write("<message><body>");
    const QByteArray chunk(16 * 1024, 'x');
    for (int i = 0; i < 8; ++i)
        peer.socket->write(chunk);
    ASSERT_TRUE(waitUntil([&] { return peer.connections == 3; }));
    EXPECT_TRUE(losses.back().contains(QStringLiteral("larger than")))
        << losses.back().toStdString();

    // A stream error explains itself.
    ASSERT_TRUE(waitUntil([&] { return peer.received.contains("stream:stream"); }));
    peer.socket->write(kServerHeader
        + "<stream:error><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
          "</stream:error>");
    ASSERT_TRUE(waitUntil([&] { return peer.connections == 4; }));
    EXPECT_TRUE(losses.back().contains(QStringLiteral("component_secret")))
        << losses.back().toStdString();
    stream.stop();
}

} // namespace
} // namespace sotto::component
