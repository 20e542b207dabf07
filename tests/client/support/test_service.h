// SPDX-License-Identifier: GPL-3.0-or-later
// The service side for the client's tests, built from the project's real
// parts on loopback: a relay/gateway HTTP server (ohttp::Gateway with a fresh
// X25519 key, Binary HTTP, Privacy Pass redemption), evidence from the
// simulated SEV-SNP provider (tee-backend/attestation), a tlog-tiles release
// log written with tlog::LogWriter and cosigned by witness keys, and an
// in-process XmppChannel that answers discovery and token issuance with the
// real blind-RSA issuer. Each failure the client must catch can be switched
// on; `posts()` counts what reached the relay.
//
// The end-to-end suite (tests/e2e) runs the same client against sotto-gateway,
// nginx and sotto-component; this fixture lets every unit test run alone.
#pragma once

#include "plugin/core/service_config.h"
#include "plugin/core/xmpp_channel.h"
#include "tests/client/support/http_server.h"

#include "protocol/crypto/blind_rsa.h"
#include "protocol/ohttp/ohttp.h"
#include "protocol/privacypass/token.h"
#include "protocol/tlog/log_writer.h"
#include "protocol/tlog/note.h"
#include "tee-backend/attestation/provider.h"

#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace sotto::client::test {

class TestService {
public:
    // Creates keys, the simulated chain and the log under `dir`, and starts
    // the HTTP server. nullptr (with a message on stderr) on failure.
    static std::unique_ptr<TestService> create(
        const QString &dir, int witnesses = 2, int quorum = 2);

    // --- Injections ------------------------------------------------------
    qint64 notAfterFromNow = 3600;       // negative: the evidence has expired
    bool bindOtherKeys = false;          // REPORT_DATA over other key configs
    bool releaseNotLogged = false;       // the bundle's statement is not in the log
    bool wrongLoggedMeasurement = false; // the logged statement names another measurement
    int cosigningWitnesses = -1;         // how many witnesses cosign (-1: all)
    int relays = 1;                      // relay URLs the form offers (/relay, /relay2, ...)

    // What reached the relays: the encapsulated size and the relay path of each POST.
    std::vector<size_t> postSizes;
    QStringList postPaths;

    // Re-publishes the log with the current injections (call after changing
    // releaseNotLogged, wrongLoggedMeasurement or cosigningWitnesses).
    bool publishLog();
    // Serves a different history under the same log key (a split view).
    bool forkLog();
    // Replaces the gateway's key (rotation): old requests get ohttp-key.
    bool rotateKey();

    int posts() const { return m_http->count("POST"); }
    int gets() const { return m_http->count("GET"); }
    HttpServer &http() { return *m_http; }

    // The urn:sotto:pp:0 form as the component would announce it.
    XmlElement discoInfo() const;
    ServiceConfig config() const;
    const QString &componentJid() const { return m_componentJid; }
    const crypto::BlindRsaPrivateKey &issuerKey() const { return *m_issuerKey; }
    const privacypass::IssuerPublicKey &issuer() const { return *m_issuer; }
    const QString &measurement() const { return m_measurementHex; }

private:
    TestService() = default;
    HttpAnswer handle(const HttpRequest &request);
    HttpAnswer evidence(const QByteArray &target);
    HttpAnswer relay(const QByteArray &body);
    bool writeLog(const QString &dir, bool forked);
    std::string releaseStatement(const QString &measurementHex) const;

    QString m_dir;
    QString m_componentJid = QStringLiteral("pp.sotto.test");
    std::unique_ptr<HttpServer> m_http;
    std::unique_ptr<attestation::Provider> m_provider;
    QString m_measurementHex;
    std::optional<ohttp::Gateway> m_gateway;
    uint8_t m_keyId = 1;
    Bytes m_keyConfigs;
    Bytes m_otherKeyConfigs;
    std::optional<crypto::BlindRsaPrivateKey> m_issuerKey;
    std::optional<privacypass::IssuerPublicKey> m_issuer;
    Bytes m_challenge;
    std::string m_logSignerKey; // private key string of the log
    std::string m_logVerifierKey;
    std::vector<std::string> m_witnessSigners;
    std::vector<std::string> m_witnessVerifiers;
    int m_quorum = 2;
    QString m_logDir;
    int m_logGeneration = 0;
    uint64_t m_releaseIndex = 0;
};

// XmppChannel answered in-process: the server's disco#items, the
// component's disco#info form and token issuance with the service's issuer
// key (RFC 9578 Section 6.2), or the failures a real server can give.
class InProcessComponent : public XmppChannel {
    Q_OBJECT
public:
    enum class Tokens { Issue, Unreachable, QuotaReached };

    InProcessComponent(TestService *service, QObject *parent = nullptr);
    bool isConnected() const override { return true; }
    QString accountJid() const override { return QStringLiteral("alice@sotto.test"); }
    void sendIq(
        const QString &to, IqType type, const XmlElement &payload, IqCallback done) override;

    Tokens tokens = Tokens::Issue;
    int tokenRequests = 0;
    int discoInfoRequests = 0; // disco#info IQs to the component

private:
    IqReply answer(const QString &to, const XmlElement &payload);
    TestService *m_service;
};

} // namespace sotto::client::test
