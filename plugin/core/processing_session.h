// SPDX-License-Identifier: GPL-3.0-or-later
// ProcessingSession: the whole pipeline behind a Summarize or Rewrite click,
// fail-closed (DESIGN.md "One request, end to end"):
//
//   policy file -> discovery -> effective policy (enabled, feature, relays,
//   chat markers) -> evidence verification (cached until not_after) ->
//   a token -> the sealed request to a random allowed relay -> the answer.
//
// Each step's failure ends the request with its typed error; no step is
// skipped and no error leads to a send. A stale key (the gateway rotated) is
// retried once, after a fresh verification. Every request, successful or
// not, leaves a content-free entry in the history.
#pragma once

#include "plugin/core/chat_settings.h"
#include "plugin/core/evidence_verifier.h"
#include "plugin/core/http.h"
#include "plugin/core/policy.h"
#include "plugin/core/private_request.h"
#include "plugin/core/request_history.h"
#include "plugin/core/service_discovery.h"
#include "plugin/core/token_wallet.h"
#include "plugin/core/verification_report.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>

#include <functional>
#include <optional>
#include <vector>

namespace sotto::client {

struct SessionOptions {
    QString profileDir; // wallet, trusted checkpoints, history
    QString adminPolicyPath = defaultAdminPolicyPath();
    UserSettings user;
    // The local development stack (`sotto ... --stack`): its simulated TEE is
    // accepted unless the administrator's file says allow-simulated = false.
    // It stands in for an admin file that says nothing, never overrides one.
    bool developmentStack = false;
};

struct ProcessingOutcome {
    QJsonObject result; // the gateway's JSON answer
    VerificationReport verification;
};

class ProcessingSession : public QObject {
    Q_OBJECT
public:
    // `failure` carries the error; `report` what was verified before it.
    using Callback = std::function<void(const std::optional<ProcessingOutcome> &outcome,
        const std::optional<ClientFailure> &failure, const VerificationReport &report)>;

    ProcessingSession(XmppChannel *channel, SessionOptions options, QObject *parent = nullptr);

    // Loads the wallet and the admin policy file; call once before requests.
    ClientStatus init();

    // messages: [{"from","time","text"}]; chat: the markers seen in the chat.
    void summarize(const QJsonArray &messages, const ChatProcessingInput &chat, const QString &lang,
        int maxPoints, Callback done);
    // style: formal, friendly, concise, proofread.
    void rewrite(const QString &text, const QString &style, const QString &lang, Callback done);

    // Discovery + verification only (for `sotto status`): no token, no request.
    void verifyOnly(std::function<void(const std::optional<ClientFailure> &,
            const VerificationReport &, const std::optional<ServiceConfig> &)>
            done);

    ServiceDiscovery *discovery() const { return m_discovery; }
    TokenWallet *wallet() const { return m_wallet; }
    HttpClient *http() const { return m_http; }
    const RequestHistory &history() const { return m_history; }
    // The chats the user turned processing off for (the profile's chats.json).
    const ChatSettings &chatSettings() const { return m_chats; }
    // Forget the verified key (e.g. after a failure elsewhere).
    void invalidateVerification() { m_verified.reset(); }

Q_SIGNALS:
    // A short, translated description of the step being done, for a progress line.
    void progress(const QString &step);

private:
    struct Job;
    void run(const QString &feature, const QString &path, const QByteArray &json,
        std::optional<ChatProcessingInput> chat, Callback done);
    void withService(
        std::function<void(const ClientResult<std::pair<ServiceConfig, EffectivePolicy>> &)> next);
    void ensureVerified(const ServiceConfig &service, const EffectivePolicy &policy, bool fresh,
        std::function<void(const ClientResult<VerifiedService> &)> next);
    void sendWith(std::shared_ptr<Job> job, bool retried);
    void finish(std::shared_ptr<Job> job, const std::optional<ClientFailure> &failure);

    XmppChannel *m_channel;
    SessionOptions m_options;
    std::optional<AdminPolicy> m_admin;
    std::optional<ClientFailure> m_adminError;
    HttpClient *m_http;
    ServiceDiscovery *m_discovery;
    TokenWallet *m_wallet;
    EvidenceVerifier *m_verifier;
    PrivateRequest *m_requester;
    RequestHistory m_history;
    ChatSettings m_chats;
    std::optional<VerifiedService> m_verified;
    bool m_verifying = false;
    std::vector<std::function<void(const ClientResult<VerifiedService> &)>> m_verifyWaiters;
};

} // namespace sotto::client
