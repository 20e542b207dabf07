// SPDX-License-Identifier: GPL-3.0-or-later
#include "plugin/core/evidence_verifier.h"

#include "protocol/crypto/hash.h"
#include "protocol/crypto/random.h"
#include "protocol/formats/evidence.h"
#include "protocol/snp/binding.h"
#include "protocol/snp/chain.h"
#include "protocol/snp/policy.h"
#include "protocol/tlog/note.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QUrlQuery>

#include <memory>

Q_LOGGING_CATEGORY(lcVerify, "sotto.client.verify")

namespace sotto::client {

namespace {

Failure<ClientError> failWith(ClientError code, const std::string &detail)
{
    return fail(code, detail);
}

QString hex(ByteView b)
{
    return QString::fromStdString(toHex(b));
}

QString tcbText(const snp::Tcb &t)
{
    QString s = QStringLiteral("bootloader=%1 tee=%2 snp=%3 microcode=%4")
                    .arg(t.bootloader)
                    .arg(t.tee)
                    .arg(t.snp)
                    .arg(t.microcode);
    if (t.fmc)
        s += QStringLiteral(" fmc=%1").arg(*t.fmc);
    return s;
}

ClientError mapLogError(tlog::TlogError e)
{
    switch (e) {
    case tlog::TlogError::FetchFailed:
        return ClientError::FetchFailed;
    case tlog::TlogError::WitnessQuorumNotMet:
    case tlog::TlogError::WitnessUnknown:
        return ClientError::WitnessQuorumNotMet;
    case tlog::TlogError::Rollback:
        return ClientError::LogRollback;
    case tlog::TlogError::Fork:
        return ClientError::LogFork;
    default:
        return ClientError::LogCheckpointInvalid;
    }
}

// Step 3: the AMD chain, or a simulated chain when the policy allows it.
ClientResult<snp::VerificationResult> verifyAttestation(const formats::EvidenceBundle &bundle,
    const EffectivePolicy &policy, int64_t now, VerificationReport &report)
{
    report.provider = QString::fromStdString(bundle.provider);
    report.platform = QString::fromStdString(bundle.platform);
    if (bundle.provider == "simulated") {
        report.simulated = true;
        if (!policy.allowSimulated)
            return failWith(ClientError::SimulatedRefused,
                "the evidence comes from the simulated provider (development keys), and the "
                "effective policy does not allow simulated TEEs");
        if (!bundle.ark || !bundle.ask)
            return failWith(ClientError::AttestationInvalid,
                "a simulated bundle without its ARK and ASK cannot be checked");
        // snp::simulatedChain checks the "Sotto Simulated" names, that
        // neither certificate is (or claims to be) AMD's, and the ARK -> ASK
        // signature; the result is marked simulated, never mixed with AMD's.
        auto chain = snp::simulatedChain(*bundle.ark, *bundle.ask);
        if (!chain.ok())
            return failWith(ClientError::AttestationInvalid,
                std::string(snp::errorName(chain.error())) + ": " + chain.detail());
        const snp::TrustedChain chains[] = { *chain };
        auto r = snp::verifyReport(bundle.report, bundle.vcek, now, chains);
        if (!r.ok())
            return failWith(ClientError::AttestationInvalid,
                std::string(snp::errorName(r.error())) + ": " + r.detail());
        return std::move(r).value();
    }
    if (bundle.ark)
        return failWith(ClientError::AttestationInvalid,
            "a non-simulated bundle carries its own ARK; only AMD's pinned roots are accepted");
    auto r = snp::verifyReport(bundle.report, bundle.vcek, now);
    if (!r.ok())
        return failWith(ClientError::AttestationInvalid,
            std::string(snp::errorName(r.error())) + ": " + r.detail());
    return std::move(r).value();
}

} // namespace

bool throughAllowedRelay(const QUrl &url, const QStringList &allowedRelays)
{
    for (const auto &relay : allowedRelays) {
        const QUrl r(relay);
        if (r.scheme() == url.scheme() && r.host() == url.host()
            && r.port(r.scheme() == QLatin1String("https") ? 443 : 80)
                == url.port(url.scheme() == QLatin1String("https") ? 443 : 80))
            return true;
    }
    return false;
}

ClientResult<VerifiedService> verifyEvidence(const FetchedEvidence &fetched,
    const ServiceConfig &service, const EffectivePolicy &policy, const tlog::LogFetcher &fetchLog,
    const CheckpointStore &trusted, VerificationReport &report)
{
    QElapsedTimer step;
    step.start();
    report.component = service.componentJid;

    // 1. Key configs (RFC 9458 Section 3.2).
    auto configs = ohttp::parseSupportedKeyConfigs(fetched.keyConfigs);
    if (!configs.ok())
        return failWith(ClientError::KeyConfigInvalid, configs.detail());
    report.keyConfigsSha256 = hex(crypto::sha256(fetched.keyConfigs));

    // 2. The bundle.
    auto bundle = formats::parseEvidenceBundle(std::string_view(
        fetched.evidence.constData(), static_cast<size_t>(fetched.evidence.size())));
    if (!bundle.ok())
        return failWith(ClientError::EvidenceInvalid,
            std::string(formats::errorName(bundle.error())) + ": " + bundle.detail());
    if (bundle->keyConfigs != fetched.keyConfigs)
        return failWith(ClientError::KeyConfigMismatch,
            "the bundle attests key configs with SHA-256 "
                + toHex(crypto::sha256(bundle->keyConfigs)) + ", the relay served "
                + report.keyConfigsSha256.toStdString());
    report.notAfter = static_cast<qint64>(bundle->notAfter);
    if (bundle->notAfter <= static_cast<uint64_t>(fetched.now))
        return failWith(ClientError::EvidenceExpired,
            "not_after " + std::to_string(bundle->notAfter) + " is not after now ("
                + std::to_string(fetched.now) + ")");

    // 3. Attestation.
    SOTTO_TRY(const snp::VerificationResult attested,
        verifyAttestation(*bundle, policy, fetched.now, report));
    report.generation = QString::fromUtf8(snp::generationName(attested.generation).data(),
        static_cast<int>(snp::generationName(attested.generation).size()));
    report.measurement = hex(attested.measurement);
    report.reportedTcb = tcbText(attested.reportedTcb);
    report.vmpl = attested.vmpl;
    report.guestSvn = attested.guestSvn;
    report.vcekSha256 = hex(attested.vcekSha256);

    // 4. TEE policy.
    if (auto s = snp::checkPolicy(attested, policy.tee); !s.ok())
        return failWith(ClientError::TeePolicyRefused,
            std::string(snp::errorName(s.error())) + ": " + s.detail());

    // 5. The binding of keys, nonce and not_after.
    if (auto s = snp::checkEvidenceBinding(
            attested.reportData, fetched.keyConfigs, fetched.nonce, bundle->notAfter);
        !s.ok())
        return failWith(ClientError::BindingMismatch, s.detail());
    report.addTiming(QStringLiteral("attestation"), step);

    // 6. The log's checkpoint, quorum and consistency.
    tlog::LogClientConfig logConfig;
    logConfig.origin = service.logOrigin().toStdString();
    auto logKey = tlog::NoteVerifier::parse(service.logKey.toStdString());
    if (!logKey.ok())
        return failWith(ClientError::ServiceFormInvalid, "log-key: " + logKey.detail());
    logConfig.logKey = *logKey;
    for (const auto &w : service.witnessKeys) {
        auto v = tlog::NoteVerifier::parse(w.toStdString());
        if (!v.ok())
            return failWith(ClientError::ServiceFormInvalid, "witness-key: " + v.detail());
        logConfig.witnesses.push_back(*v);
    }
    logConfig.witnessQuorum = policy.witnessQuorum;
    report.witnessQuorum = static_cast<int>(policy.witnessQuorum);
    report.logOrigin = service.logOrigin();
    const tlog::LogClient log(logConfig, fetchLog);
    auto checkpoint = log.fetchCheckpoint();
    if (!checkpoint.ok())
        return failWith(mapLogError(checkpoint.error()),
            std::string(tlog::errorName(checkpoint.error())) + ": " + checkpoint.detail());
    report.checkpointSize = checkpoint->checkpoint.size;
    report.checkpointRoot = QString::fromLatin1(
        QByteArray(reinterpret_cast<const char *>(checkpoint->checkpoint.root.data()),
            static_cast<int>(checkpoint->checkpoint.root.size()))
            .toBase64());
    for (const auto &w : checkpoint->witnesses)
        report.witnesses.append(QString::fromStdString(w));
    SOTTO_TRY(const auto previous, trusted.load(service.logOrigin()));
    if (previous) {
        if (auto s = log.checkConsistency(*previous, checkpoint->checkpoint); !s.ok()) {
            if (s.error() == tlog::TlogError::Fork || s.error() == tlog::TlogError::Rollback)
                qCCritical(lcVerify)
                    << "ATTACK: the transparency log" << service.logOrigin()
                    << "is not consistent with the checkpoint of size" << previous->size
                    << "this profile trusted:" << tlog::errorName(s.error()).data();
            return failWith(mapLogError(s.error()),
                std::string(tlog::errorName(s.error())) + ": " + s.detail());
        }
        report.previousCheckpointSize = previous->size;
    }

    // 7. The release statement at log_index, and its measurement.
    report.logIndex = bundle->logIndex;
    if (bundle->logIndex >= checkpoint->checkpoint.size)
        return failWith(ClientError::NotInLog,
            "log_index " + std::to_string(bundle->logIndex) + " is not below the log's size "
                + std::to_string(checkpoint->checkpoint.size));
    auto entry = log.fetchEntry(bundle->logIndex, checkpoint->checkpoint);
    if (!entry.ok()) {
        const auto code = entry.error() == tlog::TlogError::FetchFailed ? ClientError::FetchFailed
                                                                        : ClientError::NotInLog;
        return failWith(code, std::string(tlog::errorName(entry.error())) + ": " + entry.detail());
    }
    if (asString(*entry) != bundle->release)
        return failWith(ClientError::NotInLog,
            "the log's entry " + std::to_string(bundle->logIndex)
                + " is not the bundle's release statement");
    const auto statement
        = QJsonDocument::fromJson(QByteArray::fromStdString(bundle->release)).object();
    const QString logged = statement.value(QStringLiteral("measurement")).toString().toLower();
    if (logged != report.measurement)
        return failWith(ClientError::MeasurementMismatch,
            "the report's measurement is " + report.measurement.toStdString()
                + ", the logged release statement's is " + logged.toStdString());
    report.releaseVersion = statement.value(QStringLiteral("version")).toString();
    report.releaseSource = statement.value(QStringLiteral("source")).toString();
    report.releaseImage = statement.value(QStringLiteral("image")).toString();
    report.addTiming(QStringLiteral("log"), step);

    // Everything holds: this checkpoint is the new point of comparison.
    if (!previous || checkpoint->checkpoint.size >= previous->size) {
        if (auto s = trusted.save(checkpoint->checkpoint); !s.ok())
            return s.failure();
    }

    report.complete = true;
    VerifiedService verified { configs->front(), fetched.keyConfigs, bundle->notAfter, report };
    verified.report.keyId = configs->front().keyId();
    return verified;
}

EvidenceVerifier::EvidenceVerifier(HttpClient *http, QString trustDirectory, QObject *parent)
    : QObject(parent)
    , m_http(http)
    , m_store(std::move(trustDirectory))
{ }

void EvidenceVerifier::verify(
    const ServiceConfig &service, const EffectivePolicy &policy, Callback done)
{
    m_last = VerificationReport {};
    m_last.component = service.componentJid;
    const auto finish = [this, done](ClientResult<VerifiedService> r) {
        QMetaObject::invokeMethod(
            this, [done, r] { done(r); }, Qt::QueuedConnection);
    };
    if (!m_http)
        return finish(failWith(ClientError::FetchFailed, "no HTTP client"));
    if (!throughAllowedRelay(service.keysUrl, policy.relays)
        || !throughAllowedRelay(service.evidenceUrl, policy.relays))
        return finish(failWith(ClientError::RelayNotAllowed,
            "keys-url and evidence-url must be served by an allowed relay"));

    auto fetched = std::make_shared<FetchedEvidence>();
    fetched->nonce = crypto::randomBytes(snp::kEvidenceNonceLength);
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    QPointer<EvidenceVerifier> self(this);
    m_http->get(service.keysUrl, QByteArrayLiteral("application/ohttp-keys"),
        [self, fetched, timer, service, policy, done](const ClientResult<HttpResponse> &keys) {
            if (!self)
                return;
            if (!keys.ok())
                return done(keys.failure());
            if (keys->status != 200)
                return done(failWith(
                    ClientError::FetchFailed, "GET keys: HTTP " + std::to_string(keys->status)));
            fetched->keyConfigs.assign(keys->body.begin(), keys->body.end());
            QUrl url = service.evidenceUrl;
            QUrlQuery query(url);
            query.addQueryItem(QStringLiteral("nonce"), hex(fetched->nonce));
            url.setQuery(query);
            self->m_http->get(url, QByteArrayLiteral("application/json"),
                [self, fetched, timer, service, policy, done](
                    const ClientResult<HttpResponse> &ev) {
                    if (!self)
                        return;
                    if (!ev.ok())
                        return done(ev.failure());
                    if (ev->status != 200)
                        return done(failWith(ClientError::FetchFailed,
                            "GET evidence: HTTP " + std::to_string(ev->status)));
                    fetched->evidence = ev->body;
                    fetched->now = QDateTime::currentSecsSinceEpoch();
                    VerificationReport report;
                    report.addTiming(QStringLiteral("fetch_keys_evidence"), *timer);
                    auto result = verifyEvidence(*fetched, service, policy,
                        self->m_http->logFetcher(service.logUrl), self->m_store, report);
                    self->m_last = report;
                    done(result);
                });
        });
}

} // namespace sotto::client
