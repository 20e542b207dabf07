// SPDX-License-Identifier: GPL-3.0-or-later
#include "plugin/core/processing_session.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTimer>

namespace sotto::client {

namespace {

QString trText(const char *text)
{
    return QCoreApplication::translate("sotto::client", text);
}

} // namespace

struct ProcessingSession::Job {
    QString feature;
    QString path;
    QByteArray json;
    std::optional<ChatProcessingInput> chat;
    Callback done;
    QElapsedTimer total;
    QElapsedTimer step;
    std::optional<ServiceConfig> service;
    std::optional<EffectivePolicy> policy;
    std::optional<privacypass::Token> token;
    VerificationReport report;
    std::optional<ProcessingOutcome> outcome;
};

ProcessingSession::ProcessingSession(XmppChannel *channel, SessionOptions options, QObject *parent)
    : QObject(parent)
    , m_channel(channel)
    , m_options(std::move(options))
    , m_http(new HttpClient(this))
    , m_discovery(new ServiceDiscovery(channel, this))
    , m_wallet(new TokenWallet(
          QDir(m_options.profileDir).filePath(QStringLiteral("tokens.json")), channel, this))
    , m_verifier(new EvidenceVerifier(
          m_http, QDir(m_options.profileDir).filePath(QStringLiteral("trust")), this))
    , m_requester(new PrivateRequest(m_http, this))
    , m_history(QDir(m_options.profileDir).filePath(QStringLiteral("history.jsonl")))
    , m_chats(ChatSettings::inProfile(m_options.profileDir))
{ }

ClientStatus ProcessingSession::init()
{
    auto admin = loadAdminPolicy(m_options.adminPolicyPath);
    if (!admin.ok()) {
        m_adminError = toFailure(admin.failure());
        return admin.failure();
    }
    m_admin = *admin;
    if (m_options.developmentStack && !m_admin->allowSimulated)
        m_admin->allowSimulated = true;
    return m_wallet->load();
}

void ProcessingSession::summarize(const QJsonArray &messages, const ChatProcessingInput &chat,
    const QString &lang, int maxPoints, Callback done)
{
    QJsonObject body { { QStringLiteral("messages"), messages } };
    if (!lang.isEmpty())
        body.insert(QStringLiteral("lang"), lang);
    if (maxPoints > 0)
        body.insert(QStringLiteral("max_points"), maxPoints);
    run(QStringLiteral("summarize"), QStringLiteral("/v1/summarize"),
        QJsonDocument(body).toJson(QJsonDocument::Compact), chat, std::move(done));
}

void ProcessingSession::rewrite(
    const QString &text, const QString &style, const QString &lang, Callback done)
{
    QJsonObject body { { QStringLiteral("text"), text }, { QStringLiteral("style"), style } };
    if (!lang.isEmpty())
        body.insert(QStringLiteral("lang"), lang);
    run(QStringLiteral("rewrite:") + style, QStringLiteral("/v1/rewrite"),
        QJsonDocument(body).toJson(QJsonDocument::Compact), std::nullopt, std::move(done));
}

void ProcessingSession::withService(
    std::function<void(const ClientResult<std::pair<ServiceConfig, EffectivePolicy>> &)> next)
{
    if (!m_admin) {
        const auto f = m_adminError
            ? fail(m_adminError->code, m_adminError->detail.toStdString())
            : fail(ClientError::PolicyFileInvalid, std::string("init() was not called"));
        QTimer::singleShot(0, this, [next, f] { next(f); });
        return;
    }
    Q_EMIT progress(trText("Finding the service on your server…"));
    QPointer<ProcessingSession> self(this);
    m_discovery->discover([self, next](const ClientResult<ServiceConfig> &service) {
        if (!self)
            return;
        if (!service.ok())
            return next(service.failure());
        EffectivePolicy policy = effectivePolicy(*service, *self->m_admin, self->m_options.user);
        if (!policy.enabled)
            return next(fail(ClientError::ProcessingDisabled,
                std::string("forced-off is set in the administrator's policy")));
        if (policy.relays.isEmpty())
            return next(fail(ClientError::RelayNotAllowed,
                "the service names " + std::to_string(service->relayUrls.size())
                    + " relay(s), none of them allowed"));
        next(std::pair { *service, policy });
    });
}

void ProcessingSession::ensureVerified(const ServiceConfig &service, const EffectivePolicy &policy,
    bool fresh, std::function<void(const ClientResult<VerifiedService> &)> next)
{
    const auto now = static_cast<uint64_t>(QDateTime::currentSecsSinceEpoch());
    // The verified key is used until its not_after, and only while the
    // policy it was verified under would still accept it.
    if (!fresh && m_verified && m_verified->notAfter > now
        && (!m_verified->report.simulated || policy.allowSimulated)
        && throughAllowedRelay(service.keysUrl, policy.relays)
        && m_verified->report.component == service.componentJid) {
        VerifiedService cached = *m_verified;
        cached.report.fromCache = true;
        cached.report.timingsUs.clear();
        QTimer::singleShot(0, this, [next, cached] { next(cached); });
        return;
    }
    if (fresh)
        m_verified.reset();
    m_verifyWaiters.push_back(std::move(next));
    if (m_verifying)
        return;
    m_verifying = true;
    Q_EMIT progress(trText("Verifying the service's attestation and the public log…"));
    QPointer<ProcessingSession> self(this);
    m_verifier->verify(service, policy, [self](const ClientResult<VerifiedService> &r) {
        if (!self)
            return;
        self->m_verifying = false;
        if (r.ok())
            self->m_verified = *r;
        auto waiters = std::move(self->m_verifyWaiters);
        self->m_verifyWaiters.clear();
        for (auto &w : waiters)
            w(r);
    });
}

void ProcessingSession::run(const QString &feature, const QString &path, const QByteArray &json,
    std::optional<ChatProcessingInput> chat, Callback done)
{
    auto job = std::make_shared<Job>();
    job->feature = feature;
    job->path = path;
    job->json = json;
    job->chat = std::move(chat);
    job->done = std::move(done);
    job->total.start();
    job->step.start();

    // The user's own choice for this chat, then the chat's markers, are
    // checked before anything leaves the client.
    if (job->chat) {
        if (!job->chat->chatJid.isEmpty()) {
            const auto off = m_chats.isTurnedOff(job->chat->chatJid);
            if (!off.ok()) {
                const ClientFailure f = toFailure(off.failure());
                QTimer::singleShot(0, this, [this, job, f] { finish(job, f); });
                return;
            }
            job->chat->userOptedOut = job->chat->userOptedOut || *off;
        }
        const ChatDecision decision = decideChatProcessing(*job->chat);
        if (!decision.allowed) {
            QStringList why;
            if (decision.reason == ClientError::ChatOptedOut && job->chat->roomForbidsProcessing)
                why << QStringLiteral("the room's configuration asks for no private processing");
            if (!decision.requestedBy.isEmpty())
                why << QStringLiteral("asked by ") + decision.requestedBy.join(QStringLiteral(", "));
            ClientFailure f { decision.reason, why.join(QStringLiteral("; ")) };
            QTimer::singleShot(0, this, [this, job, f] { finish(job, f); });
            return;
        }
    }
    QPointer<ProcessingSession> self(this);
    withService([self, job](const ClientResult<std::pair<ServiceConfig, EffectivePolicy>> &r) {
        if (!self)
            return;
        job->report.addTiming(QStringLiteral("discovery"), job->step);
        if (!r.ok())
            return self->finish(job, toFailure(r.failure()));
        job->service = r->first;
        job->policy = r->second;
        if (!job->policy->features.contains(job->feature))
            return self->finish(job,
                ClientFailure { ClientError::FeatureDisabled,
                    job->feature + QStringLiteral(" is not offered or is disabled by policy") });
        self->ensureVerified(*job->service, *job->policy, false,
            [self, job](const ClientResult<VerifiedService> &verified) {
                if (!self)
                    return;
                if (!verified.ok()) {
                    // How far verification got, after the steps timed so far.
                    const auto before = job->report.timingsUs;
                    job->report = self->m_verifier->lastReport();
                    job->report.timingsUs = before + job->report.timingsUs;
                    return self->finish(job, toFailure(verified.failure()));
                }
                // The verifier's report, after the steps timed so far.
                const auto before = job->report.timingsUs;
                job->report = verified->report;
                job->report.timingsUs = before + job->report.timingsUs;
                job->report.addTiming(QStringLiteral("verification_total"), job->step);
                Q_EMIT self->progress(trText("Getting an anonymous token…"));
                self->m_wallet->acquire(
                    *job->service, [self, job](const ClientResult<privacypass::Token> &token) {
                        if (!self)
                            return;
                        job->report.addTiming(QStringLiteral("token"), job->step);
                        if (!token.ok())
                            return self->finish(job, toFailure(token.failure()));
                        job->token = *token;
                        self->sendWith(job, false);
                    });
            });
    });
}

void ProcessingSession::sendWith(std::shared_ptr<Job> job, bool retried)
{
    if (!m_verified)
        return finish(
            job, ClientFailure { ClientError::StaleKey, QStringLiteral("no verified key") });
    const VerifiedService verified = *m_verified;
    // A relay chosen at random among the allowed ones (DESIGN.md step 1).
    const QStringList &relays = job->policy->relays;
    const QString relay
        = relays.at(static_cast<int>(QRandomGenerator::global()->bounded(relays.size())));
    job->report.relay = relay;
    Q_EMIT progress(trText("Sending the sealed request through the relay…"));
    QPointer<ProcessingSession> self(this);
    m_requester->send(verified, QUrl(relay), job->service->gatewayAuthority(), job->path, job->json,
        *job->token, job->service->maxRequestBytes,
        [self, job, retried](const ClientResult<QJsonObject> &r) {
            if (!self)
                return;
            if (!r.ok() && r.error() == ClientError::StaleKey && !retried) {
                // The gateway rotated its key: verify the new one from the
                // start, then send once more with the same (unspent) token.
                self->ensureVerified(*job->service, *job->policy, true,
                    [self, job](const ClientResult<VerifiedService> &v) {
                        if (!self)
                            return;
                        if (!v.ok())
                            return self->finish(job, toFailure(v.failure()));
                        auto timings = job->report.timingsUs;
                        job->report = v->report;
                        job->report.timingsUs = timings + job->report.timingsUs;
                        self->sendWith(job, true);
                    });
                return;
            }
            job->report.addTiming(QStringLiteral("request"), job->step);
            if (!r.ok())
                return self->finish(job, toFailure(r.failure()));
            job->outcome = ProcessingOutcome { *r, job->report };
            self->finish(job, std::nullopt);
        });
}

void ProcessingSession::finish(
    std::shared_ptr<Job> job, const std::optional<ClientFailure> &failure)
{
    job->report.addTiming(QStringLiteral("total"), job->total);
    if (job->outcome)
        job->outcome->verification = job->report;
    HistoryEntry entry;
    entry.time = QDateTime::currentDateTimeUtc();
    entry.feature = job->feature;
    if (failure)
        entry.error = failure->code;
    entry.verification = job->report;
    (void)m_history.append(entry);
    job->done(job->outcome, failure, job->report);
}

void ProcessingSession::verifyOnly(std::function<void(const std::optional<ClientFailure> &,
        const VerificationReport &, const std::optional<ServiceConfig> &)>
        done)
{
    QPointer<ProcessingSession> self(this);
    withService([self, done](const ClientResult<std::pair<ServiceConfig, EffectivePolicy>> &r) {
        if (!self)
            return;
        if (!r.ok())
            return done(toFailure(r.failure()), VerificationReport {}, std::nullopt);
        const ServiceConfig service = r->first;
        self->ensureVerified(r->first, r->second, false,
            [self, done, service](const ClientResult<VerifiedService> &v) {
                if (!v.ok())
                    return done(toFailure(v.failure()),
                        self ? self->m_verifier->lastReport() : VerificationReport {}, service);
                done(std::nullopt, v->report, service);
            });
    });
}

} // namespace sotto::client
