// SPDX-License-Identifier: GPL-3.0-or-later
// Policy: the four layers (defaults < server form < admin file < user where
// allowed), the admin file's strict reading, the no-processing marker, and
// the user's per-chat settings file.
#include "plugin/core/chat_settings.h"
#include "plugin/core/policy.h"

#include <QFile>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace sotto::client;

namespace {

ServiceConfig service()
{
    ServiceConfig s;
    s.componentJid = QStringLiteral("pp.example.org");
    s.relayUrls = QStringList { QStringLiteral("https://relay-a.example/relay"),
        QStringLiteral("https://relay-b.example/relay") };
    s.witnessKeys
        = QStringList { QStringLiteral("w1"), QStringLiteral("w2"), QStringLiteral("w3") };
    s.witnessQuorum = 2;
    s.features = QStringList { QStringLiteral("summarize"), QStringLiteral("rewrite:formal"),
        QStringLiteral("rewrite:friendly") };
    s.teePlatforms = { sotto::snp::Generation::Genoa };
    s.teeMinimumTcb.snp = 8;
    return s;
}

QString writeFile(QTemporaryDir &dir, const QByteArray &content)
{
    const QString path = dir.filePath(QStringLiteral("policy.conf"));
    QFile f(path);
    EXPECT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(content);
    return path;
}

} // namespace

TEST(Policy, DefaultsRefuseSimulatedAndNeedAWitness)
{
    ServiceConfig s = service();
    s.allowSimulated = false;
    s.witnessQuorum = 0;
    const auto p = effectivePolicy(s, AdminPolicy {}, UserSettings {});
    EXPECT_TRUE(p.enabled);
    EXPECT_FALSE(p.allowSimulated);
    EXPECT_EQ(p.witnessQuorum, 1u);
    EXPECT_EQ(p.relays, s.relayUrls);
    EXPECT_EQ(p.features, s.features);
    EXPECT_FALSE(p.tee.allowDebug);
    EXPECT_FALSE(p.tee.allowMigrationAgent);
    EXPECT_EQ(p.tee.requiredVmpl, 0u);
    EXPECT_EQ(p.tee.minimumTcb.snp, 8);
    ASSERT_EQ(p.tee.allowedGenerations.size(), 1u);
    EXPECT_EQ(p.tee.allowedGenerations[0], sotto::snp::Generation::Genoa);
}

TEST(Policy, SimulatedNeedsTheServerAndTheClientsPolicy)
{
    ServiceConfig s = service();
    s.allowSimulated = true;
    // The server alone cannot make a client accept test keys.
    EXPECT_FALSE(effectivePolicy(s, {}, {}).allowSimulated);
    AdminPolicy admin;
    admin.allowSimulated = true;
    EXPECT_TRUE(effectivePolicy(s, admin, {}).allowSimulated);
    admin.allowSimulated = false;
    EXPECT_FALSE(effectivePolicy(s, admin, {}).allowSimulated);
    // Nor the client alone: the server must offer it.
    s.allowSimulated = false;
    admin.allowSimulated = true;
    EXPECT_FALSE(effectivePolicy(s, admin, {}).allowSimulated);
}

TEST(Policy, UserMayRefuseAlwaysButLoosenOnlyWithLeave)
{
    ServiceConfig s = service();
    s.allowSimulated = true;
    AdminPolicy allowing;
    allowing.allowSimulated = true;
    UserSettings refuse;
    refuse.allowSimulated = false;
    EXPECT_FALSE(effectivePolicy(s, allowing, refuse).allowSimulated);

    UserSettings allow;
    allow.allowSimulated = true;
    EXPECT_FALSE(effectivePolicy(s, {}, allow).allowSimulated);
    AdminPolicy admin;
    admin.userMayChange = QStringList { QStringLiteral("allow-simulated") };
    EXPECT_TRUE(effectivePolicy(s, admin, allow).allowSimulated);
}

TEST(Policy, WitnessQuorumIsTheHighestRequirement)
{
    AdminPolicy admin;
    admin.minimumWitnesses = 3;
    EXPECT_EQ(effectivePolicy(service(), admin, {}).witnessQuorum, 3u);
    UserSettings user;
    user.minimumWitnesses = 1; // lower than the admin's, without leave: ignored
    EXPECT_EQ(effectivePolicy(service(), admin, user).witnessQuorum, 3u);
    admin.userMayChange = QStringList { QStringLiteral("minimum-witnesses") };
    // With leave, still never below the server's quorum.
    EXPECT_EQ(effectivePolicy(service(), admin, user).witnessQuorum, 2u);
    user.minimumWitnesses = 5;
    EXPECT_EQ(effectivePolicy(service(), AdminPolicy {}, user).witnessQuorum, 5u);
}

TEST(Policy, RelaysAreRestrictedByAdminThenUser)
{
    AdminPolicy admin;
    admin.allowedRelays = QStringList { QStringLiteral("https://relay-b.example/relay/") };
    auto p = effectivePolicy(service(), admin, {});
    EXPECT_EQ(p.relays, QStringList { QStringLiteral("https://relay-b.example/relay") });
    UserSettings user;
    user.allowedRelays = QStringList { QStringLiteral("https://relay-a.example/relay") };
    EXPECT_TRUE(effectivePolicy(service(), admin, user).relays.isEmpty());
    EXPECT_EQ(effectivePolicy(service(), {}, user).relays, *user.allowedRelays);
}

TEST(Policy, DisabledFeaturesAndForcedOff)
{
    AdminPolicy admin;
    admin.disabledFeatures = QStringList { QStringLiteral("rewrite:friendly") };
    UserSettings user;
    user.disabledFeatures = QStringList { QStringLiteral("summarize") };
    const auto p = effectivePolicy(service(), admin, user);
    EXPECT_EQ(p.features, QStringList { QStringLiteral("rewrite:formal") });
    admin.forcedOff = true;
    EXPECT_FALSE(effectivePolicy(service(), admin, user).enabled);
}

TEST(PolicyFile, MissingFileIsTheEmptyPolicy)
{
    QTemporaryDir dir;
    auto p = loadAdminPolicy(dir.filePath(QStringLiteral("absent.conf")));
    ASSERT_TRUE(p.ok());
    EXPECT_FALSE(p->forcedOff);
    EXPECT_FALSE(p->allowSimulated.has_value());
    EXPECT_FALSE(p->allowedRelays.has_value());
}

TEST(PolicyFile, ReadsEverySetting)
{
    QTemporaryDir dir;
    const QString path = writeFile(dir,
        "[policy]\n"
        "forced-off = false\n"
        "allow-simulated = true\n"
        "minimum-witnesses = 2\n"
        "allowed-relays = \"https://relay-a.example/relay, https://relay-c.example/relay\"\n"
        "disabled-features = rewrite:friendly\n"
        "user-may-change = allow-simulated\n");
    auto p = loadAdminPolicy(path);
    ASSERT_TRUE(p.ok()) << p.detail();
    EXPECT_FALSE(p->forcedOff);
    EXPECT_EQ(p->allowSimulated, true);
    EXPECT_EQ(p->minimumWitnesses, 2);
    ASSERT_TRUE(p->allowedRelays.has_value());
    EXPECT_EQ(p->allowedRelays->size(), 2);
    EXPECT_EQ(p->disabledFeatures, QStringList { QStringLiteral("rewrite:friendly") });
    EXPECT_EQ(p->userMayChange, QStringList { QStringLiteral("allow-simulated") });
}

TEST(PolicyFile, UnknownSettingIsRefused)
{
    QTemporaryDir dir;
    auto p = loadAdminPolicy(writeFile(dir, "[policy]\nallow-simulate = true\n"));
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.error(), ClientError::PolicyFileInvalid);
    EXPECT_NE(p.detail().find("allow-simulate"), std::string::npos);
}

TEST(PolicyFile, MalformedValuesAreRefused)
{
    QTemporaryDir dir;
    auto a = loadAdminPolicy(writeFile(dir, "[policy]\nallow-simulated = maybe\n"));
    ASSERT_FALSE(a.ok());
    EXPECT_EQ(a.error(), ClientError::PolicyFileInvalid);
    auto b = loadAdminPolicy(writeFile(dir, "[policy]\nminimum-witnesses = two\n"));
    ASSERT_FALSE(b.ok());
    EXPECT_EQ(b.error(), ClientError::PolicyFileInvalid);
}

TEST(ChatMarker, ParticipantMarkerForbidsAndNamesWhoAsked)
{
    ChatProcessingInput in;
    in.messages = { { QStringLiteral("bob@example.org"), false },
        { QStringLiteral("carol@example.org"), true },
        { QStringLiteral("carol@example.org"), true } };
    const auto d = decideChatProcessing(in);
    EXPECT_FALSE(d.allowed);
    EXPECT_EQ(d.reason, ClientError::ChatOptedOut);
    EXPECT_EQ(d.requestedBy, QStringList { QStringLiteral("carol@example.org") });
    EXPECT_EQ(
        userMessage(d.reason), QStringLiteral("Someone in this chat asked for no AI processing"));
}

TEST(ChatMarker, RoomFormAndUserOptOutForbid)
{
    ChatProcessingInput room;
    room.roomForbidsProcessing = true;
    EXPECT_FALSE(decideChatProcessing(room).allowed);
    ChatProcessingInput self;
    self.userOptedOut = true;
    EXPECT_FALSE(decideChatProcessing(self).allowed);
    EXPECT_EQ(decideChatProcessing(self).reason, ClientError::ChatTurnedOff);
    ChatProcessingInput clean;
    clean.messages = { { QStringLiteral("bob@example.org"), false } };
    EXPECT_TRUE(decideChatProcessing(clean).allowed);
}

TEST(ChatMarker, ReadsTheElementAndTheRoomField)
{
    auto marked = XmlElement::parse(
        QStringLiteral("<message xmlns='jabber:client' from='carol@example.org'><body>hi</body>"
                       "<no-private-processing xmlns='urn:sotto:acp:0'/></message>"));
    ASSERT_TRUE(marked.has_value());
    EXPECT_TRUE(messageForbidsProcessing(*marked));
    auto other = XmlElement::parse(
        QStringLiteral("<message xmlns='jabber:client'><body>hi</body><no-private-processing "
                       "xmlns='urn:other'/></message>"));
    ASSERT_TRUE(other.has_value());
    EXPECT_FALSE(messageForbidsProcessing(*other));

    auto room = XmlElement::parse(QStringLiteral(
        "<query xmlns='http://jabber.org/protocol/disco#info'><x xmlns='jabber:x:data' "
        "type='result'>"
        "<field var='FORM_TYPE' "
        "type='hidden'><value>http://jabber.org/protocol/muc#roominfo</value></field>"
        "<field var='urn:sotto:acp:0#no-private-processing'><value>1</value></field></x></query>"));
    ASSERT_TRUE(room.has_value());
    EXPECT_TRUE(roomFormForbidsProcessing(*room));
    const auto withValue = [](const char *value) {
        auto q = XmlElement::parse(QStringLiteral(
            "<query xmlns='http://jabber.org/protocol/disco#info'><x xmlns='jabber:x:data' "
            "type='result'><field var='urn:sotto:acp:0#no-private-processing'>%1</field></x>"
            "</query>")
                .arg(QString::fromLatin1(value)));
        EXPECT_TRUE(q.has_value());
        return q ? roomFormForbidsProcessing(*q) : false;
    };
    EXPECT_FALSE(withValue("<value>0</value>"));
    EXPECT_FALSE(withValue("<value>false</value>"));
    EXPECT_FALSE(withValue("")); // no value: not set
    EXPECT_TRUE(withValue("<value>true</value>"));
    EXPECT_TRUE(withValue("<value>yes please</value>")); // unreadable: the safe side
    EXPECT_TRUE(withValue("<value/>"));
}

TEST(ChatSettings, TurnsChatsOffAndOnInAPrivateFile)
{
    QTemporaryDir dir;
    const ChatSettings chats(dir.filePath(QStringLiteral("profile/chats.json")));
    auto none = chats.turnedOff();
    ASSERT_TRUE(none.ok()); // no file: nothing turned off
    EXPECT_TRUE(none->isEmpty());
    ASSERT_TRUE(chats.setTurnedOff(QStringLiteral("Team@Rooms.Example.org/alice"), true).ok());
    ASSERT_TRUE(chats.setTurnedOff(QStringLiteral("bob@example.org"), true).ok());
    ASSERT_TRUE(chats.setTurnedOff(QStringLiteral("bob@example.org"), true).ok()); // once
    EXPECT_EQ(*chats.turnedOff(),
        (QStringList { QStringLiteral("bob@example.org"), QStringLiteral("team@rooms.example.org") }));
    EXPECT_TRUE(*chats.isTurnedOff(QStringLiteral("team@rooms.example.org")));
    EXPECT_TRUE(*chats.isTurnedOff(QStringLiteral("BOB@example.org/phone")));
    EXPECT_FALSE(*chats.isTurnedOff(QStringLiteral("carol@example.org")));
    EXPECT_EQ(QFile(chats.path()).permissions()
            & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup
                | QFileDevice::WriteOther),
        QFileDevice::Permissions {});
    ASSERT_TRUE(chats.setTurnedOff(QStringLiteral("bob@example.org"), false).ok());
    EXPECT_EQ(*chats.turnedOff(), QStringList { QStringLiteral("team@rooms.example.org") });
    // Not a JID: refused, the file unchanged.
    for (const char *bad : { "", "@example.org", "a@b@c", "bob@", "two words@example.org" }) {
        const auto s = chats.setTurnedOff(QString::fromLatin1(bad), true);
        EXPECT_FALSE(s.ok()) << bad;
    }
    EXPECT_EQ(*chats.turnedOff(), QStringList { QStringLiteral("team@rooms.example.org") });
}

TEST(ChatSettings, AFileThatCannotBeReadIsAnErrorNeverAnEmptyList)
{
    QTemporaryDir dir;
    const ChatSettings chats(dir.filePath(QStringLiteral("chats.json")));
    const auto withFile = [&](const QByteArray &bytes) {
        QFile f(chats.path());
        EXPECT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(bytes);
        f.close();
        const auto r = chats.isTurnedOff(QStringLiteral("bob@example.org"));
        EXPECT_FALSE(r.ok()) << bytes.left(60).toStdString();
        return r.ok() ? ClientError::ChatTurnedOff : r.error();
    };
    for (const QByteArray &bytes : { QByteArray("not json"), QByteArray("[]"),
             QByteArray("{\"version\":1,\"turned_off\":[]}"),
             QByteArray("{\"version\":0}"),
             QByteArray("{\"version\":0,\"turned_off\":{}}"),
             QByteArray("{\"version\":0,\"turned_off\":[7]}"),
             QByteArray("{\"version\":0,\"turned_off\":[\"no jid\"]}"),
             QByteArray("{\"version\":0,\"turned_off\":[\"bob@example.org\"") })
        EXPECT_EQ(withFile(bytes), ClientError::ChatSettingsInvalid);
    // Oversized.
    EXPECT_EQ(withFile(QByteArray(2 * 1024 * 1024, ' ')), ClientError::ChatSettingsInvalid);
    // A bad file is not overwritten by a change either.
    EXPECT_FALSE(chats.setTurnedOff(QStringLiteral("carol@example.org"), true).ok());
}
