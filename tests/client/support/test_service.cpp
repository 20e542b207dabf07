// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/client/support/test_service.h"

#include "plugin/core/service_discovery.h"
#include "plugin/core/token_wallet.h"

#include "protocol/bhttp/bhttp.h"
#include "protocol/formats/evidence.h"
#include "protocol/formats/release_statement.h"
#include "protocol/hpke/hpke.h"
#include "protocol/privacypass/authorization.h"
#include "protocol/snp/binding.h"
#include "protocol/snp/report.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QTimer>
#include <QUrlQuery>

#include <cstdio>
#include <set>

namespace sotto::client::test {

namespace {

std::optional<ohttp::Gateway> newGateway(uint8_t keyId)
{
    auto pair = hpke::KeyPair::generate(hpke::KemId::DhkemX25519Sha256);
    if (!pair.ok())
        return std::nullopt;
    const ohttp::SymmetricSuite suites[] = { { hpke::KdfId::HkdfSha256, hpke::AeadId::Aes128Gcm } };
    auto key = ohttp::GatewayKey::create(keyId, std::move(pair).value(), suites);
    if (!key.ok())
        return std::nullopt;
    std::vector<ohttp::GatewayKey> keys;
    keys.push_back(std::move(key).value());
    auto gateway = ohttp::Gateway::create(std::move(keys));
    if (!gateway.ok())
        return std::nullopt;
    return std::move(gateway).value();
}

QByteArray qbytes(ByteView b)
{
    return QByteArray(reinterpret_cast<const char *>(b.data()), static_cast<int>(b.size()));
}

HttpAnswer innerAnswer(const ohttp::GatewayResponseContext &context, int status,
    const QByteArray &type, const QByteArray &json)
{
    bhttp::Response response;
    response.status = static_cast<uint16_t>(status);
    response.headers = { { "content-type", type.toStdString() } };
    response.content.assign(json.begin(), json.end());
    auto encoded = bhttp::encodeResponse(response);
    auto sealed = context.encapsulateResponse(*encoded);
    return { 200, "message/ohttp-res", qbytes(*sealed) };
}

std::set<Bytes> &spentNonces()
{
    static std::set<Bytes> spent;
    return spent;
}

} // namespace

std::unique_ptr<TestService> TestService::create(const QString &dir, int witnesses, int quorum)
{
    std::unique_ptr<TestService> s(new TestService);
    s->m_dir = dir;
    s->m_quorum = quorum;
    s->m_http = std::make_unique<HttpServer>(
        [svc = s.get()](const HttpRequest &r) { return svc->handle(r); });
    if (!s->m_http->listen()) {
        std::fprintf(stderr, "test service: cannot listen on 127.0.0.1\n");
        return nullptr;
    }

    // The simulated TEE measures these bytes as "the gateway".
    const QString measured = QDir(dir).filePath(QStringLiteral("gateway.bin"));
    QFile f(measured);
    if (!f.open(QIODevice::WriteOnly) || f.write("sotto test gateway image") < 0)
        return nullptr;
    f.close();
    attestation::ProviderOptions options;
    options.kind = "simulated";
    options.measuredFiles = { measured.toStdString() };
    // The simulated ARK and ASK are RSA-4096 (seconds to generate): the
    // tests share one chain in the build tree, created by whichever test
    // process comes first (QLockFile: ctest -j runs them side by side).
    const QString chainDir = QStringLiteral(SOTTO_CLIENT_TEST_CHAIN_DIR);
    QLockFile lock(chainDir + QStringLiteral(".lock"));
    lock.setStaleLockTime(0);
    if (!lock.lock())
        return nullptr;
    options.simulatedDir = chainDir.toStdString();
    auto provider = attestation::openProvider(options);
    lock.unlock();
    if (!provider.ok()) {
        std::fprintf(stderr, "test service: simulated provider: %s\n", provider.detail().c_str());
        return nullptr;
    }
    s->m_provider = std::move(provider).value();
    const Bytes zeros(64, 0);
    auto probe = s->m_provider->attest(zeros);
    if (!probe.ok())
        return nullptr;
    auto report = snp::AttestationReport::parse(probe->report);
    if (!report.ok())
        return nullptr;
    s->m_measurementHex = QString::fromStdString(toHex(report->measurement()));

    s->m_gateway = newGateway(s->m_keyId);
    auto other = newGateway(s->m_keyId);
    if (!s->m_gateway || !other)
        return nullptr;
    s->m_keyConfigs = *s->m_gateway->encodedKeyConfigs();
    s->m_otherKeyConfigs = *other->encodedKeyConfigs();

    auto sk = crypto::BlindRsaPrivateKey::generate(2048);
    if (!sk.ok())
        return nullptr;
    auto spki = privacypass::IssuerPublicKey::encodeSpki(sk->publicKey());
    auto issuer = privacypass::IssuerPublicKey::fromSpkiDer(*spki);
    if (!issuer.ok())
        return nullptr;
    s->m_issuerKey = std::move(sk).value();
    s->m_issuer = std::move(issuer).value();
    s->m_challenge = *serviceTokenChallenge(s->config());

    auto logSigner = tlog::NoteSigner::generate("log.sotto.test", tlog::KeyType::Ed25519);
    if (!logSigner.ok())
        return nullptr;
    s->m_logSignerKey = std::string(asString(logSigner->toKeyString().view()));
    s->m_logVerifierKey = logSigner->verifierKey();
    for (int i = 0; i < witnesses; ++i) {
        auto w = tlog::NoteSigner::generate(
            "witness" + std::to_string(i) + ".sotto.test", tlog::KeyType::CosignatureV1);
        if (!w.ok())
            return nullptr;
        s->m_witnessSigners.push_back(std::string(asString(w->toKeyString().view())));
        s->m_witnessVerifiers.push_back(w->verifierKey());
    }
    if (!s->publishLog())
        return nullptr;
    return s;
}

std::string TestService::releaseStatement(const QString &measurementHex) const
{
    const QJsonObject o {
        { QStringLiteral("schema"), QStringLiteral("sotto-release/0") },
        { QStringLiteral("platform"), QStringLiteral("sev-snp") },
        { QStringLiteral("measurement"), measurementHex },
        { QStringLiteral("policy"), QStringLiteral("0x30000") },
        { QStringLiteral("version"), QStringLiteral("0.1.0") },
        { QStringLiteral("source"), QString(40, QLatin1Char('a')) },
        { QStringLiteral("image"), QStringLiteral("sha256:") + QString(64, QLatin1Char('b')) },
        { QStringLiteral("issued"), QStringLiteral("2026-11-25T10:00:00Z") },
    };
    auto canonical = formats::canonicalReleaseStatement(QJsonDocument(o).toJson().toStdString());
    return canonical.ok() ? *canonical : std::string();
}

bool TestService::writeLog(const QString &dir, bool forked)
{
    QDir(dir).removeRecursively();
    auto signer = tlog::NoteSigner::parse(m_logSignerKey);
    if (!signer.ok())
        return false;
    auto writer = tlog::LogWriter::create(dir.toStdString(), std::move(signer).value());
    if (!writer.ok()) {
        std::fprintf(stderr, "test service: log: %s\n", writer.detail().c_str());
        return false;
    }
    // An older release first, so the statement is not simply entry 0.
    std::vector<Bytes> entries;
    entries.push_back(
        toBytes(releaseStatement(QString(96, forked ? QLatin1Char('1') : QLatin1Char('0')))));
    const QString logged
        = wrongLoggedMeasurement ? QString(96, QLatin1Char('e')) : m_measurementHex;
    if (!releaseNotLogged) {
        m_releaseIndex = 1;
        entries.push_back(toBytes(releaseStatement(logged)));
    } else {
        m_releaseIndex = 0; // the bundle will point at the older release
        entries.push_back(toBytes(releaseStatement(QString(96, QLatin1Char('2')))));
    }
    if (auto r = writer->append(entries); !r.ok())
        return false;
    const int cosigning
        = cosigningWitnesses < 0 ? static_cast<int>(m_witnessSigners.size()) : cosigningWitnesses;
    std::vector<tlog::NoteSignature> cosignatures;
    std::vector<tlog::NoteVerifier> verifiers;
    const std::string text = tlog::formatCheckpoint(writer->checkpoint());
    for (size_t i = 0; i < m_witnessSigners.size(); ++i) {
        verifiers.push_back(*tlog::NoteVerifier::parse(m_witnessVerifiers[i]));
        if (static_cast<int>(i) < cosigning)
            cosignatures.push_back(
                tlog::NoteSigner::parse(m_witnessSigners[i])
                    ->sign(text, static_cast<uint64_t>(QDateTime::currentSecsSinceEpoch())));
    }
    if (!cosignatures.empty()) {
        if (auto r = writer->addCosignatures(cosignatures, verifiers); !r.ok()) {
            std::fprintf(stderr, "test service: cosign: %s\n", r.detail().c_str());
            return false;
        }
    }
    m_logDir = dir;
    return true;
}

bool TestService::publishLog()
{
    return writeLog(QDir(m_dir).filePath(QStringLiteral("log-%1").arg(++m_logGeneration)), false);
}

bool TestService::forkLog()
{
    return writeLog(QDir(m_dir).filePath(QStringLiteral("log-%1").arg(++m_logGeneration)), true);
}

bool TestService::rotateKey()
{
    auto next = newGateway(++m_keyId);
    if (!next)
        return false;
    m_gateway = std::move(next);
    m_keyConfigs = *m_gateway->encodedKeyConfigs();
    return true;
}

ServiceConfig TestService::config() const
{
    ServiceConfig c;
    c.componentJid = m_componentJid;
    c.relayUrls = QStringList { m_http->url(QStringLiteral("/relay")).toString() };
    for (int i = 2; i <= relays; ++i)
        c.relayUrls.append(m_http->url(QStringLiteral("/relay%1").arg(i)).toString());
    c.gatewayOrigin = QStringLiteral("gateway.sotto.test");
    c.keysUrl = m_http->url(QStringLiteral("/keys"));
    c.evidenceUrl = m_http->url(QStringLiteral("/evidence"));
    c.logUrl = m_http->url(QStringLiteral("/log/"));
    c.logKey = QString::fromStdString(m_logVerifierKey);
    for (const auto &w : m_witnessVerifiers)
        c.witnessKeys.append(QString::fromStdString(w));
    c.witnessQuorum = m_quorum;
    c.issuerName = QStringLiteral("issuer.sotto.test");
    if (m_issuer) {
        auto spki = privacypass::IssuerPublicKey::encodeSpki(m_issuer->key());
        c.tokenKey = qbytes(*spki);
    }
    c.teePlatforms = { snp::Generation::Milan, snp::Generation::Genoa, snp::Generation::Turin };
    c.allowSimulated = true;
    c.features = QStringList { QStringLiteral("summarize"), QStringLiteral("rewrite:formal"),
        QStringLiteral("rewrite:friendly"), QStringLiteral("rewrite:concise"),
        QStringLiteral("rewrite:proofread") };
    c.maxRequestBytes = 64 * 1024;
    c.quotaPerDay = 100;
    return c;
}

XmlElement TestService::discoInfo() const
{
    const ServiceConfig c = config();
    XmlElement query(QStringLiteral("query"), kDiscoInfoNs);
    query.appendChild(XmlElement(QStringLiteral("identity"), kDiscoInfoNs)
                          .setAttribute(QStringLiteral("category"), QStringLiteral("component"))
                          .setAttribute(QStringLiteral("type"), QStringLiteral("generic")));
    XmlElement x(QStringLiteral("x"), kDataFormsNs);
    x.setAttribute(QStringLiteral("type"), QStringLiteral("result"));
    const auto field = [&](const QString &var, const QStringList &values) {
        XmlElement f(QStringLiteral("field"), kDataFormsNs);
        f.setAttribute(QStringLiteral("var"), var);
        for (const auto &v : values)
            f.appendChild(XmlElement(QStringLiteral("value"), kDataFormsNs).setText(v));
        x.appendChild(f);
    };
    field(QStringLiteral("FORM_TYPE"), { kServiceFormType });
    field(QStringLiteral("relay-url"), c.relayUrls);
    field(QStringLiteral("gateway-origin"), { c.gatewayOrigin });
    field(QStringLiteral("keys-url"), { c.keysUrl.toString() });
    field(QStringLiteral("evidence-url"), { c.evidenceUrl.toString() });
    field(QStringLiteral("log-url"), { c.logUrl.toString() });
    field(QStringLiteral("log-key"), { c.logKey });
    field(QStringLiteral("witness-key"), c.witnessKeys);
    field(QStringLiteral("witness-quorum"), { QString::number(c.witnessQuorum) });
    field(QStringLiteral("issuer-name"), { c.issuerName });
    field(QStringLiteral("token-key"), { QString::fromLatin1(c.tokenKey.toBase64()) });
    field(QStringLiteral("tee-platform"),
        { QStringLiteral("milan"), QStringLiteral("genoa"), QStringLiteral("turin") });
    field(
        QStringLiteral("tee-min-tcb"), { QStringLiteral("bootloader=0,tee=0,snp=0,microcode=0") });
    field(QStringLiteral("allow-simulated"), { QStringLiteral("true") });
    field(QStringLiteral("feature"), c.features);
    field(QStringLiteral("max-request-bytes"), { QString::number(c.maxRequestBytes) });
    field(QStringLiteral("quota-per-day"), { QString::number(c.quotaPerDay) });
    query.appendChild(x);
    return query;
}

HttpAnswer TestService::handle(const HttpRequest &r)
{
    const QUrl url = QUrl(QString::fromLatin1(r.target));
    const QString path = url.path();
    if (r.method == "GET" && path == QLatin1String("/keys"))
        return { 200, "application/ohttp-keys", qbytes(m_keyConfigs) };
    if (r.method == "GET" && path == QLatin1String("/evidence"))
        return evidence(r.target);
    if (r.method == "GET" && path.startsWith(QLatin1String("/log/"))) {
        const QString rel = path.mid(5);
        if (rel.contains(QLatin1String("..")))
            return { 400, {}, {} };
        QFile f(QDir(m_logDir).filePath(rel));
        if (!f.open(QIODevice::ReadOnly))
            return { 404, {}, {} };
        return { 200, "application/octet-stream", f.readAll() };
    }
    if (r.method == "POST" && path.startsWith(QLatin1String("/relay"))) {
        postSizes.push_back(static_cast<size_t>(r.body.size()));
        postPaths.append(path);
        return relay(r.body);
    }
    return { 404, {}, {} };
}

HttpAnswer TestService::evidence(const QByteArray &target)
{
    const QUrlQuery query(QUrl(QString::fromLatin1(target)));
    const auto nonce = fromHex(query.queryItemValue(QStringLiteral("nonce")).toStdString());
    if (!nonce || nonce->size() != 32)
        return { 400, {}, {} };
    const auto notAfter
        = static_cast<uint64_t>(QDateTime::currentSecsSinceEpoch() + notAfterFromNow);
    auto reportData = snp::evidenceReportData(
        bindOtherKeys ? m_otherKeyConfigs : m_keyConfigs, *nonce, notAfter);
    auto ev = m_provider->attest(*reportData);
    if (!ev.ok())
        return { 500, {}, {} };
    formats::EvidenceBundle bundle;
    bundle.provider = ev->provider;
    bundle.report = ev->report;
    bundle.vcek = ev->vcek;
    bundle.ask = ev->ask;
    bundle.ark = ev->ark;
    bundle.keyConfigs = m_keyConfigs;
    bundle.notAfter = notAfter;
    bundle.release = releaseStatement(
        wrongLoggedMeasurement ? QString(96, QLatin1Char('e')) : m_measurementHex);
    bundle.logIndex = m_releaseIndex;
    const std::string json = formats::encodeEvidenceBundle(bundle);
    return { 200, "application/json", QByteArray::fromStdString(json) };
}

HttpAnswer TestService::relay(const QByteArray &body)
{
    const Bytes sealed(body.begin(), body.end());
    auto request = m_gateway->decapsulateRequest(sealed);
    if (!request.ok()) {
        const auto e = ohttp::gatewayErrorResponse(request.error());
        return { e.status,
            e.problemType.empty() ? QByteArray() : QByteArray("application/problem+json"),
            QByteArray::fromStdString(e.problemJson()) };
    }
    auto inner = bhttp::decodeRequest(request->request.view());
    if (!inner.ok())
        return innerAnswer(
            request->context, 400, "application/problem+json", R"({"title":"bad request"})");
    std::string authorization;
    for (const auto &h : inner->headers) {
        if (h.name == "authorization")
            authorization = h.value;
    }
    auto token = privacypass::parseAuthorization(authorization);
    if (!token.ok() || !privacypass::verifyToken(*token, *m_issuer, m_challenge).ok()
        || !spentNonces().insert(Bytes(token->nonce.begin(), token->nonce.end())).second)
        return innerAnswer(request->context, 401, "application/problem+json",
            R"({"title":"token not accepted","status":401})");
    const auto doc = QJsonDocument::fromJson(qbytes(inner->content)).object();
    if (inner->path == "/v1/summarize") {
        const QJsonObject answer {
            { QStringLiteral("summary"),
                QJsonArray { QStringLiteral("%1 messages")
                                 .arg(doc.value(QStringLiteral("messages")).toArray().size()) } },
            { QStringLiteral("decisions"), QJsonArray {} },
            { QStringLiteral("questions"), QJsonArray {} },
            { QStringLiteral("actions"), QJsonArray {} },
            { QStringLiteral("engine"), QStringLiteral("test") }
        };
        return innerAnswer(request->context, 200, "application/json",
            QJsonDocument(answer).toJson(QJsonDocument::Compact));
    }
    if (inner->path == "/v1/rewrite") {
        const QJsonObject answer { { QStringLiteral("text"),
                                       doc.value(QStringLiteral("text")).toString().toUpper() },
            { QStringLiteral("changes"), QJsonArray { QStringLiteral("upper case") } },
            { QStringLiteral("engine"), QStringLiteral("test") } };
        return innerAnswer(request->context, 200, "application/json",
            QJsonDocument(answer).toJson(QJsonDocument::Compact));
    }
    return innerAnswer(request->context, 404, "application/problem+json",
        R"({"title":"no such feature","status":404})");
}

InProcessComponent::InProcessComponent(TestService *service, QObject *parent)
    : XmppChannel(parent)
    , m_service(service)
{ }

void InProcessComponent::sendIq(
    const QString &to, IqType, const XmlElement &payload, IqCallback done)
{
    const IqReply reply = answer(to, payload);
    QTimer::singleShot(0, this, [done, reply] { done(reply); });
}

IqReply InProcessComponent::answer(const QString &to, const XmlElement &payload)
{
    IqReply reply;
    reply.kind = IqReply::Kind::Result;
    if (payload.ns() == kDiscoItemsNs && to == QLatin1String("sotto.test")) {
        XmlElement q(QStringLiteral("query"), kDiscoItemsNs);
        q.appendChild(
            XmlElement(QStringLiteral("item"), kDiscoItemsNs)
                .setAttribute(QStringLiteral("jid"), QStringLiteral("conference.sotto.test")));
        q.appendChild(XmlElement(QStringLiteral("item"), kDiscoItemsNs)
                          .setAttribute(QStringLiteral("jid"), m_service->componentJid()));
        reply.payload = q;
        return reply;
    }
    if (payload.ns() == kDiscoInfoNs && to == m_service->componentJid()) {
        ++discoInfoRequests;
        reply.payload = m_service->discoInfo();
        return reply;
    }
    if (payload.ns() == kDiscoInfoNs) {
        reply.payload = XmlElement(QStringLiteral("query"), kDiscoInfoNs);
        return reply;
    }
    if (payload.ns() == kTokensNs && to == m_service->componentJid()) {
        ++tokenRequests;
        if (tokens == Tokens::Unreachable) {
            reply.kind = IqReply::Kind::Error;
            reply.errorCondition = QStringLiteral("service-unavailable");
            return reply;
        }
        if (tokens == Tokens::QuotaReached) {
            reply.kind = IqReply::Kind::Error;
            reply.errorCondition = QStringLiteral("policy-violation");
            reply.errorText = QStringLiteral("daily limit reached");
            return reply;
        }
        XmlElement response(QStringLiteral("response"), kTokensNs);
        response.setAttribute(QStringLiteral("remaining"), QStringLiteral("90"));
        for (const auto &tr : payload.childrenNamed(QStringLiteral("token-request"), kTokensNs)) {
            const QByteArray raw = QByteArray::fromBase64(tr.text().toLatin1());
            auto request = privacypass::TokenRequest::decode(Bytes(raw.begin(), raw.end()));
            auto signedResponse = request.ok()
                ? privacypass::evaluateTokenRequest(
                    m_service->issuerKey(), m_service->issuer(), *request)
                : privacypass::TokenResult<privacypass::TokenResponse>(request.failure());
            if (!signedResponse.ok()) {
                reply.kind = IqReply::Kind::Error;
                reply.errorCondition = QStringLiteral("bad-request");
                return reply;
            }
            response.appendChild(
                XmlElement(QStringLiteral("token-response"), kTokensNs)
                    .setText(QString::fromLatin1(qbytes(signedResponse->encode()).toBase64())));
        }
        reply.payload = response;
        return reply;
    }
    reply.kind = IqReply::Kind::Error;
    reply.errorCondition = QStringLiteral("service-unavailable");
    return reply;
}

} // namespace sotto::client::test
