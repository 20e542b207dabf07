// SPDX-License-Identifier: GPL-3.0-or-later
// QXmppChannel against a real Prosody on loopback (deploy/stack/prosody-up.sh,
// with XEP-0313 message archiving switched on): IQs reach the server and
// their answers come back to the caller (also disco results, which QXmpp's
// own discovery manager would otherwise take), an IQ error carries its
// condition, and `sotto summarize --with` reads a chat from the archive with
// the no-private-processing marker of the message that carried it. Chat
// rooms (XEP-0045, made by slixmpp through tests/support/xmpp_room.py):
// the room's "no private processing" option (mod_muc_sotto_acp) is read from
// its disco#info, and `sotto summarize --room` reads the room's archive.
#include "plugin/core/qxmpp_channel.h"
#include "plugin/core/service_discovery.h"
#include "tests/client/support/wait.h"

#include <QXmppClient.h>
#include <QXmppElement.h>
#include <QXmppMessage.h>
#include <QXmppPingIq.h>

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <sys/stat.h>

#include <gtest/gtest.h>

using namespace sotto::client;
using namespace sotto::client::test;

namespace {

const QString kStackDir = QStringLiteral(SOTTO_DEPLOY_STACK_DIR);

bool run(const QString &program, const QStringList &args)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedChannels);
    p.start(program, args);
    return p.waitForFinished(180000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

class RealProsody : public ::testing::Test {
protected:
    void SetUp() override
    {
        ASSERT_TRUE(dir.isValid());
        // The prosody user must reach the folder (prosody-up.sh runs it as prosody under root).
        ASSERT_EQ(::chmod(QFile::encodeName(dir.path()).constData(), 0711), 0);
        prosodyDir = dir.filePath(QStringLiteral("prosody"));
        ASSERT_TRUE(run(kStackDir + QStringLiteral("/prosody-up.sh"),
            { prosodyDir, QStringLiteral("--domain"), QStringLiteral("sotto.test"),
                QStringLiteral("--component"), QStringLiteral("pp.sotto.test"),
                QStringLiteral("--secret"), QStringLiteral("component-secret"),
                QStringLiteral("--muc"), QStringLiteral("rooms.sotto.test"),
                QStringLiteral("--user"), QStringLiteral("alice:alice-pw"),
                QStringLiteral("--user"), QStringLiteral("bob:bob-pw") }));
        // prosody-up.sh turns message archiving (XEP-0313) on for every message.
        QFile json(prosodyDir + QStringLiteral("/prosody.json"));
        ASSERT_TRUE(json.open(QIODevice::ReadOnly));
        port = QJsonDocument::fromJson(json.readAll())
                   .object()
                   .value(QStringLiteral("c2s_port"))
                   .toInt();
        ASSERT_GT(port, 0);
        started = true;
    }

    void TearDown() override
    {
        if (started) {
            EXPECT_TRUE(run(kStackDir + QStringLiteral("/prosody-down.sh"), { prosodyDir }));
        }
    }

    XmppAccount account(const char *user, const char *password) const
    {
        XmppAccount a;
        a.jid = QString::fromLatin1(user) + QStringLiteral("@sotto.test");
        a.password = QString::fromLatin1(password);
        a.host = QStringLiteral("127.0.0.1");
        a.port = port;
        return a;
    }

    void connectChannel(QXmppChannel &channel, const XmppAccount &a)
    {
        QSignalSpy up(&channel, &XmppChannel::connectedChanged);
        channel.connectToServer(a);
        ASSERT_TRUE(up.wait(60000) || !up.isEmpty());
        ASSERT_TRUE(channel.isConnected());
    }

    QTemporaryDir dir;
    QString prosodyDir;
    int port = 0;
    bool started = false;
};

} // namespace

TEST_F(RealProsody, IqResultsAndErrorsReachTheCaller)
{
    QXmppChannel alice;
    connectChannel(alice, account("alice", "alice-pw"));

    // disco#items of the server: its answer lists the component.
    Await<IqReply> items;
    alice.sendIq(QStringLiteral("sotto.test"), IqType::Get,
        XmlElement(QStringLiteral("query"), kDiscoItemsNs), items.callback());
    ASSERT_TRUE(items.wait());
    ASSERT_TRUE(items.value().ok());
    bool listed = false;
    for (const auto &item : items.value().payload.childrenNamed(QStringLiteral("item")))
        listed |= item.attribute(QStringLiteral("jid")) == QLatin1String("pp.sotto.test");
    EXPECT_TRUE(listed) << items.value().payload.toString().toStdString();

    // The component is not connected: Prosody answers for it with an error.
    Await<IqReply> info;
    alice.sendIq(QStringLiteral("pp.sotto.test"), IqType::Get,
        XmlElement(QStringLiteral("query"), kDiscoInfoNs), info.callback());
    ASSERT_TRUE(info.wait());
    EXPECT_EQ(info.value().kind, IqReply::Kind::Error);
    EXPECT_FALSE(info.value().errorCondition.isEmpty());

    // Discovery ends with a typed error, not a hang.
    ServiceDiscovery discovery(&alice);
    Await<ClientResult<ServiceConfig>> found;
    discovery.discover(found.callback());
    ASSERT_TRUE(found.wait());
    ASSERT_FALSE(found.value().ok());
    EXPECT_EQ(found.value().error(), ClientError::XmppError);
}

TEST_F(RealProsody, ArchiveGivesTheChatWithItsMarker)
{
    QXmppChannel alice;
    connectChannel(alice, account("alice", "alice-pw"));

    QXmppClient bob;
    QSignalSpy bobUp(&bob, &QXmppClient::connected);
    QXmppConfiguration config;
    config.setJid(QStringLiteral("bob@sotto.test"));
    config.setPassword(QStringLiteral("bob-pw"));
    config.setHost(QStringLiteral("127.0.0.1"));
    config.setPort(port);
    bob.connectToServer(config);
    ASSERT_TRUE(bobUp.wait(60000) || !bobUp.isEmpty());
    const QStringList texts = { QStringLiteral("Shall we ship on Friday?"),
        QStringLiteral("Please keep this one private."), QStringLiteral("Review first.") };
    for (int i = 0; i < texts.size(); ++i) {
        QXmppMessage m(QString(), QStringLiteral("alice@sotto.test"), texts[i]);
        m.setType(QXmppMessage::Chat);
        if (i == 1) {
            QXmppElement marker;
            marker.setTagName(QStringLiteral("no-private-processing"));
            marker.setAttribute(QStringLiteral("xmlns"), QStringLiteral("urn:sotto:acp:0"));
            m.setExtensions({ marker });
        }
        ASSERT_TRUE(bob.sendPacket(m));
    }
    // Prosody handles one session's stanzas in order: once it answers a
    // ping sent after the messages, they are archived.
    QXmppPingIq ping;
    ping.setTo(QStringLiteral("sotto.test"));
    Await<bool> pong;
    QObject::connect(&bob, &QXmppClient::iqReceived, [&](const QXmppIq &iq) {
        if (iq.id() == ping.id())
            pong.set(true);
    });
    ASSERT_TRUE(bob.sendPacket(ping));
    const bool answered = pong.wait();
    ASSERT_TRUE(answered);

    Await<ClientResult<QVector<ArchivedMessage>>> archive;
    alice.fetchArchive(QStringLiteral("bob@sotto.test"), 50, archive.callback());
    ASSERT_TRUE(archive.wait());
    ASSERT_TRUE(archive.value().ok()) << archive.value().detail();
    const auto &messages = archive.value().value();
    ASSERT_EQ(messages.size(), 3);
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(messages[i].from, QStringLiteral("bob@sotto.test"));
        EXPECT_EQ(messages[i].text, texts[i]);
        EXPECT_TRUE(messages[i].time.isValid());
        EXPECT_EQ(messages[i].noPrivateProcessing, i == 1) << i;
    }
    bob.disconnectFromServer();
}

// bob makes `room` with slixmpp, an independent client.
static bool makeRoom(int port, const QString &passwordFile, const QString &room, QStringList extra)
{
    return run(QStringLiteral("/usr/bin/python3"),
        QStringList { QStringLiteral(SOTTO_XMPP_ROOM_TOOL), QStringLiteral("--port"),
            QString::number(port), QStringLiteral("--jid"), QStringLiteral("bob@sotto.test"),
            QStringLiteral("--password-file"), passwordFile, QStringLiteral("--room"),
            room + QStringLiteral("@rooms.sotto.test"), QStringLiteral("--nick"),
            QStringLiteral("bob") }
            + extra);
}

TEST_F(RealProsody, RoomOptionAndRoomArchive)
{
    const QString pw = dir.filePath(QStringLiteral("bob-pw"));
    {
        QFile f(pw);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write("bob-pw\n");
    }
    ASSERT_TRUE(makeRoom(port, pw, QStringLiteral("quiet"),
        { QStringLiteral("--no-private-processing"), QStringLiteral("--message"),
            QStringLiteral("Nothing to see.") }));
    // A later form with a value that is not a boolean must not turn it off.
    ASSERT_TRUE(makeRoom(port, pw, QStringLiteral("kept"),
        { QStringLiteral("--no-private-processing"), QStringLiteral("--resubmit-option"),
            QStringLiteral("maybe") }));
    const QStringList texts = { QStringLiteral("Shall we ship on Friday?"),
        QStringLiteral("I am off sick today."), QStringLiteral("Review first.") };
    ASSERT_TRUE(makeRoom(port, pw, QStringLiteral("team"),
        { QStringLiteral("--message"), texts[0], QStringLiteral("--message"), texts[1],
            QStringLiteral("--message"), texts[2], QStringLiteral("--marker"),
            QStringLiteral("1") }));

    QXmppChannel alice;
    connectChannel(alice, account("alice", "alice-pw"));
    const auto ask = [&](const QString &room) {
        Await<ClientResult<bool>> r;
        queryRoomProcessing(&alice, room, r.callback());
        EXPECT_TRUE(r.wait());
        return r.value();
    };
    const auto quiet = ask(QStringLiteral("quiet@rooms.sotto.test"));
    ASSERT_TRUE(quiet.ok()) << quiet.detail();
    EXPECT_TRUE(quiet.value());
    const auto kept = ask(QStringLiteral("kept@rooms.sotto.test"));
    ASSERT_TRUE(kept.ok()) << kept.detail();
    EXPECT_TRUE(kept.value());
    const auto team = ask(QStringLiteral("team@rooms.sotto.test"));
    ASSERT_TRUE(team.ok()) << team.detail();
    EXPECT_FALSE(team.value());
    // Fail-closed: no answer that could read as "allowed".
    const auto missing = ask(QStringLiteral("nowhere@rooms.sotto.test"));
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error(), ClientError::XmppError);
    EXPECT_NE(missing.detail().find("item-not-found"), std::string::npos) << missing.detail();
    const auto contact = ask(QStringLiteral("bob@sotto.test"));
    ASSERT_FALSE(contact.ok());
    EXPECT_EQ(contact.error(), ClientError::XmppError);

    Await<ClientResult<QVector<ArchivedMessage>>> archive;
    alice.fetchRoomArchive(QStringLiteral("team@rooms.sotto.test"), 50, archive.callback());
    ASSERT_TRUE(archive.wait());
    ASSERT_TRUE(archive.value().ok()) << archive.value().detail();
    const auto &messages = archive.value().value();
    ASSERT_EQ(messages.size(), 3);
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(messages[i].from, QStringLiteral("bob")); // the nickname
        EXPECT_EQ(messages[i].text, texts[i]);
        EXPECT_TRUE(messages[i].time.isValid());
        EXPECT_EQ(messages[i].noPrivateProcessing, i == 1) << i;
    }
}
