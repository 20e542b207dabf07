// SPDX-License-Identifier: GPL-3.0-or-later
// The urn:sotto:pp:0 discovery form (DESIGN.md "Discovery form"): a complete
// form parses into a ServiceConfig; each required field missing or malformed
// is refused with the field named; no form is ServiceNotFound. A chat room's
// disco#info (queryRoomProcessing) is fail-closed.
#include "plugin/core/service_config.h"
#include "plugin/core/service_discovery.h"

#include "protocol/crypto/blind_rsa.h"
#include "protocol/privacypass/token.h"
#include "protocol/tlog/note.h"
#include "tests/client/support/wait.h"

#include <QMap>
#include <QTimer>

#include <gtest/gtest.h>

using namespace sotto;
using namespace sotto::client;

namespace {

using Fields = QMap<QString, QStringList>;

const QString &tokenKeyBase64()
{
    static const QString key = [] {
        auto sk = crypto::BlindRsaPrivateKey::generate(2048);
        auto spki = privacypass::IssuerPublicKey::encodeSpki(sk->publicKey());
        return QString::fromLatin1(
            QByteArray(reinterpret_cast<const char *>(spki->data()), static_cast<int>(spki->size()))
                .toBase64());
    }();
    return key;
}

QString verifierKey(const char *name, tlog::KeyType type)
{
    return QString::fromStdString(tlog::NoteSigner::generate(name, type)->verifierKey());
}

Fields completeForm()
{
    return Fields {
        { QStringLiteral("FORM_TYPE"), { QStringLiteral("urn:sotto:pp:0") } },
        { QStringLiteral("relay-url"),
            { QStringLiteral("https://relay1.example/relay"),
                QStringLiteral("https://relay2.example/relay") } },
        { QStringLiteral("gateway-origin"), { QStringLiteral("gateway.example.org") } },
        { QStringLiteral("keys-url"), { QStringLiteral("https://relay1.example/keys") } },
        { QStringLiteral("evidence-url"), { QStringLiteral("https://relay1.example/evidence") } },
        { QStringLiteral("log-url"), { QStringLiteral("https://log.example.org/log/") } },
        { QStringLiteral("log-key"), { verifierKey("log.example.org", tlog::KeyType::Ed25519) } },
        { QStringLiteral("witness-key"),
            { verifierKey("w1.example", tlog::KeyType::CosignatureV1),
                verifierKey("w2.example", tlog::KeyType::CosignatureV1) } },
        { QStringLiteral("witness-quorum"), { QStringLiteral("2") } },
        { QStringLiteral("issuer-name"), { QStringLiteral("issuer.example.org") } },
        { QStringLiteral("token-key"), { tokenKeyBase64() } },
        { QStringLiteral("tee-platform"), { QStringLiteral("genoa"), QStringLiteral("turin") } },
        { QStringLiteral("tee-min-tcb"),
            { QStringLiteral("bootloader=3,tee=0,snp=8,microcode=115") } },
        { QStringLiteral("allow-simulated"), { QStringLiteral("false") } },
        { QStringLiteral("feature"),
            { QStringLiteral("summarize"), QStringLiteral("rewrite:formal") } },
        { QStringLiteral("max-request-bytes"), { QStringLiteral("32768") } },
        { QStringLiteral("quota-per-day"), { QStringLiteral("50") } },
    };
}

XmlElement query(const Fields &fields)
{
    XmlElement q(QStringLiteral("query"), kDiscoInfoNs);
    XmlElement x(QStringLiteral("x"), kDataFormsNs);
    x.setAttribute(QStringLiteral("type"), QStringLiteral("result"));
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        XmlElement f(QStringLiteral("field"), kDataFormsNs);
        f.setAttribute(QStringLiteral("var"), it.key());
        for (const auto &v : it.value())
            f.appendChild(XmlElement(QStringLiteral("value"), kDataFormsNs).setText(v));
        x.appendChild(f);
    }
    q.appendChild(x);
    // Through text and back, as it arrives from a host.
    return *XmlElement::parse(q.toString());
}

} // namespace

TEST(ServiceForm, CompleteFormParses)
{
    auto c = parseServiceForm(query(completeForm()), QStringLiteral("pp.example.org"));
    ASSERT_TRUE(c.ok()) << c.detail();
    EXPECT_EQ(c->componentJid, QStringLiteral("pp.example.org"));
    EXPECT_EQ(c->relayUrls.size(), 2);
    EXPECT_EQ(c->gatewayAuthority(), QStringLiteral("gateway.example.org"));
    EXPECT_EQ(c->keysUrl, QUrl(QStringLiteral("https://relay1.example/keys")));
    EXPECT_EQ(c->logOrigin(), QStringLiteral("log.example.org"));
    EXPECT_EQ(c->witnessKeys.size(), 2);
    EXPECT_EQ(c->witnessQuorum, 2);
    EXPECT_EQ(c->issuerName, QStringLiteral("issuer.example.org"));
    ASSERT_EQ(c->teePlatforms.size(), 2u);
    EXPECT_EQ(c->teePlatforms[0], snp::Generation::Genoa);
    EXPECT_EQ(c->teeMinimumTcb.bootloader, 3);
    EXPECT_EQ(c->teeMinimumTcb.snp, 8);
    EXPECT_EQ(c->teeMinimumTcb.microcode, 115);
    EXPECT_FALSE(c->allowSimulated);
    EXPECT_EQ(c->features,
        (QStringList { QStringLiteral("summarize"), QStringLiteral("rewrite:formal") }));
    EXPECT_EQ(c->maxRequestBytes, 32768);
    EXPECT_EQ(c->quotaPerDay, 50);
}

TEST(ServiceForm, GatewayOriginWithSchemeGivesItsAuthority)
{
    Fields f = completeForm();
    f[QStringLiteral("gateway-origin")]
        = QStringList { QStringLiteral("https://gw.example.org:8443") };
    auto c = parseServiceForm(query(f), QStringLiteral("pp.example.org"));
    ASSERT_TRUE(c.ok()) << c.detail();
    EXPECT_EQ(c->gatewayAuthority(), QStringLiteral("gw.example.org:8443"));
}

TEST(ServiceForm, EachRequiredFieldIsRequired)
{
    for (const char *var : { "relay-url", "gateway-origin", "keys-url", "evidence-url", "log-url",
             "log-key", "issuer-name", "token-key", "feature" }) {
        Fields f = completeForm();
        f.remove(QLatin1String(var));
        auto c = parseServiceForm(query(f), QStringLiteral("pp.example.org"));
        ASSERT_FALSE(c.ok()) << var;
        EXPECT_EQ(c.error(), ClientError::ServiceFormInvalid) << var;
        EXPECT_NE(c.detail().find(var), std::string::npos) << var << ": " << c.detail();
    }
}

TEST(ServiceForm, MalformedValuesAreRefused)
{
    const std::pair<const char *, QStringList> cases[] = {
        { "relay-url", { QStringLiteral("relay.example/relay") } },
        { "keys-url", { QStringLiteral("ftp://relay1.example/keys") } },
        { "log-key", { QStringLiteral("not a key") } },
        { "witness-key", { QStringLiteral("w1+deadbeef+AAAA") } },
        { "witness-quorum", { QStringLiteral("3") } },
        { "token-key", { QStringLiteral("AAAA") } },
        { "tee-platform", { QStringLiteral("rome") } },
        { "tee-min-tcb", { QStringLiteral("snp=300") } },
        { "allow-simulated", { QStringLiteral("perhaps") } },
        { "max-request-bytes", { QStringLiteral("-1") } },
    };
    for (const auto &[var, values] : cases) {
        Fields f = completeForm();
        f[QLatin1String(var)] = values;
        auto c = parseServiceForm(query(f), QStringLiteral("pp.example.org"));
        ASSERT_FALSE(c.ok()) << var;
        EXPECT_EQ(c.error(), ClientError::ServiceFormInvalid) << var;
        EXPECT_NE(c.detail().find(var), std::string::npos) << var << ": " << c.detail();
    }
}

TEST(ServiceForm, NoSottoFormIsServiceNotFound)
{
    Fields f = completeForm();
    f[QStringLiteral("FORM_TYPE")] = QStringList { QStringLiteral("urn:xmpp:other:0") };
    auto c = parseServiceForm(query(f), QStringLiteral("pp.example.org"));
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.error(), ClientError::ServiceNotFound);
    EXPECT_EQ(
        userMessage(c.error()), QStringLiteral("Your server does not offer private processing"));
}

TEST(ServiceForm, TwoSottoFormsAreRefused)
{
    XmlElement q = query(completeForm());
    q.appendChild(q.children().front());
    auto c = parseServiceForm(q, QStringLiteral("pp.example.org"));
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.error(), ClientError::ServiceFormInvalid);
}

TEST(Xml, RoundTripKeepsNamespacesAttributesAndText)
{
    const QString text
        = QStringLiteral("<request xmlns=\"urn:sotto:pp:tokens:0\" "
                         "token-key-id=\"ab\"><token-request>QUJD</token-request>"
                         "<x xmlns=\"jabber:x:data\"><field var=\"a&amp;b\"/></x></request>");
    auto e = XmlElement::parse(text);
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->ns(), QStringLiteral("urn:sotto:pp:tokens:0"));
    EXPECT_EQ(e->attribute(QStringLiteral("token-key-id")), QStringLiteral("ab"));
    EXPECT_EQ(e->firstChild(QStringLiteral("token-request")).text(), QStringLiteral("QUJD"));
    EXPECT_EQ(e->firstChild(QStringLiteral("x"), kDataFormsNs)
                  .firstChild(QStringLiteral("field"))
                  .attribute(QStringLiteral("var")),
        QStringLiteral("a&b"));
    auto again = XmlElement::parse(e->toString());
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->toString(), e->toString());
    EXPECT_FALSE(XmlElement::parse(QStringLiteral("<a><b></a>")).has_value());
    EXPECT_FALSE(XmlElement::parse(QStringLiteral("<a/><b/>")).has_value());
}

TEST(Iq, ErrorReplyCarriesConditionAndText)
{
    auto iq = XmlElement::parse(
        QStringLiteral("<iq xmlns='jabber:client' type='error' id='1'><error type='wait'>"
                       "<policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
                       "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>daily limit "
                       "reached</text></error></iq>"));
    ASSERT_TRUE(iq.has_value());
    const IqReply r = IqReply::fromStanza(*iq);
    EXPECT_EQ(r.kind, IqReply::Kind::Error);
    EXPECT_EQ(r.errorCondition, QStringLiteral("policy-violation"));
    EXPECT_EQ(r.errorText, QStringLiteral("daily limit reached"));
}

namespace {

// Answers every IQ with one prepared reply, asynchronously, and keeps what
// was asked.
class ScriptedChannel : public XmppChannel {
public:
    bool isConnected() const override { return connected; }
    QString accountJid() const override { return QStringLiteral("alice@example.org"); }
    void sendIq(const QString &to, IqType type, const XmlElement &payload, IqCallback done) override
    {
        asked.append(to + QLatin1Char(' ') + iqTypeName(type) + QLatin1Char(' ')
            + payload.ns());
        QTimer::singleShot(0, this, [done, r = reply] { done(r); });
    }
    bool connected = true;
    IqReply reply;
    QStringList asked;
};

ClientResult<bool> askRoom(ScriptedChannel &channel)
{
    test::Await<ClientResult<bool>> r;
    queryRoomProcessing(&channel, QStringLiteral("team@rooms.example.org"), r.callback());
    EXPECT_TRUE(r.wait());
    return r.value();
}

IqReply roomInfo(const QString &inner)
{
    IqReply r;
    r.kind = IqReply::Kind::Result;
    r.payload = *XmlElement::parse(
        QStringLiteral("<query xmlns='http://jabber.org/protocol/disco#info'>%1</query>").arg(inner));
    return r;
}

} // namespace

TEST(RoomQuery, ReadsTheRoomsOption)
{
    ScriptedChannel c;
    c.reply = roomInfo(QStringLiteral(
        "<feature var='http://jabber.org/protocol/muc'/><x xmlns='jabber:x:data' type='result'>"
        "<field var='FORM_TYPE' type='hidden'><value>http://jabber.org/protocol/muc#roominfo"
        "</value></field><field var='urn:sotto:acp:0#no-private-processing' type='boolean'>"
        "<value>1</value></field></x>"));
    auto r = askRoom(c);
    ASSERT_TRUE(r.ok()) << r.detail();
    EXPECT_TRUE(r.value());
    EXPECT_EQ(c.asked,
        QStringList { QStringLiteral(
            "team@rooms.example.org get http://jabber.org/protocol/disco#info") });
    c.reply = roomInfo(QStringLiteral("<feature var='http://jabber.org/protocol/muc'/>"));
    r = askRoom(c);
    ASSERT_TRUE(r.ok()) << r.detail();
    EXPECT_FALSE(r.value()); // a room without the option (a server without the module)
}

TEST(RoomQuery, EveryFailureIsAnErrorNeverAllowed)
{
    ScriptedChannel c;
    c.reply.kind = IqReply::Kind::Timeout;
    EXPECT_EQ(askRoom(c).error(), ClientError::XmppTimeout);
    c.reply.kind = IqReply::Kind::Disconnected;
    EXPECT_EQ(askRoom(c).error(), ClientError::NotConnected);
    c.reply.kind = IqReply::Kind::Error;
    c.reply.errorCondition = QStringLiteral("item-not-found");
    auto r = askRoom(c);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error(), ClientError::XmppError);
    EXPECT_NE(r.detail().find("item-not-found"), std::string::npos) << r.detail();
    // A contact's or a server's disco#info: not a room.
    c.reply = roomInfo(QStringLiteral("<identity category='account' type='registered'/>"));
    r = askRoom(c);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.detail().find("not a room"), std::string::npos) << r.detail();
    c.connected = false;
    c.asked.clear();
    EXPECT_EQ(askRoom(c).error(), ClientError::NotConnected);
    EXPECT_TRUE(c.asked.isEmpty());
}
